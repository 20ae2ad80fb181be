package fleet

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestBeatRoundTrip: a beat decodes to itself; each out-of-range field,
// an unknown field, trailing data and an oversize message are refused by
// name.
func TestBeatRoundTrip(t *testing.T) {
	b := Beat{Name: "gpu-1", Concurrency: 4, Busy: 3}
	raw, err := b.Encode()
	require.NoError(t, err)
	got, err := DecodeBeat(raw)
	require.NoError(t, err)
	require.Equal(t, b, got)

	for name, raw := range map[string]string{
		"no name":           `{"name":"","concurrency":1,"busy":0}`,
		"long name":         `{"name":"` + strings.Repeat("w", maxWorkerName+1) + `","concurrency":1,"busy":0}`,
		"no concurrency":    `{"name":"w","concurrency":0,"busy":0}`,
		"huge concurrency":  `{"name":"w","concurrency":1048576,"busy":0}`,
		"negative busy":     `{"name":"w","concurrency":1,"busy":-1}`,
		"busier than it is": `{"name":"w","concurrency":1,"busy":2}`,
		"unknown field":     `{"name":"w","concurrency":1,"busy":0,"admin":true}`,
		"trailing data":     `{"name":"w","concurrency":1,"busy":0}{}`,
		"not json":          `beat`,
		"oversize":          `{"name":"w","concurrency":1,"busy":0,"x":"` + strings.Repeat(" ", maxBeatSize) + `"}`,
	} {
		_, err := DecodeBeat([]byte(raw))
		require.ErrorIs(t, err, ErrBadBeat, name)
	}
	_, err = Beat{Name: "w", Concurrency: 1, Busy: 2}.Encode()
	require.ErrorIs(t, err, ErrBadBeat, "a worker does not send a beat the node refuses")
}

// FuzzDecodeBeat: whatever a peer sends on the beat subject, DecodeBeat
// either refuses it with ErrBadBeat or returns a beat in range that
// encodes and decodes to itself.
func FuzzDecodeBeat(f *testing.F) {
	f.Add([]byte(`{"name":"w","concurrency":2,"busy":1}`))
	f.Add([]byte(`{"name":"","concurrency":0}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		b, err := DecodeBeat(raw)
		if err != nil {
			if !errors.Is(err, ErrBadBeat) {
				t.Fatalf("error not ErrBadBeat: %v", err)
			}
			return
		}
		enc, err := b.Encode()
		if err != nil {
			t.Fatalf("accepted %q but cannot encode it: %v", raw, err)
		}
		again, err := DecodeBeat(enc)
		if err != nil || again != b {
			t.Fatalf("round trip of %+v: %+v, %v", b, again, err)
		}
	})
}

// TestRoster: a worker is listed while it beats or has proofs accepted,
// with its proofs' mean time and its rejected results, and drops off a
// minute after it was last seen.
func TestRoster(t *testing.T) {
	now := time.Unix(1_000_000, 0)
	r := NewRoster()
	r.now = func() time.Time { return now }
	r.Beat(Beat{Name: "b", Concurrency: 2, Busy: 1})
	r.Accepted("a", 2*time.Second)
	r.Accepted("a", 4*time.Second)
	r.Rejected("a")
	r.Rejected("") // a result that did not decode names nobody
	ws := r.Workers()
	require.Len(t, ws, 2)
	require.Equal(t, "a", ws[0].Name)
	require.Equal(t, 2, ws[0].Proofs)
	require.Equal(t, 1, ws[0].Rejected)
	require.Equal(t, 3*time.Second, ws[0].MeanProofTime())
	require.Equal(t, WorkerStatus{Name: "b", LastSeen: now, Concurrency: 2, Busy: 1}, ws[1])

	now = now.Add(40 * time.Second)
	r.Beat(Beat{Name: "b", Concurrency: 2, Busy: 0})
	now = now.Add(30 * time.Second)
	ws = r.Workers()
	require.Len(t, ws, 1, "a was last seen 70 s ago")
	require.Equal(t, "b", ws[0].Name)
	require.Zero(t, ws[0].MeanProofTime())

	now = now.Add(25 * time.Hour)
	r.Beat(Beat{Name: "c", Concurrency: 1})
	r.mu.Lock()
	require.Len(t, r.workers, 1, "workers unseen for a day are forgotten")
	r.mu.Unlock()
}
