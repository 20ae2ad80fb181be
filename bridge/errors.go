package bridge

import (
	"context"
	"errors"
)

// Kind says what a driver should do about an error, as op-node's
// derivation does.
type Kind int

const (
	// Temporary errors are retried after a pause: the L1 endpoint is down,
	// a call timed out, a transaction is not mined yet.
	Temporary Kind = iota
	// Critical errors halt the component: retrying cannot help and a human
	// must act (the message says how).
	Critical
)

func (k Kind) String() string {
	if k == Critical {
		return "critical"
	}
	return "temporary"
}

// Sentinel errors.
var (
	// ErrDeepReorg means a block the watcher already processed at its
	// confirmation depth is no longer canonical. Critical: raise the
	// confirmation depth and resync the node from L1.
	ErrDeepReorg = errors.New("bridge: reorg deeper than the confirmation depth")
	// ErrDepositConflict means a deposit index was seen twice with different
	// contents. Critical: the L1 data cannot be trusted at this depth.
	ErrDepositConflict = errors.New("bridge: conflicting deposits for one queue index")
	// ErrDepositGap means deposit indices are not contiguous in the logs.
	// Critical: the endpoint is dropping logs; use another one.
	ErrDepositGap = errors.New("bridge: gap in deposit queue indices")
	// ErrOutOfOrder means a batch was submitted before its predecessor
	// reached L1. Temporary: submit the predecessor first.
	ErrOutOfOrder = errors.New("bridge: batch submitted out of order")
	// ErrReverted means the Rollup rejected a batch. Critical: the batch or
	// its proof does not match the chain (wrong keys, wrong state).
	ErrReverted = errors.New("bridge: batch commit reverted")
	// ErrNotSequencer means the submitter's key is not the Rollup's
	// sequencer. Critical: configure the registered sequencer key.
	ErrNotSequencer = errors.New("bridge: submitter key is not the registered sequencer")
	// ErrFeeCap means fee bumping reached the configured maximum. Temporary:
	// the transaction waits for fees to drop, or raise the cap.
	ErrFeeCap = errors.New("bridge: fee cap reached")
)

// Classify returns what to do about err.
func Classify(err error) Kind {
	switch {
	case err == nil:
		return Temporary
	case errors.Is(err, ErrDeepReorg), errors.Is(err, ErrDepositConflict), errors.Is(err, ErrDepositGap),
		errors.Is(err, ErrReverted), errors.Is(err, ErrNotSequencer):
		return Critical
	case errors.Is(err, context.Canceled):
		return Critical // shutting down: do not retry
	}
	// Everything else (refused connections, timeouts, rate limits, a
	// transaction not yet mined) is worth another try: the loops back off
	// and log, and the metrics show how long the L1 has been failing.
	return Temporary
}
