// Package sequencer is the driver that orders transactions into batches:
// admission, the mempool, soft confirmations, batch sealing and the durable
// record of every batch. It does I/O around the pure state transition in
// package vm and never the other way round.
//
// # The sequencing loop
//
// Sequencer ties the pieces together:
//
//	s, err := sequencer.New(cfg, log, metrics) // opens and recovers
//	s.Start(ctx)
//	h, err := s.SendTransaction(tx) // nil: durable and pending
//	s.AddDeposits(deps)             // from the L1 watcher, in queue order
//	...
//	s.SetProven(n, proof); s.SetSubmitted(n, l1tx); s.SetFinalized(n, l1tx)
//
// A transaction is checked (chain, ranges, signature against the sender's
// key, nonce, fee, pool limits), appended to the journal with a synced
// write, and only then acknowledged: pending. The loop applies the
// mempool's best transactions to the open batch within milliseconds
// (sequenced: the soft confirmation) and seals the batch when it is full
// or BatchTimeout after its first transaction. Sealing writes the batch
// record, its index entries and the journal truncation in one synced
// journal write, then commits the state; New repairs a crash between the
// two by re-executing the record. Proving and L1 submission are driven
// from outside (package node); the sequencer records their progress and
// tells subscribers.
//
// # Payment channels
//
// A channel open is signed by party A with A's nonce, so it goes through
// the mempool like a transfer. Its leaf is not the sender's to choose:
// when the open executes, the sequencer gives it the next free leaf from
// the allocator that also places new accounts (skipping the operator's),
// and moves the allocator on only if the open executed. The allocator is
// persisted with every batch record, so after a crash the opens the lost
// open batch had placed are replayed from the journal and placed again,
// consistently. The receipt of an open tells its leaf (Receipt.Channel),
// and sealing records channel id → leaf (ChannelLeaf) in the same synced
// write as the batch record; Channel reads a channel from the last sealed
// state.
//
// Closes, disputes, challenges and finalizes carry no nonce (the parties'
// signatures of a channel state, or nothing at all for a finalize), so
// the mempool cannot order or bound them. They wait in their own queue
// instead: journaled before SendTransaction returns, replayed from the
// journal by New, applied first come first served after the deposits and
// before the mempool, and bounded by Config.MaxChannelOps. A duplicate of
// a pending or sealed one is refused with ErrAlreadyKnown, and a state
// the channel's parties did not sign with vm.ErrBadSignature (they pay no
// fee, so junk must not fill the queue); one the VM refuses is rejected
// with its reason, as a pooled transaction is.
//
// The pieces underneath: the durable state store (PebbleStore), the
// write-ahead journal of accepted transactions (TxLog: concurrent appends
// share fsyncs, and SendTransactions puts a whole call in one), batch
// signature verification (PreVerify, vm.PreVerifyBatch), the head cache
// of the state's nodes and leaves (headcache.go) and the
// mempool (Mempool: per-account nonce order, fee priority, replacement and
// limits; mempool.Fill(batch.Apply) fills a batch).
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
