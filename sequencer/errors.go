package sequencer

import "errors"

// Errors of the state store. Each doc line says what a driver should do:
// retry, reset (rewind to a known point) or halt.
var (
	// ErrStoreClosed means the store was used after Close. It is a bug in
	// the caller's lifecycle, not a condition to retry: halt.
	ErrStoreClosed = errors.New("sequencer: state store closed")
	// ErrCorrupt means stored bytes do not decode: a key or value has the
	// wrong length, a field element is not canonical, or the head names a
	// version whose metadata is missing. Critical: halt and restore the data
	// directory from a backup or resync it; retrying reads the same bytes.
	ErrCorrupt = errors.New("sequencer: corrupt state store")
	// ErrDepthMismatch means the data directory holds a tree of another
	// depth than the one asked for. Critical: the node was pointed at the
	// wrong directory or configured with the wrong depth; fix the config.
	ErrDepthMismatch = errors.New("sequencer: state store tree depth mismatch")
	// ErrPruneBeyondHead means Prune was asked to drop versions that the head
	// still needs. A bug in the caller: the head must stay readable.
	ErrPruneBeyondHead = errors.New("sequencer: prune beyond head")
	// ErrBadChangeSet means a change set names a node or leaf outside the
	// tree. It is a broken invariant of the caller (vm.Tree never does it);
	// nothing was written.
	ErrBadChangeSet = errors.New("sequencer: change set outside the tree")
	// ErrKeyUnknown marks a transaction whose sender has no key in committed
	// state yet (a deposit in the open batch creates it). Not a verdict:
	// the executor checks the signature itself.
	ErrKeyUnknown = errors.New("sequencer: sender key not yet committed")
)
