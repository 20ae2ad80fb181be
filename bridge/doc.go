// Package bridge connects Keel to its L1: it reads the Rollup contract's
// deposits and withdrawals from L1 logs and submits proven batches.
//
//   - Watcher follows the priority queue's Deposit, FullExitRequested and
//     ChannelChallengeRequested events at a confirmation depth, survives
//     reorgs (only confirmed blocks are read, the cursor's block hash is
//     re-checked on every poll, and deposits are keyed by their queue index
//     so none is credited twice or skipped), and persists its cursor.
//   - Submitter commits batches in order. Batch n always goes out with the
//     nonce confirmedNonce + (n − 1 − onChainBatch), so a resubmission after
//     a restart or a fee bump replaces the earlier transaction instead of
//     adding a second one, and a batch already on chain is never sent again.
//     Poll calls a batch done only once its commit is Confirmations deep,
//     so a shallow reorg never leaves the node believing in a dropped
//     commit.
//   - History reads the Rollup's whole story back from L1 (requests from
//     logs, batches from commitBatch calldata), from the start or resuming
//     where an earlier read stopped.
//   - Every error is classified (errors.go): temporary ones are retried,
//     critical ones halt with a message that says what to do.
//
// The same code runs against the embedded dev node (node/l1node) and any
// Ethereum JSON-RPC endpoint: it needs only the L1Client interface, which
// ethclient.Client and the simulated backend's client both satisfy.
package bridge
