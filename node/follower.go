package node

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/gorilla/websocket"
	"github.com/keel-rollup/keel/bridge"
	"github.com/keel-rollup/keel/client"
	"github.com/keel-rollup/keel/l1view"
	"github.com/keel-rollup/keel/sequencer"
	"github.com/keel-rollup/keel/vm"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/rs/zerolog"
)

// FollowerConfig configures a read-only node that rebuilds the L2 state
// from L1 data alone.
type FollowerConfig struct {
	// DataDir holds the rebuilt state (a pebble state store).
	DataDir string
	// L1RPC is the L1 endpoint; Rollup the contract; FromBlock where it
	// was deployed (reading starts there).
	L1RPC     string
	Rollup    common.Address
	FromBlock uint64
	// RPCAddr serves the read-only keel_ API (HTTP and WebSocket).
	RPCAddr      string
	PollInterval time.Duration
	// Registry receives the follower's metrics; nil makes its own.
	Registry prometheus.Registerer
}

// Follower is a read-only Keel node: it trusts no sequencer, only L1. It
// reads the Rollup's deposits and every committed batch's calldata,
// replays the public data onto its own state store, checks each replay
// against the root L1 recorded, and serves keel_getAccount, keel_getProof,
// keel_getBatch and keel_chainInfo from what it rebuilt.
type Follower struct {
	cfg   FollowerConfig
	log   zerolog.Logger
	l1    interface{ Close() }
	l1c   bridge.L1Client
	store *sequencer.PebbleStore
	srv   *rpc.Server
	http  *http.Server
	addr  net.Addr
	head  prometheus.Gauge
	depth int // the Rollup's, read from the contract at Start

	mu      sync.Mutex
	l       *l1view.L1Rollup // the latest read of L1
	lastErr error
	cancel  context.CancelFunc
	done    chan struct{}
}

var _ interface {
	Start(context.Context) error
	Stop(context.Context) error
} = (*Follower)(nil)

// NewFollower checks cfg; Start connects and begins following.
func NewFollower(cfg FollowerConfig, log zerolog.Logger) (*Follower, error) {
	switch {
	case cfg.DataDir == "":
		return nil, errors.New("node: follower: no data directory (--datadir)")
	case cfg.L1RPC == "" || cfg.Rollup == (common.Address{}):
		return nil, errors.New("node: follower: needs the L1 endpoint (--l1-rpc) and the Rollup address (--rollup)")
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = 2 * time.Second
	}
	if cfg.RPCAddr == "" {
		cfg.RPCAddr = fmt.Sprintf("127.0.0.1:%d", DefaultRPCPort)
	}
	if cfg.Registry == nil {
		cfg.Registry = prometheus.NewRegistry()
	}
	head := prometheus.NewGauge(prometheus.GaugeOpts{Name: "keel_follower_batch", Help: "Last batch replayed from L1."})
	if err := cfg.Registry.Register(head); err != nil {
		return nil, err
	}
	return &Follower{cfg: cfg, log: log.With().Str("component", "follower").Logger(), head: head}, nil
}

// Start opens the store, connects to L1, catches up once (so that a
// started follower answers with L1's state) and keeps following.
func (f *Follower) Start(ctx context.Context) (err error) {
	c, err := bridge.Dial(ctx, f.cfg.L1RPC)
	if err != nil {
		return err
	}
	f.l1, f.l1c = c, c
	defer func() {
		if err != nil { // undo what was opened
			if f.store != nil {
				f.store.Close()
			}
			c.Close()
		}
	}()
	// The rules come from the contract: nobody tells a follower the depth.
	params, err := l1view.ReadParams(ctx, c, f.cfg.Rollup)
	if err != nil {
		return err
	}
	f.depth = params.Config.Depth
	if f.store, err = sequencer.OpenPebbleStore(filepath.Join(f.cfg.DataDir, "state"), f.depth, &sequencer.StoreOptions{Logger: f.log}); err != nil {
		return err
	}
	if err := f.Sync(ctx); err != nil {
		return err
	}
	f.srv = rpc.NewServer()
	f.srv.SetHTTPBodyLimit(DefaultMaxBodyBytes)
	f.srv.SetBatchLimits(DefaultBatchItems, 10<<20)
	if err := f.srv.RegisterName("keel", &FollowerAPI{f: f}); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", f.cfg.RPCAddr)
	if err != nil {
		return fmt.Errorf("node: follower: listen on %s: %w", f.cfg.RPCAddr, err)
	}
	f.addr = ln.Addr()
	ws := f.srv.WebsocketHandler([]string{"*"})
	f.http = &http.Server{ReadHeaderTimeout: 10 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if websocket.IsWebSocketUpgrade(r) {
			ws.ServeHTTP(w, r)
			return
		}
		f.srv.ServeHTTP(w, r)
	})}
	go f.http.Serve(ln)
	loop, cancel := context.WithCancel(context.Background())
	f.cancel, f.done = cancel, make(chan struct{})
	go f.run(loop)
	return nil
}

func (f *Follower) run(ctx context.Context) {
	defer close(f.done)
	t := time.NewTicker(f.cfg.PollInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if err := f.Sync(ctx); err != nil && ctx.Err() == nil {
			if errors.Is(err, vm.ErrReplay) {
				f.log.Error().Err(err).Msg("L1 data does not replay: the follower stopped at the last good batch")
			} else {
				f.log.Warn().Err(err).Msg("L1 unavailable; retrying")
			}
		}
	}
}

// Sync reads L1 and replays the batches committed since the last call.
// After the first call it reads only the blocks since the last one.
func (f *Follower) Sync(ctx context.Context) error {
	f.mu.Lock()
	prev := f.l
	f.mu.Unlock()
	var l *l1view.L1Rollup
	var err error
	if prev == nil {
		l, err = l1view.ReadL1Rollup(ctx, f.l1c, f.cfg.Rollup, f.cfg.FromBlock)
	} else {
		l, err = prev.Extend(ctx, f.l1c)
	}
	if err == nil {
		err = l.Rebuild(f.store, uint64(len(l.Batches)))
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.lastErr = err
	if l != nil {
		f.l = l
	}
	if head, herr := f.store.Head(); herr == nil {
		f.head.Set(float64(head.BatchNumber))
	}
	return err
}

// Stop stops following and serving, and closes the store.
func (f *Follower) Stop(ctx context.Context) error {
	var errs []error
	if f.cancel != nil {
		f.cancel()
		<-f.done
	}
	if f.http != nil {
		errs = append(errs, f.http.Shutdown(ctx))
		f.srv.Stop()
	}
	if f.store != nil {
		errs = append(errs, f.store.Close())
	}
	if f.l1 != nil {
		f.l1.Close()
	}
	return errors.Join(errs...)
}

// RPCEndpoint is the follower's JSON-RPC URL.
func (f *Follower) RPCEndpoint() string { return "http://" + f.addr.String() }

// FollowerAPI is the read-only keel_ namespace a follower serves, from
// state rebuilt from L1: the finalized view.
type FollowerAPI struct{ f *Follower }

func (a *FollowerAPI) rollup() (*l1view.L1Rollup, vm.Meta, error) {
	a.f.mu.Lock()
	l := a.f.l
	a.f.mu.Unlock()
	head, err := a.f.store.Head()
	return l, head, err
}

// GetAccount returns the account at index after the last replayed batch.
func (a *FollowerAPI) GetAccount(index uint32) (*client.Account, error) {
	_, head, err := a.rollup()
	if err != nil {
		return nil, wrapErr(err)
	}
	if uint64(index) >= 1<<uint(a.f.depth) {
		return nil, &rpcError{codeInvalidParams, fmt.Sprintf("account index %d out of range", index)}
	}
	acc, _, err := a.f.store.ReaderAt(head.BatchNumber).Leaf(uint64(index))
	if err != nil {
		return nil, wrapErr(err)
	}
	out := accountJSON(index, acc)
	out.Batch = hexutil.Uint64(head.BatchNumber)
	return &out, nil
}

// GetProof returns a Merkle proof of the account at index under the root
// after batch (the last replayed one when omitted): what an exit needs.
func (a *FollowerAPI) GetProof(index uint32, batch *uint64) (*client.Proof, error) {
	_, head, err := a.rollup()
	if err != nil {
		return nil, wrapErr(err)
	}
	if batch != nil && *batch != head.BatchNumber {
		if *batch > head.BatchNumber {
			return nil, &rpcError{codeInvalidParams, fmt.Sprintf("batch %d is not replayed yet (last: %d)", *batch, head.BatchNumber)}
		}
		if head, err = a.f.store.MetaAt(*batch); err != nil {
			return nil, wrapErr(err)
		}
	}
	if uint64(index) >= 1<<uint(a.f.depth) {
		return nil, &rpcError{codeInvalidParams, fmt.Sprintf("account index %d out of range", index)}
	}
	t, err := vm.NewTree(a.f.depth, a.f.store.ReaderAt(head.BatchNumber))
	if err != nil {
		return nil, wrapErr(err)
	}
	acc, err := t.Get(uint64(index))
	if err != nil {
		return nil, wrapErr(err)
	}
	sibs, err := t.Proof(uint64(index))
	if err != nil {
		return nil, wrapErr(err)
	}
	out := &client.Proof{Index: index, Batch: hexutil.Uint64(head.BatchNumber), Root: elemHash(head.Root), Account: accountJSON(index, acc), Leaf: elemHash(acc.Hash())}
	out.Account.Batch = out.Batch
	for _, s := range sibs {
		out.Siblings = append(out.Siblings, elemHash(s))
	}
	return out, nil
}

// GetBatch returns committed batch number as L1 recorded it.
func (a *FollowerAPI) GetBatch(number uint64) (*client.Batch, error) {
	l, head, err := a.rollup()
	if err != nil || l == nil || number == 0 || number > head.BatchNumber {
		return nil, wrapErr(err)
	}
	b := l.Batches[number-1]
	prev, err := a.f.store.MetaAt(number - 1)
	if err != nil {
		return nil, wrapErr(err)
	}
	after, err := a.f.store.MetaAt(number)
	if err != nil {
		return nil, wrapErr(err)
	}
	h := b.TxHash
	var commitment common.Hash
	b.Commitment.FillBytes(commitment[:])
	return &client.Batch{Number: hexutil.Uint64(number), Status: client.BatchFinalized, PrevRoot: elemHash(prev.Root), Root: elemHash(after.Root),
		Commitment: commitment, PriorityCount: hexutil.Uint64(after.PriorityCount), Transactions: []common.Hash{}, PublicData: b.PublicData,
		Proof: b.Proof, L1TxHash: &h}, nil
}

// ChainInfo describes the followed rollup; head, proven and finalized are
// all the last batch replayed from L1.
func (a *FollowerAPI) ChainInfo() (*client.ChainInfo, error) {
	l, head, err := a.rollup()
	if err != nil || l == nil {
		return nil, wrapErr(err)
	}
	chain, err := a.f.l1c.ChainID(context.Background())
	if err != nil {
		return nil, wrapErr(err)
	}
	n := hexutil.Uint64(head.BatchNumber)
	return &client.ChainInfo{ChainID: hexutil.Uint64(l.Config.ChainID), L1ChainID: hexutil.Uint64(chain.Uint64()), Rollup: a.f.cfg.Rollup,
		Verifier: l.Verifier, Depth: l.Config.Depth, Slots: l.Config.Slots, Operator: l.Config.Operator, MinFee: strconv.Itoa(0),
		Head: n, Proven: n, Finalized: n}, nil
}
