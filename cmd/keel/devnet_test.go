package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// syncBuffer is a bytes.Buffer that the devnet goroutine writes while the
// test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) Bytes() []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]byte(nil), s.b.Bytes()...)
}

type devnetInfo struct {
	RPC        string `json:"rpc"`
	L1RPC      string `json:"l1Rpc"`
	Metrics    string `json:"metrics"`
	Deployment struct {
		Rollup string `json:"rollup"`
	} `json:"deployment"`
}

// startDevnet runs `keel devnet --json` in process and returns what it
// printed, a stop function (the first Ctrl-C) and its result.
func startDevnet(t *testing.T, dir string) (devnetInfo, func() error) {
	info, _, stop := startDevnetLogging(t, dir, "warn")
	return info, stop
}

// startDevnetLogging is startDevnet at a log level, returning the log too.
func startDevnetLogging(t *testing.T, dir, level string) (devnetInfo, *syncBuffer, func() error) {
	ctx, interrupt := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	g := newGlobals(ctx, &stdout, &stderr)
	done := make(chan error, 1)
	go func() {
		done <- runWith(g, []string{"devnet", "--json", "--datadir", dir, "--rpc-addr", "127.0.0.1:0",
			"--nats-listen", "127.0.0.1:0", "--metrics-addr", "127.0.0.1:0", "--l1-port", "0", "--depth", "4", "--slots", "16",
			"--keys-dir", filepath.Join(os.TempDir(), "keel-test-keys"), "--log-level", level})
	}()
	deadline := time.Now().Add(4 * time.Minute)
	var info devnetInfo
	for json.Unmarshal(stdout.Bytes(), &info) != nil || info.RPC == "" {
		select {
		case err := <-done:
			t.Fatalf("keel devnet exited early: %v\n%s", err, stderr.Bytes())
		case <-time.After(100 * time.Millisecond):
		}
		require.True(t, time.Now().Before(deadline), "keel devnet did not start:\n%s", stderr.Bytes())
	}
	return info, &stderr, func() error {
		interrupt()
		select {
		case err := <-done:
			return err
		case <-time.After(time.Minute):
			t.Fatal("keel devnet did not stop within a minute of the interrupt")
			return nil
		}
	}
}

// TestDevnetCommand starts `keel devnet`, checks that it serves the RPC
// and Prometheus metrics, stops it as Ctrl-C does, and starts it again on
// the same data dir: it resumes with the same contracts.
func TestDevnetCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a devnet; run without -short")
	}
	dir := t.TempDir()
	info, logs, stop := startDevnetLogging(t, dir, "debug")
	require.NotEmpty(t, info.Deployment.Rollup)
	resp, err := http.Get(info.Metrics)
	require.NoError(t, err)
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	require.Contains(t, string(body), "keel_sequencer_batches_sealed_total")
	require.Contains(t, string(body), "keel_sequencer_channel_ops_queued")
	require.Contains(t, string(body), "keel_sequencer_mempool_executable")
	require.Contains(t, string(body), "keel_fleet_worker_prove_seconds")
	require.Contains(t, string(body), "keel_fleet_jobs_queued")

	var out, errOut bytes.Buffer
	require.NoError(t, run(context.Background(), []string{"status", "--json", "--rpc", info.RPC}, &out, &errOut), errOut.String())
	require.Contains(t, out.String(), info.Deployment.Rollup)
	// keel verify checks batch 1 (the operator's deposit) from L1 and
	// exports it for snarkjs, a Groth16 verifier Keel did not write.
	for {
		out.Reset()
		require.NoError(t, run(context.Background(), []string{"status", "--json", "--rpc", info.RPC}, &out, &errOut), errOut.String())
		var st struct {
			Finalized string `json:"finalized"`
		}
		require.NoError(t, json.Unmarshal(out.Bytes(), &st))
		if st.Finalized != "0x0" {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	exported := t.TempDir()
	out.Reset()
	require.NoError(t, run(context.Background(), []string{"verify", "1", "--json", "--rpc", info.RPC, "--keys-dir",
		filepath.Join(os.TempDir(), "keel-test-keys"), "--export", exported}, &out, &errOut), errOut.String())
	require.Contains(t, out.String(), `"valid":true`)
	require.Contains(t, out.String(), "proof (gnark, local key)")
	snarkjs, err := filepath.Abs(filepath.Join("..", "..", ".ci", "node", "node_modules", ".bin", "snarkjs"))
	require.NoError(t, err)
	if _, err := os.Stat(snarkjs); err == nil {
		res, err := exec.Command(snarkjs, "groth16", "verify", filepath.Join(exported, "vk.json"), filepath.Join(exported, "public.json"),
			filepath.Join(exported, "proof.json")).CombinedOutput()
		require.NoError(t, err, "%s", res)
		require.Contains(t, string(res), "OK!", "snarkjs accepts the exported batch")
	} else if os.Getenv("CI") != "" {
		t.Fatalf("snarkjs missing at %s: .ci/run installs it", snarkjs)
	}

	// A read-only follower of the same rollup, from L1 alone.
	fctx, stopFollow := context.WithCancel(context.Background())
	var fout, ferr syncBuffer
	followed := make(chan error, 1)
	go func() {
		followed <- runWith(newGlobals(fctx, &fout, &ferr), []string{"follow", "--json", "--datadir", t.TempDir(), "--l1-rpc", info.L1RPC,
			"--rollup", info.Deployment.Rollup, "--rpc-addr", "127.0.0.1:0", "--poll", "200ms"})
	}()
	var fol struct {
		RPC string `json:"rpc"`
	}
	for json.Unmarshal(fout.Bytes(), &fol) != nil || fol.RPC == "" {
		select {
		case err := <-followed:
			t.Fatalf("keel follow exited: %v\n%s", err, ferr.Bytes())
		case <-time.After(100 * time.Millisecond):
		}
	}
	out.Reset()
	require.NoError(t, run(context.Background(), []string{"status", "--json", "--rpc", fol.RPC}, &out, &errOut), errOut.String())
	require.Contains(t, out.String(), info.Deployment.Rollup, "the follower serves the same rollup")
	stopFollow()
	require.NoError(t, <-followed)

	require.NoError(t, stop(), "a clean stop")

	// No secret reaches the log, even at debug level: not the operator's
	// L2 key, not the sequencer's L1 key.
	opKey, err := os.ReadFile(filepath.Join(dir, "operator.key"))
	require.NoError(t, err)
	require.NotEmpty(t, opKey)
	seqKey := "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80" // dev account 0, the default sequencer
	require.Greater(t, len(logs.Bytes()), 1000, "the debug log is not empty")
	for _, secret := range []string{string(opKey), seqKey} {
		require.NotContains(t, strings.ToLower(string(logs.Bytes())), strings.ToLower(secret))
	}

	again, stop := startDevnet(t, dir)
	require.Equal(t, info.Deployment.Rollup, again.Deployment.Rollup, "the restart resumes the same chain")
	require.NoError(t, stop())
}
