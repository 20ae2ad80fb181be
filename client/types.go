package client

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/keel-rollup/keel/vm"
)

// TxStatus is where a transaction is on its way to L1 finality. It only
// moves forward: pending → sequenced → proven → finalized, or pending →
// rejected.
type TxStatus string

const (
	// StatusPending: accepted and durable (it survives a crash), waiting in
	// the mempool or the deposit queue.
	StatusPending TxStatus = "pending"
	// StatusSequenced: executed in a batch (soft-confirmed). Batch is set.
	// The batch may still be open; its state becomes durable when it is
	// sealed a moment later, and a crash before that re-executes it.
	StatusSequenced TxStatus = "sequenced"
	// StatusProven: the batch's validity proof exists.
	StatusProven TxStatus = "proven"
	// StatusFinalized: the batch is committed on L1, proof verified by the
	// Rollup contract. L1TxHash is set. Withdrawals are claimable.
	StatusFinalized TxStatus = "finalized"
	// StatusRejected: the executor refused the transaction after it was
	// accepted (for example the sender's balance was spent by an earlier
	// transaction). Error says why. Nothing changed.
	StatusRejected TxStatus = "rejected"
)

// Rank orders statuses along the happy path; rejected ranks with finalized
// because it is final too.
func (s TxStatus) Rank() int {
	switch s {
	case StatusPending:
		return 0
	case StatusSequenced:
		return 1
	case StatusProven:
		return 2
	case StatusFinalized, StatusRejected:
		return 3
	}
	return -1
}

// BatchStatus is where a batch is: sealed (executed and durable in the
// state store), proven, submitted (its commit transaction is on its way to
// L1) or finalized (verified by the Rollup contract).
type BatchStatus string

const (
	BatchOpen      BatchStatus = "open"
	BatchSealed    BatchStatus = "sealed"
	BatchProven    BatchStatus = "proven"
	BatchSubmitted BatchStatus = "submitted"
	BatchFinalized BatchStatus = "finalized"
)

// Receipt is keel_getTransactionReceipt's answer and the txStatus
// subscription's event.
type Receipt struct {
	Hash   common.Hash `json:"hash"`
	Type   string      `json:"type"`
	Status TxStatus    `json:"status"`
	// Batch and Position are set from sequenced on.
	Batch    *hexutil.Uint64 `json:"batch,omitempty"`
	Position *hexutil.Uint64 `json:"position,omitempty"`
	// L1TxHash is the Rollup.commitBatch transaction, once submitted.
	L1TxHash *common.Hash `json:"l1TxHash,omitempty"`
	// Error says why a rejected transaction was rejected.
	Error string `json:"error,omitempty"`
	// Channel is a channel operation's leaf index. For a channelOpen it is
	// the leaf the sequencer gave the new channel, set from sequenced on.
	Channel *uint32 `json:"channel,omitempty"`
	// Time is the sealed batch's timestamp (unix seconds).
	Time *hexutil.Uint64 `json:"time,omitempty"`
	// FeePaidBy is the account that paid a sponsored transaction's fee
	// (its sponsor); absent when the sender paid its own.
	FeePaidBy *uint32 `json:"feePaidBy,omitempty"`
}

// AccountTransactions is a page of keel_getAccountTransactions: receipts
// newest first, and the cursor of the next page (absent on the last).
type AccountTransactions struct {
	Transactions []Receipt `json:"transactions"`
	Next         string    `json:"next,omitempty"`
}

// Account is keel_getAccount's answer. Balance is in gwei, as a decimal
// string (JSON numbers lose precision past 2^53).
type Account struct {
	Index   uint32        `json:"index"`
	Kind    string        `json:"kind"` // "empty", "account" or "channel"
	PubKey  *vm.PublicKey `json:"pubKey,omitempty"`
	Balance string        `json:"balance"`
	Nonce   uint32        `json:"nonce"`
	// Batch is the batch whose state this is; for the soft-confirmed view
	// ("latest"), the open batch.
	Batch hexutil.Uint64 `json:"batch"`
}

// Batch is keel_getBatch's answer and the newBatches subscription's event.
type Batch struct {
	Number     hexutil.Uint64 `json:"number"`
	Status     BatchStatus    `json:"status"`
	PrevRoot   common.Hash    `json:"prevRoot"`
	Root       common.Hash    `json:"root"`
	Commitment common.Hash    `json:"commitment"`
	// PriorityCount is how many L1 deposits are consumed after the batch.
	PriorityCount hexutil.Uint64 `json:"priorityCount"`
	Transactions  []common.Hash  `json:"transactions"`
	PublicData    hexutil.Bytes  `json:"publicData"`
	FeeTotal      string         `json:"feeTotal"`
	// Proof is the 256-byte Solidity-encoded Groth16 proof, from proven on.
	Proof    hexutil.Bytes `json:"proof,omitempty"`
	L1TxHash *common.Hash  `json:"l1TxHash,omitempty"`
	// Operations is the public data decoded (vm.DecodePublicData), so that
	// a page need not parse records itself.
	Operations []Operation `json:"operations"`
	// Time is the batch's timestamp (unix seconds).
	Time hexutil.Uint64 `json:"time"`
}

// Operation is one operation of a batch's public data, as an L1 reader
// decodes it. Amounts are decimal strings; fields an opcode does not use
// are omitted.
type Operation struct {
	Op       string          `json:"op"`
	Account  uint32          `json:"account"`
	To       *uint32         `json:"to,omitempty"`
	Amount   string          `json:"amount,omitempty"`
	Fee      string          `json:"fee,omitempty"`
	L1To     *common.Address `json:"l1To,omitempty"`
	Channel  *uint32         `json:"channel,omitempty"`
	AmountB  string          `json:"amountB,omitempty"`
	Version  string          `json:"version,omitempty"`
	Position *uint32         `json:"position,omitempty"`
	// Applied says whether a forced channel challenge (forced-challenge)
	// replaced the channel's state; one that did not was a no-op.
	Applied *bool `json:"applied,omitempty"`
	// FeePaidBy is the sponsor that paid a sponsored transfer's or
	// withdrawal's fee.
	FeePaidBy *uint32 `json:"feePaidBy,omitempty"`
}

// Field elements (roots, leaves, the commitment) are 32-byte big-endian
// hex, as Solidity's uint256 reads them.

// Proof is keel_getProof's answer: a Merkle proof that Account is the leaf
// at Index under Root, the state root after batch Batch.
type Proof struct {
	Index    uint32         `json:"index"`
	Batch    hexutil.Uint64 `json:"batch"`
	Root     common.Hash    `json:"root"`
	Account  Account        `json:"account"`
	Leaf     common.Hash    `json:"leaf"`
	Siblings []common.Hash  `json:"siblings"`
}

// ChainInfo is keel_chainInfo's answer: what a client needs to sign for
// this chain and to find it on L1.
type ChainInfo struct {
	ChainID   hexutil.Uint64 `json:"chainId"`
	L1ChainID hexutil.Uint64 `json:"l1ChainId"`
	// L1RPC is the L1 endpoint the node uses, when it is safe to share
	// (the embedded node's); empty otherwise.
	L1RPC    string         `json:"l1Rpc,omitempty"`
	Rollup   common.Address `json:"rollup"`
	Verifier common.Address `json:"verifier"`
	// VKHash is sha256 of the verifying key's binary encoding; CircuitHash
	// names the compiled circuit the keys belong to.
	VKHash      common.Hash `json:"vkHash"`
	CircuitHash common.Hash `json:"circuitHash"`
	// ExitVerifier checks exodus exit proofs; ExodusDelay is how many L1
	// blocks a deposit may wait before anyone can switch the Rollup into
	// exodus mode.
	ExitVerifier common.Address `json:"exitVerifier"`
	ExodusDelay  hexutil.Uint64 `json:"exodusDelay"`
	Depth        int            `json:"depth"`
	Slots        int            `json:"slots"`
	Operator     uint32         `json:"operator"`
	MinFee       string         `json:"minFee"`
	// Head is the last sealed batch; Proven and Finalized trail it.
	Head      hexutil.Uint64 `json:"head"`
	Proven    hexutil.Uint64 `json:"proven"`
	Finalized hexutil.Uint64 `json:"finalized"`
	// Pending is the number of transactions in the mempool.
	Pending int `json:"pending"`
	// Fleet is the prover fleet; absent on a node that does not prove.
	Fleet *FleetInfo `json:"fleet,omitempty"`
}

// FleetInfo is the node's prover fleet: its NATS JetStream work queue and
// the workers seen in the last minute.
type FleetInfo struct {
	// NATS is the URL workers dial; empty when the embedded server takes
	// in-process clients only. Creds is the embedded server's worker
	// credentials file (empty with an external NATS).
	NATS  string `json:"nats,omitempty"`
	Creds string `json:"creds,omitempty"`
	// Queued jobs wait for a worker; InFlight ones are with one;
	// Redelivered of those were handed out before; DeadLetters are kept
	// in the dead-letter stream.
	Queued      int    `json:"queued"`
	InFlight    int    `json:"inFlight"`
	Redelivered int    `json:"redelivered"`
	DeadLetters uint64 `json:"deadLetters"`
	// Error says why the queue's state could not be read.
	Error   string        `json:"error,omitempty"`
	Workers []FleetWorker `json:"workers"`
}

// FleetWorker is one worker of the prover fleet.
type FleetWorker struct {
	Name string `json:"name"`
	// LastSeen is its last beat or accepted proof, unix seconds.
	LastSeen int64 `json:"lastSeen"`
	// Concurrency and Busy are the proofs it runs at once and now.
	Concurrency int `json:"concurrency"`
	Busy        int `json:"busy"`
	// Proofs the node accepted from it, and their mean proving time;
	// Rejected results it sent.
	Proofs           int     `json:"proofs"`
	MeanProofSeconds float64 `json:"meanProofSeconds"`
	Rejected         int     `json:"rejected"`
}

// Withdrawal is one entry of keel_getWithdrawals: a withdrawal to an L1
// address and whether it can be claimed from the Rollup contract yet.
type Withdrawal struct {
	Batch   hexutil.Uint64 `json:"batch"`
	Account uint32         `json:"account"`
	To      common.Address `json:"to"`
	Amount  string         `json:"amount"`
	// Claimable is true once the batch is finalized on L1.
	Claimable bool `json:"claimable"`
	// Refund marks a deposit to an invalid L2 key paid back to its
	// depositor (Account is then meaningless).
	Refund bool `json:"refund,omitempty"`
}

// Decimal is a uint64 carried in JSON as a decimal string, as vm.Tx
// carries its 64-bit fields: JavaScript numbers lose precision above 2^53,
// and channel ids (opener << 32 | nonce) are usually above it. It also
// accepts a JSON number, for hand-written requests.
type Decimal uint64

// MarshalJSON writes a decimal string.
func (d Decimal) MarshalJSON() ([]byte, error) {
	return json.Marshal(strconv.FormatUint(uint64(d), 10))
}

// UnmarshalJSON reads a decimal string or a JSON number.
func (d *Decimal) UnmarshalJSON(b []byte) error {
	s := string(b)
	if len(b) > 0 && b[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
	}
	v, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return fmt.Errorf("client: %s is not a decimal uint64", b)
	}
	*d = Decimal(v)
	return nil
}

// Channel statuses, as Channel.Status gives them. A settled channel has
// none: keel_getChannel answers null.
const (
	// ChannelOpen: payments flow off-chain; either party may close.
	ChannelOpen = "open"
	// ChannelClosing: closed unilaterally (channelDispute). Until Deadline
	// a co-signed state of a higher version replaces the recorded one
	// (channelChallenge); from Deadline on, anyone may pay it out
	// (channelFinalize).
	ChannelClosing = "closing"
)

// Channel is keel_getChannel's answer: a payment channel as the state of
// the last sealed batch holds it (a channel opened in the open batch shows
// up once that batch is sealed, within the batch timeout). Amounts are
// gwei.
type Channel struct {
	// ID is vm.ChannelIDOf(A, OpenNonce), the id every state signs.
	ID Decimal `json:"id"`
	// Leaf is the channel's leaf index: what close, dispute, challenge and
	// finalize transactions name.
	Leaf   uint32 `json:"leaf"`
	Status string `json:"status"`
	// A and B are the parties' account indices; A opened the channel with
	// its transaction of nonce OpenNonce.
	A         uint32 `json:"a"`
	B         uint32 `json:"b"`
	OpenNonce uint32 `json:"openNonce"`
	// Period is the challenge period in seconds.
	Period uint32 `json:"period"`
	// Deadline is the batch time (unix seconds) from which a closing
	// channel may be finalized; 0 while open.
	Deadline Decimal `json:"deadline"`
	// Version, SplitA and SplitB are the state the channel is held at:
	// the opening (version 0) while open, the recorded state while
	// closing. SplitA + SplitB = Total.
	Version Decimal `json:"version"`
	SplitA  Decimal `json:"splitA"`
	SplitB  Decimal `json:"splitB"`
	Total   Decimal `json:"total"`
	// Batch is the sealed batch whose state this is.
	Batch hexutil.Uint64 `json:"batch"`
}

// State returns the channel state the chain holds, for chain chainID:
// the opening while open, the recorded state while closing. It is never
// Final (a final state settles at once). The chain does not keep the
// signatures.
func (c *Channel) State(chainID uint64) vm.ChannelState {
	return vm.ChannelState{ChainID: chainID, ChannelID: uint64(c.ID), Version: uint64(c.Version),
		BalanceA: uint64(c.SplitA), BalanceB: uint64(c.SplitB)}
}

// SendResult is keel_sendTransactions' answer for one transaction: its
// hash once it is durable, or why it was refused.
type SendResult struct {
	Hash  *common.Hash `json:"hash,omitempty"`
	Error *SendError   `json:"error,omitempty"`
}

// SendError is a refused transaction's JSON-RPC error: the code and
// message keel_sendTransaction would have answered for it alone.
type SendError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

// Error returns the message.
func (e *SendError) Error() string { return e.Message }

// ErrorCode returns the JSON-RPC code, so that a SendError is an rpc.Error
// like the single call's.
func (e *SendError) ErrorCode() int { return e.Code }
