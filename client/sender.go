package client

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/ethereum/go-ethereum/common"
	"github.com/keel-rollup/keel/vm"
)

// MaxSendBatch is the most transactions one keel_sendTransactions call may
// carry; the node refuses more (sequencer.MaxSendBatch).
const MaxSendBatch = 256

// ErrSenderClosed is what Send answers after Close.
var ErrSenderClosed = errors.New("client: sender closed")

// SenderOptions tune a Sender; the zero value is the default.
type SenderOptions struct {
	// MaxBatch is the most transactions per call, at most MaxSendBatch
	// (the default).
	MaxBatch int
	// MaxInFlight is how many calls may be on the wire at once (default 2:
	// one being answered while the next fills).
	MaxInFlight int
}

// Sender groups concurrent sends into keel_sendTransactions calls. Each
// Send returns what keel_sendTransaction would: the hash once the node has
// the transaction durably, or its error (a *SendError, an rpc.Error, for a
// refusal). Nothing waits for a batch to fill: a send goes at once when a
// call slot is free, and the sends that arrive while calls are in flight
// share the next call. Under load, calls grow to MaxBatch and the node
// checks their signatures together and journals them with one fsync,
// which is several times cheaper than single calls.
//
// A Sender is safe for concurrent use. Transactions of one account should
// be sent in nonce order from one goroutine, as with single sends: a call
// keeps the order of the sends it groups, and the node admits a call's
// transactions in order.
type Sender struct {
	c           *Client
	maxBatch    int
	maxInFlight int

	mu       sync.Mutex
	waiting  []*sendRequest
	inFlight int
	closed   bool
	done     sync.WaitGroup
}

type sendRequest struct {
	tx    *vm.Tx
	reply chan sendReply // buffered: the flusher never blocks on it
}

type sendReply struct {
	hash common.Hash
	err  error
}

// NewSender returns a Sender that sends through c.
func NewSender(c *Client, opts SenderOptions) (*Sender, error) {
	switch {
	case opts.MaxBatch < 0 || opts.MaxBatch > MaxSendBatch:
		return nil, fmt.Errorf("client: sender batch of %d: want 1 to %d", opts.MaxBatch, MaxSendBatch)
	case opts.MaxInFlight < 0:
		return nil, fmt.Errorf("client: sender with %d calls in flight: want at least 1", opts.MaxInFlight)
	}
	s := &Sender{c: c, maxBatch: opts.MaxBatch, maxInFlight: opts.MaxInFlight}
	if s.maxBatch == 0 {
		s.maxBatch = MaxSendBatch
	}
	if s.maxInFlight == 0 {
		s.maxInFlight = 2
	}
	return s, nil
}

// Send submits tx and waits for the node's answer. If ctx ends first, a
// transaction not yet on the wire is withdrawn; one already sent may still
// be admitted, so follow its hash (tx.Hash()) before re-sending.
func (s *Sender) Send(ctx context.Context, tx *vm.Tx) (common.Hash, error) {
	if tx == nil {
		return common.Hash{}, fmt.Errorf("client: send: %w: missing transaction", vm.ErrMalformed)
	}
	req := &sendRequest{tx: tx, reply: make(chan sendReply, 1)}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return common.Hash{}, ErrSenderClosed
	}
	s.waiting = append(s.waiting, req)
	if s.inFlight < s.maxInFlight {
		s.inFlight++
		s.done.Add(1)
		go s.flush()
	}
	s.mu.Unlock()
	select {
	case r := <-req.reply:
		return r.hash, r.err
	case <-ctx.Done():
		s.mu.Lock()
		for i, w := range s.waiting {
			if w == req {
				s.waiting = append(s.waiting[:i], s.waiting[i+1:]...)
				s.mu.Unlock()
				return common.Hash{}, ctx.Err()
			}
		}
		s.mu.Unlock()
		return common.Hash{}, fmt.Errorf("%w (transaction %s was already sent; follow its receipt)", ctx.Err(), tx.Hash())
	}
}

// Waiting is how many sends wait for a call slot: the Sender's backlog.
func (s *Sender) Waiting() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.waiting)
}

// flush sends what is waiting, a call at a time, until nothing is.
func (s *Sender) flush() {
	defer s.done.Done()
	for {
		s.mu.Lock()
		n := min(len(s.waiting), s.maxBatch)
		if n == 0 {
			s.inFlight--
			s.mu.Unlock()
			return
		}
		batch := append([]*sendRequest(nil), s.waiting[:n]...)
		s.waiting = s.waiting[n:]
		s.mu.Unlock()
		s.call(batch)
	}
}

func (s *Sender) call(batch []*sendRequest) {
	txs := make([]*vm.Tx, len(batch))
	for i, r := range batch {
		txs[i] = r.tx
	}
	results, err := s.c.SendTransactions(context.Background(), txs)
	for i, r := range batch {
		switch {
		case err != nil:
			r.reply <- sendReply{err: err}
		case results[i].Error != nil:
			r.reply <- sendReply{err: results[i].Error}
		case results[i].Hash == nil:
			r.reply <- sendReply{err: fmt.Errorf("%w: %s answered neither a hash nor an error for transaction %d", ErrNotKeel, s.c.where(), i)}
		default:
			r.reply <- sendReply{hash: *results[i].Hash}
		}
	}
}

// Close refuses further sends and waits for the calls in flight; the sends
// still waiting are answered first.
func (s *Sender) Close() {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.done.Wait()
}
