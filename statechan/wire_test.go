package statechan

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/keel-rollup/keel/vm"
)

// sampleMessages returns one well-formed message of every type.
func sampleMessages(t testing.TB) []Message {
	t.Helper()
	c := newCast(t)
	p := testParams(c.alice, c.bob, 1000, 500)
	alice, bob := pair(t, p, c.alice, c.bob)
	prop, err := alice.ProposePayments([]uint64{3, 4, 5})
	require.NoError(t, err)
	st, err := bob.Accept(prop)
	require.NoError(t, err)
	cl, err := bob.ProposeClose()
	require.NoError(t, err)
	return []Message{
		&Hello{ChainID: testChain, ChannelID: testChannel, Key: c.alice.Public(), Challenge: [32]byte{1, 2, 3, 31: 9}},
		&Auth{Sig: prop.Sig},
		&Sync{Info: SyncInfo{Latest: st, Next: 2}},
		&Update{Proposal: prop},
		&Ack{Version: 1, Sig: st.SigB},
		&Reject{Version: 1, Code: RejectBadSignature, Reason: "statechan: bad signature"},
		&Reject{Version: 0, Code: RejectWrongPeer},
		&Close{Proposal: Proposal{State: cl.State, Sig: cl.Sig}},
	}
}

func TestWireRoundTrip(t *testing.T) {
	for _, m := range sampleMessages(t) {
		b, err := EncodeMessage(m)
		require.NoError(t, err)
		got, err := DecodeMessage(b)
		require.NoError(t, err, m.Type())
		if r, ok := m.(*Reject); ok && r.Reason == "" {
			require.Equal(t, m, got)
		} else {
			require.Equal(t, m, got, m.Type())
		}
		again, err := EncodeMessage(got)
		require.NoError(t, err)
		require.Equal(t, b, again)
	}
}

// TestWireLayout pins the documented sizes, so that a change to the
// layout is a visible diff here and in wire.go's table.
func TestWireLayout(t *testing.T) {
	want := map[MsgType]int{MsgHello: 82, MsgAuth: 65, MsgSync: 178, MsgUpdate: 108 + 3*8, MsgAccept: 73, MsgClose: 106}
	for _, m := range sampleMessages(t) {
		b, err := EncodeMessage(m)
		require.NoError(t, err)
		if n, ok := want[m.Type()]; ok {
			require.Len(t, b, n, m.Type())
		}
	}
	require.Equal(t, 1+107+8*MaxParts, MaxMessageSize)
}

func TestDecodeRejectsMalformed(t *testing.T) {
	enc := map[MsgType][]byte{}
	for _, m := range sampleMessages(t) {
		b, err := EncodeMessage(m)
		require.NoError(t, err)
		if _, ok := enc[m.Type()]; !ok {
			enc[m.Type()] = b
		}
	}
	mut := func(typ MsgType, f func([]byte) []byte) []byte {
		return f(bytes.Clone(enc[typ]))
	}
	cases := map[string][]byte{
		"empty":                  nil,
		"unknown type":           {0x08},
		"type zero":              {0x00},
		"hello short":            mut(MsgHello, func(b []byte) []byte { return b[:len(b)-1] }),
		"hello long":             mut(MsgHello, func(b []byte) []byte { return append(b, 0) }),
		"hello protocol version": mut(MsgHello, func(b []byte) []byte { b[1] = 2; return b }),
		"hello key not a point":  mut(MsgHello, func(b []byte) []byte { copy(b[18:50], bytes.Repeat([]byte{0xff}, 32)); return b }),
		"auth short":             mut(MsgAuth, func(b []byte) []byte { return b[:64] }),
		"sync long":              mut(MsgSync, func(b []byte) []byte { return append(b, 0) }),
		"sync final flag 2":      mut(MsgSync, func(b []byte) []byte { b[41] = 2; return b }),
		"sync balances overflow": mut(MsgSync, func(b []byte) []byte { copy(b[25:41], bytes.Repeat([]byte{0xff}, 16)); return b }),
		"update no parts":        mut(MsgUpdate, func(b []byte) []byte { b[106], b[107] = 0, 0; return b[:108] }),
		"update count too high":  mut(MsgUpdate, func(b []byte) []byte { b[106], b[107] = 0xff, 0xff; return b }),
		"update count mismatch":  mut(MsgUpdate, func(b []byte) []byte { b[107] = 4; return b }),
		"update trailing byte":   mut(MsgUpdate, func(b []byte) []byte { return append(b, 0) }),
		"update zero part":       mut(MsgUpdate, func(b []byte) []byte { copy(b[108:116], make([]byte, 8)); return b }),
		"update final":           mut(MsgUpdate, func(b []byte) []byte { b[41] = 1; return b }),
		"accept short":           mut(MsgAccept, func(b []byte) []byte { return b[:72] }),
		"reject code zero":       mut(MsgReject, func(b []byte) []byte { b[9] = 0; return b }),
		"reject code unknown":    mut(MsgReject, func(b []byte) []byte { b[9] = byte(rejectCodeEnd); return b }),
		"reject length mismatch": mut(MsgReject, func(b []byte) []byte { b[10]++; return b }),
		"reject not utf8":        mut(MsgReject, func(b []byte) []byte { b[len(b)-1] = 0xff; return b }),
		"reject truncated":       {byte(MsgReject), 0, 0, 0},
		"close not final":        mut(MsgClose, func(b []byte) []byte { b[41] = 0; return b }),
		"close short":            mut(MsgClose, func(b []byte) []byte { return b[:100] }),
	}
	for name, b := range cases {
		_, err := DecodeMessage(b)
		require.ErrorIs(t, err, ErrMalformed, name)
	}
}

func TestEncodeRefusesWhatDecodeRefuses(t *testing.T) {
	_, err := EncodeMessage(&Update{})
	require.ErrorIs(t, err, ErrMalformed)
	_, err = EncodeMessage(&Update{Proposal: Proposal{State: vm.ChannelState{Final: true}, Parts: []uint64{1}}})
	require.ErrorIs(t, err, ErrMalformed)
	_, err = EncodeMessage(&Close{})
	require.ErrorIs(t, err, ErrMalformed)
	_, err = EncodeMessage(&Reject{Code: 0})
	require.ErrorIs(t, err, ErrMalformed)

	// A long reason is cut at a rune boundary and still decodes.
	b, err := EncodeMessage(&Reject{Version: 1, Code: RejectInternal, Reason: strings.Repeat("é", 200)})
	require.NoError(t, err)
	m, err := DecodeMessage(b)
	require.NoError(t, err)
	require.LessOrEqual(t, len(m.(*Reject).Reason), 255)
}

func TestRejectErrorMatchesSentinel(t *testing.T) {
	for c := RejectCode(1); c < rejectCodeEnd; c++ {
		err := error(&RejectError{Version: 3, Code: c})
		require.ErrorIs(t, err, ErrRejected)
		require.ErrorIs(t, err, c.Err())
		if c != RejectInternal {
			require.Equal(t, c, rejectCodeOf(c.Err()), "code %d", c)
		}
	}
}

// FuzzDecodeMessage: the decoder of outside bytes never panics, and what it
// accepts has exactly one encoding: re-encoding gives the input back.
func FuzzDecodeMessage(f *testing.F) {
	for _, m := range sampleMessages(f) {
		b, err := EncodeMessage(m)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		f.Add(b[:len(b)/2])
	}
	f.Add([]byte{})
	f.Add([]byte{byte(MsgUpdate), 0xff})
	f.Add([]byte{byte(MsgReject), 0, 0, 0, 0, 0, 0, 0, 1, 1, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := DecodeMessage(b)
		if err != nil {
			require.ErrorIs(t, err, ErrMalformed)
			return
		}
		again, err := EncodeMessage(m)
		require.NoError(t, err)
		require.Equal(t, b, again, "non-canonical encoding accepted")
	})
}
