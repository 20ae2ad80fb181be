package node

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/keel-rollup/keel/client"
	"github.com/keel-rollup/keel/prover/fleet"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
)

// The node proves through its prover fleet (package prover/fleet): every
// sealed batch becomes a job on a NATS JetStream work queue, any number of
// workers prove jobs at once (the node's own LocalProvers among them), and
// the collector verifies each proof and hands them to the node in batch
// order, so L1 submission stays strictly in order. The node's sequencer
// database stays the source of truth: at every start it queues again each
// sealed batch that has no proof yet, and JetStream's deduplication keeps
// a job that is still queued from being queued twice.

// FleetConfig configures the prover fleet.
type FleetConfig struct {
	// URL is an external NATS server or cluster (nats:// or tls://). Empty
	// runs the embedded server in the node's process, with JetStream files
	// in <datadir>/nats.
	URL string
	// Creds is the credentials file to connect to URL with (the JSON
	// {"user","password"} the embedded server writes as worker.creds).
	Creds string
	// CA is a CA certificate file to trust for a tls:// URL whose
	// certificate is self-signed.
	CA string
	// Listen is where the embedded server takes workers
	// (fleet.DefaultListen, loopback); "" serves in-process clients only.
	Listen string
	// TLSCert and TLSKey serve the embedded server's listener over TLS;
	// a listener beyond loopback needs them or AllowInsecureRemote.
	TLSCert, TLSKey     string
	AllowInsecureRemote bool
	// Topology is the streams' replica count and the redelivery rules;
	// workers must use the same.
	Topology fleet.Topology
	// LocalProvers is how many proofs the node runs at once itself, as one
	// worker of its own queue; 0 leaves proving to other workers.
	LocalProvers int
}

func (c *FleetConfig) validate() error {
	if c.URL != "" && c.Creds == "" {
		return errors.New("node: an external NATS (--nats-url) needs a credentials file (--nats-creds)")
	}
	if c.URL == "" && (c.Creds != "" || c.CA != "") {
		return errors.New("node: --nats-creds and --nats-ca are for an external NATS (--nats-url); the embedded server writes its own credentials")
	}
	if c.LocalProvers < 0 {
		return fmt.Errorf("node: %d local provers (0 or more)", c.LocalProvers)
	}
	if c.Topology == (fleet.Topology{}) {
		c.Topology = fleet.DefaultTopology()
	}
	if err := c.Topology.Validate(); err != nil {
		return fmt.Errorf("node: %w", err)
	}
	return nil
}

// proverFleet is the node's side of the fleet.
type proverFleet struct {
	js        jetstream.JetStream
	collector *fleet.Collector
	// url is what workers dial (the embedded server's listener, or URL);
	// credsPath the credentials they need ("" for an external NATS, whose
	// operator hands them out).
	url, credsPath string
	// stallAfter is how long the node waits for the lowest unproven
	// batch's proof before it checks that its job is still queued.
	stallAfter time.Duration

	mu         sync.Mutex
	stats      fleet.QueueStats
	statsErr   error
	statsTime  time.Time
	statsFresh time.Duration
}

// startFleet connects to the fleet's NATS (starting the embedded server
// first, unless the config names an external one), creates the topology,
// publishes the proving keys, and starts the collector and the node's own
// provers.
func (n *Node) startFleet(ctx context.Context) error {
	if n.cfg.DisableProver {
		return nil
	}
	fc := n.cfg.Fleet
	log := n.log.With().Str("component", "fleet").Logger()
	f := &proverFleet{stallAfter: 2 * fc.Topology.AckWait, statsFresh: time.Second}
	var connect func(name string) (*nats.Conn, jetstream.JetStream, error)
	if fc.URL == "" {
		srv, err := fleet.NewServer(fleet.ServerConfig{DataDir: n.cfg.DataDir, Listen: fc.Listen,
			TLSCert: fc.TLSCert, TLSKey: fc.TLSKey, AllowInsecureRemote: fc.AllowInsecureRemote}, log)
		if err != nil {
			return err
		}
		if err := srv.Start(ctx); err != nil {
			return err
		}
		n.onStop(srv.Stop)
		connect = srv.ConnectInProcess
		f.url, f.credsPath = srv.ClientURL(), srv.CredsPath()
	} else {
		creds, err := fleet.LoadCreds(fc.Creds)
		if err != nil {
			return err
		}
		var extra []nats.Option
		if fc.CA != "" {
			extra = append(extra, nats.RootCAs(fc.CA))
		}
		connect = func(name string) (*nats.Conn, jetstream.JetStream, error) {
			return fleet.Connect(ctx, fc.URL, creds, name, log, extra...)
		}
		f.url = fc.URL
	}
	nc, js, err := connect("keel-node")
	if err != nil {
		return err
	}
	n.onStop(func(context.Context) error { nc.Close(); return nil })
	f.js = js
	_, bucket, err := fleet.Ensure(ctx, js, fc.Topology)
	if err != nil {
		return err
	}
	if err := fleet.PublishKeys(ctx, bucket, n.cfg.KeysDir, n.keys); err != nil {
		return err
	}
	cm, err := fleet.NewPromCollectorMetrics(n.reg)
	if err != nil {
		return err
	}
	col, err := fleet.NewCollector(fleet.CollectorConfig{Operator: n.vmConfig().Operator, CircuitHash: n.keys.Hash, VK: n.keys.VK,
		Batch: n.seq.SealedBatch, Requeue: func(ctx context.Context, b uint64, rejected uint64, avoid []string) error {
			job, err := n.job(b)
			if err != nil {
				return err
			}
			return fleet.RepublishJob(ctx, js, job, rejected, avoid...)
		}}, js, log, cm)
	if err != nil {
		return err
	}
	_, proven, _ := n.seq.Heads()
	col.Forget(proven)
	if err := col.Start(ctx); err != nil {
		return err
	}
	n.onStop(col.Stop)
	f.collector = col
	n.fleet = f
	if err := n.registerFleetMetrics(); err != nil {
		return err
	}
	if fc.LocalProvers > 0 {
		lnc, ljs, err := connect("keel-node-prover")
		if err != nil {
			return err
		}
		wm, err := fleet.NewPromWorkerMetrics(n.reg)
		if err != nil {
			lnc.Close()
			return err
		}
		w, err := fleet.NewWorker(fleet.WorkerConfig{Name: "node", Concurrency: fc.LocalProvers, KeysDir: n.cfg.KeysDir,
			Topology: fc.Topology, Keys: n.keys}, ljs, n.log, wm)
		if err != nil {
			lnc.Close()
			return err
		}
		if err := w.Start(ctx); err != nil {
			lnc.Close()
			return err
		}
		n.onStop(func(ctx context.Context) error {
			err := w.Stop(ctx)
			lnc.Close()
			return err
		})
	}
	log.Info().Str("nats", f.url).Int("localProvers", fc.LocalProvers).Int("replicas", fc.Topology.Replicas).Msg("prover fleet ready")
	return nil
}

// FleetEndpoint is the NATS URL prover workers dial and the credentials
// file they need; both empty when the node does not prove or its embedded
// server takes in-process clients only.
func (n *Node) FleetEndpoint() (url, creds string) {
	if n.fleet == nil {
		return "", ""
	}
	return n.fleet.url, n.fleet.credsPath
}

// job is batch b's proving job.
func (n *Node) job(b uint64) (*fleet.Job, error) {
	sb, err := n.seq.SealedBatch(b)
	if err != nil {
		return nil, err
	}
	return &fleet.Job{CircuitHash: n.keys.Hash, Config: n.vmConfig(), Batch: sb}, nil
}

// dispatchLoop queues every sealed batch without a proof as a job. It
// starts once the collector has read the proofs published before a
// restart, so that a batch proven then is not proven again.
func (n *Node) dispatchLoop(ctx context.Context) {
	defer n.wg.Done()
	log := n.log.With().Str("component", "fleet").Logger()
	select {
	case <-ctx.Done():
		return
	case <-n.fleet.collector.CaughtUp():
	}
	var next uint64
	for ctx.Err() == nil {
		sealed, proven, _ := n.seq.Heads()
		for next = max(next, proven+1); next <= sealed; next++ {
			if n.fleet.collector.Has(next) {
				continue
			}
			job, err := n.job(next)
			if err == nil {
				err = fleet.PublishJob(ctx, n.fleet.js, job)
			}
			if err != nil {
				if ctx.Err() == nil {
					log.Warn().Err(err).Uint64("batch", next).Msg("queue a proving job; retrying")
				}
				break
			}
			n.m.jobsQueued.Inc()
		}
		if st, err := n.fleet.queueStats(); err == nil {
			n.proversBusy.Store(st.Queued > 0)
		}
		select {
		case <-ctx.Done():
			return
		case <-n.seq.SealedSignal():
		case <-time.After(time.Second):
		}
	}
}

// proofLoop takes the proofs from the collector in batch order and records
// them; the submit loop sends them to L1 in the same order. A batch whose
// proof is long in coming and whose job is no longer queued (dead-lettered,
// or lost by the queue) is queued again.
func (n *Node) proofLoop(ctx context.Context) {
	defer n.wg.Done()
	log := n.log.With().Str("component", "fleet").Logger()
	col := n.fleet.collector
	for ctx.Err() == nil {
		sealed, proven, _ := n.seq.Heads()
		if proven >= sealed {
			select {
			case <-ctx.Done():
				return
			case <-n.seq.SealedSignal():
			case <-time.After(time.Second):
			}
			continue
		}
		b := proven + 1
		wait, cancel := context.WithTimeout(ctx, n.fleet.stallAfter)
		proof, err := col.Proof(wait, b)
		cancel()
		if err != nil {
			if ctx.Err() == nil {
				n.checkStalled(ctx, b)
			}
			continue
		}
		raw, err := proof.SolidityBytes()
		if err == nil {
			err = n.seq.SetProven(b, raw)
		}
		if err != nil {
			log.Error().Err(err).Uint64("batch", b).Msg("record a proof; retrying")
			n.m.proveErrors.Inc()
			sleepCtx(ctx, time.Second)
			continue
		}
		col.Forget(b)
		if sb, err := n.seq.SealedBatch(b); err == nil {
			n.m.provenTxs.Add(float64(len(sb.Txs)))
		}
		log.Info().Uint64("batch", b).Msg("batch proven")
	}
}

// checkStalled queues batch b again if it has neither a proof nor a job.
func (n *Node) checkStalled(ctx context.Context, b uint64) {
	log := n.log.With().Str("component", "fleet").Uint64("batch", b).Logger()
	queued, err := fleet.JobQueued(ctx, n.fleet.js, b)
	if err != nil {
		log.Warn().Err(err).Msg("check a waiting batch's job")
		return
	}
	if queued || n.fleet.collector.Has(b) {
		log.Debug().Dur("waited", n.fleet.stallAfter).Msg("still waiting for a proof")
		return
	}
	job, err := n.job(b)
	if err == nil {
		err = fleet.RequeueStalled(ctx, n.fleet.js, job)
	}
	if err != nil {
		log.Error().Err(err).Msg("requeue a stalled batch")
		return
	}
	n.m.jobsRequeued.Inc()
	log.Warn().Msg("the batch has no proof and no job on the queue (dead-lettered or lost): queued it again")
}

func sleepCtx(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

// queueStats reads the queue's state, at most once a second (metrics
// scrapes and keel_chainInfo calls share it).
func (f *proverFleet) queueStats() (fleet.QueueStats, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if time.Since(f.statsTime) < f.statsFresh {
		return f.stats, f.statsErr
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	f.stats, f.statsErr = fleet.Stats(ctx, f.js)
	f.statsTime = time.Now()
	return f.stats, f.statsErr
}

// registerFleetMetrics exports the queue's state, read when scraped.
func (n *Node) registerFleetMetrics() error {
	f := n.fleet
	for _, g := range []struct {
		name, help string
		v          func(fleet.QueueStats) float64
	}{
		{"keel_fleet_jobs_queued", "Proving jobs waiting for a worker.", func(s fleet.QueueStats) float64 { return float64(s.Queued) }},
		{"keel_fleet_jobs_in_flight", "Proving jobs a worker holds now.", func(s fleet.QueueStats) float64 { return float64(s.InFlight) }},
		{"keel_fleet_jobs_redelivered", "Jobs in flight that were handed out before (a worker died, hung or failed).", func(s fleet.QueueStats) float64 { return float64(s.Redelivered) }},
		{"keel_fleet_dead_letters", "Jobs kept in the dead-letter stream.", func(s fleet.QueueStats) float64 { return float64(s.DeadLetters) }},
	} {
		v := g.v
		if err := n.reg.Register(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: g.name, Help: g.help}, func() float64 {
			s, err := f.queueStats()
			if err != nil {
				return -1
			}
			return v(s)
		})); err != nil {
			return fmt.Errorf("node: register %s: %w", g.name, err)
		}
	}
	return nil
}

// fleetInfo is the fleet part of keel_chainInfo.
func (n *Node) fleetInfo() *client.FleetInfo {
	f := n.fleet
	if f == nil {
		return nil
	}
	info := &client.FleetInfo{NATS: f.url, Creds: f.credsPath, Workers: []client.FleetWorker{}}
	if s, err := f.queueStats(); err != nil {
		info.Error = err.Error()
	} else {
		info.Queued, info.InFlight, info.Redelivered, info.DeadLetters = s.Queued, s.InFlight, s.Redelivered, s.DeadLetters
	}
	for _, w := range f.collector.Roster().Workers() {
		info.Workers = append(info.Workers, client.FleetWorker{Name: w.Name, LastSeen: w.LastSeen.Unix(),
			Concurrency: w.Concurrency, Busy: w.Busy, Proofs: w.Proofs, Rejected: w.Rejected,
			MeanProofSeconds: w.MeanProofTime().Seconds()})
	}
	return info
}
