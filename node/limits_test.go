package node_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common/hexutil"
	gethnode "github.com/ethereum/go-ethereum/node"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/golang-jwt/jwt/v4"
	"github.com/keel-rollup/keel/client"
	"github.com/keel-rollup/keel/node"
	"github.com/stretchr/testify/require"
)

// TestRateLimitsAndAdminAuth: one connection that floods the RPC is
// throttled with an error that says so, while another connection is served
// at once; the admin namespace is absent from the public endpoint and, on
// its own port, refuses requests without a valid JWT and obeys one with it.
func TestRateLimitsAndAdminAuth(t *testing.T) {
	if testing.Short() {
		t.Skip("runs geth and the node; run without -short")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	dir := t.TempDir()
	cfg := testConfig(t, dir)
	cfg.RPCRateLimit, cfg.RPCRateBurst = 20, 20
	cfg.AdminAddr = "127.0.0.1:0"
	cfg.BatchTimeout = time.Hour // only admin_sealBatch seals
	n, c := startNode(t, ctx, cfg)
	defer func() { c.Close(); n.Stop(context.Background()) }()

	// A flood on one WebSocket: the burst passes, the rest is refused with
	// the limit's error.
	flood := func(rc *rpc.Client, calls int) (ok, limited int) {
		for i := 0; i < calls; i++ {
			var info client.ChainInfo
			err := rc.Call(&info, "keel_chainInfo")
			switch {
			case err == nil:
				ok++
			case strings.Contains(err.Error(), "rate limit exceeded"):
				var rerr rpc.Error
				require.ErrorAs(t, err, &rerr)
				require.Equal(t, -32005, rerr.ErrorCode())
				limited++
			default:
				t.Fatalf("unexpected error: %v", err)
			}
		}
		return ok, limited
	}
	a, err := rpc.DialContext(ctx, n.WSEndpoint())
	require.NoError(t, err)
	defer a.Close()
	ok, limited := flood(a, 60)
	require.GreaterOrEqual(t, ok, 20, "the burst is served")
	require.Less(t, ok, 40, "the flood is throttled")
	require.Equal(t, 60, ok+limited)

	// Another connection has its own bucket.
	b, err := rpc.DialContext(ctx, n.WSEndpoint())
	require.NoError(t, err)
	defer b.Close()
	ok, _ = flood(b, 10)
	require.Equal(t, 10, ok, "a second connection is not slowed by the first")

	// The flooder's bucket refills.
	time.Sleep(time.Second)
	ok, _ = flood(a, 5)
	require.Equal(t, 5, ok)

	// Over plain HTTP the client's IP is the connection, and each call of a
	// batch request counts.
	calls := make([]string, 50)
	for i := range calls {
		calls[i] = fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"method":"keel_chainInfo"}`, i)
	}
	raw := postRaw(t, n.RPCEndpoint(), "["+strings.Join(calls, ",")+"]", nil)
	require.Equal(t, http.StatusOK, raw.code)
	require.GreaterOrEqual(t, strings.Count(raw.body, "rate limit exceeded"), 25, "a batch of 50 calls from one IP exceeds a burst of 20")
	require.Positive(t, counterValue(t, n, "keel_rpc_rate_limited_total"))

	// Admin methods are not on the public endpoint.
	time.Sleep(time.Second)
	var head hexutil.Uint64
	err = c.Call(&head, "admin_sealBatch")
	require.ErrorContains(t, err, "does not exist")

	// On the admin port: no token, a token signed with another secret, a
	// stale token, and a token with no issued-at are all refused.
	secretHex, err := os.ReadFile(filepath.Join(dir, "admin.jwt"))
	require.NoError(t, err)
	secret, err := node.ParseJWTSecret(string(secretHex))
	require.NoError(t, err)
	body := `{"jsonrpc":"2.0","id":1,"method":"admin_nodeInfo"}`
	token := func(key []byte, claims jwt.MapClaims) string {
		s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(key)
		require.NoError(t, err)
		return "Bearer " + s
	}
	other := make([]byte, 32)
	for _, tc := range []struct{ name, auth, want string }{
		{"no token", "", "missing bearer token"},
		{"wrong secret", token(other, jwt.MapClaims{"iat": time.Now().Unix()}), "bad token"},
		{"stale", token(secret, jwt.MapClaims{"iat": time.Now().Add(-5 * time.Minute).Unix()}), "must be within"},
		{"no iat", token(secret, jwt.MapClaims{}), "no issued-at"},
		{"alg none", "Bearer " + unsignedToken(), "bad token"},
	} {
		r := postRaw(t, n.AdminEndpoint(), body, http.Header{"Authorization": {tc.auth}})
		require.Equal(t, http.StatusUnauthorized, r.code, tc.name)
		require.Contains(t, r.body, tc.want, tc.name)
	}

	// With geth's JWT client auth, the admin API works: a deposit waits in
	// the open batch until admin_sealBatch seals it.
	var key [32]byte
	copy(key[:], secret)
	adm, err := rpc.DialOptions(ctx, n.AdminEndpoint(), rpc.WithHTTPAuth(gethnode.NewJWTAuth(key)))
	require.NoError(t, err)
	defer adm.Close()
	alice := newUser(t, "admin alice", nil)
	fundUsers(t, ctx, n, b, 5000, alice)
	var info node.AdminInfo
	require.NoError(t, adm.Call(&info, "admin_nodeInfo"))
	require.EqualValues(t, 0, info.Sealed)
	waiting := info.Pending
	require.Positive(t, waiting, "the deposits wait in the open batch")
	require.EqualValues(t, waiting, info.NextDeposit, "every deposit so far is in the open batch")
	require.NoError(t, adm.Call(&head, "admin_sealBatch"))
	require.EqualValues(t, 1, head)
	require.NoError(t, adm.Call(&info, "admin_nodeInfo"))
	require.Equal(t, 0, info.Pending)
	require.EqualValues(t, 1, info.Sealed)
}

type rawReply struct {
	code int
	body string
}

func postRaw(t *testing.T, url, body string, h http.Header) rawReply {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	for k, v := range h {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return rawReply{resp.StatusCode, string(raw)}
}

// unsignedToken is a JWT with "alg": "none", which must never pass.
func unsignedToken() string {
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + enc([]byte(fmt.Sprintf(`{"iat":%d}`, time.Now().Unix()))) + "."
}

// counterValue reads a counter from the node's metrics registry.
func counterValue(t *testing.T, n *node.Node, name string) float64 {
	t.Helper()
	fams, err := n.Registry().Gather()
	require.NoError(t, err)
	for _, f := range fams {
		if f.GetName() == name {
			return f.GetMetric()[0].GetCounter().GetValue()
		}
	}
	t.Fatalf("no metric %s", name)
	return 0
}
