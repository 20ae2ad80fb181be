package circuits

import (
	"github.com/consensys/gnark/frontend"
	"github.com/keel-rollup/keel/vm"
)

// This file holds the channel operations' rules (see vm/chanexec.go). A
// channel leaf's fields come in the witness unpacked and are packed here
// into the leaf's X and Y, so the rules read them as numbers.

// chanOut is what the channel rules hand on: the change an operation
// makes to leaf B, the channel.
type chanOut struct {
	leafB leafChange
}

// packChanX packs a channel leaf's X as vm.ChannelLeaf.Leaf does:
// status 8 | A 32 | B 32 | open nonce 32 | period 32 | deadline 64.
func packChanX(api frontend.API, status, a, b, nonce, period, deadline frontend.Variable) frontend.Variable {
	return api.Add(api.Mul(status, twoTo(192)), api.Mul(a, twoTo(160)), api.Mul(b, twoTo(128)), api.Mul(nonce, twoTo(96)), api.Mul(period, twoTo(64)), deadline)
}

// channel enforces the channel rules of a step whose leaf B is a channel
// (see vm/chanexec.go): an open creates it from the signed target, the
// other heads find it where the witness says and check the operation
// against its status, version and deadline. All selectors are zero on
// other steps, where the channel fields are zeros.
func (st *step) channel(B leafState) chanOut {
	api, c, s, tgtBits := st.api, st.c, st.s, st.tgtBits
	isOpen, isClose, isDisp, isChal, isFin, isChHead := st.op.open, st.op.close, st.op.dispute, st.op.challenge, st.op.finalize, st.op.chanHead
	// Ranges, which make the packings injective.
	_ = api.ToBinary(s.ChStatus, 8)
	for _, v := range []frontend.Variable{s.ChA, s.ChB, s.ChNonce, s.ChPeriod} {
		_ = api.ToBinary(v, 32)
	}
	for _, v := range []frontend.Variable{s.ChDeadline, s.ChVersion, s.ChSplitA, s.Version, s.AmountB} {
		_ = api.ToBinary(v, 64)
	}
	api.AssertIsBoolean(s.Final)
	x := packChanX(api, s.ChStatus, s.ChA, s.ChB, s.ChNonce, s.ChPeriod, s.ChDeadline)
	y := api.Add(api.Mul(s.ChVersion, twoTo(64)), s.ChSplitA)

	// Open: the target A signed is B | B's funding | period (vm.Tx.target);
	// the leaf is open at version 0, split as funded, in an empty leaf.
	st.assertIf(isOpen, api.FromBinary(tgtBits[128:160]...), 0)
	st.assertIf(isOpen, s.ChB, api.FromBinary(tgtBits[96:128]...))
	st.assertIf(isOpen, s.AmountB, api.FromBinary(tgtBits[32:96]...))
	st.assertIf(isOpen, s.ChPeriod, api.FromBinary(tgtBits[0:32]...))
	st.assertIf(isOpen, s.ChStatus, int(vm.ChannelOpen))
	st.assertIf(isOpen, s.ChA, s.Account)
	st.assertIf(isOpen, s.ChNonce, s.Nonce)
	st.assertIf(isOpen, s.ChDeadline, 0)
	st.assertIf(isOpen, s.ChVersion, 0)
	st.assertIf(isOpen, s.ChSplitA, s.Amount)
	st.assertIf(isOpen, api.IsZero(api.Sub(s.ChA, s.ChB)), 0)
	st.assertIf(isOpen, api.IsZero(s.ChPeriod), 0)
	st.assertIf(isOpen, api.IsZero(api.Add(s.Amount, s.AmountB)), 0)
	st.assertIf(isOpen, B.kind, int(vm.KindEmpty))

	// The other heads: the leaf is the channel the fields describe, A's
	// account is leaf A, and the state's balances add up to the total.
	st.assertIf(isChHead, s.B.Index, s.Target)
	st.assertIf(isChHead, B.kind, int(vm.KindChannel))
	st.assertIf(isChHead, B.x, x)
	st.assertIf(isChHead, B.y, y)
	st.assertIf(isChHead, s.Account, s.ChA)
	st.assertIf(isChHead, api.Add(s.Amount, s.AmountB), B.balance)
	// Close: a final state, in any status.
	st.assertIf(isClose, s.Final, 1)
	// Dispute: of an open channel; version 0 is the opening split.
	st.assertIf(isDisp, s.ChStatus, int(vm.ChannelOpen))
	st.assertIf(api.Mul(isDisp, api.IsZero(s.Version)), s.Amount, s.ChSplitA) // (its signer: see slot)
	deadline := api.Add(c.Timestamp, s.ChPeriod)
	_ = api.ToBinary(api.Mul(isDisp, deadline), 64)
	// Challenge: of a closing channel, before its deadline, newer.
	// mutate: implied by the deadline check below: an open channel's
	// deadline is 0 (set so by the open, pinned by B.X == x and the field
	// ranges), so Deadline − Timestamp − 1 is negative and fails it.
	st.assertIf(isChal, s.ChStatus, int(vm.ChannelClosing))
	st.newer, st.live = st.chanClock()
	st.assertIf(isChal, st.newer, 1)
	st.assertIf(isChal, st.live, 1)
	// Finalize: of a closing channel, from its deadline, at its split.
	st.assertIf(isFin, s.ChStatus, int(vm.ChannelClosing))
	_ = api.ToBinary(api.Mul(isFin, api.Sub(c.Timestamp, s.ChDeadline)), 64)
	st.assertIf(isFin, s.Amount, s.ChSplitA)

	// The channel leaf after the step: an open fills an empty leaf with
	// the channel the fields describe; a dispute marks it closing with its
	// deadline and the disputed state, a challenge replaces the state; a
	// close or finalize empties it.
	xDisp := packChanX(api, int(vm.ChannelClosing), s.ChA, s.ChB, s.ChNonce, s.ChPeriod, deadline)
	yNew := api.Add(api.Mul(s.Version, twoTo(64)), s.Amount)
	return chanOut{leafB: leafChange{
		kind:    api.Sub(api.Mul(isOpen, int(vm.KindChannel)), api.Mul(api.Add(isClose, isFin), B.kind)),
		x:       api.Add(api.Mul(isOpen, api.Sub(x, B.x)), api.Mul(isDisp, api.Sub(xDisp, B.x))),
		y:       api.Add(api.Mul(isOpen, api.Sub(y, B.y)), api.Mul(api.Add(isDisp, isChal), api.Sub(yNew, B.y))),
		nonce:   api.Neg(api.Mul(isOpen, B.nonce)),
		balance: api.Mul(isOpen, api.Sub(api.Add(s.Amount, s.AmountB), B.balance)),
		aux:     api.Neg(api.Mul(isOpen, B.aux)),
	}}
}

// chanPayA is what the channel steps do to leaf A, a party's account: A is
// paid its share on a close or finalize, B on their continuation, and B
// pays its funding on an open's. (An open's own debit is signedHead's.)
func (st *step) chanPayA() leafChange {
	api, s, r, op := st.api, st.s, st.r, st.op
	return leafChange{balance: api.Add(
		api.Mul(api.Add(op.close, op.finalize), s.Amount),
		api.Mul(op.payB, r.credit, s.Amount),
		api.Neg(api.Mul(op.fund, s.Amount)),
	)}
}
