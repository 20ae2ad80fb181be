package sequencer_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/ethereum/go-ethereum/common"
	"github.com/keel-rollup/keel/sequencer"
	"github.com/keel-rollup/keel/vm"
	"github.com/rs/zerolog"
	"github.com/stretchr/testify/require"
)

// TestSendTransactions: one call with valid and invalid transactions
// answers each on its own; what it acknowledged survives a crash that
// loses every unsynced write right after the answer, and executes with
// money conserved.
func TestSendTransactions(t *testing.T) {
	fs := vfs.NewCrashableMem()
	h := newHarness(t, fs, "/seq")
	h.fund(1_000_000)
	alice, bob, carol := h.index(h.users[0]), h.index(h.users[1]), h.index(h.users[2])
	before := h.total()

	transfer := func(from uint32, key *vm.PrivateKey, to uint32, nonce uint32, amount uint64) *vm.Tx {
		tx := &vm.Tx{Type: vm.TxTransfer, ChainID: h.cfg.VM.ChainID, From: from, To: to, Amount: amount, Fee: 1, Nonce: nonce}
		require.NoError(t, tx.Sign(key))
		return tx
	}
	badSig := transfer(bob, h.users[1], alice, 0, 5)
	badSig.Amount = 6 // signed for 5
	wrongChain := transfer(carol, h.users[2], alice, 0, 5)
	wrongChain.ChainID = 99
	require.NoError(t, wrongChain.Sign(h.users[2]))
	signedByOther := transfer(carol, h.users[0], bob, 0, 5) // Alice's key on Carol's account
	unknown := transfer(200, h.users[0], bob, 0, 5)
	a0 := transfer(alice, h.users[0], bob, 0, 100)
	txs := []*vm.Tx{
		a0,
		badSig,
		transfer(alice, h.users[0], carol, 1, 200), // the same sender's next nonce in the same call
		wrongChain,
		a0, // a duplicate within the call
		signedByOther,
		transfer(carol, h.users[2], bob, 0, 300),
		unknown,
		nil,
		transfer(alice, h.users[0], carol, 7, 1), // a nonce gap: pooled, not executable
		{Type: vm.TxDeposit, ChainID: h.cfg.VM.ChainID, To: alice, Amount: 1},
	}
	var crashed *vfs.MemFS
	hashes, errs := h.seq.SendTransactions(txs)
	crashed = fs.CrashClone(vfs.CrashCloneCfg{}) // right after the answer
	require.Len(t, hashes, len(txs))
	require.Len(t, errs, len(txs))
	wantErr := map[int]error{1: vm.ErrBadSignature, 3: vm.ErrWrongChain, 4: sequencer.ErrAlreadyKnown, 5: vm.ErrBadSignature,
		7: vm.ErrUnknownAccount, 8: vm.ErrMalformed, 10: sequencer.ErrTxType}
	var acked []common.Hash
	for i := range txs {
		if want, bad := wantErr[i]; bad {
			require.ErrorIs(t, errs[i], want, "tx %d", i)
			require.Zero(t, hashes[i], "tx %d", i)
			continue
		}
		require.NoError(t, errs[i], "tx %d", i)
		require.Equal(t, txs[i].Hash(), hashes[i], "tx %d", i)
		acked = append(acked, hashes[i])
	}
	require.Len(t, acked, 4)
	require.NoError(t, h.seq.Stop(context.Background()))

	// Reopen on the crashed image: every acknowledged transaction is back.
	h.cfg.FS = crashed
	h.open()
	defer h.seq.Stop(context.Background())
	for _, hash := range acked {
		_, ok, err := h.seq.Receipt(hash)
		require.NoError(t, err)
		require.True(t, ok, "acknowledged %s lost in the crash", hash)
	}
	// The executable three run; the gapped one waits.
	for i := 0; i < 10; i++ {
		require.NoError(t, h.seq.Step())
		h.clock.Advance(2 * h.cfg.BatchTimeout)
	}
	require.Equal(t, 1, h.seq.PendingCount(), "only the gapped nonce waits")
	require.Equal(t, before, h.total(), "money is conserved (fees go to the operator)")
	acc, _, err := h.seq.Account(bob)
	require.NoError(t, err)
	require.EqualValues(t, 1_000_000+100+300, acc.Balance)

	// An oversize call is refused whole, naming the limit.
	big := make([]*vm.Tx, sequencer.MaxSendBatch+1)
	for i := range big {
		big[i] = transfer(carol, h.users[2], bob, uint32(1+i), 1)
	}
	hashes, errs = h.seq.SendTransactions(big)
	for i := range big {
		require.ErrorIs(t, errs[i], sequencer.ErrTooMany)
		require.ErrorContains(t, errs[i], "the limit is 256")
		require.Zero(t, hashes[i])
	}
}

// admissionSizes records the size of every admission's signature check.
type admissionSizes struct {
	sequencer.NoopMetrics
	mu    sync.Mutex
	sizes []int
}

func (m *admissionSizes) AdmissionChecked(sigs, bad int) {
	m.mu.Lock()
	m.sizes = append(m.sizes, sigs)
	m.mu.Unlock()
}

// TestSingleSendsAreGrouped: SendTransaction calls that arrive while two
// rounds are being admitted share the next round, and each still gets its
// own answer.
func TestSingleSendsAreGrouped(t *testing.T) {
	h := newHarness(t, nil, t.TempDir())
	h.fund(1_000_000)
	require.NoError(t, h.seq.Stop(context.Background()))
	m := &admissionSizes{}
	s, err := sequencer.New(h.cfg, zerolog.Nop(), m)
	require.NoError(t, err)
	h.seq = s
	defer s.Stop(context.Background())

	gate := make(chan struct{})
	s.HoldSingleRoundsForTest(gate)
	users := []uint32{h.index(h.users[0]), h.index(h.users[1]), h.index(h.users[2])}
	// Ten transfers: accounts' nonces 0..3, each its own transaction; the
	// first two calls lead the two rounds, the other eight queue.
	type sent struct {
		tx   *vm.Tx
		hash common.Hash
		err  error
	}
	results := make([]sent, 10)
	var wg sync.WaitGroup
	start := func(i int) {
		from := i % 3
		tx := &vm.Tx{Type: vm.TxTransfer, ChainID: h.cfg.VM.ChainID, From: users[from], To: users[(from+1)%3], Amount: uint64(10 + i), Fee: 1, Nonce: uint32(i / 3)}
		require.NoError(t, tx.Sign(h.users[from]))
		if i == 7 {
			tx.Amount++ // a bad signature in the shared round
		}
		results[i].tx = tx
		wg.Go(func() { results[i].hash, results[i].err = s.SendTransaction(tx) })
	}
	start(0)
	start(1)
	require.Eventually(t, func() bool { return s.WaitingSingleSendsForTest() == 0 }, 5*time.Second, time.Millisecond)
	for i := 2; i < 10; i++ {
		start(i)
	}
	require.Eventually(t, func() bool { return s.WaitingSingleSendsForTest() == 8 }, 5*time.Second, time.Millisecond, "the later calls queue behind the held rounds")
	close(gate)
	wg.Wait()
	for i, r := range results {
		if i == 7 {
			require.ErrorIs(t, r.err, vm.ErrBadSignature)
			continue
		}
		// Nonces may arrive out of order across rounds; the pool queues a
		// future nonce, so every good one is admitted.
		require.NoError(t, r.err, "call %d", i)
		require.Equal(t, r.tx.Hash(), r.hash)
	}
	m.mu.Lock()
	sizes := append([]int(nil), m.sizes...)
	m.mu.Unlock()
	require.Contains(t, sizes, 8, "the eight queued calls were checked as one round: %v", sizes)
}
