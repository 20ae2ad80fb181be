package sequencer

import (
	"fmt"

	"github.com/keel-rollup/keel/vm"
)

// admitSponsored checks a sponsored transaction's sponsor at admission:
// it is an account, its signature holds, and it can pay the fee as the
// open batch has left it. It returns that balance, against which the pool
// also counts the fees of the sponsor's other waiting transactions
// (Mempool.AddSponsored). A sponsor that ran dry is refused here, with
// the reason, rather than acknowledged and dropped at execution.
func (s *Sequencer) admitSponsored(tx *vm.Tx) (uint64, error) {
	pub, balance, err := s.sponsorView(tx.Sponsor)
	if err != nil {
		return 0, err
	}
	if balance < tx.Fee {
		return 0, fmt.Errorf("%w: sponsor %d cannot pay the fee: it has %d, the fee is %d", vm.ErrSponsorFunds, tx.Sponsor, balance, tx.Fee)
	}
	// The mark spares the executor a second check (Batch.Apply).
	if tx.PreVerifySponsor(pub) != nil {
		s.metrics.AdmissionChecked(1, 1)
		return 0, fmt.Errorf("%w: sponsor %d's signature of %s from account %d", vm.ErrBadSignature, tx.Sponsor, tx.Type, tx.From)
	}
	return balance, nil
}

// sponsorView returns the key and balance of the account at index as the
// open batch has left it when the open batch touched it as a sender or a
// sponsor, else as the committed state holds it.
func (s *Sequencer) sponsorView(index uint32) (vm.PublicKey, uint64, error) {
	s.kmu.Lock()
	a, ok := s.soft[index]
	s.kmu.Unlock()
	if ok {
		return a.pub, a.balance, nil
	}
	head, err := s.state.Head()
	if err != nil {
		return vm.PublicKey{}, 0, err
	}
	leaf, found, err := s.state.ReaderAt(head.BatchNumber).Leaf(uint64(index))
	if err != nil {
		return vm.PublicKey{}, 0, err
	}
	if !found || leaf.Kind != vm.KindAccount {
		return vm.PublicKey{}, 0, fmt.Errorf("%w: sponsor %d", vm.ErrUnknownAccount, index)
	}
	return leaf.PubKey, leaf.Balance, nil
}
