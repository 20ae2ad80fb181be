package sequencer

import (
	"context"
	"errors"
	"fmt"
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
	// Censor is a test hook: the channel operations it returns true for
	// are acknowledged (durable, pending) and never sequenced, as a
	// censoring sequencer would treat them. Production leaves it nil.
	Censor func(*vm.Tx) bool
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
	// singles groups concurrent SendTransaction calls into rounds.
	singles singleSends

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
	// balance is what admission reads of a sponsor (sponsor.go).
	balance uint64
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
