package bridge

import (
	"context"
	"fmt"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/ethclient"
)

// L1Client is what the bridge needs from an Ethereum node: the embedded dev
// node, an external JSON-RPC endpoint (ethclient.Client) and the simulated
// backend all provide it.
type L1Client interface {
	ethereum.BlockNumberReader
	ethereum.ChainReader
	ethereum.ChainStateReader
	ethereum.ContractCaller
	ethereum.GasEstimator
	ethereum.GasPricer
	ethereum.GasPricer1559
	ethereum.LogFilterer
	ethereum.PendingStateReader
	ethereum.PendingContractCaller
	ethereum.TransactionReader
	ethereum.TransactionSender
	ethereum.ChainIDReader
}

var _ L1Client = (*ethclient.Client)(nil)

// Dial connects to an L1 JSON-RPC endpoint (http, ws or ipc).
func Dial(ctx context.Context, url string) (*ethclient.Client, error) {
	c, err := ethclient.DialContext(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("bridge: dial L1 %s: %w", url, err)
	}
	return c, nil
}
