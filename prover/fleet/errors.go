package fleet

import "errors"

// Sentinel errors. Each doc line says what a driver should do: a config or
// credentials error is critical (a human must fix what the message names,
// retrying cannot help); ErrUnauthorized on a worker is critical too (its
// creds file is stale or wrong). Errors that wrap none of these, such as a
// refused TCP connection, are temporary: retry after a pause.
var (
	// ErrNoDataDir means ServerConfig.DataDir is empty. Critical: set it.
	ErrNoDataDir = errors.New("fleet: no data dir")
	// ErrBadListen means ServerConfig.Listen is not a host:port with a port
	// from 0 to 65535. Critical: fix the address.
	ErrBadListen = errors.New("fleet: bad listen address")
	// ErrInsecureListen means Listen reaches beyond this machine without
	// TLS, so worker credentials would cross the network in plaintext.
	// Critical: set TLSCert and TLSKey, listen on 127.0.0.1, or set
	// AllowInsecureRemote on a network you trust.
	ErrInsecureListen = errors.New("fleet: non-loopback listen address without TLS")
	// ErrTLSConfig means the TLS settings are incomplete or unusable: only
	// one of TLSCert and TLSKey is set, TLS is set without a listener, or
	// the pair does not load. Critical: fix the files or the flags.
	ErrTLSConfig = errors.New("fleet: bad TLS config")
	// ErrCredsMissing means the worker credentials file does not exist.
	// Critical for a worker: copy worker.creds from the node's data dir
	// (the node writes it on its first start).
	ErrCredsMissing = errors.New("fleet: worker credentials file missing")
	// ErrCredsInvalid means the credentials file is not the JSON object
	// {"user": "...", "password": "..."} with both fields set. Critical:
	// copy it again from the node, or delete the node's file to make a new
	// one (every worker then needs the new file).
	ErrCredsInvalid = errors.New("fleet: worker credentials file invalid")
	// ErrCredsMode means the credentials file is readable or writable by
	// users other than its owner. Critical: chmod 600 the file.
	ErrCredsMode = errors.New("fleet: worker credentials file permissions too open")
	// ErrUnauthorized means the server refused the credentials. Critical:
	// the worker's creds file does not match the node's.
	ErrUnauthorized = errors.New("fleet: server refused the credentials")
	// ErrStarted means Start was called on a running server. A bug in the
	// caller.
	ErrStarted = errors.New("fleet: server already started")
	// ErrNotStarted means the server is not running. Start it first.
	ErrNotStarted = errors.New("fleet: server not started")
	// ErrServerStart means the embedded NATS server did not come up (its
	// port is taken, JetStream could not open its store). Critical unless
	// the message says otherwise; the NATS log line before it has details.
	ErrServerStart = errors.New("fleet: embedded NATS server failed to start")
)
