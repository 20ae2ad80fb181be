package statechan

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/keel-rollup/keel/vm"
)

// memChain is a TEST DOUBLE, not an implementation: it stands in for the
// on-chain channel steps (unilateral close with a challenge period,
// challenge with a higher version) that packages vm, circuits and
// sequencer will provide. It models only the rules the watcher relies on:
// a close or challenge needs both parties' signatures on the state (or is
// the opening state), and a challenge must carry a higher version than
// the state the channel is closing with.
type memChain struct {
	mu         sync.Mutex
	params     map[uint64]Params
	closing    map[uint64]SignedState
	challenges []SignedState
	failNext   int // challenges to refuse, as a congested chain might
}

func newMemChain(ps ...Params) *memChain {
	c := &memChain{params: map[uint64]Params{}, closing: map[uint64]SignedState{}}
	for _, p := range ps {
		c.params[p.ChannelID] = p
	}
	return c
}

// CloseUnilaterally is what a party (Mallory) submits to start the
// challenge period.
func (c *memChain) CloseUnilaterally(st SignedState) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	p, ok := c.params[st.State.ChannelID]
	if !ok {
		return ErrUnknownChannel
	}
	if err := st.Verify(p); err != nil {
		return err
	}
	c.closing[st.State.ChannelID] = st
	return nil
}

func (c *memChain) ClosingState(_ context.Context, id uint64) (vm.ChannelState, vm.Signature, vm.Signature, bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	st, ok := c.closing[id]
	return st.State, st.SigA, st.SigB, ok, nil
}

func (c *memChain) Challenge(_ context.Context, s vm.ChannelState, sigA, sigB vm.Signature) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.failNext > 0 {
		c.failNext--
		return errors.New("memchain: transaction dropped")
	}
	cur, ok := c.closing[s.ChannelID]
	if !ok {
		return errors.New("memchain: channel not closing")
	}
	st := SignedState{State: s, SigA: sigA, SigB: sigB}
	if err := st.Verify(c.params[s.ChannelID]); err != nil {
		return err
	}
	if s.Version <= cur.State.Version {
		return fmt.Errorf("memchain: challenge version %d not above %d", s.Version, cur.State.Version)
	}
	c.closing[s.ChannelID] = st
	c.challenges = append(c.challenges, st)
	return nil
}

func (c *memChain) closingVersion(id uint64) uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.closing[id].State.Version
}

// aliceStore returns a store holding Alice's channel with Mallory after n
// rounds of payments, mostly from Mallory to Alice, so that every older
// state favours Mallory; and the state after each round, which Mallory
// kept.
func aliceStore(t *testing.T, c cast, p Params, n int) (*Store, []SignedState) {
	st, err := OpenStore(t.TempDir(), nil)
	require.NoError(t, err)
	t.Cleanup(func() { st.Close() })
	require.NoError(t, st.Create(p))
	alice, mallory := pair(t, p, c.alice, c.mallory)
	history := []SignedState{alice.Latest()}
	for i := 0; i < n; i++ {
		s := pay(t, mallory, alice, 10)
		if i%2 == 1 {
			s = pay(t, alice, mallory, 3)
		}
		history = append(history, s)
		l := alice.Latest()
		require.NoError(t, st.Save(p.ChannelID, &l, nil))
	}
	return st, history
}

// TestWatcherChallengesStaleClose: Mallory closes on chain with a state
// older than the latest she co-signed with Alice. Alice's watcher sees it
// and challenges with the latest state, which carries a higher version
// and replaces Mallory's.
func TestWatcherChallengesStaleClose(t *testing.T) {
	c := newCast(t)
	p := testParams(c.alice, c.mallory, 1000, 1000)
	store, history := aliceStore(t, c, p, 6)
	latest, err := store.Latest(p.ChannelID)
	require.NoError(t, err)

	for _, stale := range []int{0, 1, 3} { // the opening state counts too
		t.Run(fmt.Sprintf("close with version %d", history[stale].State.Version), func(t *testing.T) {
			chain := newMemChain(p)
			require.NoError(t, chain.CloseUnilaterally(history[stale]))
			w, err := NewWatcher(WatcherConfig{Chain: chain, States: store, Logger: testLogger(t)})
			require.NoError(t, err)
			got, err := w.Check(context.Background())
			require.NoError(t, err)
			require.Equal(t, []SignedState{latest}, got)
			require.Len(t, chain.challenges, 1)
			require.Greater(t, chain.challenges[0].State.Version, history[stale].State.Version)
			require.Equal(t, latest.State.Version, chain.closingVersion(p.ChannelID))

			got, err = w.Check(context.Background())
			require.NoError(t, err)
			require.Empty(t, got, "nothing left to challenge")
		})
	}
}

func TestWatcherLeavesCurrentClosesAlone(t *testing.T) {
	c := newCast(t)
	p := testParams(c.alice, c.mallory, 1000, 1000)
	store, _ := aliceStore(t, c, p, 3)
	latest, err := store.Latest(p.ChannelID)
	require.NoError(t, err)
	chain := newMemChain(p)
	w, err := NewWatcher(WatcherConfig{Chain: chain, States: store})
	require.NoError(t, err)

	got, err := w.Check(context.Background()) // not closing
	require.NoError(t, err)
	require.Empty(t, got)
	require.NoError(t, chain.CloseUnilaterally(latest)) // an honest close
	got, err = w.Check(context.Background())
	require.NoError(t, err)
	require.Empty(t, got)
	require.Empty(t, chain.challenges)
}

func TestWatcherRetriesAFailedChallenge(t *testing.T) {
	c := newCast(t)
	p := testParams(c.alice, c.mallory, 1000, 1000)
	store, history := aliceStore(t, c, p, 4)
	chain := newMemChain(p)
	chain.failNext = 1
	require.NoError(t, chain.CloseUnilaterally(history[1]))
	w, err := NewWatcher(WatcherConfig{Chain: chain, States: store})
	require.NoError(t, err)
	_, err = w.Check(context.Background())
	require.Error(t, err)
	got, err := w.Check(context.Background())
	require.NoError(t, err)
	require.Len(t, got, 1)
	require.Equal(t, history[4].State.Version, chain.closingVersion(p.ChannelID))
}

// TestWatcherEndToEnd: payments over the websocket, Mallory keeps an early
// co-signed state and closes with it while Alice's endpoint is running;
// the running watcher, reading Alice's endpoint store, answers by itself.
func TestWatcherEndToEnd(t *testing.T) {
	c := newCast(t)
	p := testParams(c.alice, c.mallory, 1000, 1000)
	alice := startNode(t, c.alice, nodeOpts{listen: true})
	mallory := startNode(t, c.mallory, nodeOpts{})
	require.NoError(t, alice.ep.Open(p))
	require.NoError(t, mallory.ep.Open(p))
	sm, sa := connect(t, mallory, alice, p.ChannelID)
	ctx := context.Background()
	require.NoError(t, sa.Pay(ctx, 100))
	kept, _, err := mallory.ep.State(p.ChannelID) // A 900, M 1100
	require.NoError(t, err)
	require.NoError(t, sm.Pay(ctx, 300)) // Mallory pays back most of it
	require.NoError(t, sm.Pay(ctx, 50))
	latest, _, err := alice.ep.State(p.ChannelID)
	require.NoError(t, err)
	require.Equal(t, uint64(1250), latest.State.BalanceA)

	chain := newMemChain(p)
	w, err := NewWatcher(WatcherConfig{Chain: chain, States: alice.ep.Store(), Interval: time.Hour, Logger: testLogger(t)})
	require.NoError(t, err)
	require.NoError(t, w.Start(ctx))
	defer w.Stop(ctx)

	require.NoError(t, chain.CloseUnilaterally(kept))
	w.Poke() // as a chain subscription would
	require.Eventually(t, func() bool { return chain.closingVersion(p.ChannelID) == latest.State.Version }, 10*time.Second, time.Millisecond)
	require.Len(t, chain.challenges, 1)
	require.Greater(t, chain.challenges[0].State.Version, kept.State.Version)
	require.Equal(t, latest, chain.challenges[0])
	require.NoError(t, w.Stop(ctx))
	require.NoError(t, w.Stop(ctx))
}

// memL1 is a TEST DOUBLE of the Rollup's priority queue as the watcher's
// L1Path sees it: a block counter, the requests filed, and whether the
// sequencer consumed or let them expire.
type memL1 struct {
	mu      sync.Mutex
	block   uint64
	filed   []SignedState
	expired bool
	exodus  int
	// apply, when set, is what a sequencer that processes the request
	// does to the chain.
	apply func(SignedState)
}

func (l *memL1) Block(context.Context) (uint64, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.block, nil
}

func (l *memL1) ForceChallenge(_ context.Context, st vm.ChannelState, sigA, sigB vm.Signature) (uint64, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.filed = append(l.filed, SignedState{State: st, SigA: sigA, SigB: sigB})
	return uint64(len(l.filed) - 1), nil
}

func (l *memL1) Request(context.Context, uint64) (bool, bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.apply != nil {
		l.apply(l.filed[len(l.filed)-1])
		return true, false, nil
	}
	return false, l.expired, nil
}

func (l *memL1) ActivateExodus(context.Context) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.exodus++
	return nil
}

func (l *memL1) advance(n uint64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.block += n
}

// censoringChain is a memChain whose sequencer acknowledges challenges
// and never applies them, or (refuse) refuses them outright.
type censoringChain struct {
	*memChain
	sent   int
	refuse bool
}

func (c *censoringChain) Challenge(context.Context, vm.ChannelState, vm.Signature, vm.Signature) error {
	c.sent++
	if c.refuse {
		return errors.New("censored: challenge refused")
	}
	return nil
}

// TestWatcherFallsBackToL1: Mallory closes with a stale state and the
// sequencer sits on Alice's L2 challenge. Alice's watcher keeps sending it
// for FallbackBlocks L1 blocks, then files the same state through the L1
// priority queue, once; when the sequencer processes that request the
// watcher stands down, and when it lets it expire instead the watcher
// activates exodus mode, once.
func TestWatcherFallsBackToL1(t *testing.T) {
	c := newCast(t)
	p := testParams(c.alice, c.mallory, 1000, 1000)
	store, history := aliceStore(t, c, p, 4)
	latest, err := store.Latest(p.ChannelID)
	require.NoError(t, err)
	ctx := context.Background()

	setup := func(t *testing.T) (*censoringChain, *memL1, *Watcher) {
		chain := &censoringChain{memChain: newMemChain(p)}
		require.NoError(t, chain.CloseUnilaterally(history[1]))
		l1 := &memL1{block: 100}
		w, err := NewWatcher(WatcherConfig{Chain: chain, States: store, L1: l1, FallbackBlocks: 5, Logger: testLogger(t)})
		require.NoError(t, err)
		got, err := w.Check(ctx)
		require.NoError(t, err)
		require.Equal(t, []SignedState{latest}, got, "the L2 challenge first")
		l1.advance(4)
		got, err = w.Check(ctx)
		require.NoError(t, err)
		require.Empty(t, got)
		require.Equal(t, 2, chain.sent, "the L2 challenge is sent again while L2 may still take it")
		require.Empty(t, l1.filed, "not on L1 before FallbackBlocks")
		l1.advance(1)
		got, err = w.Check(ctx)
		require.NoError(t, err)
		require.Equal(t, []SignedState{latest}, got)
		require.Equal(t, []SignedState{latest}, l1.filed, "filed on L1 after FallbackBlocks")
		return chain, l1, w
	}

	t.Run("the sequencer processes the L1 request", func(t *testing.T) {
		chain, l1, w := setup(t)
		l1.apply = func(st SignedState) { chain.closing[st.State.ChannelID] = st }
		for i := 0; i < 3; i++ {
			_, err := w.Check(ctx)
			require.NoError(t, err)
		}
		require.Len(t, l1.filed, 1, "filed once")
		require.Equal(t, latest.State.Version, chain.closingVersion(p.ChannelID))
		require.Zero(t, l1.exodus)
	})
	t.Run("the sequencer refuses the L2 challenge outright", func(t *testing.T) {
		chain := &censoringChain{memChain: newMemChain(p), refuse: true}
		require.NoError(t, chain.CloseUnilaterally(history[1]))
		l1 := &memL1{block: 100}
		w, err := NewWatcher(WatcherConfig{Chain: chain, States: store, L1: l1, FallbackBlocks: 5, Logger: testLogger(t)})
		require.NoError(t, err)
		_, err = w.Check(ctx)
		require.Error(t, err, "the refusal is reported")
		l1.advance(5)
		got, err := w.Check(ctx)
		require.NoError(t, err)
		require.Equal(t, []SignedState{latest}, got)
		require.Equal(t, []SignedState{latest}, l1.filed, "filed on L1 all the same")
	})
	t.Run("the sequencer lets it expire", func(t *testing.T) {
		_, l1, w := setup(t)
		_, err := w.Check(ctx)
		require.NoError(t, err)
		require.Zero(t, l1.exodus, "not before the request expires")
		l1.expired = true
		for i := 0; i < 3; i++ {
			_, err := w.Check(ctx)
			require.NoError(t, err)
		}
		require.Equal(t, 1, l1.exodus, "exodus activated once")
		require.Len(t, l1.filed, 1)
	})
}
