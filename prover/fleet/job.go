package fleet

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/keel-rollup/keel/vm"
)

// ErrBadJob means a job's bytes do not decode to a batch a worker can
// prove: wrong magic, a length or shape that does not fit, a field
// element out of range, trailing bytes. The job is not retried; it is a
// dead letter.
var ErrBadJob = errors.New("fleet: malformed proving job")

// ErrJobVersion means a job was encoded in a version this worker does not
// read: upgrade the worker (or the node).
var ErrJobVersion = errors.New("fleet: proving job of another encoding version")

// JobVersion is the version of Job's binary encoding. A worker refuses a
// job of another version, with an error that names both, rather than
// guess at its layout.
const JobVersion = 4 // 2: public data carries the payout map; 3: steps carry their deposit key; 4: and their sponsor

// jobMagic starts every encoded job, so that a stray message on the jobs
// subject is refused at its first bytes.
var jobMagic = [4]byte{'K', 'J', 'O', 'B'}

// maxJobSlots bounds the slot count a decoder accepts before it allocates
// anything: far above any batch circuit Keel builds (256 slots is the
// largest planned), far below what would exhaust a worker's memory.
const maxJobSlots = 1 << 12

// Job is one sealed batch to prove: everything a worker needs to build the
// batch circuit's witness (prover.Witness), and nothing of the node's
// database. CircuitHash names the circuit (prover.CircuitHash) the proof
// must be made with, so that a worker holding other keys refuses the job
// instead of proving it against the wrong verifying key.
type Job struct {
	CircuitHash [32]byte
	Config      vm.Config
	// Batch carries the fields the witness reads: the chain id, the metas
	// before and after, the transactions, the public data and the steps.
	// Withdrawals, the fee total and the change set stay with the node.
	Batch *vm.SealedBatch
}

// MarshalBinary encodes the job (big-endian, fixed widths):
//
//	"KJOB" | version u8 | circuit hash [32]
//	config:   chain id u64 | depth u8 | operator u32 | slots u32
//	batch:    chain id u64 | before meta | after meta
//	          public data: length u32 | bytes
//	          txs: count u32 | each: length u16 | vm.Tx binary encoding
//	          steps (exactly slots of them), each:
//	            op u8 | record [12] | tx index i32 (−1: none) |
//	            deposit key [32] | sponsored u8 | sponsor u32
//	            registers: fee acc u64 | prio count u64 | prio hash [32] |
//	                       pending u8 | account u32 | amount u64 | fee u64 |
//	                       target [32]
//	            two leaves, each: used u8 | index u32 | before, after
//	                       (vm.Account binary) | root before [32] |
//	                       root after [32] | depth siblings [32]
//	            signature: present u8 | key x [32] | key y [32] |
//	                       message [32] | signature [64]
//	            channel:   present u8 | status u8 | a u32 | b u32 |
//	                       open nonce u32 | period u32 | deadline u64 |
//	                       version u64 | split a u64 | total u64 |
//	                       state version u64 | final u8 | closer u8 |
//	                       amount b u64
//	meta:     batch number u64 | root [32] | prio count u64 |
//	          prio hash [32] | timestamp u64
//
// Field elements are canonical (below the modulus); a decoder refuses
// anything else, so a job has exactly one encoding.
func (j *Job) MarshalBinary() ([]byte, error) {
	if err := j.check(); err != nil {
		return nil, err
	}
	sb, cfg := j.Batch, j.Config
	w := &jobWriter{}
	w.bytes(jobMagic[:])
	w.u8(JobVersion)
	w.bytes(j.CircuitHash[:])
	w.u64(cfg.ChainID)
	w.u8(uint8(cfg.Depth))
	w.u32(cfg.Operator)
	w.u32(uint32(cfg.Slots))
	w.u64(sb.ChainID)
	w.meta(sb.Before)
	w.meta(sb.After)
	w.u32(uint32(len(sb.PublicData)))
	w.bytes(sb.PublicData)
	w.u32(uint32(len(sb.Txs)))
	for i := range sb.Txs {
		tx, err := sb.Txs[i].MarshalBinary()
		if err != nil {
			return nil, fmt.Errorf("fleet: encode job: tx %d: %w", i, err)
		}
		w.u16(uint16(len(tx)))
		w.bytes(tx)
	}
	for i := range sb.Steps {
		if err := w.step(&sb.Steps[i]); err != nil {
			return nil, fmt.Errorf("fleet: encode job: step %d: %w", i, err)
		}
	}
	return w.b, nil
}

// check refuses a job whose shape the encoding cannot carry.
func (j *Job) check() error {
	if j.Batch == nil {
		return fmt.Errorf("%w: no batch", ErrBadJob)
	}
	if err := j.Config.Validate(); err != nil {
		return fmt.Errorf("%w: %v", ErrBadJob, err)
	}
	if j.Config.Slots > maxJobSlots {
		return fmt.Errorf("%w: %d slots, at most %d", ErrBadJob, j.Config.Slots, maxJobSlots)
	}
	sb := j.Batch
	if len(sb.Steps) != j.Config.Slots {
		return fmt.Errorf("%w: %d steps for %d slots", ErrBadJob, len(sb.Steps), j.Config.Slots)
	}
	if sb.ChainID != j.Config.ChainID {
		return fmt.Errorf("%w: batch of chain %d, config of chain %d", ErrBadJob, sb.ChainID, j.Config.ChainID)
	}
	if len(sb.PublicData) != vm.PublicDataSize(j.Config.Slots) {
		return fmt.Errorf("%w: %d bytes of public data for %d slots", ErrBadJob, len(sb.PublicData), j.Config.Slots)
	}
	if len(sb.Txs) > j.Config.Slots {
		return fmt.Errorf("%w: %d transactions for %d slots", ErrBadJob, len(sb.Txs), j.Config.Slots)
	}
	for i := range sb.Steps {
		st := &sb.Steps[i]
		if st.TxIndex < -1 || st.TxIndex >= len(sb.Txs) {
			return fmt.Errorf("%w: step %d names transaction %d of %d", ErrBadJob, i, st.TxIndex, len(sb.Txs))
		}
		for k := range st.Leaves {
			if n := len(st.Leaves[k].Siblings); n != j.Config.Depth {
				return fmt.Errorf("%w: step %d leaf %d has %d siblings, depth %d", ErrBadJob, i, k, n, j.Config.Depth)
			}
		}
	}
	return nil
}

// UnmarshalBinary decodes MarshalBinary's encoding. Jobs come from the
// network, so it trusts nothing: it checks the magic, the version, every
// length before it allocates, every field element's range, and that
// nothing trails; then the same shape rules MarshalBinary enforces.
func (j *Job) UnmarshalBinary(b []byte) error {
	r := &jobReader{b: b}
	var magic [4]byte
	r.read(magic[:])
	if r.err == nil && magic != jobMagic {
		return fmt.Errorf("%w: not a proving job (starts %x)", ErrBadJob, magic)
	}
	if v := r.u8(); r.err == nil && v != JobVersion {
		return fmt.Errorf("%w: encoding version %d, this worker reads %d", ErrJobVersion, v, JobVersion)
	}
	var out Job
	r.read(out.CircuitHash[:])
	out.Config.ChainID = r.u64()
	out.Config.Depth = int(r.u8())
	out.Config.Operator = r.u32()
	slots := r.u32()
	if r.err != nil {
		return r.failed()
	}
	if slots == 0 || slots > maxJobSlots || out.Config.Depth < 1 || out.Config.Depth > vm.MaxDepth {
		return fmt.Errorf("%w: %d slots at depth %d", ErrBadJob, slots, out.Config.Depth)
	}
	out.Config.Slots = int(slots)
	sb := &vm.SealedBatch{ChainID: r.u64()}
	sb.Before = r.meta()
	sb.After = r.meta()
	if n := r.u32(); r.err == nil {
		if uint64(n) != uint64(vm.PublicDataSize(int(slots))) {
			return fmt.Errorf("%w: %d bytes of public data for %d slots", ErrBadJob, n, slots)
		}
		sb.PublicData = make([]byte, n)
		r.read(sb.PublicData)
	}
	if n := r.u32(); r.err == nil {
		if n > slots {
			return fmt.Errorf("%w: %d transactions for %d slots", ErrBadJob, n, slots)
		}
		sb.Txs = make([]vm.Tx, n)
		for i := range sb.Txs {
			size := int(r.u16())
			if r.err == nil && size > vm.MaxTxSize {
				return fmt.Errorf("%w: tx %d is %d bytes", ErrBadJob, i, size)
			}
			raw := make([]byte, size)
			r.read(raw)
			if r.err != nil {
				break
			}
			if err := sb.Txs[i].UnmarshalBinary(raw); err != nil {
				return fmt.Errorf("%w: tx %d: %v", ErrBadJob, i, err)
			}
		}
	}
	if r.err != nil {
		return r.failed()
	}
	// Every step takes at least minStepSize bytes: refuse a job too short
	// for its slot count before allocating the steps.
	if need := uint64(slots) * uint64(minStepSize(out.Config.Depth)); uint64(len(r.b)) < need {
		return fmt.Errorf("%w: %d bytes left for %d steps of at least %d", ErrBadJob, len(r.b), slots, minStepSize(out.Config.Depth))
	}
	sb.Steps = make([]vm.Step, slots)
	for i := range sb.Steps {
		r.step(&sb.Steps[i], out.Config.Depth)
		if r.err != nil {
			return fmt.Errorf("%w (step %d)", r.failed(), i)
		}
	}
	if len(r.b) != 0 {
		return fmt.Errorf("%w: %d bytes trail the job", ErrBadJob, len(r.b))
	}
	out.Batch = sb
	if err := out.check(); err != nil {
		return err
	}
	*j = out
	return nil
}

// minStepSize is an encoded step's size without its signature and
// channel witness: op, record, tx index, registers, two leaves, two flags.
func minStepSize(depth int) int {
	const regs = 8 + 8 + 32 + 1 + 4 + 8 + 8 + 32
	leaf := 1 + 4 + 2*vm.AccountSize + 2*32 + depth*32
	return 1 + vm.RecordSize + 4 + regs + 2*leaf + 2
}

// jobWriter appends fixed-width big-endian fields.
type jobWriter struct{ b []byte }

func (w *jobWriter) bytes(p []byte) { w.b = append(w.b, p...) }
func (w *jobWriter) u8(v uint8)     { w.b = append(w.b, v) }
func (w *jobWriter) u16(v uint16)   { w.b = binary.BigEndian.AppendUint16(w.b, v) }
func (w *jobWriter) u32(v uint32)   { w.b = binary.BigEndian.AppendUint32(w.b, v) }
func (w *jobWriter) u64(v uint64)   { w.b = binary.BigEndian.AppendUint64(w.b, v) }
func (w *jobWriter) elem(e vm.Element) {
	b := e.Bytes()
	w.bytes(b[:])
}
func (w *jobWriter) flag(v bool) {
	if v {
		w.u8(1)
	} else {
		w.u8(0)
	}
}

func (w *jobWriter) meta(m vm.Meta) {
	w.u64(m.BatchNumber)
	w.elem(m.Root)
	w.u64(m.PriorityCount)
	w.elem(m.PriorityHash)
	w.u64(m.Timestamp)
}

func (w *jobWriter) account(a *vm.Account) error {
	b, err := a.MarshalBinary()
	if err != nil {
		return err
	}
	w.bytes(b)
	return nil
}

func (w *jobWriter) step(st *vm.Step) error {
	w.u8(uint8(st.Op))
	w.bytes(st.Record[:])
	if st.TxIndex < -1 || st.TxIndex > math.MaxInt32 {
		return fmt.Errorf("tx index %d", st.TxIndex)
	}
	w.u32(uint32(int32(st.TxIndex)))
	w.bytes(st.DepositKey[:])
	w.flag(st.Sponsored)
	w.u32(st.Sponsor)
	g := &st.Regs
	w.u64(g.FeeAcc)
	w.u64(g.PriorityCount)
	w.elem(g.PriorityHash)
	w.u8(g.Pending)
	w.u32(g.Account)
	w.u64(g.Amount)
	w.u64(g.Fee)
	w.elem(g.Target)
	for k := range st.Leaves {
		l := &st.Leaves[k]
		w.flag(l.Used)
		w.u32(l.Index)
		if err := w.account(&l.Before); err != nil {
			return err
		}
		if err := w.account(&l.After); err != nil {
			return err
		}
		w.elem(l.RootBefore)
		w.elem(l.RootAfter)
		for _, s := range l.Siblings {
			w.elem(s)
		}
	}
	w.flag(st.Sig != nil)
	if s := st.Sig; s != nil {
		w.elem(s.PubKey.X)
		w.elem(s.PubKey.Y)
		w.elem(s.Message)
		w.bytes(s.Sig[:])
	}
	w.flag(st.Chan != nil)
	if c := st.Chan; c != nil {
		l := &c.Leaf
		w.u8(uint8(l.Status))
		w.u32(l.A)
		w.u32(l.B)
		w.u32(l.OpenNonce)
		w.u32(l.Period)
		w.u64(l.Deadline)
		w.u64(l.Version)
		w.u64(l.SplitA)
		w.u64(l.Total)
		w.u64(c.Version)
		w.flag(c.Final)
		w.flag(c.Closer)
		w.u64(c.AmountB)
	}
	return nil
}

// jobReader consumes fixed-width fields; the first error sticks and every
// later read returns zeros, so a decoder checks once per section.
type jobReader struct {
	b   []byte
	err error
}

var errShort = errors.New("job ends early")

func (r *jobReader) failed() error { return fmt.Errorf("%w: %v", ErrBadJob, r.err) }

func (r *jobReader) next(n int) []byte {
	if r.err != nil {
		return nil
	}
	if len(r.b) < n {
		r.err = errShort
		return nil
	}
	p := r.b[:n]
	r.b = r.b[n:]
	return p
}

func (r *jobReader) read(dst []byte) {
	if p := r.next(len(dst)); p != nil {
		copy(dst, p)
	}
}

func (r *jobReader) u8() uint8 {
	if p := r.next(1); p != nil {
		return p[0]
	}
	return 0
}

func (r *jobReader) u16() uint16 {
	if p := r.next(2); p != nil {
		return binary.BigEndian.Uint16(p)
	}
	return 0
}

func (r *jobReader) u32() uint32 {
	if p := r.next(4); p != nil {
		return binary.BigEndian.Uint32(p)
	}
	return 0
}

func (r *jobReader) u64() uint64 {
	if p := r.next(8); p != nil {
		return binary.BigEndian.Uint64(p)
	}
	return 0
}

func (r *jobReader) flag() bool {
	switch v := r.u8(); v {
	case 0:
		return false
	case 1:
		return true
	default:
		if r.err == nil {
			r.err = fmt.Errorf("flag byte %d", v)
		}
		return false
	}
}

func (r *jobReader) elem() vm.Element {
	var e vm.Element
	if p := r.next(32); p != nil {
		if err := e.SetBytesCanonical(p); err != nil {
			r.err = fmt.Errorf("field element: %v", err)
		}
	}
	return e
}

func (r *jobReader) meta() vm.Meta {
	return vm.Meta{BatchNumber: r.u64(), Root: r.elem(), PriorityCount: r.u64(), PriorityHash: r.elem(), Timestamp: r.u64()}
}

func (r *jobReader) account() vm.Account {
	var a vm.Account
	if p := r.next(vm.AccountSize); p != nil {
		if err := a.UnmarshalBinary(p); err != nil {
			r.err = err
		}
	}
	return a
}

func (r *jobReader) step(st *vm.Step, depth int) {
	st.Op = vm.Opcode(r.u8())
	r.read(st.Record[:])
	st.TxIndex = int(int32(r.u32()))
	r.read(st.DepositKey[:])
	st.Sponsored = r.flag()
	st.Sponsor = r.u32()
	g := &st.Regs
	g.FeeAcc = r.u64()
	g.PriorityCount = r.u64()
	g.PriorityHash = r.elem()
	g.Pending = r.u8()
	g.Account = r.u32()
	g.Amount = r.u64()
	g.Fee = r.u64()
	g.Target = r.elem()
	for k := range st.Leaves {
		l := &st.Leaves[k]
		l.Used = r.flag()
		l.Index = r.u32()
		l.Before = r.account()
		l.After = r.account()
		l.RootBefore = r.elem()
		l.RootAfter = r.elem()
		if r.err != nil {
			return
		}
		l.Siblings = make([]vm.Element, depth)
		for i := range l.Siblings {
			l.Siblings[i] = r.elem()
		}
	}
	if r.flag() {
		s := &vm.SigWitness{}
		s.PubKey.X = r.elem()
		s.PubKey.Y = r.elem()
		s.Message = r.elem()
		r.read(s.Sig[:])
		st.Sig = s
	}
	if r.flag() {
		c := &vm.ChanWitness{}
		l := &c.Leaf
		l.Status = vm.ChannelStatus(r.u8())
		l.A = r.u32()
		l.B = r.u32()
		l.OpenNonce = r.u32()
		l.Period = r.u32()
		l.Deadline = r.u64()
		l.Version = r.u64()
		l.SplitA = r.u64()
		l.Total = r.u64()
		c.Version = r.u64()
		c.Final = r.flag()
		c.Closer = r.flag()
		c.AmountB = r.u64()
		st.Chan = c
	}
}
