package fleet

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/rs/zerolog"
)

const (
	// DefaultListen is where workers on this machine reach the node.
	DefaultListen = "127.0.0.1:4222"
	// natsDir holds the JetStream store and the credentials, inside DataDir.
	natsDir = "nats"
	// credsFile is the worker credentials file, inside natsDir.
	credsFile = "worker.creds"
	// readyTimeout bounds how long Start waits for the server to accept
	// clients when ctx has no earlier deadline. Recovering a large store
	// takes a while; a taken port fails at once (see natsLogger.Fatalf).
	readyTimeout = 30 * time.Second
)

// ServerConfig configures the embedded NATS server.
type ServerConfig struct {
	// DataDir is the node's data dir; the server keeps its JetStream store
	// and the worker credentials in DataDir/nats.
	DataDir string
	// Listen is the host:port workers connect to. Port 0 picks a free port
	// (see Server.ClientURL). "" serves in-process clients only, without a
	// TCP listener (Server.ConnectInProcess). DefaultServerConfig sets
	// DefaultListen.
	Listen string
	// TLSCert and TLSKey are PEM files. Both or neither; with them clients
	// must use TLS.
	TLSCert, TLSKey string
	// AllowInsecureRemote lets a non-loopback Listen run without TLS, so
	// that worker credentials and jobs cross the network in plaintext. For
	// private networks only.
	AllowInsecureRemote bool
}

// DefaultServerConfig returns a config for a server listening on
// DefaultListen and keeping its state under dataDir.
func DefaultServerConfig(dataDir string) ServerConfig {
	return ServerConfig{DataDir: dataDir, Listen: DefaultListen}
}

// Validate checks the config without touching the disk or the network.
func (c ServerConfig) Validate() error {
	if c.DataDir == "" {
		return fmt.Errorf("%w (set the node's data dir)", ErrNoDataDir)
	}
	if (c.TLSCert == "") != (c.TLSKey == "") {
		return fmt.Errorf("%w: set both TLSCert and TLSKey, or neither", ErrTLSConfig)
	}
	if c.Listen == "" {
		if c.TLSCert != "" {
			return fmt.Errorf("%w: TLS is set but Listen is empty (in-process only)", ErrTLSConfig)
		}
		return nil
	}
	host, _, err := splitListen(c.Listen)
	if err != nil {
		return err
	}
	if !isLoopback(host) && c.TLSCert == "" && !c.AllowInsecureRemote {
		return fmt.Errorf("%w: %q (set TLSCert and TLSKey, listen on 127.0.0.1, or set AllowInsecureRemote on a trusted network)", ErrInsecureListen, c.Listen)
	}
	return nil
}

// splitListen parses a host:port with a numeric port from 0 to 65535.
func splitListen(listen string) (host string, port int, err error) {
	host, p, err := net.SplitHostPort(listen)
	if err != nil {
		return "", 0, fmt.Errorf("%w: %q: %v (want host:port, e.g. %s)", ErrBadListen, listen, err, DefaultListen)
	}
	port, err = strconv.Atoi(p)
	if err != nil || port < 0 || port > 65535 {
		return "", 0, fmt.Errorf("%w: %q: port %q is not a number from 0 to 65535", ErrBadListen, listen, p)
	}
	return host, port, nil
}

// isLoopback reports whether host is reachable only from this machine. An
// empty host or a name other than localhost is not: it may resolve, or
// listen, elsewhere.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Server is the embedded NATS server with JetStream that the prover fleet
// talks through. It may be started again after Stop; each start opens the
// store in DataDir/nats anew, so streams survive restarts.
type Server struct {
	cfg ServerConfig
	log zerolog.Logger

	mu   sync.Mutex // serialises Start and Stop, guards inst
	inst *instance  // nil unless running
}

// instance is one run of the server, from Start to Stop.
type instance struct {
	ns    *server.Server
	creds Creds
}

var _ interface {
	Start(context.Context) error
	Stop(context.Context) error
} = (*Server)(nil)

// NewServer checks cfg and returns a server that is not yet running; Start
// creates the store and the credentials.
func NewServer(cfg ServerConfig, logger zerolog.Logger) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &Server{cfg: cfg, log: logger.With().Str("component", "fleet").Logger()}, nil
}

// CredsPath is the worker credentials file, DataDir/nats/worker.creds.
// Start creates it; workers need a copy.
func (s *Server) CredsPath() string {
	return filepath.Join(s.cfg.DataDir, natsDir, credsFile)
}

// ClientURL is the URL a client on this machine dials: nats://host:port
// with the port actually bound, tls:// with TLS, and 127.0.0.1 in place of
// an unspecified host. It is "" while the server is stopped or when it has
// no listener (Listen "").
func (s *Server) ClientURL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.inst == nil || s.cfg.Listen == "" {
		return ""
	}
	u := s.inst.ns.ClientURL()
	return strings.Replace(strings.Replace(u, "//0.0.0.0:", "//127.0.0.1:", 1), "//[::]:", "//[::1]:", 1)
}

// Start creates or reuses the worker credentials, opens the JetStream
// store and starts the server. It returns once the server accepts clients.
// ctx bounds the wait for readiness.
func (s *Server) Start(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.inst != nil {
		return ErrStarted
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("fleet: start: %w", err)
	}
	storeDir := filepath.Join(s.cfg.DataDir, natsDir)
	if err := os.MkdirAll(storeDir, 0o700); err != nil {
		return fmt.Errorf("fleet: init store dir: %w", err)
	}
	creds, err := ensureCreds(s.CredsPath())
	if err != nil {
		return fmt.Errorf("fleet: init worker credentials: %w", err)
	}
	opts, err := s.options(storeDir, creds)
	if err != nil {
		return err
	}
	ns, err := server.NewServer(opts)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrServerStart, err)
	}
	bridge := newNATSLogger(s.log)
	// Trace logs every protocol message, too much even at zerolog's trace
	// level; debug follows the logger.
	ns.SetLoggerV2(bridge, s.log.GetLevel() <= zerolog.DebugLevel, false, false)
	ns.Start() // returns once the listener (if any) accepts; JetStream recovery runs inside
	if err := waitReady(ctx, ns, bridge.fatal); err != nil {
		ns.Shutdown()
		ns.WaitForShutdown()
		return err
	}
	s.inst = &instance{ns: ns, creds: creds}

	ev := s.log.Info().Str("store", storeDir).Str("creds", s.CredsPath())
	if s.cfg.Listen == "" {
		ev = ev.Str("listen", "in-process only")
	} else {
		ev = ev.Str("url", ns.ClientURL()).Bool("tls", s.cfg.TLSCert != "")
	}
	ev.Msg("embedded NATS server started")
	if s.cfg.Listen != "" && s.cfg.TLSCert == "" {
		if host, _, _ := splitListen(s.cfg.Listen); !isLoopback(host) {
			s.log.Warn().Str("listen", s.cfg.Listen).
				Msg("INSECURE: NATS listens beyond this machine without TLS; worker credentials, jobs and proofs travel over the network in plaintext (AllowInsecureRemote is set)")
		}
	}
	return nil
}

// options builds the server options: JetStream on file storage, one user,
// no anonymous access, no signal handlers (the process owns those).
func (s *Server) options(storeDir string, creds Creds) (*server.Options, error) {
	opts := &server.Options{
		JetStream: true,
		StoreDir:  storeDir,
		Username:  creds.User,
		Password:  creds.Password,
		NoSigs:    true,
	}
	if s.cfg.Listen == "" {
		opts.DontListen = true
		return opts, nil
	}
	host, port, err := splitListen(s.cfg.Listen)
	if err != nil {
		return nil, err
	}
	if port == 0 {
		port = server.RANDOM_PORT // NATS reads 0 as its default port, 4222
	}
	opts.Host, opts.Port = host, port
	if s.cfg.TLSCert != "" {
		pair, err := tls.LoadX509KeyPair(s.cfg.TLSCert, s.cfg.TLSKey)
		if err != nil {
			return nil, fmt.Errorf("%w: load %s and %s: %w", ErrTLSConfig, s.cfg.TLSCert, s.cfg.TLSKey, err)
		}
		opts.TLS = true
		opts.TLSConfig = &tls.Config{Certificates: []tls.Certificate{pair}, MinVersion: tls.VersionTLS12}
	}
	return opts, nil
}

// waitReady waits until ns accepts clients, a fatal log line reports that
// it never will, or ctx ends. NATS's own ReadyForConnections keeps waiting
// after a listener error, so the fatal line is what makes a taken port fail
// at once.
func waitReady(ctx context.Context, ns *server.Server, fatal <-chan string) error {
	deadline := time.Now().Add(readyTimeout)
	if dl, ok := ctx.Deadline(); ok && dl.Before(deadline) {
		deadline = dl
	}
	for {
		select {
		case msg := <-fatal:
			return fmt.Errorf("%w: %s", ErrServerStart, msg)
		case <-ctx.Done():
			return fmt.Errorf("fleet: start: %w", ctx.Err())
		default:
		}
		if ns.ReadyForConnections(100 * time.Millisecond) {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%w: not ready for clients after %s", ErrServerStart, readyTimeout)
		}
	}
}

// Stop shuts the server down and waits until JetStream has flushed its
// store and every client is closed. It is idempotent. Shutdown cannot be
// hurried, so ctx is not read: a half-flushed store is worse than a slow
// stop.
func (s *Server) Stop(context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.inst == nil {
		return nil
	}
	s.inst.ns.Shutdown()
	s.inst.ns.WaitForShutdown()
	s.inst = nil
	s.log.Info().Msg("embedded NATS server stopped")
	return nil
}

// ensureCreds returns the credentials stored at path, creating them when
// the file does not exist. A new file appears whole or not at all: it is
// written under a temporary name and linked into place, which also keeps a
// concurrent creator's file rather than overwriting it.
func ensureCreds(path string) (Creds, error) {
	c, err := LoadCreds(path)
	if !errors.Is(err, ErrCredsMissing) {
		return c, err
	}
	c = Creds{User: "worker-" + randomHex(8), Password: randomHex(32)}
	data, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return Creds{}, fmt.Errorf("fleet: encode credentials: %w", err)
	}
	data = append(data, '\n')
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, credsFile+".tmp-*") // mode 0600
	if err != nil {
		return Creds{}, fmt.Errorf("fleet: create credentials: %w", err)
	}
	defer os.Remove(tmp.Name())
	_, werr := tmp.Write(data)
	serr := tmp.Sync()
	cerr := tmp.Close()
	if err := errors.Join(werr, serr, cerr); err != nil {
		return Creds{}, fmt.Errorf("fleet: write credentials %s: %w", tmp.Name(), err)
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return LoadCreds(path)
		}
		return Creds{}, fmt.Errorf("fleet: create credentials %s: %w", path, err)
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync() // make the new name durable; not every file system can
		_ = d.Close()
	}
	return c, nil
}

// randomHex returns n random bytes in hex. crypto/rand.Read never fails
// (it panics on the platforms where it could).
func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// natsLogger bridges the NATS server's logs into zerolog. NATS's notices
// become debug: they are its start-up banner and per-start chatter, and
// Server logs its own line at info when it is up. Its fatal lines become
// errors: zerolog's Fatal would exit the process, and an embedded server
// must not. Instead the first fatal line is handed to Start, which fails
// with it.
type natsLogger struct {
	log   zerolog.Logger
	fatal chan string
}

var _ server.Logger = (*natsLogger)(nil)

func newNATSLogger(l zerolog.Logger) *natsLogger {
	return &natsLogger{log: l.With().Str("src", "nats").Logger(), fatal: make(chan string, 1)}
}

// plaintextWarning is what NATS says at every start because the password is
// in its options unhashed. That warning is for hand-written config files;
// here the password is random and lives only in memory and in the 0600
// creds file, which must hold it in plaintext for workers anyway.
const plaintextWarning = "Plaintext passwords detected, use nkeys or bcrypt"

func (l *natsLogger) Noticef(format string, v ...any) { l.log.Debug().Msgf(format, v...) }
func (l *natsLogger) Warnf(format string, v ...any) {
	if format == plaintextWarning {
		l.log.Debug().Msg(format)
		return
	}
	l.log.Warn().Msgf(format, v...)
}
func (l *natsLogger) Errorf(format string, v ...any) { l.log.Error().Msgf(format, v...) }
func (l *natsLogger) Debugf(format string, v ...any) { l.log.Debug().Msgf(format, v...) }
func (l *natsLogger) Tracef(format string, v ...any) { l.log.Trace().Msgf(format, v...) }
func (l *natsLogger) Fatalf(format string, v ...any) {
	msg := fmt.Sprintf(format, v...)
	l.log.Error().Bool("fatal", true).Msg(msg)
	select {
	case l.fatal <- msg:
	default:
	}
}
