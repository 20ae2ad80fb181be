// Package sequencer will be the driver that orders transactions into
// batches: its mempool, ordering and fees, batch sealing and soft
// confirmations. It does I/O around the pure state transition in package vm
// and never the other way round.
//
// Today it holds four pieces: the durable state store (PebbleStore), the
// write-ahead log of accepted transactions (TxLog: an acknowledgement waits
// for a synced append; concurrent appends share fsyncs), the
// parallel signature verifier (PreVerify), which checks a batch's
// signatures on several cores before the single-threaded executor runs,
// and the mempool (Mempool: per-account nonce order, fee priority,
// replacement and limits; mempool.Fill(batch.Apply) fills a batch). The
// sequencing loop that ties them together, and soft confirmations, do not
// exist yet.
//
// # State store
//
// PebbleStore implements vm.Store on pebble. Every committed batch is a
// version (its batch number); every node and leaf entry is written under the
// version that wrote it, so the tree of any retained version can be read
// while newer batches are committed on top: the sequencer reads the head,
// the prover and RPC read older roots.
//
//	s, err := sequencer.OpenPebbleStore(dir, vm.DefaultDepth, nil)
//	...
//	defer s.Close()
//	head, err := s.Head()
//	tree, err := vm.NewTree(vm.DefaultDepth, s.ReaderAt(head.BatchNumber))
//	// ... apply a batch to tree ...
//	nodes, leaves := tree.Changes()
//	err = s.Commit(&vm.ChangeSet{Meta: next, Nodes: nodes, Leaves: leaves})
//
// Commit is one synced pebble batch, so after a crash the store holds every
// batch whose Commit returned nil, and any batch whole or not at all. The
// store owns its data directory; pebble's logs go to the zerolog.Logger in
// StoreOptions. Prune drops the history that no retained version can see; the sequencer calls it once
// older batches are proven or finalized and no RPC still needs them.
//
// The package does not own the tree, its hashing or the state transition
// (package vm), nor proving or anything on L1.
package sequencer
