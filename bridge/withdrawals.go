package bridge

import (
	"context"
	"fmt"
	"math/big"
	"sort"
	"sync"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/keel-rollup/keel/l1contracts"
	"github.com/keel-rollup/keel/vm"
)

// WithdrawalStatus is where an L2 withdrawal stands on its way to L1.
type WithdrawalStatus int

const (
	// WithdrawalSealed: its batch is sealed (and being proven or
	// submitted) but not yet verified on L1.
	WithdrawalSealed WithdrawalStatus = iota
	// WithdrawalClaimable: its batch is verified on L1 at the confirmation
	// depth; the recipient can call Rollup.withdraw().
	WithdrawalClaimable
	// WithdrawalClaimed: the recipient has been paid.
	WithdrawalClaimed
)

func (s WithdrawalStatus) String() string {
	return [...]string{"sealed", "claimable", "claimed"}[s]
}

// TrackedWithdrawal is one withdrawal and its status.
type TrackedWithdrawal struct {
	Batch   uint64
	Account uint32
	To      common.Address
	// Amount is in gwei.
	Amount uint64
	Status WithdrawalStatus
	// ClaimTx is the claim's transaction, once claimed.
	ClaimTx common.Hash
}

// WithdrawalTracker follows withdrawals from their sealed batch to the
// recipient's claim, reading BatchCommitted and WithdrawalClaimed logs at
// the confirmation depth. A claim pays everything pending for the address
// at that moment, so it settles every claimable withdrawal to that address
// whose batch was verified in an earlier block (or the same one).
type WithdrawalTracker struct {
	client        L1Client
	rollup        common.Address
	confirmations uint64

	mu         sync.Mutex
	byBatch    map[uint64][]*TrackedWithdrawal
	verifiedAt map[uint64]uint64 // batch → L1 block
	next       uint64            // first block not yet read
}

// NewWithdrawalTracker reads the Rollup's logs from startBlock on.
func NewWithdrawalTracker(client L1Client, rollup common.Address, confirmations, startBlock uint64) *WithdrawalTracker {
	return &WithdrawalTracker{client: client, rollup: rollup, confirmations: confirmations,
		byBatch: map[uint64][]*TrackedWithdrawal{}, verifiedAt: map[uint64]uint64{}, next: startBlock}
}

// Track registers a sealed batch's withdrawals.
func (t *WithdrawalTracker) Track(batch uint64, ws []vm.Withdrawal) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, w := range ws {
		tw := &TrackedWithdrawal{Batch: batch, Account: w.Account, To: w.To, Amount: w.Amount}
		if _, ok := t.verifiedAt[batch]; ok {
			tw.Status = WithdrawalClaimable
		}
		t.byBatch[batch] = append(t.byBatch[batch], tw)
	}
}

var (
	batchCommittedTopic = rollupABI.GetABI().Events[l1contracts.RollupBatchCommittedEventName].ID
	claimedTopic        = rollupABI.GetABI().Events[l1contracts.RollupWithdrawalClaimedEventName].ID
)

// Poll reads newly confirmed logs and updates statuses.
func (t *WithdrawalTracker) Poll(ctx context.Context) error {
	head, err := t.client.BlockNumber(ctx)
	if err != nil {
		return fmt.Errorf("bridge: L1 head: %w", err)
	}
	if head < t.confirmations {
		return nil
	}
	safe := head - t.confirmations
	t.mu.Lock()
	from := t.next
	t.mu.Unlock()
	if from > safe {
		return nil
	}
	logs, err := t.client.FilterLogs(ctx, ethereum.FilterQuery{
		FromBlock: new(big.Int).SetUint64(from), ToBlock: new(big.Int).SetUint64(safe),
		Addresses: []common.Address{t.rollup}, Topics: [][]common.Hash{{batchCommittedTopic, claimedTopic}},
	})
	if err != nil {
		return fmt.Errorf("bridge: withdrawal logs %d..%d: %w", from, safe, err)
	}
	sort.SliceStable(logs, func(i, j int) bool {
		if logs[i].BlockNumber != logs[j].BlockNumber {
			return logs[i].BlockNumber < logs[j].BlockNumber
		}
		return logs[i].Index < logs[j].Index
	})
	t.mu.Lock()
	defer t.mu.Unlock()
	for i := range logs {
		l := &logs[i]
		if l.Removed {
			continue
		}
		switch l.Topics[0] {
		case batchCommittedTopic:
			ev, err := rollupABI.UnpackBatchCommittedEvent(l)
			if err != nil {
				return fmt.Errorf("bridge: malformed BatchCommitted log in tx %s: %w", l.TxHash, err)
			}
			t.verifiedAt[ev.Batch] = l.BlockNumber
			for _, w := range t.byBatch[ev.Batch] {
				if w.Status == WithdrawalSealed {
					w.Status = WithdrawalClaimable
				}
			}
		case claimedTopic:
			ev, err := rollupABI.UnpackWithdrawalClaimedEvent(l)
			if err != nil {
				return fmt.Errorf("bridge: malformed WithdrawalClaimed log in tx %s: %w", l.TxHash, err)
			}
			for batch, ws := range t.byBatch {
				at, ok := t.verifiedAt[batch]
				if !ok || at > l.BlockNumber {
					continue
				}
				for _, w := range ws {
					if w.To == ev.To && w.Status == WithdrawalClaimable {
						w.Status, w.ClaimTx = WithdrawalClaimed, l.TxHash
					}
				}
			}
		}
	}
	t.next = safe + 1
	return nil
}

// Of returns the tracked withdrawals to an L1 address, oldest first.
func (t *WithdrawalTracker) Of(to common.Address) []TrackedWithdrawal {
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []TrackedWithdrawal
	for _, ws := range t.byBatch {
		for _, w := range ws {
			if w.To == to {
				out = append(out, *w)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Batch < out[j].Batch })
	return out
}
