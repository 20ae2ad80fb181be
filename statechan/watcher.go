package statechan

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/keel-rollup/keel/vm"
)

// Chain is what the watcher needs from L2: the channel's on-chain close,
// if one is under way, and a way to answer it. The VM steps behind it
// (unilateral close with a challenge period, challenge with a higher
// version) belong to packages vm, circuits and sequencer;
// client.ChannelChain implements it over a node's API. The watcher never
// needs more than these two calls.
type Chain interface {
	// ClosingState reports a unilateral close of the channel in its
	// challenge period: the state it was closed (or last challenged) with
	// and its signatures where the chain keeps them (Keel's channel leaf
	// keeps the version and split only, so its implementation,
	// client.ChannelChain, returns zero signatures: the watcher reads the
	// version alone). closing is false when no such close is under way:
	// the channel is open, settled, or closed cooperatively.
	ClosingState(ctx context.Context, channelID uint64) (state vm.ChannelState, sigA, sigB vm.Signature, closing bool, err error)
	// Challenge submits a co-signed state of a higher version than the
	// closing one, which replaces it.
	Challenge(ctx context.Context, state vm.ChannelState, sigA, sigB vm.Signature) error
}

// L1Path is the watcher's way around a sequencer that does not sequence
// its challenge: the Rollup contract's priority queue
// (Rollup.requestChannelChallenge), which the sequencer must process in
// order, or let anyone switch the Rollup into exodus mode. client.L1Path
// implements it over an L1 endpoint; the node has its own.
type L1Path interface {
	// Block returns the L1 head's number.
	Block(ctx context.Context) (uint64, error)
	// ForceChallenge files the co-signed state as a challenge of its
	// channel through the priority queue and returns the request's queue
	// index.
	ForceChallenge(ctx context.Context, state vm.ChannelState, sigA, sigB vm.Signature) (uint64, error)
	// Request reports whether verified batches have consumed request
	// index, and whether it has waited past the exodus delay, so that
	// exodus mode may be activated.
	Request(ctx context.Context, index uint64) (consumed, expired bool, err error)
	// ActivateExodus switches the Rollup into exodus mode.
	ActivateExodus(ctx context.Context) error
}

// StateSource is where the watcher reads the latest co-signed state of
// each channel: the endpoint's Store.
type StateSource interface {
	Channels() ([]uint64, error)
	Latest(channelID uint64) (SignedState, error)
}

var _ StateSource = (*Store)(nil)

// WatcherConfig configures a Watcher.
type WatcherConfig struct {
	Chain  Chain
	States StateSource
	// Interval is the polling period; 0 means DefaultWatchInterval. It
	// must be well inside the chain's challenge period. Poke checks at
	// once, for a driver that is notified of closes.
	Interval time.Duration
	// L1, when set, is the fallback for a challenge that L2 does not take
	// within FallbackBlocks L1 blocks (see Watcher).
	L1 L1Path
	// FallbackBlocks is how many L1 blocks an L2 challenge may go
	// unsequenced before the watcher files it on L1; 0 means
	// DefaultFallbackBlocks.
	FallbackBlocks uint64
	Logger         zerolog.Logger
	// Metrics receives ChallengeSubmitted; nil means NoopMetrics.
	Metrics Metrics
}

// DefaultWatchInterval is the default polling period.
const DefaultWatchInterval = 5 * time.Second

// DefaultFallbackBlocks is how many L1 blocks (about a minute on
// Ethereum) an L2 challenge may wait before the watcher files it on L1.
const DefaultFallbackBlocks = 5

// Validate checks the configuration.
func (c *WatcherConfig) Validate() error {
	if c.Chain == nil || c.States == nil {
		return errors.New("statechan: watcher config: chain and states are required")
	}
	if c.Interval < 0 {
		return errors.New("statechan: watcher config: negative interval")
	}
	return nil
}

// Watcher defends a party's channels while it is offline or not looking:
// whenever the chain shows a unilateral close with a version below the
// latest co-signed state in the store, it submits that state as a
// challenge. This is what makes closing with a stale state pointless.
//
// A censoring sequencer could sit on that challenge until the challenge
// period ends. So, given an L1Path, the watcher falls back by itself: when
// its L2 challenge has not taken effect within FallbackBlocks L1 blocks,
// it files the same state through the Rollup's priority queue, which the
// sequencer must process in order; and if the sequencer lets that request
// expire instead, the watcher activates exodus mode. It logs each step.
// For the forced path to beat the deadline whatever the sequencer does,
// a channel's period must exceed Rollup.MAX_TIMESTAMP_LAG plus the
// exodus delay plus the fallback (see RELIABILITY.md).
type Watcher struct {
	cfg  WatcherConfig
	log  zerolog.Logger
	m    Metrics
	poke chan struct{}

	// defenses holds, per channel, the challenge under way; only run and
	// Check touch it, one round at a time.
	dmu      sync.Mutex
	defenses map[uint64]*defense

	mu     sync.Mutex
	cancel context.CancelFunc
	done   chan struct{}
}

var _ interface {
	Start(context.Context) error
	Stop(context.Context) error
} = (*Watcher)(nil)

// NewWatcher returns a stopped watcher.
func NewWatcher(cfg WatcherConfig) (*Watcher, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Interval == 0 {
		cfg.Interval = DefaultWatchInterval
	}
	if cfg.Metrics == nil {
		cfg.Metrics = NoopMetrics{}
	}
	if cfg.FallbackBlocks == 0 {
		cfg.FallbackBlocks = DefaultFallbackBlocks
	}
	return &Watcher{cfg: cfg, log: cfg.Logger.With().Str("component", "chanwatcher").Logger(), m: cfg.Metrics, poke: make(chan struct{}, 1),
		defenses: map[uint64]*defense{}}, nil
}

// Start polls until Stop.
func (w *Watcher) Start(context.Context) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.cancel != nil {
		return errors.New("statechan: watcher already started")
	}
	ctx, cancel := context.WithCancel(context.Background())
	w.cancel, w.done = cancel, make(chan struct{})
	go w.run(ctx)
	return nil
}

// Stop ends polling; a check in progress is cancelled. Stopping twice, or
// a watcher never started, is a no-op.
func (w *Watcher) Stop(ctx context.Context) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.cancel == nil {
		return nil
	}
	w.cancel()
	w.cancel = nil
	select {
	case <-w.done:
		return nil
	case <-ctx.Done():
		<-w.done
		return fmt.Errorf("statechan: watcher stop: %w", ctx.Err())
	}
}

// Poke makes the running watcher check at once.
func (w *Watcher) Poke() {
	select {
	case w.poke <- struct{}{}:
	default:
	}
}

func (w *Watcher) run(ctx context.Context) {
	defer close(w.done)
	t := time.NewTicker(w.cfg.Interval)
	defer t.Stop()
	for {
		if _, err := w.Check(ctx); err != nil && ctx.Err() == nil {
			w.log.Error().Err(err).Msg("watch round failed; retrying next round")
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-w.poke:
		}
	}
}

// Check runs one round over every stored channel and returns the
// challenges it submitted. A failure on one channel does not stop the
// others; the errors are joined and the next round retries.
func (w *Watcher) Check(ctx context.Context) ([]SignedState, error) {
	w.dmu.Lock()
	defer w.dmu.Unlock()
	ids, err := w.cfg.States.Channels()
	if err != nil {
		return nil, err
	}
	var out []SignedState
	var errs []error
	for _, id := range ids {
		st, err := w.checkChannel(ctx, id)
		if err != nil {
			errs = append(errs, fmt.Errorf("channel %d: %w", id, err))
			continue
		}
		if st != nil {
			out = append(out, *st)
		}
	}
	return out, errors.Join(errs...)
}

func (w *Watcher) checkChannel(ctx context.Context, id uint64) (*SignedState, error) {
	onChain, _, _, closing, err := w.cfg.Chain.ClosingState(ctx, id)
	if err != nil || !closing {
		return nil, err
	}
	latest, err := w.cfg.States.Latest(id)
	if err != nil {
		return nil, err
	}
	log := w.log.With().Uint64("channel", id).Uint64("closing", onChain.Version).Uint64("ours", latest.State.Version).Logger()
	if onChain.Version >= latest.State.Version {
		if onChain.Version > latest.State.Version {
			// Our store lost a co-signed state the peer holds (we crashed
			// before persisting an acknowledged payment of ours): the
			// close is legitimate and favours us at least as much.
			log.Warn().Msg("channel closing with a version above ours")
		}
		delete(w.defenses, id)
		return nil, nil
	}
	d := w.defenses[id]
	if d != nil && d.version == latest.State.Version && w.cfg.L1 != nil {
		return w.escalate(ctx, log, d, latest)
	}
	if d == nil || d.version != latest.State.Version {
		// Recorded before the first attempt: a sequencer that refuses the
		// L2 challenge outright is fallen back from like one that sits on
		// it.
		d = &defense{version: latest.State.Version}
		if w.cfg.L1 != nil {
			// The fallback counts from now; an L1 that does not answer
			// yet is counted from the first round it does.
			if head, err := w.cfg.L1.Block(ctx); err == nil {
				d.since, d.counted = head, true
			} else {
				log.Warn().Err(err).Msg("L1 unavailable; the fallback counts from when it answers")
			}
		}
		w.defenses[id] = d
	}
	log.Warn().Msg("stale close: challenging with our latest state")
	if err := w.cfg.Chain.Challenge(ctx, latest.State, latest.SigA, latest.SigB); err != nil {
		return nil, fmt.Errorf("challenge with version %d: %w", latest.State.Version, err)
	}
	w.m.ChallengeSubmitted()
	return &latest, nil
}

// defense is a challenge the watcher has under way: the version it
// submitted on L2 and the L1 block its fallback counts from (read on the
// first escalation round), then the L1 request it filed, if it had to.
type defense struct {
	version uint64
	since   uint64
	counted bool
	forced  bool
	request uint64
	exodus  bool
}

// escalate moves a challenge that L2 has not taken along the L1 path: it
// re-sends the L2 challenge (idempotent) until FallbackBlocks L1 blocks
// have passed, then files it on L1, then activates exodus mode if the
// sequencer lets that request expire.
func (w *Watcher) escalate(ctx context.Context, log zerolog.Logger, d *defense, latest SignedState) (*SignedState, error) {
	if !d.forced {
		head, err := w.cfg.L1.Block(ctx)
		if err != nil {
			return nil, fmt.Errorf("read the L1 head: %w", err)
		}
		if !d.counted {
			d.since, d.counted = head, true
		}
		if head < d.since+w.cfg.FallbackBlocks {
			if err := w.cfg.Chain.Challenge(ctx, latest.State, latest.SigA, latest.SigB); err != nil {
				log.Warn().Err(err).Msg("L2 challenge refused; the L1 path follows if it stays so")
			}
			return nil, nil
		}
		log.Warn().Uint64("l1Blocks", head-d.since).Msg("L2 challenge not sequenced in time: challenging through the L1 priority queue")
		idx, err := w.cfg.L1.ForceChallenge(ctx, latest.State, latest.SigA, latest.SigB)
		if err != nil {
			return nil, fmt.Errorf("challenge version %d on L1: %w", latest.State.Version, err)
		}
		d.forced, d.request = true, idx
		w.m.ChallengeForced()
		log.Warn().Uint64("request", idx).Msg("challenge filed on L1: the sequencer must process it, or exodus mode can start")
		return &latest, nil
	}
	if d.exodus {
		return nil, nil
	}
	consumed, expired, err := w.cfg.L1.Request(ctx, d.request)
	if err != nil || consumed || !expired {
		return nil, err
	}
	log.Error().Uint64("request", d.request).Msg("the sequencer let our L1 challenge expire: activating exodus mode")
	if err := w.cfg.L1.ActivateExodus(ctx); err != nil {
		return nil, fmt.Errorf("activate exodus: %w", err)
	}
	d.exodus = true
	return nil, nil
}
