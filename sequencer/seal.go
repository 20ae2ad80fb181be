package sequencer

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/cockroachdb/pebble/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/keel-rollup/keel/vm"
)

// sealLocked seals the open batch and makes it durable, in an order that a
// crash anywhere cannot break:
//  1. one synced journal write: the batch record, its index entries and the
//     new head (and, now and then, the truncation of the log entries
//     before the oldest still-pending transaction);
//  2. the state commit (one synced write to the state store). A crash
//     before it is repaired by New, which re-executes the record;
//  3. only then a new open batch on the committed state.
func (s *Sequencer) sealLocked() error {
	start := s.cfg.Clock()
	sb, err := s.open.Seal()
	if err != nil {
		return fmt.Errorf("sequencer: seal: %w", err)
	}
	n := sb.After.BatchNumber
	rec := &BatchRecord{Number: n, Status: BatchSealed, Before: sb.Before, After: sb.After, Txs: sb.Txs,
		PublicData: sb.PublicData, FeeTotal: sb.FeeTotal, Commitment: sb.Commitment(s.cfg.VM.Operator), Withdrawals: sb.Withdrawals}
	enc, err := encodeBatch(rec)
	if err != nil {
		return fmt.Errorf("sequencer: encode batch %d: %w", n, err)
	}
	b := s.db().NewBatch()
	defer b.Close()
	set := func(k, v []byte) {
		if err == nil {
			err = b.Set(k, v, nil)
		}
	}
	set(batchKey(n), enc)
	set(headKey, binary.BigEndian.AppendUint64(nil, n))
	hashes := rec.Hashes()
	for i, h := range hashes {
		set(txKey(h), binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint64(nil, n), uint32(i)))
	}
	for pub, idx := range s.newKeys {
		set(keyIndexKey(pub), binary.BigEndian.AppendUint32(nil, idx))
	}
	for _, at := range accountTxs(sb) {
		set(accountTxKey(at.account, n, at.pos), hashes[at.pos][:])
	}
	for i := range sb.Txs {
		if tx := &sb.Txs[i]; tx.Type == vm.TxChanOpen {
			set(channelIndexKey(vm.ChannelIDOf(tx.From, tx.Nonce)), binary.BigEndian.AppendUint32(nil, tx.Channel))
		}
	}
	set(nextIndexKey, binary.BigEndian.AppendUint32(nil, s.nextIndex))
	for i, w := range sb.Withdrawals {
		// amount | account, and a 1 byte for a refunded deposit (entries
		// written before refunds existed are 12 bytes).
		v := binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint64(nil, w.Amount), w.Account)
		if w.Refund {
			v = append(v, 1)
		}
		set(withdrawalKey(w.To, n, i), v)
	}
	s.pmu.Lock()
	for _, h := range hashes {
		delete(s.pending, h)
	}
	s.pmu.Unlock()
	truncate := start.Sub(s.lastTrunc) >= time.Second
	if truncate {
		floor := s.journalFloor()
		if err == nil {
			err = b.DeleteRange(txLogKey(0), txLogKey(floor), nil)
		}
		set(txLogFloorKey, binary.BigEndian.AppendUint64(nil, floor))
		s.lastTrunc = start
	}
	if err != nil {
		return fmt.Errorf("sequencer: batch %d record: %w", n, err)
	}
	if err := b.Commit(pebble.Sync); err != nil {
		return fmt.Errorf("sequencer: write batch %d record: %w", n, err)
	}
	if s.afterRecord != nil {
		s.afterRecord(n)
	}
	if err := s.state.Commit(sb.Changes); err != nil {
		return fmt.Errorf("sequencer: commit batch %d state: %w", n, err)
	}
	s.kmu.Lock()
	s.soft = map[uint32]softAccount{} // the committed state now says the same
	s.kmu.Unlock()
	s.head = n
	s.newKeys = map[vm.PublicKey]uint32{}
	s.sealedSB[n] = sb
	// Traces are big and re-executable: keep only the recent ones, so that
	// a slow (or absent) prover does not grow memory without bound.
	delete(s.sealedSB, n-min(n, keepTraces))
	if s.open, err = vm.NewBatch(s.cfg.VM, s.state.ReaderAt(n), sb.After); err != nil {
		return err
	}
	s.openNum.Store(s.open.Number())
	s.openFull = false
	s.metrics.BatchSealed(len(sb.Txs), s.cfg.Clock().Sub(start))
	s.log.Debug().Uint64("batch", n).Int("txs", len(sb.Txs)).Str("root", hexElement(sb.After.Root)).Msg("batch sealed")
	s.batchSubs.send(BatchEvent{Number: n, Status: BatchSealed})
	select {
	case s.sealedWake <- struct{}{}:
	default:
	}
	return nil
}

// journalFloor is the lowest journal sequence number still needed: the
// oldest acknowledged transaction that no sealed batch holds. Transactions
// that left the mempool without executing (replaced or evicted) are
// recorded as rejected here. Called with mu held, on a fresh open batch.
func (s *Sequencer) journalFloor() uint64 {
	s.pmu.Lock()
	defer s.pmu.Unlock()
	floor := s.journal.nextSeq()
	for h, p := range s.pending {
		// Only the pool can lose a transaction; deposits and queued
		// channel operations stay pending until a batch holds them.
		if p.tx.Type.IsSigned() && p.pos < 0 && !p.admitting {
			if _, ok := s.pool.Get(h); !ok {
				delete(s.pending, h)
				s.recordRejection(h, p.tx.Type, errDropped)
				continue
			}
		}
		floor = min(floor, p.seq)
	}
	return floor
}

// keepTraces is how many recent sealed batches keep their trace in memory
// for the prover; older ones are re-executed from their records.
const keepTraces = 64

// errDropped is the rejection of a transaction that left the mempool
// without executing.
var errDropped = errors.New("sequencer: dropped from the mempool: replaced by a higher fee, evicted, or behind a rejected nonce")

// SealNow applies what is waiting and seals the open batch at once
// instead of at its timeout, if it holds anything. It returns the last
// sealed batch number. It is an operator's tool (admin_sealBatch): the
// batch is as valid as one sealed by the timer.
func (s *Sequencer) SealNow() (uint64, error) {
	s.mu.Lock()
	if s.halted != nil {
		s.mu.Unlock()
		return 0, s.halted
	}
	err := s.applyQueued()
	s.mu.Unlock()
	if err != nil {
		return 0, s.halt(err)
	}
	if _, err := s.pool.Fill(s.applyPooled); err != nil {
		return 0, s.halt(err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.open.Len() > 0 {
		if err := s.sealLocked(); err != nil {
			return 0, s.haltLocked(err)
		}
	}
	return s.head, nil
}

// SealedBatch returns sealed batch n with its trace, for the prover: from
// memory when it was sealed in this process, else by re-executing its
// record on the state before it (the state store keeps every version).
func (s *Sequencer) SealedBatch(n uint64) (*vm.SealedBatch, error) {
	s.mu.Lock()
	sb, ok := s.sealedSB[n]
	s.mu.Unlock()
	if ok {
		return sb, nil
	}
	rec, ok, err := getBatch(s.db(), n)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("sequencer: batch %d is not sealed", n)
	}
	before, err := s.state.MetaAt(n - 1)
	if err != nil {
		return nil, err
	}
	return s.reexecute(rec, before)
}

// SealedSignal is signalled (without blocking) after every seal.
func (s *Sequencer) SealedSignal() <-chan struct{} { return s.sealedWake }

// SetProven records batch n's proof. Batches are proven in order.
func (s *Sequencer) SetProven(n uint64, proof []byte) error {
	return s.advance(n, BatchProven, func(r *BatchRecord) { r.Proof = proof }, provenKey, &s.proven)
}

// SetSubmitted records the L1 transaction that commits batch n.
func (s *Sequencer) SetSubmitted(n uint64, l1tx common.Hash) error {
	return s.advance(n, BatchSubmitted, func(r *BatchRecord) { r.L1Tx = l1tx }, nil, nil)
}

// SetFinalized records that batch n is committed on L1 (in l1tx, when
// known).
func (s *Sequencer) SetFinalized(n uint64, l1tx common.Hash) error {
	return s.advance(n, BatchFinalized, func(r *BatchRecord) {
		if l1tx != (common.Hash{}) {
			r.L1Tx = l1tx
		}
	}, finalizedKey, &s.finalized)
}

func (s *Sequencer) advance(n uint64, to BatchStatus, edit func(*BatchRecord), marker []byte, mark *uint64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, ok, err := getBatch(s.db(), n)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("sequencer: batch %d is not sealed", n)
	}
	if rec.Status >= to {
		return nil
	}
	rec.Status = to
	edit(rec)
	enc, err := encodeBatch(rec)
	if err != nil {
		return err
	}
	b := s.db().NewBatch()
	defer b.Close()
	if err := b.Set(batchKey(n), enc, nil); err != nil {
		return err
	}
	if mark != nil && n > *mark {
		if err := b.Set(marker, binary.BigEndian.AppendUint64(nil, n), nil); err != nil {
			return err
		}
	}
	if err := b.Commit(pebble.Sync); err != nil {
		return fmt.Errorf("sequencer: record batch %d %s: %w", n, to, err)
	}
	if mark != nil && n > *mark {
		*mark = n
	}
	if to == BatchProven {
		delete(s.sealedSB, n)
	}
	s.batchSubs.send(BatchEvent{Number: n, Status: to})
	if to == BatchProven || to == BatchFinalized {
		st := TxProven
		if to == BatchFinalized {
			st = TxFinalized
		}
		if s.txSubs.active() {
			for i, h := range rec.Hashes() {
				r := Receipt{Hash: h, Type: rec.Txs[i].Type, Status: st, Batch: n, Position: i, L1Tx: rec.L1Tx}
				r.describe(&rec.Txs[i])
				s.txSubs.send(TxEvent{r})
			}
		}
	}
	return nil
}
