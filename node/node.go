package node

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/consensys/gnark/constraint"
	gnarklog "github.com/consensys/gnark/logger"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/gorilla/websocket"
	"github.com/keel-rollup/keel/bridge"
	"github.com/keel-rollup/keel/l1contracts"
	"github.com/keel-rollup/keel/l1view"
	"github.com/keel-rollup/keel/node/l1node"
	"github.com/keel-rollup/keel/prover"
	"github.com/keel-rollup/keel/sequencer"
	"github.com/keel-rollup/keel/statechan"
	"github.com/keel-rollup/keel/vm"
	"github.com/keel-rollup/keel/web"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/rs/zerolog"
)

// Node is a whole Keel rollup in one process: the L1 (embedded or
// external), the sequencer, the prover, the bridge (deposit watcher and
// batch submitter) and the JSON-RPC API.
//
//	n, err := node.New(node.DefaultConfig(dir), log)
//	if err := n.Start(ctx); err != nil { ... }
//	defer n.Stop(context.Background())
type Node struct {
	cfg Config
	log zerolog.Logger
	reg *prometheus.Registry

	// chanMetrics serve the channel watchers (WatchChannels).
	chanMetrics *statechan.PromMetrics

	l1       *l1node.Node
	l1client *ethclient.Client
	l1chain  *big.Int
	keys     *prover.Keys
	exitKeys *prover.Keys
	fleet    *proverFleet
	deploy   *Deployment
	// verifyMu serializes keel_verifyBatch, which keeps its read of L1 in
	// l1read and extends it.
	verifyMu  sync.Mutex
	l1read    *l1view.L1Rollup
	operator  *vm.PrivateKey
	seq       *sequencer.Sequencer
	cursor    *bridge.PebbleCursorStore
	watcher   *bridge.Watcher
	submitter *bridge.Submitter
	rpcSrv    *rpc.Server
	httpSrv   *http.Server
	rpcAddr   net.Addr
	metrics   *http.Server
	metAddr   net.Addr
	limiter   *connLimiter
	adminSrv  *http.Server
	adminAddr net.Addr
	m         *nodeMetrics
	l1Time    atomic.Uint64 // the latest L1 head's time, unix seconds
	// proversBusy is set while proving jobs wait for a worker: the
	// sequencer then lets a timed-out batch fill instead of sealing it.
	proversBusy atomic.Bool

	mu      sync.Mutex
	started bool
	stopped bool
	cancel  context.CancelFunc
	wg      sync.WaitGroup
	// undo holds the Stop functions of what Start has started, last first.
	undo []func(context.Context) error
}

// New checks cfg and prepares a node; Start brings it up.
func New(cfg Config, log zerolog.Logger) (*Node, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(cfg.DataDir, 0o755); err != nil {
		return nil, fmt.Errorf("node: data directory: %w", err)
	}
	// gnark logs every compile and proof at debug level through its own
	// global logger; keep its warnings, in the node's format.
	gnarklog.Set(log.With().Str("component", "gnark").Logger().Level(max(log.GetLevel(), zerolog.WarnLevel)))
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return &Node{cfg: cfg, log: log, reg: reg, m: newNodeMetrics(reg)}, nil
}

var _ interface {
	Start(context.Context) error
	Stop(context.Context) error
} = (*Node)(nil)

// Start brings the node up in order (L1, proving keys, contracts,
// sequencer, bridge, prover and submitter loops, RPC, metrics). If a step
// fails, what was started is stopped again and the error says which step.
// The first start of a devnet runs the Groth16 setup, which takes a minute
// or more and logs its progress; ctx bounds it.
func (n *Node) Start(ctx context.Context) (err error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.started {
		return errors.New("node: already started")
	}
	n.started = true
	defer func() {
		if err != nil {
			n.unwind(context.Background())
		}
	}()
	steps := []struct {
		name string
		fn   func(context.Context) error
	}{
		{"start L1", n.startL1},
		{"proving keys", n.loadKeys},
		{"contracts", n.loadDeployment},
		{"sequencer", n.startSequencer},
		{"prover fleet", n.startFleet},
		{"bridge", n.startBridge},
		{"JSON-RPC", n.startRPC},
		{"metrics", n.startMetrics},
		{"admin RPC", n.startAdmin},
		{"channel watchers", n.startWatchers},
	}
	for _, s := range steps {
		if err := s.fn(ctx); err != nil {
			return fmt.Errorf("node: %s: %w", s.name, err)
		}
	}
	loops, cancel := context.WithCancel(context.Background())
	n.cancel = cancel
	n.wg.Add(1)
	go n.submitLoop(loops)
	if n.fleet != nil {
		n.wg.Add(2)
		go n.dispatchLoop(loops)
		go n.proofLoop(loops)
	}
	n.log.Info().Str("rpc", n.RPCEndpoint()).Str("rollup", n.deploy.Rollup.Hex()).Msg("keel node started")
	return nil
}

func (n *Node) onStop(f func(context.Context) error) { n.undo = append(n.undo, f) }

func (n *Node) unwind(ctx context.Context) error {
	var errs []error
	for i := len(n.undo) - 1; i >= 0; i-- {
		errs = append(errs, n.undo[i](ctx))
	}
	n.undo = nil
	return errors.Join(errs...)
}

// Stop drains and stops everything in reverse order: the RPC stops taking
// transactions, the loops finish their current step (a proof in progress
// is waited for unless ctx is done), the sequencer seals its open batch, and
// the databases and the L1 close. A done ctx means hurry: nothing
// acknowledged is lost either way, since the journal replays it.
func (n *Node) Stop(ctx context.Context) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.stopped || !n.started {
		n.stopped = true
		return nil
	}
	n.stopped = true
	var errs []error
	if n.httpSrv != nil {
		sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		errs = append(errs, n.httpSrv.Shutdown(sctx))
		cancel()
		n.rpcSrv.Stop()
		n.httpSrv = nil
	}
	if n.cancel != nil {
		n.cancel()
		done := make(chan struct{})
		go func() { n.wg.Wait(); close(done) }()
		select {
		case <-done:
		case <-ctx.Done():
			n.log.Warn().Msg("not waiting for the prover to finish its proof")
		}
	}
	errs = append(errs, n.unwind(ctx))
	return errors.Join(errs...)
}

func (n *Node) startL1(ctx context.Context) error {
	url := n.cfg.L1RPC
	if n.cfg.Embedded() {
		l1cfg := n.cfg.L1
		if l1cfg.DataDir == "" {
			l1cfg.DataDir = filepath.Join(n.cfg.DataDir, "l1")
		}
		if l1cfg.Metrics == nil {
			m, err := l1node.NewPromMetrics(n.reg)
			if err != nil {
				return err
			}
			l1cfg.Metrics = m
		}
		l1, err := l1node.New(l1cfg, n.log)
		if err != nil {
			return err
		}
		if err := l1.Start(ctx); err != nil {
			return err
		}
		n.l1 = l1
		n.onStop(l1.Stop)
		url = l1.HTTPEndpoint()
		if n.cfg.SequencerKey == nil {
			n.cfg.SequencerKey = l1.DevAccounts()[0].Key
		}
	}
	c, err := bridge.Dial(ctx, url)
	if err != nil {
		return fmt.Errorf("cannot reach the L1 at %s: %w", url, err)
	}
	n.l1client = c
	n.onStop(func(context.Context) error { c.Close(); return nil })
	if n.l1chain, err = c.ChainID(ctx); err != nil {
		return fmt.Errorf("L1 chain id from %s: %w", url, err)
	}
	return n.readL1Time(ctx)
}

// batchLagMargin is how far behind the wall clock a batch timestamp may
// fall: half the Rollup's MAX_TIMESTAMP_LAG, so that a batch commits
// within the other half.
const batchLagMargin = 12 * 60 * 60

// batchTime is the sequencer's source of batch timestamps: the L1 head's
// time, which is never ahead of the block that will carry the commit, and
// never more than batchLagMargin behind the wall clock. An L1 that mines
// only on demand (the devnet's) can sit idle for days, and a batch stamped
// with its head's time would then lag the commit's block by more than the
// Rollup allows; the wall clock less the margin is still behind any block
// mined now.
func (n *Node) batchTime() uint64 {
	return max(n.l1Time.Load(), uint64(time.Now().Unix())-batchLagMargin)
}

// readL1Time records the L1 head's time, the source of batch timestamps
// (see batchTime).
func (n *Node) readL1Time(ctx context.Context) error {
	h, err := n.l1client.HeaderByNumber(ctx, nil)
	if err != nil {
		return fmt.Errorf("L1 head: %w", err)
	}
	n.l1Time.Store(h.Time)
	return nil
}

func (n *Node) vmConfig() vm.Config {
	return vm.Config{ChainID: n.cfg.ChainID, Depth: n.cfg.Depth, Operator: 0, Slots: n.cfg.Slots}
}

func (n *Node) loadKeys(ctx context.Context) error {
	n.log.Info().Int("slots", n.cfg.Slots).Int("depth", n.cfg.Depth).Msg("compiling the batch circuit")
	ccs, err := prover.CompileBatch(n.cfg.Slots, n.cfg.Depth)
	if err != nil {
		return err
	}
	if n.keys, err = n.keysFor(ctx, ccs); err != nil {
		return err
	}
	// The exit circuit's keys: the node never proves exits, but it deploys
	// their verifier, and users' `keel exit` needs the proving key.
	ccs, err = prover.CompileExit(n.cfg.Depth)
	if err != nil {
		return err
	}
	n.exitKeys, err = n.keysFor(ctx, ccs)
	return err
}

// keysFor loads the circuit's keys from KeysDir, or makes dev keys there.
func (n *Node) keysFor(ctx context.Context, ccs constraint.ConstraintSystem) (*prover.Keys, error) {
	if n.cfg.DevKeys {
		return prover.DevKeys(ctx, n.cfg.KeysDir, ccs, n.log)
	}
	k, err := prover.LoadKeys(n.cfg.KeysDir, ccs)
	if errors.Is(err, prover.ErrNoKeys) {
		hint := "put the ceremony's sealed keys (keel ceremony seal --keys-dir) there"
		if n.cfg.Devnet {
			hint += ", or drop --no-dev-keys to let the devnet make dev keys"
		}
		err = fmt.Errorf("%w in %s: %s", err, n.cfg.KeysDir, hint)
	}
	return k, err
}

func (n *Node) loadDeployment(ctx context.Context) error {
	var err error
	if n.operator, err = loadOperatorKey(n.cfg.DataDir); err != nil {
		return err
	}
	d, err := loadDeployment(n.cfg.DataDir)
	if err != nil {
		return err
	}
	if d != nil && n.cfg.Rollup != (common.Address{}) && d.Rollup != n.cfg.Rollup {
		return fmt.Errorf("the data directory %s belongs to the deployment at %s, not %s: use another --datadir", n.cfg.DataDir, d.Rollup, n.cfg.Rollup)
	}
	if d == nil && n.cfg.Rollup == (common.Address{}) && !n.cfg.Devnet {
		return fmt.Errorf("no deployment in %s: run `keel deploy --datadir %s` first, or name an existing Rollup with --rollup", n.cfg.DataDir, n.cfg.DataDir)
	}
	if d == nil && n.cfg.Rollup != (common.Address{}) {
		vh, err := vkHash(n.keys)
		if err != nil {
			return err
		}
		d = &Deployment{Rollup: n.cfg.Rollup, L1ChainID: n.l1chain.Uint64(), ChainID: n.cfg.ChainID, Depth: n.cfg.Depth,
			Slots: n.cfg.Slots, CircuitHash: n.keys.Hash, VKHash: vh, ExitCircuitHash: n.exitKeys.Hash}
		st, err := l1view.ReadExodus(ctx, n.l1client, n.cfg.Rollup)
		if err != nil {
			return fmt.Errorf("the Rollup at %s: %w", n.cfg.Rollup, err)
		}
		d.ExodusDelay = st.Delay
		r := l1contracts.NewRollup()
		if d.ExitVerifier, err = bind.Call(r.Instance(n.l1client, n.cfg.Rollup), &bind.CallOpts{Context: ctx}, r.PackExitVerifier(), r.UnpackExitVerifier); err != nil {
			return fmt.Errorf("the Rollup at %s: read its exit verifier: %w", n.cfg.Rollup, err)
		}
	}
	if d == nil {
		n.log.Info().Msg("deploying the verifier and the Rollup contract")
		if d, err = deploy(ctx, n.l1client, n.cfg.SequencerKey, n.vmConfig(), n.operator.Public(), n.keys, n.exitKeys, n.cfg.ExodusDelay); err != nil {
			return err
		}
		if err := saveDeployment(n.cfg.DataDir, d); err != nil {
			return err
		}
		n.log.Info().Str("rollup", d.Rollup.Hex()).Str("verifier", d.Verifier.Hex()).Uint64("block", d.Block).Msg("contracts deployed")
	} else if err := d.check(n.cfg.ChainID, n.cfg.Depth, n.cfg.Slots, n.keys); err != nil {
		return err
	}
	if d.L1ChainID != n.l1chain.Uint64() {
		return fmt.Errorf("the deployment is on L1 chain %d, the L1 endpoint is chain %d", d.L1ChainID, n.l1chain)
	}
	code, err := n.l1client.CodeAt(ctx, d.Rollup, nil)
	if err != nil {
		return fmt.Errorf("read the Rollup's code: %w", err)
	}
	if len(code) == 0 {
		return fmt.Errorf("no Rollup contract at %s on the L1: the L1 chain was reset; start with a new --datadir", d.Rollup)
	}
	n.deploy = d
	return nil
}

func (n *Node) startSequencer(ctx context.Context) error {
	m, err := sequencer.NewPromMetrics(n.reg)
	if err != nil {
		return err
	}
	seq, err := sequencer.New(sequencer.Config{
		VM: n.vmConfig(), OperatorKey: n.operator.Public(), DataDir: filepath.Join(n.cfg.DataDir, "sequencer"),
		BatchTimeout: n.cfg.BatchTimeout, Mempool: n.cfg.Mempool, BatchTime: n.batchTime, HoldSeal: n.proversBusy.Load,
		Censor: n.cfg.Censor,
	}, n.log, m)
	if err != nil {
		return err
	}
	if err := seq.Start(ctx); err != nil {
		seq.Stop(ctx)
		return err
	}
	n.seq = seq
	n.onStop(seq.Stop)
	// Queue depths, read when scraped: what waits for a batch.
	for _, g := range []struct {
		name, help string
		f          func() float64
	}{
		{"keel_sequencer_pending_txs", "Acknowledged transactions and deposits no sealed batch holds yet.", func() float64 { return float64(seq.PendingCount()) }},
		{"keel_sequencer_mempool_executable", "Pooled transactions that continue their account's nonce run.", func() float64 { return float64(seq.MempoolStats().Executable) }},
		{"keel_sequencer_mempool_future", "Pooled transactions waiting for a nonce gap to fill.", func() float64 { return float64(seq.MempoolStats().Future) }},
		{"keel_sequencer_channel_ops_queued", "Channel closes, disputes, challenges and finalizes waiting for a batch.", func() float64 { return float64(seq.QueuedChannelOps()) }},
	} {
		if err := n.reg.Register(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: g.name, Help: g.help}, g.f)); err != nil {
			return fmt.Errorf("node: register %s: %w", g.name, err)
		}
	}
	return nil
}

func (n *Node) startBridge(ctx context.Context) error {
	cursor, err := bridge.OpenPebbleCursorStore(filepath.Join(n.cfg.DataDir, "bridge"))
	if err != nil {
		return err
	}
	n.cursor = cursor
	n.onStop(func(context.Context) error { return cursor.Close() })
	sink := func(_ context.Context, ds []*bridge.Deposit) error {
		reqs := make([]vm.PriorityRequest, len(ds))
		for i, d := range ds {
			reqs[i] = d.PriorityRequest
		}
		return n.seq.AddDeposits(reqs)
	}
	w, err := bridge.NewWatcher(bridge.WatcherConfig{Rollup: n.deploy.Rollup, Confirmations: n.cfg.L1Confirmations,
		StartBlock: n.deploy.Block, PollInterval: n.cfg.L1PollInterval}, n.l1client, cursor, sink, n.log)
	if err != nil {
		return err
	}
	sub, err := bridge.NewSubmitter(ctx, bridge.SubmitterConfig{Rollup: n.deploy.Rollup, Key: n.cfg.SequencerKey, Confirmations: n.cfg.L1Confirmations}, n.l1client, n.log)
	if err != nil {
		return err
	}
	n.submitter = sub
	if err := w.Start(ctx); err != nil {
		return err
	}
	n.watcher = w
	n.onStop(w.Stop)
	return nil
}

// submitLoop sends proven batches to L1 in order and marks them finalized
// once the Rollup contract has them. After a restart, the contract's batch
// number says what already landed, so nothing is submitted twice.
func (n *Node) submitLoop(ctx context.Context) {
	defer n.wg.Done()
	log := n.log.With().Str("component", "submitter").Logger()
	t := time.NewTicker(n.cfg.L1PollInterval)
	defer t.Stop()
	for {
		if err := n.submitStep(ctx); err != nil && ctx.Err() == nil {
			n.m.submitErrors.Inc()
			if bridge.Classify(err) == bridge.Critical {
				log.Error().Err(err).Msg("L1 submission failed")
			} else {
				log.Warn().Err(err).Msg("L1 unavailable; retrying")
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (n *Node) submitStep(ctx context.Context) error {
	if err := n.readL1Time(ctx); err != nil {
		return err
	}
	_, proven, finalized := n.seq.Heads()
	// Finalized means committed L1Confirmations deep; what to send next
	// depends on the L1 head.
	confirmed, err := n.submitter.ConfirmedBatch(ctx)
	if err != nil {
		return err
	}
	onChain, err := n.submitter.OnChainBatch(ctx)
	if err != nil {
		return err
	}
	for b := finalized + 1; b <= min(confirmed, proven); b++ {
		if err := n.finalize(b, common.Hash{}); err != nil {
			return err
		}
	}
	for b := max(finalized, onChain) + 1; b <= proven; b++ {
		rec, ok, err := n.seq.Batch(b)
		if err != nil || !ok {
			return fmt.Errorf("node: batch %d record: %v", b, err)
		}
		if err := n.submitter.Submit(ctx, bridge.Batch{Number: b, NewRoot: rec.After.Root.BigInt(new(big.Int)),
			PrioConsumed: rec.After.PriorityCount, Timestamp: rec.After.Timestamp, PublicData: rec.PublicData, Proof: rec.Proof}); err != nil {
			return err
		}
		if h, ok := n.submitter.InFlight(b); ok {
			if err := n.seq.SetSubmitted(b, h); err != nil {
				return err
			}
		}
	}
	done, err := n.submitter.Poll(ctx)
	for _, b := range done {
		if ferr := n.finalize(b, common.Hash{}); ferr != nil {
			return ferr
		}
	}
	return err
}

// finalize records batch b, and every batch before it not yet recorded,
// as final on L1: commits land in batch order, so b's being final makes
// the earlier ones final too, and each batch's record (which its
// receipts read) must say so.
func (n *Node) finalize(b uint64, l1tx common.Hash) error {
	_, _, f := n.seq.Heads()
	for next := f + 1; next <= b; next++ {
		tx := common.Hash{}
		if next == b {
			tx = l1tx
		}
		if err := n.seq.SetFinalized(next, tx); err != nil {
			return err
		}
		n.m.finalized.Set(float64(next))
		n.log.Info().Uint64("batch", next).Msg("batch finalized on L1")
	}
	return nil
}

func (n *Node) startRPC(ctx context.Context) error {
	n.limiter = newConnLimiter(n.cfg.RPCRateLimit, n.cfg.RPCRateBurst, n.m.rateLimited)
	srv := rpc.NewServer()
	srv.SetHTTPBodyLimit(n.cfg.MaxBodyBytes)
	srv.SetWebsocketReadLimit(int64(n.cfg.MaxBodyBytes))
	srv.SetBatchLimits(n.cfg.BatchItems, 10<<20)
	if err := srv.RegisterName("keel", &API{n: n}); err != nil {
		return err
	}
	var app http.Handler
	if n.cfg.Explorer {
		app = web.Handler()
	}
	handler := rpcHandler(srv, app)
	ln, err := net.Listen("tcp", n.cfg.RPCAddr)
	if err != nil {
		return fmt.Errorf("listen on %s (is another keel running? set --rpc-addr): %w", n.cfg.RPCAddr, err)
	}
	n.rpcSrv, n.rpcAddr = srv, ln.Addr()
	n.httpSrv = &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	go n.httpSrv.Serve(ln)
	return nil
}

// rpcHandler serves JSON-RPC over HTTP and WebSocket on one port and,
// when app is not nil, the web app to a browser's GETs (JSON-RPC is POST).
func rpcHandler(srv *rpc.Server, app http.Handler) http.Handler {
	ws := srv.WebsocketHandler([]string{"*"})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case websocket.IsWebSocketUpgrade(r):
			ws.ServeHTTP(w, r)
		case app != nil && (r.Method == http.MethodGet || r.Method == http.MethodHead):
			app.ServeHTTP(w, r)
		default:
			srv.ServeHTTP(w, r)
		}
	})
}

func (n *Node) startMetrics(ctx context.Context) error {
	if n.cfg.MetricsAddr == "" {
		return nil
	}
	ln, err := net.Listen("tcp", n.cfg.MetricsAddr)
	if err != nil {
		return fmt.Errorf("listen on %s (set --metrics-addr, or empty to turn metrics off): %w", n.cfg.MetricsAddr, err)
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(n.reg, promhttp.HandlerOpts{}))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	n.metrics, n.metAddr = srv, ln.Addr()
	go srv.Serve(ln)
	n.onStop(func(ctx context.Context) error { return srv.Close() })
	return nil
}

// RPCEndpoint is the JSON-RPC URL (HTTP; the same port takes WebSocket).
func (n *Node) RPCEndpoint() string {
	if n.rpcAddr == nil {
		return ""
	}
	return "http://" + n.rpcAddr.String()
}

// WSEndpoint is the JSON-RPC WebSocket URL.
func (n *Node) WSEndpoint() string {
	if n.rpcAddr == nil {
		return ""
	}
	return "ws://" + n.rpcAddr.String()
}

// MetricsEndpoint is the Prometheus URL, or "" when metrics are off.
func (n *Node) MetricsEndpoint() string {
	if n.metAddr == nil {
		return ""
	}
	return "http://" + n.metAddr.String() + "/metrics"
}

// L1Endpoint is the L1 JSON-RPC URL the node uses.
func (n *Node) L1Endpoint() string {
	if n.l1 != nil {
		return n.l1.HTTPEndpoint()
	}
	return n.cfg.L1RPC
}

// L1 returns the embedded L1 node, or nil.
func (n *Node) L1() *l1node.Node { return n.l1 }

// L1Client returns the node's L1 client.
func (n *Node) L1Client() *ethclient.Client { return n.l1client }

// Sequencer returns the node's sequencer.
func (n *Node) Sequencer() *sequencer.Sequencer { return n.seq }

// Deployment returns the contracts the node uses.
func (n *Node) Deployment() Deployment { return *n.deploy }

// Registry is the node's Prometheus registry.
func (n *Node) Registry() *prometheus.Registry { return n.reg }

// WriteBanner prints the endpoints, the contracts and, for the embedded L1,
// the funded dev accounts.
func (n *Node) WriteBanner(w io.Writer) error {
	if n.cfg.Devnet {
		fmt.Fprintf(w, "\nKeel devnet\n")
	} else {
		fmt.Fprintf(w, "\nKeel node\n")
	}
	fmt.Fprintf(w, "  L2 JSON-RPC   %s  (WebSocket: %s)\n", n.RPCEndpoint(), n.WSEndpoint())
	if e := n.MetricsEndpoint(); e != "" {
		fmt.Fprintf(w, "  metrics       %s\n", e)
	}
	if e := n.AdminEndpoint(); e != "" {
		fmt.Fprintf(w, "  admin RPC     %s  (JWT secret: %s)\n", e, n.cfg.AdminJWTSecret)
	}
	if f := n.fleet; f != nil {
		switch {
		case f.credsPath != "" && f.url != "":
			fmt.Fprintf(w, "  prover fleet  %s  (worker credentials: %s)\n", f.url, f.credsPath)
		case f.url != "":
			fmt.Fprintf(w, "  prover fleet  %s\n", f.url)
		default:
			fmt.Fprintf(w, "  prover fleet  in-process only (--nats-listen is empty)\n")
		}
	}
	fmt.Fprintf(w, "  L2 chain id   %d   depth %d, %d slots a batch\n", n.cfg.ChainID, n.cfg.Depth, n.cfg.Slots)
	fmt.Fprintf(w, "  Rollup        %s\n  Verifier      %s\n  vk hash       %s\n", n.deploy.Rollup, n.deploy.Verifier, n.deploy.VKHash)
	fmt.Fprintf(w, "  data dir      %s\n", n.cfg.DataDir)
	if n.l1 != nil {
		return n.l1.WriteBanner(w)
	}
	fmt.Fprintf(w, "  L1            %s (chain %d)\n", n.cfg.L1RPC, n.l1chain)
	return nil
}

type nodeMetrics struct {
	jobsQueued   prometheus.Counter
	jobsRequeued prometheus.Counter
	provenTxs    prometheus.Counter
	proveErrors  prometheus.Counter
	submitErrors prometheus.Counter
	finalized    prometheus.Gauge
	rateLimited  prometheus.Counter
}

func newNodeMetrics(reg prometheus.Registerer) *nodeMetrics {
	m := &nodeMetrics{
		jobsQueued:   prometheus.NewCounter(prometheus.CounterOpts{Name: "keel_fleet_jobs_published_total", Help: "Sealed batches queued as proving jobs (again after a restart, deduplicated by the queue)."}),
		jobsRequeued: prometheus.NewCounter(prometheus.CounterOpts{Name: "keel_fleet_jobs_requeued_stalled_total", Help: "Batches queued again because they had neither a proof nor a job (dead-lettered or lost)."}),
		provenTxs:    prometheus.NewCounter(prometheus.CounterOpts{Name: "keel_prover_txs_total", Help: "Transactions proven."}),
		proveErrors:  prometheus.NewCounter(prometheus.CounterOpts{Name: "keel_prover_errors_total", Help: "Failed attempts to record a proof."}),
		submitErrors: prometheus.NewCounter(prometheus.CounterOpts{Name: "keel_l1_submit_errors_total", Help: "Failed L1 submission rounds (L1 unreachable, reverts)."}),
		finalized:    prometheus.NewGauge(prometheus.GaugeOpts{Name: "keel_batch_finalized", Help: "Last batch finalized on L1."}),
		rateLimited:  prometheus.NewCounter(prometheus.CounterOpts{Name: "keel_rpc_rate_limited_total", Help: "JSON-RPC calls refused by the per-connection rate limit."}),
	}
	reg.MustRegister(m.jobsQueued, m.jobsRequeued, m.provenTxs, m.proveErrors, m.submitErrors, m.finalized, m.rateLimited)
	return m
}

// Keys returns the proving and verifying keys the node uses.
func (n *Node) Keys() *prover.Keys { return n.keys }

// ExitKeys returns the exit circuit's keys, whose verifier the Rollup uses.
func (n *Node) ExitKeys() *prover.Keys { return n.exitKeys }
