// Package circuits holds Keel's gnark circuits: the second half of the one
// definition of the rules whose first half is package vm.
//
// So far it owns the hashing gadgets that every circuit shares with the VM
// (Poseidon2 Compress, the Merkle–Damgård chain, the account-leaf hash and
// the transaction message) and the tests that prove them equal to their Go
// counterparts, EdDSA signature checks included. The batch circuit (one VM
// step per slot) and the exit circuit build on these gadgets; they are not
// written yet.
//
// Gadgets take the in-circuit Poseidon2 permutation from gnark's
// std/permutation/poseidon2 with its default BN254 parameters (width 2,
// rF=6, rP=50), which are the parameters of gnark-crypto's native
// permutation that package vm uses. hash_test.go pins that equality.
package circuits
