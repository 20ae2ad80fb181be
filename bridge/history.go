package bridge

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/big"
	"sort"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// ErrHistory means the Rollup's history on L1 is not what a reader can
// follow: a batch committed through another contract (its arguments are
// not in a transaction's calldata), a gap in the batch or deposit numbers,
// or calldata that does not decode.
var ErrHistory = errors.New("bridge: unreadable rollup history")

// CommittedBatch is a batch as L1 recorded it: the arguments of its
// Rollup.commitBatch call and its BatchCommitted event. Everything a
// verifier or a follower needs is here and in the deposit queue.
type CommittedBatch struct {
	Number       uint64
	NewRoot      *big.Int
	PrioConsumed uint64
	Timestamp    uint64
	PublicData   []byte
	Proof        []byte
	// Commitment is the public input the contract computed and verified.
	Commitment *big.Int
	TxHash     common.Hash
	Block      uint64
}

// CommitBatchInput is the decoded calldata of a Rollup.commitBatch call.
type CommitBatchInput struct {
	NewRoot      *big.Int
	PrioConsumed uint64
	Timestamp    uint64
	PublicData   []byte
	Proof        []byte
}

// DecodeCommitBatch decodes commitBatch calldata (selector included). It
// is a decoder of outside bytes: anything else is an error, never a panic.
func DecodeCommitBatch(data []byte) (*CommitBatchInput, error) {
	m := rollupABI.GetABI().Methods["commitBatch"]
	if len(data) < 4 || !bytes.Equal(data[:4], m.ID) {
		return nil, fmt.Errorf("%w: not a commitBatch call", ErrHistory)
	}
	args, err := m.Inputs.Unpack(data[4:])
	if err != nil {
		return nil, fmt.Errorf("%w: commitBatch calldata: %v", ErrHistory, err)
	}
	in := &CommitBatchInput{}
	var ok [5]bool
	in.NewRoot, ok[0] = args[0].(*big.Int)
	in.PrioConsumed, ok[1] = args[1].(uint64)
	in.Timestamp, ok[2] = args[2].(uint64)
	in.PublicData, ok[3] = args[3].([]byte)
	in.Proof, ok[4] = args[4].([]byte)
	if ok != [5]bool{true, true, true, true, true} {
		return nil, fmt.Errorf("%w: commitBatch arguments of unexpected types", ErrHistory)
	}
	return in, nil
}

// History reads the Rollup contract's history from an L1 node: its
// deposits and its committed batches, from the deployment block on.
type History struct {
	client   L1Client
	rollup   common.Address
	from     uint64
	maxRange uint64
	// firstRequest and firstBatch are the numbers the first request and
	// batch read must have: 0 and 1 from the deployment block.
	firstRequest, firstBatch uint64
}

// NewHistory reads the Rollup at rollup, deployed at or after block from.
func NewHistory(client L1Client, rollup common.Address, from uint64) *History {
	return &History{client: client, rollup: rollup, from: from, maxRange: 5000, firstBatch: 1}
}

// Resume reads on from block from, where the next priority request is
// nextRequest and the next batch nextBatch: what a follower that has read
// everything before from asks for.
func (h *History) Resume(from, nextRequest, nextBatch uint64) *History {
	c := *h
	c.from, c.firstRequest, c.firstBatch = from, nextRequest, nextBatch
	return &c
}

// logs returns the Rollup's logs with topic up to block to, in chain order.
func (h *History) logs(ctx context.Context, topic []common.Hash, to uint64) ([]types.Log, error) {
	var out []types.Log
	for from := h.from; from <= to; from += h.maxRange {
		end := min(to, from+h.maxRange-1)
		logs, err := h.client.FilterLogs(ctx, ethereum.FilterQuery{FromBlock: new(big.Int).SetUint64(from), ToBlock: new(big.Int).SetUint64(end),
			Addresses: []common.Address{h.rollup}, Topics: [][]common.Hash{topic}})
		if err != nil {
			return nil, fmt.Errorf("bridge: logs %d..%d: %w", from, end, err)
		}
		for _, l := range logs {
			if !l.Removed {
				out = append(out, l)
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].BlockNumber != out[j].BlockNumber {
			return out[i].BlockNumber < out[j].BlockNumber
		}
		return out[i].Index < out[j].Index
	})
	return out, nil
}

// Deposits returns every priority request (deposits and full exits) up to
// block to, in queue order.
func (h *History) Deposits(ctx context.Context, to uint64) ([]*Deposit, error) {
	logs, err := h.logs(ctx, []common.Hash{depositTopic, fullExitTopic, forcedChallengeTopic}, to)
	if err != nil {
		return nil, err
	}
	out := make([]*Deposit, 0, len(logs))
	for i := range logs {
		d, err := DecodePriorityLog(&logs[i])
		if err != nil {
			return nil, err
		}
		if want := h.firstRequest + uint64(len(out)); d.ID != want {
			return nil, fmt.Errorf("%w: request %d where %d was expected", ErrHistory, d.ID, want)
		}
		out = append(out, d)
	}
	return out, nil
}

// Batches returns every batch committed up to block to, in order from 1,
// with the arguments read from each commit transaction's calldata.
func (h *History) Batches(ctx context.Context, to uint64) ([]CommittedBatch, error) {
	logs, err := h.logs(ctx, []common.Hash{batchCommittedTopic}, to)
	if err != nil {
		return nil, err
	}
	out := make([]CommittedBatch, 0, len(logs))
	for i := range logs {
		l := &logs[i]
		ev, err := rollupABI.UnpackBatchCommittedEvent(l)
		if err != nil {
			return nil, fmt.Errorf("%w: BatchCommitted log in tx %s: %v", ErrHistory, l.TxHash, err)
		}
		if want := h.firstBatch + uint64(len(out)); ev.Batch != want {
			return nil, fmt.Errorf("%w: batch %d where %d was expected", ErrHistory, ev.Batch, want)
		}
		tx, _, err := h.client.TransactionByHash(ctx, l.TxHash)
		if err != nil {
			return nil, fmt.Errorf("bridge: commit transaction %s of batch %d: %w", l.TxHash, ev.Batch, err)
		}
		if tx.To() == nil || *tx.To() != h.rollup {
			return nil, fmt.Errorf("%w: batch %d was committed through another contract (tx %s); its arguments are not in calldata", ErrHistory, ev.Batch, l.TxHash)
		}
		in, err := DecodeCommitBatch(tx.Data())
		if err != nil {
			return nil, fmt.Errorf("batch %d (tx %s): %w", ev.Batch, l.TxHash, err)
		}
		if in.NewRoot.Cmp(ev.NewRoot) != 0 || in.PrioConsumed != ev.PrioConsumed {
			return nil, fmt.Errorf("%w: batch %d's calldata disagrees with its event", ErrHistory, ev.Batch)
		}
		out = append(out, CommittedBatch{Number: ev.Batch, NewRoot: in.NewRoot, PrioConsumed: in.PrioConsumed, Timestamp: in.Timestamp,
			PublicData: in.PublicData, Proof: in.Proof, Commitment: ev.Commitment, TxHash: l.TxHash, Block: l.BlockNumber})
	}
	return out, nil
}
