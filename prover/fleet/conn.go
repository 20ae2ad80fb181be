package fleet

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/rs/zerolog"
)

const (
	// reconnectWait is the pause between reconnect attempts. nats.go adds
	// its own jitter, so a fleet of workers does not reconnect in step after
	// the node restarts.
	reconnectWait = 2 * time.Second
	// connectTimeout bounds the first dial when ctx has no earlier deadline.
	connectTimeout = 5 * time.Second
)

// Creds are the credentials a worker presents to the node's NATS server.
// The node writes them on its first start (Server.CredsPath) and reuses
// them afterwards; a worker reads a copy with LoadCreds.
//
// On disk they are one JSON object, mode 0600:
//
//	{"user": "worker-1f0c2a9e4b7d3c58", "password": "<64 hex digits>"}
type Creds struct {
	User     string `json:"user"`
	Password string `json:"password"`
}

// String shows the user and hides the password, so that logging a Creds by
// accident leaks nothing.
func (c Creds) String() string { return fmt.Sprintf("{user:%s password:<redacted>}", c.User) }

// GoString hides the password from %#v as well.
func (c Creds) GoString() string { return c.String() }

// LoadCreds reads a credentials file written by the node. It refuses a
// file that others may read or write (ErrCredsMode), a missing file
// (ErrCredsMissing), and a file that is not the documented JSON object with
// both fields set (ErrCredsInvalid).
func LoadCreds(path string) (Creds, error) {
	if err := checkCredsMode(path); err != nil {
		return Creds{}, err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return Creds{}, fmt.Errorf("fleet: read credentials %s: %w", path, err)
	}
	var c Creds
	// Unknown fields are allowed, so that a later node may add some (a URL,
	// a CA) without breaking older workers; a misspelt "password" still
	// fails below as an empty password.
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&c); err != nil {
		return Creds{}, fmt.Errorf("%w: %s: %v (expected {\"user\": \"...\", \"password\": \"...\"})", ErrCredsInvalid, path, err)
	}
	if dec.More() {
		return Creds{}, fmt.Errorf("%w: %s: data after the JSON object", ErrCredsInvalid, path)
	}
	switch {
	case c.User == "":
		return Creds{}, fmt.Errorf("%w: %s: empty \"user\"", ErrCredsInvalid, path)
	case c.Password == "":
		return Creds{}, fmt.Errorf("%w: %s: empty \"password\"", ErrCredsInvalid, path)
	}
	return c, nil
}

// checkCredsMode refuses a missing path, a path that is not a regular
// file, and a file with any group or other permission bit.
func checkCredsMode(path string) error {
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%w: %s (the node writes it on its first start; copy it from the node's data dir)", ErrCredsMissing, path)
	}
	if err != nil {
		return fmt.Errorf("fleet: stat credentials %s: %w", path, err)
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("%w: %s is not a regular file", ErrCredsInvalid, path)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return fmt.Errorf("%w: %s has mode %04o, others may read the password (fix: chmod 600 %s)", ErrCredsMode, path, perm, path)
	}
	return nil
}

// Connect dials the node's NATS server at url as the worker in creds and
// returns the connection and a JetStream handle on it. name identifies the
// client in the server's logs and monitoring (use the worker's name).
//
// The first dial fails fast: an unreachable server returns an error (retry
// it), and refused credentials return ErrUnauthorized. Once connected, the
// connection reconnects forever, every reconnectWait with jitter, and
// buffers publishes meanwhile; disconnects, reconnects and asynchronous
// errors are logged. ctx bounds only the first dial. extra options go
// after Keel's, so they win: a worker of a node with a self-signed
// certificate passes nats.RootCAs(caFile), for example.
//
// The caller closes the connection (nc.Drain or nc.Close).
func Connect(ctx context.Context, url string, creds Creds, name string, logger zerolog.Logger, extra ...nats.Option) (*nats.Conn, jetstream.JetStream, error) {
	return connect(ctx, url, creds, name, logger.With().Str("component", "fleet").Logger(), extra...)
}

// ConnectInProcess connects to the running embedded server without a
// socket, so the node can use it even when Listen is "". It authenticates
// with the worker credentials like any other client. The connection is
// bound to this run of the server: after Stop it cannot reconnect, so
// connect again after the next Start.
func (s *Server) ConnectInProcess(name string) (*nats.Conn, jetstream.JetStream, error) {
	s.mu.Lock()
	inst := s.inst
	s.mu.Unlock()
	if inst == nil {
		return nil, nil, ErrNotStarted
	}
	return connect(context.Background(), "", inst.creds, name, s.log, nats.InProcessServer(inst.ns))
}

func connect(ctx context.Context, url string, creds Creds, name string, logger zerolog.Logger, extra ...nats.Option) (*nats.Conn, jetstream.JetStream, error) {
	if err := ctx.Err(); err != nil {
		return nil, nil, fmt.Errorf("fleet: connect: %w", err)
	}
	if creds.User == "" || creds.Password == "" {
		return nil, nil, fmt.Errorf("%w: empty user or password", ErrCredsInvalid)
	}
	timeout := connectTimeout
	if dl, ok := ctx.Deadline(); ok {
		if left := time.Until(dl); left < timeout {
			if left <= 0 {
				return nil, nil, fmt.Errorf("fleet: connect: %w", context.DeadlineExceeded)
			}
			timeout = left
		}
	}
	log := logger.With().Str("nats_client", name).Logger()
	opts := []nats.Option{
		nats.Name(name),
		nats.UserInfo(creds.User, creds.Password),
		nats.Timeout(timeout),
		nats.MaxReconnects(-1),
		nats.ReconnectWait(reconnectWait),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			ev := log.Warn()
			if err != nil {
				ev = ev.Err(err)
			}
			ev.Msg("NATS disconnected, reconnecting")
		}),
		nats.ReconnectHandler(func(nc *nats.Conn) {
			log.Info().Str("url", nc.ConnectedUrlRedacted()).Msg("NATS reconnected")
		}),
		nats.ClosedHandler(func(nc *nats.Conn) {
			ev := log.Debug()
			if err := nc.LastError(); err != nil {
				ev = log.Warn().Err(err)
			}
			ev.Msg("NATS connection closed")
		}),
		nats.ErrorHandler(func(_ *nats.Conn, sub *nats.Subscription, err error) {
			ev := log.Error().Err(err)
			if sub != nil {
				ev = ev.Str("subject", sub.Subject)
			}
			ev.Msg("NATS async error")
		}),
	}
	nc, err := nats.Connect(url, append(opts, extra...)...)
	if err != nil {
		if errors.Is(err, nats.ErrAuthorization) {
			return nil, nil, fmt.Errorf("%w: user %q: %w", ErrUnauthorized, creds.User, err)
		}
		return nil, nil, fmt.Errorf("fleet: connect %s: %w", url, err)
	}
	js, err := jetstream.New(nc)
	if err != nil {
		nc.Close()
		return nil, nil, fmt.Errorf("fleet: jetstream: %w", err)
	}
	return nc, js, nil
}
