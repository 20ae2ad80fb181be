// Package fleet lets provers on other machines prove Keel's batches. The
// node runs an embedded NATS server with JetStream; workers (`keel prover`)
// connect to it with credentials the node generated, and jobs, proving
// keys and proofs travel over it.
//
// # What it owns
//
//   - Server: the embedded NATS server, in the node's process, with
//     JetStream on file storage in DataDir/nats, so streams survive
//     restarts. It has Start and Stop and may be started again after Stop.
//     Its own logs go to the node's zerolog logger (src=nats); a fatal NATS
//     log line fails Start instead of exiting the process.
//   - Worker credentials (see below). Nobody connects anonymously.
//   - Transport security. ServerConfig.Listen defaults to 127.0.0.1:4222;
//     "" serves in-process clients only (Server.ConnectInProcess). A
//     listener beyond the loopback interface needs TLSCert and TLSKey, or
//     the explicit AllowInsecureRemote, which logs a warning at every start
//     that credentials and jobs cross the network in plaintext.
//   - Connections: Connect dials a node as a worker and returns the
//     connection and a JetStream handle; it reconnects forever and logs
//     disconnects and reconnects.
//   - The topology (Ensure, queue.go): a work-queue stream of jobs
//     (KEEL_JOBS, keel.jobs.<batch>), deduplicated by batch and circuit, so
//     a restarted node republishing a batch queues it once; a results
//     stream (KEEL_RESULTS); a dead-letter stream (KEEL_DEAD, the reason
//     in a header); the workers' durable pull consumer with explicit acks,
//     an ack wait and a delivery limit; and the keys bucket (KEEL_KEYS).
//   - Jobs (job.go): a sealed batch's trace in a compact, versioned
//     binary encoding with the circuit hash it must be proven with; never
//     the node's database. The decoder trusts nothing (fuzzed).
//   - Results (result.go): a proof in the Solidity layout, the batch, the
//     circuit, the worker and its proving time, and no public input: the
//     node recomputes the commitment from its own batch, so a worker cannot
//     choose what its proof proves.
//   - Keys (keys.go): the node publishes its proving and verifying keys by
//     circuit hash; a worker compiles the circuit a job names, checks the
//     hash, and fetches the keys once into its own key directory.
//   - Workers (worker.go): pull a job per free slot, prove it with
//     in-progress heartbeats every third of the ack wait (so a live job is
//     never handed to a second worker, and a dead worker's job is, after
//     the ack wait), publish the result, ack. A job that does not decode is
//     dead-lettered at once; one that fails MaxDeliver times, then.
//   - The node's side of the results (collector.go): every result is
//     verified against the node's verifying key and the commitment of the
//     node's own batch; bad ones are dropped, counted by worker and their
//     jobs requeued; good ones wait for the node, which takes them in batch
//     order (Collector.Proof), so L1 submission stays in order however many
//     batches are proven at once. Results stay in their stream, so a
//     restarted node finds every published proof again.
//   - Worker beats (roster.go): every worker announces its name and load
//     on BeatSubject every BeatInterval; the collector's Roster keeps them
//     with the proofs it accepted from each, for `keel status`.
//
// # Worker credentials
//
// On its first start the server writes DataDir/nats/worker.creds, mode
// 0600, one JSON object:
//
//	{"user": "worker-<16 hex digits>", "password": "<64 hex digits>"}
//
// It reuses the file on every later start, so workers keep working across
// node restarts. Delete it to rotate the password; every worker then needs
// the new file. Server.Start and LoadCreds refuse a file that group or
// others may read or write (ErrCredsMode: chmod 600 it). One user is
// enough for now: the node itself connects in-process with the same
// credentials.
//
// # What it does not own
//
// Proving itself (package prover: circuits, keys, Groth16), what a batch
// is (vm, sequencer), submitting proofs to L1 (bridge), and the wiring of
// the node and the `keel prover` command (node, cmd).
//
// # Usage
//
// On the node:
//
//	srv, err := fleet.NewServer(fleet.DefaultServerConfig(dataDir), log)
//	if err != nil { ... }
//	if err := srv.Start(ctx); err != nil { ... }
//	defer srv.Stop(context.Background())
//	nc, js, err := srv.ConnectInProcess("keel-node")
//	if err != nil { ... }
//	defer nc.Drain()
//
// On a worker, with a copy of the node's worker.creds:
//
//	creds, err := fleet.LoadCreds(credsPath)
//	if err != nil { ... }
//	nc, js, err := fleet.Connect(ctx, "nats://node:4222", creds, "prover-1", log)
//
// A worker of a node with a self-signed certificate adds
// nats.RootCAs(caFile) as an extra option to Connect.
package fleet
