package statechan

import (
	"errors"
	"testing"

	"github.com/keel-rollup/keel/vm"
)

// FuzzStoreRecords feeds the channel store's record decoders what a
// damaged database could hold: each returns ErrCorrupt or a record that
// encodes back to the same bytes, and none panics.
func FuzzStoreRecords(f *testing.F) {
	a, b := testKey(f, "fuzz a"), testKey(f, "fuzz b")
	p := Params{ChainID: 7, ChannelID: 9, A: a.Public(), B: b.Public(), InitialA: 10, InitialB: 5}
	f.Add(encodeParams(p))
	st := vm.ChannelState{ChainID: 7, ChannelID: 9, Version: 3, BalanceA: 8, BalanceB: 7}
	f.Add(encodeSigned(&SignedState{State: st}))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, v []byte) {
		if p, err := decodeParams(v); err == nil {
			if string(encodeParams(p)) != string(v) {
				t.Fatalf("params do not round-trip")
			}
		} else if !errors.Is(err, ErrCorrupt) {
			t.Fatalf("params: %v is not ErrCorrupt", err)
		}
		if s, err := decodeSigned(v); err == nil {
			if string(encodeSigned(&s)) != string(v) {
				t.Fatalf("signed state does not round-trip")
			}
		} else if !errors.Is(err, ErrCorrupt) {
			t.Fatalf("signed state: %v is not ErrCorrupt", err)
		}
	})
}
