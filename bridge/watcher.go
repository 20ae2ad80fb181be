package bridge

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/keel-rollup/keel/l1contracts"
	"github.com/keel-rollup/keel/vm"
	"github.com/rs/zerolog"
)

// Deposit is a confirmed L1 priority request (a deposit, a full-exit
// request or a forced channel challenge, as its Kind says) with what the
// log adds: where it was mined. The request itself, ID (its queue
// index) included, is the embedded vm.PriorityRequest.
type Deposit struct {
	vm.PriorityRequest
	// Block and TxHash say where it was mined (informational: a reorg
	// within the confirmation depth may move it).
	Block  uint64
	TxHash common.Hash
}

// DecodePriorityLog parses any kind of priority-request log.
func DecodePriorityLog(log *types.Log) (*Deposit, error) {
	if len(log.Topics) > 0 {
		switch log.Topics[0] {
		case fullExitTopic:
			return DecodeFullExitLog(log)
		case forcedChallengeTopic:
			return DecodeForcedChallengeLog(log)
		}
	}
	return DecodeDepositLog(log)
}

// DecodeForcedChallengeLog parses a Rollup ChannelChallengeRequested log,
// checking its shape and that both signatures are in the form the
// contract accepts.
func DecodeForcedChallengeLog(log *types.Log) (*Deposit, error) {
	// ChannelChallengeRequested(uint64 indexed, uint32 indexed, uint64,
	// bool, uint64, uint64, uint256[3], uint256[3], uint256)
	if len(log.Topics) != 3 || log.Topics[0] != forcedChallengeTopic || len(log.Data) != 11*32 {
		return nil, fmt.Errorf("bridge: malformed channel-challenge log (tx %s index %d): %d topics, %d data bytes", log.TxHash, log.Index, len(log.Topics), len(log.Data))
	}
	ev, err := rollupABI.UnpackChannelChallengeRequestedEvent(log)
	if err != nil {
		return nil, fmt.Errorf("bridge: malformed channel-challenge log (tx %s index %d): %w", log.TxHash, log.Index, err)
	}
	sigA, err := logSignature(ev.SigA)
	if err != nil {
		return nil, fmt.Errorf("bridge: channel challenge %d: party A's signature: %w", ev.Index, err)
	}
	sigB, err := logSignature(ev.SigB)
	if err != nil {
		return nil, fmt.Errorf("bridge: channel challenge %d: party B's signature: %w", ev.Index, err)
	}
	st := vm.ChannelState{Version: ev.Version, Final: ev.IsFinal, BalanceA: ev.BalanceA, BalanceB: ev.BalanceB}
	return &Deposit{PriorityRequest: vm.PriorityRequest{ID: ev.Index, Kind: vm.TxForcedChallenge, Channel: ev.Channel, State: st, Sig: sigA, SigB: sigB},
		Block: log.BlockNumber, TxHash: log.TxHash}, nil
}

// logSignature reads (R.X, R.Y, S) as the contract checked it: R a curve
// point, every part reduced.
func logSignature(parts [3]*big.Int) (vm.Signature, error) {
	for _, p := range parts {
		if p == nil || p.Sign() < 0 {
			return vm.Signature{}, errors.New("missing part")
		}
	}
	if parts[0].BitLen() > 254 || parts[1].BitLen() > 254 || parts[2].BitLen() > 253 {
		return vm.Signature{}, errors.New("out of range")
	}
	sig := vm.SignatureFromParts(parts[0], parts[1], parts[2])
	rx, ry, _ := sig.Parts()
	if rx.BigInt(new(big.Int)).Cmp(parts[0]) != 0 || ry.BigInt(new(big.Int)).Cmp(parts[1]) != 0 {
		return vm.Signature{}, errors.New("R is not a curve point")
	}
	return sig, nil
}

// DecodeFullExitLog parses a Rollup FullExitRequested log, checking its
// shape and that the signature is in the form the contract accepts.
func DecodeFullExitLog(log *types.Log) (*Deposit, error) {
	// FullExitRequested(uint64 indexed, uint32 indexed, uint32, address, uint256 x4)
	if len(log.Topics) != 3 || log.Topics[0] != fullExitTopic || len(log.Data) != 6*32 {
		return nil, fmt.Errorf("bridge: malformed full-exit log (tx %s index %d): %d topics, %d data bytes", log.TxHash, log.Index, len(log.Topics), len(log.Data))
	}
	ev, err := rollupABI.UnpackFullExitRequestedEvent(log)
	if err != nil {
		return nil, fmt.Errorf("bridge: malformed full-exit log (tx %s index %d): %w", log.TxHash, log.Index, err)
	}
	if ev.RX == nil || ev.RY == nil || ev.S == nil || ev.RX.BitLen() > 254 || ev.RY.BitLen() > 254 || ev.S.BitLen() > 253 {
		return nil, fmt.Errorf("bridge: full exit %d: signature out of range", ev.Index)
	}
	if ev.To == (common.Address{}) {
		return nil, fmt.Errorf("bridge: full exit %d: zero recipient", ev.Index)
	}
	sig := vm.SignatureFromParts(ev.RX, ev.RY, ev.S)
	rx, ry, _ := sig.Parts()
	if rx.BigInt(new(big.Int)).Cmp(ev.RX) != 0 || ry.BigInt(new(big.Int)).Cmp(ev.RY) != 0 {
		return nil, fmt.Errorf("bridge: full exit %d: R is not a curve point", ev.Index)
	}
	return &Deposit{PriorityRequest: vm.PriorityRequest{ID: ev.Index, Kind: vm.TxFullExit, Account: ev.Account, Nonce: ev.Nonce, To: ev.To, Sig: sig},
		Block: log.BlockNumber, TxHash: log.TxHash}, nil
}

// DecodeDepositLog parses a Rollup Deposit log. Logs come from an L1
// endpoint Keel does not control, so everything is checked: the event
// signature, the encoding, and that the key is a valid L2 key.
func DecodeDepositLog(log *types.Log) (*Deposit, error) {
	// Deposit(uint64 indexed, address indexed, bytes32, uint64, uint256):
	// three topics and three data words. The ABI decoder tolerates short
	// data with nil fields, so check the shape first.
	if len(log.Topics) != 3 || log.Topics[0] != depositTopic || len(log.Data) != 3*32 {
		return nil, fmt.Errorf("bridge: malformed deposit log (tx %s index %d): %d topics, %d data bytes", log.TxHash, log.Index, len(log.Topics), len(log.Data))
	}
	ev, err := rollupABI.UnpackDepositEvent(log)
	if err != nil {
		return nil, fmt.Errorf("bridge: malformed deposit log (tx %s index %d): %w", log.TxHash, log.Index, err)
	}
	// Any 32 bytes whose y is a field element is a deposit the batch
	// consumes, credited or refunded (vm.DepositKey); the contract refuses
	// the rest, so a log with one is not the Rollup's.
	key := vm.DepositKey(ev.Key)
	if err := key.CheckCanonical(); err != nil {
		return nil, fmt.Errorf("bridge: deposit %d: %w", ev.Index, err)
	}
	if ev.AmountGwei == 0 {
		return nil, fmt.Errorf("bridge: deposit %d: zero amount", ev.Index)
	}
	return &Deposit{PriorityRequest: vm.PriorityRequest{ID: ev.Index, Kind: vm.TxDeposit, Key: key, Amount: ev.AmountGwei, From: ev.From},
		Block: log.BlockNumber, TxHash: log.TxHash}, nil
}

var rollupABI = l1contracts.NewRollup()

var (
	depositTopic  = rollupABI.GetABI().Events[l1contracts.RollupDepositEventName].ID
	fullExitTopic = rollupABI.GetABI().Events[l1contracts.RollupFullExitRequestedEventName].ID
	// forcedChallengeTopic is Rollup.ChannelChallengeRequested's.
	forcedChallengeTopic = rollupABI.GetABI().Events[l1contracts.RollupChannelChallengeRequestedEventName].ID
)

// WatcherConfig configures a Watcher.
type WatcherConfig struct {
	// Rollup is the contract's address.
	Rollup common.Address
	// Confirmations is how deep a block must be before its logs count.
	Confirmations uint64
	// StartBlock is where to begin on first run (the contract's deploy block).
	StartBlock uint64
	// PollInterval is the pause between polls.
	PollInterval time.Duration
	// MaxRange bounds the blocks of one eth_getLogs call.
	MaxRange uint64
}

// Validate fills defaults and checks the config.
func (c *WatcherConfig) Validate() error {
	if c.Rollup == (common.Address{}) {
		return errors.New("bridge: watcher needs the Rollup address")
	}
	if c.PollInterval <= 0 {
		c.PollInterval = 2 * time.Second
	}
	if c.MaxRange == 0 {
		c.MaxRange = 2000
	}
	return nil
}

// DepositSink receives confirmed deposits in queue order. It must be
// idempotent by ID: after a crash the watcher may deliver again the
// deposits it delivered just before.
type DepositSink func(ctx context.Context, deposits []*Deposit) error

// Watcher follows the Rollup's deposits on L1.
type Watcher struct {
	cfg    WatcherConfig
	client L1Client
	store  CursorStore
	sink   DepositSink
	log    zerolog.Logger

	mu     sync.Mutex
	cancel context.CancelFunc
	done   chan struct{}
	// lastErr is the latest poll error, for status and tests.
	lastErr error
}

// NewWatcher returns a watcher delivering to sink.
func NewWatcher(cfg WatcherConfig, client L1Client, store CursorStore, sink DepositSink, log zerolog.Logger) (*Watcher, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &Watcher{cfg: cfg, client: client, store: store, sink: sink, log: log.With().Str("component", "l1-watcher").Logger()}, nil
}

// Poll reads the newly confirmed blocks once and delivers their deposits.
// It returns how many it delivered.
func (w *Watcher) Poll(ctx context.Context) (int, error) {
	cur, ok, err := w.store.LoadCursor()
	if err != nil {
		return 0, err
	}
	if !ok {
		cur = Cursor{Block: w.cfg.StartBlock}
		if w.cfg.StartBlock > 0 {
			h, err := w.client.HeaderByNumber(ctx, new(big.Int).SetUint64(w.cfg.StartBlock-1))
			if err != nil {
				return 0, fmt.Errorf("bridge: start block header: %w", err)
			}
			cur = Cursor{Block: w.cfg.StartBlock - 1, Hash: h.Hash()}
		}
	}
	head, err := w.client.BlockNumber(ctx)
	if err != nil {
		return 0, fmt.Errorf("bridge: L1 head: %w", err)
	}
	if head < w.cfg.Confirmations {
		return 0, nil
	}
	safe := head - w.cfg.Confirmations
	// The block the cursor stands on must still be canonical: if a reorg
	// reached that deep, logs we delivered may be gone.
	if cur.Hash != (common.Hash{}) {
		h, err := w.client.HeaderByNumber(ctx, new(big.Int).SetUint64(cur.Block))
		if err != nil {
			return 0, fmt.Errorf("bridge: cursor header: %w", err)
		}
		if h.Hash() != cur.Hash {
			return 0, fmt.Errorf("%w: block %d was %s, is now %s", ErrDeepReorg, cur.Block, cur.Hash, h.Hash())
		}
	}
	delivered := 0
	for cur.Block < safe {
		from := cur.Block + 1
		if cur.Hash == (common.Hash{}) && cur.Block == 0 {
			from = 0
		}
		to := min(safe, from+w.cfg.MaxRange-1)
		logs, err := w.client.FilterLogs(ctx, ethereum.FilterQuery{
			FromBlock: new(big.Int).SetUint64(from), ToBlock: new(big.Int).SetUint64(to),
			Addresses: []common.Address{w.cfg.Rollup}, Topics: [][]common.Hash{{depositTopic, fullExitTopic, forcedChallengeTopic}},
		})
		if err != nil {
			return delivered, fmt.Errorf("bridge: get logs %d..%d: %w", from, to, err)
		}
		var fresh []*Deposit
		digests := map[uint64][32]byte{}
		next := cur.NextDeposit
		for i := range logs {
			if logs[i].Removed {
				continue // only confirmed ranges are read, but be safe
			}
			d, err := DecodePriorityLog(&logs[i])
			if err != nil {
				return delivered, err
			}
			dg := d.digest()
			if d.ID < next {
				old, ok, err := w.store.DepositDigest(d.ID)
				if err != nil {
					return delivered, err
				}
				if ok && old != dg {
					return delivered, fmt.Errorf("%w: index %d", ErrDepositConflict, d.ID)
				}
				continue // seen before: never credit twice
			}
			if d.ID > next {
				return delivered, fmt.Errorf("%w: expected %d, got %d", ErrDepositGap, next, d.ID)
			}
			fresh = append(fresh, d)
			digests[d.ID] = dg
			next++
		}
		h, err := w.client.HeaderByNumber(ctx, new(big.Int).SetUint64(to))
		if err != nil {
			return delivered, fmt.Errorf("bridge: header %d: %w", to, err)
		}
		// Deliver first, then advance the cursor: a crash in between means
		// a second delivery, which the sink ignores by index.
		if len(fresh) > 0 {
			if err := w.sink(ctx, fresh); err != nil {
				return delivered, fmt.Errorf("bridge: deliver deposits: %w", err)
			}
		}
		cur = Cursor{Block: to, Hash: h.Hash(), NextDeposit: next}
		if err := w.store.SaveDeposits(digests, cur); err != nil {
			return delivered, err
		}
		delivered += len(fresh)
	}
	return delivered, nil
}

var _ interface {
	Start(context.Context) error
	Stop(context.Context) error
} = (*Watcher)(nil)

// Start polls in the background until Stop. Temporary errors are logged
// and retried; a critical one stops the loop (see Err).
func (w *Watcher) Start(ctx context.Context) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.cancel != nil {
		return errors.New("bridge: watcher already started")
	}
	loop, cancel := context.WithCancel(context.Background())
	w.cancel, w.done = cancel, make(chan struct{})
	go func() {
		defer close(w.done)
		t := time.NewTicker(w.cfg.PollInterval)
		defer t.Stop()
		for {
			n, err := w.Poll(loop)
			w.mu.Lock()
			w.lastErr = err
			w.mu.Unlock()
			if err != nil && loop.Err() == nil {
				if Classify(err) == Critical {
					w.log.Error().Err(err).Msg("L1 watcher halted")
					return
				}
				w.log.Warn().Err(err).Msg("L1 unavailable; retrying")
			} else if n > 0 {
				w.log.Info().Int("deposits", n).Msg("deposits confirmed")
			}
			select {
			case <-t.C:
			case <-loop.Done():
				return
			}
		}
	}()
	return nil
}

// Stop ends the loop and waits for it, or for ctx.
func (w *Watcher) Stop(ctx context.Context) error {
	w.mu.Lock()
	cancel, done := w.cancel, w.done
	w.mu.Unlock()
	if cancel == nil {
		return nil
	}
	cancel()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Err returns the latest poll error.
func (w *Watcher) Err() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.lastErr
}
