package statechan

import (
	"go/parser"
	"go/token"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestImportsOnlyVM enforces ARCHITECTURE.md's floors for this package: of
// Keel's packages statechan imports vm alone. The chain it needs comes in
// through the Chain interface, which client.ChannelChain implements.
func TestImportsOnlyVM(t *testing.T) {
	const module = "github.com/keel-rollup/keel/"
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
			path := strings.Trim(imp.Path.Value, `"`)
			if strings.HasPrefix(path, module) {
				require.Equal(t, module+"vm", path, "%s imports %s, which the layering forbids", name, path)
			}
		}
	}
}
