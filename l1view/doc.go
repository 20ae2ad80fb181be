// Package l1view reads a Keel rollup back from L1 alone, trusting no
// sequencer: the Rollup contract's rules (chain id, tree depth, batch size,
// operator, verifiers: ReadParams), its deposit queue and every committed
// batch's calldata (ReadL1Rollup, Extend), the state rebuilt from them
// (L1Rollup.Rebuild), a batch checked the way `keel verify` checks it
// (VerifyBatch, CheckBatch), exodus mode's status (ReadExodus) and an
// exodus exit prepared from L1 data alone (PrepareExit).
//
// It sits under node: it imports only bridge, l1contracts, prover and vm
// (see ARCHITECTURE.md). The CLI's user commands (verify, exit, exodus,
// force-exit, follow) and the node's follower use it.
package l1view
