package fleet_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/keel-rollup/keel/prover/fleet"
	"github.com/stretchr/testify/require"
)

func sampleResult() fleet.Result {
	proof := bytes.Repeat([]byte{0xab}, fleet.ProofSize)
	return fleet.Result{BatchNumber: 42, CircuitHash: [32]byte{7}, Worker: "worker-a", Took: 4321 * time.Millisecond, Proof: proof}
}

// TestResultEncoding: a result round-trips, and each kind of damage is
// refused with ErrBadResult.
func TestResultEncoding(t *testing.T) {
	r := sampleResult()
	raw, err := r.MarshalBinary()
	require.NoError(t, err)
	var back fleet.Result
	require.NoError(t, back.UnmarshalBinary(raw))
	require.Equal(t, r, back)

	for n := 0; n < len(raw); n++ {
		require.ErrorIs(t, back.UnmarshalBinary(raw[:n]), fleet.ErrBadResult, "cut at %d", n)
	}
	bad := func(at int, b byte) []byte {
		out := append([]byte(nil), raw...)
		out[at] = b
		return out
	}
	for name, in := range map[string][]byte{
		"another magic":    bad(0, 'X'),
		"another version":  bad(4, fleet.ResultVersion+1),
		"empty name":       bad(45, 0),
		"name too long":    bad(45, 200),
		"trailing byte":    append(append([]byte(nil), raw...), 0),
		"name overrunning": bad(45, byte(len(r.Worker)+1)),
	} {
		require.ErrorIs(t, back.UnmarshalBinary(in), fleet.ErrBadResult, name)
	}
	for name, r := range map[string]fleet.Result{
		"no worker":   {Worker: "", Proof: r.Proof},
		"short proof": {Worker: "w", Proof: r.Proof[:100]},
		"long name":   {Worker: string(bytes.Repeat([]byte{'w'}, 65)), Proof: r.Proof},
	} {
		_, err := r.MarshalBinary()
		require.ErrorIs(t, err, fleet.ErrBadResult, name)
	}
}

// FuzzDecodeResult: results come from workers, which may be buggy or
// hostile; any bytes decode or fail cleanly, and what decodes re-encodes
// to the same bytes.
func FuzzDecodeResult(f *testing.F) {
	r := sampleResult()
	raw, err := r.MarshalBinary()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(raw)
	f.Add([]byte("KRES"))
	f.Fuzz(func(t *testing.T, in []byte) {
		var r fleet.Result
		if err := r.UnmarshalBinary(in); err != nil {
			return
		}
		out, err := r.MarshalBinary()
		if err != nil {
			t.Fatalf("a decoded result does not encode: %v", err)
		}
		if !bytes.Equal(in, out) {
			t.Fatalf("a result with two encodings")
		}
	})
}
