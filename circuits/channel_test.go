package circuits_test

import (
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

// TestChannelSoundness: Mallory's attempts on channel steps, made on
// honest witnesses, each fail in the circuit's own rules (the commitment
// check is off, as for an adversary who writes the public data too).
func TestChannelSoundness(t *testing.T) {
	c := newTestChain(t, testConfig)
	c.funded(4)
	s := &chanScript{t: t, c: c}
	cfg := c.cfg
	field := ecc.BN254.ScalarField()
	unbound := func() *circuits.BatchCircuit { return circuits.NewBatchCircuitUnbound(cfg.Slots, cfg.Depth) }

	id := vm.ChannelIDOf(1, c.nonce[1])
	openSB := s.batchAt(1000, s.open(1, 2, 6, 30_000, 20_000, 100))
	final := vm.ChannelState{ChainID: cfg.ChainID, ChannelID: id, Version: 9, BalanceA: 12_345, BalanceB: 37_655, Final: true}
	// Uncommitted alternatives on the same head: a close, a dispute.
	head, err := c.store.Head()
	require.NoError(t, err)
	build := func(ts uint64, txs ...vm.Tx) *vm.SealedBatch {
		b, err := vm.NewBatch(cfg, c.store.ReaderAt(head.BatchNumber), head)
		require.NoError(t, err)
		require.NoError(t, b.SetTimestamp(ts))
		for i := range txs {
			txs[i].ChainID = cfg.ChainID
			require.NoError(t, b.Apply(&txs[i]))
		}
		return c.sealUncommitted(b)
	}
	closeSB := build(1010, s.state(vm.TxChanClose, 6, 1, 2, final))
	old := vm.ChannelState{ChainID: cfg.ChainID, ChannelID: id, Version: 3, BalanceA: 29_000, BalanceB: 21_000}
	disputeSB := build(1010, s.state(vm.TxChanDispute, 6, 1, 2, old))
	opening := vm.ChannelState{ChainID: cfg.ChainID, ChannelID: id, BalanceA: 30_000, BalanceB: 20_000}
	dispute0 := vm.Tx{Type: vm.TxChanDispute, Channel: 6}
	dispute0.SetChannelState(opening)
	dispute0.Sig, err = opening.Sign(c.keys[1])
	require.NoError(t, err)
	dispute0SB := build(1010, dispute0)
	for name, sb := range map[string]*vm.SealedBatch{"open": openSB, "close": closeSB, "dispute": disputeSB, "dispute v0": dispute0SB} {
		require.NoError(t, test.IsSolved(unbound(), witnessOf(t, cfg, sb), field), "honest %s", name)
	}
	require.Equal(t, vm.OpChanClose, closeSB.Steps[0].Op)
	require.Equal(t, vm.OpChanPayB, closeSB.Steps[1].Op)

	cases := []struct {
		name string
		sb   *vm.SealedBatch
		edit func(w *circuits.BatchCircuit)
		in   string
	}{
		{"close half-signed: B's signature forged", closeSB, func(w *circuits.BatchCircuit) {
			w.Slots[1].SigS = big.NewInt(12345)
		}, "slot"},
		{"close signed twice by A", closeSB, func(w *circuits.BatchCircuit) {
			signSlot(t, &w.Slots[1], final.Message(), c.keys[1])
		}, "slot"},
		{"close with A's signature by a stranger", closeSB, func(w *circuits.BatchCircuit) {
			signSlot(t, &w.Slots[0], final.Message(), c.keys[3])
		}, "slot"},
		{"close that overpays A, re-signed by both", closeSB, func(w *circuits.BatchCircuit) {
			over := final
			over.BalanceA++
			w.Slots[0].Amount = over.BalanceA
			signSlot(t, &w.Slots[0], over.Message(), c.keys[1])
			signSlot(t, &w.Slots[1], over.Message(), c.keys[2])
		}, "slot"},
		{"cooperative close of a state not marked final, re-signed by both", closeSB, func(w *circuits.BatchCircuit) {
			nf := final
			nf.Final = false
			w.Slots[0].Final = 0
			signSlot(t, &w.Slots[0], nf.Message(), c.keys[1])
			signSlot(t, &w.Slots[1], nf.Message(), c.keys[2])
		}, "slot"},
		{"close paying B's share to another account", closeSB, func(w *circuits.BatchCircuit) {
			w.Slots[1].Account = 3
		}, "slot"},
		{"close whose B step is left out", closeSB, func(w *circuits.BatchCircuit) {
			w.Slots[1] = w.Slots[2] // a noop where B's step belongs
		}, "slot"},
		{"close replayed in the same batch (double close)", closeSB, func(w *circuits.BatchCircuit) {
			w.Slots[2], w.Slots[3] = w.Slots[0], w.Slots[1]
		}, "update"},
		{"state of another channel id, re-signed by both", closeSB, func(w *circuits.BatchCircuit) {
			other := final
			other.ChannelID++
			w.Slots[0].ChNonce = 1 + w.Slots[0].ChNonce.(uint32)
			signSlot(t, &w.Slots[0], other.Message(), c.keys[1])
			signSlot(t, &w.Slots[1], other.Message(), c.keys[2])
		}, "slot"},
		{"dispute v0 with another split than the opening", dispute0SB, func(w *circuits.BatchCircuit) {
			w.Slots[0].Amount = uint64(29_000)
			w.Slots[0].AmountB = uint64(21_000)
			w.Slots[1].Amount = uint64(21_000)
		}, "slot"},
		{"dispute with a state above version 0 signed by the closer alone", disputeSB, func(w *circuits.BatchCircuit) {
			w.Slots[1].SigS = big.NewInt(5)
		}, "slot"},
		{"dispute above version 0 passed off as B's opening dispute", disputeSB, func(w *circuits.BatchCircuit) {
			w.Slots[0].Closer = 1
		}, "slot"},
		{"opening dispute by a stranger", dispute0SB, func(w *circuits.BatchCircuit) {
			signSlot(t, &w.Slots[0], opening.Message(), c.keys[3])
		}, "slot"},
		{"opening dispute by nobody: A's signature forged", dispute0SB, func(w *circuits.BatchCircuit) {
			w.Slots[0].SigS = big.NewInt(99)
		}, "slot"},
		{"opening dispute claimed as B's, B never signed", dispute0SB, func(w *circuits.BatchCircuit) {
			w.Slots[0].Closer = 1
		}, "slot"},
		{"open whose B funding is not signed by B", openSB, func(w *circuits.BatchCircuit) {
			w.Slots[1].SigS = big.NewInt(1)
		}, "slot"},
		{"open creating a channel over an existing account", openSB, func(w *circuits.BatchCircuit) {
			w.Slots[0].B.Index = 3
		}, "update"},
	}

	// On a channel disputed at version 3 (deadline 1110): a challenge and
	// a finalize, then their forgeries.
	s.batchAt(1010, s.state(vm.TxChanDispute, 6, 1, 2, old))
	head, err = c.store.Head()
	require.NoError(t, err)
	newer := vm.ChannelState{ChainID: cfg.ChainID, ChannelID: id, Version: 5, BalanceA: 28_000, BalanceB: 22_000}
	challengeSB := build(1050, s.state(vm.TxChanChallenge, 6, 1, 2, newer))
	finalizeSB := build(1110, vm.Tx{Type: vm.TxChanFinalize, Channel: 6})
	for name, sb := range map[string]*vm.SealedBatch{"challenge": challengeSB, "finalize": finalizeSB} {
		require.NoError(t, test.IsSolved(unbound(), witnessOf(t, cfg, sb), field), "honest %s", name)
	}
	cases = append(cases, []struct {
		name string
		sb   *vm.SealedBatch
		edit func(w *circuits.BatchCircuit)
		in   string
	}{
		{"challenge with the closing version, re-signed by both", challengeSB, func(w *circuits.BatchCircuit) {
			stale := newer
			stale.Version = old.Version
			w.Slots[0].Version = stale.Version
			signSlot(t, &w.Slots[0], stale.Message(), c.keys[1])
			signSlot(t, &w.Slots[1], stale.Message(), c.keys[2])
		}, "slot"},
		{"challenge after the deadline", challengeSB, func(w *circuits.BatchCircuit) {
			w.Timestamp = uint64(1110)
		}, "slot"},
		{"finalize before the deadline", finalizeSB, func(w *circuits.BatchCircuit) {
			w.Timestamp = uint64(1109)
		}, "slot"},
		{"finalize at another split than the closing state's", finalizeSB, func(w *circuits.BatchCircuit) {
			w.Slots[0].Amount = old.BalanceA + 1000
			w.Slots[0].AmountB = old.BalanceB - 1000
			w.Slots[1].Amount = old.BalanceB - 1000
		}, "slot"},
	}...)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := witnessOf(t, cfg, tc.sb)
			tc.edit(w)
			err := test.IsSolved(unbound(), w, field)
			require.Error(t, err)
			require.Equal(t, tc.in, failedIn(err), "%v", err)
		})
	}
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
