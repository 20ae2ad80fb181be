package vm

import (
	"errors"
	"fmt"
	"math"
)

// Config fixes the rules of a chain.
type Config struct {
	// ChainID is the L2 chain id every signature binds.
	ChainID uint64
	// Depth is the state tree depth, 1..MaxDepth.
	Depth int
	// Operator is the account index that receives the fees.
	Operator uint32
	// Slots is the number of steps in a batch, fee payout and padding
	// included; it must equal the batch circuit's slot count.
	Slots int
}

// Validate checks the config.
func (c Config) Validate() error {
	if c.Depth < 1 || c.Depth > MaxDepth {
		return fmt.Errorf("vm: depth %d out of range 1..%d", c.Depth, MaxDepth)
	}
	if uint64(c.Operator) >= 1<<uint(c.Depth) {
		return fmt.Errorf("vm: operator index %d does not fit depth %d", c.Operator, c.Depth)
	}
	if c.Slots < 2 {
		return fmt.Errorf("vm: %d slots; a batch needs at least 2 (a transaction and the fee payout)", c.Slots)
	}
	return nil
}

// Batch executes transactions one at a time on top of a committed state and
// seals them into a SealedBatch. Apply checks every rule against an
// in-memory overlay of the touched accounts and does no Merkle hashing;
// Seal then replays the accepted transactions on the tree, once, to produce
// the roots and the per-step trace. This split is what makes execution
// fast: hashing is paid once per batch, not per soft confirmation.
//
// Batch does no I/O of its own (its NodeReader may) and is not safe for
// concurrent use.
type Batch struct {
	cfg      Config
	tree     *Tree
	before   Meta
	accounts map[uint32]Account
	prio     uint64
	prioHash Element
	feeAcc   uint64
	txs      []Tx
	steps    int
	sealed   bool
	// timestamp is the batch's time (Meta.Timestamp).
	timestamp uint64
}

// NewBatch starts batch head.BatchNumber+1 on the state read by base.
func NewBatch(cfg Config, base NodeReader, head Meta) (*Batch, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	tree, err := NewTree(cfg.Depth, base)
	if err != nil {
		return nil, err
	}
	return &Batch{
		cfg:       cfg,
		tree:      tree,
		before:    head,
		accounts:  make(map[uint32]Account),
		prio:      head.PriorityCount,
		prioHash:  head.PriorityHash,
		timestamp: head.Timestamp,
	}, nil
}

// SetTimestamp sets the batch's time (unix seconds). It defaults to the
// previous batch's; it may not go back, and it is fixed once the first
// transaction is applied, because time-bound rules read it.
func (b *Batch) SetTimestamp(ts uint64) error {
	switch {
	case b.sealed:
		return ErrSealed
	case len(b.txs) > 0:
		return fmt.Errorf("vm: batch %d timestamp set after its first transaction", b.Number())
	case ts < b.before.Timestamp:
		return fmt.Errorf("%w: %d is before the previous batch's %d", ErrTimestamp, ts, b.before.Timestamp)
	}
	b.timestamp = ts
	return nil
}

// Timestamp returns the batch's time.
func (b *Batch) Timestamp() uint64 { return b.timestamp }

// Number is the number the batch will have.
func (b *Batch) Number() uint64 { return b.before.BatchNumber + 1 }

// Len returns the number of accepted transactions.
func (b *Batch) Len() int { return len(b.txs) }

// StepsUsed returns the slots used so far, the fee payout not counted.
func (b *Batch) StepsUsed() int { return b.steps }

// PriorityCount is the number of L1 priority requests consumed including
// this batch's deposits so far.
func (b *Batch) PriorityCount() uint64 { return b.prio }

// Account returns the account at index as this batch has left it so far:
// the soft-confirmed view.
func (b *Batch) Account(index uint32) (Account, error) {
	if a, ok := b.accounts[index]; ok {
		return a, nil
	}
	a, err := b.tree.Get(uint64(index))
	if err != nil {
		return Account{}, err
	}
	b.accounts[index] = a
	return a, nil
}

// Fits reports whether tx's steps, and the fee payout it may need, fit the
// remaining slots.
func (b *Batch) Fits(tx *Tx) bool {
	payout := 0
	if b.feeAcc > 0 || tx.Fee > 0 {
		payout = 1
	}
	return b.steps+tx.Steps()+payout <= b.cfg.Slots
}

// headroom is how much more the account at index may be credited: the
// operator's balance must also absorb the fees it will receive at seal.
func (b *Batch) headroom(index uint32, a Account) uint64 {
	room := math.MaxUint64 - a.Balance
	if index == b.cfg.Operator {
		room -= b.feeAcc
	}
	return room
}

// checkFee checks that a transaction's fee can be collected: the batch's
// fee total does not overflow, and the operator's balance, after the
// transaction's own debit from it and credit to it (the operator may be
// its sender or recipient), can still take every fee of the batch at its
// payout. Every fee-paying transaction calls it, then collectFee once it
// has applied its own changes: this is the one fee path of the VM.
func (b *Batch) checkFee(fee, opDebit, opCredit uint64) error {
	if fee > math.MaxUint64-b.feeAcc {
		return fmt.Errorf("%w: batch fee total", ErrOverflow)
	}
	if fee == 0 {
		return nil
	}
	op, err := b.account(b.cfg.Operator, "operator")
	if err != nil {
		return err
	}
	op.Balance = op.Balance - opDebit + opCredit
	if fee > b.headroom(b.cfg.Operator, op) {
		return fmt.Errorf("%w: operator fee credit", ErrOverflow)
	}
	return nil
}

// collectFee adds a checked fee to the batch's total, which the batch's
// fee payout step credits to the operator.
func (b *Batch) collectFee(fee uint64) { b.feeAcc += fee }

func (b *Batch) account(index uint32, role string) (Account, error) {
	a, err := b.Account(index)
	if err != nil {
		return Account{}, err
	}
	switch a.Kind {
	case KindEmpty:
		return Account{}, fmt.Errorf("%w: %s %d", ErrUnknownAccount, role, index)
	case KindAccount:
		return a, nil
	default:
		return Account{}, fmt.Errorf("%w: %s %d", ErrNotAccount, role, index)
	}
}

// Apply executes tx on the batch, or rejects it with one of the errors in
// errors.go and leaves the batch unchanged. Errors that do not wrap a
// rejection come from the NodeReader.
func (b *Batch) Apply(tx *Tx) error {
	if b.sealed {
		return ErrSealed
	}
	if err := tx.CheckStatic(b.cfg.ChainID, b.cfg.Depth); err != nil {
		return err
	}
	if !b.Fits(tx) {
		return ErrBatchFull
	}
	// L1 requests are consumed strictly in queue order.
	if tx.Type.IsPriority() && tx.PriorityID != b.prio {
		return fmt.Errorf("%w: got request %d, next is %d", ErrPriorityOrder, tx.PriorityID, b.prio)
	}
	var err error
	switch tx.Type {
	case TxDeposit:
		err = b.applyDeposit(tx)
	case TxTransfer, TxWithdraw:
		err = b.applySigned(tx)
	case TxFullExit:
		err = b.applyFullExit(tx)
	case TxDepositRefund:
		// A key that is no valid L2 key (CheckStatic made sure of that):
		// no account changes, and the public data tells L1 to pay the
		// amount back to the depositor.
	case TxForcedChallenge:
		err = b.applyForcedChallenge(tx)
	case TxChanOpen:
		err = b.applyOpen(tx)
	case TxChanClose, TxChanDispute, TxChanChallenge, TxChanFinalize:
		err = b.applyChannel(tx)
	}
	if err != nil {
		return err
	}
	if tx.Type.IsPriority() {
		b.prioHash = tx.priorityHash(b.prioHash)
		b.prio++
	}
	b.txs = append(b.txs, *tx)
	b.txs[len(b.txs)-1].verified = nil
	b.steps += tx.Steps()
	return nil
}

func (b *Batch) applyDeposit(tx *Tx) error {
	a, err := b.Account(tx.To)
	if err != nil {
		return err
	}
	switch a.Kind {
	case KindEmpty:
		a = Account{Kind: KindAccount, PubKey: tx.PubKey}
	case KindAccount:
		if a.PubKey != tx.PubKey {
			return fmt.Errorf("%w: account %d", ErrPubKeyMismatch, tx.To)
		}
	default:
		return fmt.Errorf("%w: deposit to %d", ErrNotAccount, tx.To)
	}
	if tx.Amount > b.headroom(tx.To, a) {
		return fmt.Errorf("%w: deposit of %d to account %d", ErrOverflow, tx.Amount, tx.To)
	}
	a.Balance += tx.Amount
	b.accounts[tx.To] = a
	return nil
}

// applyFullExit consumes a full-exit request. When the request is honoured
// (see fullExitHonoured) it pays the account's whole balance to the
// request's L1 address and advances the account's nonce, so that the same
// signed request, filed again, pays nothing; otherwise it changes nothing.
// Either way the request is consumed, so that nobody can block the queue
// with a request that cannot be honoured (the circuit computes the same
// verdict).
func (b *Batch) applyFullExit(tx *Tx) error {
	a, err := b.Account(tx.From)
	if err != nil {
		return err
	}
	if fullExitHonoured(&a, tx) {
		a.Balance = 0
		a.Nonce++
		b.accounts[tx.From] = a
	}
	return nil
}

// fullExitHonoured reports whether a full-exit request pays out of leaf a:
// the leaf is an account, the request names the account's current nonce
// (not the last one, which could not advance), and the account's key
// signed it. A request filed again after it was honoured names a spent
// nonce and pays nothing.
func fullExitHonoured(a *Account, tx *Tx) bool {
	return a.Kind == KindAccount && tx.Nonce == a.Nonce && a.Nonce != math.MaxUint32 && a.PubKey.VerifyElement(tx.Message(), tx.Sig)
}

// fullExitAmount is what a full-exit request pays from account a: its
// whole balance if the request is honoured, else 0.
func fullExitAmount(a *Account, tx *Tx) uint64 {
	if !fullExitHonoured(a, tx) {
		return 0
	}
	return a.Balance
}

// sender returns the account that signs tx with its nonce (a transfer's,
// a withdrawal's or a channel open's sender), after the checks they share:
// it exists, the nonce is its next one, and it can pay amount and fee.
func (b *Batch) sender(tx *Tx, role string) (Account, error) {
	from, err := b.account(tx.From, role)
	if err != nil {
		return Account{}, err
	}
	if from.Nonce == math.MaxUint32 {
		return Account{}, fmt.Errorf("%w: account %d", ErrNonceExhausted, tx.From)
	}
	if tx.Nonce != from.Nonce {
		return Account{}, fmt.Errorf("%w: got %d, account %d expects %d", ErrBadNonce, tx.Nonce, tx.From, from.Nonce)
	}
	if from.Balance < tx.Amount+tx.userFee() {
		return Account{}, fmt.Errorf("%w: account %d has %d, needs %d", ErrInsufficientBalance, tx.From, from.Balance, tx.Amount+tx.userFee())
	}
	return from, nil
}

func (b *Batch) applySigned(tx *Tx) error {
	from, err := b.sender(tx, "sender")
	if err != nil {
		return err
	}
	var to Account
	if tx.Type == TxTransfer {
		if to, err = b.account(tx.To, "recipient"); err != nil {
			return err
		}
		if tx.Amount > b.headroom(tx.To, to) {
			return fmt.Errorf("%w: credit of %d to account %d", ErrOverflow, tx.Amount, tx.To)
		}
	}
	var opDebit, opCredit uint64
	if tx.From == b.cfg.Operator {
		opDebit = tx.Amount + tx.userFee()
	}
	if tx.Sponsored && tx.Sponsor == b.cfg.Operator {
		opDebit += tx.Fee
	}
	if tx.Type == TxTransfer && tx.To == b.cfg.Operator {
		opCredit = tx.Amount
	}
	if err := b.checkFee(tx.Fee, opDebit, opCredit); err != nil {
		return err
	}
	if !tx.isPreVerified(from.PubKey) && !tx.VerifySignature(from.PubKey) {
		return fmt.Errorf("%w: %s from account %d", ErrBadSignature, tx.Type, tx.From)
	}
	from.Balance -= tx.Amount + tx.userFee()
	from.Nonce++
	if tx.Type == TxTransfer {
		to.Balance += tx.Amount
	}
	if tx.Sponsored {
		// The sponsor pays after the sender's changes, which it sees when
		// it is the sender or the recipient itself.
		var other Account
		sp := &other
		switch {
		case tx.Sponsor == tx.From:
			sp = &from
		case tx.Type == TxTransfer && tx.Sponsor == tx.To:
			sp = &to
		default:
			if other, err = b.Account(tx.Sponsor); err != nil {
				return err
			}
		}
		if *sp, err = b.chargeSponsor(tx, *sp); err != nil {
			return err
		}
		if sp == &other {
			b.accounts[tx.Sponsor] = other
		}
	}
	b.accounts[tx.From] = from
	if tx.Type == TxTransfer {
		b.accounts[tx.To] = to
	}
	b.collectFee(tx.Fee)
	return nil
}

// Seal hashes the batch's changes into the tree and returns the sealed
// batch with its trace, padded to cfg.Slots steps. The batch cannot be
// used afterwards.
func (b *Batch) Seal() (*SealedBatch, error) {
	if b.sealed {
		return nil, ErrSealed
	}
	b.sealed = true
	s := sealer{b: b, regs: Registers{PriorityCount: b.before.PriorityCount, PriorityHash: b.before.PriorityHash}}
	sb := &SealedBatch{ChainID: b.cfg.ChainID, Before: b.before, Txs: b.txs}
	for i := range b.txs {
		if err := s.tx(i, &b.txs[i], sb); err != nil {
			return nil, fmt.Errorf("vm: seal batch %d: %w", b.Number(), err)
		}
	}
	if s.regs.FeeAcc > 0 {
		sb.FeeTotal = s.regs.FeeAcc
		if err := s.feePayout(); err != nil {
			return nil, fmt.Errorf("vm: seal batch %d: %w", b.Number(), err)
		}
	}
	for len(s.steps) < b.cfg.Slots {
		st := s.step(OpNoop, Record{}, -1)
		if err := s.push(st); err != nil {
			return nil, err
		}
	}
	if len(s.steps) != b.cfg.Slots {
		panic("vm: batch overran its slots") // Apply's Fits check prevents this
	}
	if err := s.resolvePaths(); err != nil {
		return nil, fmt.Errorf("vm: seal batch %d: %w", b.Number(), err)
	}
	root, err := b.tree.Root()
	if err != nil {
		return nil, err
	}
	sb.Steps = s.steps
	records := make([]Record, len(s.steps))
	for i, st := range s.steps {
		records[i] = st.Record
	}
	sb.PublicData = EncodePublicData(records)
	sb.After = Meta{BatchNumber: b.Number(), Root: root, PriorityCount: s.regs.PriorityCount, PriorityHash: s.regs.PriorityHash, Timestamp: b.timestamp}
	nodes, leaves := b.tree.Changes()
	sb.Changes = &ChangeSet{Meta: sb.After, Nodes: nodes, Leaves: leaves}
	return sb, nil
}

// sealer replays accepted transactions on the tree, building steps.
type sealer struct {
	b     *Batch
	regs  Registers
	steps []Step
}

// step starts a step with the current registers.
func (s *sealer) step(op Opcode, rec Record, txIndex int) Step {
	return Step{Op: op, Record: rec, TxIndex: txIndex, Regs: s.regs}
}

// push fills the step's unused leaf slots with no-op witnesses on leaf 0 at
// the running root (used slots are always leaf A, or A then B, so the
// no-ops come after them) and appends the step.
func (s *sealer) push(st Step) error {
	for i := range st.Leaves {
		if st.Leaves[i].Used {
			continue
		}
		w, err := s.noopLeaf()
		if err != nil {
			return err
		}
		st.Leaves[i] = w
	}
	s.steps = append(s.steps, st)
	return nil
}

func (s *sealer) noopLeaf() (LeafWitness, error) {
	t := s.b.tree
	a, err := t.Get(0)
	if err != nil {
		return LeafWitness{}, err
	}
	ticket, err := t.ReadDeferred(0)
	if err != nil {
		return LeafWitness{}, err
	}
	return LeafWitness{Before: a, After: a, path: ticket + 1}, nil
}

// update applies a leaf change to the tree and records its witness. The
// path and roots are hashed later, all of the batch's at once (see
// resolvePaths).
func (s *sealer) update(index uint32, f func(*Account)) (LeafWitness, error) {
	t := s.b.tree
	w := LeafWitness{Used: true, Index: index}
	var err error
	if w.Before, err = t.Get(uint64(index)); err != nil {
		return w, err
	}
	w.After = w.Before
	f(&w.After)
	ticket, err := t.SetDeferred(uint64(index), w.After)
	w.path = ticket + 1
	return w, err
}

// resolvePaths fills every witness's path and roots from the tree's
// deferred hashing, which runs on every core.
func (s *sealer) resolvePaths() error {
	for i := range s.steps {
		for j := range s.steps[i].Leaves {
			w := &s.steps[i].Leaves[j]
			if w.path == 0 {
				continue
			}
			p, err := s.b.tree.PathAt(w.path - 1)
			if err != nil {
				return err
			}
			w.Siblings, w.RootBefore, w.RootAfter, w.path = p.Siblings, p.RootBefore, p.RootAfter, 0
		}
	}
	return nil
}

func (s *sealer) tx(i int, tx *Tx, sb *SealedBatch) error {
	switch tx.Type {
	case TxDeposit:
		s.regs.Pending, s.regs.Account, s.regs.Amount, s.regs.Fee = 0, tx.To, tx.Amount, 0
		s.regs.Target.SetZero()
		s.regs.PriorityHash = tx.priorityHash(s.regs.PriorityHash)
		s.regs.PriorityCount++
		st := s.step(OpDeposit, depositRecord(tx.To, tx.Amount), i)
		st.DepositKey = tx.priorityKey()
		var err error
		if st.Leaves[0], err = s.update(tx.To, func(a *Account) {
			if a.Kind == KindEmpty {
				*a = Account{Kind: KindAccount, PubKey: tx.PubKey}
			}
			a.Balance += tx.Amount
		}); err != nil {
			return err
		}
		if err := s.push(st); err != nil {
			return err
		}

	case TxDepositRefund:
		// The record names the request by its position in the batch's span
		// of the queue, counted before this step consumes it.
		position := uint32(s.regs.PriorityCount - s.b.before.PriorityCount)
		s.regs.Pending, s.regs.Account, s.regs.Amount, s.regs.Fee = 0, 0, tx.Amount, 0
		s.regs.Target.SetZero()
		s.regs.PriorityHash = tx.priorityHash(s.regs.PriorityHash)
		s.regs.PriorityCount++
		st := s.step(OpDepositRefund, refundRecord(position, tx.Amount), i)
		st.DepositKey = tx.priorityKey()
		sb.Withdrawals = append(sb.Withdrawals, Withdrawal{To: tx.L1To, Amount: tx.Amount, Refund: true})
		if err := s.push(st); err != nil {
			return err
		}

	case TxTransfer, TxWithdraw:
		s.regs.Account, s.regs.Amount, s.regs.Fee, s.regs.Target = tx.From, tx.Amount, tx.Fee, tx.target()
		s.regs.FeeAcc += tx.userFee()
		var recs []Record
		fee, _ := PackFee(tx.Fee)
		if tx.Type == TxTransfer {
			amount, _ := PackAmount(tx.Amount)
			recs = []Record{transferRecord(tx.From, tx.To, amount, fee)}
		} else {
			w := withdrawRecords(tx.From, tx.Amount, fee, tx.L1To)
			recs = w[:]
			sb.Withdrawals = append(sb.Withdrawals, Withdrawal{Account: tx.From, To: tx.L1To, Amount: tx.Amount})
		}
		s.regs.Pending = uint8(len(recs) - 1)
		head := s.step(Opcode(recs[0][0]), recs[0], i)
		var err error
		var pub PublicKey
		if head.Leaves[0], err = s.update(tx.From, func(a *Account) {
			pub = a.PubKey
			a.Balance -= tx.Amount + tx.userFee()
			a.Nonce++
		}); err != nil {
			return err
		}
		if tx.Type == TxTransfer {
			if head.Leaves[1], err = s.update(tx.To, func(a *Account) { a.Balance += tx.Amount }); err != nil {
				return err
			}
		}
		msg := tx.message()
		head.Sig = &SigWitness{PubKey: pub, Message: msg, Sig: tx.Sig}
		head.Sponsored, head.Sponsor = tx.Sponsored, tx.Sponsor
		if err := s.push(head); err != nil {
			return err
		}
		if tx.Sponsored {
			// The head hands the sponsor's index on in the account
			// register: the data steps repeat it, and the sponsor's step
			// reads it.
			s.regs.Account = tx.Sponsor
		}
		for _, r := range recs[1:] {
			s.regs.Pending--
			st := s.step(OpData, r, i)
			if err := s.push(st); err != nil {
				return err
			}
		}
		if tx.Sponsored {
			if err := s.sealSponsor(i, tx, msg); err != nil {
				return err
			}
		}
	case TxFullExit:
		a, err := s.b.tree.Get(uint64(tx.From))
		if err != nil {
			return err
		}
		honoured := fullExitHonoured(&a, tx)
		amount := fullExitAmount(&a, tx)
		s.regs.Account, s.regs.Amount, s.regs.Fee, s.regs.Target = tx.From, amount, 0, tx.target()
		s.regs.PriorityHash = tx.priorityHash(s.regs.PriorityHash)
		s.regs.PriorityCount++
		recs := payoutRecords(OpFullExit, tx.From, amount, 0, tx.L1To)
		if amount > 0 {
			sb.Withdrawals = append(sb.Withdrawals, Withdrawal{Account: tx.From, To: tx.L1To, Amount: amount})
		}
		s.regs.Pending = 2
		head := s.step(OpFullExit, recs[0], i)
		if head.Leaves[0], err = s.update(tx.From, func(a *Account) {
			if honoured {
				a.Balance, a.Nonce = 0, a.Nonce+1
			}
		}); err != nil {
			return err
		}
		// The circuit checks the signature against the account's key, or,
		// for an empty leaf, against any key (it then pays nothing).
		pub := a.PubKey
		if a.Kind != KindAccount {
			pub = basePoint()
		}
		head.Sig = &SigWitness{PubKey: pub, Message: tx.message(), Sig: tx.Sig}
		if err := s.push(head); err != nil {
			return err
		}
		for _, r := range recs[1:] {
			s.regs.Pending--
			if err := s.push(s.step(OpData, r, i)); err != nil {
				return err
			}
		}
	case TxChanOpen, TxChanClose, TxChanDispute, TxChanChallenge, TxChanFinalize:
		return s.sealChannel(i, tx)
	case TxForcedChallenge:
		return s.sealForcedChallenge(i, tx)
	default:
		return errors.New("unknown transaction type in an accepted batch")
	}
	return nil
}

func (s *sealer) feePayout() error {
	total := s.regs.FeeAcc
	s.regs.FeeAcc = 0
	s.regs.Pending, s.regs.Account, s.regs.Amount, s.regs.Fee = 0, s.b.cfg.Operator, total, 0
	s.regs.Target.SetZero()
	st := s.step(OpFeePayout, feePayoutRecord(s.b.cfg.Operator, total), -1)
	var err error
	if st.Leaves[0], err = s.update(s.b.cfg.Operator, func(a *Account) { a.Balance += total }); err != nil {
		return err
	}
	return s.push(st)
}

// Execute is the VM as a pure function: it applies txs in order to the
// state at head, skipping the ones it rejects, and seals the batch.
// rejected[i] is nil when txs[i] was accepted, or the reason it was not;
// err is set only when the state could not be read.
func Execute(cfg Config, base NodeReader, head Meta, txs []Tx) (sb *SealedBatch, rejected []error, err error) {
	return ExecuteAt(cfg, base, head, head.Timestamp, txs)
}

// ExecuteAt is Execute for a batch with the given timestamp.
func ExecuteAt(cfg Config, base NodeReader, head Meta, timestamp uint64, txs []Tx) (sb *SealedBatch, rejected []error, err error) {
	b, err := NewBatch(cfg, base, head)
	if err != nil {
		return nil, nil, err
	}
	if err := b.SetTimestamp(timestamp); err != nil {
		return nil, nil, err
	}
	rejected = make([]error, len(txs))
	for i := range txs {
		if err := b.Apply(&txs[i]); err != nil {
			if !IsRejection(err) {
				return nil, nil, err
			}
			rejected[i] = err
		}
	}
	sb, err = b.Seal()
	return sb, rejected, err
}

var rejections = []error{
	ErrMalformed, ErrWrongChain, ErrBadSignature, ErrBadNonce, ErrNonceExhausted,
	ErrInsufficientBalance, ErrOverflow, ErrUnknownAccount, ErrNotAccount, ErrZeroAmount,
	ErrIndexOutOfRange, ErrSelfTransfer, ErrAmountNotPackable, ErrFeeNotPackable,
	ErrZeroAddress, ErrPriorityOrder, ErrPubKeyMismatch, ErrBatchFull,
	ErrNotChannel, ErrChannelState, ErrStaleState, ErrChannelSplit, ErrLeafTaken,
}

// IsRejection reports whether err is a verdict on a transaction (one of
// the sentinel rejections) rather than a failure to read state.
func IsRejection(err error) bool {
	for _, r := range rejections {
		if errors.Is(err, r) {
			return true
		}
	}
	return false
}
