package statechan

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
	"github.com/rs/zerolog"

	"github.com/keel-rollup/keel/vm"
)

// Session is one authenticated websocket connection driving one channel.
// A driver goroutine owns the channel's state machine for the session's
// life: it proposes queued payments, answers the peer's proposals and
// persists in the order doc.go describes; a reader goroutine decodes
// incoming frames for it. A session ends when the connection fails, the
// peer misbehaves, Disconnect or the endpoint's Stop is called, or a newer
// session for the same channel replaces it. Its methods are safe for
// concurrent use.
type Session struct {
	e    *Endpoint
	rec  *chanRec
	conn *websocket.Conn
	log  zerolog.Logger
	peer vm.PublicKey

	payCh   chan *payReq
	closeCh chan *closeReq
	in      chan Message
	readErr error // written by the reader before it closes in

	quit     chan struct{}
	quitOnce sync.Once
	abortErr atomic.Pointer[error]

	done chan struct{}
	err  error // set before done is closed

	// Owned by the driver goroutine.
	queue         []*payReq
	queuedSum     uint64
	inflight      []*payReq
	inflightSum   uint64
	inflightClose *closeReq
	pendingClose  *closeReq
	backoffC      <-chan time.Time
}

// payReq is one Pay call. state moves queued → proposed (the driver put it
// in a signed proposal) or queued → cancelled (the caller gave up first);
// a proposed request whose caller gave up is abandoned.
type payReq struct {
	amount uint64
	start  time.Time
	state  atomic.Uint32
	done   chan error
}

const (
	reqQueued uint32 = iota
	reqProposed
	reqCancelled
	reqAbandoned
)

type closeReq struct {
	done chan closeResult
}

type closeResult struct {
	state SignedState
	err   error
}

// errCrash is what a test hook returns to kill a session on the spot, as a
// crashed process would: no further write, no further message.
var errCrash = errors.New("statechan: simulated crash")

// hooks are the crash points of the persistence order. Each runs on the
// driver goroutine with the channel's version; a non-nil error ends the
// session at once.
type hooks struct {
	proposalPersisted func(version uint64) error // payer: own proposal durable, not sent
	proposalSent      func(version uint64) error // payer: sent, no answer yet
	ackReceived       func(version uint64) error // payer: countersignature verified, not durable
	beforeCosign      func(version uint64) error // receiver: proposal verified, co-signed state not durable
	cosignPersisted   func(version uint64) error // receiver: co-signed state durable, ack not sent
}

func (s *Session) hook(f func(*hooks) func(uint64) error, version uint64) error {
	if s.e.cfg.hooks == nil {
		return nil
	}
	if h := f(s.e.cfg.hooks); h != nil {
		return h(version)
	}
	return nil
}

// ChannelID returns the session's channel.
func (s *Session) ChannelID() uint64 { return s.rec.id }

// Peer returns the authenticated peer key.
func (s *Session) Peer() vm.PublicKey { return s.peer }

// Done is closed when the session has ended.
func (s *Session) Done() <-chan struct{} { return s.done }

// Err returns why the session ended, once Done is closed.
func (s *Session) Err() error {
	select {
	case <-s.done:
		return s.err
	default:
		return nil
	}
}

// Disconnect ends the session and waits for it. The channel stays open: a
// payment in flight is settled by the next session's sync.
func (s *Session) Disconnect() {
	s.abort(ErrSessionClosed)
	<-s.done
}

func (s *Session) abort(err error) {
	s.quitOnce.Do(func() {
		s.abortErr.Store(&err)
		close(s.quit)
		_ = s.conn.Close()
	})
}

// Pay pays amount to the peer. It returns nil once a state that carries
// the payment is co-signed by both parties and durable in our store.
// Concurrent calls share states: the driver puts every payment queued
// while a proposal is in flight into the next one (up to MaxParts), so the
// four signature operations and two fsyncs of an update are paid once per
// batch.
//
// Errors: ErrInsufficientFunds or ErrZeroAmount (nothing signed);
// ErrChannelClosed; a *RejectError from the peer (our signature on the
// refused state exists, so the payment is settled as not made only once a
// later state is co-signed); ErrSessionClosed or ctx's error (not
// proposed: nothing signed); ErrUnsettled (in flight: the next sync decides
// it, see State).
func (s *Session) Pay(ctx context.Context, amount uint64) error {
	r := &payReq{amount: amount, start: time.Now(), done: make(chan error, 1)}
	select {
	case s.payCh <- r:
	case <-s.done:
		return ErrSessionClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-r.done:
		return err
	case <-ctx.Done():
		if r.state.CompareAndSwap(reqQueued, reqCancelled) {
			return ctx.Err()
		}
		r.state.CompareAndSwap(reqProposed, reqAbandoned)
		select {
		case err := <-r.done:
			return err
		default:
			return fmt.Errorf("%w: %w", ErrUnsettled, ctx.Err())
		}
	case <-s.done:
		// The driver answered every request it took before closing done;
		// one it never took stays queued and is dead with it.
		select {
		case err := <-r.done:
			return err
		default:
			return ErrSessionClosed
		}
	}
}

// CloseChannel proposes the final state once no payment of ours is in
// flight (payments queued before it go first; later ones are refused),
// and returns it co-signed and durable. If the peer closes first, its final
// state is returned.
func (s *Session) CloseChannel(ctx context.Context) (SignedState, error) {
	r := &closeReq{done: make(chan closeResult, 1)}
	select {
	case s.closeCh <- r:
	case <-s.done:
		return SignedState{}, ErrSessionClosed
	case <-ctx.Done():
		return SignedState{}, ctx.Err()
	}
	select {
	case res := <-r.done:
		return res.state, res.err
	case <-ctx.Done():
		return SignedState{}, fmt.Errorf("%w: %w", ErrUnsettled, ctx.Err())
	case <-s.done:
		select {
		case res := <-r.done:
			return res.state, res.err
		default:
			return SignedState{}, ErrSessionClosed
		}
	}
}

// startSession runs the handshake (hello, auth), takes the channel over
// from any older session, syncs, and starts the session's goroutines.
// channelID is the channel a dialer asks for; a listener learns it from
// the peer's hello.
func (e *Endpoint) startSession(ctx context.Context, conn *websocket.Conn, channelID uint64, dialer bool) (*Session, error) {
	// Stop waits for handshakes too, and cuts them short.
	e.mu.Lock()
	if !e.running {
		e.mu.Unlock()
		_ = conn.Close()
		return nil, ErrNotStarted
	}
	e.wg.Add(1)
	e.handshakes[conn] = struct{}{}
	e.mu.Unlock()
	defer func() {
		e.mu.Lock()
		delete(e.handshakes, conn)
		e.mu.Unlock()
		e.wg.Done()
	}()
	conn.SetReadLimit(MaxMessageSize)
	deadline := time.Now().Add(e.cfg.HandshakeTimeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	_ = conn.SetReadDeadline(deadline)
	_ = conn.SetWriteDeadline(deadline)
	s := &Session{
		e: e, conn: conn, log: e.log,
		payCh: make(chan *payReq, 4096), closeCh: make(chan *closeReq, 1), in: make(chan Message, 64),
		quit: make(chan struct{}), done: make(chan struct{}),
	}
	rec, err := s.handshake(channelID, dialer)
	if err != nil {
		s.refuse(0, err)
		return nil, err
	}
	s.rec = rec
	s.log = e.log.With().Uint64("channel", rec.id).Bool("dialer", dialer).Logger()
	if err := s.takeOver(deadline); err != nil {
		s.refuse(0, err)
		return nil, err
	}
	if err := s.sync(); err != nil {
		rec.own.Unlock()
		s.refuse(0, err)
		return nil, err
	}
	_ = conn.SetReadDeadline(time.Time{})

	e.mu.Lock()
	if !e.running {
		e.mu.Unlock()
		rec.own.Unlock()
		_ = conn.Close()
		return nil, ErrNotStarted
	}
	e.wg.Add(2)
	e.mu.Unlock()
	rec.mu.Lock()
	rec.sess = s
	close(rec.attached)
	rec.attached = make(chan struct{})
	rec.mu.Unlock()
	e.m.Sessions(1)
	go s.readLoop()
	go s.run()
	return s, nil
}

// refuse tells the peer why, best effort, and drops the connection. An
// internal error (the store, say) is not the peer's business: it gets the
// code only.
func (s *Session) refuse(version uint64, err error) {
	_ = s.send(rejectFor(version, err))
	_ = s.conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.ClosePolicyViolation, ""), time.Now().Add(time.Second))
	_ = s.conn.Close()
}

// rejectFor is the rejection that tells the peer err.
func rejectFor(version uint64, err error) *Reject {
	code, reason := rejectCodeOf(err), err.Error()
	if code == RejectInternal {
		reason = "internal error"
	}
	return &Reject{Version: version, Code: code, Reason: reason}
}

func (s *Session) read() (Message, error) {
	mt, b, err := s.conn.ReadMessage()
	if err != nil {
		return nil, err
	}
	if mt != websocket.BinaryMessage {
		return nil, fmt.Errorf("%w: websocket message type %d, want binary", ErrMalformed, mt)
	}
	s.e.m.BytesReceived(len(b))
	return DecodeMessage(b)
}

// readHandshake reads a handshake message; a rejection becomes its
// *RejectError.
func (s *Session) readHandshake() (Message, error) {
	m, err := s.read()
	if err != nil {
		return nil, err
	}
	if r, ok := m.(*Reject); ok {
		return nil, &RejectError{Version: r.Version, Code: r.Code, Reason: r.Reason}
	}
	return m, nil
}

func (s *Session) send(m Message) error {
	b, err := EncodeMessage(m)
	if err != nil {
		return err
	}
	_ = s.conn.SetWriteDeadline(time.Now().Add(s.e.cfg.WriteTimeout))
	if err := s.conn.WriteMessage(websocket.BinaryMessage, b); err != nil {
		return fmt.Errorf("statechan: send %s: %w", m.Type(), err)
	}
	s.e.m.BytesSent(len(b))
	return nil
}

func expect[T Message](m Message, err error) (T, error) {
	var zero T
	if err != nil {
		return zero, err
	}
	t, ok := m.(T)
	if !ok {
		return zero, fmt.Errorf("%w: got %s, want %s", ErrProtocol, m.Type(), zero.Type())
	}
	return t, nil
}

// handshake: each side sends hello (key, channel, fresh challenge), checks
// the peer's key is the channel's counterparty, signs AuthMessage over both
// challenges, and verifies the peer's signature. The dialer speaks first;
// the listener learns the channel from its hello and answers only if the
// key is right. No state is exchanged before both checks pass.
func (s *Session) handshake(channelID uint64, dialer bool) (*chanRec, error) {
	e := s.e
	own := e.cfg.Key.Public()
	mine, err := newChallenge()
	if err != nil {
		return nil, err
	}
	var rec *chanRec
	if dialer {
		if rec, err = e.rec(channelID); err != nil {
			return nil, err
		}
		p := rec.params()
		if err := s.send(&Hello{ChainID: p.ChainID, ChannelID: p.ChannelID, Key: own, Challenge: mine}); err != nil {
			return nil, err
		}
	}
	hello, err := expect[*Hello](s.readHandshake())
	if err != nil {
		return nil, err
	}
	if !dialer {
		if rec, err = e.rec(hello.ChannelID); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrWrongChannel, err)
		}
	}
	p, role := rec.params(), rec.role()
	peerRole := 1 - role
	switch {
	case hello.ChainID != p.ChainID:
		return nil, fmt.Errorf("%w: peer is on chain %d, channel on %d", ErrWrongChain, hello.ChainID, p.ChainID)
	case hello.ChannelID != p.ChannelID:
		return nil, fmt.Errorf("%w: peer speaks for channel %d, want %d", ErrWrongChannel, hello.ChannelID, p.ChannelID)
	case hello.Key != p.Key(peerRole):
		return nil, fmt.Errorf("%w: peer presented %s, channel %d's counterparty is %s", ErrWrongPeer, hello.Key, p.ChannelID, p.Key(peerRole))
	}
	if !dialer {
		if err := s.send(&Hello{ChainID: p.ChainID, ChannelID: p.ChannelID, Key: own, Challenge: mine}); err != nil {
			return nil, err
		}
	}
	sig, err := e.cfg.Key.SignElement(AuthMessage(p, role, hello.Challenge, mine))
	if err != nil {
		return nil, err
	}
	if err := s.send(&Auth{Sig: sig}); err != nil {
		return nil, err
	}
	auth, err := expect[*Auth](s.readHandshake())
	if err != nil {
		return nil, err
	}
	if !hello.Key.VerifyElement(AuthMessage(p, peerRole, mine, hello.Challenge), auth.Sig) {
		return nil, fmt.Errorf("%w: bad handshake signature from %s", ErrAuthFailed, hello.Key)
	}
	s.peer = hello.Key
	return rec, nil
}

// takeOver makes this session the channel's driver: the older session, if
// any, is ended (the peer reconnected), and its driver releases the channel.
func (s *Session) takeOver(deadline time.Time) error {
	for !s.rec.own.TryLock() {
		s.rec.mu.Lock()
		old := s.rec.sess
		s.rec.mu.Unlock()
		if old != nil {
			old.abort(fmt.Errorf("%w: replaced by a new session", ErrSessionClosed))
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%w: channel %d busy", ErrSessionClosed, s.rec.id)
		}
		time.Sleep(time.Millisecond)
	}
	return nil
}

// sync exchanges each side's latest co-signed state and next version and
// reconciles: the higher co-signed state wins, our proposal left in flight
// by the last session is completed or dropped.
func (s *Session) sync() error {
	ch := s.rec.ch
	mine := ch.Latest().State.Version
	if err := s.send(&Sync{Info: ch.SyncInfo()}); err != nil {
		return err
	}
	m, err := expect[*Sync](s.readHandshake())
	if err != nil {
		return err
	}
	res, err := ch.Reconcile(m.Info)
	if err != nil {
		return err
	}
	if res.Adopted {
		l := ch.Latest()
		if err := s.e.store.Save(s.rec.id, &l, nil); err != nil {
			return fmt.Errorf("%w: %w", ErrHalted, err)
		}
		s.e.m.StateCommitted()
	}
	s.rec.publish()
	ev := s.log.Info().Uint64("ours", mine).Uint64("peers", m.Info.Latest.State.Version).Uint64("agreed", ch.Latest().State.Version)
	if res.Completed != nil {
		ev = ev.Uint64("completed", res.Completed.State.Version)
	}
	if res.Dropped != nil {
		ev = ev.Uint64("dropped", res.Dropped.State.Version)
	}
	ev.Msg("session synced")
	return nil
}

func (s *Session) readLoop() {
	defer s.e.wg.Done()
	defer close(s.in)
	for {
		m, err := s.read()
		if err != nil {
			s.readErr = err
			return
		}
		select {
		case s.in <- m:
		case <-s.quit:
			return
		case <-s.done:
			return
		}
	}
}

func (s *Session) run() {
	defer s.finish()
	for {
		var err error
		select {
		case m, ok := <-s.in:
			if !ok {
				err = s.readErr
				if err == nil {
					err = ErrSessionClosed
				}
				break
			}
			err = s.handle(m)
		case r := <-s.payCh:
			s.enqueue(r)
			for more := true; more; {
				select {
				case r := <-s.payCh:
					s.enqueue(r)
				default:
					more = false
				}
			}
			err = s.proposeNext(nil)
		case r := <-s.closeCh:
			err = s.requestClose(r)
		case <-s.backoffC:
			s.backoffC = nil
			err = s.proposeNext(nil)
		case <-s.quit:
			err = *s.abortErr.Load()
		}
		if err != nil {
			s.err = err
			return
		}
	}
}

// finish answers every request, releases the channel and ends the session.
func (s *Session) finish() {
	_ = s.conn.Close()
	if errors.Is(s.err, errCrash) {
		s.log.Warn().Msg("session crashed (test hook)")
	} else if !errors.Is(s.err, ErrSessionClosed) {
		s.log.Warn().Err(s.err).Msg("session ended")
	}
	s.rec.mu.Lock()
	if s.rec.sess == s {
		s.rec.sess = nil
	}
	s.rec.mu.Unlock()
	unsettled := fmt.Errorf("%w: %w", ErrUnsettled, s.err)
	for _, r := range s.inflight {
		s.failPay(r, unsettled)
	}
	if s.inflightClose != nil {
		s.inflightClose.done <- closeResult{err: unsettled}
	}
	for _, r := range s.queue {
		s.failPay(r, ErrSessionClosed)
	}
	if s.pendingClose != nil {
		s.pendingClose.done <- closeResult{err: ErrSessionClosed}
	}
	s.inflight, s.queue, s.inflightClose, s.pendingClose = nil, nil, nil, nil
	close(s.done)
	s.rec.own.Unlock()
	s.e.m.Sessions(-1)
	s.e.wg.Done()
}

func (s *Session) failPay(r *payReq, err error) {
	s.e.m.PaymentFailed()
	r.done <- err
}

// enqueue admits a payment into the queue if the balance covers it, after
// everything queued or in flight.
func (s *Session) enqueue(r *payReq) {
	if r.state.Load() != reqQueued {
		return
	}
	ch := s.rec.ch
	switch {
	case ch.Status() != StatusOpen || s.pendingClose != nil:
		s.failPay(r, fmt.Errorf("%w: channel %d is %s", ErrChannelClosed, s.rec.id, ch.Status()))
		return
	case r.amount == 0:
		s.failPay(r, ErrZeroAmount)
		return
	}
	own, _ := ch.Balances()
	avail := own - s.inflightSum - s.queuedSum
	if r.amount > avail {
		s.failPay(r, fmt.Errorf("%w: paying %d with %d available (balance %d, %d committed to earlier payments)",
			ErrInsufficientFunds, r.amount, avail, own, s.inflightSum+s.queuedSum))
		return
	}
	s.queue = append(s.queue, r)
	s.queuedSum += r.amount
}

func (s *Session) requestClose(r *closeReq) error {
	ch := s.rec.ch
	if ch.Status() == StatusClosed {
		r.done <- closeResult{state: ch.Latest()}
		return nil
	}
	if s.pendingClose != nil || s.inflightClose != nil {
		r.done <- closeResult{err: fmt.Errorf("%w: close already requested", ErrProposalPending)}
		return nil
	}
	s.pendingClose = r
	return s.proposeNext(nil)
}

// buildNext takes the next proposal off the queue, if one may go now:
// queued payments first (up to MaxParts), then a requested close.
func (s *Session) buildNext() (*Proposal, error) {
	ch := s.rec.ch
	if ch.own != nil || s.backoffC != nil || ch.Status() == StatusClosed {
		return nil, nil
	}
	if len(s.queue) > 0 {
		var take []*payReq
		var parts []uint64
		var sum uint64
		i := 0
		for ; i < len(s.queue) && len(take) < MaxParts; i++ {
			r := s.queue[i]
			s.queuedSum -= r.amount
			if !r.state.CompareAndSwap(reqQueued, reqProposed) {
				continue // cancelled by its caller
			}
			take = append(take, r)
			parts = append(parts, r.amount)
			sum += r.amount
		}
		s.queue = s.queue[i:]
		if len(s.queue) == 0 {
			s.queue = nil
		}
		if len(take) == 0 {
			return s.buildNext()
		}
		p, err := ch.ProposePayments(parts)
		if err != nil {
			for _, r := range take {
				s.failPay(r, err)
			}
			return nil, nil
		}
		s.inflight, s.inflightSum = take, sum
		return &p, nil
	}
	if s.pendingClose != nil {
		p, err := ch.ProposeClose()
		if err != nil {
			s.pendingClose.done <- closeResult{err: err}
			s.pendingClose = nil
			return nil, nil
		}
		s.inflightClose, s.pendingClose = s.pendingClose, nil
		return &p, nil
	}
	return nil, nil
}

// proposeNext builds the next proposal if one may go, and makes it durable
// together with latest (a just co-signed state, or nil) in one synced
// write, then sends it: our signature is on disk before it leaves.
func (s *Session) proposeNext(latest *SignedState) error {
	next, err := s.buildNext()
	if err != nil {
		return err
	}
	if latest == nil && next == nil {
		return nil
	}
	if err := s.e.store.Save(s.rec.id, latest, next); err != nil {
		return fmt.Errorf("%w: %w", ErrHalted, err)
	}
	s.rec.publish()
	if latest != nil {
		s.e.m.StateCommitted()
	}
	if next == nil {
		return nil
	}
	v := next.State.Version
	if err := s.hook(func(h *hooks) func(uint64) error { return h.proposalPersisted }, v); err != nil {
		return err
	}
	var m Message = &Update{Proposal: *next}
	if next.State.Final {
		m = &Close{Proposal: *next}
	}
	if err := s.send(m); err != nil {
		return err
	}
	return s.hook(func(h *hooks) func(uint64) error { return h.proposalSent }, v)
}

func (s *Session) handle(m Message) error {
	switch m := m.(type) {
	case *Update:
		return s.handleProposal(m.Proposal)
	case *Close:
		return s.handleProposal(m.Proposal)
	case *Ack:
		return s.handleAck(m)
	case *Reject:
		return s.handleReject(m)
	}
	return fmt.Errorf("%w: %s after the handshake", ErrProtocol, m.Type())
}

// handleProposal answers the peer's update or close: countersign, make the
// co-signed state durable, and only then acknowledge.
func (s *Session) handleProposal(p Proposal) error {
	ch := s.rec.ch
	v := p.State.Version
	st, err := ch.Accept(p)
	if err != nil {
		s.log.Warn().Err(err).Uint64("version", v).Msg("proposal rejected")
		s.rec.publish()
		return s.send(rejectFor(v, err))
	}
	if err := s.hook(func(h *hooks) func(uint64) error { return h.beforeCosign }, v); err != nil {
		return err
	}
	if err := s.e.store.Save(s.rec.id, &st, nil); err != nil {
		return fmt.Errorf("%w: %w", ErrHalted, err)
	}
	s.rec.publish()
	s.e.m.StateCommitted()
	if err := s.hook(func(h *hooks) func(uint64) error { return h.cosignPersisted }, v); err != nil {
		return err
	}
	// The payments are ours from here on: we hold the co-signed state on
	// disk, whatever becomes of the acknowledgement.
	for _, amt := range p.Parts {
		s.e.m.PaymentReceived()
		if s.e.cfg.OnPayment != nil {
			s.e.cfg.OnPayment(Payment{ChannelID: s.rec.id, Version: v, Amount: amt})
		}
	}
	ownSig := st.SigA
	if ch.Role() == RoleB {
		ownSig = st.SigB
	}
	if err := s.send(&Ack{Version: v, Sig: ownSig}); err != nil {
		return err
	}
	if st.State.Final {
		s.log.Info().Uint64("version", v).Msg("channel closed by peer")
		s.closed(st)
	}
	return nil
}

// closed answers what can no longer happen once a final state is
// co-signed.
func (s *Session) closed(st SignedState) {
	for _, r := range s.queue {
		s.failPay(r, fmt.Errorf("%w: final version %d", ErrChannelClosed, st.State.Version))
	}
	s.queue, s.queuedSum = nil, 0
	if s.pendingClose != nil {
		s.pendingClose.done <- closeResult{state: st}
		s.pendingClose = nil
	}
}

// handleAck completes our proposal: the co-signed state and the next
// proposal (if payments are queued) go to disk in one synced write, then
// the next proposal is sent and the completed payments return.
func (s *Session) handleAck(m *Ack) error {
	st, _, err := s.rec.ch.HandleAccept(m.Version, m.Sig)
	if err != nil {
		return err
	}
	if err := s.hook(func(h *hooks) func(uint64) error { return h.ackReceived }, m.Version); err != nil {
		return err
	}
	done, closeReq := s.inflight, s.inflightClose
	s.inflight, s.inflightSum, s.inflightClose = nil, 0, nil
	err = s.proposeNext(&st)
	if errors.Is(err, ErrHalted) {
		// The co-signed state may not be durable: leave the payments
		// to finish as unsettled.
		s.inflight = append(s.inflight, done...)
		s.inflightClose = closeReq
		return err
	}
	// The co-signed state is durable, even if sending the next proposal
	// failed (err, returned below, then ends the session).
	now := time.Now()
	for _, r := range done {
		s.e.m.PaymentSent(now.Sub(r.start))
		r.done <- nil
	}
	if closeReq != nil {
		closeReq.done <- closeResult{state: st}
		s.log.Info().Uint64("version", st.State.Version).Msg("channel closed")
		s.closed(st)
	}
	return err
}

// handleReject handles the peer's refusal of our proposal. A conflict
// (both proposed the same version) is retried: the party the version's
// parity favours (A on even, B on odd) at once, the other after a short
// random backoff, so that one of them wins the next round and neither
// starves. Any other reason fails the payments it carried; a version
// mismatch also ends the session, so that a reconnect resyncs.
func (s *Session) handleReject(m *Reject) error {
	if _, err := s.rec.ch.HandleReject(m.Version); err != nil {
		return err
	}
	s.rec.publish()
	rerr := &RejectError{Version: m.Version, Code: m.Code, Reason: m.Reason}
	taken, closeReq := s.inflight, s.inflightClose
	s.inflight, s.inflightSum, s.inflightClose = nil, 0, nil
	if m.Code != RejectConflict {
		s.log.Warn().Err(rerr).Msg("proposal rejected by peer")
		for _, r := range taken {
			s.failPay(r, rerr)
		}
		if closeReq != nil {
			closeReq.done <- closeResult{err: rerr}
		}
		if m.Code == RejectStaleVersion || m.Code == RejectVersionSkip {
			// Honest parties cannot disagree on the next version within a
			// session; end it, so that the next one resyncs.
			return rerr
		}
		return s.proposeNext(nil)
	}
	var again []*payReq
	for _, r := range taken {
		if r.state.CompareAndSwap(reqProposed, reqQueued) {
			again = append(again, r)
			s.queuedSum += r.amount
		} else {
			r.done <- fmt.Errorf("%w: %w", ErrSessionClosed, rerr)
		}
	}
	s.queue = append(again, s.queue...)
	if closeReq != nil && s.pendingClose == nil {
		s.pendingClose = closeReq
	}
	if (m.Version%2 == 0) != (s.rec.ch.Role() == RoleA) {
		s.backoffC = time.After(time.Millisecond + rand.N(2*time.Millisecond))
		return nil
	}
	return s.proposeNext(nil)
}
