package node

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/rpc"
	"github.com/golang-jwt/jwt/v4"
	"github.com/stretchr/testify/require"
)

// TestJWTSecretFile: a missing secret file is created (owner-only), an
// existing one is read back, and a damaged one is an error that says what
// the file must hold.
func TestJWTSecretFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "admin.jwt")
	secret, created, err := loadOrCreateJWTSecret(path)
	require.NoError(t, err)
	require.True(t, created)
	require.Len(t, secret, 32)
	st, err := os.Stat(path)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o600), st.Mode().Perm())
	again, created, err := loadOrCreateJWTSecret(path)
	require.NoError(t, err)
	require.False(t, created)
	require.Equal(t, secret, again)

	require.NoError(t, os.WriteFile(path, []byte("0x1234"), 0o600))
	_, _, err = loadOrCreateJWTSecret(path)
	require.ErrorContains(t, err, "want 32 bytes in hex")
}

// TestJWTChecks: the token rules one by one, on a fixed clock.
func TestJWTChecks(t *testing.T) {
	secret := []byte(strings.Repeat("k", 32))
	now := time.Unix(1_800_000_000, 0)
	h := newJWTHandler(secret, nil)
	h.now = func() time.Time { return now }
	sign := func(claims jwt.MapClaims, method jwt.SigningMethod, key any) string {
		s, err := jwt.NewWithClaims(method, claims).SignedString(key)
		require.NoError(t, err)
		return "Bearer " + s
	}
	require.NoError(t, h.check(sign(jwt.MapClaims{"iat": now.Unix()}, jwt.SigningMethodHS256, secret)))
	require.NoError(t, h.check(sign(jwt.MapClaims{"iat": now.Add(-59 * time.Second).Unix()}, jwt.SigningMethodHS256, secret)), "within the drift")
	for name, auth := range map[string]string{
		"no bearer":       "Basic abc",
		"future":          sign(jwt.MapClaims{"iat": now.Add(2 * time.Minute).Unix()}, jwt.SigningMethodHS256, secret),
		"expired":         sign(jwt.MapClaims{"iat": now.Unix(), "exp": now.Add(-time.Second).Unix()}, jwt.SigningMethodHS256, secret),
		"HS512":           sign(jwt.MapClaims{"iat": now.Unix()}, jwt.SigningMethodHS512, secret),
		"another secret":  sign(jwt.MapClaims{"iat": now.Unix()}, jwt.SigningMethodHS256, []byte(strings.Repeat("x", 32))),
		"garbage":         "Bearer not.a.token",
		"no issued-at":    sign(jwt.MapClaims{}, jwt.SigningMethodHS256, secret),
		"iat not numeric": sign(jwt.MapClaims{"iat": "soon"}, jwt.SigningMethodHS256, secret),
	} {
		require.Error(t, h.check(auth), name)
	}
}

// TestConnLimiterBuckets: connections have their own buckets, an HTTP
// client's buckets are per IP, and idle buckets are forgotten.
func TestConnLimiterBuckets(t *testing.T) {
	l := newConnLimiter(1, 2, nil)
	require.Nil(t, newConnLimiter(0, 0, nil), "0 turns the limit off")
	ws := func(addr string) rpc.PeerInfo { return rpc.PeerInfo{Transport: "ws", RemoteAddr: addr} }
	http := func(addr string) rpc.PeerInfo { return rpc.PeerInfo{Transport: "http", RemoteAddr: addr} }
	require.Equal(t, "http/10.0.0.1", connKey(http("10.0.0.1:5000")))
	require.Equal(t, connKey(http("10.0.0.1:5000")), connKey(http("10.0.0.1:6000")), "one IP, one bucket over HTTP")
	require.NotEqual(t, connKey(ws("10.0.0.1:5000")), connKey(ws("10.0.0.1:6000")), "one bucket per WebSocket")

	a := ws("10.0.0.1:1")
	require.NoError(t, l.allowPeer(a))
	require.NoError(t, l.allowPeer(a))
	require.Error(t, l.allowPeer(a), "burst of 2 spent")
	require.NoError(t, l.allowPeer(ws("10.0.0.1:2")), "another connection")

	l.mu.Lock()
	for _, b := range l.buckets {
		b.seen = time.Now().Add(-2 * idleBucket)
	}
	l.sweepLocked(time.Now())
	n := len(l.buckets)
	l.mu.Unlock()
	require.Zero(t, n, "idle buckets are forgotten")
}
