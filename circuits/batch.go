package circuits

import (
	"fmt"
	"math/big"

	tedwards "github.com/consensys/gnark-crypto/ecc/twistededwards"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/std/algebra/native/twistededwards"
	gnarkposeidon2 "github.com/consensys/gnark/std/hash/poseidon2"
	"github.com/consensys/gnark/std/signature/eddsa"
	"github.com/keel-rollup/keel/vm"
)

// Production batch sizes, at depth vm.DefaultDepth: a small circuit for
// quiet periods (faster proofs, 262k gas a commit) and a large one for
// throughput (177 gas a transfer at the margin). Tests use smaller
// circuits; the 128 and 256-slot circuits are pinned by make constraints.
const (
	SmallBatchSlots = 8
	LargeBatchSlots = 32
)

// LeafSlot is one leaf update's witness: the leaf before the step and its
// path. The circuit computes the leaf after from the step's rules, so the
// prover cannot choose it.
type LeafSlot struct {
	Index                           frontend.Variable
	X, Y, Kind, Nonce, Balance, Aux frontend.Variable
	Siblings                        []frontend.Variable
}

// Slot is the witness of one VM step.
type Slot struct {
	// Op is the step's opcode (vm.Opcode).
	Op frontend.Variable
	// Account, Amount, Fee and Target are the transaction registers as this
	// step sees them; continuation steps must repeat their head's values.
	Account, Amount, Fee, Target frontend.Variable
	// Nonce is the signed nonce of a transfer or withdrawal.
	Nonce frontend.Variable
	// PubX, PubY is a deposit's key (from the L1 priority request), and
	// PubQX, PubQY a point with [8]PubQ = Pub, which proves the key lies
	// in the prime-order subgroup. Other steps carry the base point.
	PubX, PubY, PubQX, PubQY frontend.Variable
	// AmountE/M and FeeE/M are the packed-float exponent and mantissa of a
	// transfer amount and of a fee.
	AmountE, AmountM, FeeE, FeeM frontend.Variable
	// A and B are the two leaf updates, in order.
	A, B LeafSlot
	// SigPub, SigR and SigS are the signature checked by signed heads. Other
	// steps carry any well-formed dummy; its validity is not asserted.
	SigPubX, SigPubY, SigRX, SigRY, SigS frontend.Variable
	// Channel steps (vm.ChanWitness): the channel leaf's fields, as an
	// open leaves them or as any other channel head finds them, and the
	// state a close, dispute or challenge carries (Amount is its BalanceA,
	// AmountB its BalanceB; an open's AmountB is B's funding). Other steps
	// carry zeros.
	ChStatus, ChA, ChB, ChNonce, ChPeriod, ChDeadline, ChVersion, ChSplitA frontend.Variable
	Version, Final, AmountB                                                frontend.Variable
	// Closer is 1 on a version-0 dispute that B signs, 0 otherwise: the
	// opening state is signed by the party closing with it alone.
	Closer frontend.Variable
}

// BatchCircuit proves that a batch of steps moves the state from OldRoot to
// NewRoot under the VM's rules. Its one public input is Commitment, the low
// 253 bits of sha256(vm.CommitmentPreimage), which binds the chain, the
// batch number, the operator, both roots, the priority-queue position and
// hash before and after, and the public data. The L1 contract recomputes it
// from calldata and its own stored state with the sha256 precompile;
// vm.BatchCommitment computes it natively.
type BatchCircuit struct {
	Commitment frontend.Variable `gnark:",public"`

	ChainID, BatchNumber, Operator frontend.Variable
	// Timestamp is the batch's time (vm.Meta.Timestamp), bound by the
	// commitment; the contract keeps it monotonic and not ahead of L1.
	Timestamp                       frontend.Variable
	OldRoot, NewRoot                frontend.Variable
	PrioCountBefore, PrioHashBefore frontend.Variable
	PrioCountAfter, PrioHashAfter   frontend.Variable
	Slots                           []Slot

	// skipCommitment leaves out the commitment check, for soundness tests
	// only (see export_test.go): a test can then mutate a witness as an
	// adversary who also controls the public data would, and see which
	// rule rejects it.
	skipCommitment bool
}

// NewBatchCircuit returns the circuit's shape for compilation: slots steps
// over a tree of the given depth.
func NewBatchCircuit(slots, depth int) *BatchCircuit {
	c := &BatchCircuit{Slots: make([]Slot, slots)}
	for i := range c.Slots {
		c.Slots[i].A.Siblings = make([]frontend.Variable, depth)
		c.Slots[i].B.Siblings = make([]frontend.Variable, depth)
	}
	return c
}

// registers is the in-circuit register file handed from slot to slot.
type registers struct {
	feeAcc, pending           frontend.Variable
	prioCount, prioHash       frontend.Variable
	account, amount, fee, tgt frontend.Variable
	// A channel head hands its continuation step (party B's) the opcode it
	// must have, the message B signs, whether B must sign, and whether B
	// is credited.
	next, msg, needSig, credit frontend.Variable
	// padded is 1 after a NOOP: padding comes only at the end.
	padded frontend.Variable
}

// batchAPI bundles the gadgets one Define uses.
type batchAPI struct {
	api   frontend.API
	h     *Hasher
	curve twistededwards.Curve
	depth int
	pow10 [5]*big.Int // 10^(2^i)
}

var (
	twoTo = func(n uint) *big.Int { return new(big.Int).Lsh(big.NewInt(1), n) }
)

// newBatchAPI sets up the gadgets for a tree of the given depth.
func newBatchAPI(api frontend.API, depth int) (*batchAPI, error) {
	if depth < 1 || depth > vm.MaxDepth {
		return nil, fmt.Errorf("circuits: depth %d out of range 1..%d", depth, vm.MaxDepth)
	}
	h, err := NewHasher(api)
	if err != nil {
		return nil, err
	}
	curve, err := twistededwards.NewEdCurve(api, tedwards.BN254)
	if err != nil {
		return nil, err
	}
	return &batchAPI{api: api, h: h, curve: curve, depth: depth}, nil
}

// Define implements frontend.Circuit.
func (c *BatchCircuit) Define(api frontend.API) error {
	if len(c.Slots) == 0 {
		return fmt.Errorf("circuits: batch without slots")
	}
	b, err := newBatchAPI(api, len(c.Slots[0].A.Siblings))
	if err != nil {
		return err
	}
	depth := b.depth
	for i := range b.pow10 {
		b.pow10[i] = new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(1)<<uint(i)), nil)
	}

	// The header's integers are range-checked by their decomposition.
	chainBits := api.ToBinary(c.ChainID, 64)
	batchBits := api.ToBinary(c.BatchNumber, 64)
	timeBits := api.ToBinary(c.Timestamp, 64)
	opBits := api.ToBinary(c.Operator, depth)

	root := c.OldRoot
	regs := registers{feeAcc: 0, pending: 0, prioCount: c.PrioCountBefore, prioHash: c.PrioHashBefore, account: 0, amount: 0, fee: 0, tgt: 0,
		next: 0, msg: 0, needSig: 0, credit: 0, padded: 0}
	var records []frontend.Variable
	// The payout map (vm.PayoutMapSize): a bit per slot, set on payout
	// heads, zero-padded to whole bytes. Binding it here is what lets the
	// contract visit the payouts without reading any other record.
	payoutMap := make([]frontend.Variable, 8*vm.PayoutMapSize(len(c.Slots)))
	for i := range c.Slots {
		var out slotOut
		out, err = b.slot(c, &c.Slots[i], root, regs)
		if err != nil {
			return fmt.Errorf("slot %d: %w", i, err)
		}
		root, regs = out.root, out.regs
		records = append(records, out.record...)
		payoutMap[i] = out.payout
	}
	for i := len(c.Slots); i < len(payoutMap); i++ {
		payoutMap[i] = 0
	}
	// Every fee was paid out, and no transaction was left half done.
	api.AssertIsEqual(regs.feeAcc, 0)
	api.AssertIsEqual(regs.pending, 0)
	api.AssertIsEqual(regs.next, 0)
	api.AssertIsEqual(root, c.NewRoot)
	// mutate: implied by the queue-hash check below: the contract takes
	// PrioHashAfter from its own prioHashes[PrioCountAfter], so a count the
	// steps did not reach needs a Poseidon2 collision.
	api.AssertIsEqual(regs.prioCount, c.PrioCountAfter)
	api.AssertIsEqual(regs.prioHash, c.PrioHashAfter)

	if c.skipCommitment {
		return nil
	}
	var pre []frontend.Variable
	pre = append(pre, beBits(chainBits, 64)...)
	pre = append(pre, beBits(batchBits, 64)...)
	pre = append(pre, beBits(timeBits, 64)...)
	pre = append(pre, beBits(opBits, 32)...)
	for _, e := range []frontend.Variable{c.OldRoot, c.NewRoot} {
		pre = append(pre, beBits(api.ToBinary(e), 256)...)
	}
	pre = append(pre, beBits(api.ToBinary(c.PrioCountBefore, 64), 64)...)
	pre = append(pre, beBits(api.ToBinary(c.PrioHashBefore), 256)...)
	pre = append(pre, beBits(api.ToBinary(c.PrioCountAfter, 64), 64)...)
	pre = append(pre, beBits(api.ToBinary(c.PrioHashAfter), 256)...)
	pre = append(pre, records...)
	pre = append(pre, payoutMap...)
	digest := SHA256(api, pre)
	// Keep the low 253 bits: the value is then always below the scalar
	// field modulus, as the Solidity verifier requires.
	low := make([]frontend.Variable, 253)
	for i := range low {
		low[i] = digest[255-i]
	}
	api.AssertIsEqual(api.FromBinary(low...), c.Commitment)
	return nil
}

// beBits returns the little-endian bits lsb as n big-endian bits,
// zero-padded at the top.
func beBits(lsb []frontend.Variable, n int) []frontend.Variable {
	out := make([]frontend.Variable, n)
	for i := 0; i < n; i++ {
		j := n - 1 - i
		if j < len(lsb) {
			out[i] = lsb[j]
		} else {
			out[i] = 0
		}
	}
	return out
}

func (b *batchAPI) isEq(x frontend.Variable, k int) frontend.Variable {
	return b.api.IsZero(b.api.Sub(x, k))
}

// assertIf asserts x == y when cond is 1.
func (b *batchAPI) assertIf(cond, x, y frontend.Variable) {
	b.api.AssertIsEqual(b.api.Mul(cond, b.api.Sub(x, y)), 0)
}

// pow10 returns 10^e for e given by its bits.
func (b *batchAPI) pow10Of(eBits []frontend.Variable) frontend.Variable {
	var p frontend.Variable = 1
	for i, bit := range eBits {
		f := b.api.Add(1, b.api.Mul(bit, new(big.Int).Sub(b.pow10[i], big.NewInt(1))))
		p = b.api.Mul(p, f)
	}
	return p
}

// canonicalFloat asserts that M×10^E is the encoding vm.packFloat writes
// for a mantissa of mantissaBits bits: E is 0, or 10·M ≥ 2^mantissaBits
// (so E−1 would not fit). E and M are range-checked by the caller.
func (b *batchAPI) canonicalFloat(e, m frontend.Variable, mantissaBits int) {
	api := b.api
	eNonZero := api.Sub(1, api.IsZero(e))
	// 10·M − 2^bits is below 9·2^bits < 2^(bits+4) when it is not negative.
	_ = api.ToBinary(api.Mul(eNonZero, api.Sub(api.Mul(m, 10), twoTo(uint(mantissaBits)))), mantissaBits+4)
}

// leafHash is the VM's leaf hash, 0 for an empty leaf (kind 0).
func (b *batchAPI) leafHash(kind, x, y, nonce, balance, aux frontend.Variable) frontend.Variable {
	full := b.h.Leaf(x, y, PackState(b.api, kind, nonce, balance), aux)
	return b.api.Select(b.api.IsZero(kind), 0, full)
}

// root folds a leaf hash up its path; indexBits are little-endian.
func (b *batchAPI) root(leaf frontend.Variable, indexBits, siblings []frontend.Variable) frontend.Variable {
	cur := leaf
	for l, s := range siblings {
		left := b.api.Add(cur, b.api.Mul(indexBits[l], b.api.Sub(s, cur)))
		right := b.api.Sub(b.api.Add(cur, s), left)
		cur = b.h.Compress(left, right)
	}
	return cur
}

type leafState struct{ kind, x, y, nonce, balance, aux frontend.Variable }

// update checks the leaf against the running root and returns the root
// with the new leaf.
func (b *batchAPI) update(l *LeafSlot, indexBits []frontend.Variable, before, after leafState, running frontend.Variable) frontend.Variable {
	b.api.AssertIsEqual(b.root(b.leafHash(before.kind, before.x, before.y, before.nonce, before.balance, before.aux), indexBits, l.Siblings), running)
	return b.root(b.leafHash(after.kind, after.x, after.y, after.nonce, after.balance, after.aux), indexBits, l.Siblings)
}

// slotOut is what a step hands on: the running root, the registers, its
// 96 public-data bits (big-endian) and its payout-map bit.
type slotOut struct {
	root   frontend.Variable
	regs   registers
	record []frontend.Variable
	payout frontend.Variable
}

// slot enforces one step.
func (b *batchAPI) slot(c *BatchCircuit, s *Slot, running frontend.Variable, r registers) (slotOut, error) {
	api := b.api

	// Opcode selectors: exactly one is set, so Op is a known opcode.
	isNoop, isDep, isTr := b.isEq(s.Op, int(vm.OpNoop)), b.isEq(s.Op, int(vm.OpDeposit)), b.isEq(s.Op, int(vm.OpTransfer))
	isWd, isFee, isData := b.isEq(s.Op, int(vm.OpWithdraw)), b.isEq(s.Op, int(vm.OpFeePayout)), b.isEq(s.Op, int(vm.OpData))
	isFX := b.isEq(s.Op, int(vm.OpFullExit))
	isOpen, isFund := b.isEq(s.Op, int(vm.OpChanOpen)), b.isEq(s.Op, int(vm.OpChanFund))
	isClose, isDisp, isChal := b.isEq(s.Op, int(vm.OpChanClose)), b.isEq(s.Op, int(vm.OpChanDispute)), b.isEq(s.Op, int(vm.OpChanChallenge))
	isFin, isPayB := b.isEq(s.Op, int(vm.OpChanFinalize)), b.isEq(s.Op, int(vm.OpChanPayB))
	api.AssertIsEqual(api.Add(isNoop, isDep, isTr, isWd, isFee, isData, isFX, isOpen, isFund, isClose, isDisp, isChal, isFin, isPayB), 1)
	// An open is signed with a nonce like a transfer; the other channel
	// heads name an existing channel leaf; the continuation is B's step.
	isSigned := api.Add(isTr, isWd, isOpen)
	isStateOp := api.Add(isClose, isDisp, isChal)
	isChHead := api.Add(isStateOp, isFin)
	isChCont := api.Add(isFund, isPayB)

	// Ranges: these make every packing below injective.
	amountBits := api.ToBinary(s.Amount, 64)
	// mutate: implied: a signed head pays its fee out of leaf A, whose new
	// balance is range-checked, and continuation steps repeat it.
	_ = api.ToBinary(s.Fee, 64)
	// mutate: implied: a signed head's nonce equals leaf A's (range-checked
	// below), and a full exit's is pinned to the L1 request's by the queue
	// hash, into which it enters at a fixed offset.
	_ = api.ToBinary(s.Nonce, 32)
	accountBits := api.ToBinary(s.Account, b.depth)
	tgtBits := api.ToBinary(s.Target, 160)
	aeBits, amBits := api.ToBinary(s.AmountE, 5), api.ToBinary(s.AmountM, 19)
	feBits, fmBits := api.ToBinary(s.FeeE, 5), api.ToBinary(s.FeeM, 11)
	_ = amountBits

	// Continuation steps repeat their head's registers, and only come when
	// a head owes them.
	for _, p := range [][2]frontend.Variable{{s.Account, r.account}, {s.Amount, r.amount}, {s.Fee, r.fee}, {s.Target, r.tgt}} {
		b.assertIf(isData, p[0], p[1])
	}
	// A channel head's continuation comes next, and only then: it reads
	// the head's registers.
	for _, p := range [][2]frontend.Variable{{s.Account, r.account}, {s.Amount, r.amount}, {s.Target, r.tgt}} {
		b.assertIf(isChCont, p[0], p[1])
	}
	api.AssertIsEqual(api.Mul(r.next, api.Sub(s.Op, r.next)), 0)
	api.AssertIsEqual(api.Mul(isChCont, api.Sub(s.Op, r.next)), 0)
	pendingIsZero := api.IsZero(r.pending)
	// mutate: implied: a DATA step with nothing pending leaves pending at −1
	// in the field, which the next other step (the check below) or the end
	// of the batch refuses; coming back to 0 would take p steps.
	api.AssertIsEqual(api.Mul(isData, pendingIsZero), 0)
	api.AssertIsEqual(api.Mul(api.Sub(1, isData), r.pending), 0)
	isData2 := api.Mul(isData, b.isEq(r.pending, 1)) // the last data record
	isData1 := api.Sub(isData, isData2)
	pending := api.Add(api.Sub(r.pending, isData), api.Mul(api.Add(isWd, isFX), 2))

	// Padding comes last, as Seal writes it, so that a batch has one
	// encoding: after a NOOP only NOOPs.
	b.assertIf(r.padded, isNoop, 1)

	// Amounts: non-zero where the VM demands it; transfer amounts and all
	// fees are packed floats.
	b.assertIf(api.Add(isDep, isTr, isWd), api.IsZero(s.Amount), 0)
	b.assertIf(api.Add(isTr, isOpen, isFund), s.Amount, api.Mul(s.AmountM, b.pow10Of(aeBits)))
	// Packed floats are canonical (vm.packFloat): the exponent is the
	// smallest that fits, so an exponent above 0 leaves 10·M beyond the
	// mantissa's range, and zero is 0×10^0. Steps that publish no float
	// carry zeros, which pass.
	b.canonicalFloat(s.AmountE, s.AmountM, 19)
	b.canonicalFloat(s.FeeE, s.FeeM, 11)
	b.assertIf(api.Add(isChHead, isChCont), s.Fee, 0)
	// (Continuation steps repeat the fee, and the first one publishes it.)
	b.assertIf(api.Add(isSigned, isData), s.Fee, api.Mul(s.FeeM, b.pow10Of(feBits)))
	// A full exit pays no fee (its message has none).
	b.assertIf(isFX, s.Fee, 0)

	// Leaf A: the credited account, the sender, or the operator.
	A := &s.A
	aIdx := api.ToBinary(A.Index, b.depth)
	b.assertIf(api.Add(isDep, isSigned, isFee, isFX, isChHead, isChCont), A.Index, s.Account)
	b.assertIf(isFee, s.Account, c.Operator)
	a := leafState{A.Kind, A.X, A.Y, A.Nonce, A.Balance, A.Aux}
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
	aEmpty := api.IsZero(A.Kind)
	fresh := api.Mul(isDep, aEmpty) // a deposit creating the account
	// Deposits go to an empty leaf or to an account of the same key;
	// signed heads and the payout need an account.
	// mutate: implied by the key checks below: a non-empty leaf whose X and
	// Y are a deposit key, a point of the prime subgroup, is an account (a
	// channel leaf's packed X and Y are no curve point but by chance of
	// about 2^-126, its Y being below 2^128).
	b.assertIf(api.Sub(isDep, fresh), A.Kind, 1)
	b.assertIf(api.Sub(isDep, fresh), A.X, s.PubX)
	// mutate: implied by the X check and the subgroup check below: the
	// only other point with this X is (X, −Y) = key + (0, −1), which is
	// outside the prime subgroup, so no [8]Q equals it.
	b.assertIf(api.Sub(isDep, fresh), A.Y, s.PubY)
	b.assertIf(api.Add(isSigned, isFee, isChHead, isChCont), A.Kind, 1)
	// The deposit key is a subgroup point other than the identity, as
	// vm.PublicKey.Validate demands: it is [8]Q for a curve point Q.
	q := twistededwards.Point{X: s.PubQX, Y: s.PubQY}
	// mutate: implied by the queue hash and Rollup.deposit. An off-curve Q
	// lies on another curve −x²+y² = 1+d'x²y², whose doubling formula is
	// the same, so its [8]Q stays there: on our curve too only at the
	// points all of them share, (0, ±1), refused below, and (±√−1, 0), of
	// order 4, which Rollup.deposit refuses at the door (its own [8]Q
	// check has Q on the curve), and the queue hash binds the key to L1's.
	b.curve.AssertIsOnCurve(q)
	q8 := b.curve.Double(b.curve.Double(b.curve.Double(q)))
	// mutate: implied by the queue hash, which binds the key to the one
	// Rollup.deposit checked (a subgroup point); and were it not, a key on
	// the curve with [8]Q's Y is [8]Q or −[8]Q = [8](−Q), both in the
	// prime subgroup.
	api.AssertIsEqual(q8.X, s.PubX)
	api.AssertIsEqual(q8.Y, s.PubY)
	api.AssertIsEqual(api.IsZero(s.PubX), 0) // not the identity (0, 1) nor (0, -1)
	// Signed heads: the signed nonce is the account's, and not the last.
	b.assertIf(isSigned, A.Nonce, s.Nonce)
	// Signature of a signed head, by leaf A's owner, over the VM message.
	txType := api.Add(api.Mul(isTr, int(vm.TxTransfer)), api.Mul(isWd, int(vm.TxWithdraw)), api.Mul(isFX, int(vm.TxFullExit)), api.Mul(isOpen, int(vm.TxChanOpen)))
	head := api.Add(api.Mul(txType, twoTo(128)), api.Mul(c.ChainID, twoTo(64)), api.Mul(s.Nonce, twoTo(32)), s.Account)
	// A full exit's message has no amount (the signer cannot know the
	// balance it will pay); its register holds the payout.
	value := api.Mul(api.Sub(1, isFX), api.Add(api.Mul(s.Amount, twoTo(64)), s.Fee))
	txMsg := b.h.Chain(head, value, s.Target)
	// A channel state's message (vm.ChannelState.Message), for the state
	// heads; B's step signs what its head handed it.
	stHead := api.Add(api.Mul(vm.ChannelStateTag, twoTo(128)), api.Mul(c.ChainID, twoTo(64)), api.Mul(s.ChA, twoTo(32)), s.ChNonce)
	stMsg := b.h.Chain(stHead, api.Add(api.Mul(s.Version, 2), s.Final), api.Add(api.Mul(s.Amount, twoTo(64)), s.AmountB))
	msg := api.Select(isChCont, r.msg, api.Select(isStateOp, stMsg, txMsg))
	// Both parties sign a state, except the opening state (a version-0
	// dispute), which the closing party alone signs; a finalize is
	// unsigned.
	isDisp0 := api.Mul(isDisp, api.IsZero(s.Version))
	api.AssertIsBoolean(s.Closer)
	b.assertIf(api.Sub(1, isDisp0), s.Closer, 0)
	bothSign := api.Add(isClose, isChal, api.Sub(isDisp, isDisp0))
	headSig := api.Add(bothSign, api.Mul(isDisp0, api.Sub(1, s.Closer)))
	bSig := api.Add(bothSign, api.Mul(isDisp0, s.Closer))
	needSig := api.Add(isSigned, headSig, api.Mul(isChCont, r.needSig))
	// A full exit of an account is checked against the account's key; of
	// any other leaf, against any key: it pays nothing either way.
	isAcc := b.isEq(A.Kind, 1)
	keyed := api.Add(needSig, api.Mul(isFX, isAcc))
	b.assertIf(keyed, s.SigPubX, A.X)
	b.assertIf(keyed, s.SigPubY, A.Y)
	sigR := twistededwards.Point{X: s.SigRX, Y: s.SigRY}
	// mutate: implied by the challenge hash in eddsa.IsValid: R enters
	// h = H(R, A, msg), so [8](R − ([S]B − [h]A)) = O cannot be solved for
	// R without the key's secret, off the curve as on it; and with the
	// secret, an on-curve R serves as well.
	b.curve.AssertIsOnCurve(sigR)
	hasher, err := gnarkposeidon2.New(api)
	if err != nil {
		return slotOut{}, err
	}
	valid, err := eddsa.IsValid(b.curve, eddsa.Signature{R: sigR, S: s.SigS}, msg, eddsa.PublicKey{A: twistededwards.Point{X: s.SigPubX, Y: s.SigPubY}}, hasher)
	if err != nil {
		return slotOut{}, err
	}
	b.assertIf(needSig, valid, 1)
	// A full exit is honoured when leaf A is an account whose key signed
	// it for the account's current nonce, and that nonce can still
	// advance; it then pays the whole balance and spends the nonce, so the
	// same request filed again pays nothing (vm.fullExitHonoured).
	// Otherwise it pays nothing; it cannot be refused, so no request jams
	// the queue.
	nonceOK := api.Mul(api.IsZero(api.Sub(A.Nonce, s.Nonce)), api.Sub(1, b.isEq(A.Nonce, 1<<32-1)))
	fxPaid := api.Mul(isFX, isAcc, valid, nonceOK)
	b.assertIf(isFX, s.Amount, api.Mul(fxPaid, A.Balance))

	keep := api.Sub(1, fresh)
	aAfter := leafState{
		kind:  api.Add(A.Kind, api.Mul(isDep, api.Sub(1, A.Kind))),
		x:     api.Add(A.X, api.Mul(isDep, api.Sub(s.PubX, A.X))),
		y:     api.Add(A.Y, api.Mul(isDep, api.Sub(s.PubY, A.Y))),
		nonce: api.Add(api.Mul(A.Nonce, keep), isSigned, fxPaid),
		balance: api.Add(api.Mul(A.Balance, keep), api.Mul(isDep, s.Amount), api.Mul(isFee, r.feeAcc), api.Neg(api.Mul(isSigned, api.Add(s.Amount, s.Fee))), api.Neg(api.Mul(isFX, s.Amount)),
			// Channels: A is paid on a close or finalize, B on their
			// continuation; B pays its funding on an open's.
			api.Mul(api.Add(isClose, isFin), s.Amount), api.Mul(isPayB, r.credit, s.Amount), api.Neg(api.Mul(isFund, s.Amount))),
		aux: api.Mul(A.Aux, keep),
	}
	// A balance that went negative, or past 2^64, or a nonce past 2^32
	// fails these decompositions: overdrafts and overflows are unprovable.
	_ = api.ToBinary(aAfter.balance, 64)
	_ = api.ToBinary(aAfter.nonce, 32)
	running = b.update(A, aIdx, a, aAfter, running)

	// Leaf B: a transfer's recipient, an existing account other than the
	// sender.
	B := &s.B
	bIdx := api.ToBinary(B.Index, b.depth)
	b.assertIf(isTr, B.Index, s.Target)
	b.assertIf(isTr, api.IsZero(api.Sub(s.Account, s.Target)), 0)
	b.assertIf(isTr, B.Kind, 1)
	// mutate: implied: every step that changes leaf B compares its kind with
	// a constant (a transfer 1, an open 0, a channel head 2).
	_ = api.ToBinary(B.Kind, 8)
	_ = api.ToBinary(B.Nonce, 32)
	// mutate: implied: a transfer only adds to leaf B, whose new balance is
	// range-checked, so a read 2^64 higher fails there; a channel head's
	// is the sum of two 64-bit amounts, and a read as nonce −1 fails the
	// nonce range; an open's leaf is empty and its fields unused.
	_ = api.ToBinary(B.Balance, 64)
	bb := leafState{B.Kind, B.X, B.Y, B.Nonce, B.Balance, B.Aux}
	ch := b.channel(c, s, B, tgtBits, isOpen, isClose, isDisp, isChal, isFin, isChHead)
	notOpen := api.Sub(1, isOpen)
	bAfter := leafState{
		// An open fills an empty leaf; a close or finalize empties it.
		kind:    api.Sub(api.Add(B.Kind, api.Mul(isOpen, int(vm.KindChannel))), api.Mul(api.Add(isClose, isFin), B.Kind)),
		x:       api.Add(B.X, api.Mul(isOpen, api.Sub(ch.x, B.X)), api.Mul(isDisp, api.Sub(ch.xDisp, B.X))),
		y:       api.Add(B.Y, api.Mul(isOpen, api.Sub(ch.y, B.Y)), api.Mul(api.Add(isDisp, isChal), api.Sub(ch.yNew, B.Y))),
		nonce:   api.Mul(B.Nonce, notOpen),
		balance: api.Add(api.Mul(B.Balance, notOpen), api.Mul(isTr, s.Amount), api.Mul(isOpen, api.Add(s.Amount, s.AmountB))),
		aux:     api.Mul(B.Aux, notOpen),
	}
	_ = api.ToBinary(bAfter.balance, 64)
	running = b.update(B, bIdx, bb, bAfter, running)

	// Withdrawals name a non-zero L1 address.
	b.assertIf(isWd, api.IsZero(s.Target), 0)

	// Registers for the next step.
	// The queue hash: a deposit's link is HashChain(prev, 1|amount, X, Y),
	// a full exit's Compress(HashChain(prev, 9|nonce|account|to, R.X, R.Y), S)
	// (vm.FullExitPriorityHash): one chain serves both.
	depHead := api.Add(api.Mul(int(vm.TxDeposit), twoTo(64)), s.Amount)
	fxHead := api.Add(api.Mul(int(vm.TxFullExit), twoTo(224)), api.Mul(s.Nonce, twoTo(192)), api.Mul(s.Account, twoTo(160)), s.Target)
	link := b.h.Chain(r.prioHash, api.Select(isFX, fxHead, depHead), api.Select(isFX, s.SigRX, s.PubX), api.Select(isFX, s.SigRY, s.PubY))
	fxLink := b.h.Compress(link, s.SigS)
	next := registers{
		feeAcc:    api.Sub(api.Add(r.feeAcc, api.Mul(isSigned, s.Fee)), api.Mul(isFee, r.feeAcc)),
		pending:   pending,
		prioCount: api.Add(r.prioCount, isDep, isFX),
		prioHash:  api.Select(isDep, link, api.Select(isFX, fxLink, r.prioHash)),
		account:   s.Account, amount: s.Amount, fee: s.Fee, tgt: s.Target,
		next: 0, msg: 0, needSig: 0, credit: 0, padded: isNoop,
	}
	// A channel head hands B's step its work.
	isChAny := api.Add(isOpen, isChHead)
	next.account = api.Select(isChAny, s.ChB, s.Account)
	next.amount = api.Select(isChAny, s.AmountB, s.Amount)
	next.next = api.Add(api.Mul(isOpen, int(vm.OpChanFund)), api.Mul(isChHead, int(vm.OpChanPayB)))
	next.msg = api.Mul(isChAny, msg)
	next.needSig = api.Add(api.Mul(isOpen, api.Sub(1, api.IsZero(s.AmountB))), bSig)
	next.credit = api.Add(isClose, isFin)

	// Public data: op byte, then the body of each layout (see vm.Record).
	acct64 := api.Mul(s.Account, twoTo(64))
	packedAmount := api.Add(api.Mul(s.AmountE, twoTo(19)), s.AmountM)
	packedFee := api.Add(api.Mul(s.FeeE, twoTo(11)), s.FeeM)
	addrHi := api.FromBinary(tgtBits[88:160]...)
	addrLo := api.FromBinary(tgtBits[0:88]...)
	body := api.Add(
		api.Mul(isDep, api.Add(acct64, s.Amount)),
		api.Mul(isTr, api.Add(acct64, api.Mul(s.Target, twoTo(40)), api.Mul(packedAmount, twoTo(16)), packedFee)),
		api.Mul(api.Add(isWd, isFX), api.Add(acct64, s.Amount)),
		api.Mul(isData1, api.Add(api.Mul(packedFee, twoTo(72)), addrHi)),
		api.Mul(isData2, addrLo),
		api.Mul(isFee, api.Add(acct64, r.feeAcc)),
		api.Mul(isOpen, api.Add(acct64, api.Mul(B.Index, twoTo(40)), api.Mul(packedAmount, twoTo(16)), packedFee)),
		api.Mul(isFund, api.Add(acct64, api.Mul(packedAmount, twoTo(40)), api.Mul(api.FromBinary(tgtBits[0:32]...), twoTo(8)))),
		api.Mul(api.Add(isClose, isFin), api.Add(api.Mul(B.Index, twoTo(64)), s.Amount)),
		api.Mul(api.Add(isDisp, isChal), api.Add(api.Mul(B.Index, twoTo(64)), s.Version)),
		api.Mul(isPayB, api.Add(acct64, s.Amount)),
	)
	_, _, _, _ = accountBits, amBits, fmBits, isNoop
	recBits := api.ToBinary(api.Add(api.Mul(s.Op, twoTo(88)), body), 96)
	return slotOut{root: running, regs: next, record: beBits(recBits, 96), payout: api.Add(isWd, isFX)}, nil
}

// chanFields is a channel leaf as the step computes it: its packed X and
// Y (vm.ChannelLeaf.Leaf) as the witness's channel fields give them, and
// the X and Y a dispute or challenge leaves.
type chanFields struct {
	x, y, xDisp, yNew frontend.Variable
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
func (b *batchAPI) channel(c *BatchCircuit, s *Slot, B *LeafSlot, tgtBits []frontend.Variable, isOpen, isClose, isDisp, isChal, isFin, isChHead frontend.Variable) chanFields {
	api := b.api
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
	b.assertIf(isOpen, api.FromBinary(tgtBits[128:160]...), 0)
	b.assertIf(isOpen, s.ChB, api.FromBinary(tgtBits[96:128]...))
	b.assertIf(isOpen, s.AmountB, api.FromBinary(tgtBits[32:96]...))
	b.assertIf(isOpen, s.ChPeriod, api.FromBinary(tgtBits[0:32]...))
	b.assertIf(isOpen, s.ChStatus, int(vm.ChannelOpen))
	b.assertIf(isOpen, s.ChA, s.Account)
	b.assertIf(isOpen, s.ChNonce, s.Nonce)
	b.assertIf(isOpen, s.ChDeadline, 0)
	b.assertIf(isOpen, s.ChVersion, 0)
	b.assertIf(isOpen, s.ChSplitA, s.Amount)
	b.assertIf(isOpen, api.IsZero(api.Sub(s.ChA, s.ChB)), 0)
	b.assertIf(isOpen, api.IsZero(s.ChPeriod), 0)
	b.assertIf(isOpen, api.IsZero(api.Add(s.Amount, s.AmountB)), 0)
	b.assertIf(isOpen, B.Kind, int(vm.KindEmpty))

	// The other heads: the leaf is the channel the fields describe, A's
	// account is leaf A, and the state's balances add up to the total.
	b.assertIf(isChHead, B.Index, s.Target)
	b.assertIf(isChHead, B.Kind, int(vm.KindChannel))
	b.assertIf(isChHead, B.X, x)
	b.assertIf(isChHead, B.Y, y)
	b.assertIf(isChHead, s.Account, s.ChA)
	b.assertIf(isChHead, api.Add(s.Amount, s.AmountB), B.Balance)
	// Close: a final state, in any status.
	b.assertIf(isClose, s.Final, 1)
	// Dispute: of an open channel; version 0 is the opening split.
	b.assertIf(isDisp, s.ChStatus, int(vm.ChannelOpen))
	b.assertIf(api.Mul(isDisp, api.IsZero(s.Version)), s.Amount, s.ChSplitA) // (its signer: see slot)
	deadline := api.Add(c.Timestamp, s.ChPeriod)
	_ = api.ToBinary(api.Mul(isDisp, deadline), 64)
	// Challenge: of a closing channel, before its deadline, newer.
	// mutate: implied by the deadline check below: an open channel's
	// deadline is 0 (set so by the open, pinned by B.X == x and the field
	// ranges), so Deadline − Timestamp − 1 is negative and fails it.
	b.assertIf(isChal, s.ChStatus, int(vm.ChannelClosing))
	_ = api.ToBinary(api.Mul(isChal, api.Sub(api.Sub(s.Version, s.ChVersion), 1)), 64)
	_ = api.ToBinary(api.Mul(isChal, api.Sub(api.Sub(s.ChDeadline, c.Timestamp), 1)), 64)
	// Finalize: of a closing channel, from its deadline, at its split.
	b.assertIf(isFin, s.ChStatus, int(vm.ChannelClosing))
	_ = api.ToBinary(api.Mul(isFin, api.Sub(c.Timestamp, s.ChDeadline)), 64)
	b.assertIf(isFin, s.Amount, s.ChSplitA)

	return chanFields{
		x:     x,
		y:     y,
		xDisp: packChanX(api, int(vm.ChannelClosing), s.ChA, s.ChB, s.ChNonce, s.ChPeriod, deadline),
		yNew:  api.Add(api.Mul(s.Version, twoTo(64)), s.Amount),
	}
}
