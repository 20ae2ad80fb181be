package sequencer

import (
	"fmt"

	"github.com/keel-rollup/keel/vm"
)

func (s *Sequencer) recover() error {
	db := s.db()
	head, _, err := getUint(db, headKey)
	if err != nil {
		return err
	}
	s.head = head
	if s.proven, _, err = getUint(db, provenKey); err != nil {
		return err
	}
	if s.finalized, _, err = getUint(db, finalizedKey); err != nil {
		return err
	}
	next, ok, err := getUint(db, nextIndexKey)
	if err != nil {
		return err
	}
	if ok {
		s.nextIndex = uint32(next)
	} else {
		s.nextIndex = s.skipOperator(0)
	}
	stateHead, err := s.state.Head()
	if err != nil {
		return err
	}
	switch {
	case stateHead.BatchNumber == head:
	case stateHead.BatchNumber+1 == head:
		// Crashed between the batch record and the state commit: the
		// record is the truth, execute it again.
		rec, ok, err := getBatch(db, head)
		if err != nil || !ok {
			return fmt.Errorf("%w: batch %d record missing (%v)", ErrCorrupt, head, err)
		}
		sb, err := s.reexecute(rec, stateHead)
		if err != nil {
			return err
		}
		if err := s.state.Commit(sb.Changes); err != nil {
			return err
		}
		s.sealedSB[head] = sb
		s.log.Warn().Uint64("batch", head).Msg("re-executed a sealed batch whose state commit was interrupted")
	default:
		return fmt.Errorf("%w: journal head is batch %d, state head %d", ErrCorrupt, head, stateHead.BatchNumber)
	}
	meta, err := s.state.Head()
	if err != nil {
		return err
	}
	if s.open, err = vm.NewBatch(s.cfg.VM, s.state.ReaderAt(meta.BatchNumber), meta); err != nil {
		return err
	}
	s.openNum.Store(s.open.Number())
	s.nextPrio = meta.PriorityCount
	replayed, stale := 0, 0
	err = s.journal.Replay(func(seq uint64, tx *vm.Tx) error {
		if tx.Type.IsPriority() {
			if tx.PriorityID != s.nextPrio {
				stale++
				return nil
			}
			s.deposits = append(s.deposits, &pendingTx{tx: tx, seq: seq, pos: -1})
			s.pending[tx.Hash()] = s.deposits[len(s.deposits)-1]
			s.nextPrio++
			replayed++
			return nil
		}
		if !tx.Type.IsSigned() {
			// A channel operation without a nonce: queued again unless a
			// sealed batch holds it or an earlier entry queued it already.
			h := tx.Hash()
			sealed, err := s.sealedTx(h)
			if err != nil {
				return err
			}
			if _, dup := s.pending[h]; dup || sealed {
				stale++
				return nil
			}
			p := &pendingTx{tx: tx, seq: seq, pos: -1}
			s.chanOps = append(s.chanOps, p)
			s.chanCount++
			s.pending[h] = p
			replayed++
			return nil
		}
		// Transfers, withdrawals and channel opens go back to the pool. An
		// open's leaf is assigned again when it executes, from nextIndex
		// as the last sealed batch left it: the leaves the lost open batch
		// handed out were never recorded anywhere.
		a, err := s.open.Account(tx.From)
		if err != nil {
			return err
		}
		if err := s.pool.Add(tx, a.Nonce); err != nil {
			stale++ // included in a sealed batch, or replaced
			return nil
		}
		s.pending[tx.Hash()] = &pendingTx{tx: tx, seq: seq, pos: -1}
		replayed++
		return nil
	})
	if err != nil {
		return err
	}
	s.log.Info().Uint64("batch", head).Uint64("proven", s.proven).Uint64("finalized", s.finalized).
		Int("replayed", replayed).Int("stale", stale).Str("root", hexElement(meta.Root)).Msg("sequencer state loaded")
	return nil
}

// reexecute runs a batch record's transactions on the state before it and
// checks that it arrives at the recorded root.
func (s *Sequencer) reexecute(rec *BatchRecord, before vm.Meta) (*vm.SealedBatch, error) {
	if before.BatchNumber+1 != rec.Number {
		return nil, fmt.Errorf("%w: re-executing batch %d on state %d", ErrCorrupt, rec.Number, before.BatchNumber)
	}
	sb, rejected, err := vm.ExecuteAt(s.cfg.VM, s.state.ReaderAt(before.BatchNumber), before, rec.After.Timestamp, rec.Txs)
	if err != nil {
		return nil, err
	}
	for i, r := range rejected {
		if r != nil {
			return nil, fmt.Errorf("%w: batch %d tx %d no longer executes: %v", ErrCorrupt, rec.Number, i, r)
		}
	}
	if sb.After != rec.After {
		return nil, fmt.Errorf("%w: batch %d re-executes to root %s, recorded %s", ErrCorrupt, rec.Number, hexElement(sb.After.Root), hexElement(rec.After.Root))
	}
	return sb, nil
}
