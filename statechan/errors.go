package statechan

import (
	"errors"
	"fmt"
)

// Errors of the channel state machine, the wire protocol and the store.
// Each doc line says what a driver should do with it: retry (temporary),
// reset (resynchronise with the peer by reconnecting) or halt (critical).
// A remote rejection arrives as a *RejectError that matches both
// ErrRejected and the sentinel the peer named, so errors.Is works across
// the wire.
var (
	// ErrInsufficientFunds means a payment exceeds the payer's balance in
	// the latest co-signed state less what is already queued or in flight.
	// A verdict on the payment: pay less, or wait for incoming payments.
	ErrInsufficientFunds = errors.New("statechan: payment exceeds the payer's channel balance")
	// ErrZeroAmount means a payment of zero, or a proposal that moves no
	// funds. A verdict on the payment.
	ErrZeroAmount = errors.New("statechan: zero payment")
	// ErrWrongDirection means a proposal lowers the receiver's balance: a
	// peer may only ever pay, never make the receiver pay. Peer misbehaviour.
	ErrWrongDirection = errors.New("statechan: proposal takes funds from the receiver")
	// ErrTotalChanged means a state's balances do not add up to the
	// channel's locked total. Peer misbehaviour.
	ErrTotalChanged = errors.New("statechan: state does not conserve the channel total")
	// ErrBadSignature means a signature does not verify under the key it
	// claims. Peer misbehaviour; the session ends.
	ErrBadSignature = errors.New("statechan: bad signature")
	// ErrNotCoSigned means a state offered as fully co-signed lacks a valid
	// signature of one of the parties. Peer misbehaviour; nothing is adopted.
	ErrNotCoSigned = errors.New("statechan: state not signed by both parties")
	// ErrWrongChain means a state or handshake names another chain id: a
	// replay from another chain, or a misconfigured peer.
	ErrWrongChain = errors.New("statechan: wrong chain id")
	// ErrWrongChannel means a state or handshake names another channel id: a
	// replay from another channel, or a misconfigured peer.
	ErrWrongChannel = errors.New("statechan: wrong channel id")
	// ErrStaleVersion means a proposal's version is not above the latest
	// co-signed state or a version already used. Reset: reconnect to resync.
	ErrStaleVersion = errors.New("statechan: stale state version")
	// ErrVersionSkip means a proposal's version is beyond the next one.
	// Reset: reconnect to resync.
	ErrVersionSkip = errors.New("statechan: state version skips ahead")
	// ErrVersionExhausted means the channel has used every version. Close it.
	ErrVersionExhausted = errors.New("statechan: channel versions exhausted")
	// ErrConflict means both parties proposed a state for the same version
	// at once. Temporary: the session retries the payment by itself.
	ErrConflict = errors.New("statechan: concurrent proposals for one version")
	// ErrForked means the peer holds a co-signed state of the same version
	// as ours but different. It cannot happen between honest parties, since
	// neither signs two states of one version: halt and close on chain with
	// the latest state, which the watcher defends.
	ErrForked = errors.New("statechan: peer holds a different state of the same version")
	// ErrBadClose means a close proposal is not final or changes balances.
	// Peer misbehaviour.
	ErrBadClose = errors.New("statechan: close proposal must be final and keep the balances")
	// ErrChannelClosed means the channel has a co-signed final state: no
	// update can follow it. Settle it on chain.
	ErrChannelClosed = errors.New("statechan: channel closed")
	// ErrProposalPending means the party already has a proposal in flight;
	// the state machine allows one. Wait for its answer.
	ErrProposalPending = errors.New("statechan: a proposal is already in flight")
	// ErrNoProposal means an acknowledgement or rejection names no proposal
	// of ours. Peer misbehaviour; the session ends.
	ErrNoProposal = errors.New("statechan: answer to no pending proposal")
	// ErrNotParty means a key is neither party of the channel.
	ErrNotParty = errors.New("statechan: key is not a party of the channel")
	// ErrBadParams means channel parameters are invalid (a zero key, both
	// parties the same key, a total that overflows). Fix the parameters.
	ErrBadParams = errors.New("statechan: invalid channel parameters")

	// ErrMalformed means bytes from outside do not decode: wrong length,
	// unknown type, a non-canonical encoding. Peer misbehaviour; the session
	// ends.
	ErrMalformed = errors.New("statechan: malformed message")
	// ErrWrongPeer means the peer presented a key other than the channel's
	// counterparty. The connection is refused before any state is exchanged.
	ErrWrongPeer = errors.New("statechan: peer key is not the channel counterparty")
	// ErrAuthFailed means the peer did not prove control of its key. The
	// connection is refused before any state is exchanged.
	ErrAuthFailed = errors.New("statechan: peer failed authentication")
	// ErrProtocol means a message arrived out of order (an update before the
	// handshake, a second hello). Peer misbehaviour; the session ends.
	ErrProtocol = errors.New("statechan: protocol violation")
	// ErrRejected marks every rejection the peer sent; the *RejectError that
	// carries it also matches the peer's named reason.
	ErrRejected = errors.New("statechan: rejected by peer")

	// ErrUnsettled means a payment was in flight when its session ended or
	// its context expired: the peer may or may not have countersigned it.
	// The next session's sync settles it; read State afterwards.
	ErrUnsettled = errors.New("statechan: payment in flight, outcome settled on reconnect")
	// ErrNoSession means no authenticated session is open for the channel.
	// Temporary: dial the peer, or wait for it to dial in.
	ErrNoSession = errors.New("statechan: no session with the peer")
	// ErrSessionClosed means the session ended before the request was
	// proposed: nothing was signed. Temporary: retry on a new session.
	ErrSessionClosed = errors.New("statechan: session closed")
	// ErrUnknownChannel means the endpoint holds no channel of that id. Open
	// it first.
	ErrUnknownChannel = errors.New("statechan: unknown channel")
	// ErrChannelExists means Open was called for a channel already stored.
	ErrChannelExists = errors.New("statechan: channel already open")
	// ErrNotStarted means the endpoint is not running (before Start or
	// after Stop). A lifecycle bug in the caller.
	ErrNotStarted = errors.New("statechan: endpoint not running")
	// ErrStoreClosed means the store was used after Close. A lifecycle bug
	// in the caller: halt.
	ErrStoreClosed = errors.New("statechan: store closed")
	// ErrCorrupt means stored bytes do not decode or a stored co-signed
	// state does not verify. Critical: halt, and restore the data
	// directory; retrying reads the same bytes.
	ErrCorrupt = errors.New("statechan: corrupt channel store")
	// ErrHalted means an earlier durable write failed, so the in-memory
	// state may be ahead of the disk. Critical: stop, then restart from the
	// store, which reconnects and resyncs.
	ErrHalted = errors.New("statechan: channel halted after a failed write")
)

// RejectCode names a rejection reason on the wire. Codes map one to one to
// the sentinel errors above, so a peer's rejection is a Go error the caller
// can test with errors.Is.
type RejectCode uint8

// Rejection codes. Zero is invalid on the wire.
const (
	RejectInternal RejectCode = iota + 1
	RejectMalformed
	RejectBadSignature
	RejectNotCoSigned
	RejectWrongChain
	RejectWrongChannel
	RejectStaleVersion
	RejectVersionSkip
	RejectVersionExhausted
	RejectTotalChanged
	RejectWrongDirection
	RejectInsufficientFunds
	RejectZeroAmount
	RejectConflict
	RejectBadClose
	RejectChannelClosed
	RejectWrongPeer
	RejectAuthFailed
	RejectProtocol
	RejectForked
	rejectCodeEnd
)

var rejectErrors = [...]error{
	RejectInternal:          errors.New("statechan: peer internal error"),
	RejectMalformed:         ErrMalformed,
	RejectBadSignature:      ErrBadSignature,
	RejectNotCoSigned:       ErrNotCoSigned,
	RejectWrongChain:        ErrWrongChain,
	RejectWrongChannel:      ErrWrongChannel,
	RejectStaleVersion:      ErrStaleVersion,
	RejectVersionSkip:       ErrVersionSkip,
	RejectVersionExhausted:  ErrVersionExhausted,
	RejectTotalChanged:      ErrTotalChanged,
	RejectWrongDirection:    ErrWrongDirection,
	RejectInsufficientFunds: ErrInsufficientFunds,
	RejectZeroAmount:        ErrZeroAmount,
	RejectConflict:          ErrConflict,
	RejectBadClose:          ErrBadClose,
	RejectChannelClosed:     ErrChannelClosed,
	RejectWrongPeer:         ErrWrongPeer,
	RejectAuthFailed:        ErrAuthFailed,
	RejectProtocol:          ErrProtocol,
	RejectForked:            ErrForked,
}

// Err returns the sentinel error the code stands for.
func (c RejectCode) Err() error {
	if c == 0 || c >= rejectCodeEnd {
		return rejectErrors[RejectInternal]
	}
	return rejectErrors[c]
}

// rejectCodeOf maps an error to the code that names it on the wire;
// errors without a code are internal.
func rejectCodeOf(err error) RejectCode {
	for c := RejectCode(1); c < rejectCodeEnd; c++ {
		if c != RejectInternal && errors.Is(err, rejectErrors[c]) {
			return c
		}
	}
	return RejectInternal
}

// RejectError is a rejection received from the peer. It matches
// ErrRejected and the sentinel of its code under errors.Is.
type RejectError struct {
	// Version is the version of the refused proposal (0 in a handshake).
	Version uint64
	// Code is the peer's reason.
	Code RejectCode
	// Reason is the peer's message, for logs only: it is not trusted.
	Reason string
}

func (e *RejectError) Error() string {
	return fmt.Sprintf("statechan: peer rejected version %d: %v (%q)", e.Version, e.Code.Err(), e.Reason)
}

// Unwrap lets errors.Is see both ErrRejected and the code's sentinel.
func (e *RejectError) Unwrap() []error { return []error{ErrRejected, e.Code.Err()} }
