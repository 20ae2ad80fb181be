package circuits

import (
	"math/big"

	"github.com/consensys/gnark/frontend"
	"github.com/keel-rollup/keel/vm"
)

// This file holds the forced challenge's rules (vm/forced.go): a channel
// challenge filed on L1, which every batch must consume in queue order
// and which applies only when it is a valid challenge. Its head step
// checks party A's signature without asserting it and hands the result on
// (registers.forcedA); its second step reads party B's account and the
// requested leaf, checks B's signature the same way, and decides.

// chanClock compares a state with its channel without asserting anything:
// newer is 1 when Version > ChVersion, live when Timestamp < ChDeadline.
// Each is the top bit of a 65-bit decomposition of the difference less one
// plus 2^64: the fields are 64-bit (channel, and the header's timestamp),
// so the sum lies in [0, 2^65) and the top bit is set exactly when the
// difference is positive.
func (st *step) chanClock() (newer, live frontend.Variable) {
	api, s := st.api, st.s
	top := func(a, b frontend.Variable) frontend.Variable {
		return api.ToBinary(api.Add(api.Sub(a, b), new(big.Int).Sub(twoTo(64), big.NewInt(1))), 65)[64]
	}
	return top(s.Version, s.ChVersion), top(s.ChDeadline, st.c.Timestamp)
}

// forcedChallenge enforces a forced challenge's second step, whose leaf A
// is party B's account and leaf B the requested leaf, and returns what it
// does to leaf B: the state replaces the channel's when the leaf is a
// channel that is closing, the state is newer and sums to the locked
// total, the batch is before the deadline, and both parties' accounts
// signed it (validB is this step's signature). Otherwise nothing changes;
// the request is consumed either way. It also pins the head's party A.
func (st *step) forcedChallenge(B leafState, validB frontend.Variable) leafChange {
	api, s, r, op := st.api, st.s, st.r, st.op
	// The head reads party A's account, as the channel names it: the
	// message binds the head's ChA to this step's, which the leaf pins.
	st.assertIf(op.forced, s.Account, s.ChA)

	on := op.forcedB
	// The requested leaf, whichever it is: Target is the head's, which
	// the queue hash bound to the L1 request. (This also keeps the head's
	// Target within the depth, which its queue packing needs.)
	st.assertIf(on, s.B.Index, s.Target)
	isChan := api.Mul(on, st.isEq(B.kind, int(vm.KindChannel)))
	// A channel's fields are the leaf's, and B's account is its party B.
	x := packChanX(api, s.ChStatus, s.ChA, s.ChB, s.ChNonce, s.ChPeriod, s.ChDeadline)
	y := api.Add(api.Mul(s.ChVersion, twoTo(64)), s.ChSplitA)
	st.assertIf(isChan, B.x, x)
	st.assertIf(isChan, B.y, y)
	st.assertIf(isChan, s.Account, s.ChB)

	closing := st.isEq(s.ChStatus, int(vm.ChannelClosing))
	// Amount and AmountB are 64-bit, so their sum is exact.
	sums := api.IsZero(api.Sub(api.Add(s.Amount, s.AmountB), B.balance))
	signed := api.Mul(r.forcedA, validB, st.aIsAccount)
	applies := api.Mul(isChan, closing, st.newer, st.live, sums, signed)
	st.forcedApplied = applies

	yNew := api.Add(api.Mul(s.Version, twoTo(64)), s.Amount)
	return leafChange{y: api.Mul(applies, api.Sub(yNew, B.y))}
}
