package sequencer

import (
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/keel-rollup/keel/vm"
)

// FuzzDecodeBatch feeds the batch-record decoder arbitrary bytes, as a
// damaged journal would: it must return an error wrapping ErrCorrupt or a
// record that encodes back to an equivalent one, and never panic.
func FuzzDecodeBatch(f *testing.F) {
	rec := &BatchRecord{Number: 3, Status: BatchProven, Before: vm.GenesisMeta(4), After: vm.GenesisMeta(4),
		PublicData: make([]byte, 24), Withdrawals: []vm.Withdrawal{{Account: 1, To: common.Address{1}, Amount: 9}},
		Proof: []byte{1, 2}, L1Tx: common.Hash{7}}
	enc, err := encodeBatch(rec)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(enc)
	f.Add([]byte(`{"n":1,"s":1,"b":"","a":""}`))
	f.Add([]byte(`{}`))
	f.Add([]byte(`[`))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := decodeBatch(b)
		if err != nil {
			return
		}
		enc, err := encodeBatch(r)
		if err != nil {
			t.Fatalf("decoded record does not encode: %v", err)
		}
		again, err := decodeBatch(enc)
		if err != nil {
			t.Fatalf("re-encoded record does not decode: %v", err)
		}
		if again.Number != r.Number || again.After != r.After || len(again.Txs) != len(r.Txs) {
			t.Fatalf("round trip changed the record")
		}
	})
}

// FuzzDecodeMeta: the state store's batch metadata decoder, fed what a
// damaged database could hold, errs or round-trips, and never panics.
func FuzzDecodeMeta(f *testing.F) {
	m := vm.GenesisMeta(4)
	m.BatchNumber, m.PriorityCount, m.Timestamp = 7, 3, 1_700_000_000
	f.Add(encodeMeta(&m))
	f.Add(make([]byte, metaLen))
	f.Add([]byte{1})
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := decodeMeta(b)
		if err != nil {
			return
		}
		if string(encodeMeta(&m)) != string(b) {
			t.Fatalf("meta does not round-trip")
		}
	})
}
