package vm

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestDependenciesPointOneWay enforces the floors of ARCHITECTURE.md: vm
// imports no other Keel package, circuits imports only vm, prover only
// circuits and vm, the bridge only the bindings and vm, l1view (the rollup
// read from L1 alone) only bridge, l1contracts, prover and vm; only node
// and cmd wire everything. geth and pebble turn forbidden imports into
// failing checks the same way.
func TestDependenciesPointOneWay(t *testing.T) {
	const module = "github.com/keel-rollup/keel/"
	allowed := map[string][]string{
		"vm":           {},
		"circuits":     {"vm"},
		"prover":       {"circuits", "vm"},
		"prover/fleet": {"prover", "circuits", "vm"},
		"sequencer":    {"vm"},
		"l1contracts":  {},
		"bridge":       {"l1contracts", "vm"},
		"node/l1node":  {},
		"l1view":       {"bridge", "l1contracts", "prover", "vm"},
		"sponsor":      {"client", "vm"},
	}
	for pkg, ok := range allowed {
		dir := filepath.Join("..", pkg)
		entries, err := os.ReadDir(dir)
		require.NoError(t, err)
		for _, e := range entries {
			name := e.Name()
			if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(token.NewFileSet(), filepath.Join(dir, name), nil, parser.ImportsOnly)
			require.NoError(t, err)
			for _, imp := range f.Imports {
				path := strings.Trim(imp.Path.Value, `"`)
				if !strings.HasPrefix(path, module) {
					continue
				}
				dep := strings.TrimPrefix(path, module)
				require.Contains(t, ok, dep, "%s/%s imports %s, which the layering forbids", pkg, name, dep)
			}
		}
	}
}
