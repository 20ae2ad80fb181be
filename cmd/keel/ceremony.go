package main

import (
	"encoding/hex"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	gnarklog "github.com/consensys/gnark/logger"
	"github.com/keel-rollup/keel/node"
	"github.com/keel-rollup/keel/prover"
	"github.com/keel-rollup/keel/vm"
)

// The `keel ceremony` commands drive the Groth16 multi-party setup
// (prover/ceremonydir.go) for every circuit a deployment proves with. A
// ceremony directory travels from participant to participant; each runs
// one command on their own machine.

func ceremonyCommands() []*command {
	return []*command{
		{name: "init", summary: "start a ceremony directory for a deployment's circuits (each batch size and the exit circuit)", run: runCeremonyInit},
		{name: "contribute", summary: "add your contribution to the open phase and print its hashes to publish", run: runCeremonyContribute},
		{name: "verify", summary: "re-check the whole transcript, and the sealed keys against it", run: runCeremonyVerify},
		{name: "seal", summary: "close the open phase with a public beacon: phase 1 opens phase 2, phase 2 writes the keys dir", run: runCeremonySeal},
	}
}

// quietGnark turns gnark's logger off: it logs every compilation at info
// level, and the ceremony commands say what they do themselves.
func quietGnark() { gnarklog.Disable() }

const ceremonyDirUsage = "the ceremony `dir` (ceremony.json and its chains)"

func runCeremonyInit(args []string, g *globals) error {
	f := g.flagSet("ceremony init", "", "Start a ceremony in a new directory: compile the deployment's circuits (each --slots\n"+
		"size and the exit circuit, at --depth) and write the initial powers of τ.\n"+
		"Then participants run `keel ceremony contribute`, one after another.")
	dir := f.String("dir", "", ceremonyDirUsage)
	slotsFlag := f.String("slots", strconv.Itoa(node.DefaultSlots), "comma-separated batch `sizes` the deployment proves (keel devnet --slots)")
	depth := f.Int("depth", vm.DefaultDepth, "state tree `depth` of the deployment")
	if _, err := g.parseExact(f, args, 0); err != nil {
		return err
	}
	if *dir == "" {
		return fmt.Errorf("keel ceremony init: set --dir")
	}
	quietGnark()
	var slots []int
	for _, s := range strings.Split(*slotsFlag, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 2 {
			return fmt.Errorf("keel ceremony init: --slots %q: %q is not a batch size (an integer, at least 2)", *slotsFlag, s)
		}
		slots = append(slots, n)
	}
	g.progressf("compiling the circuits (depth %d, batches of %s slots, and the exit circuit)…\n", *depth, *slotsFlag)
	m, err := prover.CeremonyDirInit(*dir, *depth, slots)
	if err != nil {
		return fmt.Errorf("keel ceremony init: %w", err)
	}
	return g.emit(m, func(w io.Writer) {
		fmt.Fprintf(w, "Ceremony started in %s, depth %d:\n", *dir, m.Depth)
		for _, c := range m.Circuits {
			fmt.Fprintf(w, "  %-10s circuit %s\n", c.Name, c.Hash)
		}
		fmt.Fprintf(w, "Phase 1 is open: each participant runs `keel ceremony contribute --dir %s` in turn.\n", *dir)
	})
}

func runCeremonyContribute(args []string, g *globals) error {
	f := g.flagSet("ceremony contribute", "", "Mix fresh randomness into the open phase (every circuit's chain in phase 2) and print\n"+
		"the hashes to publish. The randomness never leaves this process's memory: run it on a\n"+
		"machine you trust, then pass the directory on.")
	dir := f.String("dir", "", ceremonyDirUsage)
	if _, err := g.parseExact(f, args, 0); err != nil {
		return err
	}
	if *dir == "" {
		return fmt.Errorf("keel ceremony contribute: set --dir")
	}
	quietGnark()
	g.progressf("contributing (seconds to minutes, by the circuits' size)…\n")
	cs, err := prover.CeremonyDirContribute(*dir)
	if err != nil {
		return fmt.Errorf("keel ceremony contribute: %w", err)
	}
	type out struct{ Chain, File, Hash string }
	var res []out
	for _, c := range cs {
		res = append(res, out{filepath.ToSlash(c.Chain), c.File, c.Hash})
	}
	return g.emit(map[string]any{"contributions": res}, func(w io.Writer) {
		fmt.Fprintln(w, "Your contribution; publish these hashes (sha256sum of each file):")
		for _, c := range res {
			fmt.Fprintf(w, "  %-18s %s  %s\n", c.Chain, c.Hash, c.File)
		}
	})
}

func runCeremonyVerify(args []string, g *globals) error {
	f := g.flagSet("ceremony verify", "", "Re-run every chain of the ceremony from its recomputed initial state. Once a phase\n"+
		"is sealed, also check that its seal (the phase-1 commons, the keys in --keys-dir) is what\n"+
		"the transcript gives. Find your published hash in the list it prints.")
	dir := f.String("dir", "", ceremonyDirUsage)
	keysDir := f.String("keys-dir", "", "the sealed keys `dir` to check (default: <dir>/keys)")
	if _, err := g.parseExact(f, args, 0); err != nil {
		return err
	}
	if *dir == "" {
		return fmt.Errorf("keel ceremony verify: set --dir")
	}
	quietGnark()
	if *keysDir == "" {
		*keysDir = filepath.Join(*dir, "keys")
	}
	g.progressf("verifying the transcript (minutes at production sizes)…\n")
	r, err := prover.CeremonyDirVerify(*dir, *keysDir)
	if err != nil {
		return fmt.Errorf("keel ceremony verify: %w", err)
	}
	return g.emit(r, func(w io.Writer) {
		fmt.Fprintf(w, "Transcript OK, %s.\n", r.Phase)
		chains := make([]string, 0, len(r.Hashes))
		for c := range r.Hashes {
			chains = append(chains, c)
		}
		slices.Sort(chains)
		for _, c := range chains {
			fmt.Fprintf(w, "%s: %d contributions\n", filepath.ToSlash(c), r.Contributions[c])
			for i, h := range r.Hashes[c] {
				what := fmt.Sprintf("contribution %d", i)
				if i == 0 {
					what = "initial state"
				}
				fmt.Fprintf(w, "  %-15s %s\n", what, h)
			}
		}
	})
}

func runCeremonySeal(args []string, g *globals) error {
	f := g.flagSet("ceremony seal", "", "Close the open phase with a public random beacon fixed in advance (for example the hash\n"+
		"of an L1 block at a height announced before the phase opened; use another for each phase).\n"+
		"Sealing phase 1 opens phase 2; sealing phase 2 writes the keys that `keel devnet --no-dev-keys\n"+
		"--keys-dir` and `keel exit --keys-dir` read.")
	dir := f.String("dir", "", ceremonyDirUsage)
	beaconHex := f.String("beacon", "", "the beacon, `hex` (0x optional)")
	keysDir := f.String("keys-dir", "", "where phase 2's seal writes the keys (default: <dir>/keys)")
	if _, err := g.parseExact(f, args, 0); err != nil {
		return err
	}
	if *dir == "" {
		return fmt.Errorf("keel ceremony seal: set --dir")
	}
	quietGnark()
	beacon, err := hex.DecodeString(strings.TrimPrefix(*beaconHex, "0x"))
	if err != nil || len(beacon) == 0 {
		return fmt.Errorf("keel ceremony seal: --beacon %q: want the public beacon as hex, for example an announced L1 block's hash", *beaconHex)
	}
	if *keysDir == "" {
		*keysDir = filepath.Join(*dir, "keys")
	}
	g.progressf("verifying the phase's transcript and sealing (minutes at production sizes)…\n")
	m, err := prover.CeremonyDirSeal(*dir, beacon, *keysDir)
	if err != nil {
		return fmt.Errorf("keel ceremony seal: %w", err)
	}
	return g.emit(m, func(w io.Writer) {
		switch m.Phase {
		case prover.CeremonyPhase2:
			fmt.Fprintf(w, "Phase 1 sealed (commons %s). Phase 2 is open: each participant runs `keel ceremony contribute --dir %s` again.\n", m.Commons, *dir)
		default:
			fmt.Fprintf(w, "Ceremony sealed. Keys written to %s:\n", *keysDir)
			for _, c := range m.Circuits {
				fmt.Fprintf(w, "  %-10s %s\n", c.Name, filepath.Join(*keysDir, c.Hash))
			}
		}
	})
}
