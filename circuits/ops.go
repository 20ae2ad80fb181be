package circuits

import (
	"github.com/consensys/gnark/frontend"
	"github.com/keel-rollup/keel/vm"
)

// This file holds one gadget per account operation. Each asserts its
// operation's rules under the operation's selector and returns what the
// operation does to a leaf, zero on every other step. The channel
// operations are in channel.go.

// deposit credits leaf A with the amount. An empty leaf becomes an account
// of the deposit's key, which the witness gives as the leaf's key (an
// empty leaf hashes to 0 whatever its key), and an account must already
// have that key: either way A's key is the deposit's, and the step leaves
// it alone.
func (st *step) deposit(A leafState) leafChange {
	api, s, on := st.api, st.s, st.op.deposit
	fresh := api.Mul(on, api.IsZero(A.kind)) // a deposit creating the account
	st.assertIf(on, A.x, s.PubX)
	st.assertIf(on, A.y, s.PubY)
	// mutate: implied by the key checks above: a non-empty leaf whose X and
	// Y are a deposit key, a point of the prime subgroup, is an account (a
	// channel leaf's packed X and Y are no curve point but by chance of
	// about 2^-126, its Y being below 2^128).
	st.assertIf(api.Sub(on, fresh), A.kind, 1)
	return leafChange{
		kind:    api.Mul(on, api.Sub(1, A.kind)),
		nonce:   api.Neg(api.Mul(fresh, A.nonce)),
		balance: api.Sub(api.Mul(on, s.Amount), api.Mul(fresh, A.balance)),
		aux:     api.Neg(api.Mul(fresh, A.aux)),
	}
}

// signedHead is what transfers, withdrawals and channel opens share: the
// signed nonce is the account's, and the step spends it and pays its
// amount and fee out of leaf A. (The signature is checked in signature.)
func (st *step) signedHead(A leafState) leafChange {
	api, s, on := st.api, st.s, st.op.signed
	st.assertIf(on, A.nonce, s.Nonce)
	// A sponsored head's fee is its sponsor's to pay (sponsorPays).
	return leafChange{
		nonce:   on,
		balance: api.Sub(api.Mul(st.sponsored, s.Fee), api.Mul(on, api.Add(s.Amount, s.Fee))),
	}
}

// sponsorPays debits the sponsor, leaf A of a sponsor's step, by the fee
// of the transaction before it, which the step's signature check makes
// the sponsor's own decision. An overdraft fails leaf A's range check.
func (st *step) sponsorPays() leafChange {
	return leafChange{balance: st.api.Neg(st.api.Mul(st.op.sponsor, st.s.Fee))}
}

// transfer credits leaf B, an existing account other than the sender,
// with the amount (signedHead debits the sender).
func (st *step) transfer(B leafState) leafChange {
	api, s, on := st.api, st.s, st.op.transfer
	st.assertIf(on, s.B.Index, s.Target)
	st.assertIf(on, api.IsZero(api.Sub(s.Account, s.Target)), 0)
	st.assertIf(on, B.kind, 1)
	return leafChange{balance: api.Mul(on, s.Amount)}
}

// withdraw names a non-zero L1 address (signedHead debits the account;
// L1 pays the address from the payout map).
func (st *step) withdraw() {
	st.assertIf(st.op.withdraw, st.api.IsZero(st.s.Target), 0)
}

// fullExit decides whether a full exit is honoured: leaf A is an account
// whose key signed the request for the account's current nonce, and that
// nonce can still advance. An honoured exit pays the whole balance and
// spends the nonce, so the same request filed again pays nothing
// (vm.fullExitHonoured). Otherwise it pays nothing; it cannot be refused,
// so no request jams the queue. It returns 1 when the exit is paid.
func (st *step) fullExit(A leafState, valid frontend.Variable) frontend.Variable {
	api, s, on := st.api, st.s, st.op.fullExit
	nonceOK := api.Mul(api.IsZero(api.Sub(A.nonce, s.Nonce)), api.Sub(1, st.isEq(A.nonce, 1<<32-1)))
	paid := api.Mul(on, st.aIsAccount, valid, nonceOK)
	st.assertIf(on, s.Amount, api.Mul(paid, A.balance))
	return paid
}

// fullExitPayout debits leaf A by what a full exit pays, and spends the
// nonce of one that is honoured.
func (st *step) fullExitPayout(paid frontend.Variable) leafChange {
	return leafChange{
		nonce:   paid,
		balance: st.api.Neg(st.api.Mul(st.op.fullExit, st.s.Amount)),
	}
}

// feePayout credits the operator, leaf A, with every fee collected so far.
func (st *step) feePayout() leafChange {
	on := st.op.feePayout
	st.assertIf(on, st.s.Account, st.c.Operator)
	return leafChange{balance: st.api.Mul(on, st.r.feeAcc)}
}

// queue extends the priority-queue hash with the steps that consume an L1
// request: a deposit or a refund, whose link is HashChain(prev,
// 1|sign|amount, y) (vm.PriorityHash), or a full exit, whose link is
// Compress(Compress(HashChain(prev, 9|nonce|account|to, R.X), R.Y), S)
// (vm.FullExitPriorityHash): one chain serves both. It returns the count
// and hash after the step.
func (st *step) queue() (count, hash frontend.Variable) {
	api, s, r, op := st.api, st.s, st.r, st.op
	// The packing is injective: KeySign is boolean (depositKey), the
	// amount 64 bits.
	depHead := api.Add(api.Mul(int(vm.TxDeposit), twoTo(72)), api.Mul(s.KeySign, twoTo(64)), s.Amount)
	fxHead := api.Add(api.Mul(int(vm.TxFullExit), twoTo(224)), api.Mul(s.Nonce, twoTo(192)), api.Mul(s.Account, twoTo(160)), s.Target)
	// A forced challenge's head (vm.ForcedChallengePriorityHash): Target
	// is the channel leaf, bound in the second step to the leaf it reads;
	// Final is boolean and the rest 64 bits (channel). Its second step
	// links 0 and B's signature.
	fcHead := api.Add(api.Mul(int(vm.TxForcedChallenge), twoTo(225)), api.Mul(s.Target, twoTo(193)), api.Mul(s.Final, twoTo(192)),
		api.Mul(s.Version, twoTo(128)), api.Mul(s.Amount, twoTo(64)), s.AmountB)
	signedLink := api.Add(op.fullExit, op.forced, op.forcedB)
	head := api.Add(api.Mul(op.fullExit, fxHead), api.Mul(op.forced, fcHead), api.Mul(api.Sub(1, signedLink), depHead))
	link := st.h.Chain(r.prioHash, head, api.Select(signedLink, s.SigRX, s.PubY))
	sigLink := st.h.Compress(st.h.Compress(link, s.SigRY), s.SigS)
	isDeposit := api.Add(op.deposit, op.refund)
	count = api.Add(r.prioCount, isDeposit, op.fullExit, op.forced)
	hash = api.Select(isDeposit, link, api.Select(signedLink, sigLink, r.prioHash))
	return count, hash
}

// record is the step's 12-byte public-data record, big-endian bits: the
// opcode byte, then the body of its layout (see vm.Record).
func (st *step) record() []frontend.Variable {
	api, s, r, op := st.api, st.s, st.r, st.op
	// The last DATA record carries the low part of the address.
	isData2 := api.Mul(op.data, st.isEq(r.pending, 1))
	isData1 := api.Sub(op.data, isData2)
	acct64 := api.Mul(s.Account, twoTo(64))
	packedAmount := api.Add(api.Mul(s.AmountE, twoTo(19)), s.AmountM)
	packedFee := api.Add(api.Mul(s.FeeE, twoTo(11)), s.FeeM)
	addrHi := api.FromBinary(st.tgtBits[88:160]...)
	addrLo := api.FromBinary(st.tgtBits[0:88]...)
	body := api.Add(
		api.Mul(op.deposit, api.Add(acct64, s.Amount)),
		api.Mul(op.transfer, api.Add(acct64, api.Mul(s.Target, twoTo(40)), api.Mul(packedAmount, twoTo(16)), packedFee)),
		api.Mul(api.Add(op.withdraw, op.fullExit), api.Add(acct64, s.Amount)),
		api.Mul(isData1, api.Add(api.Mul(packedFee, twoTo(72)), addrHi)),
		api.Mul(isData2, addrLo),
		api.Mul(op.feePayout, api.Add(acct64, r.feeAcc)),
		api.Mul(op.open, api.Add(acct64, api.Mul(s.B.Index, twoTo(40)), api.Mul(packedAmount, twoTo(16)), packedFee)),
		api.Mul(op.fund, api.Add(acct64, api.Mul(packedAmount, twoTo(40)), api.Mul(api.FromBinary(st.tgtBits[0:32]...), twoTo(8)))),
		api.Mul(api.Add(op.close, op.finalize), api.Add(api.Mul(s.B.Index, twoTo(64)), s.Amount)),
		api.Mul(api.Add(op.dispute, op.challenge), api.Add(api.Mul(s.B.Index, twoTo(64)), s.Version)),
		api.Mul(op.payB, api.Add(acct64, s.Amount)),
		// A refund names its request by its position among the batch's.
		api.Mul(op.refund, api.Add(api.Mul(api.Sub(r.prioCount, st.c.PrioCountBefore), twoTo(64)), s.Amount)),
		// A forced challenge: the channel and version, then the verdict
		// and A's balance in the state.
		api.Mul(op.forced, api.Add(api.Mul(s.Target, twoTo(64)), s.Version)),
		api.Mul(op.forcedB, api.Add(api.Mul(st.forcedApplied, twoTo(80)), s.Amount)),
		// A sponsor's step: the sponsor and the fee it pays.
		api.Mul(op.sponsor, api.Add(acct64, api.Mul(packedFee, twoTo(48)))),
	)
	bits := api.ToBinary(api.Add(api.Mul(s.Op, twoTo(88)), body), 96)
	return beBits(bits, 96)
}
