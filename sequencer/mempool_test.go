package sequencer

// The mempool tests are internal so that the property test can check the
// pool's bookkeeping (counts, heap positions, executable runs) directly,
// as geth's txpool tests do with validatePoolInternals.

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/stretchr/testify/require"

	"github.com/keel-rollup/keel/vm"
)

// ptx builds an unsigned transfer; the pool never checks signatures. salt
// tells apart transactions that share sender, nonce and fee.
func ptx(from, nonce uint32, fee uint64, salt ...uint64) *vm.Tx {
	amount := uint64(1000)
	if len(salt) > 0 {
		amount += salt[0]
	}
	return &vm.Tx{Type: vm.TxTransfer, ChainID: 1, From: from, To: from + 1000, Amount: amount, Fee: fee, Nonce: nonce}
}

func newPool(t testing.TB, edit func(*MempoolConfig)) *Mempool {
	t.Helper()
	cfg := DefaultMempoolConfig()
	if edit != nil {
		edit(&cfg)
	}
	p, err := NewMempool(cfg)
	require.NoError(t, err)
	return p
}

// key names a transaction in failure messages and expectations.
func key(tx *vm.Tx) string { return fmt.Sprintf("%d/%d", tx.From, tx.Nonce) }

func keys(txs []*vm.Tx) []string {
	out := make([]string, len(txs))
	for i, tx := range txs {
		out[i] = key(tx)
	}
	return out
}

func TestMempoolConfigValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*MempoolConfig)
		ok   bool
	}{
		{"defaults", func(*MempoolConfig) {}, true},
		{"no capacity", func(c *MempoolConfig) { c.MaxTxs = 0 }, false},
		{"no per-account capacity", func(c *MempoolConfig) { c.MaxPerAccount = 0 }, false},
		{"per-account above global", func(c *MempoolConfig) { c.MaxTxs, c.MaxPerAccount = 10, 11 }, false},
		{"per-account equal to global", func(c *MempoolConfig) { c.MaxTxs, c.MaxPerAccount = 10, 10 }, true},
		{"empty nonce window", func(c *MempoolConfig) { c.NonceWindow = 0 }, false},
		{"zero bump", func(c *MempoolConfig) { c.PriceBump = 0 }, true},
		{"bump overflows", func(c *MempoolConfig) { c.PriceBump = math.MaxUint64 - 99 }, false},
		{"free transactions", func(c *MempoolConfig) { c.MinFee = 0 }, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := DefaultMempoolConfig()
			tc.edit(&cfg)
			_, err := NewMempool(cfg)
			if tc.ok {
				require.NoError(t, err)
			} else {
				require.Error(t, err)
			}
		})
	}
}

func TestMempoolNonceOrder(t *testing.T) {
	p := newPool(t, nil)
	require.NoError(t, p.Add(ptx(1, 2, 5), 0))
	require.NoError(t, p.Add(ptx(1, 1, 9), 0))
	st := p.Stats()
	require.Equal(t, 0, st.Executable, "nonces 1 and 2 wait for 0")
	require.Equal(t, 2, st.Future)
	require.Empty(t, p.Pending())

	require.NoError(t, p.Add(ptx(1, 0, 1), 0))
	require.Equal(t, []string{"1/0", "1/1", "1/2"}, keys(p.Pending()), "nonce order despite rising fees")
	st = p.Stats()
	require.Equal(t, 3, st.Executable)
	require.Equal(t, 0, st.Future)
}

func TestMempoolFeePriority(t *testing.T) {
	type add struct {
		from, nonce uint32
		fee         uint64
	}
	for _, tc := range []struct {
		name string
		adds []add
		want []string
	}{
		{
			name: "heads compete, nonce order kept",
			adds: []add{{1, 0, 1}, {1, 1, 100}, {2, 0, 50}},
			want: []string{"2/0", "1/0", "1/1"},
		},
		{
			name: "a cheap head holds back its account",
			adds: []add{{1, 0, 1}, {1, 1, 100}, {2, 0, 50}, {2, 1, 2}},
			want: []string{"2/0", "2/1", "1/0", "1/1"},
		},
		{
			name: "equal fees go by arrival",
			adds: []add{{3, 0, 7}, {1, 0, 7}, {2, 0, 7}},
			want: []string{"3/0", "1/0", "2/0"},
		},
		{
			name: "future transactions are not offered",
			adds: []add{{1, 0, 5}, {1, 2, 500}, {2, 1, 900}},
			want: []string{"1/0"},
		},
		{
			name: "highest fee first across many accounts",
			adds: []add{{1, 0, 10}, {2, 0, 30}, {3, 0, 20}, {4, 0, 40}, {2, 1, 35}, {4, 1, 5}},
			want: []string{"4/0", "2/0", "2/1", "3/0", "1/0", "4/1"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := newPool(t, nil)
			for _, a := range tc.adds {
				require.NoError(t, p.Add(ptx(a.from, a.nonce, a.fee), 0))
			}
			require.Equal(t, tc.want, keys(p.Pending()))

			var offered []*vm.Tx
			n, err := p.Fill(func(tx *vm.Tx) error { offered = append(offered, tx); return nil })
			require.NoError(t, err)
			require.Equal(t, tc.want, keys(offered), "Fill offers in Pending's order")
			require.Equal(t, len(tc.want), n)
			require.Equal(t, len(tc.adds)-len(tc.want), p.Len(), "only the included leave")
		})
	}
}

func TestMempoolReplace(t *testing.T) {
	for _, tc := range []struct {
		name    string
		bump    uint64
		old     uint64
		new     uint64
		wantErr error
	}{
		{"same fee", 10, 100, 100, ErrReplaceUnderpriced},
		{"lower fee", 10, 100, 50, ErrReplaceUnderpriced},
		{"just under 10%", 10, 100, 109, ErrReplaceUnderpriced},
		{"exactly 10%", 10, 100, 110, nil},
		{"well above", 10, 100, 1000, nil},
		{"small fee needs +1", 10, 5, 5, ErrReplaceUnderpriced},
		{"small fee +1 is enough", 10, 5, 6, nil},
		{"10% rounds down", 10, 15, 16, nil},
		{"zero bump still needs +1", 0, 100, 100, ErrReplaceUnderpriced},
		{"zero bump +1", 0, 100, 101, nil},
		{"50% bump under", 50, 100, 149, ErrReplaceUnderpriced},
		{"50% bump exact", 50, 100, 150, nil},
		{"nothing replaces the largest fee", 10, math.MaxUint64, math.MaxUint64, ErrReplaceUnderpriced},
		{"no bump fits 64 bits", 10, math.MaxUint64 / 100 * 99, math.MaxUint64, ErrReplaceUnderpriced},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := newPool(t, func(c *MempoolConfig) { c.PriceBump = tc.bump })
			old, repl := ptx(1, 0, tc.old), ptx(1, 0, tc.new, 1)
			require.NoError(t, p.Add(old, 0))
			err := p.Add(repl, 0)
			require.Equal(t, 1, p.Len())
			if tc.wantErr != nil {
				require.ErrorIs(t, err, tc.wantErr)
				got, ok := p.Get(old.Hash())
				require.True(t, ok)
				require.Same(t, old, got)
				_, ok = p.Get(repl.Hash())
				require.False(t, ok)
				require.Zero(t, p.Stats().Replaced)
				return
			}
			require.NoError(t, err)
			_, ok := p.Get(old.Hash())
			require.False(t, ok, "the replaced transaction is gone")
			got, ok := p.Get(repl.Hash())
			require.True(t, ok)
			require.Same(t, repl, got)
			require.Equal(t, []*vm.Tx{repl}, p.Pending())
			require.Equal(t, uint64(1), p.Stats().Replaced)
		})
	}
}

func TestMempoolReplaceReordersAndTakesNewArrival(t *testing.T) {
	p := newPool(t, nil)
	require.NoError(t, p.Add(ptx(1, 0, 100), 0))
	require.NoError(t, p.Add(ptx(2, 0, 110), 0))
	require.Equal(t, []string{"2/0", "1/0"}, keys(p.Pending()))
	// The replacement ties with account 2 and arrived later, so it goes second.
	require.NoError(t, p.Add(ptx(1, 0, 110, 1), 0))
	require.Equal(t, []string{"2/0", "1/0"}, keys(p.Pending()))
	require.NoError(t, p.Add(ptx(1, 0, 121, 2), 0))
	require.Equal(t, []string{"1/0", "2/0"}, keys(p.Pending()))
}

func TestMempoolAddErrors(t *testing.T) {
	deposit := &vm.Tx{Type: vm.TxDeposit, ChainID: 1, To: 3, Amount: 5}
	for _, tc := range []struct {
		name       string
		tx         *vm.Tx
		stateNonce uint32
		wantErr    error
	}{
		{"deposit", deposit, 0, ErrTxType},
		{"unknown type", &vm.Tx{Type: 9, From: 1}, 0, ErrTxType},
		{"already known", ptx(1, 5, 10), 0, ErrAlreadyKnown},
		{"fee below minimum", ptx(2, 0, 4), 0, ErrFeeTooLow},
		{"fee at minimum", ptx(2, 0, 5), 0, nil},
		{"nonce used", ptx(2, 6, 10), 7, ErrNonceTooLow},
		{"nonce is the state nonce", ptx(2, 7, 10), 7, nil},
		{"last nonce in window", ptx(2, 7+15, 10), 7, nil},
		{"first nonce past window", ptx(2, 7+16, 10), 7, ErrNonceTooHigh},
		{"window at the top of uint32", ptx(2, math.MaxUint32, 10), math.MaxUint32 - 3, nil},
		{"pool remembers a higher nonce than a stale read", ptx(1, 2, 10), 0, ErrNonceTooLow},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := newPool(t, func(c *MempoolConfig) { c.MinFee, c.NonceWindow = 5, 16 })
			require.NoError(t, p.Add(ptx(1, 0, 10), 0))
			require.NoError(t, p.Add(ptx(1, 5, 10), 0))
			p.SetNonce(1, 3) // account 1 is at nonce 3; its nonce-0 tx is stale
			before := p.Len()
			err := p.Add(tc.tx, tc.stateNonce)
			if tc.wantErr != nil {
				require.ErrorIs(t, err, tc.wantErr)
				require.Equal(t, before, p.Len())
				return
			}
			require.NoError(t, err)
			require.Equal(t, before+1, p.Len())
		})
	}
}

func TestMempoolAddAdvancesNonce(t *testing.T) {
	p := newPool(t, nil)
	for n := uint32(0); n < 4; n++ {
		require.NoError(t, p.Add(ptx(1, n, 10), 0))
	}
	// A newer state nonce in an Add clears what it has passed.
	require.NoError(t, p.Add(ptx(1, 5, 10), 3))
	require.Equal(t, []string{"1/3"}, keys(p.Pending()))
	require.Equal(t, 2, p.Len())
	require.Equal(t, uint64(3), p.Stats().Stale)
}

func TestMempoolSetNonce(t *testing.T) {
	p := newPool(t, nil)
	require.NoError(t, p.Add(ptx(1, 0, 10), 0))
	require.NoError(t, p.Add(ptx(1, 3, 10), 0))
	require.NoError(t, p.Add(ptx(1, 4, 10), 0))
	require.NoError(t, p.Add(ptx(2, 0, 10), 0))
	require.Equal(t, MempoolStats{Executable: 2, Future: 2, Added: 4}, p.Stats())

	p.SetNonce(1, 3) // 0 was included elsewhere and 1, 2 never reached us
	require.Equal(t, []string{"1/3", "1/4", "2/0"}, keys(p.Pending()))
	st := p.Stats()
	require.Equal(t, 3, st.Executable)
	require.Equal(t, 0, st.Future)
	require.Equal(t, uint64(1), st.Stale)

	p.SetNonce(1, 1) // an older nonce changes nothing
	require.Equal(t, []string{"1/3", "1/4", "2/0"}, keys(p.Pending()))
	require.NoError(t, p.Add(ptx(1, 4, 20, 1), 0), "replacing 4 still works")
	require.ErrorIs(t, p.Add(ptx(1, 2, 10), 2), ErrNonceTooLow, "the pool keeps nonce 3")

	p.SetNonce(1, 10) // past everything: the account is forgotten
	p.SetNonce(7, 3)  // an unknown account: nothing to do
	require.Equal(t, 1, p.Len())
	require.Len(t, p.accounts, 1)
	validate(t, p)
}

func TestMempoolAccountLimit(t *testing.T) {
	p := newPool(t, func(c *MempoolConfig) { c.MaxPerAccount = 3 })
	for n := uint32(1); n <= 3; n++ {
		require.NoError(t, p.Add(ptx(1, n, 10), 0))
	}
	require.ErrorIs(t, p.Add(ptx(1, 4, 1000), 0), ErrAccountFull, "a higher nonce cannot push out a lower one")
	require.Equal(t, 3, p.Stats().Future)

	// The gap-filling nonce takes the highest nonce's place rather than
	// leaving the account stuck with a full quota of future transactions.
	require.NoError(t, p.Add(ptx(1, 0, 1), 0))
	require.Equal(t, []string{"1/0", "1/1", "1/2"}, keys(p.Pending()))
	require.Equal(t, 3, p.Len())
	require.Equal(t, uint64(1), p.Stats().Evicted)
	_, ok := p.Get(ptx(1, 3, 10).Hash())
	require.False(t, ok)

	require.NoError(t, p.Add(ptx(2, 0, 10), 0), "other accounts are not limited by it")
	require.NoError(t, p.Add(ptx(1, 2, 11), 0), "replacement needs no room")
	validate(t, p)
}

func TestMempoolGlobalLimit(t *testing.T) {
	type add struct {
		from, nonce uint32
		fee         uint64
	}
	// Account 1's nonce 0 is the cheapest transaction but not evictable:
	// its nonce 1 depends on it. The cheapest tail is account 2's.
	full := []add{{1, 0, 1}, {1, 1, 20}, {2, 0, 7}, {3, 0, 9}}
	for _, tc := range []struct {
		name    string
		full    []add
		tx      add
		wantErr error
		evicted string
	}{
		{"equal fee refused", full, add{4, 0, 7}, ErrPoolFull, ""},
		{"lower fee refused", full, add{4, 0, 2}, ErrPoolFull, ""},
		{"higher fee evicts the cheapest tail", full, add{4, 0, 8}, nil, "2/0"},
		{"a higher nonce cannot evict its own account's tail", full, add{2, 1, 50}, ErrPoolFull, ""},
		{
			name:    "a gap filler may evict its own account's tail",
			full:    []add{{1, 0, 1}, {1, 1, 20}, {2, 0, 7}, {3, 1, 2}},
			tx:      add{3, 0, 100},
			evicted: "3/1",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := newPool(t, func(c *MempoolConfig) { c.MaxTxs, c.MaxPerAccount = 4, 4 })
			for _, a := range tc.full {
				require.NoError(t, p.Add(ptx(a.from, a.nonce, a.fee), 0))
			}
			before := keys(p.Pending())
			tx := ptx(tc.tx.from, tc.tx.nonce, tc.tx.fee)
			err := p.Add(tx, 0)
			require.Equal(t, 4, p.Len(), "never above the limit")
			if tc.wantErr != nil {
				require.ErrorIs(t, err, tc.wantErr)
				require.Zero(t, p.Stats().Evicted)
				require.Equal(t, before, keys(p.Pending()))
				return
			}
			require.NoError(t, err)
			require.Equal(t, uint64(1), p.Stats().Evicted)
			var pooled []string
			for _, h := range p.all {
				pooled = append(pooled, key(h.tx))
			}
			require.NotContains(t, pooled, tc.evicted)
			require.Contains(t, pooled, key(tx))
			validate(t, p)
		})
	}
}

func TestMempoolGlobalLimitTieEvictsLatest(t *testing.T) {
	p := newPool(t, func(c *MempoolConfig) { c.MaxTxs = 3; c.MaxPerAccount = 3 })
	require.NoError(t, p.Add(ptx(1, 0, 5), 0))
	require.NoError(t, p.Add(ptx(2, 0, 5), 0))
	require.NoError(t, p.Add(ptx(3, 0, 9), 0))
	require.NoError(t, p.Add(ptx(4, 0, 6), 0))
	_, ok := p.Get(ptx(2, 0, 5).Hash())
	require.False(t, ok, "among equal fees the later arrival goes")
	_, ok = p.Get(ptx(1, 0, 5).Hash())
	require.True(t, ok)
}

// outcome scripts what a fake apply returns, by "from/nonce".
func scripted(outcomes map[string]error, seen *[]string) func(*vm.Tx) error {
	return func(tx *vm.Tx) error {
		*seen = append(*seen, key(tx))
		return outcomes[key(tx)]
	}
}

func TestMempoolFill(t *testing.T) {
	errStop := errors.New("stop")
	for _, tc := range []struct {
		name     string
		outcomes map[string]error
		offered  []string
		included int
		err      error
		left     []string // pooled afterwards, in Pending order
	}{
		{
			name:     "all accepted",
			offered:  []string{"3/0", "1/0", "2/0", "2/1", "1/1", "1/2"},
			included: 6,
		},
		{
			name:     "rejection drops the later nonces",
			outcomes: map[string]error{"1/1": fmt.Errorf("%w: poor", vm.ErrInsufficientBalance)},
			offered:  []string{"3/0", "1/0", "2/0", "2/1", "1/1"},
			included: 4,
		},
		{
			name:     "batch full passes the account over and keeps it",
			outcomes: map[string]error{"1/0": vm.ErrBatchFull},
			offered:  []string{"3/0", "1/0", "2/0", "2/1"},
			included: 3,
			left:     []string{"1/0", "1/1", "1/2"},
		},
		{
			name:     "other errors stop the fill",
			outcomes: map[string]error{"1/1": errStop},
			offered:  []string{"3/0", "1/0", "2/0", "2/1", "1/1"},
			included: 4,
			err:      errStop,
			left:     []string{"1/1", "1/2"},
		},
		{
			name:     "sealed batch stops at once",
			outcomes: map[string]error{"3/0": vm.ErrSealed},
			offered:  []string{"3/0"},
			err:      vm.ErrSealed,
			left:     []string{"3/0", "1/0", "2/0", "2/1", "1/1", "1/2"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := newPool(t, nil)
			for _, tx := range []*vm.Tx{ptx(1, 0, 50), ptx(1, 1, 10), ptx(1, 2, 90), ptx(2, 0, 20), ptx(2, 1, 20), ptx(3, 0, 70), ptx(3, 2, 99)} {
				require.NoError(t, p.Add(tx, 0))
			}
			var seen []string
			n, err := p.Fill(scripted(tc.outcomes, &seen))
			require.ErrorIs(t, err, tc.err)
			require.Equal(t, tc.offered, seen)
			require.Equal(t, tc.included, n)
			left := keys(p.Pending())
			if len(left) == 0 {
				left = nil
			}
			require.Equal(t, tc.left, left)
			require.Equal(t, len(tc.left)+1, p.Len(), "plus the future 3/2")
			require.Equal(t, uint64(tc.included), p.Stats().Included)
			validate(t, p)
		})
	}
}

func TestMempoolFillSkipsChangedTransactions(t *testing.T) {
	p := newPool(t, nil)
	require.NoError(t, p.Add(ptx(1, 0, 50), 0))
	require.NoError(t, p.Add(ptx(1, 1, 50), 0))
	require.NoError(t, p.Add(ptx(2, 0, 10), 0))
	var seen []string
	_, err := p.Fill(func(tx *vm.Tx) error {
		seen = append(seen, key(tx))
		if tx.From == 1 && tx.Nonce == 0 {
			// While 1/0 is being applied, 1/1 is replaced: the snapshot's
			// 1/1 must not be offered.
			require.NoError(t, p.Add(ptx(1, 1, 60, 1), 0))
		}
		return nil
	})
	require.NoError(t, err)
	require.Equal(t, []string{"1/0", "2/0"}, seen)
	require.Equal(t, []*vm.Tx{ptx(1, 1, 60, 1)}, p.Pending(), "the replacement waits for the next Fill")
}

func TestMempoolFillIncludesReplacedDuringApply(t *testing.T) {
	p := newPool(t, nil)
	require.NoError(t, p.Add(ptx(1, 0, 50), 0))
	n, err := p.Fill(func(tx *vm.Tx) error {
		// The replacement arrives while the original is being applied; the
		// original is in the batch, so the replacement's nonce is used.
		require.NoError(t, p.Add(ptx(1, 0, 80, 1), 0))
		return nil
	})
	require.NoError(t, err)
	require.Equal(t, 1, n)
	require.Zero(t, p.Len(), "the replacement's nonce is used")
	st := p.Stats()
	require.Equal(t, uint64(1), st.Included)
	require.Equal(t, uint64(1), st.Stale)
	validate(t, p)
}

func TestMempoolDrop(t *testing.T) {
	p := newPool(t, nil)
	for n := uint32(0); n < 4; n++ {
		require.NoError(t, p.Add(ptx(1, n, 10), 0))
	}
	require.NoError(t, p.Add(ptx(1, 6, 10), 0))
	require.NoError(t, p.Add(ptx(2, 0, 10), 0))

	require.Zero(t, p.Drop(ptx(1, 2, 11)), "not the pooled transaction")
	require.Zero(t, p.Drop(ptx(9, 0, 10)), "unknown")
	require.Equal(t, 3, p.Drop(ptx(1, 2, 10)), "2, 3 and the future 6")
	require.Equal(t, []string{"1/0", "1/1", "2/0"}, keys(p.Pending()))
	require.Equal(t, 3, p.Len())
	require.Equal(t, uint64(3), p.Stats().Dropped)
	validate(t, p)
}

// TestMempoolFillBatch drives a real vm.Batch: signatures checked, an
// insufficient balance rejected, a withdrawal that does not fit left for
// the next batch.
func TestMempoolFillBatch(t *testing.T) {
	cfg := vm.Config{ChainID: 7, Depth: 8, Operator: 0, Slots: 6}
	store := vm.NewMemStore(cfg.Depth)
	privs := map[uint32]*vm.PrivateKey{}
	batch := func() *vm.Batch {
		h, err := store.Head()
		require.NoError(t, err)
		b, err := vm.NewBatch(cfg, store.ReaderAt(h.BatchNumber), h)
		require.NoError(t, err)
		return b
	}
	commit := func(b *vm.Batch) {
		sb, err := b.Seal()
		require.NoError(t, err)
		require.NoError(t, store.Commit(sb.Changes))
	}

	b := batch()
	for i, bal := range []uint64{1_000, 100_000, 100_000, 500} {
		seed := sha256.Sum256([]byte(fmt.Sprint("mempool test key ", i)))
		k, err := vm.PrivateKeyFromSeed(bytes.NewReader(seed[:]))
		require.NoError(t, err)
		privs[uint32(i)] = k
		dep := vm.Tx{Type: vm.TxDeposit, ChainID: cfg.ChainID, PriorityID: b.PriorityCount(), To: uint32(i), PubKey: k.Public(), Amount: bal}
		require.NoError(t, b.Apply(&dep))
	}
	commit(b)

	signed := func(tx vm.Tx) *vm.Tx {
		tx.ChainID = cfg.ChainID
		require.NoError(t, tx.Sign(privs[tx.From]))
		require.NoError(t, tx.PreVerify(privs[tx.From].Public()))
		return &tx
	}
	transfer := func(from, to uint32, amount, fee uint64, nonce uint32) *vm.Tx {
		return signed(vm.Tx{Type: vm.TxTransfer, From: from, To: to, Amount: amount, Fee: fee, Nonce: nonce})
	}
	withdraw := signed(vm.Tx{Type: vm.TxWithdraw, From: 2, L1To: common.Address{1}, Amount: 100, Fee: 5, Nonce: 1})

	p := newPool(t, nil)
	for _, tx := range []*vm.Tx{
		transfer(1, 2, 100, 10, 0),
		transfer(1, 2, 100, 30, 1),
		transfer(2, 1, 100, 20, 0),
		withdraw,
		transfer(3, 1, 1_000, 50, 0), // 1,050 from 500: rejected
		transfer(3, 1, 100, 50, 1),   // cannot run without it
	} {
		require.NoError(t, p.Add(tx, 0))
	}

	b = batch()
	n, err := p.Fill(b.Apply)
	require.NoError(t, err)
	require.Equal(t, 3, n)
	require.Equal(t, 3, b.StepsUsed(), "three transfers; the 3-step withdrawal would need 7 slots with the payout")
	require.Equal(t, []*vm.Tx{withdraw}, p.Pending())
	st := p.Stats()
	require.Equal(t, uint64(2), st.Dropped)
	require.Equal(t, uint64(3), st.Included)
	commit(b)

	h, err := store.Head()
	require.NoError(t, err)
	for acct := range uint32(4) {
		a, _, err := store.ReaderAt(h.BatchNumber).Leaf(uint64(acct))
		require.NoError(t, err)
		p.SetNonce(acct, a.Nonce)
	}
	b = batch()
	n, err = p.Fill(b.Apply)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	require.Zero(t, p.Len())
	commit(b)
}

func TestMempoolConcurrent(t *testing.T) {
	p := newPool(t, func(c *MempoolConfig) { c.MaxTxs, c.MaxPerAccount = 1000, 20 })
	const writers, perWriter = 4, 100
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := range perWriter {
				from := uint32(w*10 + i%10)
				if err := p.Add(ptx(from, uint32(i/10), uint64(1+i%7)), 0); err != nil {
					t.Errorf("add: %v", err)
				}
				p.Stats()
				p.Pending()
			}
		})
	}
	var included sync.Map
	wg.Go(func() {
		for range 20 {
			_, err := p.Fill(func(tx *vm.Tx) error {
				if _, dup := included.LoadOrStore(key(tx), true); dup {
					t.Errorf("%s included twice", key(tx))
				}
				return nil
			})
			if err != nil {
				t.Errorf("fill: %v", err)
			}
		}
	})
	wg.Wait()
	n := 0
	included.Range(func(any, any) bool { n++; return true })
	// Every transaction added is either still pooled or was included once.
	require.Equal(t, uint64(n), p.Stats().Included)
	require.Equal(t, writers*perWriter, p.Len()+n)
	require.Equal(t, uint64(writers*perWriter), p.Stats().Added)
	validate(t, p)
}

// TestMempoolProperty runs random operations against small limits and
// checks the pool's invariants after each, and that Fill never offers a
// transaction out of nonce order or behind a better head.
func TestMempoolProperty(t *testing.T) {
	const accounts = 8
	cfg := MempoolConfig{MaxTxs: 24, MaxPerAccount: 6, NonceWindow: 8, PriceBump: 10, MinFee: 1}
	for seed := range uint64(8) {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 1))
			p, err := NewMempool(cfg)
			require.NoError(t, err)
			var state [accounts]uint32 // the chain's nonces; only Fill moves them
			for range 1500 {
				switch op := rng.IntN(10); {
				case op < 6:
					from := uint32(rng.IntN(accounts))
					nonce := state[from] + uint32(rng.IntN(int(cfg.NonceWindow)+2))
					tx := ptx(from, nonce, uint64(rng.IntN(12)), rng.Uint64N(3))
					var err error
					if rng.IntN(2) == 0 {
						// Sponsored by one of three sponsors, which can pay
						// a random amount.
						tx.Sponsored, tx.Sponsor = true, uint32(100+rng.IntN(3))
						balance := uint64(rng.IntN(40))
						err = p.AddSponsored(tx, state[from], balance)
						if err == nil {
							require.LessOrEqual(t, p.SponsorHeld(tx.Sponsor), balance, "the pool holds no more than the sponsor has")
						}
					} else {
						err = p.Add(tx, state[from])
					}
					if err != nil {
						require.True(t, errors.Is(err, ErrAlreadyKnown) || errors.Is(err, ErrFeeTooLow) ||
							errors.Is(err, ErrNonceTooHigh) || errors.Is(err, ErrReplaceUnderpriced) ||
							errors.Is(err, ErrAccountFull) || errors.Is(err, ErrPoolFull) || errors.Is(err, vm.ErrSponsorFunds), "%v", err)
					}
				case op < 8:
					checkOrder(t, p)
					_, err := p.Fill(func(tx *vm.Tx) error {
						require.Equal(t, state[tx.From], tx.Nonce, "offered %s out of order", key(tx))
						switch rng.IntN(6) {
						case 0:
							return vm.ErrBatchFull
						case 1:
							return vm.ErrInsufficientBalance
						}
						state[tx.From]++
						return nil
					})
					require.NoError(t, err)
				case op < 9:
					from := uint32(rng.IntN(accounts))
					p.SetNonce(from, state[from]-min(state[from], uint32(rng.IntN(3)))) // stale or current
				default:
					if pending := p.Pending(); len(pending) > 0 {
						before := p.Len()
						n := p.Drop(pending[rng.IntN(len(pending))])
						require.Positive(t, n)
						require.Equal(t, before-n, p.Len())
					}
				}
				validate(t, p)
			}
			st := p.Stats()
			require.Positive(t, st.Included)
			require.Positive(t, st.Evicted+st.Replaced, "the limits were exercised")
		})
	}
}

// checkOrder checks Pending's order: each account's nonces ascend without
// a gap from its state nonce, and each transaction has the best fee (then
// earliest arrival) among the accounts' remaining heads.
func checkOrder(t *testing.T, p *Mempool) {
	t.Helper()
	pending := p.Pending()
	p.mu.Lock()
	defer p.mu.Unlock()
	heads := map[uint32]int{} // account -> index of its next tx in q.txs
	for from, q := range p.accounts {
		if q.exec > 0 {
			heads[from] = 0
		}
	}
	for _, tx := range pending {
		q := p.accounts[tx.From]
		i, ok := heads[tx.From]
		require.True(t, ok, "%s offered from an account without executable transactions", key(tx))
		require.Same(t, q.txs[i].tx, tx, "%s out of nonce order", key(tx))
		require.Equal(t, q.base+uint32(i), tx.Nonce)
		got := q.txs[i]
		for other, j := range heads {
			h := p.accounts[other].txs[j]
			require.False(t, h.tx.Fee > got.tx.Fee || (h.tx.Fee == got.tx.Fee && h.seq < got.seq),
				"%s (fee %d) offered before head %s (fee %d)", key(tx), tx.Fee, key(h.tx), h.tx.Fee)
		}
		if i+1 < q.exec {
			heads[tx.From] = i + 1
		} else {
			delete(heads, tx.From)
		}
	}
	require.Empty(t, heads, "Pending left executable transactions out")
}

// validate checks the pool's bookkeeping.
func validate(t testing.TB, p *Mempool) {
	t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	count, exec := 0, 0
	for from, q := range p.accounts {
		require.Equal(t, from, q.index)
		require.NotEmpty(t, q.txs, "empty queues are forgotten")
		require.LessOrEqual(t, len(q.txs), p.cfg.MaxPerAccount)
		require.GreaterOrEqual(t, q.pos, 0)
		require.Same(t, q, p.tails[q.pos], "heap position")
		run := 0
		for i, ptx := range q.txs {
			switch {
			case ptx.tx.From != from:
				t.Fatalf("%s queued under account %d", key(ptx.tx), from)
			case ptx.tx.Nonce < q.base:
				t.Fatalf("%s kept below state nonce %d", key(ptx.tx), q.base)
			case uint64(ptx.tx.Nonce) >= uint64(q.base)+uint64(p.cfg.NonceWindow):
				t.Fatalf("%s beyond the nonce window from %d", key(ptx.tx), q.base)
			case i > 0 && ptx.tx.Nonce <= q.txs[i-1].tx.Nonce:
				t.Fatalf("account %d: nonces not sorted and unique at %d", from, i)
			case p.all[ptx.hash] != ptx:
				t.Fatalf("%s missing from the hash index", key(ptx.tx))
			}
			if ptx.tx.Nonce == q.base+uint32(i) && run == i {
				run++
			}
		}
		require.Equal(t, run, q.exec, "executable run without gaps")
		count += len(q.txs)
		exec += q.exec
	}
	held := map[uint32]uint64{}
	for _, ptx := range p.all {
		if ptx.tx.Sponsored && ptx.tx.Fee > 0 {
			held[ptx.tx.Sponsor] += ptx.tx.Fee
		}
	}
	require.Equal(t, held, p.held, "each sponsor's held fees are its pooled transactions'")
	require.Equal(t, count, p.count, "Len is the sum of the queues")
	require.Equal(t, count, len(p.all))
	require.Equal(t, exec, p.exec)
	require.LessOrEqual(t, count, p.cfg.MaxTxs)
	require.Len(t, p.tails, len(p.accounts))
	for i := 1; i < len(p.tails); i++ {
		require.False(t, p.tails.Less(i, (i-1)/2), "tail heap order at %d", i)
	}
}
