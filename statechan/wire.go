package statechan

import (
	"encoding/binary"
	"fmt"
	"unicode/utf8"

	"github.com/keel-rollup/keel/vm"
)

// The wire protocol. Every message is one binary websocket frame: a type
// byte, then a body whose layout the type fixes. Integers are big-endian;
// a state is vm.ChannelState's canonical 41-byte encoding
// (chainID, channelID, version, balanceA, balanceB: 8 bytes each; final:
// 1 byte, 0 or 1); a signature is 64 bytes (R compressed, then S); a key is
// 32 bytes, vm.PublicKey's compressed encoding.
//
//	type  name    body                                                   size
//	0x01  hello   proto(1)=1 | chainID(8) | channelID(8) | key(32) |
//	              challenge(32)                                          81
//	0x02  auth    sig(64)                                                64
//	0x03  sync    state(41) | sigA(64) | sigB(64) | next(8)              177
//	0x04  update  state(41, final=0) | sig(64) | n(2) | n × amount(8),
//	              1 ≤ n ≤ MaxParts, every amount > 0                     107+8n
//	0x05  accept  version(8) | sig(64)                                   72
//	0x06  reject  version(8) | code(1) | len(1) | reason(len, UTF-8)     10+len
//	0x07  close   state(41, final=1) | sig(64)                           105
//
// The session runs hello, auth, sync in that order from each side (see
// doc.go), then any number of update/close from either side, each answered
// by exactly one accept or reject of the same version.
//
// DecodeMessage is strict: every type has one length (update: one per n),
// keys must be valid curve points in their canonical encoding, states
// canonical, codes known, reasons valid UTF-8. So every accepted message
// has exactly one encoding, and EncodeMessage(DecodeMessage(b)) == b.

// ProtocolVersion is the hello's proto byte.
const ProtocolVersion = 1

// MaxMessageSize is the longest message: an update with MaxParts parts.
const MaxMessageSize = 1 + updateFixed + 8*MaxParts

// MsgType is a message's first byte.
type MsgType uint8

// Message types.
const (
	MsgHello MsgType = iota + 1
	MsgAuth
	MsgSync
	MsgUpdate
	MsgAccept
	MsgReject
	MsgClose
)

func (t MsgType) String() string {
	switch t {
	case MsgHello:
		return "hello"
	case MsgAuth:
		return "auth"
	case MsgSync:
		return "sync"
	case MsgUpdate:
		return "update"
	case MsgAccept:
		return "accept"
	case MsgReject:
		return "reject"
	case MsgClose:
		return "close"
	}
	return fmt.Sprintf("msg(%d)", uint8(t))
}

const (
	sigLen      = vm.SignatureSize
	keyLen      = vm.PublicKeySize
	stateLen    = vm.ChannelStateSize
	helloLen    = 1 + 8 + 8 + keyLen + ChallengeSize
	authLen     = sigLen
	syncLen     = stateLen + 2*sigLen + 8
	updateFixed = stateLen + sigLen + 2
	acceptLen   = 8 + sigLen
	rejectFixed = 8 + 1 + 1
	closeLen    = stateLen + sigLen
	// maxReason bounds a rejection's text: its length is one byte.
	maxReason = 255
)

// Message is one wire message: *Hello, *Auth, *Sync, *Update, *Ack,
// *Reject or *Close.
type Message interface {
	Type() MsgType
	appendBody([]byte) []byte
}

// Hello opens the handshake: who we are, which channel, and a fresh
// challenge for the peer to sign.
type Hello struct {
	ChainID, ChannelID uint64
	Key                vm.PublicKey
	Challenge          [ChallengeSize]byte
}

// Auth proves control of the key a Hello named: a signature of AuthMessage.
type Auth struct{ Sig vm.Signature }

// Sync carries a party's latest co-signed state and its next version.
type Sync struct{ Info SyncInfo }

// Update proposes a state that pays the peer, signed by the proposer.
type Update struct{ Proposal Proposal }

// Ack countersigns the peer's proposal of Version (wire type accept).
type Ack struct {
	Version uint64
	Sig     vm.Signature
}

// Reject refuses the peer's proposal of Version (0 in a handshake).
type Reject struct {
	Version uint64
	Code    RejectCode
	Reason  string
}

// Close proposes the final state, signed by the proposer.
type Close struct{ Proposal Proposal }

func (*Hello) Type() MsgType  { return MsgHello }
func (*Auth) Type() MsgType   { return MsgAuth }
func (*Sync) Type() MsgType   { return MsgSync }
func (*Update) Type() MsgType { return MsgUpdate }
func (*Ack) Type() MsgType    { return MsgAccept }
func (*Reject) Type() MsgType { return MsgReject }
func (*Close) Type() MsgType  { return MsgClose }

var be = binary.BigEndian

func appendState(b []byte, s *vm.ChannelState) []byte {
	// MarshalBinary cannot fail; it returns an error only for the
	// encoding.BinaryMarshaler signature.
	enc, _ := s.MarshalBinary()
	return append(b, enc...)
}

func (m *Hello) appendBody(b []byte) []byte {
	b = append(b, ProtocolVersion)
	b = be.AppendUint64(b, m.ChainID)
	b = be.AppendUint64(b, m.ChannelID)
	k := m.Key.Bytes()
	b = append(b, k[:]...)
	return append(b, m.Challenge[:]...)
}

func (m *Auth) appendBody(b []byte) []byte { return append(b, m.Sig[:]...) }

func (m *Sync) appendBody(b []byte) []byte {
	b = appendState(b, &m.Info.Latest.State)
	b = append(b, m.Info.Latest.SigA[:]...)
	b = append(b, m.Info.Latest.SigB[:]...)
	return be.AppendUint64(b, m.Info.Next)
}

func (m *Update) appendBody(b []byte) []byte {
	b = appendState(b, &m.Proposal.State)
	b = append(b, m.Proposal.Sig[:]...)
	b = be.AppendUint16(b, uint16(len(m.Proposal.Parts)))
	for _, p := range m.Proposal.Parts {
		b = be.AppendUint64(b, p)
	}
	return b
}

func (m *Ack) appendBody(b []byte) []byte {
	b = be.AppendUint64(b, m.Version)
	return append(b, m.Sig[:]...)
}

func (m *Reject) appendBody(b []byte) []byte {
	b = be.AppendUint64(b, m.Version)
	b = append(b, byte(m.Code), byte(len(m.Reason)))
	return append(b, m.Reason...)
}

func (m *Close) appendBody(b []byte) []byte {
	b = appendState(b, &m.Proposal.State)
	return append(b, m.Proposal.Sig[:]...)
}

// EncodeMessage returns m's wire encoding. It refuses what DecodeMessage
// would refuse, so that we never send a message the peer must drop: an
// update with 0 or too many parts or a final state, a close without one,
// an unknown rejection code. A rejection's reason is cut to 255 bytes at a
// rune boundary.
func EncodeMessage(m Message) ([]byte, error) {
	switch m := m.(type) {
	case *Update:
		if n := len(m.Proposal.Parts); n == 0 || n > MaxParts || m.Proposal.State.Final {
			return nil, fmt.Errorf("%w: update with %d parts, final %v", ErrMalformed, n, m.Proposal.State.Final)
		}
	case *Close:
		if !m.Proposal.State.Final {
			return nil, fmt.Errorf("%w: close of a non-final state", ErrMalformed)
		}
	case *Reject:
		if m.Code == 0 || m.Code >= rejectCodeEnd {
			return nil, fmt.Errorf("%w: reject code %d", ErrMalformed, m.Code)
		}
		r := *m
		r.Reason = truncateUTF8(r.Reason, maxReason)
		m = &r
		return m.appendBody([]byte{byte(MsgReject)}), nil
	}
	return m.appendBody([]byte{byte(m.Type())}), nil
}

// truncateUTF8 cuts s to at most n bytes of valid UTF-8.
func truncateUTF8(s string, n int) string {
	if !utf8.ValidString(s) {
		s = string([]rune(s)) // replaces invalid bytes with U+FFFD
	}
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func decodeState(b []byte) (vm.ChannelState, error) {
	var s vm.ChannelState
	if err := s.UnmarshalBinary(b); err != nil {
		return s, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	return s, nil
}

func wantLen(t MsgType, body []byte, n int) error {
	if len(body) != n {
		return fmt.Errorf("%w: %s body of %d bytes, want %d", ErrMalformed, t, len(body), n)
	}
	return nil
}

// DecodeMessage decodes one message from the peer. Anything but the one
// canonical encoding of a well-formed message yields ErrMalformed. It
// checks form only: signatures, versions and balances are the Channel's
// business.
func DecodeMessage(b []byte) (Message, error) {
	if len(b) == 0 {
		return nil, fmt.Errorf("%w: empty message", ErrMalformed)
	}
	t, body := MsgType(b[0]), b[1:]
	switch t {
	case MsgHello:
		if err := wantLen(t, body, helloLen); err != nil {
			return nil, err
		}
		if body[0] != ProtocolVersion {
			return nil, fmt.Errorf("%w: protocol version %d, want %d", ErrMalformed, body[0], ProtocolVersion)
		}
		m := &Hello{ChainID: be.Uint64(body[1:]), ChannelID: be.Uint64(body[9:])}
		kb := body[17 : 17+keyLen]
		key, err := vm.PublicKeyFromBytes(kb)
		if err != nil {
			return nil, fmt.Errorf("%w: hello key: %v", ErrMalformed, err)
		}
		if enc := key.Bytes(); string(enc[:]) != string(kb) {
			return nil, fmt.Errorf("%w: hello key not canonically encoded", ErrMalformed)
		}
		m.Key = key
		copy(m.Challenge[:], body[17+keyLen:])
		return m, nil
	case MsgAuth:
		if err := wantLen(t, body, authLen); err != nil {
			return nil, err
		}
		m := &Auth{}
		copy(m.Sig[:], body)
		return m, nil
	case MsgSync:
		if err := wantLen(t, body, syncLen); err != nil {
			return nil, err
		}
		s, err := decodeState(body[:stateLen])
		if err != nil {
			return nil, err
		}
		m := &Sync{Info: SyncInfo{Latest: SignedState{State: s}}}
		copy(m.Info.Latest.SigA[:], body[stateLen:])
		copy(m.Info.Latest.SigB[:], body[stateLen+sigLen:])
		m.Info.Next = be.Uint64(body[stateLen+2*sigLen:])
		return m, nil
	case MsgUpdate:
		if len(body) < updateFixed {
			return nil, fmt.Errorf("%w: update body of %d bytes, want at least %d", ErrMalformed, len(body), updateFixed)
		}
		n := int(be.Uint16(body[stateLen+sigLen:]))
		if n == 0 || n > MaxParts {
			return nil, fmt.Errorf("%w: update with %d parts, want 1..%d", ErrMalformed, n, MaxParts)
		}
		if err := wantLen(t, body, updateFixed+8*n); err != nil {
			return nil, err
		}
		s, err := decodeState(body[:stateLen])
		if err != nil {
			return nil, err
		}
		if s.Final {
			return nil, fmt.Errorf("%w: update of a final state; use close", ErrMalformed)
		}
		m := &Update{Proposal: Proposal{State: s, Parts: make([]uint64, n)}}
		copy(m.Proposal.Sig[:], body[stateLen:])
		for i := range m.Proposal.Parts {
			p := be.Uint64(body[updateFixed+8*i:])
			if p == 0 {
				return nil, fmt.Errorf("%w: update part %d is zero", ErrMalformed, i)
			}
			m.Proposal.Parts[i] = p
		}
		return m, nil
	case MsgAccept:
		if err := wantLen(t, body, acceptLen); err != nil {
			return nil, err
		}
		m := &Ack{Version: be.Uint64(body)}
		copy(m.Sig[:], body[8:])
		return m, nil
	case MsgReject:
		if len(body) < rejectFixed {
			return nil, fmt.Errorf("%w: reject body of %d bytes, want at least %d", ErrMalformed, len(body), rejectFixed)
		}
		if err := wantLen(t, body, rejectFixed+int(body[9])); err != nil {
			return nil, err
		}
		code := RejectCode(body[8])
		if code == 0 || code >= rejectCodeEnd {
			return nil, fmt.Errorf("%w: reject code %d", ErrMalformed, code)
		}
		reason := body[rejectFixed:]
		if !utf8.Valid(reason) {
			return nil, fmt.Errorf("%w: reject reason not UTF-8", ErrMalformed)
		}
		return &Reject{Version: be.Uint64(body), Code: code, Reason: string(reason)}, nil
	case MsgClose:
		if err := wantLen(t, body, closeLen); err != nil {
			return nil, err
		}
		s, err := decodeState(body[:stateLen])
		if err != nil {
			return nil, err
		}
		if !s.Final {
			return nil, fmt.Errorf("%w: close of a non-final state", ErrMalformed)
		}
		m := &Close{Proposal: Proposal{State: s}}
		copy(m.Proposal.Sig[:], body[stateLen:])
		return m, nil
	}
	return nil, fmt.Errorf("%w: unknown message type %d", ErrMalformed, b[0])
}
