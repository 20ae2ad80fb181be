package sequencer

import (
	"fmt"
	"math"

	"github.com/cockroachdb/pebble/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/keel-rollup/keel/vm"
)

func (s *Sequencer) skipOperator(i uint32) uint32 {
	if i == s.cfg.VM.Operator && !s.cfg.OperatorKey.IsZero() {
		return i + 1
	}
	return i
}

// freeLeaf returns the next free leaf, for a new account or channel: the
// one allocator both share, so that neither hands out a leaf the other
// holds. The caller advances nextIndex past it only once the leaf is
// used. Called with mu held.
func (s *Sequencer) freeLeaf() (uint32, error) {
	if uint64(s.nextIndex) >= 1<<uint(s.cfg.VM.Depth) || s.nextIndex == math.MaxUint32 {
		return 0, fmt.Errorf("%w: %d leaves in use (%w)", ErrTreeFull, s.nextIndex, vm.ErrIndexOutOfRange)
	}
	return s.nextIndex, nil
}

// stamp gives an empty open batch its timestamp, just before its first
// transaction: the later the stamp, the closer to the time its rules see.
// Called with mu held.
func (s *Sequencer) stamp() error {
	if s.open.Len() > 0 {
		return nil
	}
	return s.open.SetTimestamp(max(s.cfg.BatchTime(), s.open.Timestamp()))
}

// touch copies the open batch's view of the account at index into soft,
// for the submission path. Called with mu held, after an Apply that read
// the account, so the read hits the batch's overlay.
func (s *Sequencer) touch(index uint32) error {
	a, err := s.open.Account(index)
	if err != nil {
		return err
	}
	s.kmu.Lock()
	s.soft[index] = softAccount{pub: a.PubKey, nonce: a.Nonce, balance: a.Balance}
	s.kmu.Unlock()
	return nil
}

// included records that p was applied to the open batch. Called with mu held.
func (s *Sequencer) included(p *pendingTx) {
	if s.open.Len() == 1 {
		s.openedAt = s.cfg.Clock()
	}
	s.pmu.Lock()
	p.pos = s.open.Len() - 1
	s.pmu.Unlock()
	s.metrics.TxSequenced()
	r := Receipt{Hash: p.tx.Hash(), Type: p.tx.Type, Status: TxSequenced, Batch: s.open.Number(), Position: p.pos}
	r.describe(p.tx)
	s.txSubs.send(TxEvent{r})
}

// reject records why an acknowledged transaction did not execute. The
// record is advisory (not synced): after a crash the journal replays the
// transaction and the executor rejects it again.
func (s *Sequencer) reject(h common.Hash, typ vm.TxType, why error) {
	s.pmu.Lock()
	delete(s.pending, h)
	s.pmu.Unlock()
	s.recordRejection(h, typ, why)
}

func (s *Sequencer) recordRejection(h common.Hash, typ vm.TxType, why error) {
	s.metrics.TxRejected()
	if err := s.db().Set(rejectKey(h), encodeRejection(typ, why.Error()), pebble.NoSync); err != nil {
		s.log.Warn().Err(err).Msg("record rejection")
	}
	s.txSubs.send(TxEvent{Receipt{Hash: h, Type: typ, Status: TxRejected, Err: why.Error()}})
}
