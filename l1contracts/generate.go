// Package l1contracts holds Keel's L1 contracts: the Solidity sources in
// src/, the compiled artifacts in build/ (committed, so building Go never
// needs Node), and the Go bindings.
package l1contracts

//go:generate go run ./internal/gen/poseidon2
