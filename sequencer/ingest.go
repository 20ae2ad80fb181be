package sequencer

import (
	"errors"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/keel-rollup/keel/vm"
)

// applyPooled is Fill's apply: one pooled transaction into the open batch.
//
// A channel open gets its leaf here, the next free one, on a copy: the
// pool's transaction is shared with the admission path (which may still be
// journaling it) and must not change. The copy's signature is checked
// again by Apply (PreVerify's mark covers the transaction as it was
// verified, leaf included), which costs one check per open, a rare type.
func (s *Sequencer) applyPooled(tx *vm.Tx) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.stamp(); err != nil {
		return err
	}
	h := tx.Hash()
	applied := tx
	if tx.Type == vm.TxChanOpen {
		leaf, err := s.freeLeaf()
		if err != nil {
			s.reject(h, tx.Type, err)
			return err
		}
		c := *tx
		c.Channel = leaf
		applied = &c
	}
	err := s.open.Apply(applied)
	switch {
	case err == nil:
		if applied.Type == vm.TxChanOpen {
			s.nextIndex = s.skipOperator(applied.Channel + 1)
		}
		if err := s.touch(tx.From); err != nil {
			return err
		}
		s.pmu.Lock()
		p, ok := s.pending[h]
		if ok {
			p.tx = applied // an open's receipt tells its leaf
		}
		s.pmu.Unlock()
		if ok {
			s.included(p)
		}
	case errors.Is(err, vm.ErrBatchFull):
		s.openFull = true
	case vm.IsRejection(err):
		s.reject(h, tx.Type, err)
	}
	return err
}

// SendTransaction admits a transaction a user sends, writes it to the
// journal with a synced write, and returns only then. An error says what
// was wrong; a nil error means the transaction is durable and pending.
//
// Transfers, withdrawals and channel opens are signed by their sender with
// its nonce: they are checked against the soft-confirmed state (chain,
// ranges, signature, nonce, fee, pool limits) and pooled. An open's leaf
// (tx.Channel) is the sequencer's to choose: whatever the sender put there
// is replaced by the next free leaf when the open executes, and the
// receipt tells it.
//
// Channel closes, disputes, challenges and finalizes have no sender and
// no nonce: they are checked statically (the signatures of the channel
// state are checked when they execute, against the parties' keys in the
// state of that moment) and queued first come first served, to be
// applied after the L1 deposits and before the pool.
func (s *Sequencer) SendTransaction(tx *vm.Tx) (common.Hash, error) {
	if !tx.Type.IsSigned() && !tx.Type.IsChannel() {
		return common.Hash{}, fmt.Errorf("%w: %s", ErrTxType, tx.Type)
	}
	if err := tx.CheckStatic(s.cfg.VM.ChainID, s.cfg.VM.Depth); err != nil {
		return common.Hash{}, err
	}
	if s.haltedFlag.Load() {
		return common.Hash{}, fmt.Errorf("%w: %v", ErrHalted, s.Err())
	}
	if !tx.Type.IsSigned() {
		return s.queueChannelOp(tx)
	}
	pub, nonce, err := s.senderView(tx.From)
	if err != nil {
		return common.Hash{}, err
	}
	if err := tx.PreVerify(pub); err != nil {
		return common.Hash{}, err
	}
	h := tx.Hash()
	// Register before the pool can offer it to the loop, so that the loop
	// finds it; its journal sequence number comes after the write, and
	// until then a lower bound keeps truncation from dropping it.
	p := &pendingTx{tx: tx, seq: s.journal.nextSeq(), pos: -1, admitting: true}
	s.pmu.Lock()
	if _, dup := s.pending[h]; dup {
		s.pmu.Unlock()
		return common.Hash{}, fmt.Errorf("%w: %s", ErrAlreadyKnown, h)
	}
	s.pending[h] = p
	s.pmu.Unlock()
	if err := s.pool.Add(tx, nonce); err != nil {
		s.pmu.Lock()
		delete(s.pending, h)
		s.pmu.Unlock()
		return common.Hash{}, err
	}
	seq, err := s.journal.Append(tx)
	s.pmu.Lock()
	if err != nil {
		s.pmu.Unlock()
		s.pool.Drop(tx)
		s.pmu.Lock()
		if p.pos < 0 {
			delete(s.pending, h)
		}
		s.pmu.Unlock()
		return common.Hash{}, err
	}
	p.seq, p.admitting = seq, false
	s.pmu.Unlock()
	s.metrics.TxAccepted()
	s.txSubs.send(TxEvent{Receipt{Hash: h, Type: tx.Type, Status: TxPending}})
	s.signal()
	return h, nil
}

// senderView returns the key and next nonce of the account at index as
// the open batch has left it, without taking mu: from soft when the open
// batch touched it, else from the committed state.
func (s *Sequencer) senderView(index uint32) (vm.PublicKey, uint32, error) {
	s.kmu.Lock()
	a, ok := s.soft[index]
	s.kmu.Unlock()
	if ok {
		return a.pub, a.nonce, nil
	}
	head, err := s.state.Head()
	if err != nil {
		return vm.PublicKey{}, 0, err
	}
	leaf, found, err := s.state.ReaderAt(head.BatchNumber).Leaf(uint64(index))
	if err != nil {
		return vm.PublicKey{}, 0, err
	}
	if !found || leaf.Kind != vm.KindAccount {
		// Perhaps created by a deposit in the open batch a moment ago.
		s.kmu.Lock()
		a, ok = s.soft[index]
		s.kmu.Unlock()
		if ok {
			return a.pub, a.nonce, nil
		}
		return vm.PublicKey{}, 0, fmt.Errorf("%w: sender %d", vm.ErrUnknownAccount, index)
	}
	return leaf.PubKey, leaf.Nonce, nil
}
