package l1node

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"net"
	"strconv"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/rawdb"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/eth"
	"github.com/ethereum/go-ethereum/eth/catalyst"
	"github.com/ethereum/go-ethereum/eth/ethconfig"
	"github.com/ethereum/go-ethereum/eth/filters"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/event"
	"github.com/ethereum/go-ethereum/node"
	"github.com/ethereum/go-ethereum/p2p"
	"github.com/ethereum/go-ethereum/params"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/rs/zerolog"
)

const (
	// gethName names the instance directory inside DataDir. "geth" gives
	// geth's own layout, so geth's tools open the chain, and keeps the
	// layout from depending on the name of the running binary, which
	// go-ethereum uses when the name is empty.
	gethName = "geth"
	// rpcHost is the only interface the RPC listens on.
	rpcHost = "127.0.0.1"
)

// rpcModules are the namespaces served over HTTP and WebSocket: enough for
// wallets, abigen bindings, curl and the mempool view. Not "dev" or
// "testing", which let any caller change how blocks are built.
var rpcModules = []string{"eth", "net", "web3", "txpool"}

// feeRecipient receives the priority fees of every block: the zero
// address, as on anvil. It is no dev account, so dev balances move only by
// their own transactions.
var feeRecipient = common.Address{}

// Node is the embedded L1: a go-ethereum node in dev mode, in this process.
// It may be started again after Stop; each start opens the data dir anew
// and continues the chain stored there.
type Node struct {
	cfg      Config
	log      zerolog.Logger
	metrics  Metrics
	accounts []DevAccount

	mu   sync.Mutex // serialises Start and Stop, guards inst
	inst *instance  // nil unless running
}

// instance is one run of the node, from Start to Stop.
type instance struct {
	stack    *node.Node
	backend  *eth.Ethereum
	detach   func()             // unhooks geth's root logger
	headSub  event.Subscription // feeds the head watcher
	headDone chan struct{}      // closed when the head watcher returns
}

var _ interface {
	Start(context.Context) error
	Stop(context.Context) error
} = (*Node)(nil)

// New checks cfg and returns a node that is not yet running. It derives
// the dev accounts but opens nothing; Start does that.
func New(cfg Config, log zerolog.Logger) (*Node, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg.AllowedOrigins = append([]string(nil), cfg.AllowedOrigins...)
	m := cfg.Metrics
	if m == nil {
		m = NoopMetrics{}
	}
	return &Node{
		cfg:      cfg,
		log:      log.With().Str("component", "l1node").Logger(),
		metrics:  m,
		accounts: DeriveDevAccounts(cfg.NumDevAccounts),
	}, nil
}

// Start opens the data dir, creates or continues the dev chain, and starts
// the RPC servers and the block producer. ctx bounds only the start; a
// running node stops with Stop.
func (n *Node) Start(ctx context.Context) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.inst != nil {
		return ErrStarted
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("l1node: start: %w", err)
	}
	inst, err := n.open()
	if err != nil {
		return err
	}
	n.inst = inst
	head := inst.backend.BlockChain().CurrentBlock()
	n.log.Info().
		Str("http", inst.stack.HTTPEndpoint()).
		Str("ws", inst.stack.WSEndpoint()).
		Uint64("chain_id", n.cfg.ChainID).
		Uint64("head", head.Number.Uint64()).
		Str("data_dir", n.cfg.DataDir).
		Msg("embedded L1 started")
	return nil
}

// open runs the init steps of geth --dev, in order, and undoes them if one fails.
func (n *Node) open() (*instance, error) {
	// A taken port must fail here, before eth.New: once the eth service
	// exists, a failed stack.Start leaves it running unstopped (go-ethereum
	// stops only services that started), holding the data dir's state
	// freezer lock, and the next Start on that dir exits the process.
	if err := checkPorts(n.cfg.HTTPPort, n.cfg.WSPort); err != nil {
		return nil, err
	}
	gethLog := n.log.With().Str("src", "geth").Logger()
	detach := attachGethLogs(&gethLog)

	stackCfg := node.DefaultConfig
	stackCfg.Name = gethName
	stackCfg.DataDir = n.cfg.DataDir
	stackCfg.IPCPath = ""
	stackCfg.HTTPHost, stackCfg.HTTPPort = rpcHost, n.cfg.HTTPPort
	stackCfg.HTTPModules, stackCfg.HTTPCors = rpcModules, n.cfg.AllowedOrigins
	stackCfg.WSHost, stackCfg.WSPort = rpcHost, n.cfg.WSPort
	stackCfg.WSModules, stackCfg.WSOrigins = rpcModules, n.cfg.AllowedOrigins
	stackCfg.AuthPort = 0 // no engine API is registered; never claim geth's 8551
	stackCfg.P2P = p2p.Config{
		MaxPeers:    0,
		ListenAddr:  "",
		NoDial:      true,
		NoDiscovery: true,
		DiscoveryV4: false,
		DiscoveryV5: false,
	}
	stackCfg.UseLightweightKDF = true
	stackCfg.Logger = newGethLogger(&gethLog)
	stack, err := node.New(&stackCfg)
	if err != nil {
		detach()
		if errors.Is(err, node.ErrDatadirUsed) {
			return nil, fmt.Errorf("%w: %s (stop the other node or use another data dir)", ErrDataDirInUse, n.cfg.DataDir)
		}
		return nil, fmt.Errorf("l1node: init node: %w", err)
	}
	// Until stack.Start succeeds, a failure closes the stack. A stack that
	// never started does not stop its services (go-ethereum's behaviour), so
	// once the eth service exists, abandon starts the stack to stop it.
	fail := func(err error) (*instance, error) {
		if cerr := stack.Close(); cerr != nil && !errors.Is(cerr, node.ErrNodeStopped) {
			err = errors.Join(err, fmt.Errorf("l1node: close node: %w", cerr))
		}
		detach()
		return nil, err
	}
	abandon := func(err error) (*instance, error) {
		if serr := stack.Start(); serr != nil {
			err = errors.Join(err, fmt.Errorf("l1node: start node to stop it: %w", serr))
		}
		return fail(err)
	}

	genesis, err := n.genesis(stack)
	if err != nil {
		return fail(err)
	}
	ethCfg := ethconfig.Defaults
	ethCfg.Genesis = genesis // nil: continue the chain in DataDir
	ethCfg.NetworkId = n.cfg.ChainID
	ethCfg.SyncMode = ethconfig.FullSync
	ethCfg.Miner.GasCeil = n.cfg.GasLimit
	ethCfg.Miner.GasPrice = big.NewInt(1) // a 1 wei tip suffices, as in geth --dev
	ethCfg.Miner.PendingFeeRecipient = feeRecipient
	// A dev chain is small: mainnet-sized caches (gigabytes) only cost memory.
	ethCfg.DatabaseCache = 64
	ethCfg.TrieCleanCache = 32
	ethCfg.TrieDirtyCache = 32
	ethCfg.SnapshotCache = 16
	backend, err := eth.New(stack, &ethCfg)
	if err != nil {
		return fail(fmt.Errorf("l1node: init eth service: %w", err))
	}
	// eth_getLogs, eth_newFilter and eth_subscribe("logs"/"newHeads") live
	// in the filter API, which eth.New does not register.
	filterSystem := filters.NewFilterSystem(backend.APIBackend, filters.Config{
		LogCacheSize:  ethCfg.FilterLogCacheSize,
		LogQueryLimit: ethCfg.LogQueryLimit,
		RangeLimit:    ethCfg.RangeLimit,
	})
	stack.RegisterAPIs([]rpc.API{{Namespace: "eth", Service: filters.NewFilterAPI(filterSystem)}})

	// The simulated beacon plays the consensus client. With period 0 the
	// mine-on-demand loop lives in the API object that
	// RegisterSimulatedBeaconAPIs makes, not in the beacon's own Start.
	sb, err := catalyst.NewSimulatedBeacon(uint64(n.cfg.BlockPeriod/time.Second), feeRecipient, backend)
	if err != nil {
		return abandon(fmt.Errorf("l1node: init simulated beacon: %w", err))
	}
	catalyst.RegisterSimulatedBeaconAPIs(stack, sb)
	stack.RegisterLifecycle(sb)

	if err := stack.Start(); err != nil {
		// stack.Start closed the stack and stopped what it had started; the
		// beacon, started last, was not, but its API loop already runs. If
		// eth did not start either (a port taken since checkPorts), its
		// goroutines and locks stay: the data dir is unusable until exit.
		_ = sb.Stop()
		detach()
		return nil, fmt.Errorf("l1node: start node (HTTP port %d, WS port %d); restart the process before using %s again: %w",
			n.cfg.HTTPPort, n.cfg.WSPort, n.cfg.DataDir, err)
	}

	inst := &instance{stack: stack, backend: backend, detach: detach, headDone: make(chan struct{})}
	heads := make(chan core.ChainHeadEvent, 16)
	inst.headSub = backend.BlockChain().SubscribeChainHeadEvent(heads)
	n.metrics.Head(backend.BlockChain().CurrentBlock().Number.Uint64(), 0)
	go n.watchHeads(inst, heads)
	return inst, nil
}

// checkPorts fails with ErrPortInUse when a fixed port cannot be bound
// on rpcHost. Port 0 always binds.
func checkPorts(ports ...int) error {
	for i, port := range ports {
		if port == 0 {
			continue
		}
		l, err := net.Listen("tcp", net.JoinHostPort(rpcHost, strconv.Itoa(port)))
		if err != nil {
			what := [...]string{"HTTPPort", "WSPort"}[i]
			return fmt.Errorf("%w: %s %d on %s: %v (is another node or anvil running? pick another port, or 0 for any free one)",
				ErrPortInUse, what, port, rpcHost, err)
		}
		l.Close()
	}
	return nil
}

// watchHeads feeds the metrics until the subscription ends.
func (n *Node) watchHeads(inst *instance, heads <-chan core.ChainHeadEvent) {
	defer close(inst.headDone)
	for {
		select {
		case ev := <-heads:
			n.metrics.Head(ev.Header.Number.Uint64(), ev.Header.GasUsed)
			n.log.Debug().Uint64("number", ev.Header.Number.Uint64()).Uint64("gas_used", ev.Header.GasUsed).Msg("new L1 head")
		case <-inst.headSub.Err():
			return
		}
	}
}

// genesis returns the dev genesis for a new chain, or nil when DataDir
// already holds a chain, which then continues. Reusing the stored genesis
// keeps a restart working when a setting that only shapes block 0 changed
// (GasLimit: the miner moves the block limit toward the new value by 1/1024
// per block, so over several hundred blocks). What the chain cannot absorb, a changed chain id or
// an unfunded dev account, is ErrGenesisMismatch.
func (n *Node) genesis(stack *node.Node) (*core.Genesis, error) {
	if rawdb.PreexistingDatabase(stack.ResolvePath("chaindata")) == "" {
		return n.devGenesis(), nil
	}
	db, err := stack.OpenDatabaseWithOptions("chaindata", node.DatabaseOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("l1node: open chain database: %w", err)
	}
	defer db.Close()
	if rawdb.ReadCanonicalHash(db, 0) == (common.Hash{}) {
		return n.devGenesis(), nil // a database without a chain: start one
	}
	stored, err := core.ReadGenesis(db)
	if err != nil {
		return nil, fmt.Errorf("l1node: read stored genesis: %w", err)
	}
	if got := stored.Config.ChainID; got == nil || got.Cmp(new(big.Int).SetUint64(n.cfg.ChainID)) != 0 {
		return nil, fmt.Errorf("%w: %s has chain id %v, config says %d", ErrGenesisMismatch, n.cfg.DataDir, got, n.cfg.ChainID)
	}
	for i, a := range n.accounts {
		if _, ok := stored.Alloc[a.Address]; !ok {
			return nil, fmt.Errorf("%w: dev account %d (%s) is not in the stored genesis; the chain in %s was made with NumDevAccounts=%d or fewer",
				ErrGenesisMismatch, i, a.Address, n.cfg.DataDir, i)
		}
	}
	if stored.GasLimit != n.cfg.GasLimit {
		n.log.Info().Uint64("genesis_gas_limit", stored.GasLimit).Uint64("gas_limit", n.cfg.GasLimit).
			Msg("gas limit differs from the stored genesis; blocks move to the new limit gradually")
	}
	return nil, nil
}

// devGenesis is core.DeveloperGenesisBlock (precompiles and system
// contracts funded, every fork through Osaka on from block 0) with Keel's
// chain id and every dev account funded alike. The faucet argument is nil
// because geth would give the faucet 2^256-9 wei, a balance wallets show
// as nonsense and that hides fee accounting in tests.
func (n *Node) devGenesis() *core.Genesis {
	g := core.DeveloperGenesisBlock(n.cfg.GasLimit, nil)
	g.Config.ChainID = new(big.Int).SetUint64(n.cfg.ChainID)
	for _, a := range n.accounts {
		g.Alloc[a.Address] = types.Account{Balance: n.devBalance()}
	}
	return g
}

func (n *Node) devBalance() *big.Int {
	return new(big.Int).Mul(new(big.Int).SetUint64(n.cfg.DevBalanceEther), big.NewInt(params.Ether))
}

// Stop stops the node and closes the data dir. It waits for go-ethereum
// to write its state to disk even when ctx is cancelled: a half-closed
// chain database would cost blocks on the next start. Stop is idempotent.
func (n *Node) Stop(ctx context.Context) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	inst := n.inst
	if inst == nil {
		return nil
	}
	n.inst = nil
	var errs []error
	if err := inst.stack.Close(); err != nil && !errors.Is(err, node.ErrNodeStopped) {
		errs = append(errs, fmt.Errorf("l1node: close node: %w", err))
	}
	inst.headSub.Unsubscribe()
	<-inst.headDone
	inst.detach()
	if ctx.Err() != nil {
		n.log.Warn().Msg("stop deadline passed; waited for the chain database to close anyway")
	}
	n.log.Info().Msg("embedded L1 stopped")
	return errors.Join(errs...)
}

// running returns the current instance or ErrNotRunning.
func (n *Node) running() (*instance, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.inst == nil {
		return nil, ErrNotRunning
	}
	return n.inst, nil
}

// HTTPEndpoint is the JSON-RPC URL over HTTP, such as
// "http://127.0.0.1:8545", or "" when the node is not running.
func (n *Node) HTTPEndpoint() string {
	inst, err := n.running()
	if err != nil {
		return ""
	}
	return inst.stack.HTTPEndpoint()
}

// WSEndpoint is the JSON-RPC URL over WebSocket, such as
// "ws://127.0.0.1:8546", or "" when the node is not running.
func (n *Node) WSEndpoint() string {
	inst, err := n.running()
	if err != nil {
		return ""
	}
	return inst.stack.WSEndpoint()
}

// ChainID is the dev chain's id.
func (n *Node) ChainID() *big.Int { return new(big.Int).SetUint64(n.cfg.ChainID) }

// DevAccounts returns the pre-funded dev accounts, account 0 first.
func (n *Node) DevAccounts() []DevAccount { return append([]DevAccount(nil), n.accounts...) }

// DevBalance is each dev account's genesis balance in wei.
func (n *Node) DevBalance() *big.Int { return n.devBalance() }

// Client returns an in-process client of the running node: no sockets,
// subscriptions included. The caller closes it; it stops working when the
// node stops. Other processes use HTTPEndpoint or WSEndpoint.
func (n *Node) Client() (*ethclient.Client, error) {
	inst, err := n.running()
	if err != nil {
		return nil, err
	}
	return ethclient.NewClient(inst.stack.Attach()), nil
}
