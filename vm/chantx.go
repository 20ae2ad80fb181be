package vm

import (
	"fmt"
	"math"

	"github.com/ethereum/go-ethereum/common"
)

// Channel operations as transactions. An open is signed like a transfer
// (by A, with A's nonce; by B too when B funds it, over the same message).
// A close, dispute or challenge carries a channel state and both parties'
// signatures of it (a dispute with the opening state, version 0, only the
// closing party's) (vm.ChannelState.Message), and no nonce: the state's
// version orders them, and the channel id in the signed message, fresh
// for every channel, keeps them from replaying anywhere else. A finalize
// carries nothing but the channel: anyone may send it once the deadline
// has passed.
//
// Binary layouts, after the type byte and the chain id (8):
//
//	open:     from 4 | to 4 | channel 4 | amount 8 | amountB 8 | fee 8 | nonce 4 | period 4 | sig 64 | sigB 64
//	state:    channel 4 | version 8 | final 1 | amount 8 | amountB 8 | sig 64 | sigB 64
//	finalize: channel 4

// ChannelState returns the channel state a close, dispute or challenge
// carries, for the channel with the given id.
func (tx *Tx) ChannelState(channelID uint64) ChannelState {
	return ChannelState{ChainID: tx.ChainID, ChannelID: channelID, Version: tx.Version, BalanceA: tx.Amount, BalanceB: tx.AmountB, Final: tx.Final}
}

// SetChannelState copies a state into a close, dispute or challenge.
func (tx *Tx) SetChannelState(s ChannelState) {
	tx.ChainID, tx.Version, tx.Amount, tx.AmountB, tx.Final = s.ChainID, s.Version, s.BalanceA, s.BalanceB, s.Final
}

// SignB fills in SigB with party B's signature of an open's Message.
func (tx *Tx) SignB(k *PrivateKey) error {
	if tx.Type != TxChanOpen {
		return fmt.Errorf("%w: %s has no co-signed message", ErrMalformed, tx.Type)
	}
	sig, err := k.SignElement(tx.Message())
	if err != nil {
		return err
	}
	tx.SigB = sig
	return nil
}

func (tx *Tx) appendChannel(b []byte) []byte {
	b = append(b, byte(tx.Type))
	b = be.AppendUint64(b, tx.ChainID)
	switch tx.Type {
	case TxChanOpen:
		b = be.AppendUint32(b, tx.From)
		b = be.AppendUint32(b, tx.To)
		b = be.AppendUint32(b, tx.Channel)
		b = be.AppendUint64(b, tx.Amount)
		b = be.AppendUint64(b, tx.AmountB)
		b = be.AppendUint64(b, tx.Fee)
		b = be.AppendUint32(b, tx.Nonce)
		b = be.AppendUint32(b, tx.Period)
		b = append(b, tx.Sig[:]...)
		b = append(b, tx.SigB[:]...)
	case TxChanFinalize:
		b = be.AppendUint32(b, tx.Channel)
	default:
		b = be.AppendUint32(b, tx.Channel)
		b = be.AppendUint64(b, tx.Version)
		if tx.Final {
			b = append(b, 1)
		} else {
			b = append(b, 0)
		}
		b = be.AppendUint64(b, tx.Amount)
		b = be.AppendUint64(b, tx.AmountB)
		b = append(b, tx.Sig[:]...)
		b = append(b, tx.SigB[:]...)
	}
	return b
}

// readChannel decodes appendChannel's layout after the chain id; the
// caller has checked the length.
func (tx *Tx) readChannel(next func(int) []byte) error {
	switch tx.Type {
	case TxChanOpen:
		tx.From = be.Uint32(next(4))
		tx.To = be.Uint32(next(4))
		tx.Channel = be.Uint32(next(4))
		tx.Amount = be.Uint64(next(8))
		tx.AmountB = be.Uint64(next(8))
		tx.Fee = be.Uint64(next(8))
		tx.Nonce = be.Uint32(next(4))
		tx.Period = be.Uint32(next(4))
		copy(tx.Sig[:], next(SignatureSize))
		copy(tx.SigB[:], next(SignatureSize))
	case TxChanFinalize:
		tx.Channel = be.Uint32(next(4))
	default:
		tx.Channel = be.Uint32(next(4))
		tx.Version = be.Uint64(next(8))
		switch f := next(1)[0]; f {
		case 0:
		case 1:
			tx.Final = true
		default:
			return fmt.Errorf("%w: %s final flag %d", ErrMalformed, tx.Type, f)
		}
		tx.Amount = be.Uint64(next(8))
		tx.AmountB = be.Uint64(next(8))
		copy(tx.Sig[:], next(SignatureSize))
		copy(tx.SigB[:], next(SignatureSize))
	}
	return nil
}

// appendForced encodes a forced challenge: the type, the chain, the queue
// position, then a state operation's layout.
func (tx *Tx) appendForced(b []byte) []byte {
	c := *tx
	c.Type = TxChanChallenge
	b = c.appendChannel(b)
	b[0] = byte(TxForcedChallenge)
	out := make([]byte, 0, len(b)+8)
	out = append(out, b[:9]...)
	out = be.AppendUint64(out, tx.PriorityID)
	return append(out, b[9:]...)
}

func (tx *Tx) channelJSON(j *txJSON) {
	j.Channel = ptr(tx.Channel)
	if tx.Type == TxForcedChallenge {
		j.PriorityID = ptr(uint64String(tx.PriorityID))
	}
	switch tx.Type {
	case TxChanOpen:
		j.From, j.To, j.Fee, j.Nonce, j.Sig = ptr(tx.From), ptr(tx.To), ptr(uint64String(tx.Fee)), ptr(tx.Nonce), ptr(tx.Sig)
		j.AmountB, j.Period, j.SigB = ptr(uint64String(tx.AmountB)), ptr(tx.Period), ptr(tx.SigB)
	case TxChanFinalize:
		j.Amount = nil
	default:
		j.Version, j.Final, j.AmountB = ptr(uint64String(tx.Version)), ptr(tx.Final), ptr(uint64String(tx.AmountB))
		j.Sig, j.SigB = ptr(tx.Sig), ptr(tx.SigB)
	}
}

// fromChannelJSON fills a channel operation from JSON whose fields the
// caller has checked for presence.
func (tx *Tx) fromChannelJSON(j *txJSON) {
	if j.Channel != nil {
		tx.Channel = *j.Channel
	}
	if j.SigB != nil {
		tx.SigB = *j.SigB
	}
	switch tx.Type {
	case TxChanOpen:
		tx.From, tx.To, tx.Fee, tx.Nonce, tx.Sig = *j.From, *j.To, uint64(*j.Fee), *j.Nonce, *j.Sig
		tx.Amount, tx.AmountB, tx.Period = uint64(*j.Amount), uint64(*j.AmountB), *j.Period
	case TxChanFinalize:
	default:
		if tx.Type == TxForcedChallenge {
			tx.PriorityID = uint64(*j.PriorityID)
		}
		tx.Version, tx.Final, tx.Amount, tx.AmountB, tx.Sig = uint64(*j.Version), *j.Final, uint64(*j.Amount), uint64(*j.AmountB), *j.Sig
	}
}

// checkChannelStatic is CheckStatic for channel operations.
func (tx *Tx) checkChannelStatic() error {
	unused := tx.PriorityID != 0 || !tx.PubKey.IsZero() || tx.L1To != (common.Address{})
	switch tx.Type {
	case TxChanOpen:
		if unused || tx.Version != 0 || tx.Final {
			return fmt.Errorf("%w: channel open sets fields it does not use", ErrMalformed)
		}
		if tx.From == tx.To {
			return fmt.Errorf("%w: a channel needs two accounts", ErrSelfTransfer)
		}
		if tx.Amount > math.MaxUint64-tx.AmountB || tx.Amount+tx.AmountB > math.MaxUint64-tx.Fee {
			return fmt.Errorf("%w: channel funding %d + %d + fee %d", ErrOverflow, tx.Amount, tx.AmountB, tx.Fee)
		}
		if tx.Amount+tx.AmountB == 0 {
			return fmt.Errorf("%w: channel with nothing locked", ErrZeroAmount)
		}
		if tx.Period == 0 {
			return fmt.Errorf("%w: zero challenge period", ErrMalformed)
		}
		for _, v := range []uint64{tx.Amount, tx.AmountB} {
			if _, ok := PackAmount(v); !ok {
				return fmt.Errorf("%w: channel funding %d; nearest is %d", ErrAmountNotPackable, v, RoundAmount(v))
			}
		}
		if _, ok := PackFee(tx.Fee); !ok {
			return fmt.Errorf("%w: %d; nearest is %d", ErrFeeNotPackable, tx.Fee, RoundFee(tx.Fee))
		}
		if tx.AmountB == 0 && tx.SigB != (Signature{}) {
			return fmt.Errorf("%w: B signs an open only when B funds it", ErrMalformed)
		}
	case TxChanFinalize:
		if unused || tx.From != 0 || tx.To != 0 || tx.Amount != 0 || tx.AmountB != 0 || tx.Fee != 0 || tx.Nonce != 0 ||
			tx.Version != 0 || tx.Final || tx.Period != 0 || tx.Sig != (Signature{}) || tx.SigB != (Signature{}) {
			return fmt.Errorf("%w: channel finalize sets fields it does not use", ErrMalformed)
		}
	default:
		if unused || tx.From != 0 || tx.To != 0 || tx.Fee != 0 || tx.Nonce != 0 || tx.Period != 0 {
			return fmt.Errorf("%w: %s sets fields it does not use", ErrMalformed, tx.Type)
		}
		if tx.Amount > math.MaxUint64-tx.AmountB {
			return fmt.Errorf("%w: state balances %d + %d", ErrOverflow, tx.Amount, tx.AmountB)
		}
		if tx.Type == TxChanClose && !tx.Final {
			return fmt.Errorf("%w: a cooperative close needs a final state", ErrChannelState)
		}
		if tx.Type == TxChanDispute && tx.Version == 0 && (tx.Sig == (Signature{})) == (tx.SigB == (Signature{})) {
			// The opening state is signed by the party that closes with
			// it, and only by it: one encoding per transaction.
			return fmt.Errorf("%w: a version-0 dispute carries exactly one signature, the closing party's", ErrMalformed)
		}
		if tx.Type == TxChanChallenge && tx.Version == 0 {
			return fmt.Errorf("%w: a challenge needs a state above version 0", ErrStaleState)
		}
	}
	return nil
}
