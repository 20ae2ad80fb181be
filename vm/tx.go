package vm

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// TxType is the kind of a transaction.
type TxType uint8

// Transaction types. Deposits and full exits come from the L1 priority
// queue; transfers and withdrawals are signed by the sender's L2 key and
// sent to the sequencer. Types 4–8 are the payment-channel operations
// (chantx.go).
const (
	TxDeposit  TxType = 1
	TxTransfer TxType = 2
	TxWithdraw TxType = 3
	// TxChanOpen opens a channel between the sender (party A) and account
	// To (party B), locking Amount from A and AmountB from B.
	TxChanOpen TxType = 4
	// TxChanClose settles a channel at once with a Final state both
	// parties signed.
	TxChanClose TxType = 5
	// TxChanDispute closes a channel unilaterally with a co-signed state
	// (or the opening, version 0) and starts its challenge period.
	TxChanDispute TxType = 6
	// TxChanChallenge replaces a closing channel's state with a co-signed
	// state of a higher version, within the challenge period.
	TxChanChallenge TxType = 7
	// TxChanFinalize pays out a closing channel after its deadline.
	TxChanFinalize TxType = 8
	// TxFullExit is a forced withdrawal of an account's whole balance,
	// requested on L1 (Rollup.requestFullExit) with the account key's
	// signature, so that a sequencer that censors the account's L2
	// transactions must still process it or let exodus mode start. The
	// signature binds the account's nonce, and an honoured request
	// advances it, so that a request cannot be filed again once it has
	// paid. A request whose signature does not hold, whose nonce is not
	// the account's, or whose account does not exist, is consumed as a
	// no-op paying nothing: no request can jam the queue.
	TxFullExit TxType = 9
	// TxDepositRefund is a deposit whose key is not a valid L2 key (see
	// DepositKey): the batch consumes the request and pays its amount back
	// to the depositor on L1 (Rollup.prioRequests knows who), so that a
	// bad key neither jams the queue nor loses the money.
	TxDepositRefund TxType = 10
	// TxForcedChallenge is a channel challenge filed on L1
	// (Rollup.requestChannelChallenge): a channel state and both parties'
	// signatures of it, which the sequencer must consume in queue order.
	// It applies when it is a valid challenge and is a no-op otherwise
	// (see forced.go), so that no request can jam the queue.
	TxForcedChallenge TxType = 11
)

var txTypeNames = map[TxType]string{
	TxDeposit: "deposit", TxTransfer: "transfer", TxWithdraw: "withdraw", TxFullExit: "fullExit",
	TxChanOpen: "channelOpen", TxChanClose: "channelClose", TxChanDispute: "channelDispute",
	TxChanChallenge: "channelChallenge", TxChanFinalize: "channelFinalize",
	TxDepositRefund: "depositRefund", TxForcedChallenge: "forcedChallenge",
}

func (t TxType) String() string {
	if s, ok := txTypeNames[t]; ok {
		return s
	}
	return "type(" + strconv.Itoa(int(t)) + ")"
}

// Tx is an L2 transaction. Which fields a type uses:
//
//	deposit:  ChainID, PriorityID, To (account index), PubKey, Amount
//	transfer: ChainID, From, To, Amount, Fee, Nonce, Sig
//	withdraw: ChainID, From, L1To, Amount, Fee, Nonce, Sig
//	fullExit: ChainID, PriorityID, From, L1To, Nonce, Sig (the amount
//	          is the account's balance when the request is processed)
//	depositRefund: ChainID, PriorityID, L1To (the depositor, as the L1
//	          log names it), DepositKey, Amount
//	channelOpen:      ChainID, From (A), To (B), Channel, Amount (A's
//	                  funding), AmountB, Fee, Nonce, Period, Sig, SigB
//	a sponsored transfer or withdraw adds Sponsored, Sponsor and
//	          SponsorSig (sponsor.go); Fee is then the sponsor's to pay
//	channelClose,
//	channelDispute,
//	channelChallenge: ChainID, Channel, Version, Final, Amount (the
//	                  state's BalanceA), AmountB, Sig (A's), SigB (B's)
//	channelFinalize:  ChainID, Channel
//	forcedChallenge:  ChainID, PriorityID, and the fields of a
//	                  channelChallenge
//
// Fields a type does not use must be zero; decoders reject them otherwise,
// so every transaction has exactly one encoding.
type Tx struct {
	Type       TxType
	ChainID    uint64
	From       uint32
	To         uint32
	L1To       common.Address
	Amount     uint64
	Fee        uint64
	Nonce      uint32
	PriorityID uint64
	PubKey     PublicKey
	Sig        Signature
	// DepositKey is the key a refunded deposit named, which is no valid
	// L2 key (TxDepositRefund only; a deposit's key is PubKey).
	DepositKey DepositKey

	// Channel is a channel operation's leaf index. The sequencer assigns
	// an open's (a free leaf) when it sequences it; Hash and Message leave
	// it out, so the client's hash stays the transaction's.
	Channel uint32
	// AmountB is B's funding of an open, or the BalanceB of a state.
	AmountB uint64
	// Version and Final are the channel state's (ChannelState).
	Version uint64
	Final   bool
	// Period is an open's challenge period in seconds.
	Period uint32
	// SigB is party B's signature: of an open's Message (needed when B
	// funds), or of the channel state.
	SigB Signature

	// Sponsored marks a transfer or withdrawal whose fee the account at
	// Sponsor pays, under SponsorSig (sponsor.go). The sender signs both
	// fields in Message; SponsorSig is the sponsor's.
	Sponsored  bool
	Sponsor    uint32
	SponsorSig Signature

	// verified records a successful PreVerify; see there.
	verified *verifiedMark
}

type verifiedMark struct {
	pub PublicKey
	tx  Tx      // the transaction as it was verified, with verified == nil
	msg Element // its Message, which the seal's witness needs again
	// sponsor is the sponsor's key when PreVerifySponsor checked the
	// sponsor's signature too.
	sponsor *PublicKey
}

// Encoded sizes of each type.
const (
	depositSize  = 1 + 8 + 8 + 4 + PublicKeySize + 8
	transferSize = 1 + 8 + 4 + 4 + 8 + 8 + 4 + SignatureSize
	withdrawSize = 1 + 8 + 4 + 20 + 8 + 8 + 4 + SignatureSize
	fullExitSize = 1 + 8 + 8 + 4 + 4 + 20 + SignatureSize
	refundSize   = 1 + 8 + 8 + 20 + PublicKeySize + 8
	forcedSize   = chanStateSize + 8
	// chanOpenSize .. chanFinalizeSize: see chantx.go.
	chanOpenSize     = 1 + 8 + 4 + 4 + 4 + 8 + 8 + 8 + 4 + 4 + 2*SignatureSize
	chanStateSize    = 1 + 8 + 4 + 8 + 1 + 8 + 8 + 2*SignatureSize
	chanFinalizeSize = 1 + 8 + 4
)

// MaxTxSize bounds the binary encoding of any transaction: a sponsored
// withdrawal's (sponsor.go), the longest.
const MaxTxSize = withdrawSize + sponsorSuffixSize

// IsSigned reports whether the type is signed by its sender's L2 key with
// the sender's nonce: the transactions that go through the mempool in
// nonce order. A channel open is; the other channel operations carry the
// parties' signatures of a channel state instead and use no nonce.
func (t TxType) IsSigned() bool { return t == TxTransfer || t == TxWithdraw || t == TxChanOpen }

// IsChannel reports whether the type is a payment-channel operation.
func (t TxType) IsChannel() bool { return t >= TxChanOpen && t <= TxChanFinalize }

// IsPriority reports whether the type comes from the L1 priority queue.
func (t TxType) IsPriority() bool {
	return t == TxDeposit || t == TxFullExit || t == TxDepositRefund || t == TxForcedChallenge
}

// priorityHash advances the L1 queue's running hash by this request, as
// the contract did when it queued it (PriorityHash for a deposit or a
// refunded one, FullExitPriorityHash for a full exit).
func (tx *Tx) priorityHash(prev Element) Element {
	switch tx.Type {
	case TxFullExit:
		return FullExitPriorityHash(prev, tx.From, tx.Nonce, tx.L1To, tx.Sig)
	case TxForcedChallenge:
		return ForcedChallengePriorityHash(prev, tx.Channel, tx.ChannelState(0), tx.Sig, tx.SigB)
	}
	return PriorityHash(prev, tx.Amount, tx.priorityKey())
}

// priorityKey is the key a deposit or a refunded deposit named on L1.
func (tx *Tx) priorityKey() DepositKey {
	if tx.Type == TxDepositRefund {
		return tx.DepositKey
	}
	return DepositKeyOf(tx.PubKey)
}

// Steps returns how many batch slots the transaction occupies.
func (tx *Tx) Steps() int {
	switch {
	case tx.Type == TxWithdraw && tx.Sponsored:
		return 4
	case tx.Type == TxTransfer && tx.Sponsored:
		return 2
	case tx.Type == TxWithdraw || tx.Type == TxFullExit:
		return 3
	case tx.Type.IsChannel() || tx.Type == TxForcedChallenge:
		return 2
	}
	return 1
}

// Message is the field element the sender signs:
//
//	HashChain(type|chainID|nonce|from, amount|fee, target)
//
// where | packs into one element (8+64+32+32 and 64+64 bits) and target is
// the recipient index for a transfer or the L1 address for a withdrawal.
// A sponsored transaction's value is 1|sponsor|amount|fee (1+32+64+64
// bits), so the sender names who pays the fee.
// Every signed field, the chain id and the nonce among them, is in it, so a
// signature is good for one transaction on one chain, once.
func (tx *Tx) Message() Element {
	return HashChain(tx.messageParts()...)
}

// messageParts is what Message hashes: the packed head, the packed value
// and the target.
func (tx *Tx) messageParts() []Element {
	head := packUints([]uint64{uint64(tx.Type), tx.ChainID, uint64(tx.Nonce), uint64(tx.From)}, []uint{8, 64, 32, 32})
	value := packUints([]uint64{tx.Amount, tx.Fee}, []uint{64, 64})
	if tx.Sponsored {
		value = packUints([]uint64{1, uint64(tx.Sponsor), tx.Amount, tx.Fee}, []uint{1, 32, 64, 64})
	}
	return []Element{head, value, tx.target()}
}

func (tx *Tx) target() Element {
	var t Element
	switch tx.Type {
	case TxWithdraw, TxFullExit:
		t.SetBytes(tx.L1To[:])
	case TxChanOpen:
		t = packUints([]uint64{uint64(tx.To), tx.AmountB, uint64(tx.Period)}, []uint{32, 64, 32})
	default:
		t.SetUint64(uint64(tx.To))
	}
	return t
}

// Sign fills in Sig with k's signature of Message.
func (tx *Tx) Sign(k *PrivateKey) error {
	if !tx.Type.IsSigned() {
		return fmt.Errorf("%w: %s is not signed", ErrMalformed, tx.Type)
	}
	sig, err := k.SignElement(tx.Message())
	if err != nil {
		return err
	}
	tx.Sig = sig
	tx.verified = nil
	return nil
}

// VerifySignature reports whether Sig is pub's signature of Message.
func (tx *Tx) VerifySignature(pub PublicKey) bool {
	return pub.VerifyElement(tx.Message(), tx.Sig)
}

// PreVerify checks the signature against pub and, on success, marks the
// transaction so that Batch.Apply need not check it again as long as
// neither the transaction nor the sender's key has changed. Signature checks
// dominate execution cost, and this lets a driver run them in parallel
// before the strictly sequential Apply.
func (tx *Tx) PreVerify(pub PublicKey) error {
	msg := tx.Message()
	if !pub.VerifyElement(msg, tx.Sig) {
		return ErrBadSignature
	}
	tx.markVerified(pub, msg)
	return nil
}

// PreVerifyBatch is PreVerify for many transactions at once: errs[i] is
// what txs[i].PreVerify(pubs[i]) would return, and the same marks are set.
// The messages are hashed on every core and the signatures checked with
// one VerifyBatch, which costs a fraction of the single checks and finds
// each bad signature without failing the good ones.
func PreVerifyBatch(txs []*Tx, pubs []PublicKey) []error {
	if len(txs) != len(pubs) {
		panic("vm: PreVerifyBatch needs one key per transaction")
	}
	items := make([]SignedElement, len(txs))
	pairFor(len(txs), true,
		func(i int) { items[i] = SignedElement{Pub: pubs[i], Msg: txs[i].Message(), Sig: txs[i].Sig} },
		func(i, j int) {
			mi, mj := hashChain2(txs[i].messageParts(), txs[j].messageParts())
			items[i] = SignedElement{Pub: pubs[i], Msg: mi, Sig: txs[i].Sig}
			items[j] = SignedElement{Pub: pubs[j], Msg: mj, Sig: txs[j].Sig}
		})
	errs := make([]error, len(txs))
	for i, ok := range VerifyBatch(items) {
		if !ok {
			errs[i] = ErrBadSignature
			continue
		}
		txs[i].markVerified(pubs[i], items[i].Msg)
	}
	return errs
}

func (tx *Tx) markVerified(pub PublicKey, msg Element) {
	c := *tx
	c.verified = nil
	tx.verified = &verifiedMark{pub: pub, tx: c, msg: msg}
}

// message is Message, from the verified mark when the transaction is
// still the one verified: three Poseidon2 compressions the seal need not
// repeat.
func (tx *Tx) message() Element {
	if m := tx.verified; m != nil {
		c := *tx
		c.verified = nil
		if c == m.tx {
			return m.msg
		}
	}
	return tx.Message()
}

func (tx *Tx) isPreVerified(pub PublicKey) bool {
	if tx.verified == nil || tx.verified.pub != pub {
		return false
	}
	c := *tx
	c.verified = nil
	return c == tx.verified.tx
}

// Hash identifies the transaction: keccak256 of its binary encoding.
func (tx *Tx) Hash() common.Hash {
	c := *tx
	if c.Type == TxChanOpen {
		c.Channel = 0 // assigned by the sequencer, not the signer
	}
	b, _ := c.MarshalBinary()
	return crypto.Keccak256Hash(b)
}

// MarshalBinary returns the canonical encoding: the type byte, then the
// type's fields in the order of the Tx doc, big-endian, public keys
// compressed.
func (tx Tx) MarshalBinary() ([]byte, error) {
	var b []byte
	switch tx.Type {
	case TxDeposit:
		b = make([]byte, 0, depositSize)
		b = append(b, byte(tx.Type))
		b = be.AppendUint64(b, tx.ChainID)
		b = be.AppendUint64(b, tx.PriorityID)
		b = be.AppendUint32(b, tx.To)
		pk := tx.PubKey.Bytes()
		b = append(b, pk[:]...)
		b = be.AppendUint64(b, tx.Amount)
	case TxDepositRefund:
		b = make([]byte, 0, refundSize)
		b = append(b, byte(tx.Type))
		b = be.AppendUint64(b, tx.ChainID)
		b = be.AppendUint64(b, tx.PriorityID)
		b = append(b, tx.L1To[:]...)
		b = append(b, tx.DepositKey[:]...)
		b = be.AppendUint64(b, tx.Amount)
	case TxFullExit:
		b = make([]byte, 0, fullExitSize)
		b = append(b, byte(tx.Type))
		b = be.AppendUint64(b, tx.ChainID)
		b = be.AppendUint64(b, tx.PriorityID)
		b = be.AppendUint32(b, tx.From)
		b = be.AppendUint32(b, tx.Nonce)
		b = append(b, tx.L1To[:]...)
		b = append(b, tx.Sig[:]...)
	case TxTransfer, TxWithdraw:
		b = make([]byte, 0, MaxTxSize)
		b = append(b, byte(tx.Type))
		b = be.AppendUint64(b, tx.ChainID)
		b = be.AppendUint32(b, tx.From)
		if tx.Type == TxTransfer {
			b = be.AppendUint32(b, tx.To)
		} else {
			b = append(b, tx.L1To[:]...)
		}
		b = be.AppendUint64(b, tx.Amount)
		b = be.AppendUint64(b, tx.Fee)
		b = be.AppendUint32(b, tx.Nonce)
		b = append(b, tx.Sig[:]...)
		if tx.Sponsored {
			b = be.AppendUint32(b, tx.Sponsor)
			b = append(b, tx.SponsorSig[:]...)
		}
	case TxChanOpen, TxChanClose, TxChanDispute, TxChanChallenge, TxChanFinalize:
		b = tx.appendChannel(make([]byte, 0, MaxTxSize))
	case TxForcedChallenge:
		b = tx.appendForced(make([]byte, 0, forcedSize))
	default:
		return nil, fmt.Errorf("%w: unknown transaction type %d", ErrMalformed, tx.Type)
	}
	return b, nil
}

// UnmarshalBinary decodes the canonical encoding. It checks lengths, the
// type, and that public keys are valid points; the executor checks the rest.
func (tx *Tx) UnmarshalBinary(b []byte) error {
	if len(b) == 0 {
		return fmt.Errorf("%w: empty transaction", ErrMalformed)
	}
	var out Tx
	out.Type = TxType(b[0])
	want := map[TxType]int{
		TxDeposit: depositSize, TxTransfer: transferSize, TxWithdraw: withdrawSize, TxFullExit: fullExitSize,
		TxChanOpen: chanOpenSize, TxChanClose: chanStateSize, TxChanDispute: chanStateSize,
		TxChanChallenge: chanStateSize, TxChanFinalize: chanFinalizeSize, TxDepositRefund: refundSize,
		TxForcedChallenge: forcedSize,
	}[out.Type]
	if want == 0 {
		return fmt.Errorf("%w: unknown transaction type %d", ErrMalformed, b[0])
	}
	// A transfer or withdrawal may carry a sponsor: its index and
	// signature follow.
	sponsored := out.Type.CanBeSponsored() && len(b) == want+sponsorSuffixSize
	if len(b) != want && !sponsored {
		if out.Type.CanBeSponsored() {
			return fmt.Errorf("%w: %s is %d bytes, want %d, or %d with a sponsor", ErrMalformed, out.Type, len(b), want, want+sponsorSuffixSize)
		}
		return fmt.Errorf("%w: %s is %d bytes, want %d", ErrMalformed, out.Type, len(b), want)
	}
	r := b[1:]
	next := func(n int) []byte { v := r[:n]; r = r[n:]; return v }
	out.ChainID = be.Uint64(next(8))
	if out.Type == TxForcedChallenge {
		out.PriorityID = be.Uint64(next(8))
	}
	if out.Type.IsChannel() || out.Type == TxForcedChallenge {
		if err := out.readChannel(next); err != nil {
			return err
		}
		*tx = out
		return nil
	}
	switch out.Type {
	case TxDeposit:
		out.PriorityID = be.Uint64(next(8))
		out.To = be.Uint32(next(4))
		pk, err := PublicKeyFromBytes(next(PublicKeySize))
		if err != nil {
			return err
		}
		out.PubKey = pk
		out.Amount = be.Uint64(next(8))
	case TxDepositRefund:
		out.PriorityID = be.Uint64(next(8))
		copy(out.L1To[:], next(20))
		copy(out.DepositKey[:], next(PublicKeySize))
		out.Amount = be.Uint64(next(8))
	case TxFullExit:
		out.PriorityID = be.Uint64(next(8))
		out.From = be.Uint32(next(4))
		out.Nonce = be.Uint32(next(4))
		copy(out.L1To[:], next(20))
		copy(out.Sig[:], next(SignatureSize))
	default:
		out.From = be.Uint32(next(4))
		if out.Type == TxTransfer {
			out.To = be.Uint32(next(4))
		} else {
			copy(out.L1To[:], next(20))
		}
		out.Amount = be.Uint64(next(8))
		out.Fee = be.Uint64(next(8))
		out.Nonce = be.Uint32(next(4))
		copy(out.Sig[:], next(SignatureSize))
		if sponsored {
			out.Sponsored = true
			out.Sponsor = be.Uint32(next(4))
			copy(out.SponsorSig[:], next(SignatureSize))
		}
	}
	*tx = out
	return nil
}

// txJSON is the JSON form. 64-bit quantities are decimal strings, so that
// JavaScript clients do not lose precision above 2^53.
type txJSON struct {
	Type       string          `json:"type"`
	ChainID    *uint64String   `json:"chainId"`
	From       *uint32         `json:"from,omitempty"`
	To         *uint32         `json:"to,omitempty"`
	L1To       *common.Address `json:"l1To,omitempty"`
	Amount     *uint64String   `json:"amount,omitempty"`
	Fee        *uint64String   `json:"fee,omitempty"`
	Nonce      *uint32         `json:"nonce,omitempty"`
	PriorityID *uint64String   `json:"priorityId,omitempty"`
	PubKey     *PublicKey      `json:"pubKey,omitempty"`
	DepositKey *DepositKey     `json:"depositKey,omitempty"`
	Sig        *Signature      `json:"signature,omitempty"`
	// Channel operations.
	Channel *uint32       `json:"channel,omitempty"`
	AmountB *uint64String `json:"amountB,omitempty"`
	Version *uint64String `json:"version,omitempty"`
	Final   *bool         `json:"final,omitempty"`
	Period  *uint32       `json:"period,omitempty"`
	SigB    *Signature    `json:"signatureB,omitempty"`
	// Sponsored transfers and withdrawals: the sponsor's index and, once
	// it has co-signed, its signature.
	Sponsor    *uint32    `json:"sponsor,omitempty"`
	SponsorSig *Signature `json:"sponsorSignature,omitempty"`
}

type uint64String uint64

func (u uint64String) MarshalText() ([]byte, error) {
	return []byte(strconv.FormatUint(uint64(u), 10)), nil
}

func (u *uint64String) UnmarshalText(b []byte) error {
	v, err := strconv.ParseUint(string(b), 10, 64)
	if err != nil {
		return fmt.Errorf("%w: %q is not a decimal uint64", ErrMalformed, b)
	}
	*u = uint64String(v)
	return nil
}

func ptr[T any](v T) *T { return &v }

// MarshalJSON encodes the type's fields only.
func (tx Tx) MarshalJSON() ([]byte, error) {
	name, ok := txTypeNames[tx.Type]
	if !ok {
		return nil, fmt.Errorf("%w: unknown transaction type %d", ErrMalformed, tx.Type)
	}
	j := txJSON{Type: name, ChainID: ptr(uint64String(tx.ChainID)), Amount: ptr(uint64String(tx.Amount))}
	if tx.Type.IsChannel() || tx.Type == TxForcedChallenge {
		tx.channelJSON(&j)
		return json.Marshal(j)
	}
	switch tx.Type {
	case TxDeposit:
		j.PriorityID, j.To, j.PubKey = ptr(uint64String(tx.PriorityID)), ptr(tx.To), ptr(tx.PubKey)
	case TxDepositRefund:
		j.PriorityID, j.L1To, j.DepositKey = ptr(uint64String(tx.PriorityID)), ptr(tx.L1To), ptr(tx.DepositKey)
	case TxFullExit:
		j.Amount = nil
		j.PriorityID, j.From, j.L1To, j.Nonce, j.Sig = ptr(uint64String(tx.PriorityID)), ptr(tx.From), ptr(tx.L1To), ptr(tx.Nonce), ptr(tx.Sig)
	case TxTransfer, TxWithdraw:
		j.From, j.Fee, j.Nonce, j.Sig = ptr(tx.From), ptr(uint64String(tx.Fee)), ptr(tx.Nonce), ptr(tx.Sig)
		if tx.Type == TxTransfer {
			j.To = ptr(tx.To)
		} else {
			j.L1To = ptr(tx.L1To)
		}
		if tx.Sponsored {
			j.Sponsor = ptr(tx.Sponsor)
			if tx.SponsorSig != (Signature{}) {
				j.SponsorSig = ptr(tx.SponsorSig)
			}
		}
	}
	return json.Marshal(j)
}

// UnmarshalJSON decodes the JSON form strictly: unknown fields, missing
// fields and fields the type does not use are errors.
func (tx *Tx) UnmarshalJSON(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var j txJSON
	if err := dec.Decode(&j); err != nil {
		return fmt.Errorf("%w: transaction json: %v", ErrMalformed, err)
	}
	if dec.More() {
		return fmt.Errorf("%w: trailing data after transaction json", ErrMalformed)
	}
	var out Tx
	for t, n := range txTypeNames {
		if n == j.Type {
			out.Type = t
		}
	}
	if out.Type == 0 {
		return fmt.Errorf("%w: unknown transaction type %q", ErrMalformed, j.Type)
	}
	type field struct {
		name     string
		present  bool
		used     bool
		optional bool
	}
	fx := out.Type == TxFullExit
	refund := out.Type == TxDepositRefund
	open, fin := out.Type == TxChanOpen, out.Type == TxChanFinalize
	forced := out.Type == TxForcedChallenge
	state := out.Type.IsChannel() && !open && !fin || forced
	fields := []field{
		{"chainId", j.ChainID != nil, true, false},
		{"amount", j.Amount != nil, !fx && !fin, false},
		{"from", j.From != nil, out.Type.IsSigned() || fx, false},
		{"to", j.To != nil, out.Type == TxDeposit || out.Type == TxTransfer || open, false},
		{"l1To", j.L1To != nil, out.Type == TxWithdraw || fx || refund, false},
		{"fee", j.Fee != nil, out.Type.IsSigned(), false},
		{"nonce", j.Nonce != nil, out.Type.IsSigned() || fx, false},
		{"signature", j.Sig != nil, out.Type.IsSigned() || fx || state, false},
		{"priorityId", j.PriorityID != nil, out.Type.IsPriority(), false},
		{"pubKey", j.PubKey != nil, out.Type == TxDeposit, false},
		{"depositKey", j.DepositKey != nil, refund, false},
		// An open's leaf is the sequencer's to assign, and B signs it only
		// when B funds.
		{"channel", j.Channel != nil, out.Type.IsChannel() || forced, open},
		{"amountB", j.AmountB != nil, open || state, false},
		{"version", j.Version != nil, state, false},
		{"final", j.Final != nil, state, false},
		{"period", j.Period != nil, open, false},
		{"signatureB", j.SigB != nil, open || state, open},
		// A sponsor is optional, and its signature comes after the
		// sender's, so a transaction on its way to its sponsor lacks it.
		{"sponsor", j.Sponsor != nil, out.Type.CanBeSponsored(), true},
		{"sponsorSignature", j.SponsorSig != nil, out.Type.CanBeSponsored() && j.Sponsor != nil, true},
	}
	for _, f := range fields {
		if f.used && !f.present && !f.optional {
			return fmt.Errorf("%w: %s transaction lacks %q", ErrMalformed, out.Type, f.name)
		}
		if !f.used && f.present {
			return fmt.Errorf("%w: %s transaction does not take %q", ErrMalformed, out.Type, f.name)
		}
	}
	out.ChainID = uint64(*j.ChainID)
	if out.Type.IsChannel() || forced {
		out.fromChannelJSON(&j)
		*tx = out
		return nil
	}
	if fx {
		out.PriorityID, out.From, out.L1To, out.Nonce, out.Sig = uint64(*j.PriorityID), *j.From, *j.L1To, *j.Nonce, *j.Sig
		*tx = out
		return nil
	}
	out.Amount = uint64(*j.Amount)
	if refund {
		out.PriorityID, out.L1To, out.DepositKey = uint64(*j.PriorityID), *j.L1To, *j.DepositKey
		*tx = out
		return nil
	}
	if out.Type == TxDeposit {
		out.PriorityID, out.To, out.PubKey = uint64(*j.PriorityID), *j.To, *j.PubKey
	} else {
		out.From, out.Fee, out.Nonce, out.Sig = *j.From, uint64(*j.Fee), *j.Nonce, *j.Sig
		if out.Type == TxTransfer {
			out.To = *j.To
		} else {
			out.L1To = *j.L1To
		}
		if j.Sponsor != nil {
			out.Sponsored, out.Sponsor = true, *j.Sponsor
			if j.SponsorSig != nil {
				out.SponsorSig = *j.SponsorSig
			}
		}
	}
	*tx = out
	return nil
}

// CheckStatic checks everything about the transaction that does not depend
// on state: chain, ranges, amounts and packing. The executor runs it first;
// an RPC front end can run it to reject junk before it reaches the mempool.
func (tx *Tx) CheckStatic(chainID uint64, depth int) error {
	if _, ok := txTypeNames[tx.Type]; !ok {
		return fmt.Errorf("%w: unknown transaction type %d", ErrMalformed, tx.Type)
	}
	if tx.ChainID != chainID {
		return fmt.Errorf("%w: transaction is for chain %d, this is chain %d", ErrWrongChain, tx.ChainID, chainID)
	}
	capacity := uint64(1) << uint(depth)
	if uint64(tx.From) >= capacity || uint64(tx.To) >= capacity || uint64(tx.Channel) >= capacity {
		return fmt.Errorf("%w: tree holds %d accounts", ErrIndexOutOfRange, capacity)
	}
	if tx.Type != TxDepositRefund && tx.DepositKey != (DepositKey{}) {
		return fmt.Errorf("%w: %s sets depositKey", ErrMalformed, tx.Type)
	}
	if err := tx.checkSponsorStatic(capacity); err != nil {
		return err
	}
	if tx.Type.IsChannel() {
		return tx.checkChannelStatic()
	}
	if tx.Type == TxForcedChallenge {
		// Anything the contract queued is consumed, so nothing beyond the
		// fields' use is checked here: the rules decide whether it applies.
		if tx.From != 0 || tx.To != 0 || tx.L1To != (common.Address{}) || tx.Fee != 0 || tx.Nonce != 0 || tx.Period != 0 || !tx.PubKey.IsZero() {
			return fmt.Errorf("%w: forced challenge sets fields it does not use", ErrMalformed)
		}
		return nil
	}
	if tx.Type == TxFullExit {
		if tx.To != 0 || tx.Amount != 0 || tx.Fee != 0 || !tx.PubKey.IsZero() {
			return fmt.Errorf("%w: full exit sets fields it does not use", ErrMalformed)
		}
		if tx.L1To == (common.Address{}) {
			return ErrZeroAddress
		}
		return nil
	}
	if tx.Amount == 0 {
		return ErrZeroAmount
	}
	switch tx.Type {
	case TxDeposit:
		if tx.From != 0 || tx.Fee != 0 || tx.Nonce != 0 || tx.L1To != (common.Address{}) || tx.Sig != (Signature{}) {
			return fmt.Errorf("%w: deposit sets fields it does not use", ErrMalformed)
		}
		if err := tx.PubKey.Validate(); err != nil {
			return err
		}
	case TxDepositRefund:
		if tx.From != 0 || tx.To != 0 || tx.Fee != 0 || tx.Nonce != 0 || tx.Sig != (Signature{}) || !tx.PubKey.IsZero() {
			return fmt.Errorf("%w: deposit refund sets fields it does not use", ErrMalformed)
		}
		if err := tx.DepositKey.CheckCanonical(); err != nil {
			return err
		}
		// A valid key's deposit credits its account: the circuit cannot
		// refund it, so neither may the VM.
		if tx.DepositKey.Valid() {
			return fmt.Errorf("%w: deposit refund of %s, a valid L2 key", ErrMalformed, tx.DepositKey)
		}
	case TxTransfer, TxWithdraw:
		if tx.PriorityID != 0 || !tx.PubKey.IsZero() {
			return fmt.Errorf("%w: %s sets fields it does not use", ErrMalformed, tx.Type)
		}
		if tx.Amount > math.MaxUint64-tx.Fee {
			return fmt.Errorf("%w: amount %d plus fee %d", ErrOverflow, tx.Amount, tx.Fee)
		}
		if _, ok := PackFee(tx.Fee); !ok {
			return fmt.Errorf("%w: %d; nearest is %d", ErrFeeNotPackable, tx.Fee, RoundFee(tx.Fee))
		}
		if tx.Type == TxTransfer {
			if tx.L1To != (common.Address{}) {
				return fmt.Errorf("%w: transfer sets l1To", ErrMalformed)
			}
			if tx.From == tx.To {
				return ErrSelfTransfer
			}
			if _, ok := PackAmount(tx.Amount); !ok {
				return fmt.Errorf("%w: %d; nearest is %d", ErrAmountNotPackable, tx.Amount, RoundAmount(tx.Amount))
			}
		} else {
			if tx.To != 0 {
				return fmt.Errorf("%w: withdrawal sets to", ErrMalformed)
			}
			if tx.L1To == (common.Address{}) {
				return ErrZeroAddress
			}
		}
	}
	return nil
}
