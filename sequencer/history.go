package sequencer

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/cockroachdb/pebble/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/keel-rollup/keel/vm"
)

// MaxHistoryPage bounds one page of an account's history.
const MaxHistoryPage = 100

// ErrBadCursor means a history cursor is not one AccountTransactions
// handed out.
var ErrBadCursor = errors.New("sequencer: bad history cursor")

// HistoryCursor is where a page of an account's history stops: the next
// page starts with the transaction before it.
type HistoryCursor struct {
	Batch    uint64
	Position int
}

// accountTx is one entry of an account's history.
type accountTx struct {
	account uint32
	pos     int
}

// accountTxs lists, for each transaction of a sealed batch, the accounts
// whose leaves its steps change or read as accounts: the sender and the
// recipient, a deposit's account, both parties of a channel operation
// (party B's step has B's account as leaf A). Channel leaves and the
// fee payout's operator credit are left out.
func accountTxs(sb *vm.SealedBatch) []accountTx {
	seen := map[accountTx]bool{}
	var out []accountTx
	for i := range sb.Steps {
		st := &sb.Steps[i]
		if st.TxIndex < 0 {
			continue
		}
		for _, l := range st.Leaves {
			if !l.Used || (l.Before.Kind != vm.KindAccount && l.After.Kind != vm.KindAccount) {
				continue
			}
			at := accountTx{account: l.Index, pos: st.TxIndex}
			if !seen[at] {
				seen[at] = true
				out = append(out, at)
			}
		}
	}
	return out
}

// AccountTransactions returns up to limit receipts of the sealed
// transactions that touched account, newest first, starting before
// cursor (nil: at the newest), and the cursor of the next page (nil at
// the end).
func (s *Sequencer) AccountTransactions(account uint32, before *HistoryCursor, limit int) ([]Receipt, *HistoryCursor, error) {
	if limit < 1 || limit > MaxHistoryPage {
		return nil, nil, fmt.Errorf("%w: page size %d, allowed 1..%d", ErrBadCursor, limit, MaxHistoryPage)
	}
	prefix := accountTxPrefix(account)
	upper := append(append([]byte(nil), prefix...), 0xff)
	if before != nil {
		if before.Position < 0 {
			return nil, nil, fmt.Errorf("%w: position %d", ErrBadCursor, before.Position)
		}
		upper = accountTxKey(account, before.Batch, before.Position)
	}
	it, err := s.db().NewIter(&pebble.IterOptions{LowerBound: prefix, UpperBound: upper})
	if err != nil {
		return nil, nil, err
	}
	defer it.Close()
	var out []Receipt
	var last HistoryCursor
	for ok := it.Last(); ok && len(out) < limit; ok = it.Prev() {
		k, v := it.Key(), it.Value()
		if len(k) != len(prefix)+12 || len(v) != common.HashLength {
			return nil, nil, fmt.Errorf("%w: account history entry", ErrCorrupt)
		}
		h := common.BytesToHash(v)
		r, found, err := s.Receipt(h)
		if err != nil {
			return nil, nil, err
		}
		if !found {
			return nil, nil, fmt.Errorf("%w: history of account %d names unknown tx %s", ErrCorrupt, account, h)
		}
		out = append(out, r)
		last = HistoryCursor{Batch: binary.BigEndian.Uint64(k[len(prefix):]), Position: int(binary.BigEndian.Uint32(k[len(prefix)+8:]))}
	}
	if err := it.Error(); err != nil {
		return nil, nil, err
	}
	if len(out) < limit {
		return out, nil, nil
	}
	return out, &last, nil
}
