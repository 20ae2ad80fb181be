package node

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/golang-jwt/jwt/v4"
)

// The admin_ namespace lets the operator act on the node: seal the open
// batch now, read its internals. It is off by default. When on, it listens
// on its own address and every request must carry a JWT signed with a
// shared secret, the scheme of geth's engine API (and so of every consensus
// client): HS256, an "iat" claim within a minute of now, the secret a
// 32-byte hex file. Clients build such tokens with go-ethereum's
// node.NewJWTAuth.

// jwtDrift is how far a token's issued-at may be from now, as in geth.
const jwtDrift = 60 * time.Second

// AdminAPI is the admin_ JSON-RPC namespace.
type AdminAPI struct{ n *Node }

// AdminInfo is what admin_nodeInfo returns.
type AdminInfo struct {
	Sealed    hexutil.Uint64 `json:"sealed"`
	Proven    hexutil.Uint64 `json:"proven"`
	Finalized hexutil.Uint64 `json:"finalized"`
	// Pending counts acknowledged transactions and deposits not yet in a
	// sealed batch; Pool is the mempool's size.
	Pending int `json:"pending"`
	Pool    int `json:"pool"`
	// NextDeposit is the next L1 priority request the sequencer expects.
	NextDeposit hexutil.Uint64 `json:"nextDeposit"`
	// L1Error is the bridge's latest L1 error, if any.
	L1Error string `json:"l1Error,omitempty"`
}

// SealBatch seals the open batch now rather than at its timeout and
// returns the last sealed batch number.
func (a *AdminAPI) SealBatch() (hexutil.Uint64, error) {
	n, err := a.n.seq.SealNow()
	if err != nil {
		return 0, wrapErr(err)
	}
	return hexutil.Uint64(n), nil
}

// NodeInfo reports the node's internals.
func (a *AdminAPI) NodeInfo() (*AdminInfo, error) {
	n := a.n
	sealed, proven, finalized := n.seq.Heads()
	st := n.seq.MempoolStats()
	info := &AdminInfo{Sealed: hexutil.Uint64(sealed), Proven: hexutil.Uint64(proven), Finalized: hexutil.Uint64(finalized),
		Pending: n.seq.PendingCount(), Pool: st.Executable + st.Future, NextDeposit: hexutil.Uint64(n.seq.NextPriority())}
	if err := n.watcher.Err(); err != nil {
		info.L1Error = err.Error()
	}
	return info, nil
}

// startAdmin serves admin_ on AdminAddr behind JWT, if configured.
func (n *Node) startAdmin(ctx context.Context) error {
	if n.cfg.AdminAddr == "" {
		return nil
	}
	secret, created, err := loadOrCreateJWTSecret(n.cfg.AdminJWTSecret)
	if err != nil {
		return err
	}
	if created {
		n.log.Info().Str("file", n.cfg.AdminJWTSecret).Msg("wrote a new admin JWT secret")
	}
	srv := rpc.NewServer()
	srv.SetHTTPBodyLimit(n.cfg.MaxBodyBytes)
	srv.SetBatchLimits(n.cfg.BatchItems, 10<<20)
	if err := srv.RegisterName("admin", &AdminAPI{n: n}); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", n.cfg.AdminAddr)
	if err != nil {
		return fmt.Errorf("listen on %s (set --admin-addr, or empty to turn the admin API off): %w", n.cfg.AdminAddr, err)
	}
	hs := &http.Server{Handler: newJWTHandler(secret, srv), ReadHeaderTimeout: 10 * time.Second}
	n.adminSrv, n.adminAddr = hs, ln.Addr()
	go hs.Serve(ln)
	n.onStop(func(ctx context.Context) error { srv.Stop(); return hs.Close() })
	n.log.Info().Str("addr", ln.Addr().String()).Str("jwt-secret", n.cfg.AdminJWTSecret).Msg("admin RPC on (JWT)")
	return nil
}

// AdminEndpoint is the admin JSON-RPC URL, or "" when it is off.
func (n *Node) AdminEndpoint() string {
	if n.adminAddr == nil {
		return ""
	}
	return "http://" + n.adminAddr.String()
}

// loadOrCreateJWTSecret reads a 32-byte hex secret (0x optional, as geth's
// jwt.hex), or writes a random one, readable by the owner only, if the file
// does not exist.
func loadOrCreateJWTSecret(path string) (secret []byte, created bool, err error) {
	raw, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		secret = make([]byte, 32)
		if _, err := rand.Read(secret); err != nil {
			return nil, false, err
		}
		if err := os.WriteFile(path, []byte(hex.EncodeToString(secret)), 0o600); err != nil {
			return nil, false, fmt.Errorf("write admin JWT secret: %w", err)
		}
		return secret, true, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("read admin JWT secret: %w", err)
	}
	secret, err = ParseJWTSecret(string(raw))
	if err != nil {
		return nil, false, fmt.Errorf("admin JWT secret %s: %w", path, err)
	}
	return secret, false, nil
}

// ParseJWTSecret decodes a JWT secret file's contents: 32 bytes in hex.
func ParseJWTSecret(s string) ([]byte, error) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "0x")
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != 32 {
		return nil, errors.New("want 32 bytes in hex (64 hex digits, as geth's jwt.hex)")
	}
	return b, nil
}

// jwtHandler lets through only requests bearing a valid token.
type jwtHandler struct {
	secret []byte
	next   http.Handler
	now    func() time.Time
}

func newJWTHandler(secret []byte, next http.Handler) *jwtHandler {
	return &jwtHandler{secret: secret, next: next, now: time.Now}
}

func (h *jwtHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := h.check(r.Header.Get("Authorization")); err != nil {
		http.Error(w, "admin API: "+err.Error(), http.StatusUnauthorized)
		return
	}
	h.next.ServeHTTP(w, r)
}

// check validates an Authorization header's bearer token.
func (h *jwtHandler) check(auth string) error {
	if len(auth) < 7 || !strings.EqualFold(auth[:7], "bearer ") {
		return errors.New("missing bearer token (sign one with the admin JWT secret)")
	}
	var claims jwt.RegisteredClaims
	// Only HS256; the library's own time checks are off because iat may
	// drift either way by jwtDrift, which is checked below.
	tok, err := jwt.ParseWithClaims(auth[7:], &claims, func(*jwt.Token) (any, error) { return h.secret, nil },
		jwt.WithValidMethods([]string{"HS256"}), jwt.WithoutClaimsValidation())
	switch {
	case err != nil:
		return fmt.Errorf("bad token: %v", err)
	case !tok.Valid:
		return errors.New("bad token")
	case claims.IssuedAt == nil:
		return errors.New("token has no issued-at (iat) claim")
	}
	now := h.now()
	if !claims.VerifyExpiresAt(now, false) {
		return errors.New("token expired")
	}
	if d := now.Sub(claims.IssuedAt.Time); d > jwtDrift || d < -jwtDrift {
		return fmt.Errorf("token issued %s from now; it must be within %s (check the clock)", d.Round(time.Second), jwtDrift)
	}
	return nil
}
