package vm

import (
	"errors"
	"fmt"
)

// Rejections. The executor returns one of these (wrapped with detail) for a
// transaction it refuses; a refused transaction changes nothing. The circuit
// enforces the same rules, so each of them is also unprovable.
var (
	// ErrMalformed means a field is out of its range or an encoding is not
	// canonical: bad lengths, unknown types, fields a type does not use set
	// to non-zero, invalid curve points. Transactions, keys, key files,
	// accounts and public data all report it.
	ErrMalformed = errors.New("vm: malformed input")
	// ErrWrongChain means the transaction names another chain id.
	ErrWrongChain = errors.New("vm: wrong chain id")
	// ErrBadSignature means the signature does not verify under the sender's key.
	ErrBadSignature = errors.New("vm: bad signature")
	// ErrBadNonce means the nonce is not the sender's next nonce.
	ErrBadNonce = errors.New("vm: wrong nonce")
	// ErrNonceExhausted means the sender has used every nonce.
	ErrNonceExhausted = errors.New("vm: account nonce exhausted")
	// ErrInsufficientBalance means amount plus fee exceeds the sender's balance.
	ErrInsufficientBalance = errors.New("vm: insufficient balance")
	// ErrSponsorFunds means a sponsored transaction's sponsor cannot pay
	// its fee: the sponsor ran dry. It is an ErrInsufficientBalance.
	ErrSponsorFunds = fmt.Errorf("%w: sponsor ran dry", ErrInsufficientBalance)
	// ErrOverflow means a sum (amount plus fee, a credited balance, the
	// batch's fee total) would not fit in 64 bits.
	ErrOverflow = errors.New("vm: amount overflow")
	// ErrUnknownAccount means the index holds no account.
	ErrUnknownAccount = errors.New("vm: unknown account")
	// ErrNotAccount means the index holds a leaf of another kind (a channel).
	ErrNotAccount = errors.New("vm: leaf is not an account")
	// ErrZeroAmount means the amount is zero.
	ErrZeroAmount = errors.New("vm: zero amount")
	// ErrIndexOutOfRange means an account index does not fit the tree.
	ErrIndexOutOfRange = errors.New("vm: account index out of range")
	// ErrSelfTransfer means sender and recipient are the same account.
	ErrSelfTransfer = errors.New("vm: transfer to self")
	// ErrAmountNotPackable means a transfer amount has no exact Float24
	// encoding; round it to at most 19 significant bits times a power of ten.
	ErrAmountNotPackable = errors.New("vm: amount not representable in public data")
	// ErrFeeNotPackable means a fee has no exact Float16 encoding.
	ErrFeeNotPackable = errors.New("vm: fee not representable in public data")
	// ErrZeroAddress means a withdrawal names the zero L1 address, which
	// would burn the funds.
	ErrZeroAddress = errors.New("vm: withdrawal to the zero address")
	// ErrPriorityOrder means a deposit is not the next unprocessed L1
	// priority request; deposits are consumed strictly in queue order.
	ErrPriorityOrder = errors.New("vm: deposit out of priority-queue order")
	// ErrPubKeyMismatch means a deposit targets an account that belongs to
	// another key.
	ErrPubKeyMismatch = errors.New("vm: deposit key does not own the account")
	// ErrBatchFull means the transaction's steps do not fit in the batch's
	// remaining slots. It is not a verdict on the transaction: put it in
	// the next batch.
	ErrBatchFull = errors.New("vm: batch full")
	// ErrSealed means the batch was already sealed.
	ErrSealed = errors.New("vm: batch already sealed")
	// ErrTimestamp means a batch timestamp goes back in time. A driver
	// bug, not a verdict on a transaction.
	ErrTimestamp = errors.New("vm: batch timestamp before the previous batch's")
	// ErrWrongPassword means a key file did not decrypt under the password.
	ErrWrongPassword = errors.New("vm: wrong key-file password")
)

// Channel rejections.
var (
	// ErrNotChannel means the leaf a channel operation names holds no
	// channel: it was never opened, or it was settled already.
	ErrNotChannel = errors.New("vm: no such channel")
	// ErrChannelState means the operation does not fit the channel's
	// status: a dispute of a channel already closing, a challenge or a
	// finalize of one that is not, a challenge after the deadline or a
	// finalize before it, a cooperative close without a final state.
	ErrChannelState = errors.New("vm: channel is not in a state that allows this")
	// ErrStaleState means a challenge's version is not above the closing
	// state's.
	ErrStaleState = errors.New("vm: channel state is not newer than the one on chain")
	// ErrChannelSplit means a state's balances do not add up to the
	// channel's locked total, or a version-0 dispute does not repeat the
	// opening split.
	ErrChannelSplit = errors.New("vm: channel balances do not match the locked total")
	// ErrLeafTaken means an open's channel leaf is not empty.
	ErrLeafTaken = errors.New("vm: channel leaf is in use")
)
