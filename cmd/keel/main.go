// Command keel is Keel's one binary: the devnet, and the client commands
// that use it (keys, deposits, transfers, withdrawals, payment channels,
// queries). Run `keel help` for the list.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/keel-rollup/keel/client"
)

// command is one entry of the command tree: a leaf runs, a group (account)
// dispatches to sub.
type command struct {
	name    string
	summary string
	run     func(args []string, g *globals) error
	sub     []*command
}

func commandTable() []*command {
	var table []*command
	table = []*command{
		{name: "devnet", summary: "run a local devnet: L1 node, contracts, sequencer, prover and the RPC API", run: runDevnet},
		{name: "node", summary: "run a rollup node on an external L1 with a deployment and the ceremony's keys", run: runNode},
		{name: "deploy", summary: "deploy the verifiers and the Rollup onto an L1 with the ceremony's keys, for keel node", run: runDeploy},
		{name: "account", summary: "L2 key files", sub: []*command{
			{name: "new", summary: "generate an L2 key into an encrypted key file", run: runAccountNew},
			{name: "import", summary: "write a raw L2 private key into an encrypted key file", run: runAccountImport},
			{name: "derive", summary: "derive the L2 key of an Ethereum key into an encrypted key file", run: runAccountDerive},
		}},
		{name: "deposit", summary: "deposit ETH from L1 into the key file's L2 account", run: runDeposit},
		{name: "transfer", summary: "send gwei to another L2 account", run: runTransfer},
		{name: "withdraw", summary: "withdraw to L1, wait for finality and claim the ETH", run: runWithdraw},
		{name: "channel", summary: "payment channels", sub: channelCommands()},
		{name: "sponsor", summary: "fee sponsors: pay users' L2 fees under a policy", sub: sponsorCommands()},
		{name: "balance", summary: "an L2 account's balance and nonce", run: runBalance},
		{name: "batch", summary: "a sealed batch: status, roots, transactions", run: runBatch},
		{name: "status", summary: "the chain: ids, contracts, verifying key, progress", run: runStatus},
		{name: "verify", summary: "check a batch from L1 alone: proof, public input, re-execution", run: runVerify},
		{name: "exodus", summary: "whether the Rollup is in exodus mode; activate it, refund unprocessed deposits", run: runExodus},
		{name: "force-exit", summary: "ask L1 to force the sequencer to pay out the whole L2 balance (for a censored user)", run: runForceExit},
		{name: "exit", summary: "in exodus mode, leave with the whole L2 balance, proven from L1 data alone", run: runExit},
		{name: "follow", summary: "a read-only node that rebuilds the state from L1 alone and serves the read API", run: runFollow},
		{name: "prover", summary: "a prover fleet worker: prove batches for a node over NATS JetStream", run: runProver},
		{name: "ceremony", summary: "the multi-party setup of a deployment's proving keys (init, contribute, verify, seal)", sub: ceremonyCommands()},
		{name: "l1", summary: "run the embedded L1 alone, for a rollup node started with --l1-rpc", run: runL1},
		{name: "version", summary: "print the version", run: runVersion},
		{name: "help", summary: "this list, or a command's flags (keel help transfer)",
			run: func(args []string, g *globals) error { return runHelp(table, args, g) }},
	}
	return table
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "keel:", err)
		os.Exit(1)
	}
}

// run is the whole command line as a function: main calls it with
// os.Args[1:], and tests call it in-process with their own context and
// writers (environment variables are read with os.LookupEnv). It returns
// the error main prints; asking for help (-h) is not an error.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	g := newGlobals(ctx, stdout, stderr)
	return runWith(g, args)
}

// runWith is run with prepared globals.
func runWith(g *globals, args []string) error {
	err := dispatch(commandTable(), "keel", args, g)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if errors.Is(err, client.ErrUnreachable) {
		return &unreachableError{url: g.rpcURL, err: err}
	}
	return err
}

// dispatch finds the command named by args[0] in cmds and runs it with the
// rest.
func dispatch(cmds []*command, prefix string, args []string, g *globals) error {
	if len(args) == 0 {
		if prefix == "keel" {
			printUsage(g.stdout, cmds)
			return nil
		}
		return fmt.Errorf("`%s` needs a subcommand: %s", prefix, names(cmds))
	}
	if prefix != "keel" && (args[0] == "-h" || args[0] == "--help" || args[0] == "-help" || args[0] == "help") {
		fmt.Fprintf(g.stdout, "usage: %s <subcommand> [flags]\n\nsubcommands:\n", prefix)
		for _, c := range cmds {
			fmt.Fprintf(g.stdout, "  %-12s %s\n", c.name, c.summary)
		}
		fmt.Fprintf(g.stdout, "\nRun `%s <subcommand> -h` for its flags.\n", prefix)
		return nil
	}
	for _, c := range cmds {
		if c.name != args[0] {
			continue
		}
		if c.sub != nil {
			return dispatch(c.sub, prefix+" "+c.name, args[1:], g)
		}
		return c.run(args[1:], g)
	}
	return fmt.Errorf("unknown command %q: `%s` takes %s (run `keel help`)", strings.TrimSpace(prefix[len("keel"):]+" "+args[0]), prefix, names(cmds))
}
