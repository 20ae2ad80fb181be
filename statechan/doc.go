// Package statechan is the off-chain half of Keel's two-party payment
// channels: the channel state machine, co-signing, the websocket protocol
// between the parties, the durable record of every co-signed state, and
// the watcher that answers a stale close on a party's behalf.
//
// It does not own the on-chain half. Opening a channel (locking L2 funds),
// the cooperative close, the unilateral close with its challenge period,
// the challenge and the final settlement are VM steps in packages vm,
// circuits and sequencer; this package only needs the two calls of the
// Chain interface from them. client.ChannelChain implements it on top of
// a node's JSON-RPC API (keel_getChannel, keel_sendTransaction), and
// `keel channel watch` runs a Watcher with it. It does
// not own keys either (vm.PrivateKey) or transport security (run the
// server behind TLS and dial wss:// if the traffic must be private).
//
// # The channel
//
// Two L2 accounts, A and B, open a channel on L2 with InitialA and
// InitialB locked. Every state after that is a vm.ChannelState (chain id,
// channel id, version, both balances, final flag) signed by both; the
// opening itself is version 0 and needs no co-signatures, since the chain
// recorded it (a unilateral close with it carries the closer's signature
// alone). On chain, a unilateral close with a co-signed state starts
// a challenge period in which any co-signed state of a higher version
// replaces it; a co-signed Final state settles at once.
//
// Channel is one party's state machine, pure in the way raft's is: no I/O,
// no clock, no goroutines. It holds the latest co-signed state and at most
// one proposal of its own in flight:
//
//	alice, _ := statechan.NewChannel(params, aliceKey)
//	bob, _ := statechan.NewChannel(params, bobKey)
//
//	prop, err := alice.ProposeUpdate(25)       // Alice pays Bob 25: version+1, signed by Alice
//	// persist prop, then send it
//	st, err := bob.Accept(prop)                // checks everything, countersigns
//	// persist st, then acknowledge with Bob's signature
//	st, _, err = alice.HandleAccept(prop.State.Version, st.SigB)
//	// persist st: the payment is done
//
//	final, _ := alice.ProposeClose()           // same balances, Final set
//
// Accept is where a peer's proposal is judged. In order: the channel is not
// closed; the chain id and channel id are this channel's (a state signed
// for another channel or chain is worthless here, and vm.ChannelState's
// signed message includes both, so rewriting the ids breaks the
// signature); the version is exactly the next one; we have not signed
// another state of that version; only the proposer's balance falls, by at
// most its balance, and ours rises by the same amount (a peer can never
// make us pay); the unsigned list of payments adds up to the move; the
// proposer's signature verifies. Only then do we countersign.
//
// One rule makes the rest safe: a party never signs two different states
// of the same version, nor a version at or below one it co-signed. Hence
// co-signed states never fork, the highest co-signed version is the
// channel's truth, and the chain's "higher version wins" rule has one
// answer. A proposal that is refused, or collides with one of ours, burns
// its version on both sides: the peer's signature on it exists, so no
// party reuses the number, and the next co-signed state supersedes it.
//
// # Running a node
//
// Endpoint is the driver around the state machine: it owns a pebble store,
// serves and dials websocket sessions, and runs one Session per connected
// channel.
//
//	ep, err := statechan.New(statechan.Config{
//		Key: key, Dir: dataDir, Logger: log, Metrics: metrics,
//		OnPayment: func(p statechan.Payment) { ... },  // quick; runs on the session goroutine
//	})                                     // opens the store, restores every channel
//	ep.Start(ctx)
//	defer ep.Stop(ctx)
//	ep.Open(params)                        // once, when the channel is opened on L2
//	addr, err := ep.Listen("0.0.0.0:7600") // or mount ep (an http.Handler) on a server
//	sess, err := ep.Dial(ctx, "ws://peer:7600/", params.ChannelID)
//
//	err = sess.Pay(ctx, 1000)              // nil: co-signed and durable here
//	final, err := sess.CloseChannel(ctx)   // the co-signed Final state, for the cooperative close
//
// The listening side gets its session when the peer dials (WaitSession,
// Session, or Endpoint.Pay by channel id). Pay may be called from many
// goroutines: payments queued while a state is in flight go into the next
// state together, up to MaxParts, so the cost of an update (four EdDSA
// operations, about 0.4 ms of CPU, and two synced writes on the critical
// path) is paid once per batch, and the receiver still learns every
// payment. This batching is what gets a channel pair to thousands of
// durable payments a second; a pipeline of several states in flight would
// cost four signature operations per payment and was not needed
// (BenchmarkPayments reports both the one-payment-per-state and batched
// figures).
//
// # Sessions and the wire
//
// wire.go documents the byte layout. A session runs:
//
//	dialer                                  listener
//	hello(chain, channel, key, challenge) →
//	                                        checks the key is the channel's
//	                                        counterparty, else reject and hang up
//	                                      ← hello(…, its challenge)
//	                                      ← auth(sig)
//	auth(sig) →                              each verifies the other's
//	sync(latest co-signed, next version) ⇄  sync
//	update / close ⇄ accept / reject        either side, one proposal each in flight
//
// auth is a signature of AuthMessage: a hash of a domain tag, the chain and
// channel ids, the signer's role and both fresh challenges, so it proves
// control of the key for this session only. A peer that fails it is
// refused before any state is exchanged.
//
// If both parties propose the same version at once, both refuse (the
// version burns) and retry: the one the version's parity favours at once,
// the other after a short random backoff.
//
// # Persistence order, and why
//
// The store writes every record with a synced pebble batch; concurrent
// sessions of several channels share fsyncs through pebble's commit
// pipeline. The order follows go-perun:
//
//  1. The payer persists its own signed proposal before sending it. Were
//     it sent first and lost in a crash, the payer could sign a different
//     state of the same version after restarting, and the peer would hold
//     two: a fork it could choose from.
//  2. The receiver persists the co-signed state (the peer's signature and
//     its own) before acknowledging. Once the payer sees the
//     acknowledgement it may rely on the payment, so the receiver must
//     hold it whatever happens next; and the receiver's right to the
//     funds must survive its own crash.
//  3. The payer persists the co-signed state on the acknowledgement, and
//     only then does Pay return. Under load this write also carries the
//     next proposal (step 1 of the next update), one fsync for both.
//
// After a crash, New restores each channel (Restore): the latest co-signed
// state, and the payer's last proposal if it is newer, in flight and
// unsettled. The first session's sync settles it: each side sends its
// latest co-signed state (both signatures) and next version; the higher
// co-signed state wins (it carries our own signature, so adopting it only
// accepts what we agreed to); a proposal of ours that the peer
// countersigned is thereby completed, one it never saw is dropped and its
// version burned on both sides. The crash tests kill either party at every
// step of the order, restart both from what a crash leaves on disk
// (pebble's crashable in-memory filesystem), and check that both agree and
// no co-signed state is lost.
//
// # Failures designed against
//
//   - Lost state after a crash: the order above, synced writes, and the
//     sync on reconnect.
//   - Stale-state closes: Watcher polls Chain.ClosingState (or is poked)
//     and, when a unilateral close carries a version below the latest
//     co-signed state in the store, submits that state as a challenge.
//     Run it whenever the endpoint may be offline for a challenge period.
//   - Replay across channels or chains: the ids are in the signed message
//     and checked before anything else.
//   - Funds locked forever: the store always holds a state either party
//     can close with on chain alone (Endpoint.State); the opening state
//     needs no co-signature (on chain, the closing party signs it alone).
//     A peer that stops answering costs a unilateral close and a
//     challenge period, never the funds.
//   - Ambiguous payments: a payment whose session ends while it is in
//     flight returns ErrUnsettled; the peer may hold our signature on it.
//     The next sync decides it, and State tells the result.
//
// # Errors
//
// errors.go lists the sentinels, each saying whether to retry, resync
// (reconnect) or halt. A peer's refusal arrives as *RejectError, which
// matches both ErrRejected and the sentinel the peer named.
package statechan
