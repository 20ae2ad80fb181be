package sequencer

import (
	"encoding/binary"
	"errors"
	"fmt"
	"sync"

	"github.com/cockroachdb/pebble/v2"
	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/keel-rollup/keel/vm"
	"github.com/rs/zerolog"
)

// TxLog is the sequencer's write-ahead log of accepted transactions. A
// transaction is acknowledged only once Append has returned, and Append
// returns only after a synced pebble commit, so a crash loses nothing that
// was acknowledged: on restart the sequencer replays the log on top of the
// last committed state. Once a batch is committed to the state store, the
// entries it included are truncated.
//
// Concurrent Appends share fsyncs: pebble's commit pipeline groups the
// synced batches that arrive together into one WAL write, so durability
// costs one fsync per group, not per transaction.
type TxLog struct {
	db *pebble.DB
	mu sync.Mutex // guards next
	// next is the sequence number the next entry gets.
	next uint64
}

// TxLogOptions configures OpenTxLog; nil means the OS filesystem and
// pebble's logs dropped.
type TxLogOptions struct {
	FS     vfs.FS
	Logger zerolog.Logger
}

var txLogPrefix = []byte("t")

func txLogKey(seq uint64) []byte {
	return binary.BigEndian.AppendUint64(append([]byte(nil), txLogPrefix...), seq)
}

// OpenTxLog opens or creates the log in dir.
func OpenTxLog(dir string, opts *TxLogOptions) (*TxLog, error) {
	if opts == nil {
		opts = &TxLogOptions{}
	}
	db, err := pebble.Open(dir, &pebble.Options{FS: opts.FS, Logger: pebbleLogger{opts.Logger.With().Str("component", "txlog").Logger()}})
	if err != nil {
		return nil, fmt.Errorf("sequencer: open tx log %s: %w", dir, err)
	}
	l := &TxLog{db: db}
	// The next sequence number follows the last entry; an empty log
	// starts at 0. Truncation never removes the last entry's number from
	// use, because Truncate keeps a marker (see there).
	it, err := db.NewIter(&pebble.IterOptions{LowerBound: txLogPrefix, UpperBound: []byte{txLogPrefix[0] + 1}})
	if err != nil {
		db.Close()
		return nil, err
	}
	if it.Last() {
		seq, err := decodeTxLogKey(it.Key())
		if err != nil {
			it.Close()
			db.Close()
			return nil, err
		}
		l.next = seq + 1
	}
	if err := it.Close(); err != nil {
		db.Close()
		return nil, err
	}
	if v, closer, err := db.Get(txLogFloorKey); err == nil {
		floor := binary.BigEndian.Uint64(v)
		closer.Close()
		l.next = max(l.next, floor)
	} else if !errors.Is(err, pebble.ErrNotFound) {
		db.Close()
		return nil, fmt.Errorf("sequencer: tx log floor: %w", err)
	}
	return l, nil
}

// txLogFloorKey holds the first sequence number not yet truncated, so that
// numbers are never reused after the log is emptied.
var txLogFloorKey = []byte("f")

func decodeTxLogKey(k []byte) (uint64, error) {
	if len(k) != len(txLogPrefix)+8 {
		return 0, fmt.Errorf("%w: tx log key of %d bytes", ErrCorrupt, len(k))
	}
	return binary.BigEndian.Uint64(k[len(txLogPrefix):]), nil
}

// Append writes txs durably, in order, and returns the sequence number of
// the first. All or none of them are written.
func (l *TxLog) Append(txs ...*vm.Tx) (first uint64, err error) {
	b := l.db.NewBatch()
	defer b.Close()
	l.mu.Lock()
	first = l.next
	for i, tx := range txs {
		enc, err := tx.MarshalBinary()
		if err != nil {
			l.mu.Unlock()
			return 0, fmt.Errorf("sequencer: tx log: %w", err)
		}
		if err := b.Set(txLogKey(first+uint64(i)), enc, nil); err != nil {
			l.mu.Unlock()
			return 0, err
		}
	}
	l.next += uint64(len(txs))
	l.mu.Unlock()
	// Sequence numbers are handed out under the lock, the fsync happens
	// outside it, so concurrent appends can share one sync. A failed
	// commit leaves a hole in the numbering, which Replay tolerates.
	if err := b.Commit(pebble.Sync); err != nil {
		return 0, fmt.Errorf("sequencer: tx log append: %w", err)
	}
	return first, nil
}

// Replay calls fn for every entry in sequence order.
func (l *TxLog) Replay(fn func(seq uint64, tx *vm.Tx) error) error {
	it, err := l.db.NewIter(&pebble.IterOptions{LowerBound: txLogPrefix, UpperBound: []byte{txLogPrefix[0] + 1}})
	if err != nil {
		return err
	}
	defer it.Close()
	for ok := it.First(); ok; ok = it.Next() {
		seq, err := decodeTxLogKey(it.Key())
		if err != nil {
			return err
		}
		var tx vm.Tx
		if err := tx.UnmarshalBinary(it.Value()); err != nil {
			return fmt.Errorf("%w: tx log entry %d: %v", ErrCorrupt, seq, err)
		}
		if err := fn(seq, &tx); err != nil {
			return err
		}
	}
	return it.Error()
}

// Truncate drops every entry with a sequence number below upTo, once the
// batch that included them is durable in the state store.
func (l *TxLog) Truncate(upTo uint64) error {
	b := l.db.NewBatch()
	defer b.Close()
	if err := b.DeleteRange(txLogKey(0), txLogKey(upTo), nil); err != nil {
		return err
	}
	if err := b.Set(txLogFloorKey, binary.BigEndian.AppendUint64(nil, upTo), nil); err != nil {
		return err
	}
	if err := b.Commit(pebble.Sync); err != nil {
		return fmt.Errorf("sequencer: tx log truncate: %w", err)
	}
	return nil
}

// Close closes the log.
func (l *TxLog) Close() error { return l.db.Close() }

// nextSeq is the sequence number the next Append gets.
func (l *TxLog) nextSeq() uint64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.next
}
