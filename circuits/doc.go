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
// Payment channels (batch.go's channel): a channel leaf's fields come in
// the witness unpacked and are packed in-circuit into the leaf's X and Y,
// so the rules read them as numbers: status, deadline against the batch
// timestamp, version order, split against the locked total. The state
// message (vm.ChannelState.Message) is computed beside the transaction
// message and selected by opcode; B's step reads its message, whether it
// must sign and whether it is credited from the registers its head set.
// These rules cost every slot 1,413 constraints.
//
// Costs are pinned in constraints.txt (TestConstraintCounts). At depth 24 a
// slot costs about 30k constraints plus its share of hashing; a 32-slot
// batch is 1.24M constraints, 38.8k a slot; a 256-slot batch 9.39M, 36.7k a
// slot (make constraints compiles the large sizes).
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
