package sequencer

import "errors"

// Errors of the sequencer: the state store first, then the mempool. Each
// doc line says what a driver should do: retry, reset (rewind to a known
// point) or halt.
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

	// Mempool admission errors. Each is a verdict on one transaction, for
	// its sender; the pool is unchanged by it.

	// ErrTxType means the transaction is not one users send: deposits and
	// full exits enter through the L1 Rollup contract. The mempool itself
	// takes only the nonce-signed types (transfers, withdrawals, channel
	// opens); the sequencer queues the other channel operations beside it.
	ErrTxType = errors.New("sequencer: not a transaction users send (deposits and full exits come from L1)")
	// ErrAlreadyKnown means the identical transaction is already pending
	// (pooled or queued), or, for a channel operation without a nonce, in
	// a sealed batch. Nothing to do: follow its receipt.
	ErrAlreadyKnown = errors.New("sequencer: transaction already known")
	// ErrTooMany means a SendTransactions call carried more than
	// MaxSendBatch transactions. Split it.
	ErrTooMany = errors.New("sequencer: too many transactions")
	// ErrFeeTooLow means the fee is below the pool's minimum. Re-sign with
	// at least the minimum fee.
	ErrFeeTooLow = errors.New("sequencer: fee below the mempool minimum")
	// ErrNonceTooLow means the sender has already used the nonce. Read the
	// account's nonce again and re-sign with it.
	ErrNonceTooLow = errors.New("sequencer: nonce already used")
	// ErrNonceTooHigh means the nonce is too far ahead of the account's
	// nonce. Wait until earlier transactions are included, then resend.
	ErrNonceTooHigh = errors.New("sequencer: nonce too far ahead")
	// ErrReplaceUnderpriced means a transaction with the same sender and
	// nonce is pooled and this one does not raise the fee enough to
	// replace it. Re-sign with at least the fee the message names.
	ErrReplaceUnderpriced = errors.New("sequencer: replacement fee too low")
	// ErrAccountFull means the sender has as many transactions pooled as
	// the pool allows one account. Temporary: resend after some are
	// included.
	ErrAccountFull = errors.New("sequencer: too many pooled transactions from this account")
	// ErrPoolFull means the pool is full and the fee does not outbid the
	// cheapest transaction it could evict. Temporary: retry later, or pay
	// a higher fee.
	ErrPoolFull = errors.New("sequencer: mempool full")
	// ErrChannelQueueFull means Config.MaxChannelOps channel closes,
	// disputes, challenges and finalizes are already queued. Temporary:
	// retry once the next batch has taken some.
	ErrChannelQueueFull = errors.New("sequencer: channel operation queue full")
	// ErrTreeFull means no free leaf is left for a new account or
	// channel. An open that meets it is rejected (it also wraps
	// vm.ErrIndexOutOfRange, so that Fill drops it); a deposit that meets
	// it halts sequencing, since deposits must be consumed in order.
	ErrTreeFull = errors.New("sequencer: the state tree has no free leaf")
)

var (
	// ErrHalted means sequencing stopped on a broken invariant (a state
	// read failed, a deposit cannot be applied). Critical: the node logs
	// the cause; restart it once that is fixed. Nothing acknowledged is lost.
	ErrHalted = errors.New("sequencer: halted")
	// ErrDepositGap means deposits arrived out of priority-queue order.
	// The bridge must deliver them in order; reset it to the last
	// delivered deposit.
	ErrDepositGap = errors.New("sequencer: gap in the deposit queue")
)
