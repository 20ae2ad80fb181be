package sequencer

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/cockroachdb/pebble/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/keel-rollup/keel/vm"
)

// BatchStatus is how far a sealed batch has gone towards L1 finality. It only
// moves forward.
type BatchStatus uint8

const (
	// BatchSealed: executed, and its state committed to the state store.
	BatchSealed BatchStatus = iota + 1
	// BatchProven: its validity proof exists (BatchRecord.Proof).
	BatchProven
	// BatchSubmitted: its commitBatch transaction was sent to L1.
	BatchSubmitted
	// BatchFinalized: the Rollup contract verified it and moved its root.
	BatchFinalized
)

func (s BatchStatus) String() string {
	switch s {
	case BatchSealed:
		return "sealed"
	case BatchProven:
		return "proven"
	case BatchSubmitted:
		return "submitted"
	case BatchFinalized:
		return "finalized"
	}
	return fmt.Sprintf("BatchStatus(%d)", uint8(s))
}

// BatchRecord is what the sequencer keeps about a sealed batch: enough to
// serve it over RPC, to re-execute it (Txs on the state of batch Number-1)
// for the prover after a restart, and to submit it to L1.
type BatchRecord struct {
	Number      uint64
	Status      BatchStatus
	Before      vm.Meta
	After       vm.Meta
	Txs         []vm.Tx
	PublicData  []byte
	FeeTotal    uint64
	Commitment  vm.Element
	Withdrawals []vm.Withdrawal
	// Proof is the Solidity-encoded Groth16 proof, from BatchProven on.
	Proof []byte
	// L1Tx is the commitBatch transaction, from BatchSubmitted on.
	L1Tx common.Hash
}

// Hashes returns the hashes of the batch's transactions, in order.
func (r *BatchRecord) Hashes() []common.Hash {
	out := make([]common.Hash, len(r.Txs))
	for i := range r.Txs {
		out[i] = r.Txs[i].Hash()
	}
	return out
}

// batchWire is BatchRecord's stored form. JSON keeps the record readable
// with a pebble tool and lets fields be added; a batch is written a handful
// of times, so its size and speed do not matter.
type batchWire struct {
	Number      uint64          `json:"n"`
	Status      BatchStatus     `json:"s"`
	Before      []byte          `json:"b"`
	After       []byte          `json:"a"`
	Txs         [][]byte        `json:"t"`
	PublicData  []byte          `json:"p"`
	FeeTotal    uint64          `json:"f"`
	Commitment  []byte          `json:"c"`
	Withdrawals []vm.Withdrawal `json:"w,omitempty"`
	Proof       []byte          `json:"z,omitempty"`
	L1Tx        common.Hash     `json:"l"`
}

func encodeBatch(r *BatchRecord) ([]byte, error) {
	w := batchWire{Number: r.Number, Status: r.Status, Before: encodeMeta(&r.Before), After: encodeMeta(&r.After),
		PublicData: r.PublicData, FeeTotal: r.FeeTotal, Withdrawals: r.Withdrawals, Proof: r.Proof, L1Tx: r.L1Tx}
	c := r.Commitment.Bytes()
	w.Commitment = c[:]
	for i := range r.Txs {
		enc, err := r.Txs[i].MarshalBinary()
		if err != nil {
			return nil, err
		}
		w.Txs = append(w.Txs, enc)
	}
	return json.Marshal(&w)
}

func decodeBatch(b []byte) (*BatchRecord, error) {
	var w batchWire
	if err := json.Unmarshal(b, &w); err != nil {
		return nil, fmt.Errorf("%w: batch record: %v", ErrCorrupt, err)
	}
	r := &BatchRecord{Number: w.Number, Status: w.Status, PublicData: w.PublicData, FeeTotal: w.FeeTotal,
		Withdrawals: w.Withdrawals, Proof: w.Proof, L1Tx: w.L1Tx}
	var err error
	if r.Before, err = decodeMeta(w.Before); err != nil {
		return nil, fmt.Errorf("%w: batch %d: %v", ErrCorrupt, w.Number, err)
	}
	if r.After, err = decodeMeta(w.After); err != nil {
		return nil, fmt.Errorf("%w: batch %d: %v", ErrCorrupt, w.Number, err)
	}
	if err := decodeElement(&r.Commitment, w.Commitment); err != nil {
		return nil, fmt.Errorf("%w: batch %d commitment: %v", ErrCorrupt, w.Number, err)
	}
	r.Txs = make([]vm.Tx, len(w.Txs))
	for i, enc := range w.Txs {
		if err := r.Txs[i].UnmarshalBinary(enc); err != nil {
			return nil, fmt.Errorf("%w: batch %d tx %d: %v", ErrCorrupt, w.Number, i, err)
		}
	}
	return r, nil
}

// The chain journal shares the tx log's pebble database, so that sealing a
// batch (its record, its index entries) and truncating the log of the
// transactions it included are one atomic, synced write. Keys, beside the
// log's 't' and 'f':
//
//	'B' | batch                     BatchRecord (encodeBatch)
//	'H'                             last sealed batch number
//	'P', 'F'                        last proven, last finalized batch number
//	'X' | tx hash                   batch u64 | position u32
//	'R' | tx hash                   rejection reason (not synced: advisory)
//	'K' | compressed public key     account index u32
//	'N'                             next free leaf index u32 (accounts and channels)
//	'C' | channel id u64            channel leaf index u32, from the open's sealing
//	'W' | L1 address | batch | i    withdrawn amount u64 | account u32
var (
	headKey      = []byte("H")
	provenKey    = []byte("P")
	finalizedKey = []byte("F")
	nextIndexKey = []byte("N")
)

func batchKey(n uint64) []byte   { return binary.BigEndian.AppendUint64([]byte("B"), n) }
func txKey(h common.Hash) []byte { return append([]byte("X"), h[:]...) }
func rejectKey(h common.Hash) []byte {
	return append([]byte("R"), h[:]...)
}

// A rejection record is 0x00, the transaction's type, then why it was
// rejected. Records written before the type was kept are the message
// alone, which never starts with 0x00; their type reads as 0.
func encodeRejection(typ vm.TxType, why string) []byte {
	return append([]byte{0, byte(typ)}, why...)
}

func decodeRejection(v []byte) (vm.TxType, string) {
	if len(v) >= 2 && v[0] == 0 {
		return vm.TxType(v[1]), string(v[2:])
	}
	return 0, string(v)
}
func keyIndexKey(pub vm.PublicKey) []byte {
	b := pub.Bytes()
	return append([]byte("K"), b[:]...)
}
func channelIndexKey(id uint64) []byte {
	return binary.BigEndian.AppendUint64([]byte("C"), id)
}
func withdrawalPrefix(to common.Address) []byte { return append([]byte("W"), to[:]...) }

// An account's history is "T" | account | batch | position → tx hash:
// sealed transactions that debit or credit the account, in the order a
// reverse scan of the prefix pages through newest first.
func accountTxPrefix(account uint32) []byte {
	return binary.BigEndian.AppendUint32([]byte("T"), account)
}
func accountTxKey(account uint32, batch uint64, pos int) []byte {
	k := binary.BigEndian.AppendUint64(accountTxPrefix(account), batch)
	return binary.BigEndian.AppendUint32(k, uint32(pos))
}
func withdrawalKey(to common.Address, batch uint64, i int) []byte {
	k := binary.BigEndian.AppendUint64(withdrawalPrefix(to), batch)
	return binary.BigEndian.AppendUint32(k, uint32(i))
}

// getUint reads a big-endian integer of 4 or 8 bytes under key.
func getUint(db *pebble.DB, key []byte) (uint64, bool, error) {
	v, closer, err := db.Get(key)
	if errors.Is(err, pebble.ErrNotFound) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, err
	}
	defer closer.Close()
	switch len(v) {
	case 4:
		return uint64(binary.BigEndian.Uint32(v)), true, nil
	case 8:
		return binary.BigEndian.Uint64(v), true, nil
	}
	return 0, false, fmt.Errorf("%w: key %q holds %d bytes", ErrCorrupt, key[:1], len(v))
}

func getBatch(db *pebble.DB, n uint64) (*BatchRecord, bool, error) {
	v, closer, err := db.Get(batchKey(n))
	if errors.Is(err, pebble.ErrNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	defer closer.Close()
	r, err := decodeBatch(v)
	if err != nil {
		return nil, false, err
	}
	return r, true, nil
}
