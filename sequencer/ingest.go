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
		if tx.Sponsored {
			if err := s.touch(tx.Sponsor); err != nil {
				return err
			}
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
//
// Concurrent calls are admitted together (see singleSends): a lone call
// runs at once, and calls that arrive while others are being admitted
// share the next round's signature check and fsync.
func (s *Sequencer) SendTransaction(tx *vm.Tx) (common.Hash, error) {
	return s.singles.send(s, tx)
}

// MaxSendBatch is the most transactions one SendTransactions call takes.
// A call holds all of them in memory until its one synced write, and its
// answer waits for the slowest check, so the bound keeps both small.
const MaxSendBatch = 256

// SendTransactions admits many transactions as SendTransaction admits one,
// and answers each: hashes[i] when errs[i] is nil, which means txs[i] is
// durable and pending. One bad transaction costs the others nothing.
//
// It is cheaper than as many SendTransaction calls: the signatures are
// checked together (vm.PreVerifyBatch), and everything admitted goes to
// the journal in one synced write, so a call of n transfers costs one
// fsync and about a third of n single checks. Transactions of one sender
// are admitted in the order given, so a sender may put consecutive nonces
// in one call.
func (s *Sequencer) SendTransactions(txs []*vm.Tx) (hashes []common.Hash, errs []error) {
	hashes, errs = make([]common.Hash, len(txs)), make([]error, len(txs))
	if len(txs) > MaxSendBatch {
		err := fmt.Errorf("%w: %d transactions in one call, the limit is %d", ErrTooMany, len(txs), MaxSendBatch)
		for i := range errs {
			errs[i] = err
		}
		return hashes, errs
	}
	// Static checks, and the senders' keys and nonces as the open batch has
	// left them. Channel operations have no sender: they go their own way.
	var signed []int
	var pubs []vm.PublicKey
	nonces := make([]uint32, len(txs))
	for i, tx := range txs {
		if errs[i] = s.admissible(tx); errs[i] != nil {
			continue
		}
		if !tx.Type.IsSigned() {
			hashes[i], errs[i] = s.queueChannelOp(tx)
			continue
		}
		pub, nonce, err := s.senderView(tx.From)
		if err != nil {
			errs[i] = err
			continue
		}
		signed, pubs, nonces[i] = append(signed, i), append(pubs, pub), nonce
	}
	batch := make([]*vm.Tx, len(signed))
	for k, i := range signed {
		batch[k] = txs[i]
	}
	verdicts := vm.PreVerifyBatch(batch, pubs)
	if len(batch) > 0 {
		bad := 0
		for _, err := range verdicts {
			if err != nil {
				bad++
			}
		}
		s.metrics.AdmissionChecked(len(batch), bad)
	}

	// Pool what verified, in order, then journal it all at once.
	admitted := make([]admission, 0, len(signed))
	at := make([]int, 0, len(signed))
	for k, i := range signed {
		if errs[i] = verdicts[k]; errs[i] != nil {
			continue
		}
		var sponsorBalance *uint64
		if txs[i].Sponsored {
			balance, err := s.admitSponsored(txs[i])
			if err != nil {
				errs[i] = err
				continue
			}
			sponsorBalance = &balance
		}
		p, err := s.pool1(txs[i], nonces[i], sponsorBalance)
		if err != nil {
			errs[i] = err
			continue
		}
		hashes[i] = p.hash
		admitted, at = append(admitted, p), append(at, i)
	}
	if len(admitted) == 0 {
		return hashes, errs
	}
	entries := make([]*vm.Tx, len(admitted))
	for k, p := range admitted {
		entries[k] = p.tx
	}
	first, err := s.journal.Append(entries...)
	if err != nil {
		for k, p := range admitted {
			s.unpool(p)
			hashes[at[k]], errs[at[k]] = common.Hash{}, err
		}
		return hashes, errs
	}
	s.pmu.Lock()
	for k, p := range admitted {
		p.seq, p.admitting = first+uint64(k), false
	}
	s.pmu.Unlock()
	for _, p := range admitted {
		s.metrics.TxAccepted()
		s.txSubs.send(TxEvent{Receipt{Hash: p.hash, Type: p.tx.Type, Status: TxPending}})
	}
	s.signal()
	return hashes, errs
}

// admissible runs the checks that need no state: the type, the chain and
// ranges, and whether the sequencer still runs.
func (s *Sequencer) admissible(tx *vm.Tx) error {
	if tx == nil {
		return fmt.Errorf("%w: missing transaction", vm.ErrMalformed)
	}
	if !tx.Type.IsSigned() && !tx.Type.IsChannel() {
		return fmt.Errorf("%w: %s", ErrTxType, tx.Type)
	}
	if err := tx.CheckStatic(s.cfg.VM.ChainID, s.cfg.VM.Depth); err != nil {
		return err
	}
	if s.haltedFlag.Load() {
		return fmt.Errorf("%w: %v", ErrHalted, s.Err())
	}
	return nil
}

// admission is a transaction between the pool and its journal write.
type admission struct {
	*pendingTx
	hash common.Hash
}

// pool1 registers a verified transaction as pending and pools it. Pending
// comes first, so that the loop finds it as soon as the pool offers it;
// its journal sequence number comes after the write, and until then a
// lower bound keeps truncation from dropping it. A sponsored transaction
// comes with its sponsor's balance, which must also pay the fees the
// pool already holds for that sponsor.
func (s *Sequencer) pool1(tx *vm.Tx, nonce uint32, sponsorBalance *uint64) (admission, error) {
	h := tx.Hash()
	p := &pendingTx{tx: tx, seq: s.journal.nextSeq(), pos: -1, admitting: true}
	s.pmu.Lock()
	if _, dup := s.pending[h]; dup {
		s.pmu.Unlock()
		return admission{}, fmt.Errorf("%w: %s", ErrAlreadyKnown, h)
	}
	s.pending[h] = p
	s.pmu.Unlock()
	var err error
	if sponsorBalance != nil {
		err = s.pool.AddSponsored(tx, nonce, *sponsorBalance)
	} else {
		err = s.pool.Add(tx, nonce)
	}
	if err != nil {
		s.pmu.Lock()
		delete(s.pending, h)
		s.pmu.Unlock()
		return admission{}, err
	}
	return admission{p, h}, nil
}

// unpool takes back a transaction whose journal write failed: it was
// never acknowledged. If the loop already put it in the open batch it
// stays there, and the seal makes it durable.
func (s *Sequencer) unpool(a admission) {
	s.pool.Drop(a.tx)
	s.pmu.Lock()
	if a.pos < 0 {
		delete(s.pending, a.hash)
	}
	s.pmu.Unlock()
}

// senderView returns the key and next nonce of the account at index as
// the open batch has left it (accountView).
func (s *Sequencer) senderView(index uint32) (vm.PublicKey, uint32, error) {
	a, err := s.accountView(index, "sender")
	return a.pub, a.nonce, err
}

// accountView returns the account at index as the open batch has left it,
// without taking mu: from soft when the open batch touched it, else from
// the committed state. role names the account in the error for one that
// does not exist.
func (s *Sequencer) accountView(index uint32, role string) (softAccount, error) {
	s.kmu.Lock()
	a, ok := s.soft[index]
	s.kmu.Unlock()
	if ok {
		return a, nil
	}
	head, err := s.state.Head()
	if err != nil {
		return softAccount{}, err
	}
	leaf, found, err := s.state.ReaderAt(head.BatchNumber).Leaf(uint64(index))
	if err != nil {
		return softAccount{}, err
	}
	if !found || leaf.Kind != vm.KindAccount {
		// Perhaps created by a deposit in the open batch a moment ago.
		s.kmu.Lock()
		a, ok = s.soft[index]
		s.kmu.Unlock()
		if ok {
			return a, nil
		}
		return softAccount{}, fmt.Errorf("%w: %s %d", vm.ErrUnknownAccount, role, index)
	}
	return softAccount{pub: leaf.PubKey, nonce: leaf.Nonce, balance: leaf.Balance}, nil
}
