package circuits_test

import (
	"math"
	"math/big"
	"math/rand"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark-crypto/ecc/bn254/twistededwards"
	"github.com/consensys/gnark/test"
	"github.com/keel-rollup/keel/circuits"
	"github.com/keel-rollup/keel/prover"
	"github.com/keel-rollup/keel/vm"
	"github.com/stretchr/testify/require"
)

// chanScript drives a test chain through channel operations, keeping every
// sealed batch's witness.
type chanScript struct {
	t *testing.T
	c *testChain
}

// batchAt applies txs in a batch with the given timestamp; every one must
// be accepted. It returns the sealed batch, committed, and the state
// before it.
func (s *chanScript) batchAt(ts uint64, txs ...vm.Tx) *vm.SealedBatch {
	b := s.c.batch()
	require.NoError(s.t, b.SetTimestamp(ts))
	for i := range txs {
		txs[i].ChainID = s.c.cfg.ChainID
		require.NoError(s.t, s.c.apply(b, txs[i]), "tx %d (%s)", i, txs[i].Type)
	}
	return s.c.seal(b)
}

// open is A's open of a channel with B in leaf, B co-signing when it funds.
func (s *chanScript) open(a, b, leaf uint32, amountA, amountB uint64, period uint32) vm.Tx {
	tx := s.c.signed(vm.Tx{Type: vm.TxChanOpen, From: a, To: b, Channel: leaf, Amount: amountA, AmountB: amountB, Fee: 10, Period: period})
	if amountB > 0 {
		require.NoError(s.t, tx.SignB(s.c.keys[b]))
	}
	return tx
}

// state is a channel operation carrying st, signed by both parties.
func (s *chanScript) state(typ vm.TxType, leaf uint32, a, b uint32, st vm.ChannelState) vm.Tx {
	st.ChainID = s.c.cfg.ChainID
	tx := vm.Tx{Type: typ, Channel: leaf}
	tx.SetChannelState(st)
	var err error
	tx.Sig, err = st.Sign(s.c.keys[a])
	require.NoError(s.t, err)
	tx.SigB, err = st.Sign(s.c.keys[b])
	require.NoError(s.t, err)
	return tx
}

func witnessOf(t *testing.T, cfg vm.Config, sb *vm.SealedBatch) *circuits.BatchCircuit {
	w, err := prover.Witness(cfg, sb)
	require.NoError(t, err)
	return w
}

// signSlot replaces a slot's signature with k's signature of msg.
func signSlot(t *testing.T, s *circuits.Slot, msg vm.Element, k *vm.PrivateKey) {
	sig, err := k.SignElement(msg)
	require.NoError(t, err)
	var r twistededwards.PointAffine
	_, err = r.SetBytes(sig[:32])
	require.NoError(t, err)
	pub := k.Public()
	s.SigPubX, s.SigPubY, s.SigRX, s.SigRY = pub.X, pub.Y, r.X, r.Y
	s.SigS = new(big.Int).SetBytes(sig[32:])
}

// TestChannelsInCircuit runs every channel operation through the VM, the
// witness and the whole circuit (commitment included), with the money
// ledger checked after each batch:
//
//	open 1↔2 (both fund) → cooperative close
//	open 2↔3 (2 funds) → dispute (v2) → challenge (v4) → finalize
//	open 1↔3 and its version-0 dispute in one batch → finalize
func TestChannelsInCircuit(t *testing.T) {
	c := newTestChain(t, testConfig)
	c.funded(4)
	s := &chanScript{t: t, c: c}
	field := ecc.BN254.ScalarField()
	prove := func(name string, sb *vm.SealedBatch) {
		t.Helper()
		require.NoError(t, test.IsSolved(circuits.NewBatchCircuit(c.cfg.Slots, c.cfg.Depth), witnessOf(t, c.cfg, sb), field), name)
		c.requireConserved()
	}
	id12 := vm.ChannelIDOf(1, c.nonce[1])
	prove("open 1-2", s.batchAt(1000, s.open(1, 2, 6, 30_000, 20_000, 100)))
	prove("close 1-2", s.batchAt(1010, s.state(vm.TxChanClose, 6, 1, 2, vm.ChannelState{ChannelID: id12, Version: 9, BalanceA: 12_345, BalanceB: 37_655, Final: true})))

	id23 := vm.ChannelIDOf(2, c.nonce[2])
	prove("open 2-3", s.batchAt(1020, s.open(2, 3, 7, 40_000, 0, 50)))
	prove("dispute v2", s.batchAt(1030, s.state(vm.TxChanDispute, 7, 2, 3, vm.ChannelState{ChannelID: id23, Version: 2, BalanceA: 30_000, BalanceB: 10_000})))
	prove("challenge v4", s.batchAt(1040, s.state(vm.TxChanChallenge, 7, 2, 3, vm.ChannelState{ChannelID: id23, Version: 4, BalanceA: 25_000, BalanceB: 15_000})))
	prove("finalize", s.batchAt(1080, vm.Tx{Type: vm.TxChanFinalize, Channel: 7}))

	id13 := vm.ChannelIDOf(1, c.nonce[1])
	open13 := s.open(1, 3, 8, 5_000, 7_000, 20)
	// The opening state, signed by the closing party alone: here B.
	opening := vm.ChannelState{ChainID: c.cfg.ChainID, ChannelID: id13, BalanceA: 5_000, BalanceB: 7_000}
	dispute0 := vm.Tx{Type: vm.TxChanDispute, Channel: 8}
	dispute0.SetChannelState(opening)
	var err error
	dispute0.SigB, err = opening.Sign(c.keys[3])
	require.NoError(t, err)
	prove("open 1-3 and dispute v0", s.batchAt(1100, open13, dispute0))
	prove("finalize v0", s.batchAt(1120, vm.Tx{Type: vm.TxChanFinalize, Channel: 8}))
}

// TestChannelSoundness: a dishonest sequencer's forgeries of channel steps.
// Each case is a consistent forgery (see forge): every leaf path, root and
// after-leaf is what the circuit computes from the forged witness, so that
// only the rule the case names can reject it; the comment above each case
// names that assertion of circuits/batch.go. The commitment check is off,
// as for an adversary who writes the public data too.
//
// The channel is 1↔2 in leaf 6, opened at 1000 with 30,000 from A (1) and
// 20,000 from B (2), period 100; Mallory holds account 3. Its states:
//
//	v2 29,500/20,500   v3 29,000/21,000   v5 28,000/22,000   v9 12,345/37,655 final
//
// Forgeries of the open are made on the state before it; of a close or
// dispute, on the open channel; of a challenge or finalize, on the channel
// disputed with v3 at 1010 (deadline 1110). Edits of the witness itself,
// not of the trace, are kept to what changes no leaf: signatures, the
// batch time, the Closer flag, and channel fields read as field elements
// that the trace's integers cannot hold.
//
// No case challenges an open channel: an open leaf's deadline is 0 (the
// open's rule), so the challenge's deadline check refuses it whatever the
// status check says, which is thus implied.
func TestChannelSoundness(t *testing.T) {
	c := newTestChain(t, testConfig)
	c.funded(4)
	s := &chanScript{t: t, c: c}
	cfg := c.cfg
	field := ecc.BN254.ScalarField()
	unbound := circuits.NewBatchCircuitUnbound(cfg.Slots, cfg.Depth)
	mallory := c.keys[3]
	headNow := func() vm.Meta {
		h, err := c.store.Head()
		require.NoError(t, err)
		return h
	}
	// build seals txs on head without committing them.
	build := func(head vm.Meta, ts uint64, txs ...vm.Tx) *vm.SealedBatch {
		b, err := vm.NewBatch(cfg, c.store.ReaderAt(head.BatchNumber), head)
		require.NoError(t, err)
		require.NoError(t, b.SetTimestamp(ts))
		for i := range txs {
			txs[i].ChainID = cfg.ChainID
			require.NoError(t, b.Apply(&txs[i]), "tx %d (%s)", i, txs[i].Type)
		}
		return c.sealUncommitted(b)
	}
	state := func(version, a, b uint64, final bool) vm.ChannelState {
		return vm.ChannelState{ChainID: cfg.ChainID, ChannelID: vm.ChannelIDOf(1, 0), Version: version, BalanceA: a, BalanceB: b, Final: final}
	}
	v2, v3, v5, v9 := state(2, 29_500, 20_500, false), state(3, 29_000, 21_000, false), state(5, 28_000, 22_000, false), state(9, 12_345, 37_655, true)
	opening := state(0, 30_000, 20_000, false)

	// The open, on the funded accounts.
	head0 := headNow()
	base0 := c.store.ReaderAt(head0.BatchNumber)
	require.Equal(t, vm.ChannelIDOf(1, c.nonce[1]), v9.ChannelID)
	openTx := s.open(1, 2, 6, 30_000, 20_000, 100)
	openSB := s.batchAt(1000, openTx)
	chOpen := openSB.Steps[0].Chan.Leaf // open, version 0, 30,000 of 50,000 to A

	// Uncommitted alternatives on the open channel: a close, disputes,
	// seven transfers 3→0 without a fee, and six of them then the close.
	head1 := headNow()
	base1 := c.store.ReaderAt(head1.BatchNumber)
	closeSB := build(head1, 1010, s.state(vm.TxChanClose, 6, 1, 2, v9))
	disputeSB := build(head1, 1010, s.state(vm.TxChanDispute, 6, 1, 2, v3))
	dispute0 := vm.Tx{Type: vm.TxChanDispute, Channel: 6}
	dispute0.SetChannelState(opening)
	var err error
	dispute0.Sig, err = opening.Sign(c.keys[1]) // A alone
	require.NoError(t, err)
	dispute0SB := build(head1, 1010, dispute0)
	transfers := func(n int) []vm.Tx {
		var txs []vm.Tx
		for i := 0; i < n; i++ {
			tx := vm.Tx{Type: vm.TxTransfer, ChainID: cfg.ChainID, From: 3, To: 0, Amount: 100, Nonce: uint32(i)}
			require.NoError(t, tx.Sign(mallory))
			txs = append(txs, tx)
		}
		return txs
	}
	sevenSB := build(head1, 1010, transfers(7)...)
	sixCloseSB := build(head1, 1010, append(transfers(6), s.state(vm.TxChanClose, 6, 1, 2, v9))...)

	// The channel disputed with v3, and what may follow.
	s.batchAt(1010, s.state(vm.TxChanDispute, 6, 1, 2, v3))
	head2 := headNow()
	base2 := c.store.ReaderAt(head2.BatchNumber)
	challengeSB := build(head2, 1050, s.state(vm.TxChanChallenge, 6, 1, 2, v5))
	finalizeSB := build(head2, 1110, vm.Tx{Type: vm.TxChanFinalize, Channel: 6})
	chClosing := challengeSB.Steps[0].Chan.Leaf // closing with v3 until 1110

	for name, sb := range map[string]*vm.SealedBatch{"open": openSB, "close": closeSB, "dispute": disputeSB, "dispute v0": dispute0SB,
		"transfers": sevenSB, "transfers and close": sixCloseSB, "challenge": challengeSB, "finalize": finalizeSB} {
		require.NoError(t, test.IsSolved(unbound, witnessOf(t, cfg, sb), field), "honest %s", name)
	}
	for _, sb := range []*vm.SealedBatch{closeSB, disputeSB, dispute0SB, challengeSB, finalizeSB} {
		require.Equal(t, vm.OpChanPayB, sb.Steps[1].Op)
		require.Equal(t, vm.OpNoop, sb.Steps[2].Op)
	}
	require.Equal(t, vm.OpChanFund, openSB.Steps[1].Op)
	require.Equal(t, vm.OpNoop, sevenSB.Steps[7].Op)
	require.Equal(t, vm.OpChanClose, sixCloseSB.Steps[6].Op)
	require.Equal(t, chOpen.Leaf(), closeSB.Steps[0].Leaves[1].Before)
	require.Equal(t, v9.Message(), chanStateMessage(cfg.ChainID, big.NewInt(1), big.NewInt(0), v9))
	require.Equal(t, openTx.Message(), openMessage(openTx, openTarget(openTx, 0)))

	// Edits of a state step's trace (a head and B's step).
	carry := func(sb *vm.SealedBatch, st vm.ChannelState) {
		head, payB := &sb.Steps[0], &sb.Steps[1]
		head.Regs.Amount, payB.Regs.Amount = st.BalanceA, st.BalanceB
		head.Chan.Version, head.Chan.Final, head.Chan.AmountB = st.Version, st.Final, st.BalanceB
	}
	signBoth := func(sb *vm.SealedBatch, msg vm.Element, a, b *vm.PrivateKey) {
		resignStep(t, &sb.Steps[0], msg, a)
		resignStep(t, &sb.Steps[1], msg, b)
	}
	// pay credits a and b to the accounts of the head and of B's step.
	pay := func(sb *vm.SealedBatch, a, b uint64) {
		for i, v := range []uint64{a, b} {
			lw := &sb.Steps[i].Leaves[0]
			lw.After.Balance = lw.Before.Balance + v
		}
	}
	// leave sets the channel leaf the head leaves.
	leave := func(sb *vm.SealedBatch, ch vm.ChannelLeaf) { sb.Steps[0].Leaves[1].After = ch.Leaf() }
	closing := func(ch vm.ChannelLeaf, deadline, version, splitA uint64) vm.ChannelLeaf {
		ch.Status, ch.Deadline, ch.Version, ch.SplitA = vm.ChannelClosing, deadline, version, splitA
		return ch
	}
	// toMallory makes the channel's parties, as the head reads them,
	// Mallory's account 3, paid both shares and signing for both.
	toMallory := func(msg vm.Element) func(sb *vm.SealedBatch) {
		return func(sb *vm.SealedBatch) {
			for i := range 2 {
				sb.Steps[i].Regs.Account, sb.Steps[i].Leaves[0].Index = 3, 3
			}
			sb.Steps[0].Chan.Leaf.A, sb.Steps[0].Chan.Leaf.B = 3, 3
			signBoth(sb, msg, mallory, mallory)
		}
	}
	// readAs returns the value a field shifted by shift bits in the
	// channel leaf's X must take, the other fields being fields, for the
	// packing to equal the leaf's X: (X − fields) / 2^shift.
	readAs := func(x vm.Element, fields *big.Int, shift uint) *big.Int {
		d := new(big.Int).Sub(x.BigInt(new(big.Int)), fields)
		inv := new(big.Int).ModInverse(new(big.Int).Lsh(big.NewInt(1), shift), field)
		return d.Mul(d, inv).Mod(d, field)
	}
	xOpen := chOpen.Leaf().PubKey.X

	// reopen rewrites the open: A signs tx (its To, AmountB, Period and
	// Amount), with top in the target's bits above the 128 it packs; the
	// channel leaf has ch's fields and holds Amount + amountB; B's step
	// debits amountB from payer, signed by payerKey when amountB is not 0.
	reopen := func(tx vm.Tx, top uint64, ch vm.ChannelLeaf, amountB uint64, payer uint32, payerKey *vm.PrivateKey) func(sb *vm.SealedBatch) {
		return func(sb *vm.SealedBatch) {
			target := openTarget(tx, top)
			msg := openMessage(tx, target)
			head, fund := &sb.Steps[0], &sb.Steps[1]
			head.Regs.Amount, head.Regs.Target = tx.Amount, target
			head.Chan.Leaf, head.Chan.AmountB = ch, amountB
			a := &head.Leaves[0]
			a.After.Balance = a.Before.Balance - tx.Amount - tx.Fee
			ch.Total = tx.Amount + amountB
			head.Leaves[1].After = ch.Leaf()
			resignStep(t, head, msg, c.keys[tx.From])
			fund.Regs.Account, fund.Regs.Amount, fund.Regs.Target = payer, amountB, target
			b := &fund.Leaves[0]
			b.Index = payer
			b.After.Balance = b.Before.Balance - amountB
			fund.Sig = nil
			if amountB > 0 {
				resignStep(t, fund, msg, payerKey)
			}
		}
	}
	opened := func(edit func(ch *vm.ChannelLeaf)) vm.ChannelLeaf {
		ch := chOpen
		edit(&ch)
		return ch
	}

	from := func(base vm.NodeReader, sb *vm.SealedBatch, edit func(sb *vm.SealedBatch)) func() *circuits.BatchCircuit {
		return func() *circuits.BatchCircuit { return forge(t, cfg, base, sb, edit) }
	}
	// edited is the honest witness of sb with a witness-level edit, for
	// edits that change no leaf.
	edited := func(sb *vm.SealedBatch, edit func(w *circuits.BatchCircuit)) func() *circuits.BatchCircuit {
		return func() *circuits.BatchCircuit {
			w := witnessOf(t, cfg, sb)
			edit(w)
			return w
		}
	}
	then := func(w func() *circuits.BatchCircuit, edit func(w *circuits.BatchCircuit)) func() *circuits.BatchCircuit {
		return func() *circuits.BatchCircuit {
			out := w()
			edit(out)
			return out
		}
	}

	cases := []soundCase{
		// --- Closes (on the open channel). ---
		// needSig → valid (B's step).
		{name: "close half-signed: B's signature forged", where: "slot", witness: edited(closeSB, func(w *circuits.BatchCircuit) {
			w.Slots[1].SigS = big.NewInt(12345)
		})},
		// keyed: SigPub = leaf A's key (B's step). Another key differs
		// in X and in Y, so these cases need the X and Y checks together
		// (either one catches them without the other).
		{name: "close signed twice by A", where: "slot", witness: edited(closeSB, func(w *circuits.BatchCircuit) {
			signSlot(t, &w.Slots[1], v9.Message(), c.keys[1])
		})},
		// keyed: SigPub = leaf A's key (the head).
		{name: "close with A's signature made by Mallory", where: "slot", witness: edited(closeSB, func(w *circuits.BatchCircuit) {
			signSlot(t, &w.Slots[0], v9.Message(), mallory)
		})},
		// isChHead: Amount + AmountB = B.Balance.
		{name: "close that overpays A by 1, re-signed by both", where: "slot", witness: from(base1, closeSB, func(sb *vm.SealedBatch) {
			over := v9
			over.BalanceA++
			carry(sb, over)
			signBoth(sb, over.Message(), c.keys[1], c.keys[2])
			pay(sb, over.BalanceA, over.BalanceB)
		})},
		// isClose: Final = 1.
		{name: "cooperative close of a state not marked final, re-signed by both", where: "slot", witness: from(base1, closeSB, func(sb *vm.SealedBatch) {
			nf := v9
			nf.Final = false
			carry(sb, nf)
			signBoth(sb, nf.Message(), c.keys[1], c.keys[2])
		})},
		// isChCont: Account = r.account.
		{name: "close paying B's share to Mallory, who signs in B's place", where: "slot", witness: from(base1, closeSB, func(sb *vm.SealedBatch) {
			sb.Steps[1].Regs.Account, sb.Steps[1].Leaves[0].Index = 3, 3
			resignStep(t, &sb.Steps[1], v9.Message(), mallory)
		})},
		// isChCont: Amount = r.amount.
		{name: "close paying B 1,000 more than its share", where: "slot", witness: from(base1, closeSB, func(sb *vm.SealedBatch) {
			sb.Steps[1].Regs.Amount += 1000
			pay(sb, v9.BalanceA, v9.BalanceB+1000)
		})},
		// r.next · (Op − r.next) = 0: a padding step where B's is owed.
		{name: "close whose B step is left out: B's share burned", where: "slot", witness: from(base1, closeSB, func(sb *vm.SealedBatch) {
			sb.Steps[1] = sb.Steps[2]
		})},
		// Define: regs.next = 0.
		{name: "close head in the last slot, its B step never made: B's share burned", where: "Define", witness: from(base1, sevenSB, func(sb *vm.SealedBatch) {
			sb.Steps[7] = cloneSealed(sixCloseSB).Steps[6]
		})},
		// isChCont · (Op − r.next) = 0: a continuation nobody owes.
		{name: "close followed by a stray funding step, debiting B's share again unsigned", where: "slot", witness: from(base1, closeSB, func(sb *vm.SealedBatch) {
			payB := sb.Steps[1]
			fund := &sb.Steps[2]
			fund.Op, fund.Regs = vm.OpChanFund, payB.Regs
			fund.Leaves[0] = payB.Leaves[0]
			fund.Leaves[0].Before = payB.Leaves[0].After
			fund.Leaves[0].After.Balance = fund.Leaves[0].Before.Balance - v9.BalanceB
		})},
		// isChHead: B.Kind = KindChannel. The emptied leaf is shown with
		// its old fields: an empty leaf hashes to 0 whatever they are.
		{name: "close replayed in the same batch on the emptied leaf (double close)", where: "slot", witness: from(base1, closeSB, func(sb *vm.SealedBatch) {
			sb.Steps[2], sb.Steps[3] = sb.Steps[0], sb.Steps[1]
			sb.Steps[2].Leaves[1].Before = vm.Account{PubKey: chOpen.Leaf().PubKey, Balance: chOpen.Total}
		})},
		// isChHead: B.X = x (another open nonce).
		{name: "state of another channel of 1 and 2 closing this one, re-signed by both", where: "slot", witness: from(base1, closeSB, func(sb *vm.SealedBatch) {
			other := v9
			other.ChannelID = vm.ChannelIDOf(1, 1)
			sb.Steps[0].Chan.Leaf.OpenNonce = 1
			signBoth(sb, other.Message(), c.keys[1], c.keys[2])
		})},
		// ChStatus range (8 bits): the status absorbs the parties'
		// difference in X, and a close checks no status.
		{name: "close of the channel to Mallory, its parties read as account 3 and its status absorbing the difference", where: "slot", witness: then(
			from(base1, closeSB, toMallory(chanStateMessage(cfg.ChainID, big.NewInt(3), big.NewInt(0), v9))),
			func(w *circuits.BatchCircuit) {
				w.Slots[0].ChStatus = readAs(xOpen, chanX(0, 3, 3, 0, 100, 0), 192)
			})},
		// ChA, ChB, ChNonce, ChPeriod ranges (32 bits): the open nonce
		// absorbs the parties' difference.
		{name: "close of the channel to Mallory, its parties read as account 3 and its open nonce absorbing the difference", where: "slot", witness: func() *circuits.BatchCircuit {
			nonce := readAs(xOpen, chanX(1, 3, 3, 0, 100, 0), 96)
			w := from(base1, closeSB, toMallory(chanStateMessage(cfg.ChainID, big.NewInt(3), nonce, v9)))()
			w.Slots[0].ChNonce = nonce
			return w
		}},
		// isChHead: Account = ChA.
		{name: "close paying A's share to Mallory, who signs in A's place", where: "slot", witness: from(base1, closeSB, func(sb *vm.SealedBatch) {
			sb.Steps[0].Regs.Account, sb.Steps[0].Leaves[0].Index = 3, 3
			resignStep(t, &sb.Steps[0], v9.Message(), mallory)
		})},
		// A.Index = Account (channel heads among others).
		{name: "close paying A's share into Mallory's leaf while its register names A", where: "slot", witness: from(base1, closeSB, func(sb *vm.SealedBatch) {
			sb.Steps[0].Leaves[0].Index = 3
			resignStep(t, &sb.Steps[0], v9.Message(), mallory)
		})},
		// isChHead + isChCont: Fee = 0.
		{name: "close head carrying a fee", where: "slot", witness: from(base1, closeSB, func(sb *vm.SealedBatch) {
			sb.Steps[0].Regs.Fee = 10
		})},
		// isChHead: B.Index = Target.
		{name: "close head whose target register names another leaf than the channel", where: "slot", witness: from(base1, closeSB, func(sb *vm.SealedBatch) {
			for i := range 2 {
				sb.Steps[i].Regs.Target = vm.ElementFromUint64(7)
			}
		})},
		// isFin: ChStatus = ChannelClosing.
		{name: "open channel settled at once by a finalize, unsigned, at the opening split", where: "slot", witness: from(base1, closeSB, func(sb *vm.SealedBatch) {
			sb.Steps[0].Op = vm.OpChanFinalize
			carry(sb, opening)
			for i := range 2 {
				sb.Steps[i].Sig = nil
			}
			pay(sb, opening.BalanceA, opening.BalanceB)
		})},

		// --- Disputes (on the open channel). ---
		// needSig → valid (B's step).
		{name: "dispute with a state above version 0 signed by the closer alone", where: "slot", witness: edited(disputeSB, func(w *circuits.BatchCircuit) {
			w.Slots[1].SigS = big.NewInt(5)
		})},
		// Closer = 0 unless a version-0 dispute.
		{name: "dispute above version 0 passed off as B's opening dispute", where: "slot", witness: edited(disputeSB, func(w *circuits.BatchCircuit) {
			w.Slots[0].Closer = 1
		})},
		// Final is boolean: Version·2 + Final is what both signed.
		{name: "dispute with v3 read as version 1000, its final flag absorbing the difference: no newer state can challenge", where: "slot", witness: then(
			from(base1, disputeSB, func(sb *vm.SealedBatch) {
				sb.Steps[0].Chan.Version = 1000
				leave(sb, closing(chOpen, 1110, 1000, v3.BalanceA))
			}),
			func(w *circuits.BatchCircuit) {
				w.Slots[0].Final = new(big.Int).Mod(big.NewInt(2*(3-1000)), field)
			})},
		// isDisp: Timestamp + ChPeriod below 2^64.
		{name: "dispute whose deadline passes 2^64 and wraps into the period: finalizable at once", where: "slot", witness: from(base1, disputeSB, func(sb *vm.SealedBatch) {
			sb.After.Timestamp = math.MaxUint64 - 49
			ch := closing(chOpen, 50, v3.Version, v3.BalanceA)
			ch.Period++
			leave(sb, ch)
		})},
		// isDisp0: Amount = ChSplitA.
		{name: "a version-0 dispute uses the opening split: A alone signs 50,000/0 and takes B's funding", where: "slot", witness: from(base1, dispute0SB, func(sb *vm.SealedBatch) {
			all := state(0, 50_000, 0, false)
			carry(sb, all)
			resignStep(t, &sb.Steps[0], all.Message(), c.keys[1])
			leave(sb, closing(chOpen, 1110, 0, all.BalanceA))
		})},
		// keyed: SigPub = leaf A's key.
		{name: "opening dispute by a stranger", where: "slot", witness: edited(dispute0SB, func(w *circuits.BatchCircuit) {
			signSlot(t, &w.Slots[0], opening.Message(), mallory)
		})},
		// needSig → valid (the head).
		{name: "opening dispute by nobody: A's signature forged", where: "slot", witness: edited(dispute0SB, func(w *circuits.BatchCircuit) {
			w.Slots[0].SigS = big.NewInt(99)
		})},
		// needSig → valid (B's step, owed by Closer).
		{name: "opening dispute claimed as B's, B never signed", where: "slot", witness: edited(dispute0SB, func(w *circuits.BatchCircuit) {
			w.Slots[0].Closer = 1
			pub := c.keys[2].Public()
			w.Slots[1].SigPubX, w.Slots[1].SigPubY = pub.X, pub.Y
			w.Slots[1].SigRX, w.Slots[1].SigRY, w.Slots[1].SigS = w.Slots[0].SigRX, w.Slots[0].SigRY, w.Slots[0].SigS
		})},
		// Closer is boolean.
		{name: "opening dispute signed by both with a closer flag of 2", where: "slot", witness: then(
			from(base1, dispute0SB, func(sb *vm.SealedBatch) {
				resignStep(t, &sb.Steps[1], opening.Message(), c.keys[2])
			}),
			func(w *circuits.BatchCircuit) { w.Slots[0].Closer = 2 })},

		// --- Opens (on the funded accounts). ---
		// needSig → valid (B's funding).
		{name: "open whose B funding is not signed by B", where: "slot", witness: edited(openSB, func(w *circuits.BatchCircuit) {
			w.Slots[1].SigS = big.NewInt(1)
		})},
		// isOpen + isFund: Amount = AmountM·10^AmountE.
		{name: "open publishing another B funding than B pays", where: "slot", witness: edited(openSB, func(w *circuits.BatchCircuit) {
			w.Slots[1].AmountM = 20_001
		})},
		// isOpen: B.Kind = KindEmpty.
		{name: "open creating a channel over an existing account, wiping its balance", where: "slot", witness: from(base0, openSB, func(sb *vm.SealedBatch) {
			tree, err := vm.NewTree(cfg.Depth, base0)
			require.NoError(t, err)
			acct3, err := tree.Get(3)
			require.NoError(t, err)
			lw := &sb.Steps[0].Leaves[1]
			lw.Index, lw.Before = 3, acct3
			lw.After = chOpen.Leaf()
			lw.After.Kind += acct3.Kind
		})},
		// isOpen: target bits 128..160 = 0.
		{name: "open whose signed target carries bits above the 128 it packs", where: "slot", witness: from(base0, openSB,
			reopen(openTx, 1, chOpen, 20_000, 2, c.keys[2]))},
		// isOpen: ChB = the signed B.
		{name: "open recording Mallory as B though A signed for 2 (she funds it)", where: "slot", witness: from(base0, openSB,
			reopen(openTx, 0, opened(func(ch *vm.ChannelLeaf) { ch.B = 3 }), 20_000, 3, mallory))},
		// isOpen: AmountB = the signed funding.
		{name: "open debiting B 40,000 for the 20,000 it signed to fund", where: "slot", witness: from(base0, openSB,
			reopen(openTx, 0, chOpen, 40_000, 2, c.keys[2]))},
		// isOpen: ChPeriod = the signed period.
		{name: "open with a 1 s challenge period, A having signed 100", where: "slot", witness: from(base0, openSB,
			reopen(openTx, 0, opened(func(ch *vm.ChannelLeaf) { ch.Period = 1 }), 20_000, 2, c.keys[2]))},
		// isOpen: ChStatus = ChannelOpen.
		{name: "open creating a channel already closing: finalizable at once", where: "slot", witness: from(base0, openSB,
			reopen(openTx, 0, opened(func(ch *vm.ChannelLeaf) { ch.Status = vm.ChannelClosing }), 20_000, 2, c.keys[2]))},
		// isOpen: ChA = Account.
		{name: "open recording Mallory as party A of the channel A funds", where: "slot", witness: from(base0, openSB,
			reopen(openTx, 0, opened(func(ch *vm.ChannelLeaf) { ch.A = 3 }), 20_000, 2, c.keys[2]))},
		// isOpen: ChNonce = Nonce.
		{name: "open whose channel id takes another nonce: an older channel's states then close it", where: "slot", witness: from(base0, openSB,
			reopen(openTx, 0, opened(func(ch *vm.ChannelLeaf) { ch.OpenNonce = 7 }), 20_000, 2, c.keys[2]))},
		// isOpen: ChDeadline = 0.
		{name: "open with a deadline set", where: "slot", witness: from(base0, openSB,
			reopen(openTx, 0, opened(func(ch *vm.ChannelLeaf) { ch.Deadline = 5000 }), 20_000, 2, c.keys[2]))},
		// isOpen: ChVersion = 0.
		{name: "open at version 7", where: "slot", witness: from(base0, openSB,
			reopen(openTx, 0, opened(func(ch *vm.ChannelLeaf) { ch.Version = 7 }), 20_000, 2, c.keys[2]))},
		// isOpen: ChSplitA = Amount.
		{name: "open recording A's share as the whole total: A's opening dispute then takes B's funding", where: "slot", witness: from(base0, openSB,
			reopen(openTx, 0, opened(func(ch *vm.ChannelLeaf) { ch.SplitA = 50_000 }), 20_000, 2, c.keys[2]))},
		// isOpen: ChA ≠ ChB.
		{name: "open of a channel of account 1 with itself", where: "slot", witness: func() *circuits.BatchCircuit {
			tx := openTx
			tx.To = 1
			return forge(t, cfg, base0, openSB, reopen(tx, 0, opened(func(ch *vm.ChannelLeaf) { ch.B = 1 }), 20_000, 1, c.keys[1]))
		}},
		// isOpen: ChPeriod ≠ 0.
		{name: "open with no challenge period, signed so by both", where: "slot", witness: func() *circuits.BatchCircuit {
			tx := openTx
			tx.Period = 0
			return forge(t, cfg, base0, openSB, reopen(tx, 0, opened(func(ch *vm.ChannelLeaf) { ch.Period = 0 }), 20_000, 2, c.keys[2]))
		}},
		// isOpen: Amount + AmountB ≠ 0.
		{name: "open of an empty channel, both funding 0", where: "slot", witness: func() *circuits.BatchCircuit {
			tx := openTx
			tx.Amount, tx.AmountB = 0, 0
			return forge(t, cfg, base0, openSB, reopen(tx, 0, opened(func(ch *vm.ChannelLeaf) { ch.SplitA = 0 }), 0, 2, nil))
		}},
		// isChCont: A.Kind = 1 (B's funding step).
		{name: "open with an empty leaf as party B: its payouts are burned", where: "slot", witness: func() *circuits.BatchCircuit {
			tx := openTx
			tx.To, tx.AmountB = 9, 0
			return forge(t, cfg, base0, openSB, reopen(tx, 0, opened(func(ch *vm.ChannelLeaf) { ch.B = 9 }), 0, 9, nil))
		}},

		// --- Challenges (on the channel closing with v3). ---
		// isChal: Version − ChVersion − 1 in 64 bits.
		{name: "challenge with the closing version, re-signed by both", where: "slot", witness: from(base2, challengeSB, func(sb *vm.SealedBatch) {
			stale := v5
			stale.Version = v3.Version
			carry(sb, stale)
			signBoth(sb, stale.Message(), c.keys[1], c.keys[2])
			leave(sb, closing(chClosing, 1110, stale.Version, stale.BalanceA))
		})},
		{name: "challenge with the older v2", where: "slot", witness: from(base2, challengeSB, func(sb *vm.SealedBatch) {
			carry(sb, v2)
			signBoth(sb, v2.Message(), c.keys[1], c.keys[2])
			leave(sb, closing(chClosing, 1110, v2.Version, v2.BalanceA))
		})},
		// isChHead: B.Y = y.
		{name: "challenge with the older v2, the leaf's version read as 0", where: "slot", witness: from(base2, challengeSB, func(sb *vm.SealedBatch) {
			carry(sb, v2)
			signBoth(sb, v2.Message(), c.keys[1], c.keys[2])
			sb.Steps[0].Chan.Leaf.Version = 0
			leave(sb, closing(chClosing, 1110, v2.Version, v2.BalanceA))
		})},
		// ChDeadline, ChVersion, ChSplitA, Version, AmountB ranges (64
		// bits): the split absorbs the version's difference in Y.
		{name: "challenge with the older v2, the leaf's Y read as version 1 and a split past 64 bits", where: "slot", witness: then(
			from(base2, challengeSB, func(sb *vm.SealedBatch) {
				carry(sb, v2)
				signBoth(sb, v2.Message(), c.keys[1], c.keys[2])
				leave(sb, closing(chClosing, 1110, v2.Version, v2.BalanceA))
			}),
			func(w *circuits.BatchCircuit) {
				w.Slots[0].ChVersion = uint64(1)
				w.Slots[0].ChSplitA = new(big.Int).Add(big.NewInt(int64(v3.BalanceA)), new(big.Int).Lsh(big.NewInt(2), 64))
			})},
		// isChal: ChDeadline − Timestamp − 1 in 64 bits.
		{name: "challenge after the deadline", where: "slot", witness: edited(challengeSB, func(w *circuits.BatchCircuit) {
			w.Timestamp = uint64(1110)
		})},
		// isDisp: ChStatus = ChannelOpen.
		{name: "dispute of a closing channel, resetting its deadline and its state to the older v2", where: "slot", witness: from(base2, challengeSB, func(sb *vm.SealedBatch) {
			sb.Steps[0].Op = vm.OpChanDispute
			carry(sb, v2)
			signBoth(sb, v2.Message(), c.keys[1], c.keys[2])
			leave(sb, closing(chClosing, 1050+100, v2.Version, v2.BalanceA))
		})},

		// --- Finalizes (on the channel closing with v3). ---
		// isFin: Timestamp − ChDeadline in 64 bits.
		{name: "finalize before the deadline", where: "slot", witness: edited(finalizeSB, func(w *circuits.BatchCircuit) {
			w.Timestamp = uint64(1109)
		})},
		// isFin: Amount = ChSplitA.
		{name: "finalize at another split than the closing state's", where: "slot", witness: from(base2, finalizeSB, func(sb *vm.SealedBatch) {
			sb.Steps[0].Regs.Amount, sb.Steps[1].Regs.Amount = opening.BalanceA, opening.BalanceB
			sb.Steps[0].Chan.AmountB = opening.BalanceB
			pay(sb, opening.BalanceA, opening.BalanceB)
		})},
	}
	runSoundCases(t, cfg, cases)
}

// chanX is a channel leaf's X (vm.ChannelLeaf.Leaf) of the given fields,
// as an integer.
func chanX(status, a, b, nonce, period, deadline uint64) *big.Int {
	x := new(big.Int)
	for _, f := range []struct {
		v     uint64
		shift uint
	}{{status, 192}, {a, 160}, {b, 128}, {nonce, 96}, {period, 64}, {deadline, 0}} {
		x.Add(x, new(big.Int).Lsh(new(big.Int).SetUint64(f.v), f.shift))
	}
	return x
}

// chanStateMessage is the message the circuit computes for st's balances,
// version and final flag with party A and open nonce chA and chNonce, any
// field elements: vm.ChannelState.Message when they are the channel's.
func chanStateMessage(chainID uint64, chA, chNonce *big.Int, st vm.ChannelState) vm.Element {
	head := new(big.Int).Lsh(big.NewInt(vm.ChannelStateTag), 128)
	head.Add(head, new(big.Int).Lsh(new(big.Int).SetUint64(chainID), 64))
	head.Add(head, new(big.Int).Lsh(chA, 32))
	head.Add(head, chNonce)
	version := new(big.Int).Lsh(new(big.Int).SetUint64(st.Version), 1)
	if st.Final {
		version.Add(version, big.NewInt(1))
	}
	split := new(big.Int).Lsh(new(big.Int).SetUint64(st.BalanceA), 64)
	split.Add(split, new(big.Int).SetUint64(st.BalanceB))
	var h, v, sp vm.Element
	h.SetBigInt(head)
	v.SetBigInt(version)
	sp.SetBigInt(split)
	return vm.HashChain(h, v, sp)
}

// openTarget is an open's signed target, B | B's funding | period
// (vm.Tx.target), with top in the bits above them.
func openTarget(tx vm.Tx, top uint64) vm.Element {
	v := new(big.Int).Lsh(new(big.Int).SetUint64(top), 128)
	v.Add(v, new(big.Int).Lsh(big.NewInt(int64(tx.To)), 96))
	v.Add(v, new(big.Int).Lsh(new(big.Int).SetUint64(tx.AmountB), 32))
	v.Add(v, big.NewInt(int64(tx.Period)))
	var e vm.Element
	e.SetBigInt(v)
	return e
}

// openMessage is what A signs for the open tx with the given target
// (vm.Tx.Message when it is tx's own).
func openMessage(tx vm.Tx, target vm.Element) vm.Element {
	head := new(big.Int).Lsh(big.NewInt(int64(vm.TxChanOpen)), 128)
	head.Add(head, new(big.Int).Lsh(new(big.Int).SetUint64(tx.ChainID), 64))
	head.Add(head, new(big.Int).Lsh(big.NewInt(int64(tx.Nonce)), 32))
	head.Add(head, big.NewInt(int64(tx.From)))
	value := new(big.Int).Lsh(new(big.Int).SetUint64(tx.Amount), 64)
	value.Add(value, new(big.Int).SetUint64(tx.Fee))
	var h, v vm.Element
	h.SetBigInt(head)
	v.SetBigInt(value)
	return vm.HashChain(h, v, target)
}

// TestChannelParityRandom: random channel operations, valid or not, mixed
// with transfers, go through the VM; every batch it seals solves in the
// circuit, and money is conserved. Invalid operations (stale versions,
// wrong splits, early finalizes, taken leaves) are the VM's to refuse;
// whatever it accepts the circuit must accept.
func TestChannelParityRandom(t *testing.T) {
	batches := 60
	if testing.Short() {
		batches = 20
	}
	rng := rand.New(rand.NewSource(11))
	c := newTestChain(t, testConfig)
	c.funded(6)
	s := &chanScript{t: t, c: c}
	// What the test knows of each channel leaf it opened.
	type known struct {
		id, total     uint64
		a, b          uint32
		version       uint64
		splitA, openA uint64
	}
	chans := map[uint32]*known{}
	ts := uint64(1000)
	ops := map[vm.Opcode]int{}
	for i := 0; i < batches; i++ {
		ts += uint64(rng.Intn(8))
		b := c.batch()
		require.NoError(t, b.SetTimestamp(ts))
		for tries := 0; tries < 6; tries++ {
			leaf := uint32(8 + rng.Intn(6))
			a, bb := uint32(1+rng.Intn(5)), uint32(1+rng.Intn(5))
			var tx vm.Tx
			k := chans[leaf]
			switch r := rng.Intn(7); {
			case r == 0 || k == nil:
				if a == bb {
					continue
				}
				id := vm.ChannelIDOf(a, c.nonce[a])
				amountA, amountB := vm.RoundAmount(uint64(rng.Intn(50_000))), vm.RoundAmount(uint64(rng.Intn(30_000)))
				tx = s.open(a, bb, leaf, amountA, amountB, uint32(1+rng.Intn(10)))
				tx.ChainID = c.cfg.ChainID
				if c.apply(b, tx) == nil {
					chans[leaf] = &known{id: id, total: amountA + amountB, a: a, b: bb, splitA: amountA, openA: amountA}
				}
				continue
			case r == 1:
				tx = vm.Tx{Type: vm.TxChanFinalize, ChainID: c.cfg.ChainID, Channel: leaf}
			case r == 2:
				// The opening state, by one party.
				st := vm.ChannelState{ChainID: c.cfg.ChainID, ChannelID: k.id, BalanceA: k.openA, BalanceB: k.total - k.openA}
				tx = vm.Tx{Type: vm.TxChanDispute, Channel: leaf}
				tx.SetChannelState(st)
				var err error
				if rng.Intn(2) == 0 {
					tx.Sig, err = st.Sign(c.keys[k.a])
				} else {
					tx.SigB, err = st.Sign(c.keys[k.b])
				}
				require.NoError(t, err)
			default:
				typ := []vm.TxType{vm.TxChanClose, vm.TxChanDispute, vm.TxChanChallenge}[rng.Intn(3)]
				split := uint64(rng.Int63n(int64(k.total) + 1))
				st := vm.ChannelState{ChannelID: k.id, Version: k.version + uint64(rng.Intn(3)), BalanceA: split, BalanceB: k.total - split, Final: typ == vm.TxChanClose}
				tx = s.state(typ, leaf, k.a, k.b, st)
			}
			tx.ChainID = c.cfg.ChainID
			if c.apply(b, tx) == nil {
				switch tx.Type {
				case vm.TxChanClose, vm.TxChanFinalize:
					delete(chans, leaf)
				default:
					k.version, k.splitA = tx.Version, tx.Amount
				}
				if tx.Type == vm.TxChanDispute {
					// The counterparty answers at once with a newer state.
					split := uint64(rng.Int63n(int64(k.total) + 1))
					ch := s.state(vm.TxChanChallenge, leaf, k.a, k.b, vm.ChannelState{ChannelID: k.id, Version: k.version + 1, BalanceA: split, BalanceB: k.total - split})
					if c.apply(b, ch) == nil {
						k.version, k.splitA = ch.Version, ch.Amount
					}
				}
			}
		}
		sb := c.seal(b)
		for _, st := range sb.Steps {
			ops[st.Op]++
		}
		require.NoError(t, solve(t, witnessOf(t, c.cfg, sb)), "batch %d", i)
		c.requireConserved()
	}
	t.Logf("steps by opcode: %v", ops)
	for _, op := range []vm.Opcode{vm.OpChanOpen, vm.OpChanFund, vm.OpChanClose, vm.OpChanDispute, vm.OpChanChallenge, vm.OpChanFinalize, vm.OpChanPayB} {
		require.NotZero(t, ops[op], "the generator must exercise %s", op)
	}
}
