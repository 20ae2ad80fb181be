// Package prover turns sealed batches into Groth16 proofs of the batch
// circuit.
//
// It owns the witness (built from the VM's per-step trace, never by
// executing the batch a second way), and will own proving keys (dev setup
// cached on disk under the compiled circuit's hash, the MPC ceremony),
// proving, proof export for the Solidity verifier and third parties, and
// the prover service. What exists so far is the witness.
package prover
