package client_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/keel-rollup/keel/client"
	"github.com/keel-rollup/keel/vm"
	"github.com/stretchr/testify/require"
)

// batchNode serves keel_sendTransactions: it refuses odd amounts, records
// each call's size, and holds calls while gate is closed.
type batchNode struct {
	mu    sync.Mutex
	calls []int
	seen  []uint64 // amounts in arrival order
	gate  chan struct{}
	// entered, when set, hears the size of the first call to reach the
	// node (later ones find it full).
	entered chan int
}

func (b *batchNode) SendTransactions(ctx context.Context, txs []*vm.Tx) ([]client.SendResult, error) {
	if b.entered != nil {
		select {
		case b.entered <- len(txs):
		default:
		}
	}
	<-b.gate
	b.mu.Lock()
	b.calls = append(b.calls, len(txs))
	out := make([]client.SendResult, len(txs))
	for i, tx := range txs {
		b.seen = append(b.seen, tx.Amount)
		if tx.Amount%2 == 1 {
			out[i].Error = &client.SendError{Code: -32003, Message: fmt.Sprintf("odd amount %d", tx.Amount)}
			continue
		}
		h := tx.Hash()
		out[i].Hash = &h
	}
	b.mu.Unlock()
	return out, nil
}

func dialBatchNode(t *testing.T, b *batchNode) *client.Client {
	srv := rpc.NewServer()
	require.NoError(t, srv.RegisterName("keel", b))
	t.Cleanup(srv.Stop)
	return client.NewClient(rpc.DialInProc(srv))
}

// TestSenderGroupsConcurrentSends: sends that arrive while calls are in
// flight share the next call, each gets its own answer, and the order of
// one goroutine's sends is kept.
func TestSenderGroupsConcurrentSends(t *testing.T) {
	b := &batchNode{gate: make(chan struct{}), entered: make(chan int, 1)}
	s, err := client.NewSender(dialBatchNode(t, b), client.SenderOptions{MaxBatch: 32, MaxInFlight: 1})
	require.NoError(t, err)
	ctx := context.Background()

	const senders, each = 10, 20
	var wg sync.WaitGroup
	errs := make([][]error, senders)
	hashes := make([][]common.Hash, senders)
	for g := range senders {
		wg.Go(func() {
			for j := range each {
				tx := &vm.Tx{Type: vm.TxTransfer, ChainID: 1, From: uint32(g), Nonce: uint32(j), Amount: uint64(1000*g + j)}
				h, err := s.Send(ctx, tx)
				hashes[g] = append(hashes[g], h)
				errs[g] = append(errs[g], err)
				if err == nil {
					require.Equal(t, tx.Hash(), h)
				}
			}
		})
	}
	// The first call is held at the node; every other sender's first send
	// queues behind it.
	first := <-b.entered
	require.Eventually(t, func() bool { return s.Waiting() == senders-first }, 5*time.Second, time.Millisecond)
	close(b.gate)
	wg.Wait()
	s.Close()

	for g := range senders {
		for j := range each {
			amount := 1000*g + j
			if amount%2 == 1 {
				var rerr rpc.Error
				require.ErrorAs(t, errs[g][j], &rerr, "sender %d send %d", g, j)
				require.Equal(t, -32003, rerr.ErrorCode())
				require.ErrorContains(t, errs[g][j], fmt.Sprintf("odd amount %d", amount))
				require.Zero(t, hashes[g][j])
			} else {
				require.NoError(t, errs[g][j], "sender %d send %d", g, j)
			}
		}
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	total := 0
	for _, n := range b.calls {
		require.LessOrEqual(t, n, 32, "a call over MaxBatch")
		total += n
	}
	require.Equal(t, senders*each, total)
	// One call per send would be 200; grouping makes it a fraction (a call
	// that returns is often followed by one for the single send that was
	// quickest to come back, then one for the rest).
	require.Less(t, len(b.calls), senders*each/2, "sends were not grouped: %v", b.calls)
	require.Equal(t, first, b.calls[0])
	require.GreaterOrEqual(t, b.calls[1], senders-first, "the sends queued behind the held call go together: %v", b.calls)
	// Each goroutine's sends reached the node in order.
	last := map[int]int{}
	for _, a := range b.seen {
		g, j := int(a)/1000, int(a)%1000
		if prev, ok := last[g]; ok {
			require.Greater(t, j, prev, "sender %d out of order", g)
		}
		last[g] = j
	}
}

// TestSenderWithdrawsOnCancel: a send whose context ends before it is on
// the wire never reaches the node; a closed Sender refuses.
func TestSenderWithdrawsOnCancel(t *testing.T) {
	b := &batchNode{gate: make(chan struct{}), entered: make(chan int, 1)}
	s, err := client.NewSender(dialBatchNode(t, b), client.SenderOptions{MaxInFlight: 1})
	require.NoError(t, err)
	first := make(chan error, 1)
	go func() {
		_, err := s.Send(context.Background(), &vm.Tx{Type: vm.TxTransfer, Amount: 2})
		first <- err
	}()
	<-b.entered // the first call is on the wire, held at the gate
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, err = s.Send(ctx, &vm.Tx{Type: vm.TxTransfer, Amount: 4})
	require.ErrorIs(t, err, context.DeadlineExceeded)
	close(b.gate)
	require.NoError(t, <-first)
	s.Close()
	require.Equal(t, []uint64{2}, b.seen, "the withdrawn send reached the node")
	_, err = s.Send(context.Background(), &vm.Tx{Type: vm.TxTransfer, Amount: 6})
	require.True(t, errors.Is(err, client.ErrSenderClosed))

	_, err = client.NewSender(nil, client.SenderOptions{MaxBatch: 300})
	require.ErrorContains(t, err, "want 1 to 256")
}
