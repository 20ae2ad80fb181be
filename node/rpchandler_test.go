package node

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/rpc"
	"github.com/keel-rollup/keel/web"
	"github.com/stretchr/testify/require"
)

type echoAPI struct{}

func (echoAPI) Echo(s string) string { return s }

// TestRPCHandlerServesTheWebApp: with the explorer on, a browser's GET of
// / is the web app while JSON-RPC POSTs still reach the API; with it off
// (--explorer=false), GET / serves no page.
func TestRPCHandlerServesTheWebApp(t *testing.T) {
	srv := rpc.NewServer()
	require.NoError(t, srv.RegisterName("keel", echoAPI{}))
	defer srv.Stop()
	for _, on := range []bool{true, false} {
		var app http.Handler
		if on {
			app = web.Handler()
		}
		hs := httptest.NewServer(rpcHandler(srv, app))
		r, err := http.Get(hs.URL + "/")
		require.NoError(t, err)
		page, _ := io.ReadAll(r.Body)
		r.Body.Close()
		require.Equal(t, on, strings.Contains(string(page), "<title>Keel explorer</title>"), "explorer %v", on)
		r, err = http.Post(hs.URL+"/", "application/json", strings.NewReader(`{"jsonrpc":"2.0","id":1,"method":"keel_echo","params":["hi"]}`))
		require.NoError(t, err)
		body, _ := io.ReadAll(r.Body)
		r.Body.Close()
		require.JSONEq(t, `{"jsonrpc":"2.0","id":1,"result":"hi"}`, string(body), "explorer %v", on)
		hs.Close()
	}
}
