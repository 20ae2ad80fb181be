package circuits

import (
	"github.com/consensys/gnark/frontend"
	"github.com/keel-rollup/keel/vm"
)

// opcode is a step's opcode decoded into one selector per operation, of
// which exactly one is 1, and the groups the rules speak of.
type opcode struct {
	noop, deposit, transfer, withdraw, feePayout, data, fullExit frontend.Variable
	refund                                                       frontend.Variable
	open, fund, close, dispute, challenge, finalize, payB        frontend.Variable
	// forced and forcedB are a forced challenge's two steps (vm/forced.go).
	forced, forcedB frontend.Variable
	// sponsor is the sponsor's step after a sponsored transaction's.
	sponsor                             frontend.Variable
	signed, stateOp, chanHead, chanCont frontend.Variable
	// stateMsg marks the steps whose message is a channel state's.
	stateMsg frontend.Variable
}

// decodeOp returns op's selectors and asserts that op is a known opcode.
func (b *batchAPI) decodeOp(op frontend.Variable) opcode {
	api := b.api
	is := func(o vm.Opcode) frontend.Variable { return b.isEq(op, int(o)) }
	o := opcode{
		noop: is(vm.OpNoop), deposit: is(vm.OpDeposit), transfer: is(vm.OpTransfer),
		withdraw: is(vm.OpWithdraw), feePayout: is(vm.OpFeePayout), data: is(vm.OpData),
		fullExit: is(vm.OpFullExit), refund: is(vm.OpDepositRefund),
		open: is(vm.OpChanOpen), fund: is(vm.OpChanFund),
		close: is(vm.OpChanClose), dispute: is(vm.OpChanDispute), challenge: is(vm.OpChanChallenge),
		finalize: is(vm.OpChanFinalize), payB: is(vm.OpChanPayB),
		forced: is(vm.OpForcedChallenge), forcedB: is(vm.OpForcedChallengeB),
		sponsor: is(vm.OpSponsor),
	}
	api.AssertIsEqual(api.Add(o.noop, o.deposit, o.transfer, o.withdraw, o.feePayout, o.data, o.fullExit, o.refund,
		o.open, o.fund, o.close, o.dispute, o.challenge, o.finalize, o.payB, o.forced, o.forcedB, o.sponsor), 1)
	// An open is signed with a nonce like a transfer; the state heads
	// carry a co-signed channel state; the channel heads name an existing
	// channel leaf; a continuation is party B's step.
	o.signed = api.Add(o.transfer, o.withdraw, o.open)
	o.stateOp = api.Add(o.close, o.dispute, o.challenge)
	o.chanHead = api.Add(o.stateOp, o.finalize)
	o.chanCont = api.Add(o.fund, o.payB)
	o.stateMsg = api.Add(o.stateOp, o.forced, o.forcedB)
	return o
}

// step is one slot while its rules are enforced: the witness, the
// registers the previous step handed on, and what several rules share.
type step struct {
	*batchAPI
	c  *BatchCircuit
	s  *Slot
	r  registers
	op opcode

	// tgtBits is the Target register, 160 bits little-endian: an L1
	// address, or an open's packed channel terms.
	tgtBits []frontend.Variable
	// aeBits and feBits are the packed-float exponents of the amount and
	// of the fee.
	aeBits, feBits []frontend.Variable
	// aIsAccount is 1 when leaf A is an account (kind 1).
	aIsAccount frontend.Variable
	// newer is 1 when the state's version is above the channel's, live
	// when the batch time is before the channel's deadline (chanClock).
	newer, live frontend.Variable
	// forcedApplied is 1 on a forced challenge's second step when the
	// challenge applies (forcedChallenge).
	forcedApplied frontend.Variable
	// sponsored is 1 on a sponsored transfer's or withdrawal's head, and
	// sponsor then its sponsor's index, else 0 (ranges).
	sponsored, sponsor frontend.Variable
}

// slotOut is what a step hands on: the running root, the registers, its
// 96 public-data bits (big-endian) and its payout-map bit.
type slotOut struct {
	root   frontend.Variable
	regs   registers
	record []frontend.Variable
	payout frontend.Variable
}

// slot enforces one step: the rules every step obeys, then each
// operation's own, then the two leaf updates their changes add up to.
// Each operation's gadget asserts its rules under its selector and
// returns what it does to leaves A and B.
func (b *batchAPI) slot(c *BatchCircuit, s *Slot, running frontend.Variable, r registers) (slotOut, error) {
	st := &step{batchAPI: b, c: c, s: s, r: r, op: b.decodeOp(s.Op)}
	st.ranges()
	st.order()
	pending := st.pending()
	st.amounts()
	// A valid key's deposit credits it; any other's is refunded on L1.
	keyValid := st.depositKey()
	st.assertIf(b.api.Add(st.op.deposit, st.op.refund), keyValid, st.op.deposit)

	A, aIdx := st.leafA()
	sig, err := st.signature(A)
	if err != nil {
		return slotOut{}, err
	}
	fxPaid := st.fullExit(A, sig.valid)
	B, bIdx := st.leafB()
	ch := st.channel(B)
	forcedB := st.forcedChallenge(B, sig.valid)

	aAfter := b.apply(A,
		st.deposit(A),
		st.signedHead(A),
		st.fullExitPayout(fxPaid),
		st.feePayout(),
		st.chanPayA(),
		st.sponsorPays(),
	)
	// A balance that went negative, or past 2^64, or a nonce past 2^32
	// fails these decompositions: overdrafts and overflows are unprovable.
	_ = b.api.ToBinary(aAfter.balance, 64)
	_ = b.api.ToBinary(aAfter.nonce, 32)
	// No operation changes leaf A's key (a deposit's is the witness's,
	// which deposit checks), so both sides share its hash.
	aKey := b.h.Compress(A.x, A.y)
	running = b.update(&s.A, aIdx, b.leafHashKeyed(aKey, A), b.leafHashKeyed(aKey, aAfter), running)

	bAfter := b.apply(B,
		st.transfer(B),
		ch.leafB,
		forcedB,
	)
	_ = b.api.ToBinary(bAfter.balance, 64)
	running = b.update(&s.B, bIdx, b.leafHash(B), b.leafHash(bAfter), running)

	st.withdraw()

	next := st.nextRegisters(pending, sig)
	return slotOut{root: running, regs: next, record: st.record(), payout: b.api.Add(st.op.withdraw, st.op.fullExit, st.op.refund)}, nil
}

// ranges decomposes the step's fields: these make every packing below
// injective. Leaf fields are decomposed where the leaf is read.
func (st *step) ranges() {
	api, s := st.api, st.s
	// mutate: implied: a deposit's amount is bound by the queue hash to
	// L1's uint64; a full exit's is the leaf's balance or 0; B's payment
	// is its head's 64-bit AmountB; a dispute's and a challenge's is the
	// channel's total less a 64-bit AmountB, under both parties'
	// signatures; every other is added to or taken from a leaf whose new
	// balance is range-checked, and the record's 96-bit decomposition,
	// whose low bits hold it, refuses a field-negative one.
	_ = api.ToBinary(s.Amount, 64)
	// mutate: implied: a signed head pays its fee out of leaf A, whose new
	// balance is range-checked, and continuation steps repeat it.
	_ = api.ToBinary(s.Fee, 64)
	// mutate: implied: a signed head's nonce equals leaf A's (range-checked
	// below), and a full exit's is pinned to the L1 request's by the queue
	// hash, into which it enters at a fixed offset.
	_ = api.ToBinary(s.Nonce, 32)
	accountBits := api.ToBinary(s.Account, st.depth)
	st.tgtBits = api.ToBinary(s.Target, 160)
	st.aeBits = api.ToBinary(s.AmountE, 5)
	amBits := api.ToBinary(s.AmountM, 19)
	st.feBits = api.ToBinary(s.FeeE, 5)
	fmBits := api.ToBinary(s.FeeM, 11)
	_, _, _ = accountBits, amBits, fmBits
	// The sponsor fields are read through one decomposition, whose top
	// bit is the flag and the rest the index, so what the rules use is
	// canonical whatever the witness says. Only a transfer's or a
	// withdrawal's head has a sponsor: every other step reads none.
	spBits := api.ToBinary(api.Add(api.Mul(s.Sponsored, twoTo(uint(st.depth))), s.Sponsor), st.depth+1)
	st.sponsored = api.Mul(spBits[st.depth], api.Add(st.op.transfer, st.op.withdraw))
	st.sponsor = api.Mul(st.sponsored, api.FromBinary(spBits[:st.depth]...))
}

// order checks where a step may come: continuation steps repeat their
// head's registers and come only when a head owes them, and padding comes
// last, as Seal writes it, so that a batch has one encoding.
func (st *step) order() {
	api, s, r, op := st.api, st.s, st.r, st.op
	// Data steps and a sponsor's step repeat the registers their head
	// handed on; a sponsored head hands on the sponsor as the account.
	for _, p := range [][2]frontend.Variable{{s.Account, r.account}, {s.Amount, r.amount}, {s.Fee, r.fee}, {s.Target, r.tgt}} {
		st.assertIf(api.Add(op.data, op.sponsor), p[0], p[1])
	}
	// A channel head's continuation comes next, and only then: it reads
	// the head's registers.
	for _, p := range [][2]frontend.Variable{{s.Account, r.account}, {s.Amount, r.amount}, {s.Target, r.tgt}} {
		st.assertIf(op.chanCont, p[0], p[1])
	}
	// The step a head owes (r.next) comes next, after the head's data
	// steps, which hand it on: a sponsored withdrawal's sponsor step
	// follows its two data steps.
	api.AssertIsEqual(api.Mul(r.next, api.Sub(1, op.data), api.Sub(s.Op, r.next)), 0)
	api.AssertIsEqual(api.Mul(api.Add(op.chanCont, op.forcedB, op.sponsor), api.Sub(s.Op, r.next)), 0)
	// A forced challenge's second step reads the head's account (B's)
	// and channel; the state it carries is bound by the message (see
	// signature).
	// mutate: implied where it matters: on a channel, forcedChallenge
	// pins the account to the leaf's party B; on any other leaf the step
	// changes nothing, whoever's key it reads.
	st.assertIf(op.forcedB, s.Account, r.account)
	st.assertIf(op.forcedB, s.Target, r.tgt)
	// After a NOOP only NOOPs.
	st.assertIf(r.padded, op.noop, 1)
}

// pending counts the DATA steps a head still owes: a withdrawal or a full
// exit owes two (its L1 address), and DATA steps come only when owed.
func (st *step) pending() frontend.Variable {
	api, r, op := st.api, st.r, st.op
	pendingIsZero := api.IsZero(r.pending)
	// mutate: implied: a DATA step with nothing pending leaves pending at −1
	// in the field, which the next other step (the check below) or the end
	// of the batch refuses; coming back to 0 would take p steps.
	api.AssertIsEqual(api.Mul(op.data, pendingIsZero), 0)
	api.AssertIsEqual(api.Mul(api.Sub(1, op.data), r.pending), 0)
	return api.Add(api.Sub(r.pending, op.data), api.Mul(api.Add(op.withdraw, op.fullExit), 2))
}

// amounts checks the step's amount and fee: non-zero where the VM demands
// it, and packed floats where the record publishes one.
func (st *step) amounts() {
	api, s, op := st.api, st.s, st.op
	st.assertIf(api.Add(op.deposit, op.transfer, op.withdraw), api.IsZero(s.Amount), 0)
	st.assertIf(api.Add(op.transfer, op.open, op.fund), s.Amount, api.Mul(s.AmountM, st.pow10Of(st.aeBits)))
	// Packed floats are canonical (vm.packFloat): the exponent is the
	// smallest that fits, so an exponent above 0 leaves 10·M beyond the
	// mantissa's range, and zero is 0×10^0. Steps that publish no float
	// carry zeros, which pass.
	st.canonicalFloat(s.AmountE, s.AmountM, 19)
	st.canonicalFloat(s.FeeE, s.FeeM, 11)
	st.assertIf(api.Add(op.chanHead, op.chanCont, op.forced, op.forcedB), s.Fee, 0)
	// (Continuation steps repeat the fee, and the first one publishes it.)
	st.assertIf(api.Add(op.signed, op.data, op.sponsor), s.Fee, api.Mul(s.FeeM, st.pow10Of(st.feBits)))
	// A full exit pays no fee (its message has none).
	st.assertIf(op.fullExit, s.Fee, 0)
}

// leafA reads leaf A, the account a step debits or credits: the credited
// account, the sender, or the operator. It returns the leaf and its index
// bits.
func (st *step) leafA() (leafState, []frontend.Variable) {
	api, s, op := st.api, st.s, st.op
	A := &s.A
	idx := api.ToBinary(A.Index, st.depth)
	st.assertIf(api.Add(op.deposit, op.signed, op.feePayout, op.fullExit, op.chanHead, op.chanCont, op.forced, op.forcedB, op.sponsor), A.Index, s.Account)
	// mutate: implied: every step that changes leaf A compares its kind with
	// a constant (0, 1 or 2), and leaves the leaf as it was otherwise.
	_ = api.ToBinary(A.Kind, 8)
	// mutate: implied by the new nonce's range below: the new nonce is this
	// one or one more, so a nonce of 2^32 or more fails there; only −1
	// would come back to 0, and −1 reads a leaf of kind k−1 with nonce
	// 2^32−1, while the steps that add 1 need kind 1, whose k−1 is the
	// empty leaf, which hashes to 0.
	_ = api.ToBinary(A.Nonce, 32)
	_ = api.ToBinary(A.Balance, 64)
	st.aIsAccount = st.isEq(A.Kind, 1)
	// Signed heads, the payout, channel steps and sponsors need an account.
	st.assertIf(api.Add(op.signed, op.feePayout, op.chanHead, op.chanCont, op.sponsor), A.Kind, 1)
	return leafState{A.Kind, A.X, A.Y, A.Nonce, A.Balance, A.Aux}, idx
}

// leafB reads leaf B, a transfer's recipient or a channel. It returns the
// leaf and its index bits.
func (st *step) leafB() (leafState, []frontend.Variable) {
	api, B := st.api, &st.s.B
	idx := api.ToBinary(B.Index, st.depth)
	// mutate: implied: every step that changes leaf B compares its kind with
	// a constant (a transfer 1, an open 0, a channel head 2).
	_ = api.ToBinary(B.Kind, 8)
	_ = api.ToBinary(B.Nonce, 32)
	// mutate: implied: a transfer only adds to leaf B, whose new balance is
	// range-checked, so a read 2^64 higher fails there; a channel head's
	// is the sum of two 64-bit amounts, and a read as nonce −1 fails the
	// nonce range; an open's leaf is empty and its fields unused.
	_ = api.ToBinary(B.Balance, 64)
	return leafState{B.Kind, B.X, B.Y, B.Nonce, B.Balance, B.Aux}, idx
}

// nextRegisters is the register file the step hands on.
func (st *step) nextRegisters(pending frontend.Variable, sig sigOut) registers {
	api, s, r, op := st.api, st.s, st.r, st.op
	prioCount, prioHash := st.queue()
	// A sponsored head's fee is collected on its sponsor's step.
	feePayer := api.Add(api.Sub(op.signed, st.sponsored), op.sponsor)
	next := registers{
		feeAcc:    api.Sub(api.Add(r.feeAcc, api.Mul(feePayer, s.Fee)), api.Mul(op.feePayout, r.feeAcc)),
		pending:   pending,
		prioCount: prioCount,
		prioHash:  prioHash,
		account:   s.Account, amount: s.Amount, fee: s.Fee, tgt: s.Target,
		padded: op.noop,
	}
	// A channel head hands B's step its work: the opcode it must have, the
	// message B signs, whether B must sign, and whether B is credited.
	isChanAny := api.Add(op.open, op.chanHead, op.forced)
	// A sponsored head likewise hands on the sponsor, its message and
	// the sponsor's step, through its data steps.
	next.account = api.Select(isChanAny, s.ChB, api.Select(st.sponsored, st.sponsor, s.Account))
	next.amount = api.Select(isChanAny, s.AmountB, s.Amount)
	next.next = api.Add(api.Mul(op.open, int(vm.OpChanFund)), api.Mul(op.chanHead, int(vm.OpChanPayB)), api.Mul(op.forced, int(vm.OpForcedChallengeB)),
		api.Mul(st.sponsored, int(vm.OpSponsor)), api.Mul(op.data, r.next))
	next.msg = api.Add(api.Mul(api.Add(isChanAny, st.sponsored), sig.msg), api.Mul(op.data, r.msg))
	// A forced challenge's head hands on whether A's account signed.
	next.forcedA = api.Mul(op.forced, sig.valid, st.aIsAccount)
	next.needSig = api.Add(api.Mul(op.open, api.Sub(1, api.IsZero(s.AmountB))), sig.bSig)
	next.credit = api.Add(op.close, op.finalize)
	return next
}
