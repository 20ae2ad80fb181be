package vm

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"math/big"
	mrand "math/rand/v2"
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/twistededwards"
	"github.com/stretchr/testify/require"
)

// batchCase is one kind of signature a batch can hold.
type batchCase int

const (
	caseValid         batchCase = iota
	caseWrongKey                // signed by someone else
	caseWrongMessage            // signed over another message
	caseTorsionR                // a valid signature with R moved by a point of order 2
	caseSmallOrderR             // R of small order, S random: a forgery attempt
	caseNonCanonicalR           // a valid signature with R encoded as y+q
	caseHighS                   // a valid signature with S+ℓ in place of S
	caseSmallOrderKey           // a key of small order and a trivial forgery
	caseCofactorOnly            // valid only under the cofactored equation
	caseOffCurveR               // R's y has no x on the curve
	caseCount
)

func (c batchCase) String() string {
	return [...]string{"valid", "wrong key", "wrong message", "torsion in R", "small-order R", "non-canonical R",
		"S ≥ ℓ", "small-order key", "valid only with the cofactor", "R off the curve"}[c]
}

type batchSigner struct {
	key    *PrivateKey
	scalar big.Int // the secret a with A = [a]B
}

func newBatchSigner(t testing.TB) *batchSigner {
	k := newTestKey(t)
	s := &batchSigner{key: k}
	// gnark-crypto's private-key encoding: public key | scalar | nonce seed.
	s.scalar.SetBytes(k.Bytes()[PublicKeySize : 2*PublicKeySize])
	var a twistededwards.PointAffine
	a.ScalarMultiplicationBase(&s.scalar)
	require.True(t, a.Equal(&twistededwards.PointAffine{X: k.Public().X, Y: k.Public().Y}), "scalar layout changed")
	return s
}

// signWithR signs msg with nonce point R = [r]B + torsion, which is how a
// signer who wants cofactor-dependent verdicts would sign.
func (s *batchSigner) signWithR(msg Element, torsion twistededwards.PointAffine) Signature {
	order := curveOrder()
	r, err := rand.Int(rand.Reader, order)
	if err != nil {
		panic(err)
	}
	var R twistededwards.PointAffine
	R.ScalarMultiplicationBase(r)
	R.Add(&R, &torsion)
	pub := s.key.Public()
	h := HashChain(R.X, R.Y, pub.X, pub.Y, msg)
	var hb, S big.Int
	h.BigInt(&hb)
	S.Mul(&hb, &s.scalar)
	S.Add(&S, r)
	S.Mod(&S, order)
	return encodeSig(R, &S)
}

func encodeSig(R twistededwards.PointAffine, S *big.Int) Signature {
	var sig Signature
	rb := R.Bytes()
	copy(sig[:32], rb[:])
	S.FillBytes(sig[32:])
	return sig
}

// makeCase builds one signature of the given kind.
func makeCase(t testing.TB, c batchCase, signers []*batchSigner, rng *mrand.Rand) SignedElement {
	t.Helper()
	s := signers[rng.IntN(len(signers))]
	msg := ElementFromUint64(rng.Uint64())
	sign := func(m Element) Signature {
		sig, err := s.key.SignElement(m)
		require.NoError(t, err)
		return sig
	}
	_, order2 := smallOrderPoints()
	identity := twistededwards.PointAffine{Y: ElementFromUint64(1)}
	it := SignedElement{Pub: s.key.Public(), Msg: msg}
	switch c {
	case caseValid:
		it.Sig = sign(msg)
	case caseWrongKey:
		other := signers[(rng.IntN(len(signers)-1)+1+indexOf(signers, s))%len(signers)]
		it.Sig, _ = other.key.SignElement(msg)
	case caseWrongMessage:
		var m2 Element
		m2.SetUint64(rng.Uint64())
		m2.Add(&m2, &msg)
		m2.Add(&m2, &Element{1})
		it.Sig = sign(m2)
	case caseTorsionR:
		sig := sign(msg)
		var R twistededwards.PointAffine
		_, err := R.SetBytes(sig[:32])
		require.NoError(t, err)
		R.Add(&R, &order2)
		rb := R.Bytes()
		copy(sig[:32], rb[:])
		it.Sig = sig
	case caseSmallOrderR:
		R := identity
		if rng.IntN(2) == 0 {
			R = order2
		}
		S, _ := rand.Int(rand.Reader, curveOrder())
		it.Sig = encodeSig(R, S)
	case caseNonCanonicalR:
		sig := sign(msg)
		var R twistededwards.PointAffine
		_, err := R.SetBytes(sig[:32])
		require.NoError(t, err)
		var y big.Int
		R.Y.BigInt(&y)
		y.Add(&y, fr.Modulus())
		if y.BitLen() >= 255 {
			it.Sig = sig // this R has no second encoding; a plain valid case
			break
		}
		alias := make([]byte, 32)
		y.FillBytes(alias)
		for i, j := 0, 31; i < j; i, j = i+1, j-1 {
			alias[i], alias[j] = alias[j], alias[i]
		}
		alias[31] |= sig[31] & 0x80
		copy(sig[:32], alias)
		it.Sig = sig
	case caseHighS:
		sig := sign(msg)
		var S big.Int
		S.SetBytes(sig[32:])
		S.Add(&S, curveOrder())
		S.FillBytes(sig[32:])
		it.Sig = sig
	case caseSmallOrderKey:
		it.Pub = PublicKey{X: order2.X, Y: order2.Y}
		base := twistededwards.GetEdwardsCurve().Base
		it.Sig = encodeSig(base, big.NewInt(1)) // [1]B − R = O
	case caseCofactorOnly:
		it.Sig = s.signWithR(msg, order2)
	case caseOffCurveR:
		sig := sign(msg)
		copy(sig[:32], nonCurveY(t.(*testing.T)))
		it.Sig = sig
	}
	return it
}

func indexOf(signers []*batchSigner, s *batchSigner) int {
	for i := range signers {
		if signers[i] == s {
			return i
		}
	}
	return -1
}

// TestVerifyBatchMatchesSingle: random mixes of every kind of good and bad
// signature; the batch verdict, culprits included, must be VerifyElement's
// case by case.
func TestVerifyBatchMatchesSingle(t *testing.T) {
	signers := make([]*batchSigner, 5)
	for i := range signers {
		signers[i] = newBatchSigner(t)
	}
	rng := mrand.New(mrand.NewPCG(1, 2))
	trials := 40
	if testing.Short() {
		trials = 10
	}
	seen := map[batchCase]map[bool]int{}
	for trial := range trials {
		n := 1 + rng.IntN(48)
		items := make([]SignedElement, n)
		kinds := make([]batchCase, n)
		badShare := rng.Float64() * 0.5 // some batches all good, some half bad
		for i := range items {
			kinds[i] = caseValid
			if rng.Float64() < badShare {
				kinds[i] = batchCase(rng.IntN(int(caseCount)))
			}
			items[i] = makeCase(t, kinds[i], signers, rng)
		}
		got := VerifyBatch(items)
		require.Len(t, got, n)
		for i, it := range items {
			want := it.Pub.VerifyElement(it.Msg, it.Sig)
			require.Equal(t, want, got[i], "trial %d, item %d (%s) of %d", trial, i, kinds[i], n)
			if seen[kinds[i]] == nil {
				seen[kinds[i]] = map[bool]int{}
			}
			seen[kinds[i]][want]++
		}
	}
	// The mix really exercised both verdicts where a kind has both.
	require.NotZero(t, seen[caseValid][true])
	require.NotZero(t, seen[caseCofactorOnly][true], "cofactored equation accepts a torsion-shifted nonce")
	for _, c := range []batchCase{caseWrongKey, caseWrongMessage, caseTorsionR, caseSmallOrderR, caseHighS, caseSmallOrderKey, caseOffCurveR} {
		require.NotZero(t, seen[c][false], "case %s never drawn", c)
		require.Zero(t, seen[c][true], "case %s verified", c)
	}
}

// TestCombinedCheck pins the combined equation itself, without the
// bisection that would otherwise hide a wrong combined verdict behind
// single checks.
func TestCombinedCheck(t *testing.T) {
	signers := []*batchSigner{newBatchSigner(t), newBatchSigner(t), newBatchSigner(t)}
	rng := mrand.New(mrand.NewPCG(3, 4))
	build := func(kinds ...batchCase) ([]preparedSig, [][16]byte, []int) {
		prepared := make([]preparedSig, len(kinds))
		zs := make([][16]byte, len(kinds))
		set := make([]int, len(kinds))
		for i, k := range kinds {
			it := makeCase(t, k, signers, rng)
			prepared[i].prepare(&it)
			require.True(t, prepared[i].wellFormed, "%s", k)
			_, _ = rand.Read(zs[i][:])
			zs[i][15] |= 1
			set[i] = i
		}
		return prepared, zs, set
	}
	valid := make([]batchCase, 40)
	for i := range valid {
		valid[i] = caseValid
		if i%5 == 0 {
			valid[i] = caseCofactorOnly
		}
	}
	p, zs, set := build(valid...)
	require.True(t, combinedCheck(p, zs, set), "a batch of valid signatures, some valid only with the cofactor")

	for _, bad := range []batchCase{caseWrongKey, caseWrongMessage, caseTorsionR} {
		kinds := append(append([]batchCase(nil), valid...), bad)
		p, zs, set := build(kinds...)
		require.False(t, combinedCheck(p, zs, set), "one %s among %d valid", bad, len(valid))
		require.True(t, combinedCheck(p, zs, set[:len(valid)]), "the valid part alone")
	}
}

// TestVerifyBatchFindsCulprits: one bad signature costs the others nothing.
func TestVerifyBatchFindsCulprits(t *testing.T) {
	signers := []*batchSigner{newBatchSigner(t), newBatchSigner(t)}
	rng := mrand.New(mrand.NewPCG(5, 6))
	for _, n := range []int{1, 2, 3, 17, 64} {
		for _, bad := range []int{0, n / 2, n - 1} {
			items := make([]SignedElement, n)
			for i := range items {
				k := caseValid
				if i == bad {
					k = caseWrongMessage
				}
				items[i] = makeCase(t, k, signers, rng)
			}
			got := VerifyBatch(items)
			for i := range got {
				require.Equal(t, i != bad, got[i], fmt.Sprintf("n=%d bad=%d item %d", n, bad, i))
			}
		}
	}
	require.Empty(t, VerifyBatch(nil))
}

// BenchmarkVerifyBatch reports the cost of one signature in a batch of n
// from distinct keys (the worst case: no key shared).
func BenchmarkVerifyBatch(b *testing.B) {
	for _, n := range []int{16, 64, 256} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			items := make([]SignedElement, n)
			for i := range items {
				s := newBatchSigner(b)
				items[i].Pub, items[i].Msg = s.key.Public(), ElementFromUint64(uint64(i))
				items[i].Sig, _ = s.key.SignElement(items[i].Msg)
			}
			for b.Loop() {
				for i, ok := range VerifyBatch(items) {
					if !ok {
						b.Fatalf("item %d rejected", i)
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*n), "µs/sig")
		})
	}
}

// TestVerifiedMessageCache: the seal reuses the message hashed at
// verification only for the very transaction verified.
func TestVerifiedMessageCache(t *testing.T) {
	k := newTestKey(t)
	tx := &Tx{Type: TxTransfer, ChainID: 1, From: 1, To: 2, Amount: 5, Fee: 1}
	require.NoError(t, tx.Sign(k))
	errs := PreVerifyBatch([]*Tx{tx}, []PublicKey{k.Public()})
	require.NoError(t, errs[0])
	require.Equal(t, tx.Message(), tx.message())
	require.NotNil(t, tx.verified)
	changed := *tx
	changed.Amount = 6
	require.Equal(t, changed.Message(), changed.message(), "a changed transaction's message is hashed afresh")
	require.NotEqual(t, tx.message(), changed.message())
}

// FuzzVerifyBatch: any signature bytes, in a batch beside valid ones,
// get VerifyElement's verdict, and the valid ones stay valid.
func FuzzVerifyBatch(f *testing.F) {
	k, err := PrivateKeyFromSeed(bytesOf(32, 7))
	require.NoError(f, err)
	good, err := k.SignElement(ElementFromUint64(1))
	require.NoError(f, err)
	f.Add(good[:], uint64(1), false)
	f.Add(good[:], uint64(2), false)
	f.Add(make([]byte, SignatureSize), uint64(0), true)
	f.Fuzz(func(t *testing.T, sig []byte, msg uint64, zeroKey bool) {
		if len(sig) != SignatureSize {
			return
		}
		var s Signature
		copy(s[:], sig)
		pub := k.Public()
		if zeroKey {
			pub = PublicKey{}
		}
		items := []SignedElement{
			{Pub: k.Public(), Msg: ElementFromUint64(1), Sig: good},
			{Pub: pub, Msg: ElementFromUint64(msg), Sig: s},
			{Pub: k.Public(), Msg: ElementFromUint64(1), Sig: good},
		}
		got := VerifyBatch(items)
		for i, it := range items {
			if want := it.Pub.VerifyElement(it.Msg, it.Sig); got[i] != want {
				t.Fatalf("item %d: batch says %v, single %v", i, got[i], want)
			}
		}
	})
}

func bytesOf(n int, b byte) *bytes.Reader { return bytes.NewReader(bytes.Repeat([]byte{b}, n)) }
