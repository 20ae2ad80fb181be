package l1node

import "errors"

// Errors of the embedded L1. Each doc line says what a driver should do:
// retry, reset (rewind to a known point) or halt.
var (
	// ErrInvalidConfig wraps every Config.Validate failure. Critical: fix
	// the configuration; retrying reads the same values.
	ErrInvalidConfig = errors.New("l1node: invalid config")
	// ErrDataDirInUse means another node, in this process or another, holds
	// the data directory's lock. Critical for this node: stop the other one
	// or give this one its own DataDir.
	ErrDataDirInUse = errors.New("l1node: data dir is in use by another node")
	// ErrPortInUse means an RPC port is taken. Nothing was opened: retry
	// once the port is free, or configure another (0 picks a free one).
	ErrPortInUse = errors.New("l1node: port in use")
	// ErrGenesisMismatch means the data directory holds a chain that this
	// config cannot continue: another chain id, or a dev account the stored
	// genesis never funded. Critical: start with the original settings, or
	// point DataDir at a fresh directory to begin a new chain.
	ErrGenesisMismatch = errors.New("l1node: data dir holds an incompatible chain")
	// ErrStarted means Start was called on a running node. A bug in the
	// caller's lifecycle; the running node is unaffected.
	ErrStarted = errors.New("l1node: already started")
	// ErrNotRunning means an endpoint or client was asked of a node that is
	// not running. Start it first; after Stop, Start again.
	ErrNotRunning = errors.New("l1node: not running")
)
