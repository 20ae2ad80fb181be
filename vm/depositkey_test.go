package vm

import (
	"math/big"
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/twistededwards"
	"github.com/ethereum/go-ethereum/common"
	"github.com/stretchr/testify/require"
)

// badDepositKeys are 32-byte keys Rollup.deposit accepts (y below the
// modulus) that are no valid L2 key, one of each kind the circuit must
// refund.
func badDepositKeys(t testing.TB) map[string]DepositKey {
	t.Helper()
	pub := testKey(t, "bad keys").Public()
	encode := func(x, y fr.Element) DepositKey {
		p := twistededwards.PointAffine{X: x, Y: y}
		return p.Bytes()
	}
	var negX, negY fr.Element
	negX.Neg(&pub.X)
	negY.Neg(&pub.Y)
	var zero, one, minusOne fr.Element
	one.SetOne()
	minusOne.Neg(&one)
	keys := map[string]DepositKey{
		// pub + (0, −1): on the curve, with a component of order 2.
		"torsion of order 2": encode(negX, negY),
		"identity":           encode(zero, one),
		"order-2 point":      encode(zero, minusOne),
	}
	// x = 0 with the sign bit set: the identity's other encoding.
	id := encode(zero, one)
	id[PublicKeySize-1] |= 0x80
	keys["identity, sign set"] = id
	// The smallest y whose x² = (1−y²)/(−1−dy²) has no root.
	d := twistededwards.GetEdwardsCurve().D
	for y := uint64(2); ; y++ {
		var ye, num, den fr.Element
		ye.SetUint64(y)
		num.Square(&ye)
		den.Mul(&num, &d)
		num.Sub(&one, &num)
		den.Add(&den, &one)
		den.Neg(&den)
		num.Div(&num, &den)
		if num.Legendre() == -1 {
			var k DepositKey
			k[0] = byte(y)
			keys["no x for y"] = k
			break
		}
	}
	// A small-order point added to pub: [ℓ]Q for a point Q outside the
	// subgroup is one.
	var t4 twistededwards.PointAffine
	order := twistededwards.GetEdwardsCurve().Order
	t4.ScalarMultiplication(&twistededwards.PointAffine{X: negX, Y: negY}, &order)
	require.False(t, t4.IsZero())
	var p twistededwards.PointAffine
	p.Add(&twistededwards.PointAffine{X: pub.X, Y: pub.Y}, &t4)
	keys["pub plus small order"] = encode(p.X, p.Y)
	for name, k := range keys {
		require.NoError(t, k.CheckCanonical(), name)
		require.False(t, k.Valid(), name)
	}
	return keys
}

// TestDepositKey: a key's deposit key is its compressed encoding, and the
// sign and y the queue hash takes are read from it as Rollup.deposit reads
// them.
func TestDepositKey(t *testing.T) {
	for _, name := range []string{"a", "b", "c", "d", "e", "f"} {
		pub := testKey(t, name).Public()
		k := DepositKeyOf(pub)
		got, err := k.PublicKey()
		require.NoError(t, err)
		require.Equal(t, pub, got)
		require.True(t, k.Valid())
		require.Equal(t, pub.Y, k.Y())
		want := uint64(0)
		if pub.X.LexicographicallyLargest() {
			want = 1
		}
		require.Equal(t, want, k.Sign())
	}
	var k DepositKey
	for i := range k {
		k[i] = 0xff
	}
	k[PublicKeySize-1] = 0x7f // y = 2^255 − 1 without the sign
	require.ErrorIs(t, k.CheckCanonical(), ErrMalformed)
	m := new(big.Int).Set(fr.Modulus())
	var mod DepositKey
	mb := m.FillBytes(make([]byte, 32))
	for i := range mb {
		mod[31-i] = mb[i]
	}
	require.ErrorIs(t, mod.CheckCanonical(), ErrMalformed, "y = the modulus")
	badDepositKeys(t)
}

// TestDepositRefund: a deposit to a key that is not a valid L2 key is
// consumed in queue order and paid back on L1, never credited, and a valid
// key's deposit can never be refunded.
func TestDepositRefund(t *testing.T) {
	c := funded(t)
	head := c.head()
	b := c.batch()
	depositor := common.Address{0xde, 0xad}
	bad := badDepositKeys(t)["no x for y"]
	req := PriorityRequest{ID: b.PriorityCount(), Key: bad, Amount: 700, From: depositor}
	tx := req.Tx(testChainID)
	require.Equal(t, TxDepositRefund, tx.Type)
	require.Equal(t, depositor, tx.L1To)

	// A valid key's request becomes a deposit; refunding it is refused.
	good := testKey(t, "good").Public()
	asRefund := Tx{Type: TxDepositRefund, ChainID: testChainID, PriorityID: b.PriorityCount(), L1To: depositor, DepositKey: DepositKeyOf(good), Amount: 700}
	require.ErrorIs(t, b.Apply(&asRefund), ErrMalformed)
	late := tx
	late.PriorityID++
	require.ErrorIs(t, b.Apply(&late), ErrPriorityOrder)

	tr := c.transfer(1, 2, 100, 0, 0)
	require.NoError(t, b.Apply(&tr))
	require.NoError(t, b.Apply(&tx))
	d := Tx{Type: TxDeposit, ChainID: testChainID, PriorityID: b.PriorityCount(), To: 5, PubKey: good, Amount: 300}
	require.NoError(t, b.Apply(&d))
	sb := c.commit(b)

	require.Equal(t, PriorityHash(PriorityHash(head.PriorityHash, 700, bad), 300, DepositKeyOf(good)), sb.After.PriorityHash)
	require.Equal(t, head.PriorityCount+2, sb.After.PriorityCount)
	require.Equal(t, []Withdrawal{{To: depositor, Amount: 700, Refund: true}}, sb.Withdrawals)
	ops, err := DecodePublicData(sb.PublicData)
	require.NoError(t, err)
	require.Equal(t, PublicOp{Op: OpDepositRefund, Position: 0, Amount: 700}, ops[1])
	require.Equal(t, OpDepositRefund, sb.Steps[1].Op)
	require.Equal(t, bad, sb.Steps[1].DepositKey)
	require.NotZero(t, sb.PublicData[len(sb.Steps)*RecordSize]&(0x80>>1), "the refund's payout bit")
	c.requireConserved()

	// Replay: the refund must name a deposit of a bad key, for its amount,
	// at its position.
	queue := map[uint64]PriorityRequest{req.ID: req, d.PriorityID: {ID: d.PriorityID, Key: DepositKeyOf(good), Amount: 300}}
	replay := func(q map[uint64]PriorityRequest, pd []byte) error {
		_, err := ReplayPublicData(c.cfg, c.store.ReaderAt(head.BatchNumber), head, sb.After.Timestamp, pd,
			func(id uint64) (PriorityRequest, error) { return q[id], nil })
		return err
	}
	require.NoError(t, replay(queue, sb.PublicData))
	validKey := map[uint64]PriorityRequest{req.ID: {Key: DepositKeyOf(good), Amount: 700}, d.PriorityID: queue[d.PriorityID]}
	require.ErrorIs(t, replay(validKey, sb.PublicData), ErrReplay, "a valid key's deposit refunded")
	otherAmount := map[uint64]PriorityRequest{req.ID: {Key: bad, Amount: 701}, d.PriorityID: queue[d.PriorityID]}
	require.ErrorIs(t, replay(otherAmount, sb.PublicData), ErrReplay, "another amount")
	moved := append([]byte(nil), sb.PublicData...)
	moved[RecordSize+3] = 1 // position 1
	require.ErrorIs(t, replay(queue, moved), ErrReplay, "another position")
	badCredited := map[uint64]PriorityRequest{req.ID: req, d.PriorityID: {Key: bad, Amount: 300}}
	require.ErrorIs(t, replay(badCredited, sb.PublicData), ErrReplay, "a bad key credited")

	// The transaction encodes and decodes both ways.
	bin, err := tx.MarshalBinary()
	require.NoError(t, err)
	var back Tx
	require.NoError(t, back.UnmarshalBinary(bin))
	require.Equal(t, tx, back)
	js, err := tx.MarshalJSON()
	require.NoError(t, err)
	var backJSON Tx
	require.NoError(t, backJSON.UnmarshalJSON(js))
	require.Equal(t, tx, backJSON)
}

// FuzzDepositKey: any 32 bytes (as an L1 log could carry them) decode
// without a panic; a key is valid exactly when it is some key's canonical
// encoding.
func FuzzDepositKey(f *testing.F) {
	f.Add(make([]byte, 32))
	pub := testKey(f, "fuzz").Public()
	k := DepositKeyOf(pub)
	f.Add(k[:])
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) != PublicKeySize {
			return
		}
		var k DepositKey
		copy(k[:], b)
		_ = k.CheckCanonical()
		_ = k.Y()
		pub, err := k.PublicKey()
		require.Equal(t, err == nil, k.Valid())
		if err == nil {
			require.Equal(t, k, DepositKeyOf(pub))
			require.NoError(t, k.CheckCanonical())
		}
		var back DepositKey
		require.NoError(t, back.UnmarshalText([]byte(k.String())))
		require.Equal(t, k, back)
	})
}
