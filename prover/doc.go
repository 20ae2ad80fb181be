// Package prover turns sealed batches into Groth16 proofs of the batch
// circuit.
//
//   - Witness builds the circuit assignment from the VM's per-step trace,
//     never by executing the batch a second way.
//   - Keys: CompileBatch, CircuitHash, LoadKeys and SaveKeys; DevKeys runs
//     a dev setup on first use and caches it on disk under the compiled
//     circuit's hash, logging progress and an ETA. Dev keys are for
//     development only: production keys come from the MPC ceremony
//     (ceremony.go).
//   - Prover.Prove proves and checks its own proof; Verify checks one.
//     Proof.SolidityProof gives the words gnark's exported Solidity
//     verifier takes; ExportVerifyingKeyJSON and Proof.ExportJSON write the
//     snarkjs format, so a verifier Keel did not write can check a batch
//     (see export.go for the format).
//
// Who proves which batch, on which machine, is the prover fleet's business
// (package prover/fleet): this package proves one batch when asked.
package prover
