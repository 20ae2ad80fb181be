package sequencer

import (
	"context"
	"runtime"

	"github.com/keel-rollup/keel/vm"
	"golang.org/x/sync/errgroup"
)

// KeyLookup returns the public key of the account at index, and false when
// the index holds no account yet (for example one a deposit in the batch
// being built is about to create).
type KeyLookup func(index uint32) (vm.PublicKey, bool, error)

// PreVerify checks the signatures of txs and marks each good one with
// vm.Tx's verified mark, so that the single-threaded executor skips it.
// Keys are looked up on up to workers goroutines (GOMAXPROCS when
// workers <= 0), and the signatures are checked together with
// vm.PreVerifyBatch, one random-linear-combination check for the lot.
//
// Signature checks are most of a transfer's execution cost, and they are
// independent of each other because an account's key never changes once
// the account exists. results[i] is nil for a verified transaction, wraps
// vm.ErrBadSignature for a bad one, and is ErrKeyUnknown (not a verdict)
// when the sender's key is not committed yet. err is a KeyLookup failure.
func PreVerify(ctx context.Context, txs []*vm.Tx, lookup KeyLookup, workers int) (results []error, err error) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	results = make([]error, len(txs))
	pubs := make([]vm.PublicKey, len(txs))
	known := make([]bool, len(txs))
	g, ctx := errgroup.WithContext(ctx)
	chunk := max((len(txs)+workers-1)/workers, 1)
	for start := 0; start < len(txs); start += chunk {
		end := min(start+chunk, len(txs))
		g.Go(func() error {
			for i := start; i < end; i++ {
				if err := ctx.Err(); err != nil {
					return err
				}
				if !txs[i].Type.IsSigned() {
					continue
				}
				pub, ok, err := lookup(txs[i].From)
				if err != nil {
					return err
				}
				if !ok {
					results[i] = ErrKeyUnknown
					continue
				}
				pubs[i], known[i] = pub, true
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	var batch []*vm.Tx
	var batchPubs []vm.PublicKey
	var at []int
	for i := range txs {
		if known[i] {
			batch, batchPubs, at = append(batch, txs[i]), append(batchPubs, pubs[i]), append(at, i)
		}
	}
	for k, err := range vm.PreVerifyBatch(batch, batchPubs) {
		results[at[k]] = err
	}
	return results, nil
}

// StoreKeyLookup reads account keys from version v of a store.
func StoreKeyLookup(r vm.NodeReader) KeyLookup {
	return func(index uint32) (vm.PublicKey, bool, error) {
		a, ok, err := r.Leaf(uint64(index))
		if err != nil || !ok || a.Kind == vm.KindEmpty {
			return vm.PublicKey{}, false, err
		}
		return a.PubKey, true, nil
	}
}
