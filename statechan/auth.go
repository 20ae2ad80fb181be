package statechan

import (
	"crypto/rand"
	"fmt"

	"github.com/keel-rollup/keel/vm"
)

// ChallengeSize is the length of a handshake challenge.
const ChallengeSize = 32

// authDomain is the first element of every handshake message: "keelauth"
// read as a big-endian uint64. It keeps a handshake signature apart from
// any state or transaction signature, whose hashes start otherwise.
const authDomain = 0x6b65656c61757468

// AuthMessage is the element the party of role signer signs to prove
// control of its key in the handshake of a session:
//
//	HashChain(authDomain, chainID, channelID, signer,
//	          verifierChallenge[0:16], verifierChallenge[16:32],
//	          signerChallenge[0:16], signerChallenge[16:32])
//
// Each 16-byte half of a challenge is read as a big-endian integer below
// 2^128, so it is a field element without reduction and every challenge
// maps to a distinct pair. The verifier's fresh challenge makes the
// signature worthless in any other session (no replay); the signer's
// role, and each challenge's position, make it worthless in the other
// direction (no reflection); the chain and channel bind it to this
// channel. It does not bind the transport: a relay in the middle can pass
// the handshake along, but gains nothing, since every state is signed end
// to end. Use wss:// for privacy.
func AuthMessage(p Params, signer Role, verifierChallenge, signerChallenge [ChallengeSize]byte) vm.Element {
	var parts [4]vm.Element
	parts[0].SetBytes(verifierChallenge[:16])
	parts[1].SetBytes(verifierChallenge[16:])
	parts[2].SetBytes(signerChallenge[:16])
	parts[3].SetBytes(signerChallenge[16:])
	return vm.HashChain(
		vm.ElementFromUint64(authDomain),
		vm.ElementFromUint64(p.ChainID),
		vm.ElementFromUint64(p.ChannelID),
		vm.ElementFromUint64(uint64(signer)),
		parts[0], parts[1], parts[2], parts[3],
	)
}

func newChallenge() ([ChallengeSize]byte, error) {
	var c [ChallengeSize]byte
	if _, err := rand.Read(c[:]); err != nil {
		return c, fmt.Errorf("statechan: challenge: %w", err)
	}
	return c, nil
}
