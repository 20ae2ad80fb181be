package sequencer_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestSequencerHoldsSealWhileProversBusy: while HoldSeal answers true, a
// batch past its timeout keeps filling instead of sealing; it seals as
// soon as the hold lifts, once MaxHold has passed whatever the hold says,
// and at once when it is full.
func TestSequencerHoldsSealWhileProversBusy(t *testing.T) {
	h := newHarness(t, nil, t.TempDir())
	h.fund(1_000_000)
	require.NoError(t, h.seq.Stop(context.Background()))
	busy := true
	h.cfg.HoldSeal = func() bool { return busy }
	h.open()
	defer h.seq.Stop(context.Background())
	sealed := func() uint64 { s, _, _ := h.seq.Heads(); return s }
	start := sealed()

	_, err := h.transfer(h.users[0], h.users[1], 10)
	require.NoError(t, err)
	require.NoError(t, h.seq.Step())
	h.clock.Advance(h.cfg.BatchTimeout + time.Millisecond)
	require.NoError(t, h.seq.Step())
	require.Equal(t, start, sealed(), "held past its timeout while the provers are busy")
	_, err = h.transfer(h.users[1], h.users[2], 10)
	require.NoError(t, err)
	require.NoError(t, h.seq.Step())
	require.Equal(t, start, sealed(), "the held batch takes more transactions")
	busy = false
	require.NoError(t, h.seq.Step())
	require.Equal(t, start+1, sealed(), "sealed once a prover is free")
	sb, err := h.seq.SealedBatch(start + 1)
	require.NoError(t, err)
	require.Len(t, sb.Txs, 2, "both transfers in one batch")

	busy = true
	_, err = h.transfer(h.users[0], h.users[1], 10)
	require.NoError(t, err)
	require.NoError(t, h.seq.Step())
	h.clock.Advance(h.cfg.BatchTimeout + 4*h.cfg.BatchTimeout - time.Millisecond)
	require.NoError(t, h.seq.Step())
	require.Equal(t, start+1, sealed(), "still within MaxHold (4 × the timeout by default)")
	h.clock.Advance(time.Millisecond)
	require.NoError(t, h.seq.Step())
	require.Equal(t, start+2, sealed(), "MaxHold bounds the hold")

	// A full batch seals whatever the hold says: 8 slots hold 7 transfers
	// and the fee payout.
	for i := range 7 {
		_, err := h.transfer(h.users[i%3], h.users[(i+1)%3], 10)
		require.NoError(t, err)
	}
	require.NoError(t, h.seq.Step())
	require.Equal(t, start+3, sealed(), "a full batch is never held")
}
