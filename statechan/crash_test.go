package statechan

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/stretchr/testify/require"

	"github.com/keel-rollup/keel/vm"
)

// crasher kills a party at one hook point, the first time it is reached
// with a version at or above the armed one: it takes a crash clone of the
// party's filesystem (everything synced, and a random part of what was
// not, as a real crash would leave it) and makes the session stop dead.
type crasher struct {
	fs  *vfs.MemFS
	rng *rand.Rand

	mu      sync.Mutex
	armed   bool
	version uint64
	clone   *vfs.MemFS
}

func (c *crasher) fire(v uint64) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.armed || v < c.version {
		return nil
	}
	c.armed = false
	c.clone = c.fs.CrashClone(vfs.CrashCloneCfg{UnsyncedDataPercent: c.rng.IntN(101), RNG: c.rng})
	return errCrash
}

func (c *crasher) arm(v uint64) {
	c.mu.Lock()
	c.armed, c.version = true, v
	c.mu.Unlock()
}

func (c *crasher) crashed() *vfs.MemFS {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.clone
}

// TestCrashRecovery kills the payer or the receiver at each point of the
// persistence order, between sending a proposal and its acknowledgement,
// and restarts both parties from what their disks hold. After they
// reconnect and sync, both must hold the same latest state, no state that
// either had co-signed durably may be lost, and payments go on.
func TestCrashRecovery(t *testing.T) {
	type point struct {
		name       string
		payerDies  bool
		set        func(h *hooks, f func(uint64) error)
		wantLatest uint64 // agreed version after the restart; the crash hits version 6
	}
	points := []point{
		{"payer after persisting its proposal, before sending it", true,
			func(h *hooks, f func(uint64) error) { h.proposalPersisted = f }, 5},
		{"payer after sending its proposal, before the answer", true,
			func(h *hooks, f func(uint64) error) { h.proposalSent = f }, 6},
		{"payer after the acknowledgement, before persisting it", true,
			func(h *hooks, f func(uint64) error) { h.ackReceived = f }, 6},
		{"receiver after countersigning, before persisting", false,
			func(h *hooks, f func(uint64) error) { h.beforeCosign = f }, 5},
		{"receiver after persisting, before acknowledging", false,
			func(h *hooks, f func(uint64) error) { h.cosignPersisted = f }, 6},
	}
	c := newCast(t)
	for _, payerListens := range []bool{true, false} {
		for i, pt := range points {
			name := fmt.Sprintf("%s/payer listens %v", pt.name, payerListens)
			t.Run(name, func(t *testing.T) {
				rng := rand.New(rand.NewPCG(uint64(i), 99))
				testCrash(t, c, rng, payerListens, pt.payerDies, pt.set, pt.wantLatest)
			})
		}
	}
}

func testCrash(t *testing.T, c cast, rng *rand.Rand, payerListens, payerDies bool, set func(*hooks, func(uint64) error), wantLatest uint64) {
	const initA, initB = 10_000, 10_000
	p := testParams(c.alice, c.bob, initA, initB)
	amount := func(version uint64) uint64 { return 10 * version } // payment of each version
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()

	// Alice pays Bob. Whoever listens, whoever dies.
	fsA, fsB := vfs.NewCrashableMem(), vfs.NewCrashableMem()
	cr := &crasher{fs: fsA, rng: rng}
	hA, hB := &hooks{}, &hooks{}
	if payerDies {
		set(hA, cr.fire)
	} else {
		cr.fs = fsB
		set(hB, cr.fire)
	}
	alice := startNode(t, c.alice, nodeOpts{fs: fsA, dir: "alice", hooks: hA, listen: payerListens})
	bob := startNode(t, c.bob, nodeOpts{fs: fsB, dir: "bob", hooks: hB, listen: !payerListens})
	require.NoError(t, alice.ep.Open(p))
	require.NoError(t, bob.ep.Open(p))
	var sa, sb *Session
	if payerListens {
		sb, sa = connect(t, bob, alice, p.ChannelID)
	} else {
		sa, sb = connect(t, alice, bob, p.ChannelID)
	}

	durable := uint64(0) // highest version either side reported durable
	for v := uint64(1); v <= 5; v++ {
		require.NoError(t, sa.Pay(ctx, amount(v)))
		durable = v
	}
	cr.arm(6)
	err := sa.Pay(ctx, amount(6))
	require.ErrorIs(t, err, ErrUnsettled, "the crash leaves the payment unsettled")
	<-sa.Done()
	<-sb.Done()
	_, _, maxReceived := bob.receivedTotal()
	durable = max(durable, maxReceived)

	// Both processes go down; each restarts from its disk as a crash
	// would leave it. The one that crashed restarts from the clone taken
	// at the hook.
	require.NoError(t, alice.ep.Stop(ctx))
	require.NoError(t, bob.ep.Stop(ctx))
	restart := func(fs *vfs.MemFS) *vfs.MemFS {
		return fs.CrashClone(vfs.CrashCloneCfg{UnsyncedDataPercent: rng.IntN(101), RNG: rng})
	}
	fsA, fsB = restart(fsA), restart(fsB)
	if payerDies {
		fsA = cr.crashed()
	} else {
		fsB = cr.crashed()
	}
	require.NotNil(t, fsA)
	require.NotNil(t, fsB)
	alice = startNode(t, c.alice, nodeOpts{fs: fsA, dir: "alice", listen: payerListens})
	bob = startNode(t, c.bob, nodeOpts{fs: fsB, dir: "bob", listen: !payerListens})
	if payerListens {
		sb, sa = connect(t, bob, alice, p.ChannelID)
	} else {
		sa, sb = connect(t, alice, bob, p.ChannelID)
	}
	_ = sb

	stA, _, err := alice.ep.State(p.ChannelID)
	require.NoError(t, err)
	stB, _, err := bob.ep.State(p.ChannelID)
	require.NoError(t, err)
	require.Equal(t, stA, stB, "both agree after the sync")
	require.NoError(t, stA.Verify(p))
	require.GreaterOrEqual(t, stA.State.Version, durable, "a co-signed durable state was lost")
	require.Equal(t, wantLatest, stA.State.Version)
	for _, n := range []*node{alice, bob} {
		stored, err := n.ep.Store().Latest(p.ChannelID)
		require.NoError(t, err)
		require.Equal(t, stA, stored, "the agreed state is durable on both sides")
	}
	paid := func(upTo uint64) (sum uint64) {
		for v := uint64(1); v <= upTo; v++ {
			sum += amount(v)
		}
		return sum
	}
	require.Equal(t, initA-paid(stA.State.Version), stA.State.BalanceA)

	// Payments go on. Version 6 is either co-signed or burned: the next
	// state is version 7 either way, and Alice never signed two states of
	// version 6.
	require.NoError(t, sa.Pay(ctx, 7))
	stA, _, err = alice.ep.State(p.ChannelID)
	require.NoError(t, err)
	stB, _, err = bob.ep.State(p.ChannelID)
	require.NoError(t, err)
	require.Equal(t, stA, stB)
	require.Equal(t, uint64(7), stA.State.Version)
	require.Equal(t, initA-paid(wantLatest)-7, stA.State.BalanceA)
	require.Equal(t, p.Total(), stA.State.BalanceA+stA.State.BalanceB)
}

// TestCrashLoop is the long variant: payments in both directions, with
// a crash of a random party at a random hook point every few payments,
// for many rounds. After every restart both must agree, and no state that
// a Pay returned for, or a receiver was told of, may be lost.
func TestCrashLoop(t *testing.T) {
	if testing.Short() {
		t.Skip("long crash loop; run without -short")
	}
	c := newCast(t)
	p := testParams(c.alice, c.bob, 1_000_000, 1_000_000)
	rng := rand.New(rand.NewPCG(7, 7))
	fs := map[*vm.PrivateKey]*vfs.MemFS{c.alice: vfs.NewCrashableMem(), c.bob: vfs.NewCrashableMem()}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Second)
	defer cancel()
	setters := []func(h *hooks, f func(uint64) error){
		func(h *hooks, f func(uint64) error) { h.proposalPersisted = f },
		func(h *hooks, f func(uint64) error) { h.proposalSent = f },
		func(h *hooks, f func(uint64) error) { h.ackReceived = f },
		func(h *hooks, f func(uint64) error) { h.beforeCosign = f },
		func(h *hooks, f func(uint64) error) { h.cosignPersisted = f },
	}
	durable := uint64(0)
	opened := false
	for round := 0; round < 40; round++ {
		victim := c.alice
		if rng.IntN(2) == 1 {
			victim = c.bob
		}
		cr := &crasher{fs: fs[victim], rng: rng}
		h := &hooks{}
		setters[rng.IntN(len(setters))](h, cr.fire)
		hk := map[*vm.PrivateKey]*hooks{c.alice: {}, c.bob: {}}
		hk[victim] = h
		alice := startNode(t, c.alice, nodeOpts{fs: fs[c.alice], dir: "a", hooks: hk[c.alice], listen: true})
		bob := startNode(t, c.bob, nodeOpts{fs: fs[c.bob], dir: "b", hooks: hk[c.bob]})
		if !opened {
			require.NoError(t, alice.ep.Open(p))
			require.NoError(t, bob.ep.Open(p))
			opened = true
		}
		sb, sa := connect(t, bob, alice, p.ChannelID)
		st, _, err := alice.ep.State(p.ChannelID)
		require.NoError(t, err)
		stB, _, err := bob.ep.State(p.ChannelID)
		require.NoError(t, err)
		require.Equal(t, st, stB, "round %d: agree after sync", round)
		require.GreaterOrEqual(t, st.State.Version, durable, "round %d: lost a durable state", round)
		cr.arm(st.State.Version + 1 + rng.Uint64N(30))

		var mu sync.Mutex
		var wg sync.WaitGroup
		for _, s := range []*Session{sa, sb} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := uint64(0); ; i++ {
					err := s.Pay(ctx, 1+i%50)
					if err != nil {
						return
					}
					v, _, _ := s.e.State(p.ChannelID)
					mu.Lock()
					durable = max(durable, v.State.Version)
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		<-sa.Done()
		<-sb.Done()
		for _, n := range []*node{alice, bob} {
			_, _, mv := n.receivedTotal()
			durable = max(durable, mv)
		}
		require.NoError(t, alice.ep.Stop(ctx))
		require.NoError(t, bob.ep.Stop(ctx))
		clone := cr.crashed()
		require.NotNil(t, clone, "round %d: the crash did not fire", round)
		other := c.alice
		if victim == c.alice {
			other = c.bob
		}
		fs[victim] = clone
		fs[other] = fs[other].CrashClone(vfs.CrashCloneCfg{UnsyncedDataPercent: rng.IntN(101), RNG: rng})
	}
}
