// Package node wires Keel's components into one process and serves its
// JSON-RPC API.
//
// A Node owns, in start order: the L1 (the embedded go-ethereum dev node of
// package l1node, or a client of any Ethereum JSON-RPC endpoint), the
// proving keys (a dev setup cached under the circuit's hash, or ceremony
// keys), the contracts (deployed on the first start of a devnet and
// remembered in deployment.json), the sequencer, the prover fleet (an
// embedded NATS JetStream server or a client of an external one, the
// result collector and the node's own provers; fleet.go), the bridge's
// deposit watcher and batch submitter, the dispatch, proof and submitter
// loops, the
// JSON-RPC server (namespace keel_, HTTP and WebSocket on one port, through
// go-ethereum's rpc package) and the Prometheus metrics server. Stop
// undoes them in reverse order.
//
// The flow of a transaction: keel_sendTransaction → sequencer (checked,
// journaled with a synced write, acknowledged: pending) → open batch
// (sequenced, within milliseconds) → sealed batch (durable state) → a job
// on the fleet's work queue (the dispatch loop) → a worker's proof,
// verified by the collector → the proof loop, in batch order (proven) →
// the submitter loop (Rollup.commitBatch on L1;
// finalized once L1Confirmations deep). Deposits and full-exit requests
// come the other way: the watcher reads the Rollup's logs after
// L1Confirmations blocks and queues them in the sequencer, which applies
// them in priority-queue order. Payment-channel operations take the same
// path through keel_sendTransaction (the open through the mempool, the
// nonce-less close, dispute, challenge and finalize through the
// sequencer's channel queue), and keel_getChannel reads a channel by its
// id from the last sealed state; client.ChannelChain builds a
// statechan.Chain on those two calls.
//
// Around that core: per-connection rate limits on the public API
// (ratelimit.go); an admin_ namespace on its own port behind geth-style
// JWT authentication, off by default (admin.go); and what works from L1
// alone, without a Keel node: keel verify's checks (verify.go), the
// read-only Follower (follower.go), and exodus exits (exit.go).
//
// The package owns no rules (package vm), no storage format (package
// sequencer) and no L1 protocol (package bridge); it only connects them.
package node
