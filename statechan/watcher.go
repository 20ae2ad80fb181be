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
	Logger   zerolog.Logger
	// Metrics receives ChallengeSubmitted; nil means NoopMetrics.
	Metrics Metrics
}

// DefaultWatchInterval is the default polling period.
const DefaultWatchInterval = 5 * time.Second

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
type Watcher struct {
	cfg  WatcherConfig
	log  zerolog.Logger
	m    Metrics
	poke chan struct{}

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
	return &Watcher{cfg: cfg, log: cfg.Logger.With().Str("component", "chanwatcher").Logger(), m: cfg.Metrics, poke: make(chan struct{}, 1)}, nil
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
		return nil, nil
	}
	log.Warn().Msg("stale close: challenging with our latest state")
	if err := w.cfg.Chain.Challenge(ctx, latest.State, latest.SigA, latest.SigB); err != nil {
		return nil, fmt.Errorf("challenge with version %d: %w", latest.State.Version, err)
	}
	w.m.ChallengeSubmitted()
	return &latest, nil
}
