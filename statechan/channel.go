package statechan

import (
	"fmt"
	"math"

	"github.com/keel-rollup/keel/vm"
)

// MaxParts bounds the payments one update carries. Concurrent Pay calls
// share one state update (and its four signature operations); the parts
// tell the receiver the individual payments, and the bound keeps a message
// small.
const MaxParts = 1024

// maxVersionGap bounds how far a peer's sync may move our next version
// ahead of every version we know of, so that a malicious peer cannot
// exhaust the version space with one message.
const maxVersionGap = 1 << 20

// Role is a party's side of a channel: A holds BalanceA and signs SigA.
type Role uint8

// The two roles.
const (
	RoleA Role = iota
	RoleB
)

func (r Role) String() string {
	if r == RoleA {
		return "A"
	}
	return "B"
}

// Params are what both parties agree on when the channel is opened on L2,
// and never change.
type Params struct {
	// ChainID is the L2 chain the channel lives on.
	ChainID uint64
	// ChannelID is vm.ChannelIDOf(opener, nonce) of the open transaction.
	ChannelID uint64
	// A and B are the parties' L2 keys.
	A, B vm.PublicKey
	// InitialA and InitialB are the balances the open transaction locked:
	// the implicit state of version 0, which needs no co-signature because
	// the chain itself recorded it (a unilateral close with it on chain
	// carries the closing party's own signature alone).
	InitialA, InitialB uint64
}

// Validate checks that the parties are two distinct valid keys and the
// total fits in 64 bits.
func (p Params) Validate() error {
	if err := p.A.Validate(); err != nil {
		return fmt.Errorf("%w: key A: %v", ErrBadParams, err)
	}
	if err := p.B.Validate(); err != nil {
		return fmt.Errorf("%w: key B: %v", ErrBadParams, err)
	}
	if p.A == p.B {
		return fmt.Errorf("%w: A and B are the same key", ErrBadParams)
	}
	if p.InitialA > math.MaxUint64-p.InitialB {
		return fmt.Errorf("%w: total overflows", ErrBadParams)
	}
	return nil
}

// Total is the channel's locked total, the sum of both balances in every
// state.
func (p Params) Total() uint64 { return p.InitialA + p.InitialB }

// Opening returns the state of version 0: the balances the open
// transaction locked.
func (p Params) Opening() vm.ChannelState {
	return vm.ChannelState{ChainID: p.ChainID, ChannelID: p.ChannelID, BalanceA: p.InitialA, BalanceB: p.InitialB}
}

// Key returns the key of role r.
func (p Params) Key(r Role) vm.PublicKey {
	if r == RoleA {
		return p.A
	}
	return p.B
}

// RoleOf returns the role of key pub, or ErrNotParty.
func (p Params) RoleOf(pub vm.PublicKey) (Role, error) {
	switch pub {
	case p.A:
		return RoleA, nil
	case p.B:
		return RoleB, nil
	}
	return 0, fmt.Errorf("%w: %s in channel %d", ErrNotParty, pub, p.ChannelID)
}

// SignedState is a state with both parties' signatures: what either party
// can submit on chain. The state of version 0 is the exception: it is the
// opening state and carries no signatures here; to close with it on chain
// the closing party signs it alone (SigA if it is A, SigB if B).
type SignedState struct {
	State      vm.ChannelState
	SigA, SigB vm.Signature
}

// Verify checks that s is a state of the channel p describes, with a valid
// signature of each party (or is the opening state itself).
func (s *SignedState) Verify(p Params) error {
	if err := checkIDs(p, &s.State); err != nil {
		return err
	}
	if t, err := s.State.Total(); err != nil || t != p.Total() {
		return fmt.Errorf("%w: version %d", ErrTotalChanged, s.State.Version)
	}
	if s.State.Version == 0 {
		if s.State != p.Opening() {
			return fmt.Errorf("%w: version 0 is not the opening state", ErrNotCoSigned)
		}
		return nil
	}
	// One hash for both signatures.
	msg := s.State.Message()
	if !p.A.VerifyElement(msg, s.SigA) {
		return fmt.Errorf("%w: signature of A on version %d", ErrNotCoSigned, s.State.Version)
	}
	if !p.B.VerifyElement(msg, s.SigB) {
		return fmt.Errorf("%w: signature of B on version %d", ErrNotCoSigned, s.State.Version)
	}
	return nil
}

func checkIDs(p Params, s *vm.ChannelState) error {
	if s.ChainID != p.ChainID {
		return fmt.Errorf("%w: state for chain %d, channel is on chain %d", ErrWrongChain, s.ChainID, p.ChainID)
	}
	if s.ChannelID != p.ChannelID {
		return fmt.Errorf("%w: state for channel %d, this is channel %d", ErrWrongChannel, s.ChannelID, p.ChannelID)
	}
	return nil
}

// Proposal is a state signed by the party that proposes it: an update
// (payments from the proposer to the peer) or a close (the same balances,
// Final set).
type Proposal struct {
	State vm.ChannelState
	// Sig is the proposer's signature on State.
	Sig vm.Signature
	// Parts are the individual payments the update carries, which sum to
	// the proposer's balance decrease. They are not signed: the receiver
	// checks that they add up, and they only tell it how the signed total
	// was made up. A close has none.
	Parts []uint64
}

// Status is where a channel is in its life.
type Status uint8

// Channel statuses.
const (
	// StatusOpen means payments can flow.
	StatusOpen Status = iota
	// StatusClosing means our final state is proposed and awaits the
	// peer's signature.
	StatusClosing
	// StatusClosed means a final state is co-signed: settle it on chain.
	StatusClosed
)

func (s Status) String() string {
	switch s {
	case StatusOpen:
		return "open"
	case StatusClosing:
		return "closing"
	case StatusClosed:
		return "closed"
	}
	return fmt.Sprintf("status(%d)", uint8(s))
}

// Channel is one party's view of a two-party channel: the latest fully
// co-signed state and at most one proposal of its own in flight. It is a
// pure state machine, as raft's is: no I/O, no clock, no goroutines. The
// caller (Session, or a test) moves messages and persists what the
// methods return, in the order doc.go describes. A Channel is not safe for
// concurrent use.
//
// Its one safety rule: a party never signs two different states of the same
// version, and never a version at or below one it has co-signed. The
// peer's states therefore cannot fork, and the highest co-signed version
// is always the channel's true state, which is what the chain's challenge
// rule needs.
type Channel struct {
	params Params
	role   Role
	key    *vm.PrivateKey
	peer   vm.PublicKey

	latest SignedState
	// own is our proposal in flight, nil when none.
	own *Proposal
	// signed is the highest version we have signed (own proposal or
	// countersignature); the store keeps it through our last proposal.
	signed uint64
	// burned is the highest version known dead: proposed by one of us and
	// rejected. Neither party uses it again.
	burned uint64
}

// NewChannel returns party key's fresh channel at the opening state.
func NewChannel(p Params, key *vm.PrivateKey) (*Channel, error) {
	return newChannel(p, key, SignedState{State: p.Opening()}, nil)
}

func newChannel(p Params, key *vm.PrivateKey, latest SignedState, own *Proposal) (*Channel, error) {
	if key == nil {
		return nil, fmt.Errorf("%w: no key", ErrBadParams)
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	role, err := p.RoleOf(key.Public())
	if err != nil {
		return nil, err
	}
	c := &Channel{params: p, role: role, key: key, peer: p.Key(1 - role), latest: latest, signed: latest.State.Version}
	if own != nil && own.State.Version > latest.State.Version {
		c.own = own
		c.signed = own.State.Version
	}
	return c, nil
}

// Params returns the channel's parameters.
func (c *Channel) Params() Params { return c.params }

// Role returns our side of the channel.
func (c *Channel) Role() Role { return c.role }

// Latest returns the latest fully co-signed state.
func (c *Channel) Latest() SignedState { return c.latest }

// Pending returns our proposal in flight, if any. Its Parts slice is
// shared: do not modify it.
func (c *Channel) Pending() (Proposal, bool) {
	if c.own == nil {
		return Proposal{}, false
	}
	return *c.own, true
}

// Status returns the channel's status.
func (c *Channel) Status() Status {
	switch {
	case c.latest.State.Final:
		return StatusClosed
	case c.own != nil && c.own.State.Final:
		return StatusClosing
	}
	return StatusOpen
}

// Balances returns our balance and the peer's in the latest co-signed
// state.
func (c *Channel) Balances() (own, peer uint64) {
	return balanceOf(&c.latest.State, c.role), balanceOf(&c.latest.State, 1-c.role)
}

// NextVersion returns the version the next proposal, ours or the peer's,
// must carry.
func (c *Channel) NextVersion() uint64 {
	return max(c.latest.State.Version, c.burned) + 1
}

func balanceOf(s *vm.ChannelState, r Role) uint64 {
	if r == RoleA {
		return s.BalanceA
	}
	return s.BalanceB
}

func setBalance(s *vm.ChannelState, r Role, v uint64) {
	if r == RoleA {
		s.BalanceA = v
	} else {
		s.BalanceB = v
	}
}

// nextOwnVersion is the version of our next proposal: above everything
// co-signed, burned, or signed by us.
func (c *Channel) nextOwnVersion() (uint64, error) {
	v := max(c.latest.State.Version, c.burned, c.signed)
	if v == math.MaxUint64 {
		return 0, ErrVersionExhausted
	}
	return v + 1, nil
}

func (c *Channel) canPropose() error {
	if c.latest.State.Final {
		return fmt.Errorf("%w: version %d is final", ErrChannelClosed, c.latest.State.Version)
	}
	if c.own != nil {
		return fmt.Errorf("%w: version %d", ErrProposalPending, c.own.State.Version)
	}
	return nil
}

// ProposeUpdate proposes that we pay the peer pay: our balance falls by
// pay, the peer's rises by pay, the version is the next one. The returned
// proposal carries our signature; persist it before sending it (see
// doc.go).
func (c *Channel) ProposeUpdate(pay uint64) (Proposal, error) {
	return c.ProposePayments([]uint64{pay})
}

// ProposePayments is ProposeUpdate for several payments at once: one state
// that moves their sum.
func (c *Channel) ProposePayments(parts []uint64) (Proposal, error) {
	if err := c.canPropose(); err != nil {
		return Proposal{}, err
	}
	if len(parts) == 0 || len(parts) > MaxParts {
		return Proposal{}, fmt.Errorf("%w: %d payments in one update, want 1..%d", ErrMalformed, len(parts), MaxParts)
	}
	own, _ := c.Balances()
	var sum uint64
	for _, p := range parts {
		if p == 0 {
			return Proposal{}, ErrZeroAmount
		}
		if p > own-sum {
			return Proposal{}, fmt.Errorf("%w: paying %d more with %d left of balance %d", ErrInsufficientFunds, p, own-sum, own)
		}
		sum += p
	}
	v, err := c.nextOwnVersion()
	if err != nil {
		return Proposal{}, err
	}
	s := c.latest.State
	s.Version = v
	setBalance(&s, c.role, balanceOf(&s, c.role)-sum)
	setBalance(&s, 1-c.role, balanceOf(&s, 1-c.role)+sum)
	return c.sign(s, append([]uint64(nil), parts...))
}

// ProposeClose proposes the final state: the latest balances with Final
// set, at the next version. Once the peer countersigns it, either party
// settles the channel on chain at once.
func (c *Channel) ProposeClose() (Proposal, error) {
	if err := c.canPropose(); err != nil {
		return Proposal{}, err
	}
	v, err := c.nextOwnVersion()
	if err != nil {
		return Proposal{}, err
	}
	s := c.latest.State
	s.Version, s.Final = v, true
	return c.sign(s, nil)
}

func (c *Channel) sign(s vm.ChannelState, parts []uint64) (Proposal, error) {
	sig, err := s.Sign(c.key)
	if err != nil {
		return Proposal{}, err
	}
	p := &Proposal{State: s, Sig: sig, Parts: parts}
	c.own, c.signed = p, s.Version
	return *p, nil
}

// Accept handles the peer's proposal: an update that pays us, or a close.
// It checks, in order, that the channel is not closed, the chain and
// channel ids, that the version is exactly the next one, that we have
// not signed another state of that version, that the peer pays and never
// we, within its balance and conserving the total, that the parts add up,
// and the peer's signature. Then it countersigns and returns the fully
// co-signed state, which is now the latest: persist it before sending the
// acknowledgement.
//
// A rejected proposal of the right version burns that version on both
// sides (the peer learns of it from our rejection), since the peer's
// signature on it exists: no party signs another state of that version.
func (c *Channel) Accept(p Proposal) (SignedState, error) {
	s := &p.State
	if c.latest.State.Final {
		return SignedState{}, fmt.Errorf("%w: version %d is final", ErrChannelClosed, c.latest.State.Version)
	}
	if err := checkIDs(c.params, s); err != nil {
		return SignedState{}, err
	}
	next := c.NextVersion()
	switch {
	case s.Version < next:
		return SignedState{}, fmt.Errorf("%w: proposal of version %d, next is %d", ErrStaleVersion, s.Version, next)
	case s.Version > next:
		return SignedState{}, fmt.Errorf("%w: proposal of version %d, next is %d", ErrVersionSkip, s.Version, next)
	}
	out, err := c.accept(p)
	if err != nil {
		c.burned = max(c.burned, s.Version)
	}
	return out, err
}

func (c *Channel) accept(p Proposal) (SignedState, error) {
	s := &p.State
	if c.signed >= s.Version {
		return SignedState{}, fmt.Errorf("%w: we signed version %d already", ErrConflict, s.Version)
	}
	oldOwn, oldPeer := c.Balances()
	newOwn, newPeer := balanceOf(s, c.role), balanceOf(s, 1-c.role)
	if s.Final {
		if newOwn != oldOwn || newPeer != oldPeer || len(p.Parts) != 0 {
			return SignedState{}, fmt.Errorf("%w: version %d", ErrBadClose, s.Version)
		}
	} else {
		if newOwn < oldOwn {
			return SignedState{}, fmt.Errorf("%w: our balance %d would fall to %d", ErrWrongDirection, oldOwn, newOwn)
		}
		pay := newOwn - oldOwn
		if pay == 0 {
			return SignedState{}, ErrZeroAmount
		}
		if pay > oldPeer {
			return SignedState{}, fmt.Errorf("%w: peer pays %d from a balance of %d", ErrInsufficientFunds, pay, oldPeer)
		}
		if newPeer != oldPeer-pay {
			return SignedState{}, fmt.Errorf("%w: version %d", ErrTotalChanged, s.Version)
		}
		if err := checkParts(p.Parts, pay); err != nil {
			return SignedState{}, err
		}
	}
	// Implied by the checks above; kept so that a change to them cannot
	// let a state that mints or burns funds through.
	if t, err := s.Total(); err != nil || t != c.params.Total() {
		return SignedState{}, fmt.Errorf("%w: version %d", ErrTotalChanged, s.Version)
	}
	msg := s.Message()
	if !c.peer.VerifyElement(msg, p.Sig) {
		return SignedState{}, fmt.Errorf("%w: peer's signature on proposal of version %d", ErrBadSignature, s.Version)
	}
	sig, err := c.key.SignElement(msg)
	if err != nil {
		return SignedState{}, err
	}
	c.latest = c.cosigned(*s, p.Sig, sig)
	c.signed = s.Version
	return c.latest, nil
}

func checkParts(parts []uint64, pay uint64) error {
	if len(parts) == 0 || len(parts) > MaxParts {
		return fmt.Errorf("%w: %d payments in one update, want 1..%d", ErrMalformed, len(parts), MaxParts)
	}
	var sum uint64
	for _, x := range parts {
		if x == 0 || x > pay-sum {
			return fmt.Errorf("%w: payments do not add up to the %d the state moves", ErrMalformed, pay)
		}
		sum += x
	}
	if sum != pay {
		return fmt.Errorf("%w: payments add up to %d, the state moves %d", ErrMalformed, sum, pay)
	}
	return nil
}

// cosigned places the two signatures by role.
func (c *Channel) cosigned(s vm.ChannelState, peerSig, ownSig vm.Signature) SignedState {
	if c.role == RoleA {
		return SignedState{State: s, SigA: ownSig, SigB: peerSig}
	}
	return SignedState{State: s, SigA: peerSig, SigB: ownSig}
}

// HandleAccept handles the peer's countersignature on our proposal of
// version. On success the proposal is the latest co-signed state (persist
// it before reporting the payment done) and is returned with the proposal
// it completes. A bad countersignature leaves the proposal in flight,
// unsettled: the peer holds our signature and might still complete it, so
// only a resync settles it.
func (c *Channel) HandleAccept(version uint64, sig vm.Signature) (SignedState, Proposal, error) {
	if c.own == nil || c.own.State.Version != version {
		return SignedState{}, Proposal{}, fmt.Errorf("%w: acknowledgement of version %d", ErrNoProposal, version)
	}
	if !c.own.State.Verify(c.peer, sig) {
		return SignedState{}, Proposal{}, fmt.Errorf("%w: peer's countersignature on version %d", ErrBadSignature, version)
	}
	p := *c.own
	c.latest = c.cosigned(p.State, sig, p.Sig)
	c.own = nil
	return c.latest, p, nil
}

// HandleReject handles the peer's rejection of our proposal of version: the
// proposal is dropped and its version burned. The peer still holds our
// signature on it, so a rejected payment is not proof that nothing was
// paid until a later state is co-signed; the next update supersedes it.
func (c *Channel) HandleReject(version uint64) (Proposal, error) {
	if c.own == nil || c.own.State.Version != version {
		return Proposal{}, fmt.Errorf("%w: rejection of version %d", ErrNoProposal, version)
	}
	p := *c.own
	c.own = nil
	c.burned = max(c.burned, version)
	return p, nil
}

// SyncInfo is what a party tells its peer when a session starts: its
// latest co-signed state and the next version it would use.
type SyncInfo struct {
	Latest SignedState
	Next   uint64
}

// SyncInfo returns our side of the reconnect sync.
func (c *Channel) SyncInfo() SyncInfo {
	next, err := c.nextOwnVersion()
	if err != nil {
		next = math.MaxUint64
	}
	return SyncInfo{Latest: c.latest, Next: next}
}

// SyncResult says what Reconcile changed.
type SyncResult struct {
	// Adopted means the peer's state was newer and is now our latest:
	// persist it.
	Adopted bool
	// Completed is our proposal that the peer had countersigned before
	// the last session ended (its acknowledgement was lost): it is part of
	// the adopted state.
	Completed *Proposal
	// Dropped is our proposal that the peer never countersigned: its
	// version is burned and its payments did not happen, unless the peer
	// completes it on chain, which any later co-signed state defeats.
	Dropped *Proposal
}

// Reconcile merges the peer's sync into ours at the start of a session.
// The higher fully co-signed state wins: every co-signed state carries our
// own signature, so adopting the peer's newer one only accepts what we
// already agreed to. A proposal of ours still in flight from the last
// session is settled: completed if the peer's state is it, dropped and
// burned otherwise. Next versions merge to the larger of the two.
func (c *Channel) Reconcile(peer SyncInfo) (SyncResult, error) {
	var res SyncResult
	ps := &peer.Latest
	if err := ps.Verify(c.params); err != nil {
		return res, err
	}
	switch {
	case ps.State.Version == c.latest.State.Version:
		if ps.State != c.latest.State {
			return res, fmt.Errorf("%w: version %d", ErrForked, ps.State.Version)
		}
	case ps.State.Version > c.latest.State.Version:
		if c.latest.State.Final {
			return res, fmt.Errorf("%w: peer's version %d is above our final version %d", ErrForked, ps.State.Version, c.latest.State.Version)
		}
		if c.own != nil && c.own.State.Version == ps.State.Version {
			if c.own.State != ps.State {
				return res, fmt.Errorf("%w: version %d differs from our proposal", ErrForked, ps.State.Version)
			}
			p := *c.own
			res.Completed, c.own = &p, nil
		}
		c.latest, res.Adopted = *ps, true
		c.signed = max(c.signed, ps.State.Version)
	}
	if c.own != nil {
		p := *c.own
		res.Dropped, c.own = &p, nil
		c.burned = max(c.burned, p.State.Version)
	}
	if peer.Next > 0 {
		known := max(c.latest.State.Version, c.burned, c.signed)
		if peer.Next-1 > known {
			if peer.Next-1-known > maxVersionGap {
				return res, fmt.Errorf("%w: peer's next version %d is %d beyond ours", ErrVersionSkip, peer.Next, peer.Next-1-known)
			}
			c.burned = peer.Next - 1
		}
	}
	return res, nil
}
