package web

// The wallet's WebAssembly module, wasm/keel, built small (-s -w strips
// the symbol and DWARF tables) and stored gzipped, as the handler serves
// it; and Go's loader for it, which must come from the same Go release as
// the module. -buildvcs=false keeps the commit hash out of the module, so
// that regenerating unchanged code at a later commit changes no file. The
// raw module is built beside this file, outside static/ so that it is
// never embedded, and removed once gzipped. (go generate expands $NAME
// itself, so the directive cannot keep a temporary path in a shell
// variable.) cat, not cp: a downloaded toolchain's files are read-only,
// and cp would copy that mode.
//go:generate sh -c "GOOS=js GOARCH=wasm go build -trimpath -buildvcs=false -ldflags='-s -w' -o keel.wasm ../wasm/keel && gzip -9n <keel.wasm >static/keel.wasm.gz && rm keel.wasm && cat \"$(go env GOROOT)/lib/wasm/wasm_exec.js\" >static/wasm_exec.js"
