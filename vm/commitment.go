package vm

import (
	"crypto/sha256"
	"math/big"
)

// CommitmentHeaderSize is the length of the header that precedes the
// public data in the batch commitment's preimage.
const CommitmentHeaderSize = 8 + 8 + 8 + 4 + 32 + 32 + 8 + 32 + 8 + 32

// CommitmentPreimage is what the batch commitment hashes, laid out as the
// L1 contract builds it with abi.encodePacked:
//
//	chainID u64 | batchNumber u64 | timestamp u64 | operator u32 |
//	oldRoot | newRoot |
//	prioCountBefore u64 | prioHashBefore | prioCountAfter u64 |
//	prioHashAfter | publicData
//
// Field elements are 32 big-endian bytes.
func CommitmentPreimage(chainID uint64, operator uint32, before, after Meta, publicData []byte) []byte {
	b := make([]byte, 0, CommitmentHeaderSize+len(publicData))
	b = be.AppendUint64(b, chainID)
	b = be.AppendUint64(b, after.BatchNumber)
	b = be.AppendUint64(b, after.Timestamp)
	b = be.AppendUint32(b, operator)
	for _, e := range []Element{before.Root, after.Root} {
		eb := e.Bytes()
		b = append(b, eb[:]...)
	}
	b = be.AppendUint64(b, before.PriorityCount)
	pb := before.PriorityHash.Bytes()
	b = append(b, pb[:]...)
	b = be.AppendUint64(b, after.PriorityCount)
	pa := after.PriorityHash.Bytes()
	b = append(b, pa[:]...)
	return append(b, publicData...)
}

// commitmentMask keeps the low 253 bits of the sha256 digest, so the
// commitment is always below the BN254 scalar modulus (the Solidity
// verifier rejects public inputs that are not).
var commitmentMask = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 253), big.NewInt(1))

// BatchCommitment is the batch circuit's single public input: the low 253
// bits of sha256(CommitmentPreimage(...)). The contract computes it as
// uint256(sha256(preimage)) & (2**253 - 1).
func BatchCommitment(chainID uint64, operator uint32, before, after Meta, publicData []byte) Element {
	d := sha256.Sum256(CommitmentPreimage(chainID, operator, before, after, publicData))
	v := new(big.Int).SetBytes(d[:])
	v.And(v, commitmentMask)
	var e Element
	e.SetBigInt(v)
	return e
}

// Commitment returns the sealed batch's public input.
func (sb *SealedBatch) Commitment(operator uint32) Element {
	return BatchCommitment(sb.ChainID, operator, sb.Before, sb.After, sb.PublicData)
}
