package fleet_test

import (
	"context"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/keel-rollup/keel/prover"
	"github.com/keel-rollup/keel/prover/fleet"
	"github.com/keel-rollup/keel/vm"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/rs/zerolog"
	"github.com/stretchr/testify/require"
)

// freePorts returns n TCP ports free on the loopback right now.
func freePorts(t *testing.T, n int) []int {
	var ports []int
	var ls []net.Listener
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	for _, l := range ls {
		l.Close()
	}
	return ports
}

// natsCluster starts three in-process NATS servers forming one JetStream
// cluster, as a user who outgrows one machine would run (`nats-server`
// with a cluster block), each with the same worker user.
func natsCluster(t *testing.T, creds fleet.Creds) []*server.Server {
	client, routes := freePorts(t, 3), freePorts(t, 3)
	var routeURLs []string
	for _, p := range routes {
		routeURLs = append(routeURLs, fmt.Sprintf("nats://127.0.0.1:%d", p))
	}
	var servers []*server.Server
	for i := range 3 {
		opts := &server.Options{
			ServerName: fmt.Sprintf("n%d", i), Host: "127.0.0.1", Port: client[i],
			JetStream: true, StoreDir: t.TempDir(), NoSigs: true,
			Username: creds.User, Password: creds.Password,
			Cluster: server.ClusterOpts{Name: "keel-test", Host: "127.0.0.1", Port: routes[i]},
			Routes:  server.RoutesFromStr(strings.Join(routeURLs, ",")),
		}
		s, err := server.NewServer(opts)
		require.NoError(t, err)
		go s.Start()
		servers = append(servers, s)
	}
	for _, s := range servers {
		require.True(t, s.ReadyForConnections(20*time.Second), "server %s ready", s.Name())
		t.Cleanup(s.Shutdown)
	}
	return servers
}

// TestClusterLosesAServer: against a three-server cluster with streams of
// three replicas, a worker proves a load of jobs; one server is shut down
// in the middle of the load, and every job is still proven, each proof
// verifying against the node's commitment.
func TestClusterLosesAServer(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a NATS cluster and proves real batches; run without -short")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	creds := fleet.Creds{User: "worker", Password: "cluster-test-password"}
	servers := natsCluster(t, creds)
	var urls []string
	for _, s := range servers {
		urls = append(urls, s.ClientURL())
	}
	log := zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.WarnLevel)
	nc, js, err := fleet.Connect(ctx, strings.Join(urls, ","), creds, "node", log)
	require.NoError(t, err)
	defer nc.Close()
	topo := fleet.DefaultTopology()
	topo.Replicas, topo.AckWait = 3, 5*time.Second
	var bucket jetstream.ObjectStore
	// The cluster elects its meta leader after it accepts clients: retry.
	// The cluster elects its JetStream meta leader after it accepts
	// clients; until then API requests go unanswered, so each try has its
	// own deadline.
	require.Eventually(t, func() bool {
		for _, s := range servers {
			if s.JetStreamIsLeader() {
				return true
			}
		}
		return false
	}, time.Minute, 100*time.Millisecond, "a JetStream meta leader")
	var lastErr error
	require.Eventually(t, func() bool {
		try, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		_, bucket, lastErr = fleet.Ensure(try, js, topo)
		if lastErr != nil {
			t.Log(lastErr)
		}
		return lastErr == nil
	}, 2*time.Minute, 500*time.Millisecond, "the topology with 3 replicas")
	keys, keyDir := fleetKeys(t)
	require.NoError(t, fleet.PublishKeys(ctx, bucket, keyDir, keys))

	// A load: the two batches of fleetBatches, each published as two jobs
	// of different ids (the node republishing), four jobs in all.
	batches := fleetBatches(t)
	byNumber := map[uint64]*vm.SealedBatch{}
	for i, sb := range batches {
		byNumber[sb.After.BatchNumber] = sb
		job := &fleet.Job{CircuitHash: keys.Hash, Config: fleetConfig, Batch: sb}
		require.NoError(t, fleet.PublishJob(ctx, js, job))
		require.NoError(t, fleet.RepublishJob(ctx, js, job, uint64(i+1)))
	}
	wnc, wjs, err := fleet.Connect(ctx, strings.Join(urls, ","), creds, "worker", log)
	require.NoError(t, err)
	defer wnc.Close()
	w, err := fleet.NewWorker(fleet.WorkerConfig{Name: "cluster-worker", Concurrency: 1, KeysDir: t.TempDir(), Topology: topo}, wjs, log, nil)
	require.NoError(t, err)
	require.NoError(t, w.Start(ctx))
	defer w.Stop(context.Background())

	// Results are read back from the replicated stream itself, by
	// sequence, so that reading them survives the lost server too.
	resultsStream := func() jetstream.Stream {
		st, err := js.Stream(ctx, fleet.ResultsStream)
		require.NoError(t, err)
		return st
	}
	// streamInfo asks with a deadline of its own: the cluster cannot
	// answer during the leader election after the loss.
	streamInfo := func(name string) (*jetstream.StreamInfo, error) {
		try, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		st, err := js.Stream(try, name)
		if err != nil {
			return nil, err
		}
		return st.Info(try)
	}
	streamMsgs := func(name string) (uint64, bool) {
		info, err := streamInfo(name)
		if err != nil {
			return 0, false
		}
		return info.State.Msgs, true
	}
	require.Eventually(t, func() bool { n, ok := streamMsgs(fleet.ResultsStream); return ok && n >= 1 }, 3*time.Minute, 100*time.Millisecond, "a first proof")
	// One server goes away in the middle of the load: the one that leads
	// the jobs stream, the hardest case.
	info, err := streamInfo(fleet.JobsStream)
	require.NoError(t, err)
	victim := servers[0]
	for _, s := range servers {
		if info.Cluster != nil && info.Cluster.Leader == s.Name() {
			victim = s
		}
	}
	t.Logf("shutting down %s, the jobs stream's leader", victim.Name())
	victim.Shutdown()
	require.Eventually(t, func() bool { n, ok := streamMsgs(fleet.JobsStream); return ok && n == 0 }, 3*time.Minute, 200*time.Millisecond, "every job proven and acked after the loss")
	// Every job is proven: each batch's two jobs give at least one
	// result each (a redelivery across the lost server may add one), and
	// every result read back from the replicated stream verifies.
	n, ok := streamMsgs(fleet.ResultsStream)
	require.True(t, ok)
	require.GreaterOrEqual(t, n, uint64(2*len(batches)), "one result per job")
	st := resultsStream()
	proven := map[uint64]int{}
	for seq := uint64(1); seq <= n; seq++ {
		raw, err := st.GetMsg(ctx, seq)
		require.NoError(t, err)
		var r fleet.Result
		require.NoError(t, r.UnmarshalBinary(raw.Data))
		sb, known := byNumber[r.BatchNumber]
		require.True(t, known, "result %d names batch %d, which was never a job", seq, r.BatchNumber)
		proof, err := prover.ProofFromSolidity(r.Proof, r.BatchNumber, sb.Commitment(fleetConfig.Operator))
		require.NoError(t, err)
		require.NoError(t, prover.Verify(keys.VK, proof), "result %d", seq)
		proven[r.BatchNumber]++
	}
	require.Len(t, proven, len(batches), "every batch proven")
}
