package fleet

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"
)

// ErrBadResult means a result's bytes do not decode: a buggy or hostile
// worker, or a stray message. The node drops it and counts it.
var ErrBadResult = errors.New("fleet: malformed proof result")

// resultMagic starts every encoded result.
var resultMagic = [4]byte{'K', 'R', 'E', 'S'}

// ResultVersion is the version of Result's binary encoding.
const ResultVersion = 1

// ProofSize is the size of a batch proof in the Solidity verifier's
// layout (prover.Proof.SolidityBytes): eight 32-byte words.
const ProofSize = 256

// maxWorkerName bounds a worker's name in a result.
const maxWorkerName = 64

// Result is a worker's answer to a job: the proof of batch BatchNumber
// with the circuit CircuitHash, who made it and how long it took. It
// carries no public input: the node recomputes the batch's commitment
// from its own sealed batch and verifies the proof against it, so a
// worker cannot choose what its proof proves.
type Result struct {
	BatchNumber uint64
	CircuitHash [32]byte
	Worker      string
	Took        time.Duration
	// Proof is prover.Proof.SolidityBytes(); prover.ProofFromSolidity
	// reads it back with the node's commitment.
	Proof []byte
}

// MarshalBinary encodes the result:
//
//	"KRES" | version u8 | batch u64 | circuit hash [32] |
//	worker name: length u8 | bytes | took (ms) u32 | proof [256]
func (r *Result) MarshalBinary() ([]byte, error) {
	if len(r.Worker) == 0 || len(r.Worker) > maxWorkerName {
		return nil, fmt.Errorf("%w: worker name of %d bytes (1..%d)", ErrBadResult, len(r.Worker), maxWorkerName)
	}
	if len(r.Proof) != ProofSize {
		return nil, fmt.Errorf("%w: proof of %d bytes, want %d", ErrBadResult, len(r.Proof), ProofSize)
	}
	ms := r.Took.Milliseconds()
	if ms < 0 || ms > 1<<32-1 {
		return nil, fmt.Errorf("%w: proving time %v", ErrBadResult, r.Took)
	}
	b := append([]byte(nil), resultMagic[:]...)
	b = append(b, ResultVersion)
	b = binary.BigEndian.AppendUint64(b, r.BatchNumber)
	b = append(b, r.CircuitHash[:]...)
	b = append(b, byte(len(r.Worker)))
	b = append(b, r.Worker...)
	b = binary.BigEndian.AppendUint32(b, uint32(ms))
	return append(b, r.Proof...), nil
}

// UnmarshalBinary decodes MarshalBinary's encoding, refusing anything
// else: another magic or version, a length that does not add up, an empty
// or overlong worker name.
func (r *Result) UnmarshalBinary(b []byte) error {
	const fixed = 4 + 1 + 8 + 32 + 1 + 4 + ProofSize
	if len(b) < fixed || [4]byte(b[:4]) != resultMagic {
		return fmt.Errorf("%w: %d bytes, not a proof result", ErrBadResult, len(b))
	}
	if b[4] != ResultVersion {
		return fmt.Errorf("%w: encoding version %d, this node reads %d", ErrBadResult, b[4], ResultVersion)
	}
	var out Result
	out.BatchNumber = binary.BigEndian.Uint64(b[5:13])
	copy(out.CircuitHash[:], b[13:45])
	n := int(b[45])
	if n == 0 || n > maxWorkerName || len(b) != fixed+n {
		return fmt.Errorf("%w: a %d-byte worker name in %d bytes", ErrBadResult, n, len(b))
	}
	out.Worker = string(b[46 : 46+n])
	out.Took = time.Duration(binary.BigEndian.Uint32(b[46+n:50+n])) * time.Millisecond
	out.Proof = append([]byte(nil), b[50+n:]...)
	*r = out
	return nil
}
