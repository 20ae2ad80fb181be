package bridge

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/sha256"
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
	"github.com/keel-rollup/keel/l1contracts"
	"github.com/keel-rollup/keel/prover"
	"github.com/keel-rollup/keel/vm"
	"github.com/rs/zerolog"
	"github.com/stretchr/testify/require"
)

const gwei = 1_000_000_000

var testCfg = vm.Config{ChainID: 77, Depth: 4, Operator: 0, Slots: 4}

type l1env struct {
	t       *testing.T
	backend *simulated.Backend
	client  simulated.Client
	owner   *ecdsa.PrivateKey
	seq     *ecdsa.PrivateKey
	rollup  common.Address
	inst    *bind.BoundContract
}

func logger(t testing.TB) zerolog.Logger { return zerolog.New(zerolog.NewTestWriter(t)) }

// newL1 deploys the real Rollup on a simulated chain. verifier is the
// verifier's bytecode; nil deploys the Rollup against an address with no
// code, which is enough for tests that only deposit.
func newL1(t *testing.T, verifier []byte) *l1env {
	e := &l1env{t: t}
	var err error
	alloc := types.GenesisAlloc{}
	for _, k := range []**ecdsa.PrivateKey{&e.owner, &e.seq} {
		*k, err = crypto.GenerateKey()
		require.NoError(t, err)
		alloc[crypto.PubkeyToAddress((*k).PublicKey)] = types.Account{Balance: new(big.Int).Mul(big.NewInt(1000), big.NewInt(1e18))}
	}
	e.backend = simulated.NewBackend(alloc)
	t.Cleanup(func() { e.backend.Close() })
	e.client = e.backend.Client()
	vaddr := common.HexToAddress("0x00000000000000000000000000000000000000ff")
	if verifier != nil {
		vaddr = e.deploy(verifier, nil)
	}
	genesis := vm.GenesisMeta(testCfg.Depth)
	e.rollup = e.deploy(common.FromHex(l1contracts.RollupMetaData.Bin), rollupABI.PackConstructor(vaddr, vaddr, 100, uint8(testCfg.Depth), testCfg.ChainID, testCfg.Operator, uint32(testCfg.Slots), genesis.Root.BigInt(new(big.Int)), crypto.PubkeyToAddress(e.seq.PublicKey)))
	e.inst = rollupABI.Instance(e.client, e.rollup)
	return e
}

func (e *l1env) deploy(code, input []byte) common.Address {
	addr, _, err := bind.DeployContract(bind.NewKeyedTransactor(e.owner, big.NewInt(1337)), code, e.client, input)
	require.NoError(e.t, err)
	e.backend.Commit()
	return addr
}

func l2key(t testing.TB, name string) *vm.PrivateKey {
	seed := sha256.Sum256([]byte("bridge " + name))
	k, err := vm.PrivateKeyFromSeed(bytes.NewReader(seed[:]))
	require.NoError(t, err)
	return k
}

// deposit sends a deposit (not mined until the caller commits a block).
func (e *l1env) deposit(k *vm.PrivateKey, gweiAmount int64) {
	pub := k.Public()
	o := bind.NewKeyedTransactor(e.owner, big.NewInt(1337))
	o.Value = big.NewInt(gweiAmount * gwei)
	_, err := bind.Transact(e.inst, o, rollupABI.PackDeposit(vm.DepositKeyOf(pub)))
	require.NoError(e.t, err)
}

// collector is a DepositSink that, like the sequencer, ignores indices it
// already has.
type collector struct{ got []*Deposit }

func (c *collector) sink(_ context.Context, ds []*Deposit) error {
	for _, d := range ds {
		if d.ID < uint64(len(c.got)) {
			continue
		}
		c.got = append(c.got, d)
	}
	return nil
}

func newWatcher(t *testing.T, e *l1env, dir string, c *collector, confirmations uint64) (*Watcher, *PebbleCursorStore) {
	store, err := OpenPebbleCursorStore(dir)
	require.NoError(t, err)
	w, err := NewWatcher(WatcherConfig{Rollup: e.rollup, Confirmations: confirmations}, e.client, store, c.sink, logger(t))
	require.NoError(t, err)
	return w, store
}

func TestWatcherConfirmationsAndRestart(t *testing.T) {
	e := newL1(t, nil)
	ctx := context.Background()
	dir := t.TempDir()
	c := &collector{}
	w, store := newWatcher(t, e, dir, c, 2)

	alice, bob := l2key(t, "alice"), l2key(t, "bob")
	e.deposit(alice, 5)
	e.backend.Commit()
	n, err := w.Poll(ctx)
	require.NoError(t, err)
	require.Zero(t, n, "not confirmed yet")
	e.deposit(bob, 7)
	e.backend.Commit()
	e.backend.Commit()
	_, err = w.Poll(ctx)
	require.NoError(t, err)
	require.Len(t, c.got, 1, "alice's deposit has 2 confirmations, bob's only 1")
	require.Equal(t, vm.DepositKeyOf(alice.Public()), c.got[0].Key)
	require.EqualValues(t, 5, c.got[0].Amount)

	// Restart: the cursor survives and nothing is delivered twice.
	require.NoError(t, store.Close())
	c2 := &collector{got: c.got[:1:1]}
	w, store = newWatcher(t, e, dir, c2, 2)
	defer store.Close()
	e.backend.Commit()
	n, err = w.Poll(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	require.Len(t, c2.got, 2)
	require.EqualValues(t, 1, c2.got[1].ID)
	require.Equal(t, vm.DepositKeyOf(bob.Public()), c2.got[1].Key)
	n, err = w.Poll(ctx)
	require.NoError(t, err)
	require.Zero(t, n)
}

// TestWatcherReorgs: a deposit removed by a reorg within the confirmation
// depth is never credited, its replacement is credited once; a reorg
// deeper than the depth halts the watcher with a critical error.
func TestWatcherReorgs(t *testing.T) {
	e := newL1(t, nil)
	ctx := context.Background()
	c := &collector{}
	w, store := newWatcher(t, e, t.TempDir(), c, 3)
	defer store.Close()

	base, err := e.client.HeaderByNumber(ctx, nil)
	require.NoError(t, err)
	alice, bob := l2key(t, "alice"), l2key(t, "bob")
	e.deposit(alice, 5)
	e.backend.Commit()
	e.backend.Commit()
	_, err = w.Poll(ctx)
	require.NoError(t, err)
	require.Empty(t, c.got)

	// Reorg: alice's block is replaced by one with bob's deposit.
	require.NoError(t, e.backend.Fork(base.Hash()))
	e.deposit(bob, 9)
	for i := 0; i < 5; i++ {
		e.backend.Commit()
	}
	_, err = w.Poll(ctx)
	require.NoError(t, err)
	// The new chain re-mined alice's transaction beside bob's: each is
	// credited once, under the index the new chain gave it.
	require.Len(t, c.got, 2)
	keys := map[vm.DepositKey]uint64{}
	for i, d := range c.got {
		require.EqualValues(t, i, d.ID)
		keys[d.Key] = d.Amount
	}
	require.Equal(t, map[vm.DepositKey]uint64{vm.DepositKeyOf(alice.Public()): 5, vm.DepositKeyOf(bob.Public()): 9}, keys)

	// A reorg below the cursor is beyond the confirmation depth.
	require.NoError(t, e.backend.Fork(base.Hash()))
	for i := 0; i < 8; i++ {
		e.backend.Commit()
	}
	_, err = w.Poll(ctx)
	require.ErrorIs(t, err, ErrDeepReorg)
	require.Equal(t, Critical, Classify(err))
}

func FuzzDecodeDepositLog(f *testing.F) {
	ev := rollupABI.GetABI().Events[l1contracts.RollupDepositEventName]
	k := l2key(f, "fuzz").Public()
	data, err := ev.Inputs.NonIndexed().Pack([32]byte(vm.DepositKeyOf(k)), uint64(5), big.NewInt(1))
	require.NoError(f, err)
	f.Add(data, uint64(3))
	f.Add([]byte{}, uint64(0))
	f.Fuzz(func(t *testing.T, data []byte, index uint64) {
		log := &types.Log{Topics: []common.Hash{ev.ID, common.BigToHash(new(big.Int).SetUint64(index)), {}}, Data: data}
		d, err := DecodeDepositLog(log)
		if err != nil {
			return
		}
		// Valid key or not, the y is a field element, as Rollup.deposit
		// makes sure: the batch can consume the request.
		require.NoError(t, d.Key.CheckCanonical())
		require.NotZero(t, d.Amount)
		require.Equal(t, vm.TxDeposit, d.Kind)
	})
}

// TestSubmitter commits real proven batches: in order, once each, with a
// fee bump for a transaction left unmined, and without double submission
// after a restart.
func TestSubmitter(t *testing.T) {
	if testing.Short() {
		t.Skip("proves batches; run without -short")
	}
	ctx := context.Background()
	ccs, err := prover.CompileBatch(testCfg.Slots, testCfg.Depth)
	require.NoError(t, err)
	keys, err := prover.DevKeys(ctx, filepath.Join(os.TempDir(), "keel-test-keys"), ccs, logger(t))
	require.NoError(t, err)
	p, err := prover.New(testCfg, keys)
	require.NoError(t, err)
	code, err := l1contracts.VerifierBytecode(keys.VK)
	require.NoError(t, err)
	e := newL1(t, code)

	// Three batches of one deposit each, then a withdrawal to the owner's
	// L1 address, proven.
	store := vm.NewMemStore(testCfg.Depth)
	var batches []Batch
	var withdrawals []vm.Withdrawal
	for i := 0; i < 4; i++ {
		k := l2key(t, string(rune('a'+i%3)))
		tx := vm.Tx{Type: vm.TxDeposit, ChainID: testCfg.ChainID, PriorityID: uint64(i), To: uint32(i), PubKey: k.Public(), Amount: uint64(10 + i)}
		if i == 3 {
			tx = vm.Tx{Type: vm.TxWithdraw, ChainID: testCfg.ChainID, From: 0, L1To: crypto.PubkeyToAddress(e.owner.PublicKey), Amount: 4}
			require.NoError(t, tx.Sign(k))
		} else {
			e.deposit(k, int64(10+i))
			e.backend.Commit()
		}
		head, err := store.Head()
		require.NoError(t, err)
		// Stamped with L1 time: the Rollup refuses a batch a day behind it.
		l1Head, err := e.client.HeaderByNumber(ctx, nil)
		require.NoError(t, err)
		sb, rej, err := vm.ExecuteAt(testCfg, store.ReaderAt(head.BatchNumber), head, max(head.Timestamp, l1Head.Time), []vm.Tx{tx})
		require.NoError(t, err)
		require.NoError(t, rej[0])
		require.NoError(t, store.Commit(sb.Changes))
		withdrawals = append(withdrawals, sb.Withdrawals...)
		proof, err := p.Prove(sb)
		require.NoError(t, err)
		raw, err := proof.SolidityBytes()
		require.NoError(t, err)
		batches = append(batches, Batch{Number: sb.After.BatchNumber, NewRoot: sb.After.Root.BigInt(new(big.Int)), PrioConsumed: sb.After.PriorityCount, Timestamp: sb.After.Timestamp, PublicData: sb.PublicData, Proof: raw})
	}

	cfg := SubmitterConfig{Rollup: e.rollup, Key: e.seq, ResubmitAfter: time.Minute}
	s, err := NewSubmitter(ctx, cfg, e.client, logger(t))
	require.NoError(t, err)
	clock := time.Now()
	s.now = func() time.Time { return clock }

	require.ErrorIs(t, s.Submit(ctx, batches[1]), ErrOutOfOrder)
	require.NoError(t, s.Submit(ctx, batches[0]))
	require.NoError(t, s.Submit(ctx, batches[0]), "in flight: nothing new is sent")
	first, ok := s.InFlight(1)
	require.True(t, ok)

	// Not mined for longer than ResubmitAfter: the fee is bumped, same nonce.
	clock = clock.Add(2 * time.Minute)
	_, err = s.Poll(ctx)
	require.NoError(t, err)
	bumped, ok := s.InFlight(1)
	require.True(t, ok)
	require.NotEqual(t, first, bumped)
	e.backend.Commit()
	done, err := s.Poll(ctx)
	require.NoError(t, err)
	require.Equal(t, []uint64{1}, done)
	r, err := e.client.TransactionReceipt(ctx, bumped)
	require.NoError(t, err)
	require.Equal(t, types.ReceiptStatusSuccessful, r.Status)
	_, err = e.client.TransactionReceipt(ctx, first)
	require.Error(t, err, "the replaced transaction never mined")

	// A restarted submitter sees batch 1 on chain and does not resend it;
	// batch 2 goes out once even if submitted twice across a restart.
	s2, err := NewSubmitter(ctx, cfg, e.client, logger(t))
	require.NoError(t, err)
	require.NoError(t, s2.Submit(ctx, batches[0]))
	_, ok = s2.InFlight(1)
	require.False(t, ok)
	require.NoError(t, s2.Submit(ctx, batches[1]))
	tx2, _ := s2.InFlight(2)
	s3, err := NewSubmitter(ctx, cfg, e.client, logger(t))
	require.NoError(t, err)
	require.NoError(t, s3.Submit(ctx, batches[1])) // same nonce: replaces or is "already known"
	tx3, _ := s3.InFlight(2)
	require.Equal(t, tx2, tx3, "the same batch with the same nonce is the same transaction")
	e.backend.Commit()
	n, err := s3.OnChainBatch(ctx)
	require.NoError(t, err)
	require.EqualValues(t, 2, n)

	// The withdrawal in batch 4: sealed, then claimable once verified,
	// then claimed.
	owner := crypto.PubkeyToAddress(e.owner.PublicKey)
	tracker := NewWithdrawalTracker(e.client, e.rollup, 0, 0)
	require.Len(t, withdrawals, 1)
	tracker.Track(4, withdrawals)
	require.NoError(t, tracker.Poll(ctx))
	require.Equal(t, WithdrawalSealed, tracker.Of(owner)[0].Status)
	require.NoError(t, s3.Submit(ctx, batches[2]))
	require.NoError(t, s3.Submit(ctx, batches[3]))
	// The simulated chain's pool promotes a transaction asynchronously, so
	// one block may come before it takes batch 4's; a few blocks must
	// take all three.
	done = nil
	for i := 0; i < 5 && len(done) < 3; i++ {
		e.backend.Commit()
		d, err := s3.Poll(ctx)
		require.NoError(t, err)
		done = append(done, d...)
	}
	require.Equal(t, []uint64{2, 3, 4}, done, "a batch queued behind another goes out with it, and Poll reports them in batch order")
	require.NoError(t, tracker.Poll(ctx))
	require.Equal(t, WithdrawalClaimable, tracker.Of(owner)[0].Status)
	_, err = bind.Transact(e.inst, bind.NewKeyedTransactor(e.owner, big.NewInt(1337)), rollupABI.PackWithdraw())
	require.NoError(t, err)
	e.backend.Commit()
	require.NoError(t, tracker.Poll(ctx))
	got := tracker.Of(owner)
	require.Equal(t, WithdrawalClaimed, got[0].Status)
	require.EqualValues(t, 4, got[0].Amount)
	require.NotEqual(t, common.Hash{}, got[0].ClaimTx)

	// A wrong key cannot even start.
	other, err := crypto.GenerateKey()
	require.NoError(t, err)
	_, err = NewSubmitter(ctx, SubmitterConfig{Rollup: e.rollup, Key: other}, e.client, logger(t))
	require.ErrorIs(t, err, ErrNotSequencer)
	require.Equal(t, Critical, Classify(err))
}
