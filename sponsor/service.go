package sponsor

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/rs/zerolog"

	"github.com/keel-rollup/keel/client"
	"github.com/keel-rollup/keel/vm"
)

// Defaults of Config.
const (
	DefaultListenAddr   = "127.0.0.1:8650"
	DefaultMaxBodyBytes = 16 << 10
	DefaultNonceWindow  = 16
	DefaultNodeTimeout  = 10 * time.Second
)

// AccountReader reads an account from the node: its key and its next
// nonce. *client.Client is one; tests use a fake.
type AccountReader interface {
	Account(ctx context.Context, index uint32) (*client.Account, error)
}

var _ AccountReader = (*client.Client)(nil)

// Config configures a Service.
type Config struct {
	// Key is the sponsor's L2 key, which owns account Account and signs.
	Key *vm.PrivateKey
	// Account is the sponsor's account index: the one that pays the fees,
	// which a sponsored transaction names.
	Account uint32
	// ChainID is the L2 chain it pays on.
	ChainID uint64
	// Policy is what it pays for.
	Policy *Policy
	// DataDir holds the ledger.
	DataDir string
	// FS is the ledger's filesystem; nil is the OS's. Tests pass
	// vfs.NewMem.
	FS vfs.FS
	// ListenAddr is where Start serves the HTTP API (DefaultListenAddr;
	// "127.0.0.1:0" picks a free port, see Addr).
	ListenAddr string
	// Node reads users' accounts: their keys, to check their signatures,
	// and their nonces, so that an old transaction cannot be replayed to
	// spend the budget.
	Node AccountReader
	// Clock is the time source of the daily budget and the rate window;
	// nil is time.Now.
	Clock func() time.Time
	// MaxBodyBytes caps a request body (DefaultMaxBodyBytes).
	MaxBodyBytes int64
	// NonceWindow is how far ahead of the account's next nonce a
	// transaction's may be (DefaultNonceWindow): a user may have a few
	// transactions in flight, not sign a stock of future ones.
	NonceWindow uint32
	// NodeTimeout bounds each account read (DefaultNodeTimeout).
	NodeTimeout time.Duration
	// MetricsHandler, when set, is served at /metrics beside the API
	// (for example promhttp.HandlerFor on PromMetrics' registry).
	MetricsHandler http.Handler
}

// Validate checks the config and fills in defaults.
func (c *Config) Validate() error {
	switch {
	case c.Key == nil:
		return errors.New("sponsor: no sponsor key")
	case c.Policy == nil:
		return errors.New("sponsor: no policy")
	case c.DataDir == "":
		return errors.New("sponsor: no data directory")
	case c.Node == nil:
		return errors.New("sponsor: no node to read accounts from")
	case c.MaxBodyBytes < 0:
		return fmt.Errorf("sponsor: max body bytes %d; it must be positive (0 for the default)", c.MaxBodyBytes)
	}
	if err := c.Policy.Validate(); err != nil {
		return err
	}
	if c.ListenAddr == "" {
		c.ListenAddr = DefaultListenAddr
	}
	if c.Clock == nil {
		c.Clock = time.Now
	}
	if c.MaxBodyBytes == 0 {
		c.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if c.NonceWindow == 0 {
		c.NonceWindow = DefaultNonceWindow
	}
	if c.NodeTimeout <= 0 {
		c.NodeTimeout = DefaultNodeTimeout
	}
	return nil
}

// Service is a sponsor: it co-signs the transactions its policy pays for,
// over HTTP (see Handler), charging each one's fee to its ledger first.
// Its methods are safe for concurrent use.
type Service struct {
	cfg     Config
	log     zerolog.Logger
	metrics Metrics
	ledger  *Ledger
	handler http.Handler

	life    sync.Mutex
	srv     *http.Server
	addr    net.Addr
	done    chan struct{} // closed when Serve returns
	started bool
	stopped bool
}

var _ interface {
	Start(context.Context) error
	Stop(context.Context) error
} = (*Service)(nil)

// New checks cfg and opens the ledger in cfg.DataDir. Nothing listens
// until Start; Stop closes the ledger whether or not it started. m may be
// nil.
func New(cfg Config, log zerolog.Logger, m Metrics) (*Service, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if m == nil {
		m = NoopMetrics{}
	}
	log = log.With().Str("component", "sponsor").Logger()
	ledger, err := OpenLedger(filepath.Join(cfg.DataDir, "ledger"), &LedgerOptions{FS: cfg.FS, Logger: log})
	if err != nil {
		return nil, fmt.Errorf("sponsor: init ledger: %w", err)
	}
	s := &Service{cfg: cfg, log: log, metrics: m, ledger: ledger}
	mux := http.NewServeMux()
	mux.HandleFunc("/info", s.serveInfo)
	mux.HandleFunc("/sponsor", s.serveSponsor)
	if cfg.MetricsHandler != nil {
		mux.Handle("/metrics", cfg.MetricsHandler)
	}
	s.handler = allowCrossOrigin(mux)
	return s, nil
}

// Start checks that the sponsor's key owns its account on the node, then
// serves the HTTP API on cfg.ListenAddr until Stop. A node that does not
// answer yet is only a warning: each request reads it again.
func (s *Service) Start(ctx context.Context) error {
	s.life.Lock()
	defer s.life.Unlock()
	if s.started || s.stopped {
		return errors.New("sponsor: already started")
	}
	if err := s.checkOwnAccount(ctx); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", s.cfg.ListenAddr)
	if err != nil {
		return fmt.Errorf("sponsor: listen on %s: %w", s.cfg.ListenAddr, err)
	}
	s.started, s.addr, s.done = true, ln.Addr(), make(chan struct{})
	s.srv = &http.Server{Handler: s.handler, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, WriteTimeout: 30 * time.Second}
	go func() {
		defer close(s.done)
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error().Err(err).Msg("HTTP server stopped")
		}
	}()
	s.log.Info().Str("addr", s.addr.String()).Uint32("account", s.cfg.Account).Uint64("chainId", s.cfg.ChainID).
		Uint64("maxFee", s.cfg.Policy.MaxFee).Uint64("dailyBudget", s.cfg.Policy.DailyBudget).Msg("sponsoring")
	return nil
}

func (s *Service) checkOwnAccount(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.NodeTimeout)
	defer cancel()
	acc, err := s.cfg.Node.Account(ctx, s.cfg.Account)
	if err != nil {
		s.log.Warn().Err(err).Uint32("account", s.cfg.Account).Msg("cannot read the sponsor's account from the node yet")
		return nil
	}
	if acc.Kind != "account" || acc.PubKey == nil {
		return fmt.Errorf("sponsor: account %d is %s on the node: the sponsor's account must exist (deposit to the key first)", s.cfg.Account, acc.Kind)
	}
	if *acc.PubKey != s.cfg.Key.Public() {
		return fmt.Errorf("sponsor: account %d belongs to key %s, not to the sponsor's key %s: check the account index", s.cfg.Account, acc.PubKey, s.cfg.Key.Public())
	}
	return nil
}

// Stop stops serving (waiting for requests in flight, until ctx ends:
// then it drops them) and closes the ledger. A request dropped so was
// charged in full or not at all; one charged whose answer was lost gets
// its signature for nothing when the client asks again (see Charge.Key).
// Stop is idempotent.
func (s *Service) Stop(ctx context.Context) error {
	s.life.Lock()
	defer s.life.Unlock()
	if s.stopped {
		return nil
	}
	s.stopped = true
	var errs []error
	if s.srv != nil {
		if err := s.srv.Shutdown(ctx); err != nil {
			errs = append(errs, fmt.Errorf("sponsor: shutdown: %w", err), s.srv.Close())
		}
		<-s.done
	}
	errs = append(errs, s.ledger.Close())
	return errors.Join(errs...)
}

// Addr is the address Start listens on; nil before Start.
func (s *Service) Addr() net.Addr {
	s.life.Lock()
	defer s.life.Unlock()
	return s.addr
}

// URL is the API's root URL, for client.NewSponsorClient; empty before
// Start.
func (s *Service) URL() string {
	if a := s.Addr(); a != nil {
		return "http://" + a.String()
	}
	return ""
}

// Handler is the HTTP API, for a caller that serves it itself (or
// httptest): GET /info, POST /sponsor, and /metrics when configured.
func (s *Service) Handler() http.Handler { return s.handler }

// Info is what GET /info answers.
func (s *Service) Info() (*client.SponsorInfo, error) {
	spent, err := s.ledger.Spent(s.cfg.Clock())
	if err != nil {
		return nil, err
	}
	p := s.cfg.Policy
	return &client.SponsorInfo{
		Sponsor:        s.cfg.Account,
		ChainID:        strconv.FormatUint(s.cfg.ChainID, 10),
		MaxFee:         strconv.FormatUint(p.MaxFee, 10),
		Types:          p.TypeNames(),
		DailyBudget:    strconv.FormatUint(p.DailyBudget, 10),
		SpentToday:     strconv.FormatUint(spent, 10),
		PerUserPerHour: p.PerUserPerHour,
	}, nil
}

func refuse(code client.SponsorCode, format string, args ...any) *client.SponsorRefusal {
	return &client.SponsorRefusal{Code: code, Reason: fmt.Sprintf(format, args...), Status: statusOf(code)}
}

// statusOf is the HTTP status a refusal answers with.
func statusOf(code client.SponsorCode) int {
	switch code {
	case client.SponsorMalformed, client.SponsorChain:
		return http.StatusBadRequest
	case client.SponsorType, client.SponsorAccount, client.SponsorFee, client.SponsorSignature:
		return http.StatusForbidden
	case client.SponsorNonce:
		return http.StatusConflict
	case client.SponsorBudget, client.SponsorRate:
		return http.StatusTooManyRequests
	case client.SponsorUnavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// Sponsor checks the user's signed transaction against the policy, the
// node and the ledger, charges its fee durably and returns a copy with
// the sponsor's signature. A refusal is a *client.SponsorRefusal whose
// reason says what was wrong. The checks, in order: the chain; a transfer
// or withdrawal that names this sponsor; the policy's types, accounts and
// max fee; the transaction's own consistency (vm.Tx.CheckStatic); the
// sender's signature against its account's key on the node, and its nonce
// (not used, not too far ahead); then the day's budget and the sender's
// rate, which the charge checks and records as one step.
func (s *Service) Sponsor(ctx context.Context, in *vm.Tx) (*vm.Tx, error) {
	if in == nil {
		s.metrics.Refused(client.SponsorMalformed)
		return nil, refuse(client.SponsorMalformed, "no transaction")
	}
	tx, ref := s.sponsor(ctx, in)
	if ref != nil {
		s.metrics.Refused(ref.Code)
		s.log.Info().Str("code", string(ref.Code)).Uint32("from", in.From).Str("reason", ref.Reason).Msg("refused")
		return nil, ref
	}
	return tx, nil
}

func (s *Service) sponsor(ctx context.Context, in *vm.Tx) (*vm.Tx, *client.SponsorRefusal) {
	cfg, p := &s.cfg, s.cfg.Policy
	tx := *in
	switch {
	case tx.ChainID != cfg.ChainID:
		return nil, refuse(client.SponsorChain, "the transaction is for chain %d; this sponsor pays on chain %d", tx.ChainID, cfg.ChainID)
	case !tx.Type.CanBeSponsored():
		return nil, refuse(client.SponsorType, "a %s cannot be sponsored: only transfers and withdrawals can", tx.Type)
	case !tx.Sponsored:
		return nil, refuse(client.SponsorMalformed, "the transaction names no sponsor: set \"sponsor\": %d (this sponsor's account) and sign it again", cfg.Account)
	case tx.Sponsor != cfg.Account:
		return nil, refuse(client.SponsorMalformed, "the transaction names sponsor %d; this sponsor is account %d", tx.Sponsor, cfg.Account)
	case !p.AllowsType(tx.Type):
		return nil, refuse(client.SponsorType, "this sponsor pays for %v only, not a %s", p.TypeNames(), tx.Type)
	case !p.AllowsAccount(tx.From):
		return nil, refuse(client.SponsorAccount, "this sponsor does not pay for account %d's transactions", tx.From)
	case tx.Fee > p.MaxFee:
		return nil, refuse(client.SponsorFee, "the fee of %d gwei is above this sponsor's max fee of %d gwei: sign it again with a fee of at most %d", tx.Fee, p.MaxFee, p.MaxFee)
	}
	if err := tx.CheckStatic(cfg.ChainID, vm.MaxDepth); err != nil {
		return nil, refuse(client.SponsorMalformed, "%v", err)
	}
	actx, cancel := context.WithTimeout(ctx, cfg.NodeTimeout)
	acc, err := cfg.Node.Account(actx, tx.From)
	cancel()
	if err != nil {
		return nil, refuse(client.SponsorUnavailable, "cannot read account %d from the node: %v", tx.From, err)
	}
	if acc.Kind != "account" || acc.PubKey == nil {
		return nil, refuse(client.SponsorAccount, "account %d does not exist on the node (it is %s)", tx.From, acc.Kind)
	}
	if !tx.VerifySignature(*acc.PubKey) {
		return nil, refuse(client.SponsorSignature, "the sender's signature does not verify against account %d's key %s", tx.From, acc.PubKey)
	}
	if tx.Nonce < acc.Nonce {
		return nil, refuse(client.SponsorNonce, "nonce %d is used already: account %d's next nonce is %d", tx.Nonce, tx.From, acc.Nonce)
	}
	if tx.Nonce-acc.Nonce >= cfg.NonceWindow {
		return nil, refuse(client.SponsorNonce, "nonce %d is %d ahead of account %d's next nonce %d; this sponsor signs at most %d ahead",
			tx.Nonce, tx.Nonce-acc.Nonce, tx.From, acc.Nonce, cfg.NonceWindow-1)
	}
	if err := tx.SignSponsor(cfg.Key); err != nil {
		return nil, refuse(client.SponsorInternal, "sign: %v", err)
	}
	msg := tx.Message()
	usage, err := s.ledger.Charge(Charge{User: tx.From, Fee: tx.Fee, Key: msg.Bytes(), Time: cfg.Clock()},
		Limits{DailyBudget: p.DailyBudget, PerUserPerHour: p.PerUserPerHour})
	var lim *LimitError
	switch {
	case errors.As(err, &lim) && errors.Is(err, ErrBudget):
		return nil, refuse(client.SponsorBudget, "%s", lim.Detail)
	case errors.As(err, &lim):
		return nil, refuse(client.SponsorRate, "%s", lim.Detail)
	case err != nil:
		s.log.Error().Err(err).Msg("cannot record a charge: signing nothing")
		return nil, refuse(client.SponsorInternal, "the sponsor cannot record the charge; try again later")
	}
	fee := tx.Fee
	if usage.Repeat {
		fee = 0
	}
	s.metrics.Signed(fee)
	s.log.Info().Str("tx", tx.Hash().Hex()).Uint32("from", tx.From).Stringer("type", tx.Type).Uint64("fee", tx.Fee).
		Bool("repeat", usage.Repeat).Uint64("spentToday", usage.Spent).Msg("sponsored")
	return &tx, nil
}

func (s *Service) serveInfo(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		s.reject(w, refuse(client.SponsorMalformed, "GET /info, not %s", r.Method), http.StatusMethodNotAllowed)
		return
	}
	info, err := s.Info()
	if err != nil {
		s.log.Error().Err(err).Msg("cannot read the ledger")
		s.reject(w, refuse(client.SponsorInternal, "the sponsor cannot read its ledger; try again later"), 0)
		return
	}
	writeJSON(w, http.StatusOK, info)
}

func (s *Service) serveSponsor(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		s.reject(w, refuse(client.SponsorMalformed, "POST the signed transaction to /sponsor, not %s", r.Method), http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes))
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		s.reject(w, refuse(client.SponsorMalformed, "the request body is over %d bytes; send one transaction's JSON", s.cfg.MaxBodyBytes), http.StatusRequestEntityTooLarge)
		return
	}
	if err != nil {
		s.reject(w, refuse(client.SponsorMalformed, "read the request body: %v", err), 0)
		return
	}
	tx, ref := decodeRequest(body)
	if ref != nil {
		s.reject(w, ref, 0)
		return
	}
	signed, err := s.Sponsor(r.Context(), tx)
	if errors.As(err, &ref) {
		writeJSON(w, ref.Status, ref) // Sponsor counted it
		return
	}
	writeJSON(w, http.StatusOK, client.SponsorResult{Tx: signed, Hash: signed.Hash()})
}

// decodeRequest reads POST /sponsor's body: one transaction's JSON, as
// vm.Tx decodes it (strictly: unknown, missing and unused fields are
// errors).
func decodeRequest(body []byte) (*vm.Tx, *client.SponsorRefusal) {
	var tx vm.Tx
	if err := tx.UnmarshalJSON(body); err != nil {
		return nil, refuse(client.SponsorMalformed, "the body is not a transaction's JSON: %v", err)
	}
	return &tx, nil
}

// reject answers a refusal made before Sponsor ran, counting it; status 0
// is the code's.
func (s *Service) reject(w http.ResponseWriter, ref *client.SponsorRefusal, status int) {
	if status == 0 {
		status = ref.Status
	}
	s.metrics.Refused(ref.Code)
	s.log.Debug().Str("code", string(ref.Code)).Str("reason", ref.Reason).Msg("refused")
	writeJSON(w, status, ref)
}

// allowCrossOrigin lets a wallet in a browser, served from any origin,
// call the API: it is public, takes no cookies or credentials, and each
// request is judged on the signed transaction it carries. A preflight
// gets its answer here.
func allowCrossOrigin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Access-Control-Allow-Origin", "*")
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			h.Set("Access-Control-Allow-Methods", "GET, POST")
			h.Set("Access-Control-Allow-Headers", "Content-Type")
			h.Set("Access-Control-Max-Age", "3600")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
