package sequencer

import (
	"fmt"

	"github.com/cockroachdb/pebble/v2"

	"github.com/keel-rollup/keel/vm"
)

// Hooks for store_test.go, which plays crashes and corruption against the
// raw pebble DB that the public API rightly hides.

// AbandonCommitForTest builds cs's commit batch exactly as Commit does and
// drops it uncommitted, as a process that dies before Batch.Commit would.
func (s *PebbleStore) AbandonCommitForTest(cs *vm.ChangeSet) error {
	s.commitMu.Lock()
	defer s.commitMu.Unlock()
	s.mu.RLock()
	defer s.mu.RUnlock()
	b, err := s.commitBatch(cs)
	if err != nil {
		return err
	}
	return b.Close()
}

// CommitNoSyncForTest commits cs's batch without syncing and without moving
// the in-memory head: the state of a process that crashes inside Commit
// after pebble accepted the batch but before the sync returned.
func (s *PebbleStore) CommitNoSyncForTest(cs *vm.ChangeSet) error {
	s.commitMu.Lock()
	defer s.commitMu.Unlock()
	s.mu.RLock()
	defer s.mu.RUnlock()
	b, err := s.commitBatch(cs)
	if err != nil {
		return err
	}
	defer b.Close()
	return b.Commit(pebble.NoSync)
}

// PutRawForTest writes raw bytes under key, outside any commit.
func (s *PebbleStore) PutRawForTest(key, val []byte, sync bool) error {
	o := pebble.NoSync
	if sync {
		o = pebble.Sync
	}
	return s.db.Set(key, val, o)
}

// CountEntriesForTest counts the node and leaf entries of every version.
func (s *PebbleStore) CountEntriesForTest() (int, error) {
	n := 0
	for _, p := range []byte{prefixNode, prefixLeaf} {
		it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: []byte{p}, UpperBound: []byte{p + 1}})
		if err != nil {
			return 0, err
		}
		for ok := it.First(); ok; ok = it.Next() {
			n++
		}
		if err := it.Close(); err != nil {
			return 0, fmt.Errorf("count: %w", err)
		}
	}
	return n, nil
}

// NodeKeyForTest, LeafKeyForTest, MetaKeyForTest and HeadKeyForTest are
// the store's keys.
func NodeKeyForTest(k vm.NodeKey, v uint64) []byte { return appendNodeKey(nil, k, v) }
func LeafKeyForTest(i, v uint64) []byte            { return appendLeafKey(nil, i, v) }
func MetaKeyForTest(v uint64) []byte               { return metaKey(v) }
func HeadKeyForTest() []byte                       { return []byte{prefixHead} }

// SetAfterRecordHookForTest runs f between a batch's journal record and its
// state commit, where a crash must be repaired by re-execution.
func (s *Sequencer) SetAfterRecordHookForTest(f func(batch uint64)) { s.afterRecord = f }

// HoldSingleRoundsForTest makes every round of grouped SendTransaction
// calls wait for gate as it starts.
func (s *Sequencer) HoldSingleRoundsForTest(gate <-chan struct{}) {
	s.singles.beforeRound = func() { <-gate }
}

// WaitingSingleSendsForTest is how many SendTransaction calls wait for a
// round.
func (s *Sequencer) WaitingSingleSendsForTest() int {
	s.singles.mu.Lock()
	defer s.singles.mu.Unlock()
	return len(s.singles.waiting)
}
