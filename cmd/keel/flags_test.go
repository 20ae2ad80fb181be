package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// testGlobals returns globals that read env instead of the process
// environment and write into buffers.
func testGlobals(t *testing.T, env map[string]string) (*globals, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	g := newGlobals(context.Background(), &stdout, &stderr)
	g.lookupEnv = func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	return g, &stdout, &stderr
}

// leaves lists every runnable command with its full name.
func leaves(prefix []string, cmds []*command) (names [][]string, runs []*command) {
	for _, c := range cmds {
		name := append(append([]string{}, prefix...), c.name)
		if c.sub != nil {
			n, r := leaves(name, c.sub)
			names, runs = append(names, n...), append(runs, r...)
			continue
		}
		names, runs = append(names, name), append(runs, c)
	}
	return names, runs
}

var kebab = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)

// TestFlagsAreUniqueAndHaveEnvVars asks every command for -h, which each
// answers after building its flags and before doing anything, and checks
// the flags it built: kebab-case names, one distinct KEEL_ variable each,
// listed in the usage; and a flag name shared by two commands has one type
// in both, since both read the same variable.
func TestFlagsAreUniqueAndHaveEnvVars(t *testing.T) {
	names, cmds := leaves(nil, commandTable())
	var all []*flag.FlagSet
	for i, c := range cmds {
		name := strings.Join(names[i], " ")
		t.Run(name, func(t *testing.T) {
			g, _, stderr := testGlobals(t, nil)
			err := c.run([]string{"-h"}, g)
			if c.name == "devnet" && err != nil && strings.Contains(err.Error(), "not built yet") {
				t.Skip("keel devnet is a placeholder")
			}
			if c.name == "help" {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, flag.ErrHelp, "a command answers -h before it does anything")
			require.Len(t, g.flagSets, 1)
			fs := g.flagSets[0]
			require.Equal(t, "keel "+name, fs.Name())
			seenEnv := map[string]string{}
			fs.VisitAll(func(f *flag.Flag) {
				require.Regexp(t, kebab, f.Name, "flags are kebab-case")
				env := envVar(fs.Name(), f.Name)
				require.Regexp(t, `^KEEL_[A-Z0-9_]+$`, env)
				if other, dup := seenEnv[env]; dup {
					t.Errorf("--%s and --%s share %s", f.Name, other, env)
				}
				seenEnv[env] = f.Name
				require.Contains(t, stderr.String(), "--"+f.Name)
				require.Contains(t, stderr.String(), "["+env+"]", "the usage names the variable")
			})
			require.Contains(t, seenEnv, "KEEL_RPC", "every command takes the common flags")
			require.Contains(t, seenEnv, "KEEL_JSON")
			all = append(all, fs)
		})
	}
	require.NoError(t, sameTypeAcrossCommands(all))
}

func TestSameTypeAcrossCommandsCatchesAClash(t *testing.T) {
	a, b := flag.NewFlagSet("keel a", flag.ContinueOnError), flag.NewFlagSet("keel b", flag.ContinueOnError)
	a.String("wait", "", "")
	b.Bool("wait", false, "")
	require.ErrorContains(t, sameTypeAcrossCommands([]*flag.FlagSet{a, b}), "--wait")
	// Commands of different roles read different variables: no clash.
	c, d := flag.NewFlagSet("keel deposit", flag.ContinueOnError), flag.NewFlagSet("keel devnet", flag.ContinueOnError)
	c.String("datadir", "", "")
	d.Bool("datadir", false, "")
	require.NoError(t, sameTypeAcrossCommands([]*flag.FlagSet{c, d}))
}

// TestEnvVarsAreScopedByRole: a variable set for a client command never
// reaches a node, a prover, a follower or the L1; --rpc and --json are
// one variable everywhere.
func TestEnvVarsAreScopedByRole(t *testing.T) {
	for _, tc := range []struct{ fs, flag, want string }{
		{"keel deposit", "l1-rpc", "KEEL_L1_RPC"},
		{"keel channel open", "keyfile", "KEEL_KEYFILE"},
		{"keel devnet", "l1-rpc", "KEEL_NODE_L1_RPC"},
		{"keel node", "datadir", "KEEL_NODE_DATADIR"},
		{"keel follow", "datadir", "KEEL_FOLLOW_DATADIR"},
		{"keel l1", "datadir", "KEEL_L1NODE_DATADIR"},
		{"keel prover", "nats-url", "KEEL_PROVER_NATS_URL"},
		{"keel ceremony seal", "beacon", "KEEL_CEREMONY_BEACON"},
		{"keel sponsor serve", "keyfile", "KEEL_SPONSOR_KEYFILE"},
		{"keel devnet", "rpc", "KEEL_RPC"},
		{"keel prover", "json", "KEEL_JSON"},
	} {
		require.Equal(t, tc.want, envVar(tc.fs, tc.flag), "%s --%s", tc.fs, tc.flag)
	}

	// In a command: KEEL_L1_RPC, meant for keel deposit, leaves keel
	// devnet on its embedded L1; KEEL_NODE_L1_RPC is the devnet's.
	g, _, _ := testGlobals(t, map[string]string{"KEEL_L1_RPC": "http://deposit-l1", "KEEL_DATADIR": "/somewhere"})
	fs := g.flagSet("devnet", "", "")
	l1 := fs.String("l1-rpc", "", "")
	dir := fs.String("datadir", "default", "")
	_, err := g.parse(fs, nil)
	require.NoError(t, err)
	require.Empty(t, *l1)
	require.Equal(t, "default", *dir)
	g, _, _ = testGlobals(t, map[string]string{"KEEL_NODE_L1_RPC": "http://node-l1"})
	fs = g.flagSet("devnet", "", "")
	l1 = fs.String("l1-rpc", "", "")
	_, err = g.parse(fs, nil)
	require.NoError(t, err)
	require.Equal(t, "http://node-l1", *l1)
}

func TestEnvVarsSetFlags(t *testing.T) {
	for _, tc := range []struct {
		name       string
		env        map[string]string
		args       []string
		wantRPC    string
		wantAmount string
		wantJSON   bool
		wantErr    string
	}{
		{name: "defaults", wantRPC: defaultRPC},
		{name: "env sets", env: map[string]string{"KEEL_RPC": "http://env:1", "KEEL_AMOUNT": "5eth", "KEEL_JSON": "true"},
			wantRPC: "http://env:1", wantAmount: "5eth", wantJSON: true},
		{name: "command line wins", env: map[string]string{"KEEL_RPC": "http://env:1", "KEEL_JSON": "true"},
			args: []string{"--rpc", "http://cli:2", "--json=false"}, wantRPC: "http://cli:2"},
		{name: "dashes become underscores", env: map[string]string{"KEEL_L1_RPC": "http://l1"},
			wantRPC: defaultRPC},
		{name: "bad env value names the variable", env: map[string]string{"KEEL_JSON": "maybe"},
			wantErr: `KEEL_JSON="maybe"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g, _, _ := testGlobals(t, tc.env)
			fs := g.flagSet("test", "", "a test command")
			amount := fs.String("amount", "", "")
			l1 := fs.String("l1-rpc", "", "")
			_, err := g.parse(fs, tc.args)
			if tc.wantErr != "" {
				require.ErrorContains(t, err, tc.wantErr)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.wantRPC, g.rpcURL)
			require.Equal(t, tc.wantAmount, *amount)
			require.Equal(t, tc.wantJSON, g.jsonOut)
			require.Equal(t, tc.env["KEEL_L1_RPC"], *l1)
		})
	}
}

func TestPositionalArgsMixWithFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		pos  []string
		json bool
	}{
		{[]string{"7"}, []string{"7"}, false},
		{[]string{"7", "--json"}, []string{"7"}, true},
		{[]string{"--json", "7", "8"}, []string{"7", "8"}, true},
		{[]string{"--", "--json"}, []string{"--json"}, false},
		{[]string{"7", "--", "-1"}, []string{"7", "-1"}, false},
	} {
		g, _, _ := testGlobals(t, nil)
		pos, err := g.parse(g.flagSet("test", "", ""), tc.args)
		require.NoError(t, err, "%q", tc.args)
		require.Equal(t, tc.pos, pos, "%q", tc.args)
		require.Equal(t, tc.json, g.jsonOut, "%q", tc.args)
	}
}

func TestWaitFlag(t *testing.T) {
	for in, want := range map[string]string{"pending": "pending", "false": "pending", "true": "sequenced",
		"Finalized": "finalized", "proven": "proven", "sequenced": "sequenced"} {
		var w waitFlag
		require.NoError(t, w.Set(in), in)
		require.Equal(t, want, w.String(), in)
	}
	var w waitFlag
	require.Error(t, w.Set("rejected"), "rejected is not something to wait for")
	require.Error(t, w.Set("soon"))
}

func TestUnknownFlagIsAnError(t *testing.T) {
	g, _, _ := testGlobals(t, nil)
	err := runWith(g, []string{"status", "--frobnicate"})
	require.ErrorContains(t, err, "flag provided but not defined: -frobnicate")
	require.False(t, errors.Is(err, flag.ErrHelp))
}
