package prover

import (
	"fmt"
	"math/big"
	"sync"

	"github.com/consensys/gnark-crypto/ecc/bn254/twistededwards"
	"github.com/consensys/gnark/frontend"
	"github.com/keel-rollup/keel/circuits"
	"github.com/keel-rollup/keel/vm"
)

// Witness assigns the batch circuit from a sealed batch's trace. It never
// executes anything itself: every value comes from the trace the VM
// produced, so the proof is of exactly what the sequencer executed.
func Witness(cfg vm.Config, sb *vm.SealedBatch) (*circuits.BatchCircuit, error) {
	if len(sb.Steps) != cfg.Slots {
		return nil, fmt.Errorf("prover: batch has %d steps, the circuit %d slots", len(sb.Steps), cfg.Slots)
	}
	w := &circuits.BatchCircuit{
		Commitment:      sb.Commitment(cfg.Operator),
		ChainID:         sb.ChainID,
		BatchNumber:     sb.After.BatchNumber,
		Timestamp:       sb.After.Timestamp,
		Operator:        cfg.Operator,
		OldRoot:         sb.Before.Root,
		NewRoot:         sb.After.Root,
		PrioCountBefore: sb.Before.PriorityCount,
		PrioHashBefore:  sb.Before.PriorityHash,
		PrioCountAfter:  sb.After.PriorityCount,
		PrioHashAfter:   sb.After.PriorityHash,
		Slots:           make([]circuits.Slot, len(sb.Steps)),
	}
	for i := range sb.Steps {
		st := &sb.Steps[i]
		if err := assignSlot(&w.Slots[i], st); err != nil {
			return nil, fmt.Errorf("prover: step %d: %w", i, err)
		}
		// A full exit's signed nonce is the request's, which the circuit
		// compares with the account's (a stale request pays nothing).
		if st.Op == vm.OpFullExit {
			if st.TxIndex < 0 || st.TxIndex >= len(sb.Txs) {
				return nil, fmt.Errorf("prover: step %d: full exit of transaction %d of %d", i, st.TxIndex, len(sb.Txs))
			}
			w.Slots[i].Nonce = sb.Txs[st.TxIndex].Nonce
		}
	}
	return w, nil
}

var base = sync.OnceValue(func() twistededwards.PointAffine { return twistededwards.GetEdwardsCurve().Base })

func assignSlot(s *circuits.Slot, st *vm.Step) error {
	s.Op = uint8(st.Op)
	s.Account, s.Amount, s.Fee, s.Target = st.Regs.Account, st.Regs.Amount, st.Regs.Fee, st.Regs.Target
	s.Nonce, s.AmountE, s.AmountM, s.FeeE, s.FeeM = 0, 0, 0, 0, 0
	key := circuits.NoDepositKey()
	if st.Op == vm.OpDeposit || st.Op == vm.OpDepositRefund {
		key = circuits.NewDepositKeyWitness(st.DepositKey)
	}
	key.Assign(s)
	if st.Op == vm.OpTransfer || st.Op == vm.OpChanOpen || st.Op == vm.OpChanFund {
		p, ok := vm.PackAmount(st.Regs.Amount)
		if !ok {
			return fmt.Errorf("%s amount %d not packable", st.Op, st.Regs.Amount)
		}
		s.AmountE, s.AmountM = p>>19, p&(1<<19-1)
	}
	assignChannel(s, st)
	signed := st.Op == vm.OpTransfer || st.Op == vm.OpWithdraw || st.Op == vm.OpChanOpen
	if signed || st.Op == vm.OpData || st.Op == vm.OpSponsor {
		p, ok := vm.PackFee(st.Regs.Fee)
		if !ok {
			return fmt.Errorf("fee %d not packable", st.Regs.Fee)
		}
		s.FeeE, s.FeeM = p>>11, p&(1<<11-1)
	}
	if signed {
		s.Nonce = st.Leaves[0].Before.Nonce
	}
	s.Sponsored, s.Sponsor = 0, 0
	if st.Sponsored {
		s.Sponsored, s.Sponsor = 1, st.Sponsor
	}
	for i, l := range []*circuits.LeafSlot{&s.A, &s.B} {
		lw := &st.Leaves[i]
		l.Index = lw.Index
		a := lw.Before
		l.X, l.Y, l.Kind, l.Nonce, l.Balance, l.Aux = a.PubKey.X, a.PubKey.Y, uint8(a.Kind), a.Nonce, a.Balance, a.Aux
		l.Siblings = make([]frontend.Variable, len(lw.Siblings))
		for j := range lw.Siblings {
			l.Siblings[j] = lw.Siblings[j]
		}
	}
	// A deposit creating an account carries the deposit's key in the empty
	// leaf A, which hashes to 0 whatever its key: the circuit checks it
	// there and hashes it once for both sides.
	if st.Op == vm.OpDeposit && st.Leaves[0].Before.Kind == vm.KindEmpty {
		pub := st.Leaves[0].After.PubKey
		s.A.X, s.A.Y = pub.X, pub.Y
	}
	// Steps without a signature carry a well-formed dummy: key and R the
	// base point, S = 0. The circuit computes its validity and ignores it.
	b := base()
	s.SigPubX, s.SigPubY, s.SigRX, s.SigRY, s.SigS = b.X, b.Y, b.X, b.Y, 0
	if (signed || st.Op == vm.OpSponsor) && st.Sig == nil {
		return fmt.Errorf("signed step without a signature")
	}
	if st.Sig != nil {
		var r twistededwards.PointAffine
		if _, err := r.SetBytes(st.Sig.Sig[:32]); err != nil {
			return fmt.Errorf("signature R: %w", err)
		}
		s.SigPubX, s.SigPubY = st.Sig.PubKey.X, st.Sig.PubKey.Y
		s.SigRX, s.SigRY = r.X, r.Y
		s.SigS = new(big.Int).SetBytes(st.Sig.Sig[32:])
	}
	return nil
}

// assignChannel fills a channel head's extra witness; every other step
// carries zeros.
func assignChannel(s *circuits.Slot, st *vm.Step) {
	s.ChStatus, s.ChA, s.ChB, s.ChNonce, s.ChPeriod, s.ChDeadline, s.ChVersion, s.ChSplitA = 0, 0, 0, 0, 0, 0, 0, 0
	s.Version, s.Final, s.AmountB, s.Closer = 0, 0, 0, 0
	if st.Chan == nil {
		return
	}
	l := st.Chan.Leaf
	s.ChStatus, s.ChA, s.ChB, s.ChNonce, s.ChPeriod, s.ChDeadline, s.ChVersion, s.ChSplitA = uint8(l.Status), l.A, l.B, l.OpenNonce, l.Period, l.Deadline, l.Version, l.SplitA
	s.Version, s.AmountB = st.Chan.Version, st.Chan.AmountB
	if st.Chan.Final {
		s.Final = 1
	}
	if st.Chan.Closer {
		s.Closer = 1
	}
}
