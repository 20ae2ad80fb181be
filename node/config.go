package node

import (
	"crypto/ecdsa"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/keel-rollup/keel/node/l1node"
	"github.com/keel-rollup/keel/prover/fleet"
	"github.com/keel-rollup/keel/sequencer"
	"github.com/keel-rollup/keel/vm"
)

// Defaults of a devnet.
const (
	DefaultChainID     = 7777
	DefaultRPCPort     = 9545
	DefaultMetricsPort = 9546
	DefaultSlots       = 8
	// DefaultMaxBodyBytes bounds one HTTP request or WebSocket message. A
	// transaction is at most about 500 bytes of JSON (a channel operation
	// with large values), so a keel_sendTransactions call of the most,
	// sequencer.MaxSendBatch (256), fits with room for the envelope.
	DefaultMaxBodyBytes = 256 << 10
	// DefaultBatchItems bounds the requests in one JSON-RPC batch.
	DefaultBatchItems = 100
	// DefaultRPCRateLimit and DefaultRPCRateBurst bound the calls of one
	// connection: well above what one wallet needs, and a quarter of the
	// node's measured ingest, so one connection cannot take it all.
	DefaultRPCRateLimit = 1000
	DefaultRPCRateBurst = 2000
	// DefaultExodusDelay is 7,200 L1 blocks: a day at 12 s a block.
	DefaultExodusDelay = 7200
)

// Config configures a Node. Build one with DefaultConfig (a devnet) or
// ProductionConfig (keel node).
type Config struct {
	// Devnet allows what only a devnet may do: run the embedded L1, make
	// dev proving keys (with known toxic waste), deploy the contracts on
	// the first start, and say "devnet". A production node does none of
	// these: it needs an external L1, the ceremony's keys, and a
	// deployment (keel deploy, or an existing Rollup named by Rollup).
	Devnet bool

	// DataDir holds everything: the embedded L1's chain (l1/), the
	// sequencer's databases (sequencer/), the bridge cursor (bridge/),
	// proving keys (keys/) and the deployment (deployment.json).
	DataDir string

	// L1RPC is an external Ethereum JSON-RPC endpoint. Empty runs the
	// embedded go-ethereum dev node configured by L1.
	L1RPC string
	// L1 configures the embedded L1 node.
	L1 l1node.Config
	// L1Confirmations is how deep an L1 block must be before the node acts
	// on it: deposits are credited, and a batch's commit counts as
	// finalized, only that many blocks below the head. The embedded dev
	// chain has no reorgs; a public chain wants more.
	L1Confirmations uint64
	// L1PollInterval is how often the bridge reads the L1.
	L1PollInterval time.Duration

	// SequencerKey is the L1 key that submits batches (and, when the node
	// deploys the contracts, owns them). With the embedded L1 it defaults
	// to the first dev account.
	SequencerKey *ecdsa.PrivateKey
	// ExodusDelay is, for a Rollup the node deploys, how many L1 blocks a
	// priority request may wait before anyone can switch the contract into
	// exodus mode (DefaultExodusDelay: about a day of mainnet blocks).
	ExodusDelay uint64
	// Rollup is the deployed Rollup contract. Zero means: deploy it (and
	// the verifier) with SequencerKey on the first start, and remember it
	// in deployment.json.
	Rollup common.Address

	// WatchChannels are statechan stores (a party's channel store,
	// `keel channel --channel-store`) whose channels the node guards: a
	// stale unilateral close of any of them is answered with the latest
	// co-signed state in the store. The node locks each store while it
	// runs. ChannelWatchInterval is the polling period (0: statechan's
	// default); it must be well inside the channels' challenge periods.
	WatchChannels        []string
	ChannelWatchInterval time.Duration
	// ChannelL1Key pays the gas of the watchers' L1 fallback (see
	// statechan.Watcher): a challenge the sequencer has not sequenced
	// within ChannelFallbackBlocks L1 blocks (0: statechan's default) is
	// filed in the Rollup's priority queue, and exodus mode is activated
	// if that request expires. nil: no fallback. It must not be
	// SequencerKey, whose nonces the batch submitter manages.
	ChannelL1Key          *ecdsa.PrivateKey
	ChannelFallbackBlocks uint64

	// Censor is a test hook: it makes the sequencer acknowledge the
	// channel operations it returns true for and never sequence them, as
	// a censoring sequencer would. Production nodes leave it nil.
	Censor func(*vm.Tx) bool

	// ChainID, Depth, Slots: the L2's rules (vm.Config). Slots must match
	// the proving keys' circuit.
	ChainID uint64
	Depth   int
	Slots   int
	// BatchTimeout seals a non-empty batch this long after its first
	// transaction.
	BatchTimeout time.Duration
	Mempool      sequencer.MempoolConfig

	// DevKeys allows a local Groth16 setup when KeysDir has no keys for the
	// circuit. Its toxic waste is known to this machine: devnets only.
	DevKeys bool
	// KeysDir is the proving-key cache, by circuit hash.
	KeysDir string
	// DisableProver leaves sealed batches unproven (and so off L1), with
	// no prover fleet at all: for measuring the ingest path alone. The
	// keys are still loaded, for the verifier.
	DisableProver bool
	// Fleet is the prover fleet: the NATS JetStream queue that carries
	// proving jobs to workers, and the node's own provers.
	Fleet FleetConfig

	// RPCAddr is where JSON-RPC (HTTP and WebSocket on one port) listens.
	RPCAddr string
	// Explorer serves the web app (explorer and wallet, package web) at /
	// on the RPC port.
	Explorer bool
	// MetricsAddr serves Prometheus metrics at /metrics; empty turns it off.
	MetricsAddr  string
	MaxBodyBytes int
	BatchItems   int
	// RPCRateLimit is how many JSON-RPC calls per second one connection
	// (a WebSocket, or an IP over plain HTTP) may make, with bursts of
	// RPCRateBurst; 0 turns the limit off.
	RPCRateLimit float64
	RPCRateBurst int

	// AdminAddr serves the admin_ namespace (sealing a batch now, node
	// internals) on its own port, behind JWT authentication as geth's
	// engine API is. Empty, the default, turns it off.
	AdminAddr string
	// AdminJWTSecret is the file holding the 32-byte hex secret that admin
	// tokens are signed with. Empty means <datadir>/admin.jwt, created
	// with a random secret if missing.
	AdminJWTSecret string
}

// DefaultConfig is a devnet in dataDir: embedded L1, dev keys, depth-24
// tree, 8-slot batches sealed after 2 s, RPC on 127.0.0.1:9545 and metrics
// on 127.0.0.1:9546.
func DefaultConfig(dataDir string) Config {
	return Config{
		Devnet:          true,
		DataDir:         dataDir,
		L1:              l1node.DefaultConfig(filepath.Join(dataDir, "l1")),
		L1Confirmations: 0,
		L1PollInterval:  500 * time.Millisecond,
		ChainID:         DefaultChainID,
		Depth:           vm.DefaultDepth,
		Slots:           DefaultSlots,
		BatchTimeout:    2 * time.Second,
		Mempool:         defaultMempool(),
		DevKeys:         true,
		KeysDir:         filepath.Join(dataDir, "keys"),
		RPCAddr:         fmt.Sprintf("127.0.0.1:%d", DefaultRPCPort),
		Explorer:        true,
		MetricsAddr:     fmt.Sprintf("127.0.0.1:%d", DefaultMetricsPort),
		MaxBodyBytes:    DefaultMaxBodyBytes,
		BatchItems:      DefaultBatchItems,
		RPCRateLimit:    DefaultRPCRateLimit,
		RPCRateBurst:    DefaultRPCRateBurst,
		ExodusDelay:     DefaultExodusDelay,
		Fleet:           FleetConfig{Listen: fleet.DefaultListen, Topology: fleet.DefaultTopology(), LocalProvers: 1},
	}
}

// DefaultL1Confirmations is a production node's default depth before it
// acts on an L1 block: past the reorgs a proof-of-stake chain sees in
// practice.
const DefaultL1Confirmations = 12

// ProductionConfig is keel node's defaults in dataDir: DefaultConfig
// without anything only a devnet may do, and with L1 confirmations. The
// L1 endpoint, the sequencer's key and the deployment must still be set.
func ProductionConfig(dataDir string) Config {
	c := DefaultConfig(dataDir)
	c.Devnet = false
	c.DevKeys = false
	c.L1Confirmations = DefaultL1Confirmations
	return c
}

func defaultMempool() sequencer.MempoolConfig {
	c := sequencer.DefaultMempoolConfig()
	c.MaxTxs = 1 << 16
	return c
}

// Embedded reports whether the node runs its own L1.
func (c *Config) Embedded() bool { return c.L1RPC == "" }

// Validate checks the config and fills in the defaults that depend on
// other settings. It names every problem it finds, not only the first.
func (c *Config) Validate() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf("node: "+format, args...)) }
	if c.DataDir == "" {
		bad("no data directory (set --datadir)")
	}
	vc := vm.Config{ChainID: c.ChainID, Depth: c.Depth, Slots: c.Slots}
	if err := vc.Validate(); err != nil {
		errs = append(errs, fmt.Errorf("node: %w", err))
	}
	if c.ChannelL1Key != nil && c.SequencerKey != nil && c.ChannelL1Key.D.Cmp(c.SequencerKey.D) == 0 {
		bad("the watchers' L1 key (--watch-l1-key) is the sequencer key: give the watchers a key of their own, whose nonces the batch submitter does not manage")
	}
	if !c.Devnet {
		// A missing production setting is an error, never a fall back
		// to devnet behaviour.
		if c.Embedded() {
			bad("no L1 endpoint (--l1-rpc): a node runs on an external L1; only keel devnet runs its own")
		}
		if c.SequencerKey == nil {
			bad("no sequencer key (--sequencer-key): the L1 key that submits batches")
		}
		if c.DevKeys {
			bad("dev keys are for devnets: their toxic waste is known, so anyone could forge proofs; use the ceremony's keys (keel ceremony seal)")
		}
	} else if !c.Embedded() && c.SequencerKey == nil {
		bad("an external L1 needs the sequencer's L1 key (--sequencer-key)")
	}
	if c.KeysDir == "" {
		c.KeysDir = filepath.Join(c.DataDir, "keys")
	}
	if c.RPCAddr == "" {
		bad("no RPC address (--rpc-addr)")
	}
	if c.MaxBodyBytes <= 0 {
		c.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if c.BatchItems <= 0 {
		c.BatchItems = DefaultBatchItems
	}
	if c.ExodusDelay == 0 {
		bad("an exodus delay of 0 blocks would let anyone stop the rollup at once (--exodus-delay)")
	}
	if c.RPCRateLimit < 0 {
		bad("negative RPC rate limit %g (use 0 to turn it off)", c.RPCRateLimit)
	}
	if c.RPCRateBurst < 0 {
		bad("negative RPC rate burst %d", c.RPCRateBurst)
	}
	if c.AdminAddr != "" && c.AdminJWTSecret == "" {
		c.AdminJWTSecret = filepath.Join(c.DataDir, "admin.jwt")
	}
	if c.L1PollInterval <= 0 {
		c.L1PollInterval = 500 * time.Millisecond
	}
	if c.BatchTimeout <= 0 {
		c.BatchTimeout = 2 * time.Second
	}
	if err := c.Fleet.validate(); err != nil {
		errs = append(errs, err)
	}
	if c.Mempool == (sequencer.MempoolConfig{}) {
		c.Mempool = defaultMempool()
	}
	if err := c.Mempool.Validate(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}
