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
	sp, err := s.accountView(tx.Sponsor, "sponsor")
	if err != nil {
		return 0, err
	}
	pub, balance := sp.pub, sp.balance
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
