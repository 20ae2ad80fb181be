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

// PreVerify checks the signatures of txs on up to workers goroutines
// (GOMAXPROCS when workers <= 0) and marks each good one with
// vm.Tx.PreVerify, so that the single-threaded executor skips it.
//
// Signature checks are about 90% of a transfer's execution cost, and they
// are independent of each other because an account's key never changes
// once the account exists. results[i] is nil for a verified transaction,
// wraps vm.ErrBadSignature for a bad one, and is ErrKeyUnknown (not a
// verdict) when the sender's key is not committed yet. err is a KeyLookup
// failure.
func PreVerify(ctx context.Context, txs []*vm.Tx, lookup KeyLookup, workers int) (results []error, err error) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	results = make([]error, len(txs))
	g, ctx := errgroup.WithContext(ctx)
	// Contiguous chunks rather than one goroutine per transaction: a check
	// takes ~160 µs, so goroutine overhead is small either way, but chunks
	// keep the fan-out bounded without a channel.
	chunk := (len(txs) + workers - 1) / workers
	for start := 0; start < len(txs); start += chunk {
		end := min(start+chunk, len(txs))
		g.Go(func() error {
			for i := start; i < end; i++ {
				if err := ctx.Err(); err != nil {
					return err
				}
				tx := txs[i]
				if !tx.Type.IsSigned() {
					continue
				}
				pub, ok, err := lookup(tx.From)
				if err != nil {
					return err
				}
				if !ok {
					results[i] = ErrKeyUnknown
					continue
				}
				results[i] = tx.PreVerify(pub)
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
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
