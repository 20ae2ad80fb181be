package vm

import (
	"errors"
	"fmt"
	"math"
)

// ErrReplay means a batch's public data does not apply to the state it
// claims to follow: an account it debits is missing or short of funds, a
// deposit disagrees with the L1 queue, the fees do not add up. A batch the
// L1 contract accepted with a valid proof never does this; seeing it means
// the data, the state or the proof system is wrong.
var ErrReplay = errors.New("vm: public data does not apply")

// ReplayPublicData applies a batch's public data to the state at head, as a
// node that follows L1 does: without transactions or signatures (the
// batch's proof vouches for them), from the public data alone and the L1
// priority queue, which request reads (queue position → request; the
// request's own ID is not consulted). It returns the change set of the
// state after the batch, whose Meta is what the sealed batch's After was.
//
// Replaying every committed batch from genesis rebuilds the whole L2 state
// from L1 data, which is what `keel verify`, a read-only node and an exit
// proof need.
func ReplayPublicData(cfg Config, base NodeReader, head Meta, timestamp uint64, publicData []byte, request func(id uint64) (PriorityRequest, error)) (*ChangeSet, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if len(publicData) != PublicDataSize(cfg.Slots) {
		return nil, fmt.Errorf("%w: %d bytes of public data, want %d", ErrReplay, len(publicData), PublicDataSize(cfg.Slots))
	}
	if timestamp < head.Timestamp {
		return nil, fmt.Errorf("%w: %d is before %d", ErrTimestamp, timestamp, head.Timestamp)
	}
	ops, err := DecodePublicData(publicData)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrReplay, err)
	}
	tree, err := NewTree(cfg.Depth, base)
	if err != nil {
		return nil, err
	}
	r := replayer{tree: tree, depth: cfg.Depth}
	after := Meta{BatchNumber: head.BatchNumber + 1, PriorityCount: head.PriorityCount, PriorityHash: head.PriorityHash, Timestamp: timestamp}
	var feeAcc uint64
	for i, op := range ops {
		if err := r.check(op); err != nil {
			return nil, fmt.Errorf("%w: op %d: %v", ErrReplay, i, err)
		}
		switch op.Op {
		case OpDeposit:
			d, derr := request(after.PriorityCount)
			if derr != nil {
				return nil, fmt.Errorf("vm: replay: L1 deposit %d: %w", after.PriorityCount, derr)
			}
			if !d.IsDeposit() {
				return nil, fmt.Errorf("%w: op %d is a deposit, L1 request %d a %s", ErrReplay, i, after.PriorityCount, d.Kind)
			}
			if d.Amount != op.Amount {
				return nil, fmt.Errorf("%w: op %d credits %d, L1 deposit %d was %d", ErrReplay, i, op.Amount, after.PriorityCount, d.Amount)
			}
			pub, kerr := d.Key.PublicKey()
			if kerr != nil {
				return nil, fmt.Errorf("%w: op %d credits L1 deposit %d, whose key is no valid L2 key: %v", ErrReplay, i, after.PriorityCount, kerr)
			}
			err = r.update(op.Account, func(a *Account) error {
				switch {
				case a.Kind == KindEmpty:
					*a = Account{Kind: KindAccount, PubKey: pub}
				case a.Kind != KindAccount || a.PubKey != pub:
					return fmt.Errorf("deposit %d to account %d of another key", after.PriorityCount, op.Account)
				}
				return credit(a, op.Amount)
			})
			after.PriorityHash = d.ChainHash(after.PriorityHash)
			after.PriorityCount++
		case OpDepositRefund:
			d, derr := request(after.PriorityCount)
			if derr != nil {
				return nil, fmt.Errorf("vm: replay: L1 deposit %d: %w", after.PriorityCount, derr)
			}
			if !d.IsDeposit() || d.Key.Valid() || d.Amount != op.Amount || uint64(op.Position) != after.PriorityCount-head.PriorityCount {
				return nil, fmt.Errorf("%w: op %d refunds %d as request %d of the batch, L1 request %d is no such deposit", ErrReplay, i, op.Amount, op.Position, after.PriorityCount)
			}
			after.PriorityHash = d.ChainHash(after.PriorityHash)
			after.PriorityCount++
		case OpTransfer, OpWithdraw:
			// A sponsored transaction's sender pays the amount alone, and
			// its sponsor the fee, after the sender's changes.
			userFee := op.Fee
			if op.Sponsored {
				userFee = 0
			}
			err = r.update(op.Account, func(a *Account) error {
				if a.Kind != KindAccount || a.Balance < op.Amount || a.Balance-op.Amount < userFee || a.Nonce == math.MaxUint32 {
					return fmt.Errorf("account %d cannot pay %d + %d", op.Account, op.Amount, userFee)
				}
				a.Balance -= op.Amount + userFee
				a.Nonce++
				return nil
			})
			if err == nil && op.Op == OpTransfer {
				err = r.update(op.To, func(a *Account) error {
					if a.Kind != KindAccount || op.To == op.Account {
						return fmt.Errorf("transfer to %d, not another account", op.To)
					}
					return credit(a, op.Amount)
				})
			}
			if err == nil && op.Sponsored {
				err = r.update(op.Sponsor, func(a *Account) error {
					if a.Kind != KindAccount || a.Balance < op.Fee {
						return fmt.Errorf("sponsor %d cannot pay fee %d", op.Sponsor, op.Fee)
					}
					a.Balance -= op.Fee
					return nil
				})
			}
			if err == nil && op.Fee > math.MaxUint64-feeAcc {
				err = errors.New("fee total overflows")
			}
			feeAcc += op.Fee
		case OpFullExit:
			d, derr := request(after.PriorityCount)
			if derr != nil {
				return nil, fmt.Errorf("vm: replay: L1 request %d: %w", after.PriorityCount, derr)
			}
			if !d.IsFullExit() || d.Account != op.Account || d.To != op.L1To {
				return nil, fmt.Errorf("%w: op %d is a full exit of %d to %s, L1 request %d is not", ErrReplay, i, op.Account, op.L1To, after.PriorityCount)
			}
			tx := d.Tx(cfg.ChainID)
			err = r.update(op.Account, func(a *Account) error {
				if want := fullExitAmount(a, &tx); op.Amount != want {
					return fmt.Errorf("full exit of account %d pays %d, the rules say %d", op.Account, op.Amount, want)
				}
				if fullExitHonoured(a, &tx) {
					a.Balance, a.Nonce = 0, a.Nonce+1
				}
				return nil
			})
			after.PriorityHash = d.ChainHash(after.PriorityHash)
			after.PriorityCount++
		case OpForcedChallenge:
			d, derr := request(after.PriorityCount)
			if derr != nil {
				return nil, fmt.Errorf("vm: replay: L1 request %d: %w", after.PriorityCount, derr)
			}
			if !d.IsForcedChallenge() || d.Channel != op.Channel || d.State.Version != op.Version || d.State.BalanceA != op.Amount {
				return nil, fmt.Errorf("%w: op %d is a forced challenge of channel leaf %d at version %d, L1 request %d is not", ErrReplay, i, op.Channel, op.Version, after.PriorityCount)
			}
			tx := d.Tx(cfg.ChainID)
			err = r.replayForcedChallenge(&tx, op.Applied, timestamp)
			after.PriorityHash = d.ChainHash(after.PriorityHash)
			after.PriorityCount++
		case OpChanOpen:
			if op.Fee > math.MaxUint64-feeAcc {
				return nil, fmt.Errorf("%w: op %d: fee total overflows", ErrReplay, i)
			}
			feeAcc += op.Fee
			err = r.replayOpen(op)
		case OpChanClose, OpChanDispute, OpChanChallenge, OpChanFinalize:
			err = r.replayChannel(op, timestamp)
		case OpFeePayout:
			if op.Account != cfg.Operator || op.Amount != feeAcc {
				return nil, fmt.Errorf("%w: op %d pays %d to %d, fees were %d for operator %d", ErrReplay, i, op.Amount, op.Account, feeAcc, cfg.Operator)
			}
			err = r.update(op.Account, func(a *Account) error {
				if a.Kind != KindAccount {
					return fmt.Errorf("operator %d has no account", op.Account)
				}
				return credit(a, op.Amount)
			})
			feeAcc = 0
		}
		if err != nil {
			if errors.Is(err, ErrVersionNotFound) {
				return nil, err
			}
			return nil, fmt.Errorf("%w: op %d: %v", ErrReplay, i, err)
		}
	}
	if feeAcc != 0 {
		return nil, fmt.Errorf("%w: %d gwei of fees never paid out", ErrReplay, feeAcc)
	}
	if after.Root, err = tree.Root(); err != nil {
		return nil, err
	}
	nodes, leaves := tree.Changes()
	return &ChangeSet{Meta: after, Nodes: nodes, Leaves: leaves}, nil
}

type replayer struct {
	tree  *Tree
	depth int
}

func (r *replayer) check(op PublicOp) error {
	limit := uint64(1) << uint(r.depth)
	if uint64(op.Account) >= limit || uint64(op.To) >= limit || uint64(op.Channel) >= limit || uint64(op.Sponsor) >= limit {
		return fmt.Errorf("account index out of the depth-%d tree", r.depth)
	}
	return nil
}

func (r *replayer) update(index uint32, f func(*Account) error) error {
	a, err := r.tree.Get(uint64(index))
	if err != nil {
		return err
	}
	if err := f(&a); err != nil {
		return err
	}
	return r.tree.Set(uint64(index), a)
}

func credit(a *Account, amount uint64) error {
	if amount > math.MaxUint64-a.Balance {
		return fmt.Errorf("balance of %d overflows", a.Balance)
	}
	a.Balance += amount
	return nil
}

// replayOpen applies a channel open's records: A pays its funding and the
// fee, B its funding, and the channel leaf appears.
func (r *replayer) replayOpen(op PublicOp) error {
	if op.Account == op.To || op.Amount > math.MaxUint64-op.AmountB || op.Period == 0 || op.Amount+op.AmountB == 0 {
		return fmt.Errorf("channel open between %d and %d of %d + %d is not allowed", op.Account, op.To, op.Amount, op.AmountB)
	}
	tx := Tx{Type: TxChanOpen, From: op.Account, To: op.To, Amount: op.Amount, AmountB: op.AmountB, Period: op.Period}
	err := r.update(op.Account, func(a *Account) error {
		if a.Kind != KindAccount || a.Balance < op.Amount || a.Balance-op.Amount < op.Fee || a.Nonce == math.MaxUint32 {
			return fmt.Errorf("account %d cannot pay %d + %d", op.Account, op.Amount, op.Fee)
		}
		tx.Nonce = a.Nonce
		a.Balance -= op.Amount + op.Fee
		a.Nonce++
		return nil
	})
	if err != nil {
		return err
	}
	if err := r.update(op.To, func(a *Account) error {
		if a.Kind != KindAccount || a.Balance < op.AmountB {
			return fmt.Errorf("account %d cannot fund %d", op.To, op.AmountB)
		}
		a.Balance -= op.AmountB
		return nil
	}); err != nil {
		return err
	}
	return r.update(op.Channel, func(a *Account) error {
		if !a.IsEmpty() {
			return fmt.Errorf("channel leaf %d is taken", op.Channel)
		}
		ch := openedChannel(&tx)
		*a = ch.Leaf()
		return nil
	})
}

// replayChannel applies a close, dispute, challenge or finalize. The
// signatures are not in the public data; the batch's proof vouches for
// them, and the rest of the rules are checked again here.
func (r *replayer) replayChannel(op PublicOp, now uint64) error {
	leaf, err := r.tree.Get(uint64(op.Channel))
	if err != nil {
		return err
	}
	ch, err := ChannelOf(&leaf)
	if err != nil {
		return err
	}
	if op.Account != ch.B || op.AmountB > ch.Total {
		return fmt.Errorf("channel %d: record names B %d with %d, the leaf B %d with %d locked", op.Channel, op.Account, op.AmountB, ch.B, ch.Total)
	}
	next, remove := ch, false
	var payA, payB uint64
	switch op.Op {
	case OpChanClose:
		if op.Amount+op.AmountB != ch.Total {
			return fmt.Errorf("channel %d closes with %d + %d of %d", op.Channel, op.Amount, op.AmountB, ch.Total)
		}
		payA, payB, remove = op.Amount, op.AmountB, true
	case OpChanFinalize:
		if ch.Status != ChannelClosing || now < ch.Deadline || op.Amount != ch.SplitA || op.AmountB != ch.Total-ch.SplitA {
			return fmt.Errorf("channel %d cannot be finalized so", op.Channel)
		}
		payA, payB, remove = op.Amount, op.AmountB, true
	case OpChanDispute:
		if ch.Status != ChannelOpen || now > math.MaxUint64-uint64(ch.Period) || op.Version == 0 && ch.Total-op.AmountB != ch.SplitA {
			return fmt.Errorf("channel %d cannot be disputed so", op.Channel)
		}
		next.Status, next.Deadline, next.Version, next.SplitA = ChannelClosing, now+uint64(ch.Period), op.Version, ch.Total-op.AmountB
	case OpChanChallenge:
		if ch.Status != ChannelClosing || now >= ch.Deadline || op.Version <= ch.Version {
			return fmt.Errorf("channel %d cannot be challenged so", op.Channel)
		}
		next.Version, next.SplitA = op.Version, ch.Total-op.AmountB
	}
	if err := r.update(ch.A, func(a *Account) error {
		if a.Kind != KindAccount {
			return fmt.Errorf("party A %d has no account", ch.A)
		}
		return credit(a, payA)
	}); err != nil {
		return err
	}
	if err := r.update(ch.B, func(a *Account) error {
		if a.Kind != KindAccount {
			return fmt.Errorf("party B %d has no account", ch.B)
		}
		return credit(a, payB)
	}); err != nil {
		return err
	}
	return r.update(op.Channel, func(a *Account) error {
		if remove {
			*a = Account{}
		} else {
			*a = next.Leaf()
		}
		return nil
	})
}

// replayForcedChallenge applies a forced challenge. The L1 request carries
// the signatures, so the verdict is decided again here and must be the
// one the public data states.
func (r *replayer) replayForcedChallenge(tx *Tx, applied bool, now uint64) error {
	f, err := judgeForcedChallenge(tx, func(i uint32) (Account, error) { return r.tree.Get(uint64(i)) }, now)
	if err != nil {
		return err
	}
	if f.applies != applied {
		return fmt.Errorf("forced challenge of leaf %d: the data says applied=%v, the rules %v", tx.Channel, applied, f.applies)
	}
	// The leaves the batch's steps touch, as Seal touches them.
	same := func(*Account) error { return nil }
	for _, i := range []uint32{f.ch.A, f.ch.B} {
		if err := r.update(i, same); err != nil {
			return err
		}
	}
	return r.update(tx.Channel, func(a *Account) error {
		if f.applies {
			next := f.challenged(tx)
			*a = next.Leaf()
		}
		return nil
	})
}
