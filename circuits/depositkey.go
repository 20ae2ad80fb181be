package circuits

import (
	"math/big"
	"sync"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/twistededwards"
	"github.com/consensys/gnark/frontend"
	tw "github.com/consensys/gnark/std/algebra/native/twistededwards"
	"github.com/keel-rollup/keel/vm"
)

// A deposit names its L2 key compressed (vm.DepositKey): y and x's sign,
// which L1 hashes into the priority queue without any curve arithmetic.
// The circuit decompresses it and decides whether it is a valid key, and
// the decision cannot be forged either way:
//
//   - decodes (D = 1): X with sign(X) the key's sign is on the curve at y,
//     and X = [8]Q + T for a point Q and the small-order point T = T_k of
//     the table below. The key is valid when k = 0 (the point is [8]Q, in
//     the prime-order subgroup) and X ≠ 0 (not (0, ±1)). A subgroup point
//     has no decomposition with T ≠ O, since T would then be both of small
//     and of prime order, and a point outside it none with T = O.
//   - does not decode (D = 0): W² = g·u/v for the fixed non-residue g,
//     where x² = u/v is the curve equation at y (u = 1 − y², v = −1 − d·y²,
//     never 0 as d is not a square). Then u/v is no square, and no point
//     has this y. (u = 0, y = ±1, passes with W = 0, but its points (0, ±1)
//     are invalid keys anyway.)
//
// A valid key's deposit must credit it, and any other's must be refunded.

// DepositKeyWitness is the witness that decompresses one deposit key.
type DepositKeyWitness struct {
	X, Y, QX, QY        fr.Element
	Sign, Decodes, Tors uint64
	W                   fr.Element
}

// NoDepositKey is the witness of steps that carry no deposit: y = 1, which
// decodes to nothing the rules use, with everything else zero.
func NoDepositKey() DepositKeyWitness {
	var w DepositKeyWitness
	w.Y.SetOne()
	w.QY.SetOne()
	return w
}

// NewDepositKeyWitness decompresses k as the circuit checks it.
func NewDepositKeyWitness(k vm.DepositKey) DepositKeyWitness {
	c := twistededwards.GetEdwardsCurve()
	w := DepositKeyWitness{Y: k.Y(), Sign: k.Sign()}
	w.QY.SetOne()
	var one, u, v, ratio fr.Element
	one.SetOne()
	u.Square(&w.Y)
	v.Mul(&u, &c.D)
	u.Sub(&one, &u)
	v.Add(&v, &one)
	v.Neg(&v)
	ratio.Div(&u, &v)
	if ratio.Legendre() == -1 {
		g := nonResidue()
		ratio.Mul(&ratio, &g)
		w.W.Sqrt(&ratio)
		return w
	}
	w.Decodes = 1
	w.X.Sqrt(&ratio)
	if w.X.LexicographicallyLargest() != (w.Sign == 1) {
		w.X.Neg(&w.X)
	}
	// Q = [8⁻¹ mod ℓ]P has [8]Q = P's prime-order part; T = P − [8]Q.
	p := twistededwards.PointAffine{X: w.X, Y: w.Y}
	inv8 := new(big.Int).ModInverse(big.NewInt(8), &c.Order)
	var q, q8, t twistededwards.PointAffine
	q.ScalarMultiplication(&p, inv8)
	q8.ScalarMultiplication(&q, big.NewInt(8))
	q8.Neg(&q8)
	t.Add(&p, &q8)
	w.QX, w.QY = q.X, q.Y
	for i, ti := range torsion().points {
		if ti.Equal(&t) {
			w.Tors = uint64(i)
		}
	}
	return w
}

// assign writes the witness into the slot.
func (w DepositKeyWitness) assign(s *Slot) {
	s.PubX, s.PubY, s.PubQX, s.PubQY = w.X, w.Y, w.QX, w.QY
	s.KeySign, s.KeyDecodes, s.KeyTorsion, s.KeyW = w.Sign, w.Decodes, w.Tors, w.W
}

// Assign writes the witness into slot s.
func (w DepositKeyWitness) Assign(s *Slot) { w.assign(s) }

// torsionTable is the curve's eight points of order dividing 8, T_k = [k]G
// for a generator G of order 8, and their coordinates as multilinear
// polynomials in k's three bits: coefficient i multiplies the product of
// the bits set in i.
type torsionTable struct {
	points     [8]twistededwards.PointAffine
	cx, cy     [8]*big.Int
	half       *big.Int // (r − 1)/2: x is "negative" (sign 1) above it
	nonResidue fr.Element
}

var torsion = sync.OnceValue(func() *torsionTable {
	c := twistededwards.GetEdwardsCurve()
	t := &torsionTable{}
	// A curve point's [ℓ] multiple is its small-order part; the first
	// point found whose part has order 8 generates them all.
	var one fr.Element
	one.SetOne()
	var gen twistededwards.PointAffine
	for y := uint64(2); ; y++ {
		var k vm.DepositKey
		k[0], k[1] = byte(y), byte(y>>8)
		var p twistededwards.PointAffine
		if _, err := p.SetBytes(k[:]); err != nil || !p.IsOnCurve() {
			continue
		}
		gen.ScalarMultiplication(&p, &c.Order)
		var g4 twistededwards.PointAffine
		g4.ScalarMultiplication(&gen, big.NewInt(4))
		if !g4.IsZero() {
			break
		}
	}
	t.points[0].X.SetZero()
	t.points[0].Y.SetOne()
	for k := 1; k < 8; k++ {
		t.points[k].Add(&t.points[k-1], &gen)
	}
	// Möbius transform: the coefficient of the monomial of bit set S is
	// Σ_{T ⊆ S} (−1)^{|S∖T|} value(T).
	r := fr.Modulus()
	for s := 0; s < 8; s++ {
		cx, cy := new(big.Int), new(big.Int)
		for sub := s; ; sub = (sub - 1) & s {
			var x, y big.Int
			t.points[sub].X.BigInt(&x)
			t.points[sub].Y.BigInt(&y)
			if popcount(s^sub)%2 == 1 {
				x.Neg(&x)
				y.Neg(&y)
			}
			cx.Add(cx, &x)
			cy.Add(cy, &y)
			if sub == 0 {
				break
			}
		}
		t.cx[s], t.cy[s] = cx.Mod(cx, r), cy.Mod(cy, r)
	}
	t.half = new(big.Int).Rsh(new(big.Int).Sub(r, big.NewInt(1)), 1)
	for g := uint64(2); ; g++ {
		t.nonResidue.SetUint64(g)
		if t.nonResidue.Legendre() == -1 {
			break
		}
	}
	return t
})

func nonResidue() fr.Element { return torsion().nonResidue }

func popcount(x int) int {
	n := 0
	for ; x != 0; x &= x - 1 {
		n++
	}
	return n
}

// depositKey decompresses the step's deposit key and returns 1 when it is
// a valid L2 key (see the top of this file). Steps without a deposit carry
// NoDepositKey, which passes and is not valid.
func (st *step) depositKey() frontend.Variable {
	api, s, t := st.api, st.s, torsion()
	api.AssertIsBoolean(s.KeySign)
	// mutate: implied: validity is KeyDecodes times two booleans, so a
	// deposit (valid) needs KeyDecodes = 1; a refund of a key with another
	// value d still needs [8]Q + T_k = (X, y) with k ≠ 0 or X = 0, and
	// the points at a valid key's y are ±P, both in the subgroup.
	api.AssertIsBoolean(s.KeyDecodes)
	// The curve equation at y: x²·v = u, or, for a key that does not
	// decode, W²·v = g·u.
	y2 := api.Mul(s.PubY, s.PubY)
	u := api.Sub(1, y2)
	v := api.Sub(-1, api.Mul(st.curve.Params().D, y2))
	root := api.Select(s.KeyDecodes, s.PubX, s.KeyW)
	coef := api.Add(api.Mul(s.KeyDecodes, api.Sub(1, st.nonResidue())), st.nonResidue()) // 1 or g
	api.AssertIsEqual(api.Mul(root, root, v), api.Mul(coef, u))
	// X's sign is the key's: ±X, whichever the sign makes "positive", is at
	// most (r−1)/2, which two 253-bit decompositions show (r < 2^254).
	pos := api.Mul(s.PubX, api.Sub(1, api.Mul(2, s.KeySign)))
	_ = api.ToBinary(pos, 253)
	_ = api.ToBinary(api.Sub(t.half, pos), 253)
	// X = [8]Q + T_k.
	q := tw.Point{X: s.PubQX, Y: s.PubQY}
	// mutate: needed, though no test forges it: an off-curve Q makes
	// [8]Q + T_k, with T_k ≠ O, a rational function of Q's two
	// coordinates that two equations could match to a valid key, which
	// would then be refunded. Finding such a Q is a polynomial system
	// this test suite does not solve.
	st.curve.AssertIsOnCurve(q)
	q8 := st.curve.Double(st.curve.Double(st.curve.Double(q)))
	kb := api.ToBinary(s.KeyTorsion, 3)
	b01 := api.Mul(kb[0], kb[1])
	mono := []frontend.Variable{1, kb[0], kb[1], b01, kb[2], api.Mul(kb[0], kb[2]), api.Mul(kb[1], kb[2]), api.Mul(b01, kb[2])}
	var tx, ty frontend.Variable = 0, 0
	for i, m := range mono {
		tx = api.Add(tx, api.Mul(m, t.cx[i]))
		ty = api.Add(ty, api.Mul(m, t.cy[i]))
	}
	p := st.curve.Add(q8, tw.Point{X: tx, Y: ty})
	// mutate: implied by the Y check below with the curve equation: the
	// points at y are ±(X, y), both in the subgroup or both outside it,
	// so [8]Q + T_k matches y with k = 0 exactly when the key is valid.
	st.assertIf(s.KeyDecodes, p.X, s.PubX)
	st.assertIf(s.KeyDecodes, p.Y, s.PubY)
	noTorsion := api.IsZero(s.KeyTorsion)
	xNonZero := api.Sub(1, api.IsZero(s.PubX))
	return api.Mul(s.KeyDecodes, noTorsion, xNonZero)
}

func (b *batchAPI) nonResidue() *big.Int {
	g := nonResidue()
	var out big.Int
	g.BigInt(&out)
	return &out
}
