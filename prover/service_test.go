package prover

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/keel-rollup/keel/vm"
	"github.com/stretchr/testify/require"
)

// flakyProver fails each batch's first attempt, then returns a stub proof:
// it tests the service's queue handling, not proving (TestServiceProves
// does that with real proofs).
type flakyProver struct {
	mu    sync.Mutex
	tried map[uint64]bool
	order []uint64
}

func (f *flakyProver) Prove(sb *vm.SealedBatch) (*Proof, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := sb.After.BatchNumber
	if !f.tried[n] {
		f.tried[n] = true
		return nil, errors.New("transient failure")
	}
	f.order = append(f.order, n)
	return &Proof{BatchNumber: n}, nil
}

func TestServiceRetriesInOrder(t *testing.T) {
	q := NewMemQueue(8)
	fp := &flakyProver{tried: map[uint64]bool{}}
	s := NewService(fp, q, testLogger(t), nil)
	s.retryDelay = time.Millisecond
	require.NoError(t, s.Start(context.Background()))
	require.ErrorIs(t, s.Start(context.Background()), ErrStarted)
	for n := uint64(1); n <= 3; n++ {
		q.Push(&vm.SealedBatch{After: vm.Meta{BatchNumber: n}})
	}
	for want := uint64(1); want <= 3; want++ {
		select {
		case p := <-q.Proofs():
			require.Equal(t, want, p.BatchNumber, "proofs come in batch order")
		case <-time.After(10 * time.Second):
			t.Fatal("no proof")
		}
		require.Equal(t, 1, q.Failures(want))
	}
	require.NoError(t, s.Stop(context.Background()))
	require.NoError(t, s.Stop(context.Background()), "Stop is idempotent")
}

// slowProver blocks until released.
type slowProver struct{ release chan struct{} }

func (p slowProver) Prove(sb *vm.SealedBatch) (*Proof, error) {
	<-p.release
	return &Proof{BatchNumber: sb.After.BatchNumber}, nil
}

func TestServiceStopHurries(t *testing.T) {
	q := NewMemQueue(1)
	sp := slowProver{release: make(chan struct{})}
	s := NewService(sp, q, testLogger(t), nil)
	require.NoError(t, s.Start(context.Background()))
	q.Push(&vm.SealedBatch{After: vm.Meta{BatchNumber: 1}})
	time.Sleep(50 * time.Millisecond) // let the loop pick it up
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	require.ErrorIs(t, s.Stop(ctx), context.DeadlineExceeded)
	close(sp.release)
	// A patient Stop waits for the proof in flight and delivers it.
	require.NoError(t, s.Stop(context.Background()))
	require.Equal(t, uint64(1), (<-q.Proofs()).BatchNumber)
}

// TestServiceProves runs the service with the real prover.
func TestServiceProves(t *testing.T) {
	if testing.Short() {
		t.Skip("proving; run without -short")
	}
	ccs, err := CompileBatch(proveConfig.Slots, proveConfig.Depth)
	require.NoError(t, err)
	keys, err := DevKeys(context.Background(), testKeyDir(t), ccs, testLogger(t))
	require.NoError(t, err)
	p, err := New(proveConfig, keys)
	require.NoError(t, err)
	q := NewMemQueue(4)
	s := NewService(p, q, testLogger(t), nil)
	require.NoError(t, s.Start(context.Background()))
	batches := twoBatches(t, proveConfig)
	for _, sb := range batches {
		q.Push(sb)
	}
	for _, sb := range batches {
		proof := <-q.Proofs()
		require.Equal(t, sb.After.BatchNumber, proof.BatchNumber)
		require.NoError(t, Verify(keys.VK, proof))
	}
	require.NoError(t, s.Stop(context.Background()))
}
