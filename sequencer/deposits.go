package sequencer

import (
	"errors"
	"fmt"

	"github.com/keel-rollup/keel/vm"
)

// applyQueued applies what waits outside the mempool, in its order:
// the L1 deposits first, then the channel operations without a nonce.
// Called with mu held.
func (s *Sequencer) applyQueued() error {
	if err := s.applyDeposits(); err != nil {
		return err
	}
	return s.applyChannelOps()
}

// applyDeposits moves queued deposits into the open batch, giving each new
// key the next free account index. Called with mu held.
func (s *Sequencer) applyDeposits() error {
	for len(s.deposits) > 0 {
		p := s.deposits[0]
		if err := s.stamp(); err != nil {
			return err
		}
		if p.tx.Type == vm.TxFullExit || p.tx.Type == vm.TxDepositRefund || p.tx.Type == vm.TxForcedChallenge {
			// Always applies (a full exit that cannot be honoured pays
			// nothing; a refund touches no account; a forced challenge
			// that is no valid challenge changes nothing), unless the
			// batch is full.
			err := s.open.Apply(p.tx)
			if errors.Is(err, vm.ErrBatchFull) {
				s.openFull = true
				return nil
			}
			if err != nil {
				return fmt.Errorf("sequencer: %s %d cannot be applied: %w", p.tx.Type, p.tx.PriorityID, err)
			}
			s.deposits = s.deposits[1:]
			if p.tx.Type == vm.TxFullExit {
				if err := s.touch(p.tx.From); err != nil {
					return err
				}
			}
			s.included(p)
			continue
		}
		idx, fresh, err := s.indexFor(p.tx.PubKey)
		if err != nil {
			return err
		}
		if p.tx.To != idx {
			// The hash covers To: re-key the pending entry.
			s.pmu.Lock()
			delete(s.pending, p.tx.Hash())
			p.tx.To = idx
			s.pending[p.tx.Hash()] = p
			s.pmu.Unlock()
		}
		err = s.open.Apply(p.tx)
		if errors.Is(err, vm.ErrBatchFull) {
			s.openFull = true
			return nil
		}
		if err != nil {
			// A deposit the VM refuses (a balance overflowing 2^64 gwei)
			// blocks the queue for good: the contract demands queue order.
			return fmt.Errorf("sequencer: deposit %d cannot be applied: %w", p.tx.PriorityID, err)
		}
		if fresh {
			s.newKeys[p.tx.PubKey] = idx
			s.nextIndex = s.skipOperator(idx + 1)
		}
		s.deposits = s.deposits[1:]
		if err := s.touch(idx); err != nil {
			return err
		}
		s.included(p)
	}
	return nil
}

// indexFor returns the account index of pub, or the index a new account for
// it gets.
func (s *Sequencer) indexFor(pub vm.PublicKey) (uint32, bool, error) {
	if idx, ok := s.newKeys[pub]; ok {
		return idx, false, nil
	}
	if idx, ok, err := getUint(s.db(), keyIndexKey(pub)); err != nil || ok {
		return uint32(idx), false, err
	}
	if pub == s.cfg.OperatorKey {
		return s.cfg.VM.Operator, true, nil
	}
	idx, err := s.freeLeaf()
	return idx, err == nil, err
}

// AddDeposits durably queues L1 priority requests (deposits, full exits,
// forced channel challenges): the next entries of the Rollup contract's queue, as the bridge
// delivers them. Requests already queued or consumed are ignored, so the
// bridge may deliver twice; a gap in the ids is an error (the bridge must
// deliver in order).
func (s *Sequencer) AddDeposits(reqs []vm.PriorityRequest) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var txs []*vm.Tx
	next := s.nextPrio
	for i := range reqs {
		r := &reqs[i]
		if r.ID < next {
			continue
		}
		if r.ID > next {
			return fmt.Errorf("%w: deposit %d arrived before %d", ErrDepositGap, r.ID, next)
		}
		tx := r.Tx(s.cfg.VM.ChainID)
		txs = append(txs, &tx)
		next++
	}
	if len(txs) == 0 {
		return nil
	}
	first, err := s.journal.Append(txs...)
	if err != nil {
		return err
	}
	s.pmu.Lock()
	for i, tx := range txs {
		p := &pendingTx{tx: tx, seq: first + uint64(i), pos: -1}
		s.deposits = append(s.deposits, p)
		s.pending[tx.Hash()] = p
	}
	s.pmu.Unlock()
	s.nextPrio = next
	s.signal()
	return nil
}

// NextPriority is the priority id of the next deposit the sequencer
// expects.
func (s *Sequencer) NextPriority() uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.nextPrio
}
