package prover

import (
	"testing"

	"github.com/keel-rollup/keel/vm"
)

// FuzzProofFromSolidity: arbitrary bytes as an L1 proof parse to an error
// or to a proof whose encoding is the same bytes, never a panic.
func FuzzProofFromSolidity(f *testing.F) {
	f.Add(make([]byte, 256))
	f.Add([]byte{1, 2, 3})
	f.Fuzz(func(t *testing.T, raw []byte) {
		p, err := ProofFromSolidity(raw, 1, vm.Element{})
		if err != nil {
			return
		}
		again, err := p.SolidityBytes()
		if err != nil || string(again) != string(raw) {
			t.Fatalf("a parsed proof re-encodes differently")
		}
	})
}
