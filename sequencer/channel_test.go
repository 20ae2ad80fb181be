package sequencer_test

import (
	"context"
	"testing"
	"time"

	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/ethereum/go-ethereum/common"
	"github.com/keel-rollup/keel/sequencer"
	"github.com/keel-rollup/keel/vm"
	"github.com/stretchr/testify/require"
)

// openChannel sends an open from a to b, co-signed by b when b funds it,
// and returns its hash and the channel's id.
func (h *harness) openChannel(a, b *vm.PrivateKey, amountA, amountB uint64, period uint32) (common.Hash, uint64) {
	h.t.Helper()
	from := h.index(a)
	tx := &vm.Tx{Type: vm.TxChanOpen, ChainID: h.cfg.VM.ChainID, From: from, To: h.index(b), Amount: amountA, AmountB: amountB,
		Fee: 1, Nonce: h.nonce[from], Period: period}
	require.NoError(h.t, tx.Sign(a))
	if amountB > 0 {
		require.NoError(h.t, tx.SignB(b))
	}
	hash, err := h.seq.SendTransaction(tx)
	require.NoError(h.t, err)
	h.nonce[from]++
	return hash, vm.ChannelIDOf(from, tx.Nonce)
}

// stateTx builds a close, dispute or challenge of the channel at leaf
// carrying st, signed by a and b where given.
func (h *harness) stateTx(typ vm.TxType, leaf uint32, st vm.ChannelState, a, b *vm.PrivateKey) *vm.Tx {
	h.t.Helper()
	tx := &vm.Tx{Type: typ, Channel: leaf}
	tx.SetChannelState(st)
	var err error
	if a != nil {
		tx.Sig, err = st.Sign(a)
		require.NoError(h.t, err)
	}
	if b != nil {
		tx.SigB, err = st.Sign(b)
		require.NoError(h.t, err)
	}
	return tx
}

func (h *harness) receipt(hash common.Hash) sequencer.Receipt {
	h.t.Helper()
	r, ok, err := h.seq.Receipt(hash)
	require.NoError(h.t, err)
	require.True(h.t, ok, "receipt of %s", hash)
	return r
}

func (h *harness) balance(k *vm.PrivateKey) uint64 {
	h.t.Helper()
	a, _, err := h.seq.Account(h.index(k))
	require.NoError(h.t, err)
	return a.Balance
}

// sealedChannel reads the channel with the given id as the node serves it:
// id → leaf → sealed leaf.
func (h *harness) sealedChannel(id uint64) (uint32, vm.ChannelLeaf, bool) {
	h.t.Helper()
	leaf, ok, err := h.seq.ChannelLeaf(id)
	require.NoError(h.t, err)
	if !ok {
		return 0, vm.ChannelLeaf{}, false
	}
	ch, found, _, err := h.seq.Channel(leaf)
	require.NoError(h.t, err)
	return leaf, ch, found
}

func TestChannelOpenAndCooperativeClose(t *testing.T) {
	h := newHarness(t, nil, t.TempDir())
	defer h.seq.Stop(context.Background())
	h.fund(1_000_000)
	alice, bob := h.users[0], h.users[1]

	openHash, id := h.openChannel(alice, bob, 5000, 3000, 3600)
	r := h.receipt(openHash)
	require.Equal(t, sequencer.TxPending, r.Status)
	require.False(t, r.HasChannel, "an open's leaf is assigned when it executes")
	require.NoError(t, h.seq.Step())
	r = h.receipt(openHash)
	require.Equal(t, sequencer.TxSequenced, r.Status)
	require.True(t, r.HasChannel)
	require.EqualValues(t, 4, r.Channel, "the next free leaf after the operator and three accounts")
	_, _, found := h.sealedChannel(id)
	require.False(t, found, "the channel is served once its batch is sealed")
	h.settle()

	leaf, ch, found := h.sealedChannel(id)
	require.True(t, found)
	require.EqualValues(t, 4, leaf)
	require.Equal(t, vm.ChannelLeaf{Status: vm.ChannelOpen, A: 1, B: 2, OpenNonce: 0, Period: 3600, SplitA: 5000, Total: 8000}, ch)
	require.Equal(t, id, ch.ID())
	r = h.receipt(openHash)
	require.True(t, r.HasChannel, "the sealed receipt tells the leaf too")
	require.EqualValues(t, 4, r.Channel)
	require.EqualValues(t, 1_000_000-5000-1, h.balance(alice))
	require.EqualValues(t, 1_000_000-3000, h.balance(bob))

	// Accounts and channels share one allocator: the next new key gets
	// the leaf after the channel.
	dave := seqKey(t, "dave")
	require.NoError(t, h.seq.AddDeposits([]vm.PriorityRequest{{ID: 4, Key: vm.DepositKeyOf(dave.Public()), Amount: 10}}))
	h.settle()
	require.EqualValues(t, 5, h.index(dave))

	final := vm.ChannelState{ChainID: h.cfg.VM.ChainID, ChannelID: id, Version: 3, BalanceA: 2000, BalanceB: 6000, Final: true}
	closeTx := h.stateTx(vm.TxChanClose, leaf, final, alice, bob)
	closeHash, err := h.seq.SendTransaction(closeTx)
	require.NoError(t, err)
	r = h.receipt(closeHash)
	require.Equal(t, sequencer.TxPending, r.Status)
	require.True(t, r.HasChannel)
	require.Equal(t, leaf, r.Channel)
	_, err = h.seq.SendTransaction(h.stateTx(vm.TxChanClose, leaf, final, alice, bob))
	require.ErrorIs(t, err, sequencer.ErrAlreadyKnown, "the same close, pending")
	h.settle()
	require.Equal(t, sequencer.TxSequenced, h.receipt(closeHash).Status)
	_, _, found = h.sealedChannel(id)
	require.False(t, found, "a settled channel's leaf is empty")
	require.EqualValues(t, 1_000_000-5000-1+2000, h.balance(alice))
	require.EqualValues(t, 1_000_000-3000+6000, h.balance(bob))
	require.EqualValues(t, 10+1+3*1_000_000, h.total(), "money is conserved")
	_, err = h.seq.SendTransaction(h.stateTx(vm.TxChanClose, leaf, final, alice, bob))
	require.ErrorIs(t, err, sequencer.ErrAlreadyKnown, "the same close, sealed")
}

func TestChannelDisputeChallengeFinalize(t *testing.T) {
	h := newHarness(t, nil, t.TempDir())
	defer h.seq.Stop(context.Background())
	h.fund(1_000_000)
	alice, bob := h.users[0], h.users[1]
	_, id := h.openChannel(alice, bob, 9000, 0, 60)
	h.settle()
	leaf, _, found := h.sealedChannel(id)
	require.True(t, found)

	// Bob disputes with the opening (version 0: signed by the closer
	// alone); Alice answers with version 2, which both signed.
	opening := vm.ChannelState{ChainID: h.cfg.VM.ChainID, ChannelID: id, BalanceA: 9000}
	_, err := h.seq.SendTransaction(h.stateTx(vm.TxChanDispute, leaf, opening, nil, bob))
	require.NoError(t, err)
	h.settle()
	_, ch, _ := h.sealedChannel(id)
	require.Equal(t, vm.ChannelClosing, ch.Status)
	require.Greater(t, ch.Deadline, uint64(h.clock.Now().Unix())-5)

	v2 := vm.ChannelState{ChainID: h.cfg.VM.ChainID, ChannelID: id, Version: 2, BalanceA: 4000, BalanceB: 5000}
	_, err = h.seq.SendTransaction(h.stateTx(vm.TxChanChallenge, leaf, v2, alice, bob))
	require.NoError(t, err)
	h.settle()
	_, ch, _ = h.sealedChannel(id)
	require.EqualValues(t, 2, ch.Version)
	require.EqualValues(t, 4000, ch.SplitA)

	// A finalize before the deadline is rejected with the reason; the same
	// transaction after it executes.
	fin := &vm.Tx{Type: vm.TxChanFinalize, ChainID: h.cfg.VM.ChainID, Channel: leaf}
	finHash, err := h.seq.SendTransaction(fin)
	require.NoError(t, err)
	h.settle()
	r := h.receipt(finHash)
	require.Equal(t, sequencer.TxRejected, r.Status)
	require.Equal(t, vm.TxChanFinalize, r.Type, "a rejected transaction's receipt keeps its type")
	require.Contains(t, r.Err, "challenge period ends")
	h.clock.Advance(2 * time.Minute)
	again, err := h.seq.SendTransaction(&vm.Tx{Type: vm.TxChanFinalize, ChainID: h.cfg.VM.ChainID, Channel: leaf})
	require.NoError(t, err, "a rejected operation may be sent again")
	require.Equal(t, finHash, again)
	h.settle()
	require.Equal(t, sequencer.TxSequenced, h.receipt(finHash).Status)
	_, _, found = h.sealedChannel(id)
	require.False(t, found)
	require.EqualValues(t, 1_000_000-9000-1+4000, h.balance(alice))
	require.EqualValues(t, 1_000_000+5000, h.balance(bob))
}

func TestChannelAdmissionAndRejections(t *testing.T) {
	h := newHarness(t, nil, t.TempDir())
	defer func() { h.seq.Stop(context.Background()) }()
	h.fund(1_000_000)
	alice, bob, carol := h.users[0], h.users[1], h.users[2]
	_, id := h.openChannel(alice, bob, 1000, 0, 60)
	h.settle()
	leaf, _, _ := h.sealedChannel(id)
	st := vm.ChannelState{ChainID: h.cfg.VM.ChainID, ChannelID: id, Version: 1, BalanceA: 400, BalanceB: 600, Final: true}

	// Refused at the door: what CheckStatic refuses, and what users do not send.
	notFinal := st
	notFinal.Final = false
	_, err := h.seq.SendTransaction(h.stateTx(vm.TxChanClose, leaf, notFinal, alice, bob))
	require.ErrorIs(t, err, vm.ErrChannelState)
	_, err = h.seq.SendTransaction(&vm.Tx{Type: vm.TxChanFinalize, ChainID: h.cfg.VM.ChainID, Channel: leaf, Fee: 1})
	require.ErrorIs(t, err, vm.ErrMalformed)
	_, err = h.seq.SendTransaction(&vm.Tx{Type: vm.TxChanFinalize, ChainID: 99, Channel: leaf})
	require.ErrorIs(t, err, vm.ErrWrongChain)
	_, err = h.seq.SendTransaction(&vm.Tx{Type: vm.TxDeposit, ChainID: h.cfg.VM.ChainID, To: 9, Amount: 1, PubKey: carol.Public()})
	require.ErrorIs(t, err, sequencer.ErrTxType)
	opening := vm.ChannelState{ChainID: h.cfg.VM.ChainID, ChannelID: id, BalanceA: 1000}
	_, err = h.seq.SendTransaction(h.stateTx(vm.TxChanDispute, leaf, opening, nil, nil))
	require.ErrorIs(t, err, vm.ErrMalformed, "a version-0 dispute is signed by its closer")

	// States the parties did not sign are refused at the door: these
	// operations pay no fee, and junk must not fill their queue.
	_, err = h.seq.SendTransaction(h.stateTx(vm.TxChanClose, leaf, st, alice, carol)) // carol is not B
	require.ErrorIs(t, err, vm.ErrBadSignature)
	require.ErrorContains(t, err, "party B")
	_, err = h.seq.SendTransaction(h.stateTx(vm.TxChanDispute, leaf, opening, carol, nil)) // carol is not A
	require.ErrorIs(t, err, vm.ErrBadSignature)
	require.ErrorContains(t, err, "party A")

	// Accepted, then rejected when executed, with the VM's reason.
	early := h.stateTx(vm.TxChanChallenge, leaf, vm.ChannelState{ChainID: h.cfg.VM.ChainID, ChannelID: id, Version: 1, BalanceA: 1000}, alice, bob)
	earlyHash, err := h.seq.SendTransaction(early)
	require.NoError(t, err)
	nowhere := &vm.Tx{Type: vm.TxChanFinalize, ChainID: h.cfg.VM.ChainID, Channel: 200}
	nowhereHash, err := h.seq.SendTransaction(nowhere)
	require.NoError(t, err)
	// An open whose B funds without signing is rejected too.
	unsigned := &vm.Tx{Type: vm.TxChanOpen, ChainID: h.cfg.VM.ChainID, From: h.index(carol), To: h.index(bob), Amount: 10, AmountB: 10,
		Fee: 1, Nonce: h.nonce[h.index(carol)], Period: 60}
	require.NoError(t, unsigned.Sign(carol))
	unsignedHash, err := h.seq.SendTransaction(unsigned)
	require.NoError(t, err)
	h.settle()
	for hash, why := range map[common.Hash]string{earlyHash: "not closing", nowhereHash: "no such channel", unsignedHash: "funding of the channel"} {
		r := h.receipt(hash)
		require.Equal(t, sequencer.TxRejected, r.Status, why)
		require.Contains(t, r.Err, why)
	}
	_, ch, found := h.sealedChannel(id)
	require.True(t, found)
	require.Equal(t, vm.ChannelOpen, ch.Status, "nothing rejected changed the channel")

	// The rejected open used no leaf: the next open gets the next one.
	openHash, _ := h.openChannel(carol, alice, 10, 0, 60)
	h.settle()
	require.Equal(t, leaf+1, h.receipt(openHash).Channel)

	// The queue is bounded.
	require.NoError(t, h.seq.Stop(context.Background()))
	h.cfg.MaxChannelOps = 2
	h.open()
	for i := range 2 {
		_, err := h.seq.SendTransaction(&vm.Tx{Type: vm.TxChanFinalize, ChainID: h.cfg.VM.ChainID, Channel: uint32(100 + i)})
		require.NoError(t, err)
	}
	_, err = h.seq.SendTransaction(&vm.Tx{Type: vm.TxChanFinalize, ChainID: h.cfg.VM.ChainID, Channel: 102})
	require.ErrorIs(t, err, sequencer.ErrChannelQueueFull)
	h.settle()
	_, err = h.seq.SendTransaction(&vm.Tx{Type: vm.TxChanFinalize, ChainID: h.cfg.VM.ChainID, Channel: 102})
	require.NoError(t, err, "room again once the queue drained")
	h.settle()
}

// TestChannelOpsWaitForRoom fills a batch with disputes: what does not fit
// stays queued, in order, for the next batch.
func TestChannelOpsWaitForRoom(t *testing.T) {
	h := newHarness(t, nil, t.TempDir())
	defer h.seq.Stop(context.Background())
	h.fund(1_000_000)
	alice, bob := h.users[0], h.users[1]
	var ids []uint64
	for range 5 {
		_, id := h.openChannel(alice, bob, 100, 0, 60)
		ids = append(ids, id)
	}
	h.settle()
	var hashes []common.Hash
	for _, id := range ids {
		leaf, _, found := h.sealedChannel(id)
		require.True(t, found)
		opening := vm.ChannelState{ChainID: h.cfg.VM.ChainID, ChannelID: id, BalanceA: 100}
		hash, err := h.seq.SendTransaction(h.stateTx(vm.TxChanDispute, leaf, opening, alice, nil))
		require.NoError(t, err)
		hashes = append(hashes, hash)
	}
	require.NoError(t, h.seq.Step()) // 8 slots: four 2-step disputes (no fee, no payout step)
	first := h.receipt(hashes[0])
	require.Equal(t, sequencer.TxSequenced, first.Status)
	require.Equal(t, sequencer.TxSequenced, h.receipt(hashes[3]).Status)
	require.Equal(t, sequencer.TxPending, h.receipt(hashes[4]).Status, "the fifth waits for room")
	h.settle()
	last := h.receipt(hashes[4])
	require.Equal(t, sequencer.TxSequenced, last.Status)
	require.Greater(t, last.Batch, first.Batch)
}

// TestChannelOpsSurviveARestart stops without sealing while channel
// operations are queued and an open is soft-confirmed, and finds them all
// again: the queue from the journal, the open placed again at the same
// leaf.
func TestChannelOpsSurviveARestart(t *testing.T) {
	dir := t.TempDir()
	h := newHarness(t, nil, dir)
	h.fund(1_000_000)
	alice, bob := h.users[0], h.users[1]
	_, id := h.openChannel(alice, bob, 7000, 0, 60)
	h.settle()
	leaf, _, _ := h.sealedChannel(id)

	opening := vm.ChannelState{ChainID: h.cfg.VM.ChainID, ChannelID: id, BalanceA: 7000}
	dispute := h.stateTx(vm.TxChanDispute, leaf, opening, nil, bob)
	disputeHash, err := h.seq.SendTransaction(dispute)
	require.NoError(t, err)
	openHash, id2 := h.openChannel(bob, alice, 500, 0, 60)
	require.NoError(t, h.seq.Step())
	r := h.receipt(openHash)
	require.Equal(t, sequencer.TxSequenced, r.Status, "soft-confirmed in the open batch")
	require.Equal(t, leaf+1, r.Channel)
	hurry, cancel := context.WithCancel(context.Background())
	cancel()
	require.NoError(t, h.seq.Stop(hurry))

	h.open()
	defer h.seq.Stop(context.Background())
	for _, hash := range []common.Hash{disputeHash, openHash} {
		require.Equal(t, sequencer.TxPending, h.receipt(hash).Status, "acknowledged, replayed")
	}
	again := *dispute
	_, err = h.seq.SendTransaction(&again)
	require.ErrorIs(t, err, sequencer.ErrAlreadyKnown, "the replayed operation is pending")
	h.settle()
	require.Equal(t, sequencer.TxSequenced, h.receipt(disputeHash).Status)
	_, ch, _ := h.sealedChannel(id)
	require.Equal(t, vm.ChannelClosing, ch.Status)
	leaf2, ch2, found := h.sealedChannel(id2)
	require.True(t, found)
	require.Equal(t, leaf+1, leaf2, "the lost open batch's leaf is handed out again")
	require.Equal(t, leaf2, h.receipt(openHash).Channel)
	require.EqualValues(t, 500, ch2.Total)
}

// TestChannelIndexSurvivesACrashBeforeTheStateCommit crashes between a
// batch record that holds an open and its state commit: New re-executes
// the record, and the channel index, written with the record, agrees.
func TestChannelIndexSurvivesACrashBeforeTheStateCommit(t *testing.T) {
	fs := vfs.NewCrashableMem()
	h := newHarness(t, fs, "/seq")
	h.fund(1_000_000)
	var crashed *vfs.MemFS
	h.seq.SetAfterRecordHookForTest(func(uint64) {
		if crashed == nil {
			crashed = fs.CrashClone(vfs.CrashCloneCfg{})
		}
	})
	_, id := h.openChannel(h.users[0], h.users[2], 1234, 0, 60)
	h.settle()
	require.NoError(t, h.seq.Stop(context.Background()))
	require.NotNil(t, crashed)

	h.cfg.FS = crashed
	h.open()
	defer h.seq.Stop(context.Background())
	leaf, ch, found := h.sealedChannel(id)
	require.True(t, found, "the state was re-executed from the record")
	require.EqualValues(t, 4, leaf)
	require.EqualValues(t, 1234, ch.Total)
	dave := seqKey(t, "dave")
	require.NoError(t, h.seq.AddDeposits([]vm.PriorityRequest{{ID: 4, Key: vm.DepositKeyOf(dave.Public()), Amount: 10}}))
	h.settle()
	require.EqualValues(t, 5, h.index(dave), "the allocator moved past the channel")
}
