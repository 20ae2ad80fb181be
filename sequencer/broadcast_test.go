package sequencer

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestBroadcasterDropsSlowSubscribers: a subscriber that lets its buffer
// fill is dropped (its channel closed) instead of blocking the sender or
// queueing without bound; the others keep receiving.
func TestBroadcasterDropsSlowSubscribers(t *testing.T) {
	var b broadcaster[int]
	slow, _ := b.subscribe(2)
	fast, cancelFast := b.subscribe(16)
	defer cancelFast()
	for i := 0; i < 5; i++ {
		b.send(i) // never blocks, whoever is not reading
		require.Equal(t, i, <-fast)
	}
	var got []int
	for v := range slow { // closed once it overflowed
		got = append(got, v)
	}
	require.Equal(t, []int{0, 1}, got, "the slow subscriber kept what fit, then was dropped")
	require.True(t, b.active(), "the fast one is still subscribed")
	b.closeAll()
	_, open := <-fast
	require.False(t, open)
	late, _ := b.subscribe(1)
	_, open = <-late
	require.False(t, open, "subscribing after close gets a closed channel")
}
