package vm

import (
	"fmt"
	"math"
)

// ChanWitness is what a channel step shows the circuit beyond the leaf
// updates: the channel leaf's fields (after the step for an open, before
// it otherwise) and the state the operation carries.
type ChanWitness struct {
	Leaf    ChannelLeaf
	Version uint64
	Final   bool
	// Closer is set on a version-0 dispute that B signed (A signs it
	// otherwise).
	Closer bool
	// AmountB is B's funding (open) or B's balance in the state (close,
	// dispute, challenge) or B's payout (finalize).
	AmountB uint64
}

// applyOpen executes a channel open: A pays its funding and the fee, B its
// funding, and the channel leaf is created, version 0 splitting the total
// as funded.
func (b *Batch) applyOpen(tx *Tx) error {
	from, err := b.sender(tx, "opener")
	if err != nil {
		return err
	}
	peer, err := b.account(tx.To, "counterparty")
	if err != nil {
		return err
	}
	if peer.Balance < tx.AmountB {
		return fmt.Errorf("%w: account %d has %d, funds %d", ErrInsufficientBalance, tx.To, peer.Balance, tx.AmountB)
	}
	leaf, err := b.Account(tx.Channel)
	if err != nil {
		return err
	}
	if !leaf.IsEmpty() {
		return fmt.Errorf("%w: leaf %d", ErrLeafTaken, tx.Channel)
	}
	var opDebit uint64
	if tx.From == b.cfg.Operator {
		opDebit += tx.Amount + tx.Fee
	}
	if tx.To == b.cfg.Operator {
		opDebit += tx.AmountB
	}
	if err := b.checkFee(tx.Fee, opDebit, 0); err != nil {
		return err
	}
	if !tx.isPreVerified(from.PubKey) && !tx.VerifySignature(from.PubKey) {
		return fmt.Errorf("%w: channel open from account %d", ErrBadSignature, tx.From)
	}
	if tx.AmountB > 0 && !peer.PubKey.VerifyElement(tx.Message(), tx.SigB) {
		return fmt.Errorf("%w: account %d's funding of the channel", ErrBadSignature, tx.To)
	}
	from.Balance -= tx.Amount + tx.Fee
	from.Nonce++
	peer.Balance -= tx.AmountB
	b.accounts[tx.From], b.accounts[tx.To] = from, peer
	ch := openedChannel(tx)
	b.accounts[tx.Channel] = ch.Leaf()
	b.collectFee(tx.Fee)
	return nil
}

func openedChannel(tx *Tx) ChannelLeaf {
	return ChannelLeaf{Status: ChannelOpen, A: tx.From, B: tx.To, OpenNonce: tx.Nonce, Period: tx.Period, SplitA: tx.Amount, Total: tx.Amount + tx.AmountB}
}

// channelVerdict is what a close, dispute, challenge or finalize does to a
// channel: the leaf after it (nil: removed) and the two payouts.
type channelVerdict struct {
	ch         ChannelLeaf
	after      *ChannelLeaf
	payA, payB uint64
	// signedA and signedB say whose signature of the state is required:
	// both, except for a version-0 dispute, which its closer alone signs.
	signedA, signedB bool
}

// judgeChannel checks a channel operation against the channel leaf, the
// parties' keys (when checkSigs) and the batch time, and says what it
// does. It changes nothing.
func judgeChannel(tx *Tx, leaf Account, keyA, keyB PublicKey, now uint64, checkSigs bool) (channelVerdict, error) {
	ch, err := ChannelOf(&leaf)
	if err != nil {
		if leaf.Kind != KindChannel {
			return channelVerdict{}, fmt.Errorf("%w: leaf %d", ErrNotChannel, tx.Channel)
		}
		return channelVerdict{}, err
	}
	v := channelVerdict{ch: ch}
	if tx.Type == TxChanFinalize {
		if ch.Status != ChannelClosing {
			return v, fmt.Errorf("%w: channel %d is %s, not closing", ErrChannelState, ch.ID(), ch.Status)
		}
		if now < ch.Deadline {
			return v, fmt.Errorf("%w: channel %d's challenge period ends at %d, the batch time is %d", ErrChannelState, ch.ID(), ch.Deadline, now)
		}
		v.payA, v.payB = ch.SplitA, ch.Total-ch.SplitA
		return v, nil
	}
	if tx.Amount > math.MaxUint64-tx.AmountB || tx.Amount+tx.AmountB != ch.Total {
		return v, fmt.Errorf("%w: %d + %d, locked %d", ErrChannelSplit, tx.Amount, tx.AmountB, ch.Total)
	}
	v.signedA, v.signedB = true, true
	next := ch
	next.Version, next.SplitA = tx.Version, tx.Amount
	switch tx.Type {
	case TxChanClose:
		if !tx.Final {
			return v, fmt.Errorf("%w: a cooperative close needs a final state", ErrChannelState)
		}
		v.payA, v.payB = tx.Amount, tx.AmountB
	case TxChanDispute:
		if ch.Status != ChannelOpen {
			return v, fmt.Errorf("%w: channel %d is already %s", ErrChannelState, ch.ID(), ch.Status)
		}
		if tx.Version == 0 {
			// The opening state: the chain recorded it, so it needs no
			// counterparty; but only a party may close with it, so that no
			// stranger can force a channel into its challenge period.
			if tx.Amount != ch.SplitA {
				return v, fmt.Errorf("%w: version 0 splits %d to A, the opening %d", ErrChannelSplit, tx.Amount, ch.SplitA)
			}
			v.signedA, v.signedB = tx.Sig != (Signature{}), tx.SigB != (Signature{})
		}
		if now > math.MaxUint64-uint64(ch.Period) {
			return v, fmt.Errorf("%w: deadline past 2^64", ErrOverflow)
		}
		next.Status, next.Deadline = ChannelClosing, now+uint64(ch.Period)
		v.after = &next
	case TxChanChallenge:
		if ch.Status != ChannelClosing {
			return v, fmt.Errorf("%w: channel %d is %s, not closing", ErrChannelState, ch.ID(), ch.Status)
		}
		if now >= ch.Deadline {
			return v, fmt.Errorf("%w: channel %d's challenge period ended at %d", ErrChannelState, ch.ID(), ch.Deadline)
		}
		if tx.Version <= ch.Version {
			return v, fmt.Errorf("%w: version %d, the closing state is version %d", ErrStaleState, tx.Version, ch.Version)
		}
		v.after = &next
	default:
		return v, fmt.Errorf("%w: %s is not a channel operation", ErrMalformed, tx.Type)
	}
	if !checkSigs {
		return v, nil
	}
	st := tx.ChannelState(ch.ID())
	if v.signedA && !st.Verify(keyA, tx.Sig) {
		return v, fmt.Errorf("%w: party A's signature of channel %d version %d", ErrBadSignature, ch.ID(), tx.Version)
	}
	if v.signedB && !st.Verify(keyB, tx.SigB) {
		return v, fmt.Errorf("%w: party B's signature of channel %d version %d", ErrBadSignature, ch.ID(), tx.Version)
	}
	return v, nil
}

// applyChannel executes a close, dispute, challenge or finalize.
func (b *Batch) applyChannel(tx *Tx) error {
	leaf, err := b.Account(tx.Channel)
	if err != nil {
		return err
	}
	var keyA, keyB PublicKey
	var accA, accB Account
	if leaf.Kind == KindChannel {
		ch, err := ChannelOf(&leaf)
		if err != nil {
			return err
		}
		if accA, err = b.account(ch.A, "party A"); err != nil {
			return err
		}
		if accB, err = b.account(ch.B, "party B"); err != nil {
			return err
		}
		keyA, keyB = accA.PubKey, accB.PubKey
	}
	v, err := judgeChannel(tx, leaf, keyA, keyB, b.timestamp, true)
	if err != nil {
		return err
	}
	if v.payA > b.headroom(v.ch.A, accA) || v.payB > b.headroom(v.ch.B, accB) {
		return fmt.Errorf("%w: channel payout", ErrOverflow)
	}
	accA.Balance += v.payA
	accB.Balance += v.payB
	b.accounts[v.ch.A], b.accounts[v.ch.B] = accA, accB
	if v.after != nil {
		b.accounts[tx.Channel] = v.after.Leaf()
	} else {
		b.accounts[tx.Channel] = Account{}
	}
	return nil
}

// sealChannel replays a channel operation on the tree: a head step and
// B's step.
func (s *sealer) sealChannel(i int, tx *Tx) error {
	if tx.Type == TxChanOpen {
		return s.sealOpen(i, tx)
	}
	leaf, err := s.b.tree.Get(uint64(tx.Channel))
	if err != nil {
		return err
	}
	ch, err := ChannelOf(&leaf)
	if err != nil {
		return err
	}
	accA, err := s.b.tree.Get(uint64(ch.A))
	if err != nil {
		return err
	}
	accB, err := s.b.tree.Get(uint64(ch.B))
	if err != nil {
		return err
	}
	// Apply checked the signatures; sealing replays its verdict.
	v, err := judgeChannel(tx, leaf, accA.PubKey, accB.PubKey, s.b.timestamp, false)
	if err != nil {
		return err
	}
	var op Opcode
	var value, shareB uint64
	switch tx.Type {
	case TxChanClose:
		op, value, shareB = OpChanClose, v.payA, v.payB
	case TxChanDispute:
		op, value, shareB = OpChanDispute, tx.Version, tx.AmountB
	case TxChanChallenge:
		op, value, shareB = OpChanChallenge, tx.Version, tx.AmountB
	case TxChanFinalize:
		op, value, shareB = OpChanFinalize, v.payA, v.payB
	}
	amountA := tx.Amount
	if tx.Type == TxChanFinalize {
		amountA = ch.SplitA
	}
	s.regs.Pending, s.regs.Account, s.regs.Amount, s.regs.Fee = 0, ch.A, amountA, 0
	s.regs.Target = ElementFromUint64(uint64(tx.Channel))
	head := s.step(op, chanHeadRecord(op, tx.Channel, value), i)
	head.Chan = &ChanWitness{Leaf: ch, Version: tx.Version, Final: tx.Final, AmountB: shareB, Closer: tx.Type == TxChanDispute && tx.Version == 0 && v.signedB}
	if head.Leaves[0], err = s.update(ch.A, func(a *Account) { a.Balance += v.payA }); err != nil {
		return err
	}
	if head.Leaves[1], err = s.update(tx.Channel, func(a *Account) {
		if v.after != nil {
			*a = v.after.Leaf()
		} else {
			*a = Account{}
		}
	}); err != nil {
		return err
	}
	st := tx.ChannelState(ch.ID())
	msg := st.Message()
	if v.signedA {
		head.Sig = &SigWitness{PubKey: accA.PubKey, Message: msg, Sig: tx.Sig}
	}
	if err := s.push(head); err != nil {
		return err
	}
	s.regs.Account, s.regs.Amount = ch.B, shareB
	pay := s.step(OpChanPayB, chanPayBRecord(ch.B, shareB), i)
	if pay.Leaves[0], err = s.update(ch.B, func(a *Account) { a.Balance += v.payB }); err != nil {
		return err
	}
	if v.signedB {
		pay.Sig = &SigWitness{PubKey: accB.PubKey, Message: msg, Sig: tx.SigB}
	}
	return s.push(pay)
}

func (s *sealer) sealOpen(i int, tx *Tx) error {
	amountA, _ := PackAmount(tx.Amount)
	amountB, _ := PackAmount(tx.AmountB)
	fee, _ := PackFee(tx.Fee)
	s.regs.Pending, s.regs.Account, s.regs.Amount, s.regs.Fee, s.regs.Target = 0, tx.From, tx.Amount, tx.Fee, tx.target()
	s.regs.FeeAcc += tx.Fee
	ch := openedChannel(tx)
	head := s.step(OpChanOpen, chanOpenRecord(tx.From, tx.Channel, amountA, fee), i)
	head.Chan = &ChanWitness{Leaf: ch, AmountB: tx.AmountB}
	var pubA, pubB PublicKey
	var err error
	if head.Leaves[0], err = s.update(tx.From, func(a *Account) {
		pubA = a.PubKey
		a.Balance -= tx.Amount + tx.Fee
		a.Nonce++
	}); err != nil {
		return err
	}
	if head.Leaves[1], err = s.update(tx.Channel, func(a *Account) { *a = ch.Leaf() }); err != nil {
		return err
	}
	msg := tx.Message()
	head.Sig = &SigWitness{PubKey: pubA, Message: msg, Sig: tx.Sig}
	if err := s.push(head); err != nil {
		return err
	}
	s.regs.Account, s.regs.Amount, s.regs.Fee = tx.To, tx.AmountB, 0
	fund := s.step(OpChanFund, chanFundRecord(tx.To, amountB, tx.Period), i)
	if fund.Leaves[0], err = s.update(tx.To, func(a *Account) {
		pubB = a.PubKey
		a.Balance -= tx.AmountB
	}); err != nil {
		return err
	}
	if tx.AmountB > 0 {
		fund.Sig = &SigWitness{PubKey: pubB, Message: msg, Sig: tx.SigB}
	}
	return s.push(fund)
}

func chanOpenRecord(from, channel, amount uint32, fee uint16) Record {
	r := transferRecord(from, channel, amount, fee)
	r[0] = byte(OpChanOpen)
	return r
}

func chanFundRecord(peer, amount, period uint32) (r Record) {
	r[0] = byte(OpChanFund)
	putUint24(r[1:4], peer)
	putUint24(r[4:7], amount)
	be.PutUint32(r[7:11], period)
	return r
}

func chanHeadRecord(op Opcode, channel uint32, value uint64) (r Record) {
	r[0] = byte(op)
	putUint24(r[1:4], channel)
	be.PutUint64(r[4:12], value)
	return r
}

func chanPayBRecord(peer uint32, amount uint64) (r Record) {
	return chanHeadRecord(OpChanPayB, peer, amount)
}
