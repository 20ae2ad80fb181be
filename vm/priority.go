package vm

import "github.com/ethereum/go-ethereum/common"

// PriorityRequest is an entry of the Rollup contract's L1 priority queue,
// as the contract queued it: a deposit (Key, Amount, From), a full-exit
// request (Kind TxFullExit: Account, Nonce, To, Sig) or a forced channel
// challenge (Kind TxForcedChallenge: Channel, State, Sig, SigB). It is the one
// type for such a request: package bridge reads it from L1 logs (and
// embeds it in bridge.Deposit, with where it was mined), the sequencer
// queues it as a transaction, and ReplayPublicData checks public data
// against it.
type PriorityRequest struct {
	// ID is the request's position in the L1 priority queue: the Tx's
	// PriorityID.
	ID uint64
	// Kind is TxDeposit, TxFullExit or TxForcedChallenge. Any other
	// value, the zero value included, is a deposit.
	Kind TxType

	// Key is the L2 key the deposit names, as L1 queued it: a valid key
	// is credited, any other refunded (deposits).
	Key DepositKey
	// Amount is the deposit, in gwei (deposits).
	Amount uint64
	// From is the depositor, whom a refund pays (deposits; the contract
	// keeps it in prioRequests, and the queue hash leaves it out).
	From common.Address

	// Account is the account to exit (full exits).
	Account uint32
	// Nonce is the account's L2 nonce the request names; only a request
	// for the account's current nonce pays (full exits).
	Nonce uint32
	// To is the L1 address to pay (full exits).
	To common.Address
	// Sig is the account key's signature of the full-exit Tx's Message
	// (full exits), or party A's of the channel state (forced challenges).
	Sig Signature

	// Channel is the channel leaf a forced challenge names.
	Channel uint32
	// State is the forced challenge's channel state; its ChainID and
	// ChannelID are not part of the request (the rules fill them in from
	// the chain and the channel leaf).
	State ChannelState
	// SigB is party B's signature of the state (forced challenges).
	SigB Signature
}

// IsForcedChallenge reports whether the request is a forced channel
// challenge.
func (r *PriorityRequest) IsForcedChallenge() bool { return r.Kind == TxForcedChallenge }

// IsDeposit reports whether the request is a deposit (credited or
// refunded).
func (r *PriorityRequest) IsDeposit() bool { return !r.IsFullExit() && !r.IsForcedChallenge() }

// IsFullExit reports whether the request is a full exit.
func (r *PriorityRequest) IsFullExit() bool { return r.Kind == TxFullExit }

// Tx returns the request as the VM transaction, with PriorityID ID: a
// TxFullExit from Account, a TxDeposit of Amount to Key's account, or,
// when Key is no valid L2 key, a TxDepositRefund of Amount to From.
// A deposit's target account (Tx.To) is left 0: which account a key's
// deposit credits is the sequencer's choice (the key's existing account or
// the next free leaf), and it sets To before applying the transaction.
func (r *PriorityRequest) Tx(chainID uint64) Tx {
	if r.IsFullExit() {
		return Tx{Type: TxFullExit, ChainID: chainID, PriorityID: r.ID, From: r.Account, Nonce: r.Nonce, L1To: r.To, Sig: r.Sig}
	}
	if r.IsForcedChallenge() {
		tx := Tx{Type: TxForcedChallenge, PriorityID: r.ID, Channel: r.Channel, Sig: r.Sig, SigB: r.SigB}
		tx.SetChannelState(r.State)
		tx.ChainID = chainID
		return tx
	}
	pub, err := r.Key.PublicKey()
	if err != nil {
		return Tx{Type: TxDepositRefund, ChainID: chainID, PriorityID: r.ID, L1To: r.From, DepositKey: r.Key, Amount: r.Amount}
	}
	return Tx{Type: TxDeposit, ChainID: chainID, PriorityID: r.ID, PubKey: pub, Amount: r.Amount}
}

// ChainHash advances the priority queue's running hash by this request,
// as Rollup.sol does when it queues it and as the batch circuit does when
// a batch consumes it: PriorityHash for a deposit, FullExitPriorityHash
// for a full exit, ForcedChallengePriorityHash for a forced challenge.
// Every reader of the queue (replay, keel verify) uses it, so the kinds
// cannot be confused.
func (r *PriorityRequest) ChainHash(prev Element) Element {
	if r.IsFullExit() {
		return FullExitPriorityHash(prev, r.Account, r.Nonce, r.To, r.Sig)
	}
	if r.IsForcedChallenge() {
		return ForcedChallengePriorityHash(prev, r.Channel, r.State, r.Sig, r.SigB)
	}
	return PriorityHash(prev, r.Amount, r.Key)
}
