package sequencer

import (
	"fmt"

	"github.com/keel-rollup/keel/vm"
)

// admitSponsored checks a sponsored transaction's sponsor at admission:
// it is an account, its signature holds, and it can pay the fee as the
// open batch has left it. A sponsor that ran dry is refused here, with
// the reason, rather than acknowledged and dropped at execution.
//
// The check does not reserve the fee: fees of transactions still in the
// pool are not counted against the sponsor, so a sponsor near empty can
// have more acknowledged than it pays for, and execution refuses the rest
// (vm.ErrSponsorFunds, in their receipts).
func (s *Sequencer) admitSponsored(tx *vm.Tx) error {
	pub, balance, err := s.sponsorView(tx.Sponsor)
	if err != nil {
		return err
	}
	if balance < tx.Fee {
		return fmt.Errorf("%w: sponsor %d cannot pay the fee: it has %d, the fee is %d", vm.ErrSponsorFunds, tx.Sponsor, balance, tx.Fee)
	}
	// The mark spares the executor a second check (Batch.Apply).
	if tx.PreVerifySponsor(pub) != nil {
		s.metrics.AdmissionChecked(1, 1)
		return fmt.Errorf("%w: sponsor %d's signature of %s from account %d", vm.ErrBadSignature, tx.Sponsor, tx.Type, tx.From)
	}
	return nil
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
