package sequencer_test

import (
	"context"
	"testing"

	"github.com/keel-rollup/keel/sequencer"
	"github.com/stretchr/testify/require"
)

// TestAccountHistory: each account's sealed transactions (its deposit,
// transfers out and in) come back newest first, page by page, and the
// history survives a restart.
func TestAccountHistory(t *testing.T) {
	dir := t.TempDir()
	h := newHarness(t, nil, dir)
	h.fund(1000)
	alice, bob, carol := h.users[0], h.users[1], h.users[2]
	var sent []string
	for i := 0; i < 5; i++ {
		to := bob
		if i%2 == 1 {
			to = carol
		}
		hash, err := h.transfer(alice, to, uint64(10+i))
		require.NoError(t, err)
		sent = append(sent, hash.Hex())
		if i == 2 {
			h.settle() // the history spans batches
		}
	}
	h.settle()

	all := func(account uint32, page int) []string {
		var out []string
		var cursor *sequencer.HistoryCursor
		for i := 0; i < 20; i++ {
			rs, next, err := h.seq.AccountTransactions(account, cursor, page)
			require.NoError(t, err)
			for _, r := range rs {
				out = append(out, r.Hash.Hex())
			}
			if next == nil {
				return out
			}
			cursor = next
		}
		t.Fatal("history does not end")
		return nil
	}
	check := func() {
		got := all(h.index(alice), 2)
		require.Len(t, got, 6, "alice's deposit and five transfers")
		for i := 0; i < 5; i++ {
			require.Equal(t, sent[4-i], got[i], "newest first")
		}
		require.Equal(t, all(h.index(alice), 100), got, "page size does not change the order")
		require.Len(t, all(h.index(bob), 3), 4, "bob's deposit and the three transfers to him")
		require.Len(t, all(h.index(carol), 1), 3)
		require.Empty(t, all(200, 5), "an unused index has no history")
	}
	check()
	_, _, err := h.seq.AccountTransactions(1, nil, 0)
	require.ErrorIs(t, err, sequencer.ErrBadCursor)
	_, _, err = h.seq.AccountTransactions(1, nil, sequencer.MaxHistoryPage+1)
	require.ErrorIs(t, err, sequencer.ErrBadCursor)

	require.NoError(t, h.seq.Stop(context.Background()))
	h.open()
	defer h.seq.Stop(context.Background())
	check()
}
