package sequencer_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/ethereum/go-ethereum/common"
	"github.com/keel-rollup/keel/sequencer"
	"github.com/keel-rollup/keel/vm"
	"github.com/rs/zerolog"
	"github.com/stretchr/testify/require"
)

func seqKey(t testing.TB, name string) *vm.PrivateKey {
	seed := sha256.Sum256([]byte("sequencer test " + name))
	k, err := vm.PrivateKeyFromSeed(bytes.NewReader(seed[:]))
	require.NoError(t, err)
	return k
}

// fakeClock is a clock the test moves by hand.
type fakeClock struct{ now time.Time }

func (c *fakeClock) Now() time.Time          { return c.now }
func (c *fakeClock) Advance(d time.Duration) { c.now = c.now.Add(d) }

type harness struct {
	t     *testing.T
	cfg   sequencer.Config
	clock *fakeClock
	seq   *sequencer.Sequencer
	op    *vm.PrivateKey
	users []*vm.PrivateKey
	nonce map[uint32]uint32
}

func newHarness(t *testing.T, fs vfs.FS, dir string) *harness {
	h := &harness{t: t, clock: &fakeClock{now: time.Unix(1_700_000_000, 0)}, op: seqKey(t, "operator"), nonce: map[uint32]uint32{}}
	for _, n := range []string{"alice", "bob", "carol"} {
		h.users = append(h.users, seqKey(t, n))
	}
	h.cfg = sequencer.Config{VM: vm.Config{ChainID: 5, Depth: 8, Operator: 0, Slots: 8}, OperatorKey: h.op.Public(),
		DataDir: dir, FS: fs, BatchTimeout: time.Second, Clock: h.clock.Now}
	h.open()
	return h
}

func (h *harness) open() {
	s, err := sequencer.New(h.cfg, zerolog.New(zerolog.NewTestWriter(h.t)).Level(zerolog.WarnLevel), nil)
	require.NoError(h.t, err)
	h.seq = s
}

// settle steps the sequencer, with the clock past the batch timeout, until
// nothing is pending.
func (h *harness) settle() {
	for i := 0; i < 1000 && h.seq.PendingCount() > 0; i++ {
		require.NoError(h.t, h.seq.Step())
		h.clock.Advance(2 * h.cfg.BatchTimeout)
		require.NoError(h.t, h.seq.Step())
	}
	require.Zero(h.t, h.seq.PendingCount())
}

func (h *harness) fund(amount uint64) {
	deps := []vm.PriorityRequest{{ID: 0, Key: vm.DepositKeyOf(h.op.Public()), Amount: 1}}
	for i, u := range h.users {
		deps = append(deps, vm.PriorityRequest{ID: uint64(i + 1), Key: vm.DepositKeyOf(u.Public()), Amount: amount})
	}
	require.NoError(h.t, h.seq.AddDeposits(deps))
	require.NoError(h.t, h.seq.AddDeposits(deps[:2]), "a second delivery is ignored")
	h.settle()
}

func (h *harness) index(k *vm.PrivateKey) uint32 {
	i, ok, err := h.seq.IndexOf(k.Public())
	require.NoError(h.t, err)
	require.True(h.t, ok)
	return i
}

func (h *harness) transfer(from, to *vm.PrivateKey, amount uint64) (common.Hash, error) {
	f := h.index(from)
	tx := &vm.Tx{Type: vm.TxTransfer, ChainID: h.cfg.VM.ChainID, From: f, To: h.index(to), Amount: amount, Fee: 1, Nonce: h.nonce[f]}
	require.NoError(h.t, tx.Sign(from))
	hash, err := h.seq.SendTransaction(tx)
	if err == nil {
		h.nonce[f]++
	}
	return hash, err
}

func (h *harness) total() uint64 {
	var sum uint64
	for i := uint32(0); i < 1<<h.cfg.VM.Depth; i++ {
		a, _, err := h.seq.Account(i)
		require.NoError(h.t, err)
		sum += a.Balance
	}
	return sum
}

func TestSequencerOrdersSealsAndRecords(t *testing.T) {
	h := newHarness(t, nil, t.TempDir())
	defer h.seq.Stop(context.Background())
	h.fund(1_000_000)
	require.Equal(t, uint32(0), h.index(h.op), "the operator's key gets the operator account")
	require.Equal(t, uint32(1), h.index(h.users[0]))
	require.Equal(t, uint32(3), h.index(h.users[2]))
	require.EqualValues(t, 1+3*1_000_000, h.total())

	var hashes []common.Hash
	for i := 0; i < 40; i++ {
		hash, err := h.transfer(h.users[i%3], h.users[(i+1)%3], 100+uint64(i))
		require.NoError(t, err)
		hashes = append(hashes, hash)
	}
	r, ok, err := h.seq.Receipt(hashes[0])
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, sequencer.TxPending, r.Status, "acknowledged, not yet executed")

	// Rule breakers are refused at the door, with the reason.
	bad := &vm.Tx{Type: vm.TxTransfer, ChainID: 5, From: 1, To: 2, Amount: 5, Fee: 1, Nonce: h.nonce[1]}
	require.NoError(t, bad.Sign(h.users[1])) // signed by the wrong key
	_, err = h.seq.SendTransaction(bad)
	require.ErrorIs(t, err, vm.ErrBadSignature)
	replay := &vm.Tx{Type: vm.TxTransfer, ChainID: 5, From: 1, To: 2, Amount: 100, Fee: 1, Nonce: 0}
	require.NoError(t, replay.Sign(h.users[0]))
	h.settle()
	_, err = h.seq.SendTransaction(replay)
	require.ErrorIs(t, err, sequencer.ErrNonceTooLow)
	wrongChain := &vm.Tx{Type: vm.TxTransfer, ChainID: 6, From: 1, To: 2, Amount: 100, Fee: 1, Nonce: h.nonce[1]}
	require.NoError(t, wrongChain.Sign(h.users[0]))
	_, err = h.seq.SendTransaction(wrongChain)
	require.ErrorIs(t, err, vm.ErrWrongChain)

	sealed, _, _ := h.seq.Heads()
	require.GreaterOrEqual(t, sealed, uint64(6), "40 transfers in 8-slot batches")
	seen := map[common.Hash]bool{}
	for n := uint64(1); n <= sealed; n++ {
		rec, ok, err := h.seq.Batch(n)
		require.NoError(t, err)
		require.True(t, ok)
		require.Equal(t, sequencer.BatchSealed, rec.Status)
		require.Len(t, rec.PublicData, vm.PublicDataSize(8))
		for _, hash := range rec.Hashes() {
			seen[hash] = true
		}
		// The prover's view: the sealed batch re-executes to the record.
		sb, err := h.seq.SealedBatch(n)
		require.NoError(t, err)
		require.Equal(t, rec.After, sb.After)
		require.Equal(t, rec.Commitment, sb.Commitment(0))
	}
	for _, hash := range hashes {
		require.True(t, seen[hash], "tx %s in a batch", hash)
		r, ok, err := h.seq.Receipt(hash)
		require.NoError(t, err)
		require.True(t, ok)
		require.Equal(t, sequencer.TxSequenced, r.Status)
	}
	require.EqualValues(t, 1+3*1_000_000, h.total(), "money is conserved (fees go to the operator)")
	op, _, err := h.seq.Account(0)
	require.NoError(t, err)
	require.EqualValues(t, 1+40, op.Balance, "the operator collected 40 fees")

	// Status moves forward and reaches the receipts.
	events, cancel := h.seq.SubscribeBatches(16)
	defer cancel()
	require.NoError(t, h.seq.SetProven(1, []byte{1}))
	require.NoError(t, h.seq.SetSubmitted(1, common.Hash{9}))
	require.NoError(t, h.seq.SetFinalized(1, common.Hash{}))
	require.Equal(t, sequencer.BatchEvent{Number: 1, Status: sequencer.BatchProven}, <-events)
	rec, _, err := h.seq.Batch(1)
	require.NoError(t, err)
	require.Equal(t, sequencer.BatchFinalized, rec.Status)
	require.Equal(t, common.Hash{9}, rec.L1Tx)
	_, proven, finalized := h.seq.Heads()
	require.EqualValues(t, 1, proven)
	require.EqualValues(t, 1, finalized)
}

// TestSequencerRestartKeepsAcknowledged stops without sealing (a hurried
// stop) while transactions are pending and soft-confirmed, reopens, and
// finds every one of them again.
func TestSequencerRestartKeepsAcknowledged(t *testing.T) {
	dir := t.TempDir()
	h := newHarness(t, nil, dir)
	h.fund(1_000_000)
	var hashes []common.Hash
	for i := 0; i < 12; i++ {
		hash, err := h.transfer(h.users[0], h.users[1], 1000)
		require.NoError(t, err)
		hashes = append(hashes, hash)
		if i == 3 {
			require.NoError(t, h.seq.Step()) // some soft-confirmed in the open batch
		}
	}
	hurry, cancel := context.WithCancel(context.Background())
	cancel()
	require.NoError(t, h.seq.Stop(hurry))

	h.open()
	defer h.seq.Stop(context.Background())
	for _, hash := range hashes {
		_, ok, err := h.seq.Receipt(hash)
		require.NoError(t, err)
		require.True(t, ok, "acknowledged tx %s lost", hash)
	}
	h.settle()
	a, _, err := h.seq.Account(h.index(h.users[1]))
	require.NoError(t, err)
	require.EqualValues(t, 1_000_000+12*1000, a.Balance)
	require.EqualValues(t, 1+3*1_000_000, h.total())
}

// TestSequencerCrashes crashes the process image (pebble's crashable
// filesystem, unsynced writes lost at random) between a batch's record and
// its state commit, and at random points of a load; every acknowledged
// transaction survives and the state equals a replay.
func TestSequencerCrashes(t *testing.T) {
	t.Run("between record and state commit", func(t *testing.T) {
		fs := vfs.NewCrashableMem()
		h := newHarness(t, fs, "/seq")
		h.fund(1_000_000)
		var crashed *vfs.MemFS
		h.seq.SetAfterRecordHookForTest(func(n uint64) {
			if crashed == nil {
				crashed = fs.CrashClone(vfs.CrashCloneCfg{})
			}
		})
		for i := 0; i < 5; i++ {
			_, err := h.transfer(h.users[0], h.users[2], 777)
			require.NoError(t, err)
		}
		h.settle()
		want, _, err := h.seq.Batch(2)
		require.NoError(t, err)
		require.NoError(t, h.seq.Stop(context.Background()))
		require.NotNil(t, crashed)

		h.cfg.FS = crashed
		h.open()
		defer h.seq.Stop(context.Background())
		sealed, _, _ := h.seq.Heads()
		require.EqualValues(t, 2, sealed)
		got, ok, err := h.seq.Batch(2)
		require.NoError(t, err)
		require.True(t, ok)
		require.Equal(t, want.After, got.After)
		a, _, err := h.seq.Account(h.index(h.users[2]))
		require.NoError(t, err)
		require.EqualValues(t, 1_000_000+5*777, a.Balance, "the state was re-executed from the record")
	})
	t.Run("random points", func(t *testing.T) {
		for seed := uint64(1); seed <= 6; seed++ {
			rng := rand.New(rand.NewPCG(seed, 99))
			fs := vfs.NewCrashableMem()
			h := newHarness(t, fs, "/seq")
			h.fund(1_000_000)
			var acked []common.Hash
			crashAt := 5 + rng.IntN(30)
			var crashed *vfs.MemFS
			var ackedAtCrash int
			for i := 0; i < 40; i++ {
				hash, err := h.transfer(h.users[i%3], h.users[(i+1)%3], 500)
				require.NoError(t, err)
				acked = append(acked, hash)
				if rng.IntN(3) == 0 {
					require.NoError(t, h.seq.Step())
					h.clock.Advance(time.Duration(rng.IntN(2000)) * time.Millisecond)
					require.NoError(t, h.seq.Step())
				}
				if i == crashAt {
					crashed = fs.CrashClone(vfs.CrashCloneCfg{UnsyncedDataPercent: rng.IntN(100), RNG: rng})
					ackedAtCrash = len(acked)
				}
			}
			require.NoError(t, h.seq.Stop(context.Background()))

			h.cfg.FS = crashed
			h.open()
			for _, hash := range acked[:ackedAtCrash] {
				_, ok, err := h.seq.Receipt(hash)
				require.NoError(t, err)
				require.True(t, ok, "seed %d: acknowledged tx %s lost in the crash", seed, hash)
			}
			h.settle()
			require.EqualValues(t, 1+3*1_000_000, h.total(), "seed %d: money is conserved", seed)
			// The state equals a replay of the sealed batches from genesis.
			sealed, _, _ := h.seq.Heads()
			store := vm.NewMemStore(h.cfg.VM.Depth)
			meta := vm.GenesisMeta(h.cfg.VM.Depth)
			for n := uint64(1); n <= sealed; n++ {
				rec, ok, err := h.seq.Batch(n)
				require.NoError(t, err)
				require.True(t, ok)
				sb, rejected, err := vm.ExecuteAt(h.cfg.VM, store.ReaderAt(n-1), meta, rec.After.Timestamp, rec.Txs)
				require.NoError(t, err)
				for _, r := range rejected {
					require.NoError(t, r)
				}
				require.NoError(t, store.Commit(sb.Changes))
				require.Equal(t, rec.After, sb.After, "seed %d batch %d", seed, n)
				meta = sb.After
			}
			require.NoError(t, h.seq.Stop(context.Background()))
		}
	})
}
