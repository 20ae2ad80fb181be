package l1node

import (
	"fmt"
	"time"

	"github.com/ethereum/go-ethereum/params"
)

// Defaults of Config. DefaultChainID and the ports are what geth --dev and
// anvil use, so wallets and scripts written for those work unchanged.
const (
	DefaultHTTPPort       = 8545
	DefaultWSPort         = 8546
	DefaultChainID        = 1337
	DefaultGasLimit       = 30_000_000
	DefaultNumDevAccounts = 10
	// DefaultDevBalanceEther is each dev account's genesis balance, as anvil's.
	DefaultDevBalanceEther = 10_000

	// MaxTxGas is the most gas one transaction may use (EIP-7825, on from
	// Osaka, which the dev chain runs from genesis): 16,777,216. A block may
	// hold more, but no single transaction can, so size batch commits to it.
	MaxTxGas = params.MaxTxGas

	// maxDevAccounts bounds NumDevAccounts; the genesis and the banner
	// list every account.
	maxDevAccounts = 1000
)

// Config configures the embedded L1. Build one with DefaultConfig and
// change what differs; the zero value is not valid (DataDir is required,
// and a zero port means "any free port", not the default).
type Config struct {
	// DataDir holds the chain; a node started again on it continues the
	// chain. Required. go-ethereum lays it out as geth does (DataDir/geth/
	// chaindata, ...), so `geth --datadir DataDir` can open it offline.
	DataDir string
	// HTTPPort and WSPort are the JSON-RPC ports on 127.0.0.1; 0 picks a free
	// port (read it back with HTTPEndpoint and WSEndpoint). When both are 0
	// or equal, one server answers both HTTP and WebSocket, as in geth.
	HTTPPort int
	WSPort   int
	// AllowedOrigins are the browser origins allowed to call the RPC (CORS
	// for HTTP, Origin for WebSocket). The default "*" lets a wallet
	// extension such as MetaMask connect; the node only listens on
	// 127.0.0.1 and holds no unlocked keys.
	AllowedOrigins []string
	// ChainID is the dev chain's id (and network id).
	ChainID uint64
	// BlockPeriod is the time between blocks, in whole seconds. 0 mines a
	// block as soon as a transaction arrives, as geth --dev.period 0 does.
	BlockPeriod time.Duration
	// GasLimit is the block gas limit, kept constant from block to block.
	// One transaction may still use at most MaxTxGas.
	GasLimit uint64
	// NumDevAccounts is how many dev accounts the genesis funds (see
	// DeriveDevAccounts). At least 1.
	NumDevAccounts int
	// DevBalanceEther is each dev account's genesis balance in ether.
	DevBalanceEther uint64
	// Metrics receives the node's metrics; nil discards them.
	Metrics Metrics
}

// DefaultConfig returns the defaults with dataDir set.
func DefaultConfig(dataDir string) Config {
	return Config{
		DataDir:         dataDir,
		HTTPPort:        DefaultHTTPPort,
		WSPort:          DefaultWSPort,
		AllowedOrigins:  []string{"*"},
		ChainID:         DefaultChainID,
		GasLimit:        DefaultGasLimit,
		NumDevAccounts:  DefaultNumDevAccounts,
		DevBalanceEther: DefaultDevBalanceEther,
	}
}

// Validate reports the first field that is wrong, wrapped in
// ErrInvalidConfig, with what to do about it.
func (c Config) Validate() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s", ErrInvalidConfig, fmt.Sprintf(format, args...))
	}
	switch {
	case c.DataDir == "":
		return bad("DataDir is required: the chain lives there and survives restarts")
	case c.HTTPPort < 0 || c.HTTPPort > 65535:
		return bad("HTTPPort %d is not a TCP port (0..65535; 0 picks a free one)", c.HTTPPort)
	case c.WSPort < 0 || c.WSPort > 65535:
		return bad("WSPort %d is not a TCP port (0..65535; 0 picks a free one)", c.WSPort)
	case c.ChainID == 0:
		return bad("ChainID must not be 0 (the default is %d)", DefaultChainID)
	case c.BlockPeriod < 0:
		return bad("BlockPeriod %s is negative (0 mines on demand)", c.BlockPeriod)
	case c.BlockPeriod%time.Second != 0:
		return bad("BlockPeriod %s is not whole seconds (go-ethereum's dev mode counts in seconds)", c.BlockPeriod)
	case c.GasLimit < params.MinGasLimit:
		return bad("GasLimit %d is below the protocol minimum %d (the default is %d)", c.GasLimit, params.MinGasLimit, DefaultGasLimit)
	case c.NumDevAccounts < 1 || c.NumDevAccounts > maxDevAccounts:
		return bad("NumDevAccounts %d is out of range 1..%d", c.NumDevAccounts, maxDevAccounts)
	case c.DevBalanceEther == 0:
		return bad("DevBalanceEther must not be 0: dev accounts pay for gas")
	}
	return nil
}
