package vm

import (
	"fmt"
	"math"

	"github.com/ethereum/go-ethereum/common"
)

// RecordSize is the width of every public-data record: one per step.
const RecordSize = 12

// A batch's public data is its records, one per slot, followed by the
// payout map: one bit per slot, set where the slot is a payout head (a
// withdrawal, a full exit or a deposit refund), the first slot in the first byte's top bit,
// zero-padded to whole bytes. The circuit binds the map to the records, so
// the L1 contract visits the payouts alone instead of scanning every
// record: a transfer's L1 cost is its 12 calldata bytes and nothing else.

// PayoutMapSize is the length of a batch's payout map.
func PayoutMapSize(slots int) int { return (slots + 7) / 8 }

// PublicDataSize is the length of a batch's public data.
func PublicDataSize(slots int) int { return slots*RecordSize + PayoutMapSize(slots) }

// slotsOf returns the slot count whose public data is n bytes long.
func slotsOf(n int) (int, bool) {
	s := n * 8 / (8*RecordSize + 1)
	for _, c := range []int{s - 1, s, s + 1} {
		if c >= 0 && PublicDataSize(c) == n {
			return c, true
		}
	}
	return 0, false
}

// IsPayout reports whether op's record starts a payout to L1.
func (o Opcode) IsPayout() bool { return o == OpWithdraw || o == OpFullExit || o == OpDepositRefund }

// appendPayoutMap appends the payout map of records to data.
func appendPayoutMap(data []byte, records []Record) []byte {
	m := make([]byte, PayoutMapSize(len(records)))
	for i, r := range records {
		if r.Op().IsPayout() {
			m[i/8] |= 0x80 >> (i % 8)
		}
	}
	return append(data, m...)
}

// EncodePublicData lays out records as a batch's public data: the records,
// then their payout map.
func EncodePublicData(records []Record) []byte {
	data := make([]byte, 0, PublicDataSize(len(records)))
	for _, r := range records {
		data = append(data, r[:]...)
	}
	return appendPayoutMap(data, records)
}

// Opcode is a step's operation, the first byte of its public-data record.
type Opcode uint8

// Step opcodes. A transaction compiles into a head step and, when its data
// does not fit one record, continuation (OpData) steps; see doc.go.
// Opcodes 6–12 are the payment-channel steps (chanexec.go); 13–15 are
// reserved.
const (
	OpNoop      Opcode = 0 // padding; record all zero
	OpDeposit   Opcode = 1 // credit from the L1 priority queue
	OpTransfer  Opcode = 2 // L2 → L2
	OpWithdraw  Opcode = 3 // L2 → L1 payout, head step
	OpFeePayout Opcode = 4 // credits the batch's fees to the operator
	OpData      Opcode = 5 // continuation of the previous step's transaction
	// OpFullExit pays a full-exit request from the L1 queue: the layout of
	// a withdrawal (two data records follow, the fee zero).
	OpFullExit Opcode = 16
	// OpDepositRefund consumes a deposit whose key is no valid L2 key and
	// pays it back to its depositor: the record names the request by its
	// position among the batch's priority requests, and L1 finds the
	// depositor in Rollup.prioRequests.
	OpDepositRefund Opcode = 17
	// OpForcedChallenge and OpForcedChallengeB consume a channel challenge
	// filed on L1 (TxForcedChallenge): the head checks party A's
	// signature, the second step party B's, and applies the state when the
	// challenge is valid. The records carry the state and the verdict.
	OpForcedChallenge  Opcode = 18
	OpForcedChallengeB Opcode = 19
	// OpSponsor follows a sponsored transfer's or withdrawal's steps: it
	// debits the transaction's fee from the sponsor's account, whose
	// signature it checks, instead of the sender's.
	OpSponsor Opcode = 20

	// Payment channels: a head, then one continuation step on party B's
	// account.
	OpChanOpen      Opcode = 6  // debits A (signed, nonce), creates the channel leaf
	OpChanFund      Opcode = 7  // debits B's funding (signed by B when non-zero)
	OpChanClose     Opcode = 8  // cooperative close: credits A, removes the channel
	OpChanDispute   Opcode = 9  // unilateral close: records the state, starts the period
	OpChanChallenge Opcode = 10 // replaces a closing state with a newer one
	OpChanFinalize  Opcode = 11 // after the deadline: credits A, removes the channel
	OpChanPayB      Opcode = 12 // B's side of 8–11: credit (8, 11) and B's signature (8–10)
)

func (o Opcode) String() string {
	switch o {
	case OpNoop:
		return "noop"
	case OpDeposit:
		return "deposit"
	case OpTransfer:
		return "transfer"
	case OpWithdraw:
		return "withdraw"
	case OpFeePayout:
		return "fee-payout"
	case OpData:
		return "data"
	case OpFullExit:
		return "full-exit"
	case OpDepositRefund:
		return "deposit-refund"
	case OpForcedChallenge:
		return "forced-challenge"
	case OpForcedChallengeB:
		return "forced-challenge-b"
	case OpSponsor:
		return "sponsor"
	case OpChanOpen:
		return "channel-open"
	case OpChanFund:
		return "channel-fund"
	case OpChanClose:
		return "channel-close"
	case OpChanDispute:
		return "channel-dispute"
	case OpChanChallenge:
		return "channel-challenge"
	case OpChanFinalize:
		return "channel-finalize"
	case OpChanPayB:
		return "channel-pay-b"
	}
	return fmt.Sprintf("op(%d)", uint8(o))
}

// Packed amounts: value = mantissa × 10^exponent, the exponent in the high
// 5 bits. Loopring packs amounts the same way. A transfer's amount and
// every fee must be exactly representable; clients round down before
// signing. Deposits and withdrawals carry full 64-bit amounts.
const (
	float24MantissaBits = 19
	float16MantissaBits = 11
	floatExponentBits   = 5
)

var pow10 = func() (p [20]uint64) {
	p[0] = 1
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1] * 10
	}
	return p
}()

// packFloat returns the encoding of v with the smallest exponent, or false
// when v has none.
func packFloat(v uint64, mantissaBits uint) (uint32, bool) {
	maxM := uint64(1)<<mantissaBits - 1
	for e := 0; e < len(pow10); e++ {
		if v%pow10[e] != 0 {
			return 0, false
		}
		if m := v / pow10[e]; m <= maxM {
			return uint32(e)<<mantissaBits | uint32(m), true
		}
	}
	return 0, false
}

// unpackFloat decodes a packed amount; exponents that overflow 64 bits are
// an error, never a wrap. Only the encoding packFloat writes, the one with
// the smallest exponent, is accepted: an exponent above 0 must be needed
// (10·m does not fit the mantissa), so every amount has one encoding, as
// the batch circuit demands.
func unpackFloat(p uint32, mantissaBits uint) (uint64, error) {
	e := p >> mantissaBits
	m := uint64(p & (1<<mantissaBits - 1))
	if e >= 1<<floatExponentBits {
		return 0, fmt.Errorf("%w: packed amount %#x too wide", ErrMalformed, p)
	}
	if m != 0 && (int(e) >= len(pow10) || m > math.MaxUint64/pow10[e]) {
		return 0, fmt.Errorf("%w: packed amount %d×10^%d overflows", ErrOverflow, m, e)
	}
	if e > 0 && 10*m < 1<<mantissaBits {
		return 0, fmt.Errorf("%w: packed amount %d×10^%d is not canonical (%d×10^%d is)", ErrMalformed, m, e, 10*m, e-1)
	}
	return m * pow10[e], nil
}

// PackAmount returns v's Float24 encoding (19-bit mantissa, 5-bit exponent).
func PackAmount(v uint64) (uint32, bool) { return packFloat(v, float24MantissaBits) }

// UnpackAmount decodes a Float24.
func UnpackAmount(p uint32) (uint64, error) { return unpackFloat(p, float24MantissaBits) }

// PackFee returns v's Float16 encoding (11-bit mantissa, 5-bit exponent).
func PackFee(v uint64) (uint16, bool) {
	p, ok := packFloat(v, float16MantissaBits)
	return uint16(p), ok
}

// UnpackFee decodes a Float16.
func UnpackFee(p uint16) (uint64, error) { return unpackFloat(uint32(p), float16MantissaBits) }

// RoundAmount rounds v down to the nearest amount a transfer can carry.
func RoundAmount(v uint64) uint64 { return roundDown(v, float24MantissaBits) }

// RoundFee rounds v down to the nearest representable fee.
func RoundFee(v uint64) uint64 { return roundDown(v, float16MantissaBits) }

func roundDown(v uint64, mantissaBits uint) uint64 {
	maxM := uint64(1)<<mantissaBits - 1
	for e := 0; e < len(pow10); e++ {
		if v/pow10[e] <= maxM {
			return v / pow10[e] * pow10[e]
		}
	}
	return v / pow10[19] * pow10[19]
}

// Record is one step's public data. Layouts (big-endian; idx = 3-byte
// account index; f24/f16 = packed amounts; u64 = full amount):
//
//	NOOP       00 | 11 zero bytes
//	DEPOSIT    01 | idx account | u64 amount
//	TRANSFER   02 | idx from | idx to | f24 amount | f16 fee
//	WITHDRAW   03 | idx from | u64 amount
//	  DATA     05 | f16 fee | L1 address bytes 0..8
//	  DATA     05 | L1 address bytes 9..19
//	FEE_PAYOUT 04 | idx operator | u64 batch fee total
//	FULL_EXIT  10 | idx account | u64 amount, then two DATA as WITHDRAW (fee 0)
//	REFUND     11 | u24 request's position in the batch's queue span | u64 amount
//	CH_OPEN    06 | idx A | idx channel | f24 A's funding | f16 fee
//	  CH_FUND  07 | idx B | f24 B's funding | u32 challenge period | 00
//	CH_CLOSE   08 | idx channel | u64 paid to A
//	CH_DISPUTE 09 | idx channel | u64 version
//	CH_CHALL.  0a | idx channel | u64 version
//	CH_FINAL.  0b | idx channel | u64 paid to A
//	  CH_PAY_B 0c | idx B | u64 B's balance in the state (paid to B after 08 and 0b)
//	FORCED_CH  12 | idx channel | u64 version (a challenge from the L1 queue)
//	  FORCED_B 13 | u8 applied (0 or 1) | 00 00 | u64 the state's balance A
//	  SPONSOR  14 | idx sponsor | f16 fee | 6 zero bytes (after a sponsored
//	             transfer's or withdrawal's records, whose fee it pays)
//
// A transfer is one step and 12 bytes; a withdrawal is three steps.
type Record [RecordSize]byte

// Op returns the record's opcode.
func (r Record) Op() Opcode { return Opcode(r[0]) }

func depositRecord(account uint32, amount uint64) (r Record) {
	r[0] = byte(OpDeposit)
	putUint24(r[1:4], account)
	be.PutUint64(r[4:12], amount)
	return r
}

func refundRecord(position uint32, amount uint64) (r Record) {
	r[0] = byte(OpDepositRefund)
	putUint24(r[1:4], position)
	be.PutUint64(r[4:12], amount)
	return r
}

func transferRecord(from, to uint32, amount uint32, fee uint16) (r Record) {
	r[0] = byte(OpTransfer)
	putUint24(r[1:4], from)
	putUint24(r[4:7], to)
	putUint24(r[7:10], amount)
	be.PutUint16(r[10:12], fee)
	return r
}

func withdrawRecords(from uint32, amount uint64, fee uint16, to common.Address) (r [3]Record) {
	return payoutRecords(OpWithdraw, from, amount, fee, to)
}

// payoutRecords is the three-record layout of an L1 payout: a withdrawal
// or a full exit.
func payoutRecords(op Opcode, from uint32, amount uint64, fee uint16, to common.Address) (r [3]Record) {
	r[0][0] = byte(op)
	putUint24(r[0][1:4], from)
	be.PutUint64(r[0][4:12], amount)
	r[1][0] = byte(OpData)
	be.PutUint16(r[1][1:3], fee)
	copy(r[1][3:12], to[0:9])
	r[2][0] = byte(OpData)
	copy(r[2][1:12], to[9:20])
	return r
}

func feePayoutRecord(operator uint32, total uint64) (r Record) {
	r[0] = byte(OpFeePayout)
	putUint24(r[1:4], operator)
	be.PutUint64(r[4:12], total)
	return r
}

// PublicOp is one decoded operation of a batch's public data: what a node
// that follows L1 needs to replay the batch (together with the L1 deposit
// events, which carry the keys of new accounts).
type PublicOp struct {
	Op      Opcode
	Account uint32         // deposit target, sender, or operator
	To      uint32         // transfer recipient
	Amount  uint64         // amount, or the fee total of a payout
	Fee     uint64         // transfer or withdrawal fee
	L1To    common.Address // withdrawal recipient
	// Position is a refund's request, counted from the first priority
	// request the batch consumes.
	Position uint32
	// Channel operations: the channel's leaf; B's funding or B's balance
	// in the state; the state's version; an open's challenge period. For
	// them Account is party A (open) or party B (the others), and Amount
	// A's funding (open), what A is paid (close, finalize) or nothing. A
	// forced challenge has Channel, Version, Amount (the state's balance
	// A) and Applied.
	Channel uint32
	AmountB uint64
	Version uint64
	Period  uint32
	// Applied says whether a forced challenge replaced the channel's
	// state.
	Applied bool
	// Sponsored marks a transfer or withdrawal whose Fee the account
	// Sponsor paid (an OpSponsor record followed it).
	Sponsored bool
	Sponsor   uint32
}

// DecodePublicData parses a batch's public data (records and payout map)
// into operations. It is the reader the L1 contract and a syncing node
// mirror; it rejects a length that fits no slot count, unknown opcodes,
// stray or missing continuation records, non-zero padding, padding before
// the last operation, overflowing or non-canonical amounts, and a payout
// map that disagrees with the records.
func DecodePublicData(data []byte) ([]PublicOp, error) {
	n, ok := slotsOf(len(data))
	if !ok {
		return nil, fmt.Errorf("%w: public data is %d bytes, which is %d-byte records and their payout map for no slot count", ErrMalformed, len(data), RecordSize)
	}
	rec := func(i int) Record { var r Record; copy(r[:], data[i*RecordSize:]); return r }
	records := make([]Record, n)
	for i := range records {
		records[i] = rec(i)
	}
	if want := appendPayoutMap(nil, records); string(want) != string(data[n*RecordSize:]) {
		return nil, fmt.Errorf("%w: payout map %x, the records' is %x", ErrMalformed, data[n*RecordSize:], want)
	}
	var ops []PublicOp
	padded := false // a noop was seen: the rest is padding
	for i := 0; i < n; i++ {
		r := rec(i)
		if padded && r.Op() != OpNoop {
			return nil, fmt.Errorf("%w: record %d: %s after padding (padding comes last)", ErrMalformed, i, r.Op())
		}
		switch r.Op() {
		case OpNoop:
			if r != (Record{}) {
				return nil, fmt.Errorf("%w: record %d: noop with non-zero bytes", ErrMalformed, i)
			}
			padded = true
		case OpDeposit:
			ops = append(ops, PublicOp{Op: OpDeposit, Account: uint24(r[1:4]), Amount: be.Uint64(r[4:12])})
		case OpDepositRefund:
			ops = append(ops, PublicOp{Op: OpDepositRefund, Position: uint24(r[1:4]), Amount: be.Uint64(r[4:12])})
		case OpTransfer:
			amount, err := UnpackAmount(uint24(r[7:10]))
			if err != nil {
				return nil, fmt.Errorf("record %d: %w", i, err)
			}
			fee, err := UnpackFee(be.Uint16(r[10:12]))
			if err != nil {
				return nil, fmt.Errorf("record %d: %w", i, err)
			}
			op := PublicOp{Op: OpTransfer, Account: uint24(r[1:4]), To: uint24(r[4:7]), Amount: amount, Fee: fee}
			if i+1 < n && rec(i+1).Op() == OpSponsor {
				if err := readSponsor(&op, rec(i+1), i+1); err != nil {
					return nil, err
				}
				i++
			}
			ops = append(ops, op)
		case OpWithdraw, OpFullExit:
			if i+2 >= n || rec(i+1).Op() != OpData || rec(i+2).Op() != OpData {
				return nil, fmt.Errorf("%w: record %d: %s without its two data records", ErrMalformed, i, r.Op())
			}
			d1, d2 := rec(i+1), rec(i+2)
			fee, err := UnpackFee(be.Uint16(d1[1:3]))
			if err != nil {
				return nil, fmt.Errorf("record %d: %w", i+1, err)
			}
			if r.Op() == OpFullExit && fee != 0 {
				return nil, fmt.Errorf("%w: record %d: full exit with a fee", ErrMalformed, i)
			}
			op := PublicOp{Op: r.Op(), Account: uint24(r[1:4]), Amount: be.Uint64(r[4:12]), Fee: fee}
			copy(op.L1To[0:9], d1[3:12])
			copy(op.L1To[9:20], d2[1:12])
			i += 2
			if op.Op == OpWithdraw && i+1 < n && rec(i+1).Op() == OpSponsor {
				if err := readSponsor(&op, rec(i+1), i+1); err != nil {
					return nil, err
				}
				i++
			}
			ops = append(ops, op)
		case OpFeePayout:
			ops = append(ops, PublicOp{Op: OpFeePayout, Account: uint24(r[1:4]), Amount: be.Uint64(r[4:12])})
		case OpChanOpen:
			if i+1 >= n || rec(i+1).Op() != OpChanFund {
				return nil, fmt.Errorf("%w: record %d: channel open without its funding record", ErrMalformed, i)
			}
			f := rec(i + 1)
			amount, err := UnpackAmount(uint24(r[7:10]))
			if err != nil {
				return nil, fmt.Errorf("record %d: %w", i, err)
			}
			fee, err := UnpackFee(be.Uint16(r[10:12]))
			if err != nil {
				return nil, fmt.Errorf("record %d: %w", i, err)
			}
			amountB, err := UnpackAmount(uint24(f[4:7]))
			if err != nil {
				return nil, fmt.Errorf("record %d: %w", i+1, err)
			}
			if f[11] != 0 {
				return nil, fmt.Errorf("%w: record %d: non-zero padding", ErrMalformed, i+1)
			}
			ops = append(ops, PublicOp{Op: OpChanOpen, Account: uint24(r[1:4]), Channel: uint24(r[4:7]), Amount: amount, Fee: fee,
				To: uint24(f[1:4]), AmountB: amountB, Period: be.Uint32(f[7:11])})
			i++
		case OpChanClose, OpChanDispute, OpChanChallenge, OpChanFinalize:
			if i+1 >= n || rec(i+1).Op() != OpChanPayB {
				return nil, fmt.Errorf("%w: record %d: %s without party B's record", ErrMalformed, i, r.Op())
			}
			p := rec(i + 1)
			op := PublicOp{Op: r.Op(), Channel: uint24(r[1:4]), Account: uint24(p[1:4]), AmountB: be.Uint64(p[4:12])}
			if op.Op == OpChanDispute || op.Op == OpChanChallenge {
				op.Version = be.Uint64(r[4:12])
			} else {
				op.Amount = be.Uint64(r[4:12])
			}
			ops = append(ops, op)
			i++
		case OpForcedChallenge:
			if i+1 >= n || rec(i+1).Op() != OpForcedChallengeB {
				return nil, fmt.Errorf("%w: record %d: forced challenge without its verdict record", ErrMalformed, i)
			}
			v := rec(i + 1)
			if v[1] > 1 || v[2] != 0 || v[3] != 0 {
				return nil, fmt.Errorf("%w: record %d: forced-challenge verdict %x is not 0 or 1 and padding", ErrMalformed, i+1, v[1:4])
			}
			ops = append(ops, PublicOp{Op: OpForcedChallenge, Channel: uint24(r[1:4]), Version: be.Uint64(r[4:12]), Amount: be.Uint64(v[4:12]), Applied: v[1] == 1})
			i++
		case OpData, OpChanFund, OpChanPayB, OpForcedChallengeB, OpSponsor:
			return nil, fmt.Errorf("%w: record %d: %s record without a head", ErrMalformed, i, r.Op())
		default:
			return nil, fmt.Errorf("%w: record %d: unknown opcode %d", ErrMalformed, i, r[0])
		}
	}
	return ops, nil
}

// readSponsor reads the OpSponsor record r (record number i) that follows
// op's records: the sponsor pays op's fee, which r repeats.
func readSponsor(op *PublicOp, r Record, i int) error {
	fee, err := UnpackFee(be.Uint16(r[4:6]))
	if err != nil {
		return fmt.Errorf("record %d: %w", i, err)
	}
	if fee != op.Fee {
		return fmt.Errorf("%w: record %d: sponsor pays fee %d, its transaction's is %d", ErrMalformed, i, fee, op.Fee)
	}
	if [6]byte(r[6:]) != [6]byte{} {
		return fmt.Errorf("%w: record %d: non-zero padding", ErrMalformed, i)
	}
	op.Sponsored, op.Sponsor = true, uint24(r[1:4])
	return nil
}
