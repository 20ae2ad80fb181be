// Package web is the node's web app: a live explorer (chain, batches,
// accounts, transactions, channels, the prover fleet) and a wallet page,
// served from the JSON-RPC port at / (keel node --explorer=false turns it
// off). Everything is embedded, so the page loads nothing from a CDN and
// works offline.
//
// The pages read the node through its own JSON-RPC API over one
// WebSocket, and update live from the newBatches and txStatus
// subscriptions. The wallet signs with Keel's Go code compiled to
// WebAssembly (static/keel.wasm.gz, built by `make web` from ../wasm/keel),
// so Poseidon2 and EdDSA exist once, in package vm; static/keel.mjs is the
// module's JS API, which also runs under Node for dapps.
package web

import (
	"embed"
	"io/fs"
	"net/http"
	"path"
	"strings"
)

//go:embed static
var static embed.FS

// Assets is the web app's files.
func Assets() fs.FS {
	sub, err := fs.Sub(static, "static")
	if err != nil {
		panic("web: embedded static directory missing") // broken build
	}
	return sub
}

// Handler serves the web app. A file stored gzipped (name.gz) is served
// as name with Content-Encoding: gzip, which every browser decompresses:
// the WASM module is the one such file, a seventh of its size on the
// wire. Only the wallet page asks for it.
func Handler() http.Handler {
	assets := Assets()
	files := http.FileServer(http.FS(assets))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Content-Type-Options", "nosniff")
		if strings.HasSuffix(r.URL.Path, ".gz") {
			name := strings.TrimPrefix(path.Clean(r.URL.Path), "/")
			data, err := fs.ReadFile(assets, name)
			if err != nil {
				http.NotFound(w, r)
				return
			}
			ctype := "application/octet-stream"
			if strings.HasSuffix(name, ".wasm.gz") {
				ctype = "application/wasm"
			}
			w.Header().Set("Content-Type", ctype)
			w.Header().Set("Content-Encoding", "gzip")
			w.Header().Set("Cache-Control", "no-cache")
			_, _ = w.Write(data)
			return
		}
		w.Header().Set("Cache-Control", "no-cache")
		files.ServeHTTP(w, r)
	})
}
