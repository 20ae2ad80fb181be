package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/keel-rollup/keel/node"
	"github.com/stretchr/testify/require"
)

// nodeFlagsFor parses args and env for keel node (or devnet) as the
// command does, applying the config file the flags name.
func nodeFlagsFor(t *testing.T, devnet bool, env map[string]string, args ...string) (*nodeFlags, error) {
	t.Helper()
	g, _, _ := testGlobals(t, env)
	name, base := "node", node.ProductionConfig
	if devnet {
		name, base = "devnet", node.DefaultConfig
	}
	fs := g.flagSet(name, "", "")
	f := defineNodeFlags(fs, base(filepath.Join(t.TempDir(), "data")), devnet)
	if _, err := g.parse(fs, args); err != nil {
		return nil, err
	}
	return f, f.cf.apply()
}

func writeConfigFile(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "keel.toml")
	require.NoError(t, os.WriteFile(p, []byte(body), 0o600))
	return p
}

// TestNodeConfigPrecedence: flag > environment > file > default, for a
// top-level setting and a sectioned one.
func TestNodeConfigPrecedence(t *testing.T) {
	file := writeConfigFile(t, "slots = 16\n[nats]\nack-wait = \"45s\"\n")
	for _, tc := range []struct {
		name    string
		env     map[string]string
		args    []string
		slots   int
		ackWait time.Duration
	}{
		{name: "default", slots: node.DefaultSlots, ackWait: node.ProductionConfig("x").Fleet.Topology.AckWait},
		{name: "file", args: []string{"--config", file}, slots: 16, ackWait: 45 * time.Second},
		{name: "env over file", env: map[string]string{"KEEL_NODE_SLOTS": "32", "KEEL_NODE_NATS_ACK_WAIT": "1m"},
			args: []string{"--config", file}, slots: 32, ackWait: time.Minute},
		{name: "flag over env", env: map[string]string{"KEEL_NODE_SLOTS": "32"},
			args: []string{"--config", file, "--slots", "64", "--nats-ack-wait", "2m"}, slots: 64, ackWait: 2 * time.Minute},
		{name: "the config file from the environment", env: map[string]string{"KEEL_NODE_CONFIG": file}, slots: 16, ackWait: 45 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := nodeFlagsFor(t, false, tc.env, tc.args...)
			require.NoError(t, err)
			require.Equal(t, tc.slots, *f.slots)
			require.Equal(t, tc.ackWait, *f.ackWait)
		})
	}
}

// TestNodeConfigFileErrors: every problem in a file is named, one case
// per kind of setting, and all of them at once.
func TestNodeConfigFileErrors(t *testing.T) {
	for _, tc := range []struct{ body, want string }{
		{"slots = \"many\"", `slots = many: want an integer`},
		{"slots = 1.5", `slots = 1.5`},
		{"batch-timeout = 2", `batch-timeout = 2: want a duration such as "2s"`},
		{"[log]\njson = \"yes\"", `log.json = yes: want true or false`},
		{"[rpc]\nrate-limit = \"fast\"", `rpc.rate-limit = fast: want a number`},
		{"chain-id = -1", `chain-id = -1: want an integer, 0 or more`},
		{"watch-channels = [1, 2]", `want a list of strings`},
		{"slotz = 8", `slotz: no such setting in keel node`},
		{"[prover]\nx = 1", `[prover]: no such section`},
		{"no-dev-keys = true", `no-dev-keys: no such setting in keel node`},
		{"slots = 8\nslots = 9", `slots`},
		{"= broken", `--config`},
	} {
		file := writeConfigFile(t, tc.body)
		_, err := nodeFlagsFor(t, false, nil, "--config", file)
		require.ErrorContains(t, err, tc.want, tc.body)
	}
	file := writeConfigFile(t, "slotz = 8\ndepth = \"deep\"\n[nats]\nreplicas = \"three\"\n")
	_, err := nodeFlagsFor(t, false, nil, "--config", file)
	for _, want := range []string{"slotz", "depth = deep", "nats.replicas = three"} {
		require.ErrorContains(t, err, want, "every problem is named at once")
	}
	_, err = nodeFlagsFor(t, false, nil, "--config", filepath.Join(t.TempDir(), "missing.toml"))
	require.ErrorContains(t, err, "missing.toml")
}

// TestNodeConfigValidation: the settings' meanings are checked before
// anything runs, every problem named at once; and a production node has
// no devnet fallbacks.
func TestNodeConfigValidation(t *testing.T) {
	f, err := nodeFlagsFor(t, false, nil, "--log-level", "loud", "--sequencer-key", "0xnope", "--rollup", "0x12",
		"--batch-timeout", "-1s", "--rpc-rate-limit", "-1", "--depth", "0", "--watch-channels", "/nonexistent/store")
	require.NoError(t, err)
	_, _, err = f.config(node.ProductionConfig)
	for _, want := range []string{`--log-level "loud"`, "--sequencer-key is not a hex", `--rollup "0x12"`, "--batch-timeout -1s",
		"negative RPC rate limit", "depth 0", "--watch-channels: no channel store at /nonexistent/store", "no L1 endpoint (--l1-rpc)"} {
		require.ErrorContains(t, err, want)
	}

	// The production node's requirements, named; its defaults are not a
	// devnet's.
	f, err = nodeFlagsFor(t, false, nil)
	require.NoError(t, err)
	cfg, _, err := f.config(node.ProductionConfig)
	require.ErrorContains(t, err, "no L1 endpoint (--l1-rpc)")
	require.ErrorContains(t, err, "no sequencer key (--sequencer-key)")
	require.False(t, cfg.Devnet)
	require.False(t, cfg.DevKeys, "keel node never makes dev keys")
	require.EqualValues(t, node.DefaultL1Confirmations, cfg.L1Confirmations)
	_, err = nodeFlagsFor(t, false, nil, "--no-dev-keys")
	require.ErrorContains(t, err, "flag provided but not defined: -no-dev-keys", "dev keys are not a node setting")
	f, err = nodeFlagsFor(t, false, nil, "--l1-rpc", "http://127.0.0.1:1", "--sequencer-key", strings.Repeat("1", 64))
	require.NoError(t, err)
	cfg, _, err = f.config(node.ProductionConfig)
	require.NoError(t, err)
	require.Equal(t, filepath.Join(cfg.DataDir, "keys"), cfg.KeysDir)

	// A devnet keeps its defaults: its own L1, dev keys.
	f, err = nodeFlagsFor(t, true, nil)
	require.NoError(t, err)
	cfg, _, err = f.config(node.DefaultConfig)
	require.NoError(t, err)
	require.True(t, cfg.Devnet)
	require.True(t, cfg.DevKeys)
	require.True(t, cfg.Embedded())
}

// TestPrintConfigRoundTrips: what --print-config writes, read back with
// --config, gives every setting the same value (the secret excepted,
// which it does not print).
func TestPrintConfigRoundTrips(t *testing.T) {
	for _, devnet := range []bool{false, true} {
		f, err := nodeFlagsFor(t, devnet, map[string]string{"KEEL_NODE_NATS_ACK_WAIT": "90s", "KEEL_NODE_SEQUENCER_KEY": strings.Repeat("2", 64)},
			"--slots", "32", "--rpc-rate-limit", "12.5", "--log-json", "--watch-channels", `/a b/"c",/d`, "--admin-addr", "127.0.0.1:9999")
		require.NoError(t, err)
		var out bytes.Buffer
		require.NoError(t, f.cf.write(&out))
		require.NotContains(t, out.String(), strings.Repeat("2", 64), "the sequencer key is never printed")
		require.Contains(t, out.String(), "KEEL_NODE_SLOTS", "each setting names its variable")
		require.Contains(t, out.String(), "[nats]")
		file := writeConfigFile(t, out.String())
		back, err := nodeFlagsFor(t, devnet, nil, "--config", file)
		require.NoError(t, err, "%s", out.String())
		f.fs.VisitAll(func(fl *flag.Flag) {
			if notInConfigFile[fl.Name] || secretFlags[fl.Name] {
				return
			}
			require.Equal(t, fl.Value.String(), back.fs.Lookup(fl.Name).Value.String(), "--%s", fl.Name)
		})
	}
}

// TestProverConfigFile: keel prover reads the same kind of file, with the
// same precedence, and prints one that reads back.
func TestProverConfigFile(t *testing.T) {
	file := writeConfigFile(t, "concurrency = 3\nname = \"gpu-1\"\n[nats]\nurl = \"tls://fleet.example:4222\"\n")
	g, stdout, _ := testGlobals(t, map[string]string{"KEEL_PROVER_NAME": "from-env"})
	require.NoError(t, runProver([]string{"--config", file, "--print-config", "--concurrency", "4"}, g))
	out := stdout.String()
	require.Contains(t, out, "concurrency = 4", "the flag wins over the file")
	require.Contains(t, out, `name = "from-env"`, "the environment wins over the file")
	require.Contains(t, out, `url = "tls://fleet.example:4222"`, "the file wins over the default")
	require.Contains(t, out, "KEEL_PROVER_NATS_URL")

	again := writeConfigFile(t, out)
	g, stdout, _ = testGlobals(t, nil)
	require.NoError(t, runProver([]string{"--config", again, "--print-config"}, g))
	require.Equal(t, out, stdout.String(), "the printed file reads back to the same settings")

	bad := writeConfigFile(t, "concurrency = \"lots\"\nsequencer-key = \"x\"\n")
	g, _, _ = testGlobals(t, nil)
	err := runProver([]string{"--config", bad}, g)
	require.ErrorContains(t, err, "concurrency = lots: want an integer")
	require.ErrorContains(t, err, "sequencer-key: no such setting in keel prover")
}

// TestFollowConfigFile: keel follow reads and prints its config file too.
func TestFollowConfigFile(t *testing.T) {
	file := writeConfigFile(t, "rollup = \"0x0000000000000000000000000000000000000abc\"\npoll = \"5s\"\n[l1]\nrpc = \"http://l1.example:8545\"\n")
	g, stdout, _ := testGlobals(t, nil)
	require.NoError(t, runFollow([]string{"--config", file, "--print-config"}, g))
	require.Contains(t, stdout.String(), `rpc = "http://l1.example:8545"`)
	require.Contains(t, stdout.String(), `poll = "5s"`)
	require.Contains(t, stdout.String(), "KEEL_FOLLOW_ROLLUP")
}
