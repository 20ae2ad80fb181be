package statechan

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/cockroachdb/pebble/v2"
	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/stretchr/testify/require"

	"github.com/keel-rollup/keel/vm"
)

func openMemStore(t testing.TB, fs vfs.FS) *Store {
	t.Helper()
	st, err := OpenStore("db", &StoreOptions{FS: fs, Logger: testLogger(t)})
	require.NoError(t, err)
	return st
}

// TestStoreSurvivesCrash: whatever Save returned for is there after a crash
// that loses every unsynced byte, and Restore rebuilds both parties'
// channels, including a proposal still in flight.
func TestStoreSurvivesCrash(t *testing.T) {
	c := newCast(t)
	p := testParams(c.alice, c.bob, 1000, 1000)
	fs := vfs.NewCrashableMem()
	st := openMemStore(t, fs)
	require.NoError(t, st.Create(p))
	require.ErrorIs(t, st.Create(p), ErrChannelExists)

	alice, bob := pair(t, p, c.alice, c.bob)
	for i := 0; i < 3; i++ {
		s := pay(t, alice, bob, 7)
		require.NoError(t, st.Save(p.ChannelID, &s, nil))
	}
	prop, err := alice.ProposeUpdate(5)
	require.NoError(t, err)
	require.NoError(t, st.Save(p.ChannelID, nil, &prop))

	crashed := fs.CrashClone(vfs.CrashCloneCfg{})
	require.NoError(t, st.Close())
	st = openMemStore(t, crashed)
	defer st.Close()

	ids, err := st.Channels()
	require.NoError(t, err)
	require.Equal(t, []uint64{p.ChannelID}, ids)
	got, err := st.Params(p.ChannelID)
	require.NoError(t, err)
	require.Equal(t, p, got)

	ra, err := Restore(st, c.alice, p.ChannelID)
	require.NoError(t, err)
	require.Equal(t, alice.Latest(), ra.Latest())
	pending, ok := ra.Pending()
	require.True(t, ok, "the proposal in flight is restored, unsettled")
	require.Equal(t, prop.State, pending.State)
	// Restored Alice never signs another state of the in-flight version.
	_, err = ra.ProposeUpdate(1)
	require.ErrorIs(t, err, ErrProposalPending)

	// The directory is Alice's: Bob is a party, but the last proposal is
	// not his; Mallory is no party at all.
	_, err = Restore(st, c.bob, p.ChannelID)
	require.ErrorIs(t, err, ErrCorrupt)
	_, err = Restore(st, c.mallory, p.ChannelID)
	require.ErrorIs(t, err, ErrNotParty)
}

func TestRestoreAfterSettledProposalSignsHigher(t *testing.T) {
	c := newCast(t)
	p := testParams(c.alice, c.bob, 1000, 1000)
	st := openMemStore(t, vfs.NewMem())
	defer st.Close()
	require.NoError(t, st.Create(p))
	alice, bob := pair(t, p, c.alice, c.bob)
	s := pay(t, alice, bob, 7)
	require.NoError(t, st.Save(p.ChannelID, &s, nil))
	prop, err := alice.ProposeUpdate(5)
	require.NoError(t, err)
	require.NoError(t, st.Save(p.ChannelID, nil, &prop))
	_, err = alice.HandleReject(prop.State.Version) // rejected: version 2 burned
	require.NoError(t, err)

	// After a restart Alice must not sign a second version-2 state, even
	// though the rejection itself was never written.
	ra, err := Restore(st, c.alice, p.ChannelID)
	require.NoError(t, err)
	res, err := ra.Reconcile(SyncInfo{Latest: s, Next: 2})
	require.NoError(t, err)
	require.NotNil(t, res.Dropped)
	next, err := ra.ProposeUpdate(1)
	require.NoError(t, err)
	require.Equal(t, uint64(3), next.State.Version)
}

func TestStoreDetectsCorruption(t *testing.T) {
	c := newCast(t)
	p := testParams(c.alice, c.bob, 1000, 1000)
	fs := vfs.NewMem()
	st := openMemStore(t, fs)
	require.NoError(t, st.Create(p))
	alice, bob := pair(t, p, c.alice, c.bob)
	s := pay(t, alice, bob, 7)
	s.SigB[5] ^= 1
	require.NoError(t, st.Save(p.ChannelID, &s, nil))
	_, err := Restore(st, c.alice, p.ChannelID)
	require.ErrorIs(t, err, ErrCorrupt)

	// A record of the wrong length.
	require.NoError(t, st.db.Set(key(prefixLatest, p.ChannelID), []byte{1, 2, 3}, pebble.Sync))
	_, err = st.Latest(p.ChannelID)
	require.ErrorIs(t, err, ErrCorrupt)
	require.NoError(t, st.Close())
	require.NoError(t, st.Close())
	_, err = st.Latest(p.ChannelID)
	require.ErrorIs(t, err, ErrStoreClosed)
	require.ErrorIs(t, st.Save(p.ChannelID, &s, nil), ErrStoreClosed)
}

// TestStoreConcurrentSaves: sessions of many channels save at once (their
// synced commits share fsyncs in pebble's pipeline); every one is durable.
func TestStoreConcurrentSaves(t *testing.T) {
	c := newCast(t)
	fs := vfs.NewCrashableMem()
	st := openMemStore(t, fs)
	const channels, updates = 16, 20
	want := map[uint64]SignedState{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i := uint32(0); i < channels; i++ {
		p := testParams(c.alice, c.bob, 1000, 1000)
		p.ChannelID = vm.ChannelIDOf(1, i)
		require.NoError(t, st.Create(p))
		wg.Add(1)
		go func() {
			defer wg.Done()
			var s SignedState
			for u := uint64(1); u <= updates; u++ {
				s = SignedState{State: p.Opening()}
				s.State.Version = u
				s.SigA[0] = byte(u)
				if err := st.Save(p.ChannelID, &s, nil); err != nil {
					t.Error(err)
					return
				}
			}
			mu.Lock()
			want[p.ChannelID] = s
			mu.Unlock()
		}()
	}
	wg.Wait()
	crashed := fs.CrashClone(vfs.CrashCloneCfg{})
	require.NoError(t, st.Close())
	st = openMemStore(t, crashed)
	defer st.Close()
	for id, s := range want {
		got, err := st.Latest(id)
		require.NoError(t, err)
		require.Equal(t, s, got, fmt.Sprint(id))
	}
}

// BenchmarkStoreSave measures synced saves per second on disk from 1 and
// 16 channels saving concurrently: the second shows pebble's group commit
// sharing fsyncs among them.
func BenchmarkStoreSave(b *testing.B) {
	c := newCast(b)
	for _, channels := range []int{1, 16} {
		b.Run(fmt.Sprintf("channels=%d", channels), func(b *testing.B) {
			st, err := OpenStore(b.TempDir(), nil)
			if err != nil {
				b.Fatal(err)
			}
			defer st.Close()
			p := testParams(c.alice, c.bob, 1000, 1000)
			s := SignedState{State: p.Opening()}
			var left atomic.Int64
			left.Store(int64(b.N))
			var wg sync.WaitGroup
			b.ResetTimer()
			for ch := 0; ch < channels; ch++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for left.Add(-1) >= 0 {
						if err := st.Save(uint64(ch), &s, nil); err != nil {
							b.Error(err)
							return
						}
					}
				}()
			}
			wg.Wait()
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "saves/s")
		})
	}
}
