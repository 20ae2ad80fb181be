package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"github.com/consensys/gnark/backend/groth16"
	"github.com/keel-rollup/keel/l1view"
	"github.com/keel-rollup/keel/prover"
	"github.com/keel-rollup/keel/vm"
)

// runVerify is `keel verify <batch>`: judge a batch from L1 data alone.
func runVerify(args []string, g *globals) error {
	f := g.flagSet("verify", "BATCH", "Verify a batch from L1 alone: rebuild the state before it from every earlier batch's calldata\n"+
		"and the deposit queue, recompute its public input, check its proof with the Rollup's verifier\n"+
		"contract (and with gnark when --keys-dir holds the verifying key), and re-execute its public data\n"+
		"to compare the new root with the one L1 recorded. Needs no Keel node when --l1-rpc and --rollup are set.")
	l1RPC, rollupS, fromBlock := addL1TargetFlags(f)
	keysDir := f.String("keys-dir", "", "a proving-key cache `DIR` (keel devnet's <datadir>/keys): also verify the proof with gnark")
	export := f.String("export", "", "write vk.json, proof.json and public.json (snarkjs format, see the README's 'Check a batch with another verifier') to `DIR`; needs --keys-dir")
	pos, err := g.parseExact(f, args, 1)
	if err != nil {
		return err
	}
	n, err := strconv.ParseUint(pos[0], 10, 64)
	if err != nil || n == 0 {
		return fmt.Errorf("keel verify: %q is not a batch number (1, 2, ...)", pos[0])
	}

	t, err := resolveL1(g, *l1RPC, *rollupS)
	if err != nil {
		return fmt.Errorf("keel verify: %w", err)
	}
	rollup, url := t.rollup, t.url
	l1, err := t.dial(g)
	if err != nil {
		return fmt.Errorf("keel verify: %w", err)
	}
	defer l1.Close()
	g.progressf("reading the Rollup at %s from L1 (%s)…\n", rollup, url)
	l, err := l1view.ReadL1Rollup(g.ctx, l1, rollup, *fromBlock)
	if err != nil {
		return err
	}
	d := l.Config.Depth
	var vk groth16.VerifyingKey
	if *keysDir != "" {
		g.progressf("loading the verifying key for %d slots, depth %d from %s…\n", l.Config.Slots, d, *keysDir)
		ccs, err := prover.CompileBatch(l.Config.Slots, d)
		if err != nil {
			return err
		}
		keys, err := prover.LoadKeys(*keysDir, ccs)
		if err != nil {
			return fmt.Errorf("keel verify: --keys-dir: %w", err)
		}
		vk = keys.VK
	}
	if *export != "" && vk == nil {
		return errors.New("keel verify: --export needs the verifying key: set --keys-dir")
	}
	v, err := l1view.VerifyBatch(g.ctx, l1, l, n, vk)
	if err != nil {
		return err
	}
	if *export != "" {
		if err := exportSnarkjs(*export, vk, l, n, v); err != nil {
			return fmt.Errorf("keel verify: --export: %w", err)
		}
		g.progressf("wrote vk.json, proof.json and public.json to %s: check them with `snarkjs groth16 verify vk.json public.json proof.json`\n", *export)
	}
	if err := g.emit(v, func(w io.Writer) { printVerdict(w, v) }); err != nil {
		return err
	}
	if bad := v.Failed(); bad != nil {
		return fmt.Errorf("batch %d is INVALID: %s: %s", n, bad.Name, bad.Detail)
	}
	return nil
}

func printVerdict(w io.Writer, v *l1view.Verdict) {
	for _, c := range v.Checks {
		mark := "ok  "
		if !c.OK {
			mark = "FAIL"
		}
		fmt.Fprintf(w, "%s %-26s %s\n", mark, c.Name, c.Detail)
	}
	if v.Valid {
		fmt.Fprintf(w, "batch %d is valid\n", v.Batch)
	} else {
		fmt.Fprintf(w, "batch %d is INVALID\n", v.Batch)
	}
}

// exportSnarkjs writes batch n's proof, its public input and the verifying
// key in snarkjs's JSON formats, for a Groth16 verifier Keel did not write.
func exportSnarkjs(dir string, vk groth16.VerifyingKey, l *l1view.L1Rollup, n uint64, v *l1view.Verdict) error {
	b := l.Batches[n-1]
	var input vm.Element
	for _, c := range v.Checks {
		if c.Name == "public input" && !c.OK {
			return errors.New("the batch's public input does not recompute; nothing sensible to export")
		}
	}
	input.SetBigInt(b.Commitment)
	p, err := prover.ProofFromSolidity(b.Proof, n, input)
	if err != nil {
		return err
	}
	proofJSON, publicJSON, err := p.ExportJSON()
	if err != nil {
		return err
	}
	vkJSON, err := prover.ExportVerifyingKeyJSON(vk)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for name, data := range map[string][]byte{"vk.json": vkJSON, "proof.json": proofJSON, "public.json": publicJSON} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}
