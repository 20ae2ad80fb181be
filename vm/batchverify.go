package vm

import (
	"crypto/rand"
	"encoding/binary"
	"math/big"
	"math/bits"

	"github.com/consensys/gnark-crypto/ecc/bn254/twistededwards"
)

// SignedElement is one signature to check: Sig by Pub over Msg.
type SignedElement struct {
	Pub PublicKey
	Msg Element
	Sig Signature
}

// VerifyBatch checks many signatures at once and reports, for each, exactly
// what Pub.VerifyElement(Msg, Sig) would.
//
// Checking n signatures one by one costs 2n full scalar multiplications.
// VerifyBatch draws a fresh 128-bit random zᵢ per signature and checks one
// combined equation instead,
//
//	[8]( [Σ zᵢSᵢ]B − Σ [zᵢhᵢ]Aᵢ − Σ [zᵢ]Rᵢ ) = O,
//
// with a single multi-scalar multiplication (Pippenger's bucket method) in
// which a sender's key appears once however many of its signatures the
// batch holds. The equation is the cofactored one VerifyElement checks: if
// every signature passes, the sum is O; if one fails, its term is a nonzero
// point of the prime-order subgroup once multiplied by 8, and the random
// zᵢ make the sum O with probability below 2⁻¹²⁶. Without the cofactor a
// signature that passes alone could fail in a batch (or the reverse) by a
// small-order component, so the batch verdict would depend on the batch.
//
// When the combined check fails, VerifyBatch bisects: halves are checked
// with the same zᵢ until each failing signature is alone, so k bad
// signatures cost about 2k·log₂n small checks and the good ones are still
// accepted. What the equation cannot express (S ≥ ℓ, R off the curve, a key
// off the curve or of small order) is refused per signature beforehand,
// exactly as VerifyElement refuses it.
func VerifyBatch(items []SignedElement) []bool {
	ok := make([]bool, len(items))
	prepared := make([]preparedSig, len(items))
	valid := make([]int, 0, len(items))
	pairFor(len(items), true,
		func(i int) { prepared[i].prepare(&items[i]) },
		func(i, j int) { preparePair(&prepared[i], &items[i], &prepared[j], &items[j]) })
	for i := range prepared {
		if prepared[i].wellFormed {
			valid = append(valid, i)
		}
	}
	if len(valid) == 0 {
		return ok
	}
	zs := make([][16]byte, len(items))
	buf := make([]byte, 16*len(items))
	if _, err := rand.Read(buf); err != nil {
		panic("vm: crypto/rand failed: " + err.Error()) // crypto/rand never fails on supported platforms
	}
	for i := range zs {
		copy(zs[i][:], buf[16*i:])
		zs[i][15] |= 1 // nonzero, so a singleton check is the single equation
	}
	var bisect func(set []int, known bool)
	// bisect marks set's signatures; known says the set is already known to
	// hold a bad signature (its sibling passed and the parent failed).
	bisect = func(set []int, knownBad bool) {
		if len(set) == 1 {
			ok[set[0]] = prepared[set[0]].verify()
			return
		}
		if !knownBad && combinedCheck(prepared, zs, set) {
			for _, i := range set {
				ok[i] = true
			}
			return
		}
		left, right := set[:len(set)/2], set[len(set)/2:]
		leftOK := len(left) > 1 && combinedCheck(prepared, zs, left)
		if leftOK {
			for _, i := range left {
				ok[i] = true
			}
		} else {
			bisect(left, len(left) > 1)
		}
		// The parent failed: if the left half passed, the culprit is on
		// the right and checking the right half whole would be wasted.
		bisect(right, leftOK)
	}
	bisect(valid, false)
	return ok
}

// preparedSig is a signature decoded and hashed, ready for either check.
type preparedSig struct {
	wellFormed bool
	pub        twistededwards.PointAffine
	r          twistededwards.PointAffine
	s          big.Int // < ℓ
	h          big.Int // the challenge HashChain(R, A, msg)
}

// prepare runs VerifyElement's per-signature checks and computes the
// challenge; anything VerifyElement refuses before its equation leaves
// wellFormed false.
func (p *preparedSig) prepare(it *SignedElement) {
	if !p.decode(it) {
		return
	}
	h := HashChain(p.challengeInputs(it)...)
	h.BigInt(&p.h)
	p.wellFormed = true
}

// preparePair is prepare for two signatures, their challenge hashes in
// lockstep.
func preparePair(p *preparedSig, it *SignedElement, q *preparedSig, jt *SignedElement) {
	okP, okQ := p.decode(it), q.decode(jt)
	if !okP || !okQ {
		if okP {
			p.prepare(it)
		}
		if okQ {
			q.prepare(jt)
		}
		return
	}
	hp, hq := hashChain2(p.challengeInputs(it), q.challengeInputs(jt))
	hp.BigInt(&p.h)
	hq.BigInt(&q.h)
	p.wellFormed, q.wellFormed = true, true
}

// decode runs the checks the equation cannot express: the key on the
// curve and not of small order, R on the curve, S below ℓ.
func (p *preparedSig) decode(it *SignedElement) bool {
	if !it.Pub.onCurveNotSmallOrder() {
		return false
	}
	if _, err := p.r.SetBytes(it.Sig[:32]); err != nil || !p.r.IsOnCurve() {
		return false
	}
	p.s.SetBytes(it.Sig[32:])
	if p.s.Cmp(curveOrder()) >= 0 {
		return false
	}
	p.pub = twistededwards.PointAffine{X: it.Pub.X, Y: it.Pub.Y}
	return true
}

// challengeInputs is what the challenge h = HashChain(R, A, msg) hashes.
func (p *preparedSig) challengeInputs(it *SignedElement) []Element {
	return []Element{p.r.X, p.r.Y, it.Pub.X, it.Pub.Y, it.Msg}
}

// verify checks the prepared signature alone, as VerifyElement does.
func (p *preparedSig) verify() bool {
	var sB twistededwards.PointAffine
	sB.ScalarMultiplicationBase(&p.s)
	var q, a, t twistededwards.PointExtended
	a.FromAffine(&p.pub)
	t.ScalarMultiplication(&a, &p.h)
	t.Neg(&t)
	q.FromAffine(&sB)
	q.Add(&q, &t)
	var negR twistededwards.PointAffine
	negR.Neg(&p.r)
	q.MixedAdd(&q, &negR)
	return cofactorClears(&q)
}

func cofactorClears(q *twistededwards.PointExtended) bool {
	q.Double(q)
	q.Double(q)
	q.Double(q)
	return q.IsZero()
}

// combinedCheck evaluates the random linear combination over set.
func combinedCheck(prepared []preparedSig, zs [][16]byte, set []int) bool {
	order := curveOrder()
	var sum, z, t big.Int
	// A sender's key enters once, with the sum of its coefficients, so a
	// batch of one account's transactions costs one point, not many.
	keyIndex := make(map[twistededwards.PointAffine]int, len(set))
	points := make([]twistededwards.PointAffine, 0, 2*len(set)+1)
	scalars := make([]big.Int, 0, 2*len(set)+1)
	for _, i := range set {
		p := &prepared[i]
		z.SetBytes(zs[i][:])
		t.Mul(&z, &p.s)
		sum.Add(&sum, &t)
		// −zᵢRᵢ: negate the point, keep the 128-bit scalar.
		var negR twistededwards.PointAffine
		negR.Neg(&p.r)
		points = append(points, negR)
		scalars = append(scalars, *new(big.Int).Set(&z))
		// −zᵢhᵢAᵢ, reduced mod ℓ: after the final [8], a point's
		// multiple depends only on the scalar mod ℓ.
		t.Mul(&z, &p.h)
		k, seen := keyIndex[p.pub]
		if !seen {
			var negA twistededwards.PointAffine
			negA.Neg(&p.pub)
			k = len(points)
			keyIndex[p.pub] = k
			points = append(points, negA)
			scalars = append(scalars, big.Int{})
		}
		scalars[k].Add(&scalars[k], &t)
	}
	for i := range scalars {
		scalars[i].Mod(&scalars[i], order)
	}
	base := twistededwards.GetEdwardsCurve().Base
	points = append(points, base)
	scalars = append(scalars, *sum.Mod(&sum, order))
	q := msm(points, scalars)
	return cofactorClears(&q)
}

// scalarWords is a scalar below 2²⁵⁶ as little-endian 64-bit words.
type scalarWords [4]uint64

func toWords(x *big.Int) scalarWords {
	var b [32]byte
	x.FillBytes(b[:])
	var w scalarWords
	for i := range w {
		w[i] = binary.BigEndian.Uint64(b[32-8*(i+1):])
	}
	return w
}

// digit returns the c-bit window of s that starts at bit off.
func (s *scalarWords) digit(off, c int) uint64 {
	w, b := off/64, off%64
	if w >= len(s) {
		return 0
	}
	v := s[w] >> b
	if b+c > 64 && w+1 < len(s) {
		v |= s[w+1] << (64 - b)
	}
	return v & (1<<c - 1)
}

// msm returns Σ [scalars[i]]points[i] by Pippenger's bucket method. The
// windows are independent, so they are summed in parallel and combined by
// Horner's rule at the end.
func msm(points []twistededwards.PointAffine, scalars []big.Int) twistededwards.PointExtended {
	words := make([]scalarWords, len(scalars))
	maxBits := 1
	for i := range scalars {
		words[i] = toWords(&scalars[i])
		maxBits = max(maxBits, scalars[i].BitLen())
	}
	c := windowBits(len(points))
	windows := (maxBits + c - 1) / c
	sums := make([]twistededwards.PointExtended, windows)
	parallelFor(windows, func(w int) {
		buckets := make([]twistededwards.PointExtended, 1<<c-1)
		for i := range buckets {
			setIdentity(&buckets[i])
		}
		for i := range points {
			if d := words[i].digit(w*c, c); d != 0 {
				buckets[d-1].MixedAdd(&buckets[d-1], &points[i])
			}
		}
		// Σ d·bucket[d] as a running sum from the top bucket down.
		var running, total twistededwards.PointExtended
		setIdentity(&running)
		setIdentity(&total)
		for d := len(buckets) - 1; d >= 0; d-- {
			running.Add(&running, &buckets[d])
			total.Add(&total, &running)
		}
		sums[w] = total
	})
	var acc twistededwards.PointExtended
	setIdentity(&acc)
	for w := windows - 1; w >= 0; w-- {
		for range c {
			acc.Double(&acc)
		}
		acc.Add(&acc, &sums[w])
	}
	return acc
}

// windowBits picks the bucket window for n points: wide enough that the
// per-window bucket sum (2^(c+1) additions) stays below the n additions
// that fill the buckets.
func windowBits(n int) int {
	return min(max(bits.Len(uint(n))-2, 3), 12)
}

func setIdentity(p *twistededwards.PointExtended) {
	p.X.SetZero()
	p.Y.SetOne()
	p.Z.SetOne()
	p.T.SetZero()
}
