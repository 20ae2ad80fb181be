package vm

import (
	"fmt"
)

// Sponsored transactions: an application pays the fee of its users'
// transfers and withdrawals (ERC-4337's paymasters, the Internet
// Computer's "reverse gas"). The user signs a message that names the
// sponsor's account, so the operator cannot move the fee onto another
// sponsor; the sponsor signs SponsorMessage, which binds the chain, its own
// index, the user's message (and so the user's nonce) and the fee, so its
// signature serves one transaction, once, and no other sponsor.
//
// A sponsored transaction compiles into the user's usual steps, which
// debit the amount only, and one OpSponsor step on the sponsor's account
// that debits the fee into the batch's fee register and checks the
// sponsor's signature: every step keeps one signature check.

// SponsorTag is the type byte of a sponsor's message head. It is no
// transaction type and not ChannelStateTag, so a sponsor's signature is
// never a transaction's or a channel state's.
const SponsorTag = 14

// sponsorSuffixSize is what a sponsored transfer's or withdrawal's binary
// encoding adds: the sponsor's index and its signature.
const sponsorSuffixSize = 4 + SignatureSize

// CanBeSponsored reports whether a transaction type may have its fee paid
// by a sponsor.
func (t TxType) CanBeSponsored() bool { return t == TxTransfer || t == TxWithdraw }

// SponsorMessage is the field element the sponsor signs:
//
//	HashChain(14|chainID|sponsor, Message, fee)
//
// where | packs 8+64+32 bits into one element.
func (tx *Tx) SponsorMessage() Element {
	return tx.sponsorMessage(tx.Message())
}

func (tx *Tx) sponsorMessage(userMsg Element) Element {
	var fee Element
	fee.SetUint64(tx.Fee)
	return HashChain(sponsorHead(tx.ChainID, tx.Sponsor), userMsg, fee)
}

func sponsorHead(chainID uint64, sponsor uint32) Element {
	return packUints([]uint64{SponsorTag, chainID, uint64(sponsor)}, []uint{8, 64, 64})
}

// SignSponsor fills in SponsorSig with the sponsor key k's signature of
// SponsorMessage. The user's fields, Sponsor included, must be final.
func (tx *Tx) SignSponsor(k *PrivateKey) error {
	if !tx.Sponsored {
		return fmt.Errorf("%w: %s names no sponsor", ErrMalformed, tx.Type)
	}
	sig, err := k.SignElement(tx.SponsorMessage())
	if err != nil {
		return err
	}
	tx.SponsorSig = sig
	tx.verified = nil
	return nil
}

// VerifySponsorSignature reports whether SponsorSig is pub's signature of
// SponsorMessage.
func (tx *Tx) VerifySponsorSignature(pub PublicKey) bool {
	return tx.Sponsored && pub.VerifyElement(tx.SponsorMessage(), tx.SponsorSig)
}

// PreVerifySponsor checks the sponsor's signature against pub and, on
// success, extends PreVerify's mark so that Batch.Apply need not check it
// again while neither the transaction nor the sponsor's key has changed.
// The sender's signature must have been pre-verified first.
func (tx *Tx) PreVerifySponsor(pub PublicKey) error {
	if tx.verified == nil {
		return fmt.Errorf("vm: PreVerifySponsor before PreVerify")
	}
	if !tx.VerifySponsorSignature(pub) {
		return ErrBadSignature
	}
	tx.verified.sponsor = &pub
	return nil
}

func (tx *Tx) isSponsorPreVerified(pub PublicKey) bool {
	m := tx.verified
	if m == nil || m.sponsor == nil || *m.sponsor != pub {
		return false
	}
	c := *tx
	c.verified = nil
	return c == m.tx
}

// userFee is the fee the sender's own account pays: none when a sponsor
// pays it.
func (tx *Tx) userFee() uint64 {
	if tx.Sponsored {
		return 0
	}
	return tx.Fee
}

// checkSponsorStatic checks the sponsor fields' use: only a transfer or a
// withdrawal names a sponsor, and an unsponsored one sets none of them.
func (tx *Tx) checkSponsorStatic(capacity uint64) error {
	if !tx.Sponsored {
		if tx.Sponsor != 0 || tx.SponsorSig != (Signature{}) {
			return fmt.Errorf("%w: unsponsored %s sets sponsor fields", ErrMalformed, tx.Type)
		}
		return nil
	}
	if !tx.Type.CanBeSponsored() {
		return fmt.Errorf("%w: a %s cannot be sponsored", ErrMalformed, tx.Type)
	}
	if uint64(tx.Sponsor) >= capacity {
		return fmt.Errorf("%w: sponsor %d; tree holds %d accounts", ErrIndexOutOfRange, tx.Sponsor, capacity)
	}
	return nil
}

// chargeSponsor debits a sponsored transaction's fee from the sponsor,
// after the user's own changes: sp is the sponsor's account as those
// changes left it. It returns the sponsor's account after the fee.
func (b *Batch) chargeSponsor(tx *Tx, sp Account) (Account, error) {
	if sp.Kind == KindEmpty {
		return Account{}, fmt.Errorf("%w: sponsor %d", ErrUnknownAccount, tx.Sponsor)
	}
	if sp.Kind != KindAccount {
		return Account{}, fmt.Errorf("%w: sponsor %d", ErrNotAccount, tx.Sponsor)
	}
	if sp.Balance < tx.Fee {
		return Account{}, fmt.Errorf("%w: sponsor %d cannot pay the fee: it has %d, the fee is %d", ErrSponsorFunds, tx.Sponsor, sp.Balance, tx.Fee)
	}
	if !tx.isSponsorPreVerified(sp.PubKey) && !tx.VerifySponsorSignature(sp.PubKey) {
		return Account{}, fmt.Errorf("%w: sponsor %d's signature of %s from account %d", ErrBadSignature, tx.Sponsor, tx.Type, tx.From)
	}
	sp.Balance -= tx.Fee
	return sp, nil
}

// sponsorRecord is OpSponsor's record: 14 | idx sponsor | f16 fee | zeros.
func sponsorRecord(sponsor uint32, fee uint16) (r Record) {
	r[0] = byte(OpSponsor)
	putUint24(r[1:4], sponsor)
	be.PutUint16(r[4:6], fee)
	return r
}

// sealSponsor appends a sponsored transaction's OpSponsor step: it debits
// the sponsor's account by the fee, which joins the batch's fee register,
// and checks the sponsor's signature.
func (s *sealer) sealSponsor(i int, tx *Tx, userMsg Element) error {
	s.regs.Account = tx.Sponsor
	s.regs.FeeAcc += tx.Fee
	fee, _ := PackFee(tx.Fee)
	st := s.step(OpSponsor, sponsorRecord(tx.Sponsor, fee), i)
	var pub PublicKey
	var err error
	if st.Leaves[0], err = s.update(tx.Sponsor, func(a *Account) {
		pub = a.PubKey
		a.Balance -= tx.Fee
	}); err != nil {
		return err
	}
	st.Sig = &SigWitness{PubKey: pub, Message: tx.sponsorMessage(userMsg), Sig: tx.SponsorSig}
	return s.push(st)
}
