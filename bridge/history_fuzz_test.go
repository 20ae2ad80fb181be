package bridge

import (
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/keel-rollup/keel/l1contracts"
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

func FuzzDecodeFullExitLog(f *testing.F) {
	ev := rollupABI.GetABI().Events[l1contracts.RollupFullExitRequestedEventName]
	data, err := ev.Inputs.NonIndexed().Pack(uint32(7), common.HexToAddress("0xb0b"), big.NewInt(1), big.NewInt(2), big.NewInt(3), big.NewInt(4))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data, uint64(3), uint32(1))
	f.Add([]byte{}, uint64(0), uint32(0))
	f.Fuzz(func(t *testing.T, data []byte, index uint64, account uint32) {
		log := &types.Log{Topics: []common.Hash{ev.ID, common.BigToHash(new(big.Int).SetUint64(index)), common.BigToHash(big.NewInt(int64(account)))}, Data: data}
		d, err := DecodeFullExitLog(log)
		if err != nil {
			return
		}
		if !d.IsFullExit() || d.To == (common.Address{}) {
			t.Fatalf("accepted a full exit without a recipient")
		}
		rx, ry, _ := d.Sig.Parts()
		if rx.BigInt(new(big.Int)).Cmp(new(big.Int).SetBytes(data[32:64])) != 0 || ry.BigInt(new(big.Int)).Cmp(new(big.Int).SetBytes(data[64:96])) != 0 {
			t.Fatalf("R does not round-trip")
		}
	})
}
