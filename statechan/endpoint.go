package statechan

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/gorilla/websocket"
	"github.com/rs/zerolog"

	"github.com/keel-rollup/keel/vm"
)

// Config configures an Endpoint.
type Config struct {
	// Key is this party's L2 key; it signs every state and the handshake.
	Key *vm.PrivateKey
	// Dir is the store's data directory.
	Dir string
	// FS is the filesystem the store runs on; nil means the OS filesystem.
	FS vfs.FS
	// Logger receives the endpoint's logs; the zero Logger drops them.
	Logger zerolog.Logger
	// Metrics receives measurements; nil means NoopMetrics.
	Metrics Metrics
	// HandshakeTimeout bounds the websocket upgrade, hello, auth and sync;
	// 0 means DefaultHandshakeTimeout.
	HandshakeTimeout time.Duration
	// WriteTimeout bounds one message write; 0 means DefaultWriteTimeout.
	WriteTimeout time.Duration
	// OnPayment, if set, is called for every payment received, once the
	// state that carries it is co-signed and durable, before it is
	// acknowledged. It runs on the session's goroutine: return quickly. A
	// crash can fall between the write and the call, so it is at most once;
	// the store (State) is the record, the callback a notification.
	OnPayment func(Payment)

	// hooks are crash points for tests.
	hooks *hooks
}

// Defaults.
const (
	DefaultHandshakeTimeout = 10 * time.Second
	DefaultWriteTimeout     = 10 * time.Second
)

// Validate checks the configuration.
func (c *Config) Validate() error {
	if c.Key == nil {
		return errors.New("statechan: config: no key")
	}
	if c.Dir == "" {
		return errors.New("statechan: config: no data directory")
	}
	if c.HandshakeTimeout < 0 || c.WriteTimeout < 0 {
		return errors.New("statechan: config: negative timeout")
	}
	return nil
}

func (c Config) withDefaults() Config {
	if c.Metrics == nil {
		c.Metrics = NoopMetrics{}
	}
	if c.HandshakeTimeout == 0 {
		c.HandshakeTimeout = DefaultHandshakeTimeout
	}
	if c.WriteTimeout == 0 {
		c.WriteTimeout = DefaultWriteTimeout
	}
	return c
}

// Payment is one payment received.
type Payment struct {
	ChannelID uint64
	// Version is the co-signed state that carries it.
	Version uint64
	Amount  uint64
}

// Endpoint is one party's channel node: the store of its channels, the
// websocket server and dialer, and one Session per connected channel. It
// implements http.Handler, which upgrades to a websocket session.
type Endpoint struct {
	cfg   Config
	log   zerolog.Logger
	m     Metrics
	store *Store

	mu         sync.Mutex
	chans      map[uint64]*chanRec
	running    bool
	stopped    bool
	servers    []*http.Server
	handshakes map[*websocket.Conn]struct{} // connections not yet sessions

	// wg owns every goroutine the endpoint starts.
	wg sync.WaitGroup
}

// chanRec is an endpoint's record of one channel.
type chanRec struct {
	id uint64
	p  Params
	r  Role
	// own is held by whoever drives ch: a session's driver for its whole
	// life. Readers use snap.
	own sync.Mutex
	ch  *Channel

	snap atomic.Pointer[snapshot]

	mu       sync.Mutex
	sess     *Session
	attached chan struct{} // closed and replaced when a session attaches
}

type snapshot struct {
	latest SignedState
	status Status
}

func (r *chanRec) params() Params { return r.p }
func (r *chanRec) role() Role     { return r.r }

func (r *chanRec) publish() {
	r.snap.Store(&snapshot{latest: r.ch.Latest(), status: r.ch.Status()})
}

var _ interface {
	Start(context.Context) error
	Stop(context.Context) error
} = (*Endpoint)(nil)

var _ http.Handler = (*Endpoint)(nil)

// New opens the store and restores every stored channel from it. A stored
// channel that key is no party of fails New: the directory belongs to
// another key.
func New(cfg Config) (*Endpoint, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	log := cfg.Logger.With().Str("component", "statechan").Str("key", cfg.Key.Public().String()[:10]).Logger()
	st, err := OpenStore(cfg.Dir, &StoreOptions{FS: cfg.FS, Logger: cfg.Logger})
	if err != nil {
		return nil, fmt.Errorf("statechan: init store: %w", err)
	}
	e := &Endpoint{cfg: cfg, log: log, m: cfg.Metrics, store: st, chans: map[uint64]*chanRec{}, handshakes: map[*websocket.Conn]struct{}{}}
	ids, err := st.Channels()
	if err != nil {
		return nil, errors.Join(fmt.Errorf("statechan: init list channels: %w", err), st.Close())
	}
	for _, id := range ids {
		ch, err := Restore(st, cfg.Key, id)
		if err != nil {
			return nil, errors.Join(fmt.Errorf("statechan: init restore channel %d: %w", id, err), st.Close())
		}
		e.addChannel(ch)
		l := ch.Latest()
		ev := log.Info().Uint64("channel", id).Uint64("version", l.State.Version).Stringer("status", ch.Status())
		if p, ok := ch.Pending(); ok {
			ev = ev.Uint64("unsettled", p.State.Version)
		}
		ev.Msg("channel restored")
	}
	return e, nil
}

func (e *Endpoint) addChannel(ch *Channel) *chanRec {
	r := &chanRec{id: ch.Params().ChannelID, p: ch.Params(), r: ch.Role(), ch: ch, attached: make(chan struct{})}
	r.publish()
	e.chans[r.id] = r
	return r
}

// Store returns the endpoint's store, for a Watcher.
func (e *Endpoint) Store() *Store { return e.store }

// Start lets the endpoint serve and dial sessions.
func (e *Endpoint) Start(context.Context) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.stopped {
		return fmt.Errorf("%w: stopped", ErrNotStarted)
	}
	e.running = true
	return nil
}

// Stop ends every session (a payment in flight returns ErrUnsettled and is
// settled by the next session's sync), stops the servers and closes the
// store. A done ctx only cuts the wait for the servers and sessions; the
// store is closed either way, after they are gone. Stopping twice is a
// no-op.
func (e *Endpoint) Stop(ctx context.Context) error {
	e.mu.Lock()
	if e.stopped {
		e.mu.Unlock()
		return nil
	}
	e.stopped, e.running = true, false
	servers := e.servers
	for conn := range e.handshakes {
		_ = conn.Close()
	}
	var sessions []*Session
	for _, r := range e.chans {
		r.mu.Lock()
		if r.sess != nil {
			sessions = append(sessions, r.sess)
		}
		r.mu.Unlock()
	}
	e.mu.Unlock()

	var errs []error
	for _, srv := range servers {
		if err := srv.Shutdown(ctx); err != nil {
			errs = append(errs, fmt.Errorf("statechan: stop server: %w", err), srv.Close())
		}
	}
	for _, s := range sessions {
		s.abort(ErrSessionClosed)
	}
	done := make(chan struct{})
	go func() { e.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
		errs = append(errs, fmt.Errorf("statechan: sessions did not stop: %w", ctx.Err()))
		<-done
	}
	errs = append(errs, e.store.Close())
	return errors.Join(errs...)
}

func (e *Endpoint) checkRunning() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if !e.running {
		return ErrNotStarted
	}
	return nil
}

// Open records a new channel, opened on L2 with params p, at its opening
// state (synced), so that sessions can run on it.
func (e *Endpoint) Open(p Params) error {
	ch, err := NewChannel(p, e.cfg.Key)
	if err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if _, ok := e.chans[p.ChannelID]; ok {
		return fmt.Errorf("%w: %d", ErrChannelExists, p.ChannelID)
	}
	if err := e.store.Create(p); err != nil {
		return err
	}
	e.addChannel(ch)
	return nil
}

func (e *Endpoint) rec(id uint64) (*chanRec, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	r, ok := e.chans[id]
	if !ok {
		return nil, fmt.Errorf("%w: %d", ErrUnknownChannel, id)
	}
	return r, nil
}

// State returns a channel's latest co-signed state and status.
func (e *Endpoint) State(channelID uint64) (SignedState, Status, error) {
	r, err := e.rec(channelID)
	if err != nil {
		return SignedState{}, 0, err
	}
	s := r.snap.Load()
	return s.latest, s.status, nil
}

// Session returns the channel's live session, or nil.
func (e *Endpoint) Session(channelID uint64) *Session {
	r, err := e.rec(channelID)
	if err != nil {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.sess
}

// WaitSession waits until the channel has a live session, as the
// listening side does after the peer dials.
func (e *Endpoint) WaitSession(ctx context.Context, channelID uint64) (*Session, error) {
	r, err := e.rec(channelID)
	if err != nil {
		return nil, err
	}
	for {
		r.mu.Lock()
		s, ch := r.sess, r.attached
		r.mu.Unlock()
		if s != nil {
			return s, nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return nil, fmt.Errorf("%w: %w", ErrNoSession, ctx.Err())
		}
	}
}

// Pay pays amount to the peer of the channel over its live session; see
// Session.Pay.
func (e *Endpoint) Pay(ctx context.Context, channelID, amount uint64) error {
	s := e.Session(channelID)
	if s == nil {
		if _, err := e.rec(channelID); err != nil {
			return err
		}
		return fmt.Errorf("%w: channel %d", ErrNoSession, channelID)
	}
	return s.Pay(ctx, amount)
}

// Listen serves sessions on addr (host:port; port 0 picks one) until Stop,
// and returns the address it listens on. Peers dial ws://addr/.
func (e *Endpoint) Listen(addr string) (net.Addr, error) {
	if err := e.checkRunning(); err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("statechan: listen %s: %w", addr, err)
	}
	srv := &http.Server{Handler: e, ReadHeaderTimeout: e.cfg.HandshakeTimeout}
	e.mu.Lock()
	if !e.running {
		e.mu.Unlock()
		return nil, errors.Join(ErrNotStarted, ln.Close())
	}
	e.servers = append(e.servers, srv)
	e.wg.Add(1)
	e.mu.Unlock()
	go func() {
		defer e.wg.Done()
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			e.log.Error().Err(err).Msg("server stopped")
		}
	}()
	e.log.Info().Stringer("addr", ln.Addr()).Msg("listening")
	return ln.Addr(), nil
}

var upgrader = websocket.Upgrader{ReadBufferSize: 4096, WriteBufferSize: 4096}

// ServeHTTP upgrades the request to a websocket and runs the handshake as
// the listening side. The session then runs on its own goroutines.
func (e *Endpoint) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := e.checkRunning(); err != nil {
		http.Error(w, err.Error(), http.StatusServiceUnavailable)
		return
	}
	up := upgrader
	up.HandshakeTimeout = e.cfg.HandshakeTimeout
	conn, err := up.Upgrade(w, r, nil)
	if err != nil {
		e.log.Debug().Err(err).Msg("websocket upgrade")
		return
	}
	if _, err := e.startSession(r.Context(), conn, 0, false); err != nil {
		e.log.Warn().Err(err).Str("remote", r.RemoteAddr).Msg("session refused")
	}
}

// Dial connects to the peer at url (ws://host:port/) for the channel,
// authenticates both sides, syncs, and returns the running session.
func (e *Endpoint) Dial(ctx context.Context, url string, channelID uint64) (*Session, error) {
	if err := e.checkRunning(); err != nil {
		return nil, err
	}
	if _, err := e.rec(channelID); err != nil {
		return nil, err
	}
	d := websocket.Dialer{HandshakeTimeout: e.cfg.HandshakeTimeout, ReadBufferSize: 4096, WriteBufferSize: 4096}
	conn, _, err := d.DialContext(ctx, url, nil)
	if err != nil {
		return nil, fmt.Errorf("statechan: dial %s: %w", url, err)
	}
	return e.startSession(ctx, conn, channelID, true)
}
