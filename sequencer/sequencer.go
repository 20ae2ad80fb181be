package sequencer

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cockroachdb/pebble/v2"
	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/ethereum/go-ethereum/common"
	"github.com/keel-rollup/keel/vm"
	"github.com/rs/zerolog"
)

// Config configures a Sequencer.
type Config struct {
	// VM fixes the chain's rules: chain id, tree depth, operator, slots.
	VM vm.Config
	// OperatorKey is the operator's L2 public key. The first deposit for it
	// creates the operator account at VM.Operator, which collects the fees;
	// transactions with a fee are rejected until that account exists.
	OperatorKey vm.PublicKey
	// DataDir holds the state store ("state") and the journal ("journal").
	DataDir string
	// FS is the filesystem both pebble databases use; nil is the OS's.
	// Crash tests pass vfs.NewCrashableMem.
	FS vfs.FS
	// BatchTimeout seals a batch that holds at least one transaction this
	// long after its first, full or not.
	BatchTimeout time.Duration
	// HoldSeal, when set, is asked before a batch is sealed by its
	// timeout (a full batch always seals): while it answers true the open
	// batch keeps filling, up to MaxHold past its timeout. A node whose
	// provers all have work answers true, so that it proves fuller batches
	// instead of queueing small ones behind each other.
	HoldSeal func() bool
	// MaxHold bounds how long HoldSeal can delay a seal (0: 4 × BatchTimeout).
	MaxHold time.Duration
	// Mempool bounds the mempool.
	Mempool MempoolConfig
	// MaxChannelOps bounds the queue of channel operations without a
	// nonce (close, dispute, challenge, finalize) waiting for a batch;
	// 0 means DefaultMaxChannelOps. They pay no fee, so the bound is what
	// keeps a flood of them from growing memory and the journal.
	MaxChannelOps int
	// Clock is the time source; nil is time.Now.
	Clock func() time.Time
	// BatchTime is the source of batch timestamps (unix seconds). The L1
	// contract refuses a timestamp ahead of L1 time, so a node gives the
	// latest L1 block's time here; nil uses Clock.
	BatchTime func() uint64
}

// Validate checks the config and fills in defaults.
func (c *Config) Validate() error {
	if err := c.VM.Validate(); err != nil {
		return fmt.Errorf("sequencer: %w", err)
	}
	if c.VM.Slots < 2 {
		return fmt.Errorf("sequencer: %d slots cannot hold a transaction and its fee payout", c.VM.Slots)
	}
	if c.DataDir == "" {
		return errors.New("sequencer: no data directory")
	}
	if c.BatchTimeout <= 0 {
		c.BatchTimeout = 2 * time.Second
	}
	if c.Mempool == (MempoolConfig{}) {
		c.Mempool = DefaultMempoolConfig()
	}
	if c.MaxHold <= 0 {
		c.MaxHold = 4 * c.BatchTimeout
	}
	if c.MaxChannelOps < 0 {
		return fmt.Errorf("sequencer: max channel ops %d; it must be positive (0 for the default)", c.MaxChannelOps)
	}
	if c.MaxChannelOps == 0 {
		c.MaxChannelOps = DefaultMaxChannelOps
	}
	if c.Clock == nil {
		c.Clock = time.Now
	}
	if c.BatchTime == nil {
		clock := c.Clock
		c.BatchTime = func() uint64 { return uint64(clock().Unix()) }
	}
	return c.Mempool.Validate()
}

// DefaultMaxChannelOps is Config.MaxChannelOps's default.
const DefaultMaxChannelOps = 1024

// Deposit is an L1 deposit as the bridge delivers it: the next entries of the
// Rollup contract's priority queue.
type Deposit struct {
	PriorityID uint64
	PubKey     vm.PublicKey
	Amount     uint64
	// FullExit, when set, makes the request a full exit (vm.TxFullExit)
	// instead of a deposit: PubKey and Amount are then unused.
	FullExit *FullExit
}

// FullExit is a full-exit request's content: the account, the nonce it
// names, the L1 address to pay and the account key's signature, as
// Rollup.requestFullExit queued them.
type FullExit struct {
	Account uint32
	Nonce   uint32
	To      common.Address
	Sig     vm.Signature
}

// tx returns the request as the VM transaction.
func (d *Deposit) tx(chainID uint64) *vm.Tx {
	if f := d.FullExit; f != nil {
		return &vm.Tx{Type: vm.TxFullExit, ChainID: chainID, PriorityID: d.PriorityID, From: f.Account, Nonce: f.Nonce, L1To: f.To, Sig: f.Sig}
	}
	return &vm.Tx{Type: vm.TxDeposit, ChainID: chainID, PriorityID: d.PriorityID, PubKey: d.PubKey, Amount: d.Amount}
}

// pendingTx is an acknowledged transaction not yet in a sealed batch.
type pendingTx struct {
	tx  *vm.Tx
	seq uint64 // its tx log entry
	// pos is its position in the open batch, or -1 while it waits.
	pos int
	// admitting is set while SendTransaction is still between the pool
	// and the journal: not yet acknowledged, and perhaps not yet pooled.
	admitting bool
}

// Sequencer orders transactions into batches. It accepts signed
// transactions (SendTransaction) and L1 deposits (AddDeposits), writes each
// to the journal before acknowledging it, executes them in the open batch
// (the soft confirmation, within milliseconds), and seals the batch when it
// is full or BatchTimeout after its first transaction. Sealing commits the
// batch's state and its record atomically enough that a crash at any point
// loses nothing acknowledged (see New for the recovery). What happens to a
// sealed batch afterwards, proving and L1 submission, is driven from
// outside through SetProven, SetSubmitted and SetFinalized: the sequencer
// records it and tells subscribers.
//
// Its methods are safe for concurrent use.
type Sequencer struct {
	cfg     Config
	log     zerolog.Logger
	metrics Metrics
	state   *PebbleStore
	journal *TxLog
	pool    *Mempool

	// mu guards the open batch and everything sealing changes. Fill's
	// apply takes it per transaction. The submission path never takes it:
	// it reads soft and the committed state instead, so that sealing (a few
	// milliseconds of hashing and two fsyncs) never stalls admissions.
	// Lock order: mu, then pmu, then kmu, then the mempool's lock.
	mu       sync.Mutex
	open     *vm.Batch
	openNum  atomic.Uint64 // open.Number(), readable without mu
	openedAt time.Time     // first transaction in the open batch
	openFull bool          // a transaction did not fit: seal now
	// pmu guards pending: acknowledged transactions and deposits that no
	// sealed batch holds yet.
	pmu     sync.Mutex
	pending map[common.Hash]*pendingTx
	// chanOps are the acknowledged channel operations without a nonce,
	// first come first applied; chanCount counts them and those still
	// being journaled, against MaxChannelOps. pmu guards both: admission
	// appends without taking mu; only the loop, holding mu, removes from
	// the front.
	chanOps   []*pendingTx
	chanCount int
	// kmu guards soft: the key and next nonce of every sender the open
	// batch has touched. An account not in soft reads the same in the
	// committed state, because soft is cleared only after a seal commits.
	kmu        sync.Mutex
	soft       map[uint32]softAccount
	haltedFlag atomic.Bool
	deposits   []*pendingTx // priority order, not yet applied
	nextPrio   uint64       // the priority id after the last queued deposit
	newKeys    map[vm.PublicKey]uint32
	nextIndex  uint32
	head       uint64 // last sealed batch
	proven     uint64
	finalized  uint64
	sealedSB   map[uint64]*vm.SealedBatch // recent sealed batches, for the prover
	lastTrunc  time.Time
	halted     error // a broken invariant stopped sequencing
	batchSubs  broadcaster[BatchEvent]
	txSubs     broadcaster[TxEvent]
	sealedWake chan struct{} // signalled after every seal, for the prover

	// afterRecord, when set (tests), runs between a batch's record write
	// and its state commit: the crash window New must repair.
	afterRecord func(batch uint64)

	wake    chan struct{}
	life    sync.Mutex
	cancel  context.CancelFunc
	done    chan struct{}
	stopped bool
}

// softAccount is a sender as the open batch has left it.
type softAccount struct {
	pub   vm.PublicKey
	nonce uint32
}

// BatchEvent says that batch Number reached Status.
type BatchEvent struct {
	Number uint64
	Status BatchStatus
}

// TxEvent says that a transaction's status changed.
type TxEvent struct {
	Receipt Receipt
}

// TxStatus is where an acknowledged transaction is.
type TxStatus uint8

const (
	TxPending TxStatus = iota + 1
	TxSequenced
	TxProven
	TxFinalized
	TxRejected
)

func (s TxStatus) String() string {
	switch s {
	case TxPending:
		return "pending"
	case TxSequenced:
		return "sequenced"
	case TxProven:
		return "proven"
	case TxFinalized:
		return "finalized"
	case TxRejected:
		return "rejected"
	}
	return fmt.Sprintf("TxStatus(%d)", uint8(s))
}

// Receipt is what the sequencer knows about a transaction.
type Receipt struct {
	Hash     common.Hash
	Type     vm.TxType
	Status   TxStatus
	Batch    uint64 // from TxSequenced on
	Position int
	L1Tx     common.Hash // once the batch is submitted
	Err      string      // why it was rejected
	// Channel is a channel operation's leaf index. For an open it is the
	// leaf the sequencer assigned, known from TxSequenced on (HasChannel
	// tells); the other channel operations name theirs.
	Channel    uint32
	HasChannel bool
}

// channelOf fills r's channel fields from the transaction as it is known
// in the given status: an open's leaf is assigned only when it executes.
func (r *Receipt) channelOf(tx *vm.Tx) {
	if !tx.Type.IsChannel() || tx.Type == vm.TxChanOpen && (r.Status == TxPending || r.Status == TxRejected) {
		return
	}
	r.Channel, r.HasChannel = tx.Channel, true
}

// New opens (or creates) the sequencer's databases in cfg.DataDir and
// recovers: a batch whose record was written but whose state commit was not
// is re-executed and committed, and every journal entry not yet in a sealed
// batch is replayed into the mempool or the deposit queue, so that what was
// acknowledged before a crash is pending again.
func New(cfg Config, log zerolog.Logger, m Metrics) (*Sequencer, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if m == nil {
		m = NoopMetrics{}
	}
	log = log.With().Str("component", "sequencer").Logger()
	state, err := OpenPebbleStore(filepath.Join(cfg.DataDir, "state"), cfg.VM.Depth, &StoreOptions{FS: cfg.FS, Logger: log})
	if err != nil {
		return nil, fmt.Errorf("sequencer: open state: %w", err)
	}
	journal, err := OpenTxLog(filepath.Join(cfg.DataDir, "journal"), &TxLogOptions{FS: cfg.FS, Logger: log})
	if err != nil {
		state.Close()
		return nil, fmt.Errorf("sequencer: open journal: %w", err)
	}
	pool, _ := NewMempool(cfg.Mempool) // validated above
	s := &Sequencer{
		cfg: cfg, log: log, metrics: m, state: state, journal: journal, pool: pool,
		pending: map[common.Hash]*pendingTx{}, soft: map[uint32]softAccount{}, newKeys: map[vm.PublicKey]uint32{},
		sealedSB: map[uint64]*vm.SealedBatch{}, wake: make(chan struct{}, 1), sealedWake: make(chan struct{}, 1),
	}
	if err := s.recover(); err != nil {
		journal.Close()
		state.Close()
		return nil, fmt.Errorf("sequencer: recover: %w", err)
	}
	return s, nil
}

func (s *Sequencer) db() *pebble.DB { return s.journal.db }

func (s *Sequencer) recover() error {
	db := s.db()
	head, _, err := getUint(db, headKey)
	if err != nil {
		return err
	}
	s.head = head
	if s.proven, _, err = getUint(db, provenKey); err != nil {
		return err
	}
	if s.finalized, _, err = getUint(db, finalizedKey); err != nil {
		return err
	}
	next, ok, err := getUint(db, nextIndexKey)
	if err != nil {
		return err
	}
	if ok {
		s.nextIndex = uint32(next)
	} else {
		s.nextIndex = s.skipOperator(0)
	}
	stateHead, err := s.state.Head()
	if err != nil {
		return err
	}
	switch {
	case stateHead.BatchNumber == head:
	case stateHead.BatchNumber+1 == head:
		// Crashed between the batch record and the state commit: the
		// record is the truth, execute it again.
		rec, ok, err := getBatch(db, head)
		if err != nil || !ok {
			return fmt.Errorf("%w: batch %d record missing (%v)", ErrCorrupt, head, err)
		}
		sb, err := s.reexecute(rec, stateHead)
		if err != nil {
			return err
		}
		if err := s.state.Commit(sb.Changes); err != nil {
			return err
		}
		s.sealedSB[head] = sb
		s.log.Warn().Uint64("batch", head).Msg("re-executed a sealed batch whose state commit was interrupted")
	default:
		return fmt.Errorf("%w: journal head is batch %d, state head %d", ErrCorrupt, head, stateHead.BatchNumber)
	}
	meta, err := s.state.Head()
	if err != nil {
		return err
	}
	if s.open, err = vm.NewBatch(s.cfg.VM, s.state.ReaderAt(meta.BatchNumber), meta); err != nil {
		return err
	}
	s.openNum.Store(s.open.Number())
	s.nextPrio = meta.PriorityCount
	replayed, stale := 0, 0
	err = s.journal.Replay(func(seq uint64, tx *vm.Tx) error {
		if tx.Type.IsPriority() {
			if tx.PriorityID != s.nextPrio {
				stale++
				return nil
			}
			s.deposits = append(s.deposits, &pendingTx{tx: tx, seq: seq, pos: -1})
			s.pending[tx.Hash()] = s.deposits[len(s.deposits)-1]
			s.nextPrio++
			replayed++
			return nil
		}
		if !tx.Type.IsSigned() {
			// A channel operation without a nonce: queued again unless a
			// sealed batch holds it or an earlier entry queued it already.
			h := tx.Hash()
			sealed, err := s.sealedTx(h)
			if err != nil {
				return err
			}
			if _, dup := s.pending[h]; dup || sealed {
				stale++
				return nil
			}
			p := &pendingTx{tx: tx, seq: seq, pos: -1}
			s.chanOps = append(s.chanOps, p)
			s.chanCount++
			s.pending[h] = p
			replayed++
			return nil
		}
		// Transfers, withdrawals and channel opens go back to the pool. An
		// open's leaf is assigned again when it executes, from nextIndex
		// as the last sealed batch left it: the leaves the lost open batch
		// handed out were never recorded anywhere.
		a, err := s.open.Account(tx.From)
		if err != nil {
			return err
		}
		if err := s.pool.Add(tx, a.Nonce); err != nil {
			stale++ // included in a sealed batch, or replaced
			return nil
		}
		s.pending[tx.Hash()] = &pendingTx{tx: tx, seq: seq, pos: -1}
		replayed++
		return nil
	})
	if err != nil {
		return err
	}
	s.log.Info().Uint64("batch", head).Uint64("proven", s.proven).Uint64("finalized", s.finalized).
		Int("replayed", replayed).Int("stale", stale).Str("root", hexElement(meta.Root)).Msg("sequencer state loaded")
	return nil
}

// reexecute runs a batch record's transactions on the state before it and
// checks that it arrives at the recorded root.
func (s *Sequencer) reexecute(rec *BatchRecord, before vm.Meta) (*vm.SealedBatch, error) {
	if before.BatchNumber+1 != rec.Number {
		return nil, fmt.Errorf("%w: re-executing batch %d on state %d", ErrCorrupt, rec.Number, before.BatchNumber)
	}
	sb, rejected, err := vm.ExecuteAt(s.cfg.VM, s.state.ReaderAt(before.BatchNumber), before, rec.After.Timestamp, rec.Txs)
	if err != nil {
		return nil, err
	}
	for i, r := range rejected {
		if r != nil {
			return nil, fmt.Errorf("%w: batch %d tx %d no longer executes: %v", ErrCorrupt, rec.Number, i, r)
		}
	}
	if sb.After != rec.After {
		return nil, fmt.Errorf("%w: batch %d re-executes to root %s, recorded %s", ErrCorrupt, rec.Number, hexElement(sb.After.Root), hexElement(rec.After.Root))
	}
	return sb, nil
}

func (s *Sequencer) skipOperator(i uint32) uint32 {
	if i == s.cfg.VM.Operator && !s.cfg.OperatorKey.IsZero() {
		return i + 1
	}
	return i
}

var _ interface {
	Start(context.Context) error
	Stop(context.Context) error
} = (*Sequencer)(nil)

// Start runs the sequencing loop until Stop.
func (s *Sequencer) Start(ctx context.Context) error {
	s.life.Lock()
	defer s.life.Unlock()
	if s.cancel != nil || s.stopped {
		return errors.New("sequencer: already started")
	}
	loop, cancel := context.WithCancel(context.Background())
	s.cancel, s.done = cancel, make(chan struct{})
	go s.run(loop)
	return nil
}

// Stop ends the loop, seals the open batch so that its soft confirmations
// become durable state (unless ctx is already done: then the journal
// replays them on the next start), and closes the databases.
func (s *Sequencer) Stop(ctx context.Context) error {
	s.life.Lock()
	defer s.life.Unlock()
	if s.stopped {
		return nil
	}
	s.stopped = true
	var errs []error
	if s.cancel != nil {
		s.cancel()
		select {
		case <-s.done:
		case <-ctx.Done():
			errs = append(errs, fmt.Errorf("sequencer: loop did not stop: %w", ctx.Err()))
			<-s.done
		}
	}
	if ctx.Err() == nil {
		s.mu.Lock()
		if s.open.Len() > 0 && s.halted == nil {
			if err := s.sealLocked(); err != nil {
				errs = append(errs, err)
			}
		}
		s.mu.Unlock()
	}
	s.batchSubs.closeAll()
	s.txSubs.closeAll()
	errs = append(errs, s.journal.Close(), s.state.Close())
	return errors.Join(errs...)
}

func (s *Sequencer) run(ctx context.Context) {
	defer close(s.done)
	tick := time.NewTicker(max(s.cfg.BatchTimeout/8, 5*time.Millisecond))
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.wake:
		case <-tick.C:
		}
		if err := s.Step(); err != nil {
			s.log.Error().Err(err).Msg("sequencing halted")
			return
		}
	}
}

// Step does one round of sequencing: apply queued deposits and the
// mempool's best transactions to the open batch, and seal it if it is full
// or old enough. The loop calls it on every submission and on a timer;
// tests may call it directly instead of Start.
func (s *Sequencer) Step() error {
	s.mu.Lock()
	if s.halted != nil {
		s.mu.Unlock()
		return s.halted
	}
	err := s.applyQueued()
	s.mu.Unlock()
	if err != nil {
		return s.halt(err)
	}
	if _, err := s.pool.Fill(s.applyPooled); err != nil {
		return s.halt(err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.open.Len() == 0 {
		return nil
	}
	full := s.openFull || s.open.StepsUsed()+2 > s.cfg.VM.Slots
	if full || s.timedOut() {
		if err := s.sealLocked(); err != nil {
			return s.haltLocked(err)
		}
		if full && (len(s.deposits) > 0 || s.QueuedChannelOps() > 0 || s.pool.Stats().Executable > 0) {
			s.signal() // more waiting: go round again at once
		}
	}
	return nil
}

// timedOut reports whether the open batch is old enough to seal: past its
// timeout, and past the hold the node asks for while its provers are busy.
func (s *Sequencer) timedOut() bool {
	age := s.cfg.Clock().Sub(s.openedAt)
	if age < s.cfg.BatchTimeout {
		return false
	}
	return age >= s.cfg.BatchTimeout+s.cfg.MaxHold || s.cfg.HoldSeal == nil || !s.cfg.HoldSeal()
}

func (s *Sequencer) halt(err error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.haltLocked(err)
}

func (s *Sequencer) haltLocked(err error) error {
	if s.halted == nil {
		s.halted = err
		s.haltedFlag.Store(true)
	}
	return s.halted
}

func (s *Sequencer) signal() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// applyQueued applies what waits outside the mempool, in its order:
// the L1 deposits first, then the channel operations without a nonce.
// Called with mu held.
func (s *Sequencer) applyQueued() error {
	if err := s.applyDeposits(); err != nil {
		return err
	}
	return s.applyChannelOps()
}

// applyChannelOps moves queued channel closes, disputes, challenges and
// finalizes into the open batch, first come first applied. One the VM
// refuses is rejected like a pooled transaction; one that does not fit
// waits, with everything behind it, for the next batch (every channel
// operation takes the same two slots, so nothing behind it would fit
// either). Called with mu held.
func (s *Sequencer) applyChannelOps() error {
	for {
		s.pmu.Lock()
		if len(s.chanOps) == 0 {
			s.pmu.Unlock()
			return nil
		}
		p := s.chanOps[0]
		s.pmu.Unlock()
		if err := s.stamp(); err != nil {
			return err
		}
		err := s.open.Apply(p.tx)
		if errors.Is(err, vm.ErrBatchFull) {
			s.openFull = true
			return nil
		}
		if err != nil && !vm.IsRejection(err) {
			return fmt.Errorf("sequencer: channel operation %s: %w", p.tx.Hash(), err)
		}
		s.pmu.Lock()
		s.chanOps[0] = nil
		s.chanOps = s.chanOps[1:]
		s.chanCount--
		s.pmu.Unlock()
		if err != nil {
			s.reject(p.tx.Hash(), p.tx.Type, err)
			continue
		}
		s.included(p)
	}
}

// QueuedChannelOps is how many channel operations without a nonce wait
// in their queue.
func (s *Sequencer) QueuedChannelOps() int {
	s.pmu.Lock()
	defer s.pmu.Unlock()
	return len(s.chanOps)
}

// applyDeposits moves queued deposits into the open batch, giving each new
// key the next free account index. Called with mu held.
func (s *Sequencer) applyDeposits() error {
	for len(s.deposits) > 0 {
		p := s.deposits[0]
		if err := s.stamp(); err != nil {
			return err
		}
		if p.tx.Type == vm.TxFullExit {
			// Always applies (a request that cannot be honoured pays
			// nothing), unless the batch is full.
			err := s.open.Apply(p.tx)
			if errors.Is(err, vm.ErrBatchFull) {
				s.openFull = true
				return nil
			}
			if err != nil {
				return fmt.Errorf("sequencer: full exit %d cannot be applied: %w", p.tx.PriorityID, err)
			}
			s.deposits = s.deposits[1:]
			if err := s.touch(p.tx.From); err != nil {
				return err
			}
			s.included(p)
			continue
		}
		idx, fresh, err := s.indexFor(p.tx.PubKey)
		if err != nil {
			return err
		}
		if p.tx.To != idx {
			// The hash covers To: re-key the pending entry.
			s.pmu.Lock()
			delete(s.pending, p.tx.Hash())
			p.tx.To = idx
			s.pending[p.tx.Hash()] = p
			s.pmu.Unlock()
		}
		err = s.open.Apply(p.tx)
		if errors.Is(err, vm.ErrBatchFull) {
			s.openFull = true
			return nil
		}
		if err != nil {
			// A deposit the VM refuses (a balance overflowing 2^64 gwei)
			// blocks the queue for good: the contract demands queue order.
			return fmt.Errorf("sequencer: deposit %d cannot be applied: %w", p.tx.PriorityID, err)
		}
		if fresh {
			s.newKeys[p.tx.PubKey] = idx
			s.nextIndex = s.skipOperator(idx + 1)
		}
		s.deposits = s.deposits[1:]
		if err := s.touch(idx); err != nil {
			return err
		}
		s.included(p)
	}
	return nil
}

// indexFor returns the account index of pub, or the index a new account for
// it gets.
func (s *Sequencer) indexFor(pub vm.PublicKey) (uint32, bool, error) {
	if idx, ok := s.newKeys[pub]; ok {
		return idx, false, nil
	}
	if idx, ok, err := getUint(s.db(), keyIndexKey(pub)); err != nil || ok {
		return uint32(idx), false, err
	}
	if pub == s.cfg.OperatorKey {
		return s.cfg.VM.Operator, true, nil
	}
	idx, err := s.freeLeaf()
	return idx, err == nil, err
}

// freeLeaf returns the next free leaf, for a new account or channel: the
// one allocator both share, so that neither hands out a leaf the other
// holds. The caller advances nextIndex past it only once the leaf is
// used. Called with mu held.
func (s *Sequencer) freeLeaf() (uint32, error) {
	if uint64(s.nextIndex) >= 1<<uint(s.cfg.VM.Depth) || s.nextIndex == math.MaxUint32 {
		return 0, fmt.Errorf("%w: %d leaves in use (%w)", ErrTreeFull, s.nextIndex, vm.ErrIndexOutOfRange)
	}
	return s.nextIndex, nil
}

// applyPooled is Fill's apply: one pooled transaction into the open batch.
//
// A channel open gets its leaf here, the next free one, on a copy: the
// pool's transaction is shared with the admission path (which may still be
// journaling it) and must not change. The copy's signature is checked
// again by Apply (PreVerify's mark covers the transaction as it was
// verified, leaf included), which costs one check per open, a rare type.
func (s *Sequencer) applyPooled(tx *vm.Tx) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.stamp(); err != nil {
		return err
	}
	h := tx.Hash()
	applied := tx
	if tx.Type == vm.TxChanOpen {
		leaf, err := s.freeLeaf()
		if err != nil {
			s.reject(h, tx.Type, err)
			return err
		}
		c := *tx
		c.Channel = leaf
		applied = &c
	}
	err := s.open.Apply(applied)
	switch {
	case err == nil:
		if applied.Type == vm.TxChanOpen {
			s.nextIndex = s.skipOperator(applied.Channel + 1)
		}
		if err := s.touch(tx.From); err != nil {
			return err
		}
		s.pmu.Lock()
		p, ok := s.pending[h]
		if ok {
			p.tx = applied // an open's receipt tells its leaf
		}
		s.pmu.Unlock()
		if ok {
			s.included(p)
		}
	case errors.Is(err, vm.ErrBatchFull):
		s.openFull = true
	case vm.IsRejection(err):
		s.reject(h, tx.Type, err)
	}
	return err
}

// stamp gives an empty open batch its timestamp, just before its first
// transaction: the later the stamp, the closer to the time its rules see.
// Called with mu held.
func (s *Sequencer) stamp() error {
	if s.open.Len() > 0 {
		return nil
	}
	return s.open.SetTimestamp(max(s.cfg.BatchTime(), s.open.Timestamp()))
}

// touch copies the open batch's view of the account at index into soft,
// for the submission path. Called with mu held, after an Apply that read
// the account, so the read hits the batch's overlay.
func (s *Sequencer) touch(index uint32) error {
	a, err := s.open.Account(index)
	if err != nil {
		return err
	}
	s.kmu.Lock()
	s.soft[index] = softAccount{pub: a.PubKey, nonce: a.Nonce}
	s.kmu.Unlock()
	return nil
}

// included records that p was applied to the open batch. Called with mu held.
func (s *Sequencer) included(p *pendingTx) {
	if s.open.Len() == 1 {
		s.openedAt = s.cfg.Clock()
	}
	s.pmu.Lock()
	p.pos = s.open.Len() - 1
	s.pmu.Unlock()
	s.metrics.TxSequenced()
	r := Receipt{Hash: p.tx.Hash(), Type: p.tx.Type, Status: TxSequenced, Batch: s.open.Number(), Position: p.pos}
	r.channelOf(p.tx)
	s.txSubs.send(TxEvent{r})
}

// reject records why an acknowledged transaction did not execute. The
// record is advisory (not synced): after a crash the journal replays the
// transaction and the executor rejects it again.
func (s *Sequencer) reject(h common.Hash, typ vm.TxType, why error) {
	s.pmu.Lock()
	delete(s.pending, h)
	s.pmu.Unlock()
	s.recordRejection(h, typ, why)
}

func (s *Sequencer) recordRejection(h common.Hash, typ vm.TxType, why error) {
	s.metrics.TxRejected()
	if err := s.db().Set(rejectKey(h), []byte(why.Error()), pebble.NoSync); err != nil {
		s.log.Warn().Err(err).Msg("record rejection")
	}
	s.txSubs.send(TxEvent{Receipt{Hash: h, Type: typ, Status: TxRejected, Err: why.Error()}})
}

// sealLocked seals the open batch and makes it durable, in an order that a
// crash anywhere cannot break:
//  1. one synced journal write: the batch record, its index entries and the
//     new head (and, now and then, the truncation of the log entries
//     before the oldest still-pending transaction);
//  2. the state commit (one synced write to the state store). A crash
//     before it is repaired by New, which re-executes the record;
//  3. only then a new open batch on the committed state.
func (s *Sequencer) sealLocked() error {
	start := s.cfg.Clock()
	sb, err := s.open.Seal()
	if err != nil {
		return fmt.Errorf("sequencer: seal: %w", err)
	}
	n := sb.After.BatchNumber
	rec := &BatchRecord{Number: n, Status: BatchSealed, Before: sb.Before, After: sb.After, Txs: sb.Txs,
		PublicData: sb.PublicData, FeeTotal: sb.FeeTotal, Commitment: sb.Commitment(s.cfg.VM.Operator), Withdrawals: sb.Withdrawals}
	enc, err := encodeBatch(rec)
	if err != nil {
		return fmt.Errorf("sequencer: encode batch %d: %w", n, err)
	}
	b := s.db().NewBatch()
	defer b.Close()
	set := func(k, v []byte) {
		if err == nil {
			err = b.Set(k, v, nil)
		}
	}
	set(batchKey(n), enc)
	set(headKey, binary.BigEndian.AppendUint64(nil, n))
	hashes := rec.Hashes()
	for i, h := range hashes {
		set(txKey(h), binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint64(nil, n), uint32(i)))
	}
	for pub, idx := range s.newKeys {
		set(keyIndexKey(pub), binary.BigEndian.AppendUint32(nil, idx))
	}
	for i := range sb.Txs {
		if tx := &sb.Txs[i]; tx.Type == vm.TxChanOpen {
			set(channelIndexKey(vm.ChannelIDOf(tx.From, tx.Nonce)), binary.BigEndian.AppendUint32(nil, tx.Channel))
		}
	}
	set(nextIndexKey, binary.BigEndian.AppendUint32(nil, s.nextIndex))
	for i, w := range sb.Withdrawals {
		set(withdrawalKey(w.To, n, i), binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint64(nil, w.Amount), w.Account))
	}
	s.pmu.Lock()
	for _, h := range hashes {
		delete(s.pending, h)
	}
	s.pmu.Unlock()
	truncate := start.Sub(s.lastTrunc) >= time.Second
	if truncate {
		floor := s.journalFloor()
		if err == nil {
			err = b.DeleteRange(txLogKey(0), txLogKey(floor), nil)
		}
		set(txLogFloorKey, binary.BigEndian.AppendUint64(nil, floor))
		s.lastTrunc = start
	}
	if err != nil {
		return fmt.Errorf("sequencer: batch %d record: %w", n, err)
	}
	if err := b.Commit(pebble.Sync); err != nil {
		return fmt.Errorf("sequencer: write batch %d record: %w", n, err)
	}
	if s.afterRecord != nil {
		s.afterRecord(n)
	}
	if err := s.state.Commit(sb.Changes); err != nil {
		return fmt.Errorf("sequencer: commit batch %d state: %w", n, err)
	}
	s.kmu.Lock()
	s.soft = map[uint32]softAccount{} // the committed state now says the same
	s.kmu.Unlock()
	s.head = n
	s.newKeys = map[vm.PublicKey]uint32{}
	s.sealedSB[n] = sb
	// Traces are big and re-executable: keep only the recent ones, so that
	// a slow (or absent) prover does not grow memory without bound.
	delete(s.sealedSB, n-min(n, keepTraces))
	if s.open, err = vm.NewBatch(s.cfg.VM, s.state.ReaderAt(n), sb.After); err != nil {
		return err
	}
	s.openNum.Store(s.open.Number())
	s.openFull = false
	s.metrics.BatchSealed(len(sb.Txs), s.cfg.Clock().Sub(start))
	s.log.Debug().Uint64("batch", n).Int("txs", len(sb.Txs)).Str("root", hexElement(sb.After.Root)).Msg("batch sealed")
	s.batchSubs.send(BatchEvent{Number: n, Status: BatchSealed})
	select {
	case s.sealedWake <- struct{}{}:
	default:
	}
	return nil
}

// journalFloor is the lowest journal sequence number still needed: the
// oldest acknowledged transaction that no sealed batch holds. Transactions
// that left the mempool without executing (replaced or evicted) are
// recorded as rejected here. Called with mu held, on a fresh open batch.
func (s *Sequencer) journalFloor() uint64 {
	s.pmu.Lock()
	defer s.pmu.Unlock()
	floor := s.journal.nextSeq()
	for h, p := range s.pending {
		// Only the pool can lose a transaction; deposits and queued
		// channel operations stay pending until a batch holds them.
		if p.tx.Type.IsSigned() && p.pos < 0 && !p.admitting {
			if _, ok := s.pool.Get(h); !ok {
				delete(s.pending, h)
				s.recordRejection(h, p.tx.Type, errDropped)
				continue
			}
		}
		floor = min(floor, p.seq)
	}
	return floor
}

// keepTraces is how many recent sealed batches keep their trace in memory
// for the prover; older ones are re-executed from their records.
const keepTraces = 64

// errDropped is the rejection of a transaction that left the mempool
// without executing.
var errDropped = errors.New("sequencer: dropped from the mempool: replaced by a higher fee, evicted, or behind a rejected nonce")

// SendTransaction admits a transaction a user sends, writes it to the
// journal with a synced write, and returns only then. An error says what
// was wrong; a nil error means the transaction is durable and pending.
//
// Transfers, withdrawals and channel opens are signed by their sender with
// its nonce: they are checked against the soft-confirmed state (chain,
// ranges, signature, nonce, fee, pool limits) and pooled. An open's leaf
// (tx.Channel) is the sequencer's to choose: whatever the sender put there
// is replaced by the next free leaf when the open executes, and the
// receipt tells it.
//
// Channel closes, disputes, challenges and finalizes have no sender and
// no nonce: they are checked statically (the signatures of the channel
// state are checked when they execute, against the parties' keys in the
// state of that moment) and queued first come first served, to be
// applied after the L1 deposits and before the pool.
func (s *Sequencer) SendTransaction(tx *vm.Tx) (common.Hash, error) {
	if !tx.Type.IsSigned() && !tx.Type.IsChannel() {
		return common.Hash{}, fmt.Errorf("%w: %s", ErrTxType, tx.Type)
	}
	if err := tx.CheckStatic(s.cfg.VM.ChainID, s.cfg.VM.Depth); err != nil {
		return common.Hash{}, err
	}
	if s.haltedFlag.Load() {
		return common.Hash{}, fmt.Errorf("%w: %v", ErrHalted, s.Err())
	}
	if !tx.Type.IsSigned() {
		return s.queueChannelOp(tx)
	}
	pub, nonce, err := s.senderView(tx.From)
	if err != nil {
		return common.Hash{}, err
	}
	if err := tx.PreVerify(pub); err != nil {
		return common.Hash{}, err
	}
	h := tx.Hash()
	// Register before the pool can offer it to the loop, so that the loop
	// finds it; its journal sequence number comes after the write, and
	// until then a lower bound keeps truncation from dropping it.
	p := &pendingTx{tx: tx, seq: s.journal.nextSeq(), pos: -1, admitting: true}
	s.pmu.Lock()
	if _, dup := s.pending[h]; dup {
		s.pmu.Unlock()
		return common.Hash{}, fmt.Errorf("%w: %s", ErrAlreadyKnown, h)
	}
	s.pending[h] = p
	s.pmu.Unlock()
	if err := s.pool.Add(tx, nonce); err != nil {
		s.pmu.Lock()
		delete(s.pending, h)
		s.pmu.Unlock()
		return common.Hash{}, err
	}
	seq, err := s.journal.Append(tx)
	s.pmu.Lock()
	if err != nil {
		s.pmu.Unlock()
		s.pool.Drop(tx)
		s.pmu.Lock()
		if p.pos < 0 {
			delete(s.pending, h)
		}
		s.pmu.Unlock()
		return common.Hash{}, err
	}
	p.seq, p.admitting = seq, false
	s.pmu.Unlock()
	s.metrics.TxAccepted()
	s.txSubs.send(TxEvent{Receipt{Hash: h, Type: tx.Type, Status: TxPending}})
	s.signal()
	return h, nil
}

// queueChannelOp admits a channel operation without a nonce: it is
// registered as pending (so that a duplicate is refused and journal
// truncation keeps its entry), journaled with a synced write, and only
// then queued, so the loop never applies what is not yet durable.
func (s *Sequencer) queueChannelOp(tx *vm.Tx) (common.Hash, error) {
	h := tx.Hash()
	// Without a nonce nothing else stops a copy of an executed operation
	// from coming back; the VM would refuse it, but refusing it here says
	// so at once. (A rejected one may come back: a finalize sent before
	// the deadline is the same transaction after it.)
	sealed, err := s.sealedTx(h)
	if err != nil {
		return common.Hash{}, err
	}
	if sealed {
		return common.Hash{}, fmt.Errorf("%w: %s is in a sealed batch", ErrAlreadyKnown, h)
	}
	if err := s.checkChannelSigs(tx); err != nil {
		return common.Hash{}, err
	}
	p := &pendingTx{tx: tx, seq: s.journal.nextSeq(), pos: -1, admitting: true}
	s.pmu.Lock()
	if _, dup := s.pending[h]; dup {
		s.pmu.Unlock()
		return common.Hash{}, fmt.Errorf("%w: %s is pending", ErrAlreadyKnown, h)
	}
	if s.chanCount >= s.cfg.MaxChannelOps {
		s.pmu.Unlock()
		return common.Hash{}, fmt.Errorf("%w: %d waiting; retry after the next batch", ErrChannelQueueFull, s.cfg.MaxChannelOps)
	}
	s.pending[h] = p
	s.chanCount++
	s.pmu.Unlock()
	seq, err := s.journal.Append(tx)
	s.pmu.Lock()
	if err != nil {
		delete(s.pending, h)
		s.chanCount--
		s.pmu.Unlock()
		return common.Hash{}, err
	}
	p.seq, p.admitting = seq, false
	s.chanOps = append(s.chanOps, p)
	s.pmu.Unlock()
	s.metrics.TxAccepted()
	r := Receipt{Hash: h, Type: tx.Type, Status: TxPending}
	r.channelOf(tx)
	s.txSubs.send(TxEvent{r})
	s.signal()
	return h, nil
}

// checkChannelSigs refuses at the door a close, dispute or challenge whose
// state the channel's parties did not sign. These operations pay no fee,
// so without the check anyone could fill their queue with junk and delay
// the real ones, a watcher's challenge among them. It reads the channel
// and the parties' keys as the last sealed batch left them (keys never
// change, and the sequencer never reuses a leaf); a channel opened in the
// open batch is not there yet, and the executor judges those.
func (s *Sequencer) checkChannelSigs(tx *vm.Tx) error {
	if tx.Type == vm.TxChanFinalize {
		return nil
	}
	ch, found, _, err := s.Channel(tx.Channel)
	if err != nil || !found {
		return err
	}
	st := tx.ChannelState(ch.ID())
	for _, p := range []struct {
		index uint32
		sig   vm.Signature
		name  string
	}{{ch.A, tx.Sig, "A"}, {ch.B, tx.SigB, "B"}} {
		if p.sig == (vm.Signature{}) && tx.Type == vm.TxChanDispute && tx.Version == 0 {
			continue // the opening state: its closer alone signs
		}
		pub, _, err := s.senderView(p.index)
		if err != nil {
			return err
		}
		if !st.Verify(pub, p.sig) {
			return fmt.Errorf("%w: party %s (account %d) did not sign channel %d version %d", vm.ErrBadSignature, p.name, p.index, ch.ID(), tx.Version)
		}
	}
	return nil
}

// sealedTx reports whether a sealed batch holds the transaction h.
func (s *Sequencer) sealedTx(h common.Hash) (bool, error) {
	_, closer, err := s.db().Get(txKey(h))
	if errors.Is(err, pebble.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	closer.Close()
	return true, nil
}

// senderView returns the key and next nonce of the account at index as
// the open batch has left it, without taking mu: from soft when the open
// batch touched it, else from the committed state.
func (s *Sequencer) senderView(index uint32) (vm.PublicKey, uint32, error) {
	s.kmu.Lock()
	a, ok := s.soft[index]
	s.kmu.Unlock()
	if ok {
		return a.pub, a.nonce, nil
	}
	head, err := s.state.Head()
	if err != nil {
		return vm.PublicKey{}, 0, err
	}
	leaf, found, err := s.state.ReaderAt(head.BatchNumber).Leaf(uint64(index))
	if err != nil {
		return vm.PublicKey{}, 0, err
	}
	if !found || leaf.Kind != vm.KindAccount {
		// Perhaps created by a deposit in the open batch a moment ago.
		s.kmu.Lock()
		a, ok = s.soft[index]
		s.kmu.Unlock()
		if ok {
			return a.pub, a.nonce, nil
		}
		return vm.PublicKey{}, 0, fmt.Errorf("%w: sender %d", vm.ErrUnknownAccount, index)
	}
	return leaf.PubKey, leaf.Nonce, nil
}

// AddDeposits queues L1 deposits durably. Deposits already queued or
// consumed are ignored, so the bridge may deliver twice; a gap in the
// priority ids is an error (the bridge must deliver in order).
func (s *Sequencer) AddDeposits(deps []Deposit) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var txs []*vm.Tx
	next := s.nextPrio
	for _, d := range deps {
		if d.PriorityID < next {
			continue
		}
		if d.PriorityID > next {
			return fmt.Errorf("%w: deposit %d arrived before %d", ErrDepositGap, d.PriorityID, next)
		}
		txs = append(txs, d.tx(s.cfg.VM.ChainID))
		next++
	}
	if len(txs) == 0 {
		return nil
	}
	first, err := s.journal.Append(txs...)
	if err != nil {
		return err
	}
	s.pmu.Lock()
	for i, tx := range txs {
		p := &pendingTx{tx: tx, seq: first + uint64(i), pos: -1}
		s.deposits = append(s.deposits, p)
		s.pending[tx.Hash()] = p
	}
	s.pmu.Unlock()
	s.nextPrio = next
	s.signal()
	return nil
}

// NextPriority is the priority id of the next deposit the sequencer
// expects.
func (s *Sequencer) NextPriority() uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.nextPrio
}

// Account returns the soft-confirmed account at index: the open batch's
// view, and the number of the open batch.
func (s *Sequencer) Account(index uint32) (vm.Account, uint64, error) {
	if uint64(index) >= 1<<uint(s.cfg.VM.Depth) {
		return vm.Account{}, 0, fmt.Errorf("%w: %d", vm.ErrIndexOutOfRange, index)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a, err := s.open.Account(index)
	return a, s.open.Number(), err
}

// IndexOf returns the account index of pub, including accounts created in
// the open batch.
func (s *Sequencer) IndexOf(pub vm.PublicKey) (uint32, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if idx, ok := s.newKeys[pub]; ok {
		return idx, true, nil
	}
	idx, ok, err := getUint(s.db(), keyIndexKey(pub))
	return uint32(idx), ok, err
}

// Proof returns a Merkle proof of the account at index in the state after
// the sealed batch n, with the root it proves against.
func (s *Sequencer) Proof(index uint32, n uint64) (vm.Account, []vm.Element, vm.Meta, error) {
	if uint64(index) >= 1<<uint(s.cfg.VM.Depth) {
		return vm.Account{}, nil, vm.Meta{}, fmt.Errorf("%w: %d", vm.ErrIndexOutOfRange, index)
	}
	meta, err := s.state.MetaAt(n)
	if err != nil {
		return vm.Account{}, nil, vm.Meta{}, err
	}
	t, err := vm.NewTree(s.cfg.VM.Depth, s.state.ReaderAt(n))
	if err != nil {
		return vm.Account{}, nil, vm.Meta{}, err
	}
	a, err := t.Get(uint64(index))
	if err != nil {
		return vm.Account{}, nil, vm.Meta{}, err
	}
	sibs, err := t.Proof(uint64(index))
	return a, sibs, meta, err
}

// ChannelLeaf returns the leaf index of the channel with the given id
// (vm.ChannelIDOf(opener, open nonce)), once the batch that opened it is
// sealed. The index outlives the channel: a settled channel's leaf is
// empty (Channel reports it not found), and leaves are never reused.
func (s *Sequencer) ChannelLeaf(channelID uint64) (uint32, bool, error) {
	v, ok, err := getUint(s.db(), channelIndexKey(channelID))
	return uint32(v), ok, err
}

// Channel returns the channel at leaf in the state of the last sealed
// batch, with that batch's number. found is false when the leaf holds no
// channel: never opened, opened in the open batch and not sealed yet, or
// settled. A channel's life is measured in challenge periods, not in
// soft confirmations, so sealed state is what it is read from (as Proof
// does), not the open batch.
func (s *Sequencer) Channel(leaf uint32) (ch vm.ChannelLeaf, found bool, batch uint64, err error) {
	if uint64(leaf) >= 1<<uint(s.cfg.VM.Depth) {
		return vm.ChannelLeaf{}, false, 0, fmt.Errorf("%w: %d", vm.ErrIndexOutOfRange, leaf)
	}
	head, err := s.state.Head()
	if err != nil {
		return vm.ChannelLeaf{}, false, 0, err
	}
	a, ok, err := s.state.ReaderAt(head.BatchNumber).Leaf(uint64(leaf))
	if err != nil || !ok || a.Kind != vm.KindChannel {
		return vm.ChannelLeaf{}, false, head.BatchNumber, err
	}
	ch, err = vm.ChannelOf(&a)
	if err != nil {
		return vm.ChannelLeaf{}, false, head.BatchNumber, fmt.Errorf("%w: leaf %d: %v", ErrCorrupt, leaf, err)
	}
	return ch, true, head.BatchNumber, nil
}

// SealNow applies what is waiting and seals the open batch at once
// instead of at its timeout, if it holds anything. It returns the last
// sealed batch number. It is an operator's tool (admin_sealBatch): the
// batch is as valid as one sealed by the timer.
func (s *Sequencer) SealNow() (uint64, error) {
	s.mu.Lock()
	if s.halted != nil {
		s.mu.Unlock()
		return 0, s.halted
	}
	err := s.applyQueued()
	s.mu.Unlock()
	if err != nil {
		return 0, s.halt(err)
	}
	if _, err := s.pool.Fill(s.applyPooled); err != nil {
		return 0, s.halt(err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.open.Len() > 0 {
		if err := s.sealLocked(); err != nil {
			return 0, s.haltLocked(err)
		}
	}
	return s.head, nil
}

// Heads returns the last sealed, proven and finalized batch numbers.
func (s *Sequencer) Heads() (sealed, proven, finalized uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.head, s.proven, s.finalized
}

// PendingCount is the number of acknowledged transactions and deposits not
// yet in a sealed batch.
func (s *Sequencer) PendingCount() int {
	s.pmu.Lock()
	defer s.pmu.Unlock()
	return len(s.pending)
}

// Batch returns the record of sealed batch n.
func (s *Sequencer) Batch(n uint64) (*BatchRecord, bool, error) {
	return getBatch(s.db(), n)
}

// Receipt returns what is known about the transaction with hash h; false
// when nothing is.
func (s *Sequencer) Receipt(h common.Hash) (Receipt, bool, error) {
	s.pmu.Lock()
	if p, ok := s.pending[h]; ok {
		r := Receipt{Hash: h, Type: p.tx.Type, Status: TxPending}
		if p.pos >= 0 {
			r.Status, r.Batch, r.Position = TxSequenced, s.openNum.Load(), p.pos
		}
		r.channelOf(p.tx)
		s.pmu.Unlock()
		return r, true, nil
	}
	s.pmu.Unlock()
	db := s.db()
	v, closer, err := db.Get(txKey(h))
	switch {
	case err == nil:
		if len(v) != 12 {
			closer.Close()
			return Receipt{}, false, fmt.Errorf("%w: tx index entry of %d bytes", ErrCorrupt, len(v))
		}
		n, pos := binary.BigEndian.Uint64(v), int(binary.BigEndian.Uint32(v[8:]))
		closer.Close()
		rec, ok, err := getBatch(db, n)
		if err != nil || !ok {
			return Receipt{}, false, fmt.Errorf("%w: batch %d of tx %s (%v)", ErrCorrupt, n, h, err)
		}
		r := Receipt{Hash: h, Type: rec.Txs[pos].Type, Batch: n, Position: pos, L1Tx: rec.L1Tx, Status: TxSequenced}
		switch rec.Status {
		case BatchProven, BatchSubmitted:
			r.Status = TxProven
		case BatchFinalized:
			r.Status = TxFinalized
		}
		r.channelOf(&rec.Txs[pos])
		return r, true, nil
	case !errors.Is(err, pebble.ErrNotFound):
		return Receipt{}, false, err
	}
	v, closer, err = db.Get(rejectKey(h))
	if errors.Is(err, pebble.ErrNotFound) {
		return Receipt{}, false, nil
	}
	if err != nil {
		return Receipt{}, false, err
	}
	defer closer.Close()
	return Receipt{Hash: h, Status: TxRejected, Err: string(v)}, true, nil
}

// Withdrawals returns the withdrawals to an L1 address in sealed batches,
// oldest first, with the batch of each.
func (s *Sequencer) Withdrawals(to common.Address) ([]uint64, []vm.Withdrawal, error) {
	prefix := withdrawalPrefix(to)
	it, err := s.db().NewIter(&pebble.IterOptions{LowerBound: prefix, UpperBound: append(append([]byte(nil), prefix...), 0xff)})
	if err != nil {
		return nil, nil, err
	}
	defer it.Close()
	var batches []uint64
	var ws []vm.Withdrawal
	for ok := it.First(); ok; ok = it.Next() {
		k, v := it.Key(), it.Value()
		if len(k) != len(prefix)+12 || len(v) != 12 {
			return nil, nil, fmt.Errorf("%w: withdrawal entry", ErrCorrupt)
		}
		batches = append(batches, binary.BigEndian.Uint64(k[len(prefix):]))
		ws = append(ws, vm.Withdrawal{To: to, Amount: binary.BigEndian.Uint64(v), Account: binary.BigEndian.Uint32(v[8:])})
	}
	return batches, ws, it.Error()
}

// SealedBatch returns sealed batch n with its trace, for the prover: from
// memory when it was sealed in this process, else by re-executing its
// record on the state before it (the state store keeps every version).
func (s *Sequencer) SealedBatch(n uint64) (*vm.SealedBatch, error) {
	s.mu.Lock()
	sb, ok := s.sealedSB[n]
	s.mu.Unlock()
	if ok {
		return sb, nil
	}
	rec, ok, err := getBatch(s.db(), n)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("sequencer: batch %d is not sealed", n)
	}
	before, err := s.state.MetaAt(n - 1)
	if err != nil {
		return nil, err
	}
	return s.reexecute(rec, before)
}

// SealedSignal is signalled (without blocking) after every seal.
func (s *Sequencer) SealedSignal() <-chan struct{} { return s.sealedWake }

// SetProven records batch n's proof. Batches are proven in order.
func (s *Sequencer) SetProven(n uint64, proof []byte) error {
	return s.advance(n, BatchProven, func(r *BatchRecord) { r.Proof = proof }, provenKey, &s.proven)
}

// SetSubmitted records the L1 transaction that commits batch n.
func (s *Sequencer) SetSubmitted(n uint64, l1tx common.Hash) error {
	return s.advance(n, BatchSubmitted, func(r *BatchRecord) { r.L1Tx = l1tx }, nil, nil)
}

// SetFinalized records that batch n is committed on L1 (in l1tx, when
// known).
func (s *Sequencer) SetFinalized(n uint64, l1tx common.Hash) error {
	return s.advance(n, BatchFinalized, func(r *BatchRecord) {
		if l1tx != (common.Hash{}) {
			r.L1Tx = l1tx
		}
	}, finalizedKey, &s.finalized)
}

func (s *Sequencer) advance(n uint64, to BatchStatus, edit func(*BatchRecord), marker []byte, mark *uint64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, ok, err := getBatch(s.db(), n)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("sequencer: batch %d is not sealed", n)
	}
	if rec.Status >= to {
		return nil
	}
	rec.Status = to
	edit(rec)
	enc, err := encodeBatch(rec)
	if err != nil {
		return err
	}
	b := s.db().NewBatch()
	defer b.Close()
	if err := b.Set(batchKey(n), enc, nil); err != nil {
		return err
	}
	if mark != nil && n > *mark {
		if err := b.Set(marker, binary.BigEndian.AppendUint64(nil, n), nil); err != nil {
			return err
		}
	}
	if err := b.Commit(pebble.Sync); err != nil {
		return fmt.Errorf("sequencer: record batch %d %s: %w", n, to, err)
	}
	if mark != nil && n > *mark {
		*mark = n
	}
	if to == BatchProven {
		delete(s.sealedSB, n)
	}
	s.batchSubs.send(BatchEvent{Number: n, Status: to})
	if to == BatchProven || to == BatchFinalized {
		st := TxProven
		if to == BatchFinalized {
			st = TxFinalized
		}
		if s.txSubs.active() {
			for i, h := range rec.Hashes() {
				r := Receipt{Hash: h, Type: rec.Txs[i].Type, Status: st, Batch: n, Position: i, L1Tx: rec.L1Tx}
				r.channelOf(&rec.Txs[i])
				s.txSubs.send(TxEvent{r})
			}
		}
	}
	return nil
}

// SubscribeBatches delivers a BatchEvent for every status change of every
// batch. The channel has room for buffer events; a subscriber that falls
// further behind is dropped and its channel closed.
func (s *Sequencer) SubscribeBatches(buffer int) (<-chan BatchEvent, func()) {
	return s.batchSubs.subscribe(buffer)
}

// SubscribeTxs delivers a TxEvent for every status change of every
// transaction, with the same buffering rule as SubscribeBatches.
func (s *Sequencer) SubscribeTxs(buffer int) (<-chan TxEvent, func()) {
	return s.txSubs.subscribe(buffer)
}

// MempoolStats returns the mempool's counters.
func (s *Sequencer) MempoolStats() MempoolStats { return s.pool.Stats() }

// Config returns the sequencer's config.
func (s *Sequencer) Config() Config { return s.cfg }

// Err returns the error that halted sequencing, if any.
func (s *Sequencer) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.halted
}

func hexElement(e vm.Element) string {
	b := e.Bytes()
	return common.Bytes2Hex(b[:])
}
