package fleet

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/rs/zerolog"
	"github.com/stretchr/testify/require"
)

// startServer starts a server on a free loopback port (or in-process only
// with listen "") in dir and stops it when the test ends.
func startServer(t *testing.T, cfg ServerConfig) *Server {
	t.Helper()
	srv, err := NewServer(cfg, zerolog.New(zerolog.NewTestWriter(t)))
	require.NoError(t, err)
	require.NoError(t, srv.Start(t.Context()))
	t.Cleanup(func() { require.NoError(t, srv.Stop(context.Background())) })
	return srv
}

func loopbackConfig(t *testing.T) ServerConfig {
	return ServerConfig{DataDir: t.TempDir(), Listen: "127.0.0.1:0"}
}

// connectWorker connects to srv over TCP as a worker does: creds from the
// file, the URL from the server.
func connectWorker(t *testing.T, srv *Server) (*nats.Conn, jetstream.JetStream) {
	t.Helper()
	creds, err := LoadCreds(srv.CredsPath())
	require.NoError(t, err)
	nc, js, err := Connect(t.Context(), srv.ClientURL(), creds, "test-worker", zerolog.New(zerolog.NewTestWriter(t)))
	require.NoError(t, err)
	t.Cleanup(nc.Close)
	return nc, js
}

// roundTrip creates a file-storage stream, publishes one message and reads
// it back through a pull consumer.
func roundTrip(t *testing.T, js jetstream.JetStream, stream string) {
	t.Helper()
	ctx := t.Context()
	s, err := js.CreateStream(ctx, jetstream.StreamConfig{
		Name:     stream,
		Subjects: []string{stream + ".>"},
		Storage:  jetstream.FileStorage,
	})
	require.NoError(t, err)
	ack, err := js.Publish(ctx, stream+".job", []byte("batch 7"))
	require.NoError(t, err)
	require.Equal(t, uint64(1), ack.Sequence)
	cons, err := s.OrderedConsumer(ctx, jetstream.OrderedConsumerConfig{})
	require.NoError(t, err)
	msg, err := cons.Next(jetstream.FetchMaxWait(5 * time.Second))
	require.NoError(t, err)
	require.Equal(t, "batch 7", string(msg.Data()))
	require.Equal(t, stream+".job", msg.Subject())
}

// TestStreamRoundTripOverTCP: a worker with the creds file reaches the
// server on a random loopback port and uses JetStream.
func TestStreamRoundTripOverTCP(t *testing.T) {
	srv := startServer(t, loopbackConfig(t))
	url := srv.ClientURL()
	require.True(t, strings.HasPrefix(url, "nats://127.0.0.1:"), url)
	require.NotContains(t, []string{"nats://127.0.0.1:0", "nats://127.0.0.1:4222"}, url, "port 0 must pick a free port")
	_, js := connectWorker(t, srv)
	roundTrip(t, js, "JOBS")
}

// TestRefusedClients: only the generated credentials get in.
func TestRefusedClients(t *testing.T) {
	srv := startServer(t, loopbackConfig(t))
	creds, err := LoadCreds(srv.CredsPath())
	require.NoError(t, err)
	log := zerolog.New(zerolog.NewTestWriter(t))

	t.Run("bad password", func(t *testing.T) {
		bad := creds
		bad.Password = strings.Repeat("0", 64)
		nc, _, err := Connect(t.Context(), srv.ClientURL(), bad, "mallory", log)
		require.ErrorIs(t, err, ErrUnauthorized)
		require.ErrorIs(t, err, nats.ErrAuthorization)
		require.Nil(t, nc)
	})
	t.Run("unknown user", func(t *testing.T) {
		bad := creds
		bad.User = "worker-0000000000000000"
		_, _, err := Connect(t.Context(), srv.ClientURL(), bad, "mallory", log)
		require.ErrorIs(t, err, ErrUnauthorized)
	})
	t.Run("anonymous", func(t *testing.T) {
		// A raw client, so that nothing in Connect can refuse first.
		nc, err := nats.Connect(srv.ClientURL(), nats.Timeout(5*time.Second))
		if nc != nil {
			nc.Close()
		}
		require.ErrorIs(t, err, nats.ErrAuthorization)
	})
	t.Run("empty creds never dial", func(t *testing.T) {
		_, _, err := Connect(t.Context(), srv.ClientURL(), Creds{}, "empty", log)
		require.ErrorIs(t, err, ErrCredsInvalid)
	})
}

// TestLoadCreds: every malformed or exposed file is refused with its own
// sentinel.
func TestLoadCreds(t *testing.T) {
	const good = `{"user": "worker-1", "password": "pw"}`
	tests := []struct {
		name    string
		content string // "" with mode 0: no file
		mode    os.FileMode
		want    error
	}{
		{name: "valid", content: good, mode: 0o600},
		{name: "owner read only", content: good, mode: 0o400},
		{name: "missing", want: ErrCredsMissing},
		{name: "group readable", content: good, mode: 0o640, want: ErrCredsMode},
		{name: "world readable", content: good, mode: 0o644, want: ErrCredsMode},
		{name: "not json", content: "user=worker-1\npassword=pw\n", mode: 0o600, want: ErrCredsInvalid},
		{name: "truncated", content: `{"user": "worker-1", "pass`, mode: 0o600, want: ErrCredsInvalid},
		{name: "empty user", content: `{"user": "", "password": "pw"}`, mode: 0o600, want: ErrCredsInvalid},
		{name: "empty password", content: `{"user": "worker-1"}`, mode: 0o600, want: ErrCredsInvalid},
		{name: "misspelt field", content: `{"user": "worker-1", "passwd": "pw"}`, mode: 0o600, want: ErrCredsInvalid},
		{name: "unknown field kept for later versions", content: `{"user": "worker-1", "password": "pw", "url": "nats://node:4222"}`, mode: 0o600},
		{name: "trailing data", content: good + `{}`, mode: 0o600, want: ErrCredsInvalid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "worker.creds")
			if tc.mode != 0 {
				require.NoError(t, os.WriteFile(path, []byte(tc.content), tc.mode))
				require.NoError(t, os.Chmod(path, tc.mode)) // WriteFile's mode passes the umask
			}
			c, err := LoadCreds(path)
			if tc.want != nil {
				require.ErrorIs(t, err, tc.want)
				require.Contains(t, err.Error(), path, "the error names the file")
				if tc.want == ErrCredsMode {
					require.Contains(t, err.Error(), "chmod 600")
				}
				return
			}
			require.NoError(t, err)
			require.Equal(t, Creds{User: "worker-1", Password: "pw"}, c)
		})
	}
}

// TestCredsPersistAcrossRestart: the first start writes a 0600 creds file,
// the second reuses it, a worker's old creds still work, and a file-storage
// stream keeps its message.
func TestCredsPersistAcrossRestart(t *testing.T) {
	cfg := loopbackConfig(t)
	srv, err := NewServer(cfg, zerolog.New(zerolog.NewTestWriter(t)))
	require.NoError(t, err)
	ctx := t.Context()
	require.NoError(t, srv.Start(ctx))

	fi, err := os.Stat(srv.CredsPath())
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
	first, err := LoadCreds(srv.CredsPath())
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(first.User, "worker-"), first.User)
	require.Len(t, first.Password, 64)
	require.NotContains(t, first.String(), first.Password, "String hides the password")

	nc, js, err := Connect(ctx, srv.ClientURL(), first, "w", zerolog.Nop())
	require.NoError(t, err)
	roundTrip(t, js, "KEEP")
	nc.Close()

	require.NoError(t, srv.Stop(ctx))
	require.NoError(t, srv.Stop(ctx), "Stop is idempotent")
	require.Empty(t, srv.ClientURL())
	_, _, err = srv.ConnectInProcess("after-stop")
	require.ErrorIs(t, err, ErrNotStarted)

	require.NoError(t, srv.Start(ctx))
	t.Cleanup(func() { require.NoError(t, srv.Stop(context.Background())) })
	second, err := LoadCreds(srv.CredsPath())
	require.NoError(t, err)
	require.Equal(t, first, second, "a restart reuses the credentials")

	_, js = connectWorker(t, srv) // the worker's copy from before the restart
	s, err := js.Stream(ctx, "KEEP")
	require.NoError(t, err)
	raw, err := s.GetMsg(ctx, 1)
	require.NoError(t, err)
	require.Equal(t, "batch 7", string(raw.Data))
}

// TestStartRefusesLooseCredsMode: a creds file others may read stops the
// server from starting, whether the server wrote it or someone else did.
func TestStartRefusesLooseCredsMode(t *testing.T) {
	t.Run("loosened after first start", func(t *testing.T) {
		cfg := loopbackConfig(t)
		srv, err := NewServer(cfg, zerolog.New(zerolog.NewTestWriter(t)))
		require.NoError(t, err)
		require.NoError(t, srv.Start(t.Context()))
		require.NoError(t, srv.Stop(t.Context()))
		require.NoError(t, os.Chmod(srv.CredsPath(), 0o644))
		err = srv.Start(t.Context())
		require.ErrorIs(t, err, ErrCredsMode)
		require.Contains(t, err.Error(), srv.CredsPath())
		require.Contains(t, err.Error(), "chmod 600")
		require.Empty(t, srv.ClientURL(), "not running")

		require.NoError(t, os.Chmod(srv.CredsPath(), 0o600))
		require.NoError(t, srv.Start(t.Context()), "the fix the message names works")
		require.NoError(t, srv.Stop(t.Context()))
	})
	t.Run("written by hand", func(t *testing.T) {
		cfg := loopbackConfig(t)
		path := filepath.Join(cfg.DataDir, "nats", "worker.creds")
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o700))
		require.NoError(t, os.WriteFile(path, []byte(`{"user": "u", "password": "p"}`), 0o600))
		require.NoError(t, os.Chmod(path, 0o604))
		srv, err := NewServer(cfg, zerolog.New(zerolog.NewTestWriter(t)))
		require.NoError(t, err)
		require.ErrorIs(t, srv.Start(t.Context()), ErrCredsMode)
	})
}

// TestServerConfigValidate covers each rule of Validate.
func TestServerConfigValidate(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		cfg  ServerConfig
		want error
	}{
		{name: "default", cfg: DefaultServerConfig(dir)},
		{name: "in-process only", cfg: ServerConfig{DataDir: dir}},
		{name: "random loopback port", cfg: ServerConfig{DataDir: dir, Listen: "127.0.0.1:0"}},
		{name: "localhost", cfg: ServerConfig{DataDir: dir, Listen: "localhost:4222"}},
		{name: "ipv6 loopback", cfg: ServerConfig{DataDir: dir, Listen: "[::1]:4222"}},
		{name: "no data dir", cfg: ServerConfig{Listen: DefaultListen}, want: ErrNoDataDir},
		{name: "no port", cfg: ServerConfig{DataDir: dir, Listen: "127.0.0.1"}, want: ErrBadListen},
		{name: "port not a number", cfg: ServerConfig{DataDir: dir, Listen: "127.0.0.1:nats"}, want: ErrBadListen},
		{name: "port too large", cfg: ServerConfig{DataDir: dir, Listen: "127.0.0.1:65536"}, want: ErrBadListen},
		{name: "all interfaces without TLS", cfg: ServerConfig{DataDir: dir, Listen: "0.0.0.0:4222"}, want: ErrInsecureListen},
		{name: "empty host without TLS", cfg: ServerConfig{DataDir: dir, Listen: ":4222"}, want: ErrInsecureListen},
		{name: "LAN address without TLS", cfg: ServerConfig{DataDir: dir, Listen: "10.0.0.5:4222"}, want: ErrInsecureListen},
		{name: "host name without TLS", cfg: ServerConfig{DataDir: dir, Listen: "prover-node:4222"}, want: ErrInsecureListen},
		{name: "all interfaces, opted out", cfg: ServerConfig{DataDir: dir, Listen: "0.0.0.0:4222", AllowInsecureRemote: true}},
		{name: "all interfaces with TLS", cfg: ServerConfig{DataDir: dir, Listen: "0.0.0.0:4222", TLSCert: "c.pem", TLSKey: "k.pem"}},
		{name: "cert without key", cfg: ServerConfig{DataDir: dir, Listen: "0.0.0.0:4222", TLSCert: "c.pem"}, want: ErrTLSConfig},
		{name: "TLS without listener", cfg: ServerConfig{DataDir: dir, TLSCert: "c.pem", TLSKey: "k.pem"}, want: ErrTLSConfig},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.cfg.Validate()
			if tc.want == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tc.want)
			_, nerr := NewServer(tc.cfg, zerolog.Nop())
			require.ErrorIs(t, nerr, tc.want, "NewServer validates")
		})
	}
}

// TestInProcessOnly: with Listen "" the node still reaches JetStream, and
// the server has no URL for others.
func TestInProcessOnly(t *testing.T) {
	srv := startServer(t, ServerConfig{DataDir: t.TempDir()})
	require.Empty(t, srv.ClientURL())
	require.Nil(t, srv.inst.ns.Addr(), "no TCP listener (NATS would default to 0.0.0.0:4222)")
	nc, js, err := srv.ConnectInProcess("keel-node")
	require.NoError(t, err)
	t.Cleanup(nc.Close)
	roundTrip(t, js, "LOCAL")
}

// TestStartTwice: a running server refuses a second Start.
func TestStartTwice(t *testing.T) {
	srv := startServer(t, loopbackConfig(t))
	require.ErrorIs(t, srv.Start(t.Context()), ErrStarted)
}

// TestStartTakenPort: a port in use fails Start at once with the NATS
// reason, instead of exiting the process (NATS's default Fatalf) or waiting
// out the readiness timeout.
func TestStartTakenPort(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	cfg := ServerConfig{DataDir: t.TempDir(), Listen: l.Addr().String()}
	srv, err := NewServer(cfg, zerolog.New(zerolog.NewTestWriter(t)))
	require.NoError(t, err)
	start := time.Now()
	err = srv.Start(t.Context())
	require.ErrorIs(t, err, ErrServerStart)
	require.Contains(t, err.Error(), "address already in use")
	require.Less(t, time.Since(start), 5*time.Second)
	require.NoError(t, srv.Stop(t.Context()))
}

// TestTLS: with a certificate, the server speaks only TLS, and a worker
// that trusts the certificate gets in with its creds.
func TestTLS(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile, pool := selfSignedCert(t, dir)
	srv := startServer(t, ServerConfig{DataDir: dir, Listen: "127.0.0.1:0", TLSCert: certFile, TLSKey: keyFile})
	url := srv.ClientURL()
	require.True(t, strings.HasPrefix(url, "tls://"), url)

	creds, err := LoadCreds(srv.CredsPath())
	require.NoError(t, err)
	log := zerolog.New(zerolog.NewTestWriter(t))
	nc, js, err := Connect(t.Context(), url, creds, "tls-worker", log,
		nats.Secure(&tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}))
	require.NoError(t, err)
	t.Cleanup(nc.Close)
	require.True(t, nc.TLSRequired())
	roundTrip(t, js, "SECURE")

	// A client that does not trust the certificate is refused.
	_, _, err = Connect(t.Context(), url, creds, "untrusting", log)
	require.ErrorContains(t, err, "certificate")
}

// TestInsecureRemoteWarns: the opt-out works and says loudly what it costs.
func TestInsecureRemoteWarns(t *testing.T) {
	var buf syncBuffer
	log := zerolog.New(zerolog.MultiLevelWriter(zerolog.NewTestWriter(t), &buf))
	srv, err := NewServer(ServerConfig{DataDir: t.TempDir(), Listen: "0.0.0.0:0", AllowInsecureRemote: true}, log)
	require.NoError(t, err)
	require.NoError(t, srv.Start(t.Context()))
	t.Cleanup(func() { require.NoError(t, srv.Stop(context.Background())) })
	require.True(t, strings.HasPrefix(srv.ClientURL(), "nats://127.0.0.1:"), srv.ClientURL())
	_, js := connectWorker(t, srv)
	roundTrip(t, js, "OPEN")

	var warned, bridged bool
	for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		var rec struct{ Level, Src, Message string }
		require.NoError(t, json.Unmarshal([]byte(line), &rec), line)
		if rec.Level == "warn" && strings.Contains(rec.Message, "plaintext") && strings.Contains(rec.Message, "INSECURE") {
			warned = true
		}
		if rec.Src == "nats" {
			bridged = true // NATS's own logs reach the zerolog logger
		}
		if strings.HasPrefix(rec.Message, "Plaintext passwords detected") {
			require.Equal(t, "debug", rec.Level, "the config-file warning is demoted")
		}
	}
	require.True(t, warned, "AllowInsecureRemote logs a warning about plaintext credentials")
	require.True(t, bridged)
}

// syncBuffer is a bytes.Buffer safe for the server's logging goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// selfSignedCert writes a certificate for 127.0.0.1 and its key into dir
// and returns their paths and a pool that trusts the certificate.
func selfSignedCert(t *testing.T, dir string) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "keel-node"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	require.NoError(t, err)
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	require.NoError(t, os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600))
	require.NoError(t, os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600))
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}
