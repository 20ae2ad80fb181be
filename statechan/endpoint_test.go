package statechan

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/gorilla/websocket"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"

	"github.com/keel-rollup/keel/vm"
)

// node is one party's running endpoint in a test.
type node struct {
	key *vm.PrivateKey
	ep  *Endpoint
	url string // ws:// address when listening

	mu       sync.Mutex
	received []Payment
}

type nodeOpts struct {
	dir     string // default: a fresh temp dir on disk
	fs      vfs.FS
	hooks   *hooks
	metrics Metrics
	listen  bool
}

func startNode(t testing.TB, k *vm.PrivateKey, o nodeOpts) *node {
	t.Helper()
	n := &node{key: k}
	if o.dir == "" {
		o.dir = t.TempDir()
	}
	ep, err := New(Config{
		Key: k, Dir: o.dir, FS: o.fs, Logger: testLogger(t), Metrics: o.metrics, hooks: o.hooks,
		OnPayment: func(p Payment) {
			n.mu.Lock()
			n.received = append(n.received, p)
			n.mu.Unlock()
		},
	})
	require.NoError(t, err)
	require.NoError(t, ep.Start(context.Background()))
	n.ep = ep
	t.Cleanup(func() { _ = ep.Stop(context.Background()) })
	if o.listen {
		addr, err := ep.Listen("127.0.0.1:0")
		require.NoError(t, err)
		n.url = "ws://" + addr.String() + "/"
	}
	return n
}

func (n *node) receivedTotal() (sum uint64, count int, maxVersion uint64) {
	n.mu.Lock()
	defer n.mu.Unlock()
	for _, p := range n.received {
		sum += p.Amount
		maxVersion = max(maxVersion, p.Version)
	}
	return sum, len(n.received), maxVersion
}

// connect has dialer dial listener and waits until both sides run the
// session.
func connect(t testing.TB, dialer, listener *node, id uint64) (*Session, *Session) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	sd, err := dialer.ep.Dial(ctx, listener.url, id)
	require.NoError(t, err)
	sl, err := listener.ep.WaitSession(ctx, id)
	require.NoError(t, err)
	return sd, sl
}

// TestHonestFlow: Alice and Bob, each with a pebble store on disk, open a
// channel and make 10,000 payments over a loopback websocket (most from
// Alice, some from Bob at the same time, so that concurrent proposals
// collide and are retried), then close it cooperatively. Both end with the
// same final state, the balances are exactly what was paid, and the total
// is conserved.
func TestHonestFlow(t *testing.T) {
	c := newCast(t)
	const initA, initB = 1 << 40, 1 << 30
	p := testParams(c.alice, c.bob, initA, initB)
	reg := prometheus.NewRegistry()
	pm, err := NewPromMetrics(reg)
	require.NoError(t, err)
	alice := startNode(t, c.alice, nodeOpts{listen: true, metrics: pm})
	bob := startNode(t, c.bob, nodeOpts{})
	require.NoError(t, alice.ep.Open(p))
	require.NoError(t, bob.ep.Open(p))
	sb, sa := connect(t, bob, alice, p.ChannelID)

	total := 10_000
	if testing.Short() {
		total = 1_000
	}
	fromBob := total / 5
	fromAlice := total - fromBob
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Second)
	defer cancel()
	var paidAB, paidBA atomic.Uint64
	var wg sync.WaitGroup
	run := func(s *Session, workers, n int, paid *atomic.Uint64, base uint64) {
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := w; i < n; i += workers {
					amt := base + uint64(i%97)
					if err := s.Pay(ctx, amt); err != nil {
						t.Errorf("pay %d: %v", i, err)
						return
					}
					paid.Add(amt)
				}
			}()
		}
	}
	start := time.Now()
	run(sa, 16, fromAlice, &paidAB, 1000)
	run(sb, 4, fromBob, &paidBA, 10)
	wg.Wait()
	require.False(t, t.Failed())
	t.Logf("%d payments in %v", total, time.Since(start))

	final, err := sa.CloseChannel(ctx)
	require.NoError(t, err)
	require.True(t, final.State.Final)
	require.NoError(t, final.Verify(p))

	wantA := initA - paidAB.Load() + paidBA.Load()
	wantB := initB + paidAB.Load() - paidBA.Load()
	require.Equal(t, wantA, final.State.BalanceA)
	require.Equal(t, wantB, final.State.BalanceB)
	require.Equal(t, p.Total(), final.State.BalanceA+final.State.BalanceB)
	for _, n := range []*node{alice, bob} {
		st, status, err := n.ep.State(p.ChannelID)
		require.NoError(t, err)
		require.Equal(t, StatusClosed, status)
		require.Equal(t, final, st)
		stored, err := n.ep.Store().Latest(p.ChannelID)
		require.NoError(t, err)
		require.Equal(t, final, stored, "the final state is durable on both sides")
	}
	sum, count, _ := bob.receivedTotal()
	require.Equal(t, paidAB.Load(), sum)
	require.Equal(t, fromAlice, count)
	sum, count, _ = alice.receivedTotal()
	require.Equal(t, paidBA.Load(), sum)
	require.Equal(t, fromBob, count)
	require.Equal(t, float64(fromAlice), metricValue(t, reg, "keel_statechan_payments_sent_total"))
	require.Equal(t, float64(fromBob), metricValue(t, reg, "keel_statechan_payments_received_total"))
	require.Positive(t, metricValue(t, reg, "keel_statechan_bytes_sent_total"))

	require.ErrorIs(t, sa.Pay(ctx, 1), ErrChannelClosed)
	require.ErrorIs(t, sb.Pay(ctx, 1), ErrChannelClosed)
}

func TestPayErrors(t *testing.T) {
	c := newCast(t)
	p := testParams(c.alice, c.bob, 100, 0)
	alice := startNode(t, c.alice, nodeOpts{listen: true})
	bob := startNode(t, c.bob, nodeOpts{})
	require.NoError(t, alice.ep.Open(p))
	require.NoError(t, bob.ep.Open(p))
	ctx := context.Background()
	require.ErrorIs(t, alice.ep.Pay(ctx, p.ChannelID, 1), ErrNoSession)
	require.ErrorIs(t, alice.ep.Pay(ctx, 999, 1), ErrUnknownChannel)
	require.ErrorIs(t, alice.ep.Open(p), ErrChannelExists)

	sb, sa := connect(t, bob, alice, p.ChannelID)
	require.ErrorIs(t, sa.Pay(ctx, 101), ErrInsufficientFunds)
	require.ErrorIs(t, sb.Pay(ctx, 1), ErrInsufficientFunds)
	require.ErrorIs(t, sa.Pay(ctx, 0), ErrZeroAmount)
	require.NoError(t, alice.ep.Pay(ctx, p.ChannelID, 60))
	require.ErrorIs(t, sa.Pay(ctx, 41), ErrInsufficientFunds)
	require.NoError(t, sb.Pay(ctx, 10))
	st, _, err := bob.ep.State(p.ChannelID)
	require.NoError(t, err)
	require.Equal(t, uint64(50), st.State.BalanceA)
	require.Equal(t, uint64(2), st.State.Version)

	// A cancelled context before the payment leaves: nothing is paid.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	require.ErrorIs(t, sa.Pay(cctx, 1), context.Canceled)

	sb.Disconnect()
	require.ErrorIs(t, sb.Pay(ctx, 1), ErrSessionClosed)
	<-sa.Done()
}

// rawPeer is a websocket client that speaks the wire protocol by hand, for
// Mallory.
type rawPeer struct {
	t    testing.TB
	conn *websocket.Conn
}

func dialRaw(t testing.TB, url string) *rawPeer {
	conn, _, err := websocket.DefaultDialer.Dial(url, nil)
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close() })
	return &rawPeer{t: t, conn: conn}
}

func (r *rawPeer) send(m Message) {
	b, err := EncodeMessage(m)
	require.NoError(r.t, err)
	require.NoError(r.t, r.conn.WriteMessage(websocket.BinaryMessage, b))
}

func (r *rawPeer) read() (Message, error) {
	_ = r.conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, b, err := r.conn.ReadMessage()
	if err != nil {
		return nil, err
	}
	return DecodeMessage(b)
}

// readAll reads until the connection closes and returns every message.
func (r *rawPeer) readAll() []Message {
	var out []Message
	for {
		m, err := r.read()
		if err != nil {
			return out
		}
		out = append(out, m)
	}
}

// TestAuthentication: a peer presenting the wrong key, or the right key
// without the secret, is refused before any state is exchanged.
func TestAuthentication(t *testing.T) {
	c := newCast(t)
	p := testParams(c.alice, c.bob, 100, 100)
	alice := startNode(t, c.alice, nodeOpts{listen: true})
	require.NoError(t, alice.ep.Open(p))
	ctx := context.Background()

	t.Run("wrong key, through the endpoint", func(t *testing.T) {
		mallory := startNode(t, c.mallory, nodeOpts{})
		// Mallory records the channel as if she were Bob's counterparty:
		// same ids, her key in Bob's place.
		mp := p
		mp.B = c.mallory.Public()
		require.NoError(t, mallory.ep.Open(mp))
		_, err := mallory.ep.Dial(ctx, alice.url, p.ChannelID)
		require.ErrorIs(t, err, ErrRejected)
		require.ErrorIs(t, err, ErrWrongPeer)
		require.Nil(t, alice.ep.Session(p.ChannelID))
	})
	t.Run("wrong key, by hand", func(t *testing.T) {
		r := dialRaw(t, alice.url)
		r.send(&Hello{ChainID: testChain, ChannelID: testChannel, Key: c.mallory.Public()})
		msgs := r.readAll()
		require.Len(t, msgs, 1, "nothing but the refusal")
		require.Equal(t, RejectWrongPeer, msgs[0].(*Reject).Code)
	})
	t.Run("right key, no secret", func(t *testing.T) {
		r := dialRaw(t, alice.url)
		mine := [32]byte{1}
		r.send(&Hello{ChainID: testChain, ChannelID: testChannel, Key: c.bob.Public(), Challenge: mine})
		m, err := r.read()
		require.NoError(t, err)
		hello := m.(*Hello)
		// Mallory signs the right message with her own key.
		sig, err := c.mallory.SignElement(AuthMessage(p, RoleB, hello.Challenge, mine))
		require.NoError(t, err)
		r.send(&Auth{Sig: sig})
		msgs := r.readAll()
		require.NotEmpty(t, msgs)
		require.IsType(t, &Auth{}, msgs[0], "Alice's own proof")
		require.Len(t, msgs, 2, "then only the refusal: no sync")
		require.Equal(t, RejectAuthFailed, msgs[1].(*Reject).Code)
	})
	t.Run("replayed handshake signature", func(t *testing.T) {
		// A signature by Bob's real key, but over another session's
		// challenge: it must not open this one.
		r := dialRaw(t, alice.url)
		r.send(&Hello{ChainID: testChain, ChannelID: testChannel, Key: c.bob.Public()})
		_, err := r.read()
		require.NoError(t, err)
		old, err := c.bob.SignElement(AuthMessage(p, RoleB, [32]byte{42}, [32]byte{}))
		require.NoError(t, err)
		r.send(&Auth{Sig: old})
		msgs := r.readAll()
		require.Len(t, msgs, 2)
		require.Equal(t, RejectAuthFailed, msgs[1].(*Reject).Code)
	})
	t.Run("unknown channel", func(t *testing.T) {
		r := dialRaw(t, alice.url)
		r.send(&Hello{ChainID: testChain, ChannelID: testChannel + 1, Key: c.bob.Public()})
		msgs := r.readAll()
		require.Len(t, msgs, 1)
		require.Equal(t, RejectWrongChannel, msgs[0].(*Reject).Code)
	})
	t.Run("wrong chain", func(t *testing.T) {
		r := dialRaw(t, alice.url)
		r.send(&Hello{ChainID: testChain + 1, ChannelID: testChannel, Key: c.bob.Public()})
		msgs := r.readAll()
		require.Len(t, msgs, 1)
		require.Equal(t, RejectWrongChain, msgs[0].(*Reject).Code)
	})
}

// malloryHandshake runs a correct handshake and sync as Mallory (a real
// party of the channel) and returns her raw connection.
func malloryHandshake(t *testing.T, url string, p Params, mallory *vm.PrivateKey) (*rawPeer, SyncInfo) {
	r := dialRaw(t, url)
	mine := [32]byte{3}
	r.send(&Hello{ChainID: p.ChainID, ChannelID: p.ChannelID, Key: mallory.Public(), Challenge: mine})
	m, err := r.read()
	require.NoError(t, err)
	hello := m.(*Hello)
	sig, err := mallory.SignElement(AuthMessage(p, RoleB, hello.Challenge, mine))
	require.NoError(t, err)
	m, err = r.read()
	require.NoError(t, err)
	require.IsType(t, &Auth{}, m)
	r.send(&Auth{Sig: sig})
	m, err = r.read()
	require.NoError(t, err)
	info := m.(*Sync).Info
	r.send(&Sync{Info: info})
	return r, info
}

// TestMalloryOverTheWire: the state machine's refusals reach Mallory as
// rejections with their codes, and Alice's state does not move.
func TestMalloryOverTheWire(t *testing.T) {
	c := newCast(t)
	p := testParams(c.alice, c.mallory, 100, 100)
	alice := startNode(t, c.alice, nodeOpts{listen: true})
	require.NoError(t, alice.ep.Open(p))
	r, info := malloryHandshake(t, alice.url, p, c.mallory)
	base := info.Latest.State

	steal := base
	steal.Version++
	steal.BalanceA, steal.BalanceB = 0, 200 // Alice pays Mallory everything
	pr := signedBy(t, c.mallory, steal, 100)
	r.send(&Update{Proposal: pr})
	m, err := r.read()
	require.NoError(t, err)
	require.Equal(t, RejectWrongDirection, m.(*Reject).Code)

	forged := base
	forged.Version += 2 // version 1 is burned by the rejection above
	forged.BalanceA, forged.BalanceB = 110, 90
	pr = signedBy(t, c.bob, forged, 10)
	r.send(&Update{Proposal: pr})
	m, err = r.read()
	require.NoError(t, err)
	require.Equal(t, RejectBadSignature, m.(*Reject).Code)

	st, _, err := alice.ep.State(p.ChannelID)
	require.NoError(t, err)
	require.Equal(t, uint64(0), st.State.Version)

	// A message out of protocol order ends the session.
	r.send(&Hello{ChainID: testChain, ChannelID: testChannel, Key: c.mallory.Public()})
	require.Empty(t, r.readAll())
	require.Eventually(t, func() bool { return alice.ep.Session(p.ChannelID) == nil }, 5*time.Second, time.Millisecond)
}

func TestReconnectReplacesSession(t *testing.T) {
	c := newCast(t)
	p := testParams(c.alice, c.bob, 1000, 1000)
	alice := startNode(t, c.alice, nodeOpts{listen: true})
	bob := startNode(t, c.bob, nodeOpts{})
	require.NoError(t, alice.ep.Open(p))
	require.NoError(t, bob.ep.Open(p))
	sb1, _ := connect(t, bob, alice, p.ChannelID)
	ctx := context.Background()
	require.NoError(t, sb1.Pay(ctx, 5))
	// Bob dials again (say, his old connection looks dead to him): the new
	// session replaces the old one on both sides.
	sb2, err := bob.ep.Dial(ctx, alice.url, p.ChannelID)
	require.NoError(t, err)
	<-sb1.Done()
	require.NoError(t, sb2.Pay(ctx, 5))
	sa, err := alice.ep.WaitSession(ctx, p.ChannelID)
	require.NoError(t, err)
	require.NoError(t, sa.Pay(ctx, 1))
	st, _, err := bob.ep.State(p.ChannelID)
	require.NoError(t, err)
	require.Equal(t, uint64(3), st.State.Version)
	require.Equal(t, uint64(991), st.State.BalanceB)
}

func TestStopIsIdempotent(t *testing.T) {
	c := newCast(t)
	alice := startNode(t, c.alice, nodeOpts{listen: true})
	ctx := context.Background()
	require.NoError(t, alice.ep.Stop(ctx))
	require.NoError(t, alice.ep.Stop(ctx))
	_, err := alice.ep.Listen("127.0.0.1:0")
	require.ErrorIs(t, err, ErrNotStarted)
	require.True(t, errors.Is(alice.ep.Open(testParams(c.alice, c.bob, 1, 1)), ErrStoreClosed))
}

// metricValue reads a counter or gauge from reg.
func metricValue(t testing.TB, reg *prometheus.Registry, name string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	require.NoError(t, err)
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		m := mf.GetMetric()[0]
		if c := m.GetCounter(); c != nil {
			return c.GetValue()
		}
		return m.GetGauge().GetValue()
	}
	t.Fatalf("no metric %s", name)
	return 0
}
