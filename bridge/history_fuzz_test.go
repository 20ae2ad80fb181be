package bridge

import (
	"math/big"
	"testing"
)

// FuzzDecodeCommitBatch feeds the calldata decoder arbitrary bytes: an
// error or a decoded call that packs back to the same calldata, never a
// panic.
func FuzzDecodeCommitBatch(f *testing.F) {
	f.Add(rollupABI.PackCommitBatch(big.NewInt(7), 3, 1_700_000_000, make([]byte, 24), make([]byte, 256)))
	f.Add(rollupABI.PackCommitBatch(new(big.Int), 0, 0, nil, nil))
	f.Add([]byte{0x01, 0x02})
	f.Fuzz(func(t *testing.T, data []byte) {
		in, err := DecodeCommitBatch(data)
		if err != nil {
			return
		}
		again, err := DecodeCommitBatch(rollupABI.PackCommitBatch(in.NewRoot, in.PrioConsumed, in.Timestamp, in.PublicData, in.Proof))
		if err != nil {
			t.Fatalf("re-packed call does not decode: %v", err)
		}
		if again.NewRoot.Cmp(in.NewRoot) != 0 || again.Timestamp != in.Timestamp || string(again.PublicData) != string(in.PublicData) || string(again.Proof) != string(in.Proof) {
			t.Fatalf("round trip changed the call")
		}
	})
}
