package vm

import (
	"math/big"

	"github.com/ethereum/go-ethereum/common"
)

// Registers is the register file a step hands to the next. The batch-wide
// registers (fees, priority queue) run through every slot; the
// transaction registers are set by a head step and read by its
// continuation steps, which is how a multi-step transaction stays one
// transaction in the circuit.
type Registers struct {
	// FeeAcc is the fees collected so far in the batch. OpFeePayout credits
	// it to the operator and zeroes it; it must be zero after the last slot.
	FeeAcc uint64
	// PriorityCount and PriorityHash track the L1 priority requests
	// consumed so far (see PriorityHash).
	PriorityCount uint64
	PriorityHash  Element
	// Pending is the number of OpData steps the current transaction still
	// owes; any other opcode requires it to be zero.
	Pending uint8
	// Account, Amount, Fee and Target are the current transaction's sender
	// (or credited account), amount, fee, and target: the recipient index
	// of a transfer or the L1 address of a withdrawal.
	Account uint32
	Amount  uint64
	Fee     uint64
	Target  Element
}

// LeafWitness is one leaf update as the circuit sees it: the leaf before
// and after, its path, and the roots around it. An unused leaf slot holds
// a no-op witness on leaf 0 (Before == After), so every slot has the same
// shape.
type LeafWitness struct {
	Used       bool
	Index      uint32
	Before     Account
	After      Account
	Siblings   []Element // bottom first
	RootBefore Element
	RootAfter  Element

	// path is 1 + the tree's deferred-path ticket while the seal has not
	// hashed this witness's path yet (see Tree.SetDeferred), else 0.
	path int
}

// SigWitness is a signature a step checks.
type SigWitness struct {
	PubKey  PublicKey
	Message Element
	Sig     Signature
}

// Step is one slot of a batch: an opcode, its public-data record, the
// registers it leaves, two leaf updates (A then B, applied in that order)
// and at most one signature.
type Step struct {
	Op     Opcode
	Record Record
	Regs   Registers
	Leaves [2]LeafWitness
	Sig    *SigWitness
	// Chan is a channel step's extra witness (head steps only).
	Chan *ChanWitness
	// TxIndex is the transaction the step belongs to, or -1 for the fee
	// payout and padding.
	TxIndex int
	// DepositKey is the key a deposit or a refund step's L1 request named,
	// which the circuit decompresses.
	DepositKey DepositKey
	// Sponsored and Sponsor are a sponsored transfer's or withdrawal's,
	// on its head step: the sender signed them, and the sponsor's step
	// (OpSponsor) follows the head's data steps.
	Sponsored bool
	Sponsor   uint32
}

// Withdrawal is an L1 payout that a batch creates; the L1 contract makes it
// claimable once the batch is verified.
type Withdrawal struct {
	Account uint32
	To      common.Address
	Amount  uint64
	// Refund marks a deposit paid back to its depositor (To, as the L1
	// log named it; Rollup.prioRequests pays it): Account is meaningless.
	Refund bool
}

// SealedBatch is an executed batch: the new state as a change set, the
// per-step trace the prover turns into a witness, the public data the L1
// contract hashes, and the withdrawals it pays out.
type SealedBatch struct {
	ChainID     uint64
	Before      Meta
	After       Meta
	Txs         []Tx
	Steps       []Step
	PublicData  []byte
	Withdrawals []Withdrawal
	FeeTotal    uint64
	Changes     *ChangeSet
}

// FullExitPriorityHash advances the queue's running hash by one full-exit
// request, with the request's nonce and signature in it, so that the
// sequencer can neither drop the request nor swap its nonce or signature
// for a bad one:
//
//	next = Compress(HashChain(prev, kind|nonce|account|to, R.X, R.Y), S)
//
// kind = 9 (full exit), 8 bits; nonce 32 bits; account 32 bits; to 160
// bits. Rollup.requestFullExit computes the same.
func FullExitPriorityHash(prev Element, account, nonce uint32, to common.Address, sig Signature) Element {
	head := new(big.Int).Lsh(big.NewInt(int64(TxFullExit)), 224)
	head.Or(head, new(big.Int).Lsh(big.NewInt(int64(nonce)), 192))
	head.Or(head, new(big.Int).Lsh(big.NewInt(int64(account)), 160))
	head.Or(head, new(big.Int).SetBytes(to[:]))
	var h Element
	h.SetBigInt(head)
	rx, ry, s := sig.Parts()
	return Compress(HashChain(prev, h, rx, ry), s)
}
