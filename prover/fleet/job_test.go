package fleet_test

import (
	"bytes"
	"crypto/sha256"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/keel-rollup/keel/prover"
	"github.com/keel-rollup/keel/prover/fleet"
	"github.com/keel-rollup/keel/vm"
	"github.com/stretchr/testify/require"
)

// jobConfig is a small batch shape: depth 4, 8 slots.
var jobConfig = vm.Config{ChainID: 9, Depth: 4, Operator: 0, Slots: 8}

func jobKey(t testing.TB, name string) *vm.PrivateKey {
	seed := sha256.Sum256([]byte("fleet job " + name))
	k, err := vm.PrivateKeyFromSeed(bytes.NewReader(seed[:]))
	require.NoError(t, err)
	return k
}

// jobBatches seals batches that use every kind of step: deposits; a
// transfer, a withdrawal with its data records, a full exit and the fee
// payout; a channel open and its cooperative close with padding; a
// sponsored transfer.
func jobBatches(t testing.TB) []*vm.SealedBatch {
	cfg := jobConfig
	store := vm.NewMemStore(cfg.Depth)
	keys := map[uint32]*vm.PrivateKey{}
	var out []*vm.SealedBatch
	batch := func(ts uint64, txs ...vm.Tx) *vm.SealedBatch {
		head, err := store.Head()
		require.NoError(t, err)
		b, err := vm.NewBatch(cfg, store.ReaderAt(head.BatchNumber), head)
		require.NoError(t, err)
		require.NoError(t, b.SetTimestamp(ts))
		for i := range txs {
			if txs[i].Type == vm.TxDeposit || txs[i].Type == vm.TxFullExit {
				txs[i].PriorityID = b.PriorityCount()
			}
			require.NoError(t, b.Apply(&txs[i]), "tx %d", i)
		}
		sb, err := b.Seal()
		require.NoError(t, err)
		require.NoError(t, store.Commit(sb.Changes))
		out = append(out, sb)
		return sb
	}
	var deps []vm.Tx
	for i := uint32(0); i < 4; i++ {
		keys[i] = jobKey(t, string(rune('a'+i)))
		deps = append(deps, vm.Tx{Type: vm.TxDeposit, ChainID: cfg.ChainID, To: i, PubKey: keys[i].Public(), Amount: 1_000_000})
	}
	batch(100, deps...)
	signed := func(tx vm.Tx, k *vm.PrivateKey) vm.Tx {
		tx.ChainID = cfg.ChainID
		require.NoError(t, tx.Sign(k))
		return tx
	}
	fx := vm.Tx{Type: vm.TxFullExit, ChainID: cfg.ChainID, From: 3, L1To: common.HexToAddress("0xe817"), Nonce: 0}
	sig, err := keys[3].SignElement(fx.Message())
	require.NoError(t, err)
	fx.Sig = sig
	batch(110,
		signed(vm.Tx{Type: vm.TxTransfer, From: 1, To: 2, Amount: 1000, Fee: 10}, keys[1]),
		signed(vm.Tx{Type: vm.TxWithdraw, From: 2, L1To: common.HexToAddress("0xb0b"), Amount: 500, Fee: 5}, keys[2]),
		fx)
	open := signed(vm.Tx{Type: vm.TxChanOpen, From: 1, To: 2, Channel: 9, Amount: 3000, AmountB: 2000, Fee: 1, Period: 60, Nonce: 1}, keys[1])
	require.NoError(t, open.SignB(keys[2]))
	batch(120, open)
	st := vm.ChannelState{ChainID: cfg.ChainID, ChannelID: vm.ChannelIDOf(1, 1), Version: 4, BalanceA: 1000, BalanceB: 4000, Final: true}
	cl := vm.Tx{Type: vm.TxChanClose, ChainID: cfg.ChainID, Channel: 9}
	cl.SetChannelState(st)
	cl.Sig, err = st.Sign(keys[1])
	require.NoError(t, err)
	cl.SigB, err = st.Sign(keys[2])
	require.NoError(t, err)
	batch(130, cl)
	// A transfer whose fee the operator (account 0) pays: its witness needs the head's
	// sponsor fields, which only the steps carry.
	sp := signed(vm.Tx{Type: vm.TxTransfer, From: 2, To: 1, Amount: 700, Fee: 3, Nonce: 1, Sponsored: true, Sponsor: 0}, keys[2])
	require.NoError(t, sp.SignSponsor(keys[0]))
	spw := signed(vm.Tx{Type: vm.TxWithdraw, From: 1, L1To: common.HexToAddress("0xa11ce"), Amount: 900, Fee: 2, Nonce: 2, Sponsored: true, Sponsor: 0}, keys[1])
	require.NoError(t, spw.SignSponsor(keys[0]))
	batch(140, sp, spw) // the sponsored withdrawal is the longest transaction encoding
	return out
}

// TestJobRoundTrip: every batch, encoded as a job and decoded, gives the
// same witness and the same public input as the sealed batch itself, and
// re-encodes to the same bytes.
func TestJobRoundTrip(t *testing.T) {
	hash := [32]byte{1, 2, 3}
	ops := map[vm.Opcode]bool{}
	for i, sb := range jobBatches(t) {
		job := fleet.Job{CircuitHash: hash, Config: jobConfig, Batch: sb}
		raw, err := job.MarshalBinary()
		require.NoError(t, err)
		var back fleet.Job
		require.NoError(t, back.UnmarshalBinary(raw), "batch %d", i)
		require.Equal(t, hash, back.CircuitHash)
		require.Equal(t, jobConfig, back.Config)
		want, err := prover.Witness(jobConfig, sb)
		require.NoError(t, err)
		got, err := prover.Witness(back.Config, back.Batch)
		require.NoError(t, err)
		require.Equal(t, want, got, "batch %d: the decoded job's witness", i)
		require.Equal(t, sb.Commitment(jobConfig.Operator), back.Batch.Commitment(jobConfig.Operator))
		again, err := back.MarshalBinary()
		require.NoError(t, err)
		require.Equal(t, raw, again, "one encoding per job")
		for _, st := range sb.Steps {
			ops[st.Op] = true
		}
	}
	for _, op := range []vm.Opcode{vm.OpDeposit, vm.OpTransfer, vm.OpWithdraw, vm.OpData, vm.OpFullExit, vm.OpFeePayout, vm.OpChanOpen, vm.OpChanFund, vm.OpChanClose, vm.OpChanPayB, vm.OpSponsor, vm.OpNoop} {
		require.True(t, ops[op], "the batches cover %s", op)
	}
}

// TestJobDecodeErrors: every prefix of a job, and each kind of damage, is
// refused with ErrBadJob (or ErrJobVersion), never a panic.
func TestJobDecodeErrors(t *testing.T) {
	sb := jobBatches(t)[1]
	raw, err := (&fleet.Job{Config: jobConfig, Batch: sb}).MarshalBinary()
	require.NoError(t, err)
	for n := 0; n < len(raw); n++ {
		var j fleet.Job
		require.ErrorIs(t, j.UnmarshalBinary(raw[:n]), fleet.ErrBadJob, "a job cut at %d of %d bytes", n, len(raw))
	}
	damaged := func(at int, b ...byte) []byte {
		out := append([]byte(nil), raw...)
		copy(out[at:], b)
		return out
	}
	const cfgAt = 4 + 1 + 32 // chain id u64, depth u8, operator u32, slots u32
	for _, tc := range []struct {
		name string
		in   []byte
		want error
	}{
		{"another magic", damaged(0, 'X'), fleet.ErrBadJob},
		{"another version", damaged(4, fleet.JobVersion+1), fleet.ErrJobVersion},
		{"trailing byte", append(append([]byte(nil), raw...), 0), fleet.ErrBadJob},
		{"depth 0", damaged(cfgAt+8, 0), fleet.ErrBadJob},
		{"slots beyond the limit", damaged(cfgAt+8+1+4, 0xff, 0xff, 0xff, 0xff), fleet.ErrBadJob},
		{"another slot count", damaged(cfgAt+8+1+4, 0, 0, 0, 4), fleet.ErrBadJob},
		{"batch of another chain", damaged(cfgAt+8+1+4+4, 0xff), fleet.ErrBadJob},
		{"a root above the field modulus", damaged(cfgAt+8+1+4+4+8+8, 0xff, 0xff), fleet.ErrBadJob},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var j fleet.Job
			require.ErrorIs(t, j.UnmarshalBinary(tc.in), tc.want)
		})
	}
	// Encoding refuses shapes the decoder would refuse.
	short := *sb
	short.Steps = short.Steps[:3]
	_, err = (&fleet.Job{Config: jobConfig, Batch: &short}).MarshalBinary()
	require.ErrorIs(t, err, fleet.ErrBadJob)
	_, err = (&fleet.Job{Config: jobConfig}).MarshalBinary()
	require.ErrorIs(t, err, fleet.ErrBadJob)
}

// FuzzDecodeJob: jobs arrive from the network; any bytes decode or fail
// cleanly, and whatever decodes re-encodes to the same bytes.
func FuzzDecodeJob(f *testing.F) {
	for _, sb := range jobBatches(f) {
		raw, err := (&fleet.Job{Config: jobConfig, Batch: sb}).MarshalBinary()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(raw)
	}
	f.Add([]byte("KJOB"))
	f.Fuzz(func(t *testing.T, in []byte) {
		var j fleet.Job
		if err := j.UnmarshalBinary(in); err != nil {
			return
		}
		out, err := j.MarshalBinary()
		if err != nil {
			t.Fatalf("a decoded job does not encode: %v", err)
		}
		if !bytes.Equal(in, out) {
			t.Fatalf("a job with two encodings")
		}
	})
}
