package l1view

import (
	"context"
	"errors"
	"fmt"
	"math/big"

	"github.com/consensys/gnark/backend/groth16"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/keel-rollup/keel/bridge"
	"github.com/keel-rollup/keel/l1contracts"
	"github.com/keel-rollup/keel/prover"
	"github.com/keel-rollup/keel/vm"
)

// Check is one verdict of VerifyBatch.
type Check struct {
	Name   string `json:"name"`
	OK     bool   `json:"ok"`
	Detail string `json:"detail"`
}

// Verdict is what VerifyBatch found about one batch.
type Verdict struct {
	Batch  uint64  `json:"batch"`
	Valid  bool    `json:"valid"`
	Checks []Check `json:"checks"`
}

func (v *Verdict) add(name string, ok bool, format string, args ...any) {
	v.Checks = append(v.Checks, Check{Name: name, OK: ok, Detail: fmt.Sprintf(format, args...)})
}

// Failed returns the first failed check, or nil.
func (v *Verdict) Failed() *Check {
	for i := range v.Checks {
		if !v.Checks[i].OK {
			return &v.Checks[i]
		}
	}
	return nil
}

// L1Rollup is a Rollup deployment's history as read from L1, rebuilt into
// L2 state: what `keel verify` and a follower work from.
type L1Rollup struct {
	Config   vm.Config // the rules, from the contract (ReadParams)
	Verifier common.Address
	Batches  []bridge.CommittedBatch
	Deposits []*bridge.Deposit
	// ReadTo is the last L1 block read; Extend reads on from there.
	ReadTo uint64

	history *bridge.History
}

// Params are a Rollup's rules as its contract records them: the L2 chain
// id, the tree depth, the batch size, the operator's fee account and the
// batch verifier.
type Params struct {
	Config   vm.Config
	Verifier common.Address
}

// ReadParams reads the Rollup's rules from its contract. Everything that
// checks the rollup from L1 starts here, so no one needs to be told the
// depth or the batch size, and nothing guesses them.
func ReadParams(ctx context.Context, client bridge.L1Client, rollup common.Address) (*Params, error) {
	r := l1contracts.NewRollup()
	inst := r.Instance(client, rollup)
	opts := &bind.CallOpts{Context: ctx}
	chainID, err := bind.Call(inst, opts, r.PackChainId(), r.UnpackChainId)
	if err != nil {
		return nil, fmt.Errorf("l1view: read the Rollup at %s (is it a Keel Rollup?): %w", rollup, err)
	}
	depth, err := bind.Call(inst, opts, r.PackDepth(), r.UnpackDepth)
	if err != nil {
		return nil, fmt.Errorf("l1view: read the Rollup's depth: %w", err)
	}
	operator, err := bind.Call(inst, opts, r.PackOperatorAccount(), r.UnpackOperatorAccount)
	if err != nil {
		return nil, fmt.Errorf("l1view: read the Rollup's operator: %w", err)
	}
	slots, err := bind.Call(inst, opts, r.PackSlots(), r.UnpackSlots)
	if err != nil {
		return nil, fmt.Errorf("l1view: read the Rollup's batch size: %w", err)
	}
	verifier, err := bind.Call(inst, opts, r.PackVerifier(), r.UnpackVerifier)
	if err != nil {
		return nil, fmt.Errorf("l1view: read the Rollup's verifier: %w", err)
	}
	cfg := vm.Config{ChainID: chainID, Depth: int(depth), Operator: operator, Slots: int(slots)}
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("l1view: the Rollup at %s records rules Keel cannot run: %w", rollup, err)
	}
	return &Params{Config: cfg, Verifier: verifier}, nil
}

// ReadL1Rollup reads the contract's parameters, deposits and committed
// batches from L1, from block from on.
func ReadL1Rollup(ctx context.Context, client bridge.L1Client, rollup common.Address, from uint64) (*L1Rollup, error) {
	p, err := ReadParams(ctx, client, rollup)
	if err != nil {
		return nil, err
	}
	cfg, verifier := p.Config, p.Verifier
	l := &L1Rollup{Config: cfg, Verifier: verifier, history: bridge.NewHistory(client, rollup, from)}
	if from > 0 {
		l.ReadTo = from - 1
	}
	head, err := client.BlockNumber(ctx)
	if err != nil {
		return nil, fmt.Errorf("l1view: L1 head: %w", err)
	}
	if err := l.readTo(ctx, head, from == 0); err != nil {
		return nil, err
	}
	return l, nil
}

// Extend reads what L1 holds since the last read and returns the rollup
// with it appended; l itself is not changed, so readers of l may go on
// concurrently. A follower calls it on every poll: the cost is the new
// blocks, not the whole history.
func (l *L1Rollup) Extend(ctx context.Context, client bridge.L1Client) (*L1Rollup, error) {
	head, err := client.BlockNumber(ctx)
	if err != nil {
		return nil, fmt.Errorf("l1view: L1 head: %w", err)
	}
	next := *l
	if head <= l.ReadTo {
		return &next, nil
	}
	if err := next.readTo(ctx, head, false); err != nil {
		return nil, err
	}
	return &next, nil
}

// readTo appends the requests and batches of blocks ReadTo+1 (or from the
// start, for a first read from block 0) to head.
func (l *L1Rollup) readTo(ctx context.Context, head uint64, fromStart bool) error {
	from := l.ReadTo + 1
	if fromStart {
		from = 0
	}
	h := l.history.Resume(from, uint64(len(l.Deposits)), uint64(len(l.Batches))+1)
	deps, err := h.Deposits(ctx, head)
	if err != nil {
		return err
	}
	batches, err := h.Batches(ctx, head)
	if err != nil {
		return err
	}
	l.Deposits = append(l.Deposits[:len(l.Deposits):len(l.Deposits)], deps...)
	l.Batches = append(l.Batches[:len(l.Batches):len(l.Batches)], batches...)
	l.ReadTo = head
	return nil
}

func (l *L1Rollup) deposit(id uint64) (vm.PriorityRequest, error) {
	if id >= uint64(len(l.Deposits)) {
		return vm.PriorityRequest{}, fmt.Errorf("no deposit %d on L1", id)
	}
	return l.Deposits[id].PriorityRequest, nil
}

// Rebuild replays batches 1..upTo from their public data onto store
// (which must hold the state after some earlier batch, genesis included)
// and checks each against the root L1 recorded.
func (l *L1Rollup) Rebuild(store vm.Store, upTo uint64) error {
	head, err := store.Head()
	if err != nil {
		return err
	}
	for n := head.BatchNumber + 1; n <= upTo; n++ {
		b := &l.Batches[n-1]
		cs, err := vm.ReplayPublicData(l.Config, store.ReaderAt(head.BatchNumber), head, b.Timestamp, b.PublicData, l.deposit)
		if err != nil {
			return fmt.Errorf("batch %d: %w", n, err)
		}
		if cs.Meta.Root.BigInt(new(big.Int)).Cmp(b.NewRoot) != 0 {
			return fmt.Errorf("%w: batch %d re-executes to root %x, L1 recorded %x", vm.ErrReplay, n, cs.Meta.Root.Bytes(), b.NewRoot)
		}
		if err := store.Commit(cs); err != nil {
			return err
		}
		head = cs.Meta
	}
	return nil
}

// VerifyBatch checks batch n from L1 data alone: it rebuilds the state
// before it from L1 (every earlier batch's public data and the deposit
// queue), recomputes the public input from the batch's calldata, checks
// the proof with the Rollup's own verifier contract and, when vk is given,
// with gnark against that key, and re-executes the public data to compare
// the new root with the one L1 recorded. client is only read.
func VerifyBatch(ctx context.Context, client bridge.L1Client, l *L1Rollup, n uint64, vk groth16.VerifyingKey) (*Verdict, error) {
	if n == 0 || n > uint64(len(l.Batches)) {
		return nil, fmt.Errorf("l1view: batch %d is not committed on L1 (the last is %d)", n, len(l.Batches))
	}
	store := vm.NewMemStore(l.Config.Depth)
	if err := l.Rebuild(store, n-1); err != nil {
		return nil, fmt.Errorf("l1view: rebuild the state before batch %d: %w", n, err)
	}
	before, err := store.Head()
	if err != nil {
		return nil, err
	}
	return CheckBatch(ctx, client, l, before, store.ReaderAt(before.BatchNumber), l.Batches[n-1], vk)
}

// CheckBatch is VerifyBatch's judgement of one batch b on the state before
// it (before, read by base). It takes b by value so that a caller (a test)
// can hand it a tampered copy.
func CheckBatch(ctx context.Context, client bridge.L1Client, l *L1Rollup, before vm.Meta, base vm.NodeReader, b bridge.CommittedBatch, vk groth16.VerifyingKey) (*Verdict, error) {
	v := &Verdict{Batch: b.Number}
	// The claimed state after: the new root and queue position from the
	// calldata, the queue hash from the L1 deposits.
	after := vm.Meta{BatchNumber: b.Number, PriorityCount: b.PrioConsumed, Timestamp: b.Timestamp}
	var newRoot vm.Element
	if b.NewRoot == nil || b.NewRoot.BitLen() > 256 {
		v.add("calldata", false, "the new root is not a 256-bit value")
		return v, nil
	}
	newRoot.SetBigInt(b.NewRoot)
	after.Root = newRoot
	after.PriorityHash = before.PriorityHash
	if b.PrioConsumed < before.PriorityCount || b.PrioConsumed > uint64(len(l.Deposits)) {
		v.add("calldata", false, "claims %d deposits consumed; %d were before and %d exist", b.PrioConsumed, before.PriorityCount, len(l.Deposits))
		return v, nil
	}
	for i := before.PriorityCount; i < b.PrioConsumed; i++ {
		// A deposit and a full exit hash differently: the request's own
		// ChainHash picks the rule.
		after.PriorityHash = l.Deposits[i].ChainHash(after.PriorityHash)
	}
	commitment := vm.BatchCommitment(l.Config.ChainID, l.Config.Operator, before, after, b.PublicData)
	input := commitment.BigInt(new(big.Int))
	v.add("public input", b.Commitment == nil || b.Commitment.Cmp(input) == 0,
		"recomputed from the calldata and the L1 state: %#x (the contract's event: %#x)", input, b.Commitment)

	// The proof, by the contract's own verifier.
	verifier := l1contracts.NewVerifier()
	_, err := bind.Call(verifier.Instance(client, l.Verifier), &bind.CallOpts{Context: ctx}, verifier.PackVerifyProof(b.Proof, [1]*big.Int{input}), func([]byte) (struct{}, error) { return struct{}{}, nil })
	v.add("proof (on-chain verifier)", err == nil, "%s", okOr(err, "verifyProof accepts it at "+l.Verifier.Hex()))

	// The proof, by gnark, against a verifying key this machine holds.
	if vk != nil {
		p, err := prover.ProofFromSolidity(b.Proof, b.Number, commitment)
		if err == nil {
			err = prover.Verify(vk, p)
		}
		v.add("proof (gnark, local key)", err == nil, "%s", okOr(err, "groth16.Verify accepts it"))
	}

	// Re-execution of the public data on the previous state.
	cs, err := vm.ReplayPublicData(l.Config, base, before, b.Timestamp, b.PublicData, l.deposit)
	switch {
	case errors.Is(err, vm.ErrReplay), errors.Is(err, vm.ErrTimestamp):
		v.add("re-execution", false, "%v", err)
	case err != nil:
		return nil, err
	case cs.Meta.Root != newRoot:
		rb, nb := cs.Meta.Root.Bytes(), newRoot.Bytes()
		v.add("re-execution", false, "the public data leads to root %x, the batch claims %x", rb, nb)
	default:
		rb := newRoot.Bytes()
		v.add("re-execution", true, "the public data on batch %d's state leads to the claimed root %x", before.BatchNumber, rb)
	}
	v.Valid = v.Failed() == nil
	return v, nil
}

func okOr(err error, ok string) string {
	if err != nil {
		return err.Error()
	}
	return ok
}
