package vm

import (
	"math"
	"math/big"
)

// A forced challenge (TxForcedChallenge) is a channel challenge that a
// party files on L1 (Rollup.requestChannelChallenge) when the sequencer
// does not sequence its L2 challenge: the priority queue then makes the
// sequencer process it in order, or let exodus mode start. It carries a
// channel state and both parties' signatures of it, exactly what an L2
// TxChanChallenge carries, but the contract cannot check those against the
// state, so the batch consumes any request, and applies it only when it is
// a valid challenge (forcedChallengeVerdict): a request that is stale,
// late, half-signed or names no closing channel changes nothing. No
// request can jam the queue.
//
// It compiles into two steps, as a challenge does: a head on party A's
// account that checks A's signature and hands the verdict on, and a
// continuation on party B's account and the channel leaf that checks B's
// and applies the state when every check holds.

// ForcedChallengePriorityHash advances the queue's running hash by one
// forced challenge, both signatures in it, so that the sequencer can
// neither drop the request nor change its state or signatures:
//
//	mid  = Compress(HashChain(prev, head, Ra.X, Ra.Y), Sa)
//	next = Compress(HashChain(mid, 0, Rb.X, Rb.Y), Sb)
//
// head = 11 (8 bits) | channel (32) | final (1) | version (64) |
// balanceA (64) | balanceB (64). The batch circuit hashes the first line in
// the head step and the second in the continuation; the contract computes
// both.
func ForcedChallengePriorityHash(prev Element, channel uint32, s ChannelState, sigA, sigB Signature) Element {
	mid := forcedChallengeMid(prev, channel, s, sigA)
	return forcedChallengeNext(mid, sigB)
}

func forcedChallengeHead(channel uint32, s ChannelState) Element {
	head := new(big.Int).Lsh(big.NewInt(int64(TxForcedChallenge)), 225)
	head.Or(head, new(big.Int).Lsh(big.NewInt(int64(channel)), 193))
	if s.Final {
		head.SetBit(head, 192, 1)
	}
	head.Or(head, new(big.Int).Lsh(new(big.Int).SetUint64(s.Version), 128))
	head.Or(head, new(big.Int).Lsh(new(big.Int).SetUint64(s.BalanceA), 64))
	head.Or(head, new(big.Int).SetUint64(s.BalanceB))
	var h Element
	h.SetBigInt(head)
	return h
}

func forcedChallengeMid(prev Element, channel uint32, s ChannelState, sigA Signature) Element {
	rx, ry, sc := sigA.Parts()
	return Compress(HashChain(prev, forcedChallengeHead(channel, s), rx, ry), sc)
}

func forcedChallengeNext(mid Element, sigB Signature) Element {
	rx, ry, sc := sigB.Parts()
	var zero Element
	return Compress(HashChain(mid, zero, rx, ry), sc)
}

// forcedChallenge is what the rules find about a forced challenge: the
// channel (when the leaf is one), the keys its signatures are checked
// against, and the verdict.
type forcedChallenge struct {
	isChannel bool
	ch        ChannelLeaf
	// keyA and keyB are the parties' keys, or the base point for a party
	// whose leaf is not an account (the circuit then checks the signature
	// against any key and ignores it).
	keyA, keyB PublicKey
	// validA and validB say whether each party's signature holds under
	// its account's key.
	validA, validB bool
	// applies is the verdict: the state replaces the channel's.
	applies bool
}

// judgeForcedChallenge decides a forced challenge exactly as the batch
// circuit does: it applies when the leaf is a channel that is closing, the
// batch time is before its deadline, the state's version is higher than
// the channel's, its balances add up to the locked total, and both
// parties' accounts signed it. read returns a leaf of the state the
// request is processed on.
func judgeForcedChallenge(tx *Tx, read func(uint32) (Account, error), now uint64) (forcedChallenge, error) {
	f := forcedChallenge{keyA: basePoint(), keyB: basePoint()}
	leaf, err := read(tx.Channel)
	if err != nil {
		return f, err
	}
	if leaf.Kind == KindChannel {
		// A channel leaf always decodes (the VM writes it); one that did
		// not would read as no channel.
		if ch, err := ChannelOf(&leaf); err == nil {
			f.isChannel, f.ch = true, ch
		}
	}
	// The parties' accounts; for a leaf that is no channel, both steps
	// read leaf 0, whose key (when it is an account) the circuit checks
	// the signatures against, to no effect.
	ch := f.ch
	st := tx.ChannelState(ch.ID())
	accA, err := read(ch.A)
	if err != nil {
		return f, err
	}
	accB, err := read(ch.B)
	if err != nil {
		return f, err
	}
	if accA.Kind == KindAccount {
		f.keyA = accA.PubKey
		f.validA = st.Verify(accA.PubKey, tx.Sig)
	}
	if accB.Kind == KindAccount {
		f.keyB = accB.PubKey
		f.validB = st.Verify(accB.PubKey, tx.SigB)
	}
	sumOK := tx.Amount <= math.MaxUint64-tx.AmountB && tx.Amount+tx.AmountB == ch.Total
	f.applies = f.isChannel && ch.Status == ChannelClosing && now < ch.Deadline && tx.Version > ch.Version && sumOK && f.validA && f.validB
	return f, nil
}

// challenged is the channel leaf after an applied forced challenge.
func (f *forcedChallenge) challenged(tx *Tx) ChannelLeaf {
	next := f.ch
	next.Version, next.SplitA = tx.Version, tx.Amount
	return next
}

// applyForcedChallenge consumes a forced challenge, applying it when it is
// valid. It never refuses one.
func (b *Batch) applyForcedChallenge(tx *Tx) error {
	f, err := judgeForcedChallenge(tx, b.Account, b.timestamp)
	if err != nil {
		return err
	}
	if f.applies {
		next := f.challenged(tx)
		b.accounts[tx.Channel] = next.Leaf()
	}
	return nil
}

// sealForcedChallenge replays a forced challenge on the tree: the head on
// party A's account (leaf 0 when the request names no channel) and the
// continuation on party B's account and the requested leaf.
func (s *sealer) sealForcedChallenge(i int, tx *Tx) error {
	f, err := judgeForcedChallenge(tx, func(i uint32) (Account, error) { return s.b.tree.Get(uint64(i)) }, s.b.timestamp)
	if err != nil {
		return err
	}
	st := tx.ChannelState(f.ch.ID())
	msg := st.Message()
	witness := &ChanWitness{Leaf: f.ch, Version: tx.Version, Final: tx.Final, AmountB: tx.AmountB}

	s.regs.Pending, s.regs.Account, s.regs.Amount, s.regs.Fee = 0, f.ch.A, tx.Amount, 0
	s.regs.Target = ElementFromUint64(uint64(tx.Channel))
	s.regs.PriorityHash = forcedChallengeMid(s.regs.PriorityHash, tx.Channel, st, tx.Sig)
	s.regs.PriorityCount++
	head := s.step(OpForcedChallenge, chanHeadRecord(OpForcedChallenge, tx.Channel, tx.Version), i)
	head.Chan = witness
	if head.Leaves[0], err = s.update(f.ch.A, func(*Account) {}); err != nil {
		return err
	}
	head.Sig = &SigWitness{PubKey: f.keyA, Message: msg, Sig: tx.Sig}
	if err := s.push(head); err != nil {
		return err
	}

	s.regs.Account = f.ch.B
	s.regs.PriorityHash = forcedChallengeNext(s.regs.PriorityHash, tx.SigB)
	cont := s.step(OpForcedChallengeB, forcedVerdictRecord(f.applies, tx.Amount), i)
	cont.Chan = witness
	if cont.Leaves[0], err = s.update(f.ch.B, func(*Account) {}); err != nil {
		return err
	}
	if cont.Leaves[1], err = s.update(tx.Channel, func(a *Account) {
		if f.applies {
			next := f.challenged(tx)
			*a = next.Leaf()
		}
	}); err != nil {
		return err
	}
	cont.Sig = &SigWitness{PubKey: f.keyB, Message: msg, Sig: tx.SigB}
	return s.push(cont)
}

// forcedVerdictRecord is a forced challenge's second record: whether it
// applied, and the state's BalanceA (its version is in the head record).
func forcedVerdictRecord(applied bool, balanceA uint64) (r Record) {
	r[0] = byte(OpForcedChallengeB)
	if applied {
		r[1] = 1
	}
	be.PutUint64(r[4:12], balanceA)
	return r
}
