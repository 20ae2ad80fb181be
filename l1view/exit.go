package l1view

import (
	"context"
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/keel-rollup/keel/bridge"
	"github.com/keel-rollup/keel/l1contracts"
	"github.com/keel-rollup/keel/prover"
	"github.com/keel-rollup/keel/vm"
)

// Exodus: when the sequencer stops or censors, users leave with nothing
// but an L1 endpoint and the keel binary. ReadExodus says whether the
// Rollup is in exodus mode or may be switched into it; PrepareExit rebuilds
// the last verified state from L1 calldata alone (as keel verify and the
// follower do), finds the user's account, signs its exit and proves it with
// the exit circuit's keys. client.ActivateExodus, client.SubmitExit,
// client.RefundDeposit and client.Claim send the transactions.

// ExodusStatus is the Rollup's exodus state as read from L1.
type ExodusStatus struct {
	Active bool `json:"active"`
	// Delay is the contract's deadline for priority requests, in blocks.
	Delay uint64 `json:"delay"`
	// Head is the L1 block the status was read at.
	Head uint64 `json:"head"`
	// Requests is how many priority requests (deposits) were ever made,
	// Consumed how many verified batches consumed.
	Requests uint64 `json:"requests"`
	Consumed uint64 `json:"consumed"`
	// Waiting is set when a request waits: the oldest one's block, and the
	// last block before anyone may activate exodus.
	Waiting       bool   `json:"waiting"`
	OldestBlock   uint64 `json:"oldestBlock,omitempty"`
	DeadlineBlock uint64 `json:"deadlineBlock,omitempty"`
	// CanActivate says whether activateExodus would succeed now.
	CanActivate bool `json:"canActivate"`
	// Batch and Root are the last verified batch and its state root, the
	// state exits are proven against.
	Batch uint64      `json:"batch"`
	Root  common.Hash `json:"root"`
}

// ReadExodus reads the Rollup's exodus state.
func ReadExodus(ctx context.Context, client bridge.L1Client, rollup common.Address) (*ExodusStatus, error) {
	r := l1contracts.NewRollup()
	inst := r.Instance(client, rollup)
	head, err := client.BlockNumber(ctx)
	if err != nil {
		return nil, fmt.Errorf("l1view: L1 head: %w", err)
	}
	opts := &bind.CallOpts{Context: ctx, BlockNumber: new(big.Int).SetUint64(head)}
	var st ExodusStatus
	st.Head = head
	if st.Active, err = bind.Call(inst, opts, r.PackExodusMode(), r.UnpackExodusMode); err != nil {
		return nil, fmt.Errorf("l1view: read the Rollup at %s (is it a Keel Rollup with exodus mode?): %w", rollup, err)
	}
	if st.Delay, err = bind.Call(inst, opts, r.PackExodusDelay(), r.UnpackExodusDelay); err != nil {
		return nil, err
	}
	if st.Requests, err = bind.Call(inst, opts, r.PackPrioCount(), r.UnpackPrioCount); err != nil {
		return nil, err
	}
	if st.Consumed, err = bind.Call(inst, opts, r.PackPrioConsumed(), r.UnpackPrioConsumed); err != nil {
		return nil, err
	}
	if st.Batch, err = bind.Call(inst, opts, r.PackBatchNumber(), r.UnpackBatchNumber); err != nil {
		return nil, err
	}
	root, err := bind.Call(inst, opts, r.PackStateRoot(), r.UnpackStateRoot)
	if err != nil {
		return nil, err
	}
	st.Root = common.BigToHash(root)
	if st.Consumed < st.Requests {
		rec, err := bind.Call(inst, opts, r.PackPrioRequests(new(big.Int).SetUint64(st.Consumed)), r.UnpackPrioRequests)
		if err != nil {
			return nil, err
		}
		st.Waiting = true
		st.OldestBlock = uint64(uint32(rec.Uint64()))
		st.DeadlineBlock = st.OldestBlock + st.Delay
		// activateExodus runs in the next block, head+1.
		st.CanActivate = !st.Active && head+1 > st.DeadlineBlock
	}
	return &st, nil
}

// ExitPlan is a proven exit, ready for client.SubmitExit.
type ExitPlan struct {
	Account uint32         `json:"account"`
	Balance uint64         `json:"balanceGwei"`
	To      common.Address `json:"to"`
	Batch   uint64         `json:"batch"`
	Root    common.Hash    `json:"root"`
	Proof   hexutil.Bytes  `json:"proof"`
}

// ErrNoAccount means the key has no account in the verified state.
var ErrNoAccount = errors.New("no account for this key in the last verified state")

// PrepareExit rebuilds the Rollup's last verified state from L1 calldata
// alone, finds key's account, signs its exit to `to` and proves it with
// exitKeys (the exit circuit's keys for the Rollup's depth). It checks the rebuilt root
// against the one the contract holds, so a proof is only made against the
// root the contract will check it with.
func PrepareExit(ctx context.Context, client bridge.L1Client, rollup common.Address, from uint64, key *vm.PrivateKey, to common.Address, exitKeys *prover.Keys) (*ExitPlan, error) {
	if to == (common.Address{}) {
		return nil, errors.New("l1view: exit to the zero address")
	}
	v, err := RebuildVerified(ctx, client, rollup, from)
	if err != nil {
		return nil, err
	}
	index, err := v.AccountOf(key.Public())
	if err != nil {
		return nil, err
	}
	return v.PrepareExit(index, key, to, exitKeys)
}

// Verified is the Rollup's last verified state, rebuilt from L1 calldata
// alone and checked against the root the contract holds: what exodus
// claims are proven against.
type Verified struct {
	L1     *L1Rollup
	Status *ExodusStatus
	Head   vm.Meta
	Tree   *vm.Tree
}

// RebuildVerified reads the Rollup from block from on and rebuilds its
// last verified state.
func RebuildVerified(ctx context.Context, client bridge.L1Client, rollup common.Address, from uint64) (*Verified, error) {
	st, err := ReadExodus(ctx, client, rollup)
	if err != nil {
		return nil, err
	}
	l, err := ReadL1Rollup(ctx, client, rollup, from)
	if err != nil {
		return nil, err
	}
	if uint64(len(l.Batches)) < st.Batch {
		return nil, fmt.Errorf("l1view: found %d batches on L1 from block %d, the Rollup verified %d: read from its deploy block (--from-block)", len(l.Batches), from, st.Batch)
	}
	store := vm.NewMemStore(l.Config.Depth)
	if err := l.Rebuild(store, st.Batch); err != nil {
		return nil, fmt.Errorf("l1view: rebuild the state from L1: %w", err)
	}
	head, err := store.Head()
	if err != nil {
		return nil, err
	}
	if common.Hash(head.Root.Bytes()) != st.Root {
		return nil, fmt.Errorf("l1view: the state rebuilt from L1 has root %x, the Rollup holds %x: a Rollup Keel does not know?", head.Root.Bytes(), st.Root)
	}
	tree, err := vm.NewTree(l.Config.Depth, store.ReaderAt(head.BatchNumber))
	if err != nil {
		return nil, err
	}
	return &Verified{L1: l, Status: st, Head: head, Tree: tree}, nil
}

// AccountOf finds pub's account in the verified state.
func (v *Verified) AccountOf(pub vm.PublicKey) (uint32, error) {
	return accountOf(v.L1, v.Status.Batch, pub)
}

// PrepareExit signs account index's exit to `to` with key and proves it
// with exitKeys (the exit circuit's keys for the Rollup's depth).
func (v *Verified) PrepareExit(index uint32, key *vm.PrivateKey, to common.Address, exitKeys *prover.Keys) (*ExitPlan, error) {
	acc, err := v.Tree.Get(uint64(index))
	if err != nil {
		return nil, err
	}
	sibs, err := v.Tree.Proof(uint64(index))
	if err != nil {
		return nil, err
	}
	sig, err := vm.SignExit(key, v.L1.Config.ChainID, index, to)
	if err != nil {
		return nil, err
	}
	claim := vm.Exit{ChainID: v.L1.Config.ChainID, Root: v.Head.Root, Account: index, Balance: acc.Balance, Recipient: to}
	p, err := prover.ProveExit(exitKeys, claim, prover.ExitWitness{Account: acc, Siblings: sibs, Sig: sig})
	if err != nil {
		return nil, err
	}
	raw, err := p.SolidityBytes()
	if err != nil {
		return nil, err
	}
	return &ExitPlan{Account: index, Balance: acc.Balance, To: to, Batch: v.Status.Batch, Root: v.Status.Root, Proof: raw}, nil
}

// AccountOf finds pub's account index in the batches l holds, from L1
// data alone.
func AccountOf(l *L1Rollup, pub vm.PublicKey) (uint32, error) {
	return accountOf(l, uint64(len(l.Batches)), pub)
}

// accountOf finds pub's account index from the verified batches' deposit
// records: the k-th deposit, refund or full-exit record consumed request k
// of the queue, whose key L1 logged for a deposit. An account is created
// by its first deposit, so this finds every account.
func accountOf(l *L1Rollup, upTo uint64, pub vm.PublicKey) (uint32, error) {
	var next uint64
	for n := uint64(1); n <= upTo; n++ {
		ops, err := vm.DecodePublicData(l.Batches[n-1].PublicData)
		if err != nil {
			return 0, fmt.Errorf("l1view: batch %d: %w", n, err)
		}
		for _, op := range ops {
			if op.Op != vm.OpDeposit && op.Op != vm.OpFullExit && op.Op != vm.OpDepositRefund && op.Op != vm.OpForcedChallenge {
				continue
			}
			if next >= uint64(len(l.Deposits)) {
				return 0, fmt.Errorf("l1view: batch %d consumes request %d, which L1 does not hold", n, next)
			}
			if d := l.Deposits[next]; op.Op == vm.OpDeposit && d.IsDeposit() && d.Key == vm.DepositKeyOf(pub) {
				return op.Account, nil
			}
			next++
		}
	}
	return 0, fmt.Errorf("l1view: %w (key %s); a deposit no batch consumed is refunded instead: keel exodus --refund", ErrNoAccount, pub)
}
