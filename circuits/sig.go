package circuits

import (
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/std/algebra/native/twistededwards"
	gnarkposeidon2 "github.com/consensys/gnark/std/hash/poseidon2"
	"github.com/consensys/gnark/std/signature/eddsa"
	"github.com/keel-rollup/keel/vm"
)

// sigOut is what the signature gadget tells the other rules.
type sigOut struct {
	// msg is the message signed: the transaction's, a channel state's, or
	// on a continuation the one its head handed on.
	msg frontend.Variable
	// valid is 1 when the slot's signature is valid for msg, whether or not
	// one was needed.
	valid frontend.Variable
	// bSig is 1 when a channel head's continuation must carry B's
	// signature of the same state.
	bSig frontend.Variable
}

// signature checks the step's EdDSA signature where one is needed: a
// signed head's by leaf A's owner over the transaction message
// (vm.Tx.Message, which binds the chain id and the nonce), a channel
// state's by the parties the state needs, and a full exit's, which
// fullExit reads to decide whether it is honoured.
func (st *step) signature(A leafState) (sigOut, error) {
	api, s, r, op := st.api, st.s, st.r, st.op
	// The transaction message (vm.Tx.Message) of a signed head or a full
	// exit, and a channel state's (vm.ChannelState.Message) of a state
	// head: both are HashChain(head, value, third), so one chain hashes
	// whichever the opcode selects.
	txType := api.Add(api.Mul(op.transfer, int(vm.TxTransfer)), api.Mul(op.withdraw, int(vm.TxWithdraw)), api.Mul(op.fullExit, int(vm.TxFullExit)), api.Mul(op.open, int(vm.TxChanOpen)))
	txHead := api.Add(api.Mul(txType, twoTo(128)), api.Mul(st.c.ChainID, twoTo(64)), api.Mul(s.Nonce, twoTo(32)), s.Account)
	// A full exit's message has no amount (the signer cannot know the
	// balance it will pay); its register holds the payout.
	// A sponsored one's names its sponsor: 1|sponsor|amount|fee.
	txValue := api.Add(api.Mul(api.Sub(1, op.fullExit), api.Add(api.Mul(s.Amount, twoTo(64)), s.Fee)),
		api.Mul(st.sponsored, twoTo(160)), api.Mul(st.sponsor, twoTo(128)))
	stHead := api.Add(api.Mul(vm.ChannelStateTag, twoTo(128)), api.Mul(st.c.ChainID, twoTo(64)), api.Mul(s.ChA, twoTo(32)), s.ChNonce)
	stVersion := api.Add(api.Mul(s.Version, 2), s.Final)
	stSplit := api.Add(api.Mul(s.Amount, twoTo(64)), s.AmountB)
	// A sponsor signs HashChain(14|chainID|sponsor, the message its head
	// handed on, fee) (vm.Tx.SponsorMessage).
	spHead := api.Add(api.Mul(vm.SponsorTag, twoTo(128)), api.Mul(st.c.ChainID, twoTo(64)), s.Account)
	own := st.h.Chain(
		api.Select(op.sponsor, spHead, api.Select(op.stateMsg, stHead, txHead)),
		api.Select(op.sponsor, r.msg, api.Select(op.stateMsg, stVersion, txValue)),
		api.Select(op.sponsor, s.Fee, api.Select(op.stateMsg, stSplit, s.Target)),
	)
	// B's step signs what its head handed it. A forced challenge's second
	// step hashes its own fields, which must give the head's message: so
	// they are the state the queue hash bound in the head.
	msg := api.Select(op.chanCont, r.msg, own)
	st.assertIf(op.forcedB, own, r.msg)

	// Both parties sign a state, except the opening state (a version-0
	// dispute), which the closing party alone signs; a finalize is
	// unsigned.
	isDisp0 := api.Mul(op.dispute, api.IsZero(s.Version))
	api.AssertIsBoolean(s.Closer)
	st.assertIf(api.Sub(1, isDisp0), s.Closer, 0)
	bothSign := api.Add(op.close, op.challenge, api.Sub(op.dispute, isDisp0))
	headSig := api.Add(bothSign, api.Mul(isDisp0, api.Sub(1, s.Closer)))
	bSig := api.Add(bothSign, api.Mul(isDisp0, s.Closer))
	needSig := api.Add(op.signed, headSig, api.Mul(op.chanCont, r.needSig), op.sponsor)

	// A full exit of an account is checked against the account's key; of
	// any other leaf, against any key: it pays nothing either way.
	// A forced challenge's parties likewise: the verdict reads validity
	// only together with the account's kind.
	keyed := api.Add(needSig, api.Mul(api.Add(op.fullExit, op.forced, op.forcedB), st.aIsAccount))
	st.assertIf(keyed, s.SigPubX, A.x)
	st.assertIf(keyed, s.SigPubY, A.y)
	sigR := twistededwards.Point{X: s.SigRX, Y: s.SigRY}
	// mutate: implied by the challenge hash in eddsa.IsValid: R enters
	// h = H(R, A, msg), so [8](R − ([S]B − [h]A)) = O cannot be solved for
	// R without the key's secret, off the curve as on it; and with the
	// secret, an on-curve R serves as well.
	st.curve.AssertIsOnCurve(sigR)
	hasher, err := gnarkposeidon2.New(api)
	if err != nil {
		return sigOut{}, err
	}
	valid, err := eddsa.IsValid(st.curve, eddsa.Signature{R: sigR, S: s.SigS}, msg, eddsa.PublicKey{A: twistededwards.Point{X: s.SigPubX, Y: s.SigPubY}}, hasher)
	if err != nil {
		return sigOut{}, err
	}
	st.assertIf(needSig, valid, 1)
	return sigOut{msg: msg, valid: valid, bSig: bSig}, nil
}
