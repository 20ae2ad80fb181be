package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/keel-rollup/keel/prover"
	"github.com/keel-rollup/keel/prover/fleet"
	"github.com/keel-rollup/keel/vm"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/rs/zerolog"
	"github.com/stretchr/testify/require"
)

// TestProverWorkerKilled: `keel prover` processes work for an embedded
// fleet server. A worker killed with SIGKILL in the middle of a job stops
// its heartbeats; after the ack wait the job goes to a second worker,
// whose proof verifies against the node's own commitment, and the job
// leaves the queue. A worker with the wrong credentials is refused.
func TestProverWorkerKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("runs processes and proofs; run without -short")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	dir := t.TempDir()
	logs := processLogs(t, dir)

	scfg := fleet.DefaultServerConfig(filepath.Join(dir, "node"))
	scfg.Listen = "127.0.0.1:0"
	srv, err := fleet.NewServer(scfg, zerolog.Nop())
	require.NoError(t, err)
	require.NoError(t, srv.Start(ctx))
	defer srv.Stop(context.Background())
	nc, js, err := srv.ConnectInProcess("test-node")
	require.NoError(t, err)
	defer nc.Close()
	topo := fleet.DefaultTopology()
	topo.AckWait = 3 * time.Second
	cons, bucket, err := fleet.Ensure(ctx, js, topo)
	require.NoError(t, err)

	// The node's keys (a 2-slot, depth-4 circuit) go to the bucket.
	cfg := vm.Config{ChainID: 9, Depth: 4, Operator: 0, Slots: 2}
	ccs, err := prover.CompileBatch(cfg.Slots, cfg.Depth)
	require.NoError(t, err)
	require.NoError(t, os.MkdirAll(testKeysDir, 0o755))
	keys, err := prover.DevKeys(ctx, testKeysDir, ccs, zerolog.Nop())
	require.NoError(t, err)
	require.NoError(t, fleet.PublishKeys(ctx, bucket, testKeysDir, keys))

	// A batch of two deposits.
	store := vm.NewMemStore(cfg.Depth)
	var txs []vm.Tx
	for i, name := range []string{"prover op", "prover alice"} {
		seed := sha256.Sum256([]byte(name))
		k, err := vm.PrivateKeyFromSeed(bytes.NewReader(seed[:]))
		require.NoError(t, err)
		txs = append(txs, vm.Tx{Type: vm.TxDeposit, ChainID: cfg.ChainID, PriorityID: uint64(i), To: uint32(i), PubKey: k.Public(), Amount: 100})
	}
	head, err := store.Head()
	require.NoError(t, err)
	sb, rejected, err := vm.ExecuteAt(cfg, store.ReaderAt(0), head, 1, txs)
	require.NoError(t, err)
	for _, r := range rejected {
		require.NoError(t, r)
	}

	workerArgs := func(name string) []string {
		return []string{"prover", "--json", "--nats-url", srv.ClientURL(), "--creds", srv.CredsPath(),
			"--keys-dir", filepath.Join(dir, name+"-keys"), "--name", name, "--log-level", "info"}
	}
	// Refused: the right URL, another password.
	bad := filepath.Join(dir, "bad.creds")
	require.NoError(t, os.WriteFile(bad, []byte(`{"user": "worker", "password": "wrong"}`), 0o600))
	_, err = keelErr(ctx, "prover", "--nats-url", srv.ClientURL(), "--creds", bad, "--keys-dir", filepath.Join(dir, "bad-keys"))
	require.ErrorIs(t, err, fleet.ErrUnauthorized, "a worker with the wrong password")
	_, err = keelErr(ctx, "prover", "--nats-url", srv.ClientURL(), "--creds", filepath.Join(dir, "missing.creds"), "--keys-dir", filepath.Join(dir, "bad-keys"))
	require.ErrorIs(t, err, fleet.ErrCredsMissing, "a worker without credentials")

	first := spawn(t, logs, workerArgs("first")...)
	defer first.kill()
	require.Equal(t, "first", first.info["name"])
	require.NoError(t, fleet.PublishJob(ctx, js, &fleet.Job{CircuitHash: keys.Hash, Config: cfg, Batch: sb}))
	// As soon as the first worker holds the job, it dies.
	require.Eventually(t, func() bool {
		info, err := cons.Info(ctx)
		return err == nil && info.NumAckPending == 1
	}, time.Minute, 10*time.Millisecond, "the first worker takes the job")
	first.kill()

	second := spawn(t, logs, workerArgs("second")...)
	defer second.kill()
	results, err := js.OrderedConsumer(ctx, fleet.ResultsStream, jetstream.OrderedConsumerConfig{})
	require.NoError(t, err)
	msg, err := results.Next(jetstream.FetchMaxWait(3 * time.Minute))
	require.NoError(t, err)
	var r fleet.Result
	require.NoError(t, r.UnmarshalBinary(msg.Data()))
	require.Equal(t, "second", r.Worker, "the killed worker published nothing")
	require.Equal(t, sb.After.BatchNumber, r.BatchNumber)
	proof, err := prover.ProofFromSolidity(r.Proof, r.BatchNumber, sb.Commitment(cfg.Operator))
	require.NoError(t, err)
	require.NoError(t, prover.Verify(keys.VK, proof))

	info, err := cons.Info(ctx)
	require.NoError(t, err)
	require.GreaterOrEqual(t, info.Delivered.Consumer, uint64(2), "the job was delivered twice")
	require.Eventually(t, func() bool {
		s, err := js.Stream(ctx, fleet.JobsStream)
		if err != nil {
			return false
		}
		si, err := s.Info(ctx)
		return err == nil && si.State.Msgs == 0
	}, 30*time.Second, 50*time.Millisecond, "the proven job leaves the queue")
}
