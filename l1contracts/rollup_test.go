package l1contracts_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/sha256"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/keel-rollup/keel/l1contracts"
	"github.com/keel-rollup/keel/prover"
	"github.com/keel-rollup/keel/vm"
	"github.com/rs/zerolog"
	"github.com/stretchr/testify/require"
)

// rollupConfig is small enough to prove in seconds and wide enough for a
// withdrawal (three steps) and the fee payout.
var rollupConfig = vm.Config{ChainID: 77, Depth: 4, Operator: 0, Slots: 8}

const gwei = 1_000_000_000

type env struct {
	t         *testing.T
	backend   *simulated.Backend
	client    simulated.Client
	owner     *ecdsa.PrivateKey
	seq       *ecdsa.PrivateKey
	user      *ecdsa.PrivateKey
	rollup    *l1contracts.Rollup
	inst      *bind.BoundContract
	addr      common.Address
	prover    *prover.Prover
	exitKeys  *prover.Keys
	store     *vm.MemStore
	l2keys    map[uint32]*vm.PrivateKey
	deposited uint64 // gwei
}

func l2key(t testing.TB, name string) *vm.PrivateKey {
	seed := sha256.Sum256([]byte("l1contracts " + name))
	k, err := vm.PrivateKeyFromSeed(bytes.NewReader(seed[:]))
	require.NoError(t, err)
	return k
}

func newEnv(t *testing.T) *env {
	if testing.Short() {
		t.Skip("proves batches; run without -short")
	}
	e := &env{t: t, store: vm.NewMemStore(rollupConfig.Depth), l2keys: map[uint32]*vm.PrivateKey{}}
	var err error
	alloc := types.GenesisAlloc{}
	for _, k := range []**ecdsa.PrivateKey{&e.owner, &e.seq, &e.user} {
		*k, err = crypto.GenerateKey()
		require.NoError(t, err)
		alloc[crypto.PubkeyToAddress((*k).PublicKey)] = types.Account{Balance: new(big.Int).Mul(big.NewInt(1000), big.NewInt(1e18))}
	}
	e.backend = simulated.NewBackend(alloc)
	t.Cleanup(func() { e.backend.Close() })
	e.client = e.backend.Client()

	ccs, err := prover.CompileBatch(rollupConfig.Slots, rollupConfig.Depth)
	require.NoError(t, err)
	dir := filepath.Join(os.TempDir(), "keel-test-keys")
	keys, err := prover.DevKeys(context.Background(), dir, ccs, zerolog.New(zerolog.NewTestWriter(t)))
	require.NoError(t, err)
	e.prover, err = prover.New(rollupConfig, keys)
	require.NoError(t, err)

	code, err := l1contracts.VerifierBytecode(keys.VK)
	require.NoError(t, err)
	vaddr := e.deploy(code, nil)
	exitCCS, err := prover.CompileExit(rollupConfig.Depth)
	require.NoError(t, err)
	e.exitKeys, err = prover.DevKeys(context.Background(), dir, exitCCS, zerolog.New(zerolog.NewTestWriter(t)))
	require.NoError(t, err)
	code, err = l1contracts.VerifierBytecode(e.exitKeys.VK)
	require.NoError(t, err)
	exitAddr := e.deploy(code, nil)
	e.rollup = l1contracts.NewRollup()
	genesis := vm.GenesisMeta(rollupConfig.Depth)
	e.addr = e.deploy(common.FromHex(l1contracts.RollupMetaData.Bin), e.rollup.PackConstructor(vaddr, exitAddr, exodusDelay, uint8(rollupConfig.Depth), rollupConfig.ChainID, rollupConfig.Operator, uint32(rollupConfig.Slots), genesis.Root.BigInt(new(big.Int)), crypto.PubkeyToAddress(e.seq.PublicKey)))
	e.inst = e.rollup.Instance(e.client, e.addr)
	return e
}

func (e *env) opts(k *ecdsa.PrivateKey) *bind.TransactOpts {
	return bind.NewKeyedTransactor(k, big.NewInt(1337))
}

func (e *env) deploy(code, input []byte) common.Address {
	addr, tx, err := bind.DeployContract(e.opts(e.owner), code, e.client, input)
	require.NoError(e.t, err)
	e.backend.Commit()
	r, err := bind.WaitMined(context.Background(), e.client, tx.Hash())
	require.NoError(e.t, err)
	require.Equal(e.t, types.ReceiptStatusSuccessful, r.Status)
	return addr
}

// send transacts and mines; it returns the receipt, or the error of a
// reverted call (the simulated backend refuses it at gas estimation).
func (e *env) send(k *ecdsa.PrivateKey, value *big.Int, data []byte) (*types.Receipt, error) {
	o := e.opts(k)
	o.Value = value
	tx, err := bind.Transact(e.inst, o, data)
	if err != nil {
		return nil, err
	}
	e.backend.Commit()
	return bind.WaitMined(context.Background(), e.client, tx.Hash())
}

func (e *env) depositL2(index uint32, gweiAmount uint64) (vm.Tx, *types.Receipt) {
	k := l2key(e.t, string(rune('a'+index)))
	e.l2keys[index] = k
	pub := k.Public()
	count, err := bind.Call(e.inst, nil, e.rollup.PackPrioCount(), e.rollup.UnpackPrioCount)
	require.NoError(e.t, err)
	r, err := e.send(e.user, new(big.Int).Mul(new(big.Int).SetUint64(gweiAmount), big.NewInt(gwei)),
		e.rollup.PackDeposit(vm.DepositKeyOf(pub)))
	require.NoError(e.t, err)
	require.Equal(e.t, types.ReceiptStatusSuccessful, r.Status)
	e.deposited += gweiAmount
	return vm.Tx{Type: vm.TxDeposit, ChainID: rollupConfig.ChainID, PriorityID: count, To: index, PubKey: pub, Amount: gweiAmount}, r
}

// adjustTime mines an empty block d later than the head. The simulated
// beacon refuses while its transaction pool still lists a transaction,
// and the pool forgets a mined one only when its reset loop has seen
// the new head, which runs in the background after Commit. So the
// refusal is retried briefly rather than failing the test on that race.
func (e *env) adjustTime(d time.Duration) {
	e.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		err := e.backend.AdjustTime(d)
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			require.NoError(e.t, err, "the pool never emptied")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// l1Time is the simulated chain's head time.
func (e *env) l1Time() uint64 {
	h, err := e.client.HeaderByNumber(context.Background(), nil)
	require.NoError(e.t, err)
	return h.Time
}

// prove executes txs on the VM, stamped with the L1 head's time, and
// proves the batch.
func (e *env) prove(txs []vm.Tx) (*vm.SealedBatch, []byte) {
	head, err := e.store.Head()
	require.NoError(e.t, err)
	return e.proveAt(head, max(head.Timestamp, e.l1Time()), txs)
}

// proveAt proves txs on the state at head, stamped ts.
func (e *env) proveAt(head vm.Meta, ts uint64, txs []vm.Tx) (*vm.SealedBatch, []byte) {
	sb, rejected, err := vm.ExecuteAt(rollupConfig, e.store.ReaderAt(head.BatchNumber), head, ts, txs)
	require.NoError(e.t, err)
	for _, r := range rejected {
		require.NoError(e.t, r)
	}
	p, err := e.prover.Prove(sb)
	require.NoError(e.t, err)
	raw, err := p.SolidityBytes()
	require.NoError(e.t, err)
	return sb, raw
}

func (e *env) commit(k *ecdsa.PrivateKey, sb *vm.SealedBatch, publicData, proof []byte) (*types.Receipt, error) {
	return e.send(k, nil, e.rollup.PackCommitBatch(sb.After.Root.BigInt(new(big.Int)), sb.After.PriorityCount, sb.After.Timestamp, publicData, proof))
}

func (e *env) call(data []byte) *big.Int {
	v, err := bind.Call(e.inst, nil, data, e.rollup.UnpackStateRoot) // any uint256 getter
	require.NoError(e.t, err)
	return v
}

// TestRollupSettlesProvenBatches runs deposits, a real proof of their
// batch, a withdrawal batch and its claim through the Rollup contract,
// with every rejection the contract owes along the way.
func TestRollupSettlesProvenBatches(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()

	// Deposits: the contract's queue hash is the VM's.
	d0, r0 := e.depositL2(0, 10)
	d1, _ := e.depositL2(3, 5000)
	t.Logf("deposit gas: %d", r0.GasUsed)
	var prio vm.Element
	for i, d := range []vm.Tx{d0, d1} {
		prio = vm.PriorityHash(prio, d.Amount, vm.DepositKeyOf(d.PubKey))
		h := e.call(e.rollup.PackPrioHashes(big.NewInt(int64(i + 1))))
		require.Equal(t, prio.BigInt(new(big.Int)), h, "queue hash after deposit %d", i)
	}

	// Deposits that must be refused.
	bad := l2key(t, "x").Public()
	var notField [32]byte
	for i := range notField {
		notField[i] = 0xff
	}
	notField[31] = 0x7f // y = 2^255 − 1, sign 0
	_, err := e.send(e.user, big.NewInt(gwei), e.rollup.PackDeposit(notField))
	require.ErrorContains(t, err, "execution reverted", "a key whose y is no field element")
	_, err = e.send(e.user, big.NewInt(gwei+1), e.rollup.PackDeposit(vm.DepositKeyOf(bad)))
	require.Error(t, err, "not whole gwei")

	// Batch 1: the two deposits.
	sb1, proof1 := e.prove([]vm.Tx{d0, d1})
	_, err = e.commit(e.user, sb1, sb1.PublicData, proof1)
	require.Error(t, err, "only the sequencer commits")
	tampered := append([]byte{}, proof1...)
	tampered[40] ^= 1
	_, err = e.commit(e.seq, sb1, sb1.PublicData, tampered)
	require.Error(t, err, "a tampered proof")
	pd := append([]byte{}, sb1.PublicData...)
	pd[11] ^= 1
	_, err = e.commit(e.seq, sb1, pd, proof1)
	require.Error(t, err, "tampered public data")
	wrongRoot := *sb1
	wrongRoot.After.Root.SetUint64(1)
	_, err = e.commit(e.seq, &wrongRoot, sb1.PublicData, proof1)
	require.Error(t, err, "a wrong new root")
	wrongPrio := *sb1
	wrongPrio.After.PriorityCount = 1 // claims one deposit less: another queue hash
	_, err = e.commit(e.seq, &wrongPrio, sb1.PublicData, proof1)
	require.Error(t, err, "a wrong priority-queue position and hash")
	r, err := e.commit(e.seq, sb1, sb1.PublicData, proof1)
	require.NoError(t, err)
	require.Equal(t, types.ReceiptStatusSuccessful, r.Status)
	t.Logf("commitBatch gas (%d slots): %d", rollupConfig.Slots, r.GasUsed)
	require.NoError(t, e.store.Commit(sb1.Changes))
	require.Equal(t, sb1.After.Root.BigInt(new(big.Int)), e.call(e.rollup.PackStateRoot()))
	_, err = e.commit(e.seq, sb1, sb1.PublicData, proof1)
	require.Error(t, err, "the same batch twice")

	// Batch 2: account 3 withdraws to the user's L1 address. Stamped
	// ahead of L1 time, or before batch 1, it is refused however good
	// its proof: L2 time cannot be fast-forwarded nor turned back.
	userAddr := crypto.PubkeyToAddress(e.user.PublicKey)
	w := vm.Tx{Type: vm.TxWithdraw, ChainID: rollupConfig.ChainID, From: 3, L1To: userAddr, Amount: 1200, Fee: 5}
	require.NoError(t, w.Sign(e.l2keys[3]))
	require.NotZero(t, sb1.After.Timestamp)
	sbFuture, proofFuture := e.proveAt(sb1.After, e.l1Time()+3600, []vm.Tx{w})
	_, err = e.commit(e.seq, sbFuture, sbFuture.PublicData, proofFuture)
	requireRevert(t, err, l1contracts.RollupBadTimestampErrorID(), "a timestamp ahead of L1 time")
	turnedBack := sb1.After
	turnedBack.Timestamp = 0
	sbPast, proofPast := e.proveAt(turnedBack, sb1.After.Timestamp-1, []vm.Tx{w})
	_, err = e.commit(e.seq, sbPast, sbPast.PublicData, proofPast)
	requireRevert(t, err, l1contracts.RollupBadTimestampErrorID(), "a timestamp before the last batch's")
	sb2, proof2 := e.prove([]vm.Tx{w})
	require.Len(t, sb2.Withdrawals, 1)
	r, err = e.commit(e.seq, sb2, sb2.PublicData, proof2)
	require.NoError(t, err)
	require.Equal(t, types.ReceiptStatusSuccessful, r.Status)
	require.NoError(t, e.store.Commit(sb2.Changes))
	pending, err := bind.Call(e.inst, nil, e.rollup.PackPendingWithdrawals(userAddr), e.rollup.UnpackPendingWithdrawals)
	require.NoError(t, err)
	require.Equal(t, big.NewInt(1200*gwei), pending)

	// Money is conserved: L2 balances plus pending withdrawals are the deposits.
	head, err := e.store.Head()
	require.NoError(t, err)
	var l2 uint64
	for i := uint64(0); i < 1<<rollupConfig.Depth; i++ {
		a, _, err := e.store.ReaderAt(head.BatchNumber).Leaf(i)
		require.NoError(t, err)
		l2 += a.Balance
	}
	require.Equal(t, e.deposited, l2+1200)
	held, err := e.client.BalanceAt(ctx, e.addr, nil)
	require.NoError(t, err)
	require.Equal(t, new(big.Int).Mul(new(big.Int).SetUint64(e.deposited), big.NewInt(gwei)), held)

	// The claim pays once.
	before, err := e.client.BalanceAt(ctx, userAddr, nil)
	require.NoError(t, err)
	r, err = e.send(e.user, nil, e.rollup.PackWithdraw())
	require.NoError(t, err)
	after, err := e.client.BalanceAt(ctx, userAddr, nil)
	require.NoError(t, err)
	gas := new(big.Int).Mul(new(big.Int).SetUint64(r.GasUsed), r.EffectiveGasPrice)
	require.Equal(t, new(big.Int).Add(before, big.NewInt(1200*gwei)), new(big.Int).Add(after, gas))
	_, err = e.send(e.user, nil, e.rollup.PackWithdraw())
	require.Error(t, err, "nothing left to claim")
	held, err = e.client.BalanceAt(ctx, e.addr, nil)
	require.NoError(t, err)
	require.Equal(t, new(big.Int).SetUint64(l2*gwei), held, "the contract holds exactly the L2 balances")

	// A re-entrant claim fails and loses nothing: batch 3 pays a contract
	// that calls withdraw() again from its receive().
	claimer := l1contracts.NewReentrantClaimer()
	caddr := e.deploy(common.FromHex(l1contracts.ReentrantClaimerMetaData.Bin), claimer.PackConstructor(e.addr))
	w3 := vm.Tx{Type: vm.TxWithdraw, ChainID: rollupConfig.ChainID, From: 3, L1To: caddr, Amount: 100, Nonce: 1}
	require.NoError(t, w3.Sign(e.l2keys[3]))
	sb3, proof3 := e.prove([]vm.Tx{w3})
	_, err = e.commit(e.seq, sb3, sb3.PublicData, proof3)
	require.NoError(t, err)
	require.NoError(t, e.store.Commit(sb3.Changes))
	cinst := claimer.Instance(e.client, caddr)
	o := e.opts(e.user)
	o.GasLimit = 500_000 // send it even though it reverts
	tx, err := bind.Transact(cinst, o, claimer.PackClaim())
	require.NoError(t, err)
	e.backend.Commit()
	rc, err := bind.WaitMined(ctx, e.client, tx.Hash())
	require.NoError(t, err)
	require.Equal(t, types.ReceiptStatusFailed, rc.Status, "the re-entrant claim must fail")
	pending, err = bind.Call(e.inst, nil, e.rollup.PackPendingWithdrawals(caddr), e.rollup.UnpackPendingWithdrawals)
	require.NoError(t, err)
	require.Equal(t, big.NewInt(100*gwei), pending, "nothing is lost")
	held, err = e.client.BalanceAt(ctx, e.addr, nil)
	require.NoError(t, err)
	require.Equal(t, new(big.Int).SetUint64((l2)*gwei), held)

	// Only the owner rotates the sequencer.
	_, err = e.send(e.user, nil, e.rollup.PackSetSequencer(userAddr))
	require.Error(t, err)
	_, err = e.send(e.owner, nil, e.rollup.PackSetSequencer(userAddr))
	require.NoError(t, err)
}

// requireRevert checks that err is a revert with the custom error id.
func requireRevert(t *testing.T, err error, id common.Hash, what string) {
	t.Helper()
	require.Error(t, err, what)
	var de rpc.DataError
	require.True(t, errors.As(err, &de), "%s: not a revert with data: %v", what, err)
	data, ok := de.ErrorData().(string)
	require.True(t, ok, what)
	require.True(t, strings.HasPrefix(data, hexutil.Encode(id[:4])), "%s: reverted with %s, want error %x", what, data, id[:4])
}

// TestRollupPaysEveryPayoutInTheMap: a batch with two withdrawals and a
// transfer between them. The contract finds the payouts through the
// payout map alone and credits each one, and only them.
func TestRollupPaysEveryPayoutInTheMap(t *testing.T) {
	e := newEnv(t)
	d0, _ := e.depositL2(0, 10)
	d1, _ := e.depositL2(3, 5000)
	sb1, proof1 := e.prove([]vm.Tx{d0, d1})
	_, err := e.commit(e.seq, sb1, sb1.PublicData, proof1)
	require.NoError(t, err)
	require.NoError(t, e.store.Commit(sb1.Changes))

	alice, bob := common.Address{0xa1}, common.Address{0xb0, 0xb}
	txs := []vm.Tx{
		{Type: vm.TxWithdraw, ChainID: rollupConfig.ChainID, From: 3, L1To: alice, Amount: 100, Fee: 1, Nonce: 0},
		{Type: vm.TxTransfer, ChainID: rollupConfig.ChainID, From: 3, To: 0, Amount: 7, Nonce: 1},
		{Type: vm.TxWithdraw, ChainID: rollupConfig.ChainID, From: 3, L1To: bob, Amount: 200, Fee: 2, Nonce: 2},
	}
	for i := range txs {
		require.NoError(t, txs[i].Sign(e.l2keys[3]))
	}
	sb2, proof2 := e.prove(txs)
	var ops []vm.Opcode
	for _, st := range sb2.Steps {
		ops = append(ops, st.Op)
	}
	require.Equal(t, []vm.Opcode{vm.OpWithdraw, vm.OpData, vm.OpData, vm.OpTransfer, vm.OpWithdraw, vm.OpData, vm.OpData, vm.OpFeePayout}, ops)
	require.Equal(t, byte(0x88), sb2.PublicData[len(sb2.PublicData)-1], "the payout map names slots 0 and 4")
	_, err = e.commit(e.seq, sb2, sb2.PublicData, proof2)
	require.NoError(t, err)
	for to, want := range map[common.Address]int64{alice: 100, bob: 200, crypto.PubkeyToAddress(e.user.PublicKey): 0} {
		got, err := bind.Call(e.inst, nil, e.rollup.PackPendingWithdrawals(to), e.rollup.UnpackPendingWithdrawals)
		require.NoError(t, err)
		require.Zero(t, big.NewInt(want*gwei).Cmp(got), "pending for %s: %s", to, got)
	}
	total, err := bind.Call(e.inst, nil, e.rollup.PackTotalPending(), e.rollup.UnpackTotalPending)
	require.NoError(t, err)
	require.Equal(t, big.NewInt(300*gwei), total, "the payouts and nothing else")
}
