// Command verifier writes src/Verifier.sol: gnark's Solidity export of the
// template verifying key (see l1contracts/verifier.go). make contracts runs
// it before compiling.
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/consensys/gnark/logger"
	"github.com/keel-rollup/keel/l1contracts"
)

func main() {
	logger.Disable()
	src, err := l1contracts.TemplateVerifierSource()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	out := filepath.Join("l1contracts", "src", "Verifier.sol")
	if len(os.Args) > 1 {
		out = os.Args[1]
	}
	if err := os.WriteFile(out, []byte(src), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
