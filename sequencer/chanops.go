package sequencer

import (
	"errors"
	"fmt"

	"github.com/cockroachdb/pebble/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/keel-rollup/keel/vm"
)

// applyChannelOps moves queued channel closes, disputes, challenges and
// finalizes into the open batch, first come first applied. One the VM
// refuses is rejected like a pooled transaction; one that does not fit
// waits, with everything behind it, for the next batch (every channel
// operation takes the same two slots, so nothing behind it would fit
// either). Called with mu held.
func (s *Sequencer) applyChannelOps() error {
	for {
		s.pmu.Lock()
		if len(s.chanOps) == 0 {
			s.pmu.Unlock()
			return nil
		}
		p := s.chanOps[0]
		if s.cfg.Censor != nil && s.cfg.Censor(p.tx) {
			// Left pending for good (see Config.Censor).
			s.chanOps[0] = nil
			s.chanOps = s.chanOps[1:]
			s.chanCount--
			s.pmu.Unlock()
			continue
		}
		s.pmu.Unlock()
		if err := s.stamp(); err != nil {
			return err
		}
		err := s.open.Apply(p.tx)
		if errors.Is(err, vm.ErrBatchFull) {
			s.openFull = true
			return nil
		}
		if err != nil && !vm.IsRejection(err) {
			return fmt.Errorf("sequencer: channel operation %s: %w", p.tx.Hash(), err)
		}
		s.pmu.Lock()
		s.chanOps[0] = nil
		s.chanOps = s.chanOps[1:]
		s.chanCount--
		s.pmu.Unlock()
		if err != nil {
			s.reject(p.tx.Hash(), p.tx.Type, err)
			continue
		}
		s.included(p)
	}
}

// QueuedChannelOps is how many channel operations without a nonce wait
// in their queue.
func (s *Sequencer) QueuedChannelOps() int {
	s.pmu.Lock()
	defer s.pmu.Unlock()
	return len(s.chanOps)
}

// queueChannelOp admits a channel operation without a nonce: it is
// registered as pending (so that a duplicate is refused and journal
// truncation keeps its entry), journaled with a synced write, and only
// then queued, so the loop never applies what is not yet durable.
func (s *Sequencer) queueChannelOp(tx *vm.Tx) (common.Hash, error) {
	h := tx.Hash()
	// Without a nonce nothing else stops a copy of an executed operation
	// from coming back; the VM would refuse it, but refusing it here says
	// so at once. (A rejected one may come back: a finalize sent before
	// the deadline is the same transaction after it.)
	sealed, err := s.sealedTx(h)
	if err != nil {
		return common.Hash{}, err
	}
	if sealed {
		return common.Hash{}, fmt.Errorf("%w: %s is in a sealed batch", ErrAlreadyKnown, h)
	}
	if err := s.checkChannelSigs(tx); err != nil {
		return common.Hash{}, err
	}
	p := &pendingTx{tx: tx, seq: s.journal.nextSeq(), pos: -1, admitting: true}
	s.pmu.Lock()
	if _, dup := s.pending[h]; dup {
		s.pmu.Unlock()
		return common.Hash{}, fmt.Errorf("%w: %s is pending", ErrAlreadyKnown, h)
	}
	if s.chanCount >= s.cfg.MaxChannelOps {
		s.pmu.Unlock()
		return common.Hash{}, fmt.Errorf("%w: %d waiting; retry after the next batch", ErrChannelQueueFull, s.cfg.MaxChannelOps)
	}
	s.pending[h] = p
	s.chanCount++
	s.pmu.Unlock()
	seq, err := s.journal.Append(tx)
	s.pmu.Lock()
	if err != nil {
		delete(s.pending, h)
		s.chanCount--
		s.pmu.Unlock()
		return common.Hash{}, err
	}
	p.seq, p.admitting = seq, false
	s.chanOps = append(s.chanOps, p)
	s.pmu.Unlock()
	s.metrics.TxAccepted()
	r := Receipt{Hash: h, Type: tx.Type, Status: TxPending}
	r.describe(tx)
	s.txSubs.send(TxEvent{r})
	s.signal()
	return h, nil
}

// checkChannelSigs refuses at the door a close, dispute or challenge whose
// state the channel's parties did not sign. These operations pay no fee,
// so without the check anyone could fill their queue with junk and delay
// the real ones, a watcher's challenge among them. It reads the channel
// and the parties' keys as the last sealed batch left them (keys never
// change, and the sequencer never reuses a leaf); a channel opened in the
// open batch is not there yet, and the executor judges those.
func (s *Sequencer) checkChannelSigs(tx *vm.Tx) error {
	if tx.Type == vm.TxChanFinalize {
		return nil
	}
	ch, found, _, err := s.Channel(tx.Channel)
	if err != nil || !found {
		return err
	}
	st := tx.ChannelState(ch.ID())
	for _, p := range []struct {
		index uint32
		sig   vm.Signature
		name  string
	}{{ch.A, tx.Sig, "A"}, {ch.B, tx.SigB, "B"}} {
		if p.sig == (vm.Signature{}) && tx.Type == vm.TxChanDispute && tx.Version == 0 {
			continue // the opening state: its closer alone signs
		}
		pub, _, err := s.senderView(p.index)
		if err != nil {
			return err
		}
		if !st.Verify(pub, p.sig) {
			return fmt.Errorf("%w: party %s (account %d) did not sign channel %d version %d", vm.ErrBadSignature, p.name, p.index, ch.ID(), tx.Version)
		}
	}
	return nil
}

// sealedTx reports whether a sealed batch holds the transaction h.
func (s *Sequencer) sealedTx(h common.Hash) (bool, error) {
	_, closer, err := s.db().Get(txKey(h))
	if errors.Is(err, pebble.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	closer.Close()
	return true, nil
}
