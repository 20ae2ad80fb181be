package circuits

import (
	"fmt"
	"math/big"

	tedwards "github.com/consensys/gnark-crypto/ecc/twistededwards"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/std/algebra/native/twistededwards"
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
	// PubX, PubY is a deposit's or a refund's key, decompressed from the
	// L1 request's y (PubY) and sign (KeySign), and the rest is the
	// witness that decides whether it is a valid key (depositkey.go): a
	// key that decodes (KeyDecodes) is [8]PubQ + T_KeyTorsion, one that
	// does not has KeyW² = g·u/v. Other steps carry NoDepositKey.
	PubX, PubY, PubQX, PubQY              frontend.Variable
	KeySign, KeyDecodes, KeyTorsion, KeyW frontend.Variable
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
	// Sponsored is 1 on the head of a transfer or withdrawal whose fee
	// the account Sponsor pays (vm/sponsor.go), 0 with Sponsor 0
	// otherwise. The sender's signature covers both.
	Sponsored, Sponsor frontend.Variable
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
	// forcedA is 1 after a forced challenge's head when party A's account
	// signed the state.
	forcedA frontend.Variable
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
		next: 0, msg: 0, needSig: 0, credit: 0, forcedA: 0, padded: 0}
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
