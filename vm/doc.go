// Package vm is Keel's zk-friendly virtual machine: the one definition of
// the layer-2 state transition. The sequencer executes it and the batch
// circuit (package circuits) enforces it, rule for rule.
//
// The package owns keys and signatures, accounts, the Poseidon2 sparse
// Merkle tree, transaction encoding, the executor and its per-step trace,
// and the public-data format. It does no I/O of its own, reads no clock and
// starts no goroutines: state is read through the NodeReader interface, and
// drivers (the sequencer, tools, tests) do everything else.
//
// # State
//
// State is a sparse Merkle tree of depth 1..24 (default 24, 16.7M leaves)
// hashed with Poseidon2's width-2 compression (gnark-crypto, BN254, rF=6,
// rP=50; the same permutation as gnark's std/permutation/poseidon2). A leaf
// is an Account:
//
//	leaf = 0                                                   if empty
//	leaf = Compress(Compress(X, Y), Compress(kind|nonce|balance, aux))
//
// X, Y are the owner's EdDSA public key on BN254's twisted Edwards curve,
// balance is uint64 gwei, nonce uint32, and aux is 0 for accounts. Channel
// leaves (kind 2) reuse the same shape: party A's key, the locked total as
// balance, the state version as nonce, and aux = a hash of party B's key,
// status, deadline and final split. So one leaf gadget serves both.
//
// Meta beside the tree holds the batch number, the root, and the running
// hash of the L1 priority queue consumed so far (PriorityHash).
//
// # Steps
//
// A batch is a fixed number of steps (slots). Every step has the same shape,
// sized for the commonest operation, the transfer:
//
//   - two leaf updates, A then B, each against the running root;
//   - at most one EdDSA signature, over a one-element message;
//   - one 12-byte public-data record;
//   - a register file (Registers) handed to the next step.
//
// A transaction compiles into a head step plus OpData continuation steps
// when its data does not fit one record. The head sets the transaction
// registers (account, amount, fee, target) and Pending, the number of
// continuation steps owed; each OpData step decrements Pending and carries
// record bytes that must agree with the registers. A continuation step
// touches no leaves.
//
//	op           leaf A              leaf B          sig      steps
//	deposit      credited account    -               -        1
//	refund       -                   -               -        1 (a deposit to an invalid key, paid back on L1)
//	transfer     sender              recipient       sender   1
//	withdraw     sender              -               sender   3 (head + 2 data)
//	full exit    the exiting account -               (owner)  3 (head + 2 data)
//	forced chal. party A / party B   - / channel     (A / B)  2 (head + B's step)
//	sponsor      the sponsor         -               sponsor  +1 after a sponsored transfer's or withdrawal's steps
//	fee payout   operator            -               -        1 (once per batch)
//	noop         -                   -               -        padding
//
// A sponsored transfer or withdrawal (sponsor.go) debits its sender the
// amount alone; its head hands the sponsor's index and the sender's
// message on through its data steps to one OpSponsor step, which debits
// the fee from the sponsor and checks the sponsor's signature.
//
// Fees are not credited per transaction, which would cost a third leaf in
// every slot. They accumulate in the FeeAcc register through the batch; one
// fee-payout step credits the operator, and FeeAcc must be zero after the
// last slot.
//
// Payment-channel operations (types 4–8, opcodes 6–12; chanexec.go) fit
// the same shape. A channel lives in a leaf of its own (ChannelLeaf: the
// parties' account indices, status, open nonce, challenge period,
// deadline, version and A's split packed into the leaf's X and Y, the
// locked total as its balance), and every operation is two steps: a head
// on party A's account and the channel leaf, then B's step on B's
// account, joined by registers (the message B signs, whether B must sign,
// whether B is credited, and the opcode the continuation must have).
//
//	op                 head: leaf A | leaf B          sig (head)   B's step (leaf A = B's account)
//	open       6 / 7   A (debit, nonce+1) | channel   A, tx msg    debit B's funding; B signs the same msg if it funds
//	close      8 / 12  A (credit) | channel (removed) A, state     credit B; B signs the Final state
//	dispute    9 / 12  A (no change) | channel        A, state     B signs (version 0: the opening split, signed by the closer alone)
//	challenge 10 / 12  A (no change) | channel        A, state     B signs; version above the closing one, before the deadline
//	finalize  11 / 12  A (credit) | channel (removed) -            credit B; batch timestamp ≥ deadline
//
// The channel id is ChannelIDOf(A, open nonce), so states never replay
// across channels; the signed state message is ChannelState.Message,
// computed in the circuit beside the transaction message and selected by
// opcode. A dispute sets the deadline to the batch timestamp plus the
// period chosen at the open; the L1 contract keeps batch timestamps
// monotonic and never ahead of L1 time, so the sequencer cannot hurry a
// stale close past its challenge period.
//
// Measured cost behind the choice (gnark v0.16.0, see ../shared/TOOLCHAIN.md):
// a transfer slot at depth 24 is about 2×2×24 Compress for the paths, 4
// leaf hashes of 3 Compress, 3 Compress for the message and one EdDSA
// verify: about 18k + 2.2k + 0.6k + 7k ≈ 28k constraints before public-data
// hashing, and its 12-byte record adds about a fifth of a sha256 block.
//
// # Transactions and signatures
//
// Deposits come from the L1 priority queue, strictly in order, and carry
// the key that owns the credited account. Transfers and withdrawals are
// signed: the message is
//
//	HashChain(type|chainID|nonce|from, amount|fee, target)
//
// (see Tx.Message), so a signature binds the chain id and the nonce and
// nothing replays.
//
// A full exit (type 9, opcode 16) also comes from the L1 queue: a user the
// sequencer censors asks Rollup.requestFullExit to pay an account's whole
// balance to an L1 address, with the account key's signature of the same
// message shape (the account's current nonce, amount and fee zero, target
// the address). The nonce and signature are part of the queue hash, so the
// sequencer can neither drop nor doctor them. The step always consumes the
// request: it pays the whole balance and advances the nonce if the leaf is
// an account whose key signed for its current nonce, and nothing
// otherwise (the circuit computes the verdict with eddsa.IsValid), so no
// request, however bogus, can jam the queue and force exodus mode, and a
// request that has paid pays nothing when filed again.
//
// A forced channel challenge (type 11, opcodes 18 and 19, forced.go) comes
// from the L1 queue the same way, for a party whose L2 challenge the
// sequencer does not sequence: a channel state and both parties'
// signatures, all in the queue hash. Its head checks A's signature and its
// second step B's, neither asserted; the second step applies the state
// exactly when an L2 challenge of it would apply, and records the verdict.
//
// Transfer amounts and all fees must be exactly representable as packed
// floats (Float24 / Float16, mantissa × 10^e), which keeps a transfer's
// record at 12 bytes; RoundAmount and RoundFee round. Each value has one
// encoding, the smallest exponent, which the circuit demands too.
//
// # Public data
//
// Each step appends a 12-byte record (see Record for the byte layout); a
// batch's public data is Slots × 12 bytes, padding included, then the payout
// map: a bit per slot, set on withdrawal and full-exit heads, ceil(Slots/8)
// bytes (PublicDataSize). The L1 contract hashes it with sha256 and the
// circuit recomputes the same hash, computing the map from the opcodes, so
// the contract reaches the payouts through the map without reading any
// other record. DecodePublicData is the reference parser.
//
// # Executor
//
// Batch.Apply checks a transaction against an in-memory overlay of touched
// accounts: nonces, balances, overflows, signatures. It rejects with a
// sentinel error from errors.go and then changes nothing. Batch.Seal replays
// the accepted transactions on the tree once, producing the roots, the
// per-step trace (leaf witnesses, signatures, registers), the public data
// and the L1 withdrawals. Execute wraps both as a pure function. Signature
// checks, the dominant cost, can be done ahead with Tx.PreVerify, or for
// many transactions at once with PreVerifyBatch (VerifyBatch: one
// cofactored random-linear-combination check). The seal defers its Merkle
// hashing (Tree.SetDeferred) and hashes the batch's paths level by level,
// on every core when the batch is big.
package vm
