// Package circuits holds Keel's gnark circuits: the second half of the one
// definition of the rules whose first half is package vm.
//
// BatchCircuit enforces a batch of VM steps, one per slot, with the number
// of slots and the tree depth fixed at compile time (small sizes in tests;
// 8 and 32 slots at depth 24 in production). Each slot checks its opcode,
// two leaf updates against the running root (the circuit computes the new
// leaves itself from the step's rules), one EdDSA signature for signed
// steps, the registers handed between slots, and the step's 12-byte
// public-data record. After the last slot the fee register must be empty,
// no transaction may be half done, and the roots and priority-queue hash
// must be the ones claimed. The single public input is the low 253 bits of
// a sha256 over a header and the public data (vm.BatchCommitment), which
// the L1 contract recomputes with its sha256 precompile.
//
// SHA-256 is computed on bits in plain R1CS (sha256.go): 26.3k constraints
// a block and no commitment, against gnark std/hash/sha2's ~131k of lookup
// table plus ~35k a block and a Pedersen commitment that costs ~123k gas
// more on every L1 verification.
//
// The gadgets shared with the VM (Poseidon2 Compress, the Merkle–Damgård
// chain, the leaf hash) take gnark's std/permutation/poseidon2 with its
// default BN254 parameters, the parameters of gnark-crypto's native
// permutation that package vm uses; hash_test.go pins the equality.
//
// Payment channels (channel.go): a channel leaf's fields come in
// the witness unpacked and are packed in-circuit into the leaf's X and Y,
// so the rules read them as numbers: status, deadline against the batch
// timestamp, version order, split against the locked total. The state
// message (vm.ChannelState.Message) and the transaction message are one
// chain whose inputs the opcode selects; B's step reads its message, whether it
// must sign and whether it is credited from the registers its head set.
// These rules cost every slot 1,413 constraints. A forced challenge from
// the L1 queue (forced.go) decides its verdict without asserting it, in
// two steps whose second reads the leaf the queue named: 46 more a slot.
//
// ExitCircuit (exit.go) proves exodus claims: an account's exit, or, with
// Mode 1, a channel claim (a channel leaf in the root and a state of it
// that is the leaf's own or both parties signed), which the Rollup's
// L1 dispute game for channels takes.
//
// The slot is written as gadgets (step.go): the rules every step obeys
// (decodeOp, order, pending, amounts), one gadget per operation (ops.go
// for accounts, channel.go for channels), each asserting its rules under
// its selector and returning its leafChange, the signature (sig.go), and
// the two leaf updates the changes add up to (leaf.go).
//
// Costs are pinned in constraints.txt (TestConstraintCounts). At depth 24 a
// 32-slot batch is 1.22M constraints, 38.0k a slot; a 256-slot batch
// 9.19M, 35.9k a slot (make constraints compiles the large sizes). Where a
// slot's go: the four Merkle paths, 96 Poseidon2 compressions at 187
// (18.0k); EdDSA (7.0k: the joint scalar multiplication 5.3k, the
// challenge hash 0.9k); sha256 of the 12-byte record (4.9k); the leaf
// hashes, 10 compressions (1.9k); the messages and the queue link, 8
// (1.5k); the channel rules (1.4k); range decompositions (about 1k).
//
// Tests: parity_test.go sends random VM batches through prover.Witness and
// solves them; soundness_test.go breaks one rule per case and checks the
// circuit rejects it, and where; channel_test.go does both for the channel
// steps (scripted, random, and Mallory's forgeries). Every soundness case
// is a consistent forgery (forge_test.go): a dishonest sequencer's edit of
// an honest batch's trace, with every later leaf path, the new root and
// the queue hash recomputed, so that only the rule under test can reject
// it. `make mutate` deletes each assertion in turn and checks that some
// case then goes through; an assertion no case can reach carries a
// "mutate:" comment naming the constraint that implies it.
package circuits
