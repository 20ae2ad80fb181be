package sequencer

import (
	"container/heap"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"sort"
	"sync"

	"github.com/ethereum/go-ethereum/common"

	"github.com/keel-rollup/keel/vm"
)

// MempoolConfig bounds the mempool and sets its admission rules.
type MempoolConfig struct {
	// MaxTxs bounds the transactions the pool holds in all. When it is
	// reached, a newcomer must outbid the cheapest evictable transaction.
	MaxTxs int
	// MaxPerAccount bounds the transactions one account may have pooled,
	// executable and future together, so that one sender cannot fill the
	// pool.
	MaxPerAccount int
	// NonceWindow is how far ahead of its account's state nonce a
	// transaction may be: nonce < stateNonce+NonceWindow.
	NonceWindow uint32
	// PriceBump is the percentage by which a replacement (same sender and
	// nonce) must raise the fee of the transaction it replaces. It is also
	// always at least 1 gwei higher.
	PriceBump uint64
	// MinFee is the lowest fee, in gwei, the pool admits.
	MinFee uint64
}

// DefaultMempoolConfig returns the defaults: 4096 transactions, 64 per
// account, nonces up to 64 ahead, a 10% replacement bump and a 1 gwei
// minimum fee.
func DefaultMempoolConfig() MempoolConfig {
	return MempoolConfig{MaxTxs: 4096, MaxPerAccount: 64, NonceWindow: 64, PriceBump: 10, MinFee: 1}
}

// Validate checks the config.
func (c MempoolConfig) Validate() error {
	switch {
	case c.MaxTxs < 1:
		return fmt.Errorf("sequencer: mempool max txs %d; it must hold at least 1", c.MaxTxs)
	case c.MaxPerAccount < 1:
		return fmt.Errorf("sequencer: mempool max per account %d; it must be at least 1", c.MaxPerAccount)
	case c.MaxPerAccount > c.MaxTxs:
		return fmt.Errorf("sequencer: mempool max per account %d exceeds max txs %d; lower it", c.MaxPerAccount, c.MaxTxs)
	case c.NonceWindow < 1:
		return errors.New("sequencer: mempool nonce window 0 admits nothing; set it to at least 1")
	case c.PriceBump > math.MaxUint64-100:
		return fmt.Errorf("sequencer: mempool price bump %d%% is too large", c.PriceBump)
	}
	return nil
}

// MempoolStats is a snapshot of the pool's gauges and counters. The
// counters are cumulative since NewMempool; they cost nothing to keep and
// are what a metrics layer reads.
type MempoolStats struct {
	// Executable and Future partition the pooled transactions: executable
	// ones continue their account's nonce run from the state nonce.
	Executable, Future int

	// Added counts accepted Adds, replacements among them.
	Added uint64
	// Replaced counts transactions displaced by a same-nonce replacement.
	Replaced uint64
	// Evicted counts transactions pushed out to make room.
	Evicted uint64
	// Included counts transactions Fill's apply accepted.
	Included uint64
	// Dropped counts transactions removed as rejected (Drop, or a
	// rejection in Fill), with the later nonces each one took along.
	Dropped uint64
	// Stale counts transactions removed because their account's state
	// nonce moved past them (SetNonce, Add, or an inclusion).
	Stale uint64
}

// Mempool holds signed transactions (transfers, withdrawals and channel
// opens: the types vm.TxType.IsSigned names) waiting for a batch; deposits
// come from the L1 priority queue and never enter it, nor do the other
// channel operations, which have no nonce (Sequencer queues them). Each account has a queue ordered by nonce: the transactions that
// continue its state nonce without a gap are executable, the rest are
// future and wait for the gap to fill. A driver uses it like this:
//
//	// RPC: admit a transaction.
//	if err := tx.CheckStatic(chainID, depth); err != nil { ... }
//	if err := tx.PreVerify(senderKey); err != nil { ... }
//	err := pool.Add(tx, softConfirmedNonce(tx.From))
//
//	// Sequencer: fill the open batch, best fee first, nonces in order.
//	n, err := pool.Fill(batch.Apply)
//
//	// After a commit, for the accounts it touched (cheap, and it heals
//	// any nonce that moved outside Fill).
//	pool.SetNonce(account, nonce)
//
// The pool keeps the *vm.Tx it is given and hands the same pointer back,
// so a transaction PreVerified before Add skips the executor's signature
// check. Nobody may modify a transaction once it is added.
//
// Mempool is safe for concurrent use. It does no I/O, reads no clock and
// starts no goroutines; arrival order is a counter.
type Mempool struct {
	cfg MempoolConfig

	mu       sync.Mutex
	accounts map[uint32]*queue
	all      map[common.Hash]*pooledTx
	tails    tailHeap // every queue, cheapest tail first: the eviction order
	count    int
	exec     int
	seq      uint64 // arrival counter: the tie-break between equal fees
	stats    MempoolStats
	// held is, for each sponsor, the fees of the pooled transactions it
	// pays for (AddSponsored).
	held map[uint32]uint64
}

// pooledTx is a transaction with what the pool knows about it. It never
// changes once made, so snapshots may read it without the lock.
type pooledTx struct {
	tx   *vm.Tx
	hash common.Hash
	seq  uint64
}

// queue is one account's pooled transactions, sorted by nonce.
type queue struct {
	index uint32
	base  uint32 // the state nonce: the next nonce the account can execute
	txs   []*pooledTx
	exec  int // txs[:exec] are nonces base, base+1, ...: the executable run
	pos   int // index in Mempool.tails, -1 when not registered
}

func (q *queue) tail() *pooledTx { return q.txs[len(q.txs)-1] }

// find returns where nonce is or would go in q.txs.
func (q *queue) find(nonce uint32) (int, bool) {
	i := sort.Search(len(q.txs), func(i int) bool { return q.txs[i].tx.Nonce >= nonce })
	return i, i < len(q.txs) && q.txs[i].tx.Nonce == nonce
}

// NewMempool returns an empty pool.
func NewMempool(cfg MempoolConfig) (*Mempool, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &Mempool{
		cfg:      cfg,
		accounts: make(map[uint32]*queue),
		all:      make(map[common.Hash]*pooledTx),
		held:     make(map[uint32]uint64),
	}, nil
}

// Add admits tx. stateNonce is the sender's nonce in the soft-confirmed
// state as the caller last read it; the pool keeps the highest nonce it has
// been told for an account, so a stale read cannot resurrect a used nonce.
//
// Add checks only what the pool needs (type, fee, nonce, limits); the
// caller runs tx.CheckStatic and, ideally, tx.PreVerify before. Errors are
// verdicts on tx for its sender: ErrTxType, ErrAlreadyKnown, ErrFeeTooLow,
// ErrNonceTooLow, ErrNonceTooHigh, ErrReplaceUnderpriced, ErrAccountFull
// and ErrPoolFull, wrapped with detail.
func (p *Mempool) Add(tx *vm.Tx, stateNonce uint32) error {
	return p.add(tx, stateNonce, nil)
}

// AddSponsored is Add for a sponsored transaction whose sponsor's balance
// in the soft-confirmed state is sponsorBalance: it also refuses the
// transaction, with vm.ErrSponsorFunds, when the sponsor cannot pay its
// fee on top of the fees of the pooled transactions it already pays for.
// The check and the admission are one step, so concurrent admissions
// cannot together promise more than the sponsor holds.
func (p *Mempool) AddSponsored(tx *vm.Tx, stateNonce uint32, sponsorBalance uint64) error {
	return p.add(tx, stateNonce, &sponsorBalance)
}

// SponsorHeld returns the fees of the pooled transactions account pays
// for as their sponsor.
func (p *Mempool) SponsorHeld(account uint32) uint64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.held[account]
}

func (p *Mempool) add(tx *vm.Tx, stateNonce uint32, sponsorBalance *uint64) error {
	if !tx.Type.IsSigned() {
		return fmt.Errorf("%w: %s", ErrTxType, tx.Type)
	}
	hash := tx.Hash()

	p.mu.Lock()
	defer p.mu.Unlock()
	if _, ok := p.all[hash]; ok {
		return fmt.Errorf("%w: %s", ErrAlreadyKnown, hash)
	}
	if tx.Fee < p.cfg.MinFee {
		return fmt.Errorf("%w: fee %d gwei, minimum %d", ErrFeeTooLow, tx.Fee, p.cfg.MinFee)
	}
	if q := p.accounts[tx.From]; q != nil {
		p.advance(q, stateNonce)
	}
	q := p.accounts[tx.From] // advance may have emptied and dropped it
	if q == nil {
		q = &queue{index: tx.From, base: stateNonce, pos: -1}
	}
	if tx.Nonce < q.base {
		return fmt.Errorf("%w: nonce %d, account %d is at %d", ErrNonceTooLow, tx.Nonce, tx.From, q.base)
	}
	if uint64(tx.Nonce) >= uint64(q.base)+uint64(p.cfg.NonceWindow) {
		return fmt.Errorf("%w: nonce %d, account %d is at %d and the pool takes %d ahead",
			ErrNonceTooHigh, tx.Nonce, tx.From, q.base, p.cfg.NonceWindow)
	}
	p.seq++
	ptx := &pooledTx{tx: tx, hash: hash, seq: p.seq}

	i, found := q.find(tx.Nonce)
	if sponsorBalance != nil && tx.Sponsored {
		held := p.held[tx.Sponsor]
		if found && q.txs[i].tx.Sponsored && q.txs[i].tx.Sponsor == tx.Sponsor {
			held -= q.txs[i].tx.Fee // the transaction this one would replace
		}
		if *sponsorBalance < held || *sponsorBalance-held < tx.Fee {
			return fmt.Errorf("%w: sponsor %d cannot pay the fee: it has %d, of which %d pays for the transactions it sponsors that wait in the pool, the fee is %d",
				vm.ErrSponsorFunds, tx.Sponsor, *sponsorBalance, held, tx.Fee)
		}
	}
	if found {
		old := q.txs[i]
		need, ok := p.replaceFee(old.tx.Fee)
		if !ok {
			return fmt.Errorf("%w: no fee can replace %d gwei", ErrReplaceUnderpriced, old.tx.Fee)
		}
		if tx.Fee < need {
			return fmt.Errorf("%w: fee %d gwei replaces %d; pay at least %d",
				ErrReplaceUnderpriced, tx.Fee, old.tx.Fee, need)
		}
		delete(p.all, old.hash)
		p.release(old.tx)
		q.txs[i] = ptx
		p.all[hash] = ptx
		p.hold(tx)
		p.stats.Added++
		p.stats.Replaced++
		p.settle(q)
		return nil
	}

	if len(q.txs) >= p.cfg.MaxPerAccount {
		// A lower nonce is worth more to the account than its highest one,
		// which cannot run before it anyway; this also keeps an account
		// whose quota is full of future nonces from being stuck.
		if last := q.tail(); tx.Nonce > last.tx.Nonce {
			return fmt.Errorf("%w: account %d has %d pooled", ErrAccountFull, tx.From, len(q.txs))
		}
		p.evictTail(q)
	}
	if p.count >= p.cfg.MaxTxs {
		v := p.tails[0]
		last := v.tail()
		if tx.Fee <= last.tx.Fee {
			return fmt.Errorf("%w: fee %d gwei must exceed the cheapest evictable %d", ErrPoolFull, tx.Fee, last.tx.Fee)
		}
		if v == q && tx.Nonce > last.tx.Nonce {
			// Evicting the sender's own tail would strand tx behind a gap.
			return fmt.Errorf("%w: account %d's own highest nonce is the cheapest", ErrPoolFull, tx.From)
		}
		p.evictTail(v)
		i, _ = q.find(tx.Nonce)
	}
	q.txs = slices.Insert(q.txs, i, ptx)
	p.all[hash] = ptx
	p.hold(tx)
	p.count++
	p.stats.Added++
	p.settle(q)
	return nil
}

// replaceFee is the lowest fee that may replace a transaction paying fee:
// fee plus PriceBump percent (rounded down, as geth does), and at least
// fee+1. It reports false when that exceeds 64 bits.
func (p *Mempool) replaceFee(fee uint64) (uint64, bool) {
	if fee == math.MaxUint64 {
		return 0, false
	}
	hi, lo := bits.Mul64(fee, 100+p.cfg.PriceBump)
	if hi >= 100 { // the quotient would not fit
		return 0, false
	}
	need, _ := bits.Div64(hi, lo, 100)
	return max(need, fee+1), true
}

// Fill offers the pool's executable transactions to apply, best first: the
// highest fee among the accounts' next nonces (earlier arrival breaks
// ties), each account's transactions in nonce order. apply is meant to be
// a vm.Batch's Apply (or a wrapper around it), and what it returns decides
// what happens to the transaction:
//
//   - nil: it is in the batch. The pool removes it, advances the account's
//     nonce, and offers the account's next nonce.
//   - an error wrapping vm.ErrBatchFull: it stays pooled, and the account
//     is passed over for the rest of this Fill; smaller transactions of
//     other accounts may still fit.
//   - any other rejection (vm.IsRejection): the pool drops it and the
//     account's later nonces, which can no longer execute.
//   - anything else: Fill stops and returns it. Return an error of your
//     own to stop early, for instance when the batch cannot take even a
//     one-step transaction.
//
// Fill returns how many transactions apply accepted. It works on a
// snapshot and does not hold the pool's lock while apply runs, so Adds
// proceed meanwhile and apply may call the pool; it offers a transaction
// only if it is still pooled when its turn comes. Run one Fill at a time.
func (p *Mempool) Fill(apply func(*vm.Tx) error) (int, error) {
	h := p.snapshot()
	included := 0
	for len(h) > 0 {
		r := h[0]
		ptx := r.txs[0]
		p.mu.Lock()
		current := p.all[ptx.hash] == ptx
		p.mu.Unlock()
		if !current {
			// Replaced, evicted or dropped since the snapshot; what follows
			// it in the snapshot may no longer be next. Later Fills see the
			// account as it is now.
			heap.Pop(&h)
			continue
		}
		err := apply(ptx.tx)
		switch {
		case err == nil:
			p.mu.Lock()
			p.included(ptx)
			p.mu.Unlock()
			included++
			if r.txs = r.txs[1:]; len(r.txs) == 0 {
				heap.Pop(&h)
			} else {
				heap.Fix(&h, 0)
			}
		case errors.Is(err, vm.ErrBatchFull):
			heap.Pop(&h)
		case vm.IsRejection(err):
			p.mu.Lock()
			if p.all[ptx.hash] == ptx { // not replaced or removed meanwhile
				p.drop(ptx)
			}
			p.mu.Unlock()
			heap.Pop(&h)
		default:
			return included, err
		}
	}
	return included, nil
}

// Pending returns the executable transactions in the order Fill would
// offer them if apply accepted every one.
func (p *Mempool) Pending() []*vm.Tx {
	h := p.snapshot()
	var out []*vm.Tx
	for len(h) > 0 {
		r := h[0]
		out = append(out, r.txs[0].tx)
		if r.txs = r.txs[1:]; len(r.txs) == 0 {
			heap.Pop(&h)
		} else {
			heap.Fix(&h, 0)
		}
	}
	return out
}

// snapshot copies every account's executable run into a heap of runs.
func (p *Mempool) snapshot() headHeap {
	p.mu.Lock()
	defer p.mu.Unlock()
	h := make(headHeap, 0, len(p.accounts))
	for _, q := range p.accounts {
		if q.exec > 0 {
			h = append(h, &run{txs: slices.Clone(q.txs[:q.exec])})
		}
	}
	heap.Init(&h)
	return h
}

// Drop removes tx and its account's later nonces, which cannot execute
// without it, and returns how many it removed: 0 when tx is not pooled
// (it was never added, or was replaced or removed since). Use it for a
// rejection found outside Fill, such as a bad signature.
func (p *Mempool) Drop(tx *vm.Tx) int {
	hash := tx.Hash()
	p.mu.Lock()
	defer p.mu.Unlock()
	ptx, ok := p.all[hash]
	if !ok {
		return 0
	}
	return p.drop(ptx)
}

// SetNonce tells the pool that account's state nonce is now nonce, after a
// batch is committed or whenever the caller learns it: transactions below
// it (included or stale) go, and future ones it reaches become executable.
// The pool keeps the highest nonce it has been told, so an older nonce,
// such as a committed batch's while the next batch has moved on, changes
// nothing.
func (p *Mempool) SetNonce(account, nonce uint32) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if q := p.accounts[account]; q != nil {
		p.advance(q, nonce)
	}
}

// Len returns the number of pooled transactions.
func (p *Mempool) Len() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.count
}

// Get returns the pooled transaction with the given hash.
func (p *Mempool) Get(hash common.Hash) (*vm.Tx, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if ptx, ok := p.all[hash]; ok {
		return ptx.tx, true
	}
	return nil, false
}

// Stats returns the pool's gauges and counters.
func (p *Mempool) Stats() MempoolStats {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := p.stats
	s.Executable, s.Future = p.exec, p.count-p.exec
	return s
}

// included records that ptx is in the batch: the account's state nonce is
// now one past it. Called with the lock held.
func (p *Mempool) included(ptx *pooledTx) {
	p.stats.Included++
	q := p.accounts[ptx.tx.From]
	if q == nil {
		return
	}
	if i, ok := q.find(ptx.tx.Nonce); ok && q.txs[i] == ptx {
		p.removeAt(q, i, i+1)
	}
	if q.pos >= 0 { // removeAt may have emptied and unregistered it
		p.advance(q, ptx.tx.Nonce+1)
	}
}

// drop removes ptx and its account's later nonces. Called with the lock
// held; ptx must be pooled.
func (p *Mempool) drop(ptx *pooledTx) int {
	q := p.accounts[ptx.tx.From]
	i, _ := q.find(ptx.tx.Nonce)
	n := len(q.txs) - i
	p.stats.Dropped += uint64(n)
	p.removeAt(q, i, len(q.txs))
	return n
}

// advance raises q's state nonce to nonce, removing what falls below it.
func (p *Mempool) advance(q *queue, nonce uint32) {
	if nonce <= q.base {
		return
	}
	q.base = nonce
	i, _ := q.find(nonce)
	p.stats.Stale += uint64(i)
	p.removeAt(q, 0, i) // settles q even when i is 0: the run may now start
}

// evictTail removes q's highest nonce to make room.
func (p *Mempool) evictTail(q *queue) {
	p.stats.Evicted++
	p.removeAt(q, len(q.txs)-1, len(q.txs))
}

// removeAt removes q.txs[i:j] and settles q.
func (p *Mempool) removeAt(q *queue, i, j int) {
	for _, ptx := range q.txs[i:j] {
		delete(p.all, ptx.hash)
		p.release(ptx.tx)
	}
	q.txs = slices.Delete(q.txs, i, j)
	p.count -= j - i
	p.settle(q)
}

// settle recomputes q's executable run and its place among the tails after
// any change, registering a queue that gained its first transaction and
// forgetting one that lost its last. A forgotten account's nonce is
// relearned from the next Add.
func (p *Mempool) settle(q *queue) {
	exec := 0
	for exec < len(q.txs) && q.txs[exec].tx.Nonce == q.base+uint32(exec) {
		exec++
	}
	p.exec += exec - q.exec
	q.exec = exec
	switch {
	case len(q.txs) == 0 && q.pos >= 0:
		heap.Remove(&p.tails, q.pos)
		delete(p.accounts, q.index)
	case len(q.txs) > 0 && q.pos < 0:
		p.accounts[q.index] = q
		heap.Push(&p.tails, q)
	case len(q.txs) > 0:
		heap.Fix(&p.tails, q.pos)
	}
}

// tailHeap orders accounts by their highest-nonce transaction, cheapest
// first and, among equal fees, latest arrival first: the next to evict.
// Only a tail may be evicted, so eviction never opens a nonce gap.
type tailHeap []*queue

func (h tailHeap) Len() int { return len(h) }
func (h tailHeap) Less(i, j int) bool {
	a, b := h[i].tail(), h[j].tail()
	if a.tx.Fee != b.tx.Fee {
		return a.tx.Fee < b.tx.Fee
	}
	return a.seq > b.seq
}
func (h tailHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].pos, h[j].pos = i, j
}
func (h *tailHeap) Push(x any) {
	q := x.(*queue)
	q.pos = len(*h)
	*h = append(*h, q)
}
func (h *tailHeap) Pop() any {
	old := *h
	q := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	q.pos = -1
	return q
}

// run is what remains of one account's executable transactions in a Fill.
type run struct{ txs []*pooledTx }

// headHeap orders runs by their next transaction: highest fee first, then
// earliest arrival, as geth's TransactionsByPriceAndNonce.
type headHeap []*run

func (h headHeap) Len() int { return len(h) }
func (h headHeap) Less(i, j int) bool {
	a, b := h[i].txs[0], h[j].txs[0]
	if a.tx.Fee != b.tx.Fee {
		return a.tx.Fee > b.tx.Fee
	}
	return a.seq < b.seq
}
func (h headHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *headHeap) Push(x any)   { *h = append(*h, x.(*run)) }
func (h *headHeap) Pop() any {
	old := *h
	r := old[len(old)-1]
	*h = old[:len(old)-1]
	return r
}

// hold counts a pooled sponsored transaction's fee against its sponsor,
// and release uncounts it when the transaction leaves the pool, for
// whatever reason. Called with the lock held.
func (p *Mempool) hold(tx *vm.Tx) {
	if tx.Sponsored && tx.Fee > 0 {
		p.held[tx.Sponsor] += tx.Fee
	}
}

func (p *Mempool) release(tx *vm.Tx) {
	if !tx.Sponsored {
		return
	}
	if h := p.held[tx.Sponsor]; h > tx.Fee {
		p.held[tx.Sponsor] = h - tx.Fee
	} else {
		delete(p.held, tx.Sponsor)
	}
}
