package client

import (
	"go/parser"
	"go/token"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestImportsNoServer keeps the SDK light: it may use vm and the L1
// bindings, never the node or anything behind it, so that a wallet
// linking it links none of the server (and node, which imports client,
// cannot form a cycle).
func TestImportsNoServer(t *testing.T) {
	const module = "github.com/keel-rollup/keel/"
	allowed := map[string]bool{"vm": true, "l1contracts": true}
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
