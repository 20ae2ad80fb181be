package l1node

import (
	"bufio"
	"fmt"
	"io"
	"math/big"

	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/params"
	"github.com/ethereum/go-ethereum/version"
)

// WriteBanner writes what a developer needs to use the running node, as
// anvil prints it: the endpoints, the chain id, and the dev accounts with
// their private keys. Call it after Start, when the endpoints are known.
func (n *Node) WriteBanner(w io.Writer) error {
	bw := bufio.NewWriter(w)
	p := func(format string, args ...any) { fmt.Fprintf(bw, format, args...) }

	p("Keel embedded L1 (go-ethereum %d.%d.%d, dev mode)\n\n", version.Major, version.Minor, version.Patch)
	p("HTTP RPC      %s\n", orNotRunning(n.HTTPEndpoint()))
	p("WebSocket RPC %s\n", orNotRunning(n.WSEndpoint()))
	p("Chain ID      %d\n", n.cfg.ChainID)
	if n.cfg.BlockPeriod == 0 {
		p("Blocks        on demand: one as soon as a transaction arrives\n")
	} else {
		p("Blocks        every %s\n", n.cfg.BlockPeriod)
	}
	p("Gas limit     %d per block, %d per transaction (EIP-7825)\n", n.cfg.GasLimit, MaxTxGas)
	p("Data dir      %s\n", n.cfg.DataDir)

	p("\nAvailable accounts (%s ETH each at genesis)\n", etherString(n.devBalance()))
	p("==================\n")
	for i, a := range n.accounts {
		p("(%d) %s\n", i, a.Address.Hex())
	}
	p("\nPrivate keys\n")
	p("==================\n")
	for i, a := range n.accounts {
		p("(%d) 0x%x\n", i, crypto.FromECDSA(a.Key))
	}
	p("\nMnemonic:        %s\n", DevMnemonic)
	p("Derivation path: %s\n", DevDerivationPath)
	p("\nThese keys are public knowledge. Never send real funds to them.\n")
	return bw.Flush()
}

func orNotRunning(endpoint string) string {
	if endpoint == "" {
		return "(not running)"
	}
	return endpoint
}

// etherString formats wei as whole ether when it is one.
func etherString(wei *big.Int) string {
	q, r := new(big.Int).QuoRem(wei, big.NewInt(params.Ether), new(big.Int))
	if r.Sign() == 0 {
		return q.String()
	}
	return new(big.Float).Quo(new(big.Float).SetInt(wei), big.NewFloat(params.Ether)).Text('f', 6)
}
