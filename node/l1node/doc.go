// Package l1node runs the embedded L1: a real go-ethereum node in dev
// mode, inside the Keel process, which `keel devnet` uses unless it is
// pointed at another Ethereum JSON-RPC endpoint.
//
// # What it owns
//
//   - A go-ethereum node (node.Node, the eth service, the filter API) and a
//     simulated beacon that produces blocks in place of a consensus client,
//     wired as geth --dev wires them. With BlockPeriod 0 a block is mined as
//     soon as a transaction reaches the pool; otherwise one every period.
//   - Its data directory. The chain survives Stop and Start: a node started
//     on a directory that holds a chain continues it from the stored genesis.
//     Only one node may use a directory at a time (ErrDataDirInUse).
//   - JSON-RPC over HTTP and WebSocket on 127.0.0.1 (namespaces eth, net,
//     web3, txpool), for MetaMask, curl, abigen bindings and Keel's bridge.
//     Client gives an in-process client without sockets.
//   - The dev accounts: DeriveDevAccounts derives them from DevMnemonic (the
//     phrase anvil and Hardhat use), and the genesis funds them.
//     WriteBanner prints the endpoints, chain id and keys, as anvil does.
//   - The bridge from go-ethereum's logs to the node's zerolog logger.
//     geth's Info level, which it uses for every block, becomes Debug.
//
// # What it does not own
//
// Contracts (package l1contracts deploys and binds them), the rollup's
// L1 logic (package bridge watches and submits through any Ethereum
// endpoint, this one included), and any mainnet or testnet connectivity:
// the node has no peers and never dials out.
//
// # Usage
//
//	cfg := l1node.DefaultConfig(filepath.Join(dataDir, "l1"))
//	n, err := l1node.New(cfg, log)
//	if err != nil { ... }
//	if err := n.Start(ctx); err != nil { ... }
//	defer n.Stop(context.Background())
//	n.WriteBanner(os.Stdout)
//	client, err := n.Client() // or ethclient.Dial(n.HTTPEndpoint())
//
// # Chain facts
//
//   - Every fork through Osaka is on from block 0, so a transaction may use
//     at most MaxTxGas (16,777,216, EIP-7825) whatever the block gas limit.
//   - The head is "safe" at once; "finalized" moves every 32 blocks (the
//     simulated beacon's epoch). Nothing reorganises the chain by itself.
//   - A block's timestamp is the wall clock, or its parent's plus one second
//     when that is later. Mining on demand under load makes several blocks
//     a second, so block time runs ahead of the clock: contracts that count
//     seconds see time pass faster than it does.
//   - Priority fees go to the zero address, not to a dev account.
//   - Right after a start, eth_getTransactionReceipt may answer the error
//     "transaction indexing is in progress" instead of null for a while;
//     pollers should treat it as "not yet".
//   - With HTTPPort and WSPort both 0, or equal, one listener serves both.
//   - go-ethereum's logger is process-wide: with two nodes running, its
//     package-level records go to the logger of the one started last.
package l1node
