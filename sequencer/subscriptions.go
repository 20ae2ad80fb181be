package sequencer

import "fmt"

// BatchEvent says that batch Number reached Status.
type BatchEvent struct {
	Number uint64
	Status BatchStatus
}

// TxEvent says that a transaction's status changed.
type TxEvent struct {
	Receipt Receipt
}

// TxStatus is where an acknowledged transaction is.
type TxStatus uint8

const (
	TxPending TxStatus = iota + 1
	TxSequenced
	TxProven
	TxFinalized
	TxRejected
)

func (s TxStatus) String() string {
	switch s {
	case TxPending:
		return "pending"
	case TxSequenced:
		return "sequenced"
	case TxProven:
		return "proven"
	case TxFinalized:
		return "finalized"
	case TxRejected:
		return "rejected"
	}
	return fmt.Sprintf("TxStatus(%d)", uint8(s))
}

// SubscribeBatches delivers a BatchEvent for every status change of every
// batch. The channel has room for buffer events; a subscriber that falls
// further behind is dropped and its channel closed.
func (s *Sequencer) SubscribeBatches(buffer int) (<-chan BatchEvent, func()) {
	return s.batchSubs.subscribe(buffer)
}

// SubscribeTxs delivers a TxEvent for every status change of every
// transaction, with the same buffering rule as SubscribeBatches.
func (s *Sequencer) SubscribeTxs(buffer int) (<-chan TxEvent, func()) {
	return s.txSubs.subscribe(buffer)
}
