package client_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/rpc"
	"github.com/keel-rollup/keel/client"
	"github.com/stretchr/testify/require"
)

// TestDialNamesABadURL: a URL Dial cannot use is named before any
// dialling, with what to write instead.
func TestDialNamesABadURL(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct{ url, want string }{
		{"localhost:8645", `"localhost:8645": no scheme; write http://localhost:8645`},
		{"127.0.0.1:8645", `no scheme; write http://127.0.0.1:8645`},
		{"node.example", `no scheme; write http://node.example`},
		{"ftp://node.example", `scheme "ftp"; use http://, https://, ws:// or wss://`},
		{"http://", `no host`},
	} {
		_, err := client.Dial(ctx, tc.url)
		require.ErrorIs(t, err, client.ErrBadURL, tc.url)
		require.ErrorContains(t, err, tc.want, tc.url)
	}
}

// ethService is a JSON-RPC service that is not Keel's.
type ethService struct{}

func (ethService) ChainId() string { return "0x1" }

// TestEndpointThatIsNotKeel: an Ethereum node, a web server and a server
// that never answers are each named for what they are.
func TestEndpointThatIsNotKeel(t *testing.T) {
	ctx := context.Background()

	srv := rpc.NewServer()
	require.NoError(t, srv.RegisterName("eth", ethService{}))
	eth := httptest.NewServer(srv)
	defer eth.Close()
	c, err := client.Dial(ctx, eth.URL)
	require.NoError(t, err)
	_, err = c.ChainInfo(ctx)
	require.ErrorIs(t, err, client.ErrNotKeel)
	require.ErrorContains(t, err, "does not know keel_chainInfo")
	c.Close()

	web := httptest.NewServer(http.NotFoundHandler())
	defer web.Close()
	c, err = client.Dial(ctx, web.URL)
	require.NoError(t, err)
	_, err = c.ChainInfo(ctx)
	require.ErrorIs(t, err, client.ErrNotKeel)
	require.ErrorContains(t, err, "answered HTTP 404")
	c.Close()

	html := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte("<html>hello</html>"))
	}))
	defer html.Close()
	c, err = client.Dial(ctx, html.URL)
	require.NoError(t, err)
	_, err = c.ChainInfo(ctx)
	require.ErrorIs(t, err, client.ErrNotKeel)
	require.ErrorContains(t, err, "not JSON-RPC")
	c.Close()

	release := make(chan struct{})
	silent := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer silent.Close()
	defer close(release)
	c, err = client.Dial(ctx, silent.URL)
	require.NoError(t, err)
	require.Equal(t, client.DefaultCallTimeout, c.CallTimeout)
	c.CallTimeout = 200 * time.Millisecond
	start := time.Now()
	_, err = c.ChainInfo(ctx)
	require.ErrorIs(t, err, client.ErrNoAnswer)
	require.ErrorContains(t, err, "keel_chainInfo at "+silent.URL+": no answer within 200ms")
	require.Less(t, time.Since(start), 10*time.Second, "the call gave up")

	// A caller's own deadline is the caller's: it is not reported as the
	// node's silence.
	short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	_, err = c.ChainInfo(short)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	require.NotErrorIs(t, err, client.ErrNoAnswer)
	c.Close()
}
