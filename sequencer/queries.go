package sequencer

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/cockroachdb/pebble/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/keel-rollup/keel/vm"
)

// Receipt is what the sequencer knows about a transaction.
type Receipt struct {
	Hash     common.Hash
	Type     vm.TxType
	Status   TxStatus
	Batch    uint64 // from TxSequenced on
	Position int
	L1Tx     common.Hash // once the batch is submitted
	Err      string      // why it was rejected
	// Time is the batch's timestamp (unix seconds), from TxSequenced in
	// a sealed batch on.
	Time uint64
	// Channel is a channel operation's leaf index. For an open it is the
	// leaf the sequencer assigned, known from TxSequenced on (HasChannel
	// tells); the other channel operations name theirs.
	Channel    uint32
	HasChannel bool
	// Sponsored says the account Sponsor paid the transaction's fee.
	Sponsored bool
	Sponsor   uint32
}

// describe fills r's fields that come from the transaction: who paid its
// fee, and its channel as it is known in the given status (an open's leaf
// is assigned only when it executes).
func (r *Receipt) describe(tx *vm.Tx) {
	r.Sponsored, r.Sponsor = tx.Sponsored, tx.Sponsor
	if !tx.Type.IsChannel() && tx.Type != vm.TxForcedChallenge || tx.Type == vm.TxChanOpen && (r.Status == TxPending || r.Status == TxRejected) {
		return
	}
	r.Channel, r.HasChannel = tx.Channel, true
}

// Account returns the soft-confirmed account at index: the open batch's
// view, and the number of the open batch.
func (s *Sequencer) Account(index uint32) (vm.Account, uint64, error) {
	if uint64(index) >= 1<<uint(s.cfg.VM.Depth) {
		return vm.Account{}, 0, fmt.Errorf("%w: %d", vm.ErrIndexOutOfRange, index)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a, err := s.open.Account(index)
	return a, s.open.Number(), err
}

// IndexOf returns the account index of pub, including accounts created in
// the open batch.
func (s *Sequencer) IndexOf(pub vm.PublicKey) (uint32, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if idx, ok := s.newKeys[pub]; ok {
		return idx, true, nil
	}
	idx, ok, err := getUint(s.db(), keyIndexKey(pub))
	return uint32(idx), ok, err
}

// Proof returns a Merkle proof of the account at index in the state after
// the sealed batch n, with the root it proves against.
func (s *Sequencer) Proof(index uint32, n uint64) (vm.Account, []vm.Element, vm.Meta, error) {
	if uint64(index) >= 1<<uint(s.cfg.VM.Depth) {
		return vm.Account{}, nil, vm.Meta{}, fmt.Errorf("%w: %d", vm.ErrIndexOutOfRange, index)
	}
	meta, err := s.state.MetaAt(n)
	if err != nil {
		return vm.Account{}, nil, vm.Meta{}, err
	}
	t, err := vm.NewTree(s.cfg.VM.Depth, s.state.ReaderAt(n))
	if err != nil {
		return vm.Account{}, nil, vm.Meta{}, err
	}
	a, err := t.Get(uint64(index))
	if err != nil {
		return vm.Account{}, nil, vm.Meta{}, err
	}
	sibs, err := t.Proof(uint64(index))
	return a, sibs, meta, err
}

// ChannelLeaf returns the leaf index of the channel with the given id
// (vm.ChannelIDOf(opener, open nonce)), once the batch that opened it is
// sealed. The index outlives the channel: a settled channel's leaf is
// empty (Channel reports it not found), and leaves are never reused.
func (s *Sequencer) ChannelLeaf(channelID uint64) (uint32, bool, error) {
	v, ok, err := getUint(s.db(), channelIndexKey(channelID))
	return uint32(v), ok, err
}

// Channel returns the channel at leaf in the state of the last sealed
// batch, with that batch's number. found is false when the leaf holds no
// channel: never opened, opened in the open batch and not sealed yet, or
// settled. A channel's life is measured in challenge periods, not in
// soft confirmations, so sealed state is what it is read from (as Proof
// does), not the open batch.
func (s *Sequencer) Channel(leaf uint32) (ch vm.ChannelLeaf, found bool, batch uint64, err error) {
	if uint64(leaf) >= 1<<uint(s.cfg.VM.Depth) {
		return vm.ChannelLeaf{}, false, 0, fmt.Errorf("%w: %d", vm.ErrIndexOutOfRange, leaf)
	}
	head, err := s.state.Head()
	if err != nil {
		return vm.ChannelLeaf{}, false, 0, err
	}
	a, ok, err := s.state.ReaderAt(head.BatchNumber).Leaf(uint64(leaf))
	if err != nil || !ok || a.Kind != vm.KindChannel {
		return vm.ChannelLeaf{}, false, head.BatchNumber, err
	}
	ch, err = vm.ChannelOf(&a)
	if err != nil {
		return vm.ChannelLeaf{}, false, head.BatchNumber, fmt.Errorf("%w: leaf %d: %v", ErrCorrupt, leaf, err)
	}
	return ch, true, head.BatchNumber, nil
}

// Heads returns the last sealed, proven and finalized batch numbers.
func (s *Sequencer) Heads() (sealed, proven, finalized uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.head, s.proven, s.finalized
}

// PendingCount is the number of acknowledged transactions and deposits not
// yet in a sealed batch.
func (s *Sequencer) PendingCount() int {
	s.pmu.Lock()
	defer s.pmu.Unlock()
	return len(s.pending)
}

// Batch returns the record of sealed batch n.
func (s *Sequencer) Batch(n uint64) (*BatchRecord, bool, error) {
	return getBatch(s.db(), n)
}

// Receipt returns what is known about the transaction with hash h; false
// when nothing is.
func (s *Sequencer) Receipt(h common.Hash) (Receipt, bool, error) {
	s.pmu.Lock()
	if p, ok := s.pending[h]; ok {
		r := Receipt{Hash: h, Type: p.tx.Type, Status: TxPending}
		if p.pos >= 0 {
			r.Status, r.Batch, r.Position = TxSequenced, s.openNum.Load(), p.pos
		}
		r.describe(p.tx)
		s.pmu.Unlock()
		return r, true, nil
	}
	s.pmu.Unlock()
	db := s.db()
	v, closer, err := db.Get(txKey(h))
	switch {
	case err == nil:
		if len(v) != 12 {
			closer.Close()
			return Receipt{}, false, fmt.Errorf("%w: tx index entry of %d bytes", ErrCorrupt, len(v))
		}
		n, pos := binary.BigEndian.Uint64(v), int(binary.BigEndian.Uint32(v[8:]))
		closer.Close()
		rec, ok, err := getBatch(db, n)
		if err != nil || !ok {
			return Receipt{}, false, fmt.Errorf("%w: batch %d of tx %s (%v)", ErrCorrupt, n, h, err)
		}
		r := Receipt{Hash: h, Type: rec.Txs[pos].Type, Batch: n, Position: pos, L1Tx: rec.L1Tx, Status: TxSequenced, Time: rec.After.Timestamp}
		switch rec.Status {
		case BatchProven, BatchSubmitted:
			r.Status = TxProven
		case BatchFinalized:
			r.Status = TxFinalized
		}
		r.describe(&rec.Txs[pos])
		return r, true, nil
	case !errors.Is(err, pebble.ErrNotFound):
		return Receipt{}, false, err
	}
	v, closer, err = db.Get(rejectKey(h))
	if errors.Is(err, pebble.ErrNotFound) {
		return Receipt{}, false, nil
	}
	if err != nil {
		return Receipt{}, false, err
	}
	defer closer.Close()
	typ, why := decodeRejection(v)
	return Receipt{Hash: h, Type: typ, Status: TxRejected, Err: why}, true, nil
}

// Withdrawals returns the withdrawals to an L1 address in sealed batches,
// oldest first, with the batch of each.
func (s *Sequencer) Withdrawals(to common.Address) ([]uint64, []vm.Withdrawal, error) {
	prefix := withdrawalPrefix(to)
	it, err := s.db().NewIter(&pebble.IterOptions{LowerBound: prefix, UpperBound: append(append([]byte(nil), prefix...), 0xff)})
	if err != nil {
		return nil, nil, err
	}
	defer it.Close()
	var batches []uint64
	var ws []vm.Withdrawal
	for ok := it.First(); ok; ok = it.Next() {
		k, v := it.Key(), it.Value()
		if len(k) != len(prefix)+12 || (len(v) != 12 && (len(v) != 13 || v[12] != 1)) {
			return nil, nil, fmt.Errorf("%w: withdrawal entry", ErrCorrupt)
		}
		batches = append(batches, binary.BigEndian.Uint64(k[len(prefix):]))
		ws = append(ws, vm.Withdrawal{To: to, Amount: binary.BigEndian.Uint64(v), Account: binary.BigEndian.Uint32(v[8:]), Refund: len(v) == 13})
	}
	return batches, ws, it.Error()
}

// MempoolStats returns the mempool's counters.
func (s *Sequencer) MempoolStats() MempoolStats { return s.pool.Stats() }
