package bridge

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"maps"
	"math/big"
	"slices"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/rs/zerolog"
)

// Batch is a proven batch ready for L1.
type Batch struct {
	Number       uint64
	NewRoot      *big.Int
	PrioConsumed uint64
	Timestamp    uint64 // vm.Meta.Timestamp of the batch
	PublicData   []byte
	Proof        []byte // 256 bytes, prover.Proof.SolidityBytes
}

// SubmitterConfig configures a Submitter.
type SubmitterConfig struct {
	Rollup common.Address
	// Key is the registered sequencer's key.
	Key *ecdsa.PrivateKey
	// ResubmitAfter is how long a transaction may stay unmined before its
	// fee is bumped.
	ResubmitAfter time.Duration
	// BumpPercent raises the tip and fee cap on each resubmission (at
	// least the 10% geth's txpool requires for a replacement).
	BumpPercent int64
	// MaxFeeCap bounds the fee cap, in wei per gas.
	MaxFeeCap *big.Int
	// GasLimit is the commit's gas limit; 0 estimates it.
	GasLimit uint64
	// Confirmations is how deep a commit's block must be before Poll calls
	// its batch done. Until then a reorg can undo the commit, and the
	// submitter keeps the batch in flight (see Poll).
	Confirmations uint64
}

// Validate fills defaults and checks the config.
func (c *SubmitterConfig) Validate() error {
	if c.Rollup == (common.Address{}) || c.Key == nil {
		return errors.New("bridge: submitter needs the Rollup address and the sequencer key")
	}
	if c.ResubmitAfter <= 0 {
		c.ResubmitAfter = 30 * time.Second
	}
	if c.BumpPercent < 10 {
		c.BumpPercent = 25
	}
	if c.MaxFeeCap == nil {
		c.MaxFeeCap = big.NewInt(500e9) // 500 gwei
	}
	return nil
}

// inflight is the latest transaction sent for a batch.
type inflight struct {
	batch  Batch
	tx     *types.Transaction
	sentAt time.Time
}

// Submitter commits proven batches to the Rollup, in order, exactly once.
type Submitter struct {
	cfg    SubmitterConfig
	client L1Client
	from   common.Address
	chain  *big.Int
	inst   *bind.BoundContract
	log    zerolog.Logger
	now    func() time.Time
	sent   map[uint64]*inflight
	// lastGas is the latest commit estimate, for batches queued behind it.
	lastGas uint64
}

// defaultCommitGas covers a 32-slot commit with room; queued batches get at
// least this much.
const defaultCommitGas = 3_000_000

// NewSubmitter returns a submitter. It holds no state that matters across
// restarts: what is on chain and the key's confirmed nonce say it all.
func NewSubmitter(ctx context.Context, cfg SubmitterConfig, client L1Client, log zerolog.Logger) (*Submitter, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	chain, err := client.ChainID(ctx)
	if err != nil {
		return nil, fmt.Errorf("bridge: chain id: %w", err)
	}
	s := &Submitter{
		cfg: cfg, client: client, chain: chain, from: crypto.PubkeyToAddress(cfg.Key.PublicKey),
		inst: rollupABI.Instance(client, cfg.Rollup), log: log.With().Str("component", "l1-submitter").Logger(),
		now: time.Now, sent: map[uint64]*inflight{},
	}
	seq, err := bind.Call(s.inst, &bind.CallOpts{Context: ctx}, rollupABI.PackSequencer(), rollupABI.UnpackSequencer)
	if err != nil {
		return nil, fmt.Errorf("bridge: read sequencer: %w", err)
	}
	if seq != s.from {
		return nil, fmt.Errorf("%w: key is %s, Rollup expects %s", ErrNotSequencer, s.from, seq)
	}
	return s, nil
}

// OnChainBatch returns the Rollup's latest verified batch number.
func (s *Submitter) OnChainBatch(ctx context.Context) (uint64, error) {
	n, err := bind.Call(s.inst, &bind.CallOpts{Context: ctx}, rollupABI.PackBatchNumber(), rollupABI.UnpackBatchNumber)
	if err != nil {
		return 0, fmt.Errorf("bridge: read batch number: %w", err)
	}
	return n, nil
}

// ConfirmedBatch returns the Rollup's batch number as of Confirmations
// blocks below the L1 head: the batches no shallow reorg can undo.
func (s *Submitter) ConfirmedBatch(ctx context.Context) (uint64, error) {
	if s.cfg.Confirmations == 0 {
		return s.OnChainBatch(ctx)
	}
	head, err := s.client.BlockNumber(ctx)
	if err != nil {
		return 0, fmt.Errorf("bridge: L1 head: %w", err)
	}
	if head < s.cfg.Confirmations {
		return 0, nil
	}
	at := new(big.Int).SetUint64(head - s.cfg.Confirmations)
	n, err := bind.Call(s.inst, &bind.CallOpts{Context: ctx, BlockNumber: at}, rollupABI.PackBatchNumber(), rollupABI.UnpackBatchNumber)
	if err != nil {
		return 0, fmt.Errorf("bridge: read batch number at block %s: %w", at, err)
	}
	return n, nil
}

// Submit sends b, or does nothing if it is already on chain or already in
// flight. Batch n's nonce is fixed by the chain (see the package doc), so
// re-sending after a crash replaces rather than duplicates.
func (s *Submitter) Submit(ctx context.Context, b Batch) error {
	// The batch number and the nonce are read at one block: read at two,
	// a commit mined in between would shift the nonce by one, and the
	// batch would collide with, or leave a gap behind, its neighbours.
	head, err := s.client.HeaderByNumber(ctx, nil)
	if err != nil {
		return fmt.Errorf("bridge: head: %w", err)
	}
	onChain, err := bind.Call(s.inst, &bind.CallOpts{Context: ctx, BlockNumber: head.Number}, rollupABI.PackBatchNumber(), rollupABI.UnpackBatchNumber)
	if err != nil {
		return fmt.Errorf("bridge: read batch number: %w", err)
	}
	if b.Number <= onChain {
		delete(s.sent, b.Number)
		return nil
	}
	if _, ok := s.sent[b.Number]; ok {
		return nil
	}
	nonce, err := s.client.NonceAt(ctx, s.from, head.Number)
	if err != nil {
		return fmt.Errorf("bridge: confirmed nonce: %w", err)
	}
	if b.Number > onChain+1 {
		if _, ok := s.sent[b.Number-1]; !ok {
			return fmt.Errorf("%w: batch %d before %d", ErrOutOfOrder, b.Number, b.Number-1)
		}
	}
	nonce += b.Number - onChain - 1
	tip, err := s.client.SuggestGasTipCap(ctx)
	if err != nil {
		return fmt.Errorf("bridge: tip: %w", err)
	}
	feeCap := new(big.Int).Add(tip, new(big.Int).Mul(head.BaseFee, big.NewInt(2)))
	// Only the next batch can be estimated against the chain's state; the
	// ones queued behind it get a generous limit derived from it.
	tx, err := s.send(ctx, b, nonce, tip, feeCap, b.Number == onChain+1)
	if err != nil {
		return err
	}
	s.sent[b.Number] = &inflight{batch: b, tx: tx, sentAt: s.now()}
	s.log.Info().Uint64("batch", b.Number).Uint64("nonce", nonce).Str("tx", tx.Hash().Hex()).Msg("batch submitted")
	return nil
}

func (s *Submitter) send(ctx context.Context, b Batch, nonce uint64, tip, feeCap *big.Int, estimate bool) (*types.Transaction, error) {
	if feeCap.Cmp(s.cfg.MaxFeeCap) > 0 {
		return nil, fmt.Errorf("%w: %s > %s wei", ErrFeeCap, feeCap, s.cfg.MaxFeeCap)
	}
	data := rollupABI.PackCommitBatch(b.NewRoot, b.PrioConsumed, b.Timestamp, b.PublicData, b.Proof)
	gas := s.cfg.GasLimit
	if !estimate && gas == 0 {
		gas = s.gasOf(b.Number)
	}
	if gas == 0 && estimate {
		est, err := s.client.EstimateGas(ctx, ethereum.CallMsg{From: s.from, To: &s.cfg.Rollup, Data: data})
		if err != nil {
			return nil, classifyRevert(b.Number, err)
		}
		gas = est + est/5
		s.lastGas = gas
	}
	if gas == 0 {
		// Withdrawals make a commit dearer than the one estimated, and an
		// unused gas limit costs nothing: be generous.
		gas = max(2*s.lastGas, defaultCommitGas)
	}
	// A transaction of ours with this nonce may already wait in the pool,
	// sent before a restart with fees this process does not know: the
	// pool replaces it only for fees at least 10% higher, so double them
	// (within MaxFeeCap) until it does.
	for range 4 {
		tx := types.NewTx(&types.DynamicFeeTx{ChainID: s.chain, Nonce: nonce, GasTipCap: tip, GasFeeCap: feeCap, Gas: gas, To: &s.cfg.Rollup, Data: data})
		signed, err := types.SignTx(tx, types.LatestSignerForChainID(s.chain), s.cfg.Key)
		if err != nil {
			return nil, fmt.Errorf("bridge: sign: %w", err)
		}
		err = s.client.SendTransaction(ctx, signed)
		switch {
		case err == nil, err != nil && strings.Contains(err.Error(), "already known"):
			return signed, nil
		case strings.Contains(err.Error(), "replacement transaction underpriced"):
			tip, feeCap = new(big.Int).Mul(tip, big.NewInt(2)), new(big.Int).Mul(feeCap, big.NewInt(2))
			if feeCap.Cmp(s.cfg.MaxFeeCap) > 0 {
				return nil, fmt.Errorf("%w: replacing an earlier transaction of batch %d's nonce needs more than %s wei", ErrFeeCap, b.Number, s.cfg.MaxFeeCap)
			}
			s.log.Warn().Uint64("batch", b.Number).Uint64("nonce", nonce).Msg("an earlier transaction holds this nonce; doubling the fees to replace it")
		default:
			return nil, fmt.Errorf("bridge: send batch %d: %w", b.Number, err)
		}
	}
	return nil, fmt.Errorf("bridge: send batch %d: the pool refused to replace the transaction holding nonce %d", b.Number, nonce)
}

// gasOf returns the gas limit batch n was last sent with.
func (s *Submitter) gasOf(n uint64) uint64 {
	if f, ok := s.sent[n]; ok {
		return f.tx.Gas()
	}
	return 0
}

// classifyRevert turns a failed gas estimate into an error: a revert of
// the Rollup's own checks is critical.
func classifyRevert(batch uint64, err error) error {
	msg := err.Error()
	if strings.Contains(msg, "revert") {
		return fmt.Errorf("%w: batch %d: %v", ErrReverted, batch, err)
	}
	return fmt.Errorf("bridge: estimate gas for batch %d: %w", batch, err)
}

// Poll checks the batches in flight: ones committed Confirmations deep
// are done, reverted ones are critical, and ones unmined for ResubmitAfter
// are sent again with the same nonce and a higher fee. It returns the
// batches that reached L1 for good.
//
// A commit mined but not yet deep stays in flight: if a reorg drops its
// block, L1 nodes put the transaction back in their pools and it is mined
// again; if it is lost instead, the resubmission timer sends it again.
func (s *Submitter) Poll(ctx context.Context) ([]uint64, error) {
	onChain, err := s.ConfirmedBatch(ctx)
	if err != nil {
		return nil, err
	}
	var done []uint64
	// In batch order: the node finalizes what Poll returns one by one,
	// and a later batch final before an earlier one would skip it.
	for _, n := range slices.Sorted(maps.Keys(s.sent)) {
		f := s.sent[n]
		if n <= onChain {
			done = append(done, n)
			delete(s.sent, n)
			continue
		}
		r, err := s.client.TransactionReceipt(ctx, f.tx.Hash())
		if err == nil && r.Status != types.ReceiptStatusSuccessful {
			return done, fmt.Errorf("%w: batch %d in tx %s", ErrReverted, n, f.tx.Hash())
		}
		if err != nil && !errors.Is(err, ethereum.NotFound) {
			return done, fmt.Errorf("bridge: receipt: %w", err)
		}
		if err == nil || s.now().Sub(f.sentAt) < s.cfg.ResubmitAfter {
			continue
		}
		bump := func(v *big.Int) *big.Int {
			out := new(big.Int).Mul(v, big.NewInt(100+s.cfg.BumpPercent))
			return out.Div(out, big.NewInt(100))
		}
		tx, err := s.send(ctx, f.batch, f.tx.Nonce(), bump(f.tx.GasTipCap()), bump(f.tx.GasFeeCap()), false)
		if err != nil {
			return done, err
		}
		s.log.Warn().Uint64("batch", n).Str("tx", tx.Hash().Hex()).Str("tip", tx.GasTipCap().String()).Msg("batch not mined; fee bumped")
		s.sent[n] = &inflight{batch: f.batch, tx: tx, sentAt: s.now()}
	}
	return done, nil
}

// InFlight returns the transaction hash sent last for batch n.
func (s *Submitter) InFlight(n uint64) (common.Hash, bool) {
	f, ok := s.sent[n]
	if !ok {
		return common.Hash{}, false
	}
	return f.tx.Hash(), true
}
