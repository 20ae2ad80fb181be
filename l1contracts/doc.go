// Package l1contracts holds Keel's L1 contracts: the Solidity sources in
// src/, their compiled artifacts in build/ (committed, so building Go never
// needs Node), and the abigen v2 bindings.
//
//   - Rollup.sol keeps the L2 state root and batch number, takes deposits
//     in whole gwei into a priority queue whose running Poseidon2 hash it
//     stores per request, verifies each batch's proof against the one
//     public input it recomputes with sha256, and pays withdrawals out by
//     pull payment. Only the sequencer commits; the owner rotates it.
//     requestFullExit queues a full exit signed by the account's L2 key,
//     which the sequencer must process like a deposit. If any request
//     waits more than exodusDelay blocks, anyone may activateExodus:
//     batches and deposits stop, each account exits once with an exit
//     circuit proof against the last root (exit), and deposits no batch
//     consumed are refunded (refundDeposit).
//   - Verifier.sol is gnark's ExportSolidity of a template key;
//     VerifierBytecode turns it into the verifier for any real key without
//     a compiler (see verifier.go): the batch circuit's and the exit
//     circuit's, which both have one public input.
//   - Poseidon2.sol is generated from gnark-crypto's constants
//     (internal/gen/poseidon2), so the L1 queue hash is the VM's.
//   - Poseidon2Harness.sol and ReentrantClaimer.sol are test-only.
//
// make contracts regenerates everything with solc 0.8.37 (solc-js, pinned
// in package.json) and abigen; TestArtifactsFresh fails when the committed
// files are stale.
package l1contracts
