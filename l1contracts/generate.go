package l1contracts

//go:generate go run ./internal/gen/poseidon2
