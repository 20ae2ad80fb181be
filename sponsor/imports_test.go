package sponsor

import (
	"go/parser"
	"go/token"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestImportsOnlyVMAndClient: the sponsor is a driver around vm's
// signatures and a client of the node; it never links the node, the
// sequencer or the prover.
func TestImportsOnlyVMAndClient(t *testing.T) {
	const module = "github.com/keel-rollup/keel/"
	allowed := map[string]bool{"vm": true, "client": true}
	entries, err := os.ReadDir(".")
	require.NoError(t, err)
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, parser.ImportsOnly)
		require.NoError(t, err)
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			if rest, ok := strings.CutPrefix(path, module); ok {
				require.True(t, allowed[rest], "%s imports %s", name, path)
			}
		}
	}
}
