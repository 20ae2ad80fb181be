package main

import (
	"fmt"
	"io"
	"strings"
)

func names(cmds []*command) string {
	var ns []string
	for _, c := range cmds {
		ns = append(ns, c.name)
	}
	return strings.Join(ns, ", ")
}

// runHelp prints the command list, or with a command name that command's
// flags.
func runHelp(table []*command, args []string, g *globals) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		printUsage(g.stdout, table)
		return nil
	}
	return dispatch(table, "keel", append(args, "-h"), g)
}

func printUsage(w io.Writer, table []*command) {
	fmt.Fprint(w, "keel: the Keel zk-rollup's devnet and command-line client\n\nusage: keel <command> [flags]\n\ncommands:\n")
	var list func(prefix string, cmds []*command)
	list = func(prefix string, cmds []*command) {
		for _, c := range cmds {
			if c.sub != nil {
				list(prefix+c.name+" ", c.sub)
				continue
			}
			fmt.Fprintf(w, "  %-16s %s\n", prefix+c.name, c.summary)
		}
	}
	list("", table)
	fmt.Fprint(w, `
Every command takes --rpc URL (the node's JSON-RPC endpoint, default `+defaultRPC+`)
and --json (print the result as one JSON object). Every flag can also be set
by an environment variable, scoped by role so that one set for a client
command never changes a node: --l1-rpc is KEEL_L1_RPC for the client
commands, KEEL_NODE_L1_RPC for keel devnet and keel node, KEEL_PROVER_...
for keel prover, KEEL_FOLLOW_... for keel follow, KEEL_SPONSOR_... for keel
sponsor serve. --rpc and --json are
KEEL_RPC and KEEL_JSON everywhere. The command line wins.
Amounts are gwei (1500, 1500gwei) or ETH (0.5eth). Run keel <command> -h for
a command's flags.
`)
}
