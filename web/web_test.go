package web_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"

	"github.com/keel-rollup/keel/web"
	"github.com/stretchr/testify/require"
)

func get(t *testing.T, srv *httptest.Server, path string) *http.Response {
	t.Helper()
	r, err := http.Get(srv.URL + path)
	require.NoError(t, err)
	t.Cleanup(func() { r.Body.Close() })
	require.Equal(t, http.StatusOK, r.StatusCode, path)
	return r
}

// TestExplorerFirstLoad: the explorer's first load (the page, what it
// references, and the modules they import statically; the wallet's WASM
// is loaded only by the wallet page) is at most 300 KB, all of it
// served by the node.
func TestExplorerFirstLoad(t *testing.T) {
	srv := httptest.NewServer(web.Handler())
	defer srv.Close()
	refs := regexp.MustCompile(`(?:src|href)="([\w./-]+)"`)
	imports := regexp.MustCompile(`(?m)^import [^;]*from "\./([\w.-]+)"`)
	seen := map[string]bool{}
	queue := []string{"/"}
	total := 0
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		if seen[p] {
			continue
		}
		seen[p] = true
		body, err := io.ReadAll(get(t, srv, p).Body)
		require.NoError(t, err)
		total += len(body)
		t.Logf("%-28s %7d bytes", p, len(body))
		for _, m := range refs.FindAllSubmatch(body, -1) {
			queue = append(queue, "/"+string(m[1]))
		}
		for _, m := range imports.FindAllSubmatch(body, -1) {
			queue = append(queue, "/"+string(m[1]))
		}
	}
	t.Logf("explorer first load: %d bytes in %d files", total, len(seen))
	require.True(t, seen["/app.js"] && seen["/rpc.js"] && seen["/vendor/uPlot.iife.min.js"], "the crawl found the app: %v", seen)
	require.False(t, seen["/keel.wasm.gz"] || seen["/wallet.js"], "the explorer does not load the wallet")
	require.LessOrEqual(t, total, 300<<10, "the explorer's first load is at most 300 KB")
}

// TestWasmServedGzipped: the module is sent compressed, as WebAssembly,
// and decompresses to a WASM binary.
func TestWasmServedGzipped(t *testing.T) {
	srv := httptest.NewServer(web.Handler())
	defer srv.Close()
	// A client that does not undo the encoding itself, to see the wire.
	req, err := http.NewRequest(http.MethodGet, srv.URL+"/keel.wasm.gz", nil)
	require.NoError(t, err)
	req.Header.Set("Accept-Encoding", "gzip")
	r, err := http.DefaultTransport.RoundTrip(req)
	require.NoError(t, err)
	defer r.Body.Close()
	require.Equal(t, http.StatusOK, r.StatusCode)
	require.Equal(t, "gzip", r.Header.Get("Content-Encoding"))
	require.Equal(t, "application/wasm", r.Header.Get("Content-Type"))
	zr, err := gzip.NewReader(r.Body)
	require.NoError(t, err)
	raw, err := io.ReadAll(zr)
	require.NoError(t, err)
	require.True(t, bytes.HasPrefix(raw, []byte("\x00asm")), "a WebAssembly module")
	t.Logf("keel.wasm: %d bytes, served gzipped", len(raw))

	nf, err := http.Get(srv.URL + "/nothing.gz")
	require.NoError(t, err)
	nf.Body.Close()
	require.Equal(t, http.StatusNotFound, nf.StatusCode)
}
