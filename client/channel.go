package client

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/keel-rollup/keel/vm"
)

// ErrNoChannel means the node knows no channel with the id: it was never
// opened, the batch that opened it is not sealed yet (retry after the
// batch timeout), or it is settled already.
var ErrNoChannel = errors.New("client: no such channel")

// GetChannel returns the channel with the given id (vm.ChannelIDOf(opener,
// open nonce)) as the last sealed batch left it, or nil when the node has
// none (see ErrNoChannel for why that may be).
func (c *Client) GetChannel(ctx context.Context, channelID uint64) (*Channel, error) {
	var ch *Channel
	err := c.call(ctx, &ch, "keel_getChannel", Decimal(channelID))
	return ch, err
}

// OpenChannelParams says what a channel open locks: Amount from account
// From (party A, who signs and pays Fee) and AmountB from account To
// (party B, who co-signs only when AmountB > 0), with a challenge period
// of Period seconds.
type OpenChannelParams struct {
	From, To        uint32
	Amount, AmountB uint64
	Fee             uint64
	Period          uint32
}

// PrepareOpenChannel builds the open and signs it as party A with keyA,
// which must own account p.From, at its soft-confirmed nonce. When B funds
// the channel, B co-signs the same transaction (tx.SignB) before it is
// sent with SendTransaction; OpenChannel does all of it when one process
// holds both keys. The channel's id is vm.ChannelIDOf(tx.From, tx.Nonce);
// its leaf is the sequencer's choice, told by the receipt once sequenced.
func (c *Client) PrepareOpenChannel(ctx context.Context, keyA *vm.PrivateKey, p OpenChannelParams) (*vm.Tx, error) {
	peer, err := c.Account(ctx, p.To)
	if err != nil {
		return nil, err
	}
	if peer.Kind != "account" {
		return nil, fmt.Errorf("%w: the counterparty, index %d, is %s", ErrNoAccount, p.To, peer.Kind)
	}
	tx := &vm.Tx{Type: vm.TxChanOpen, From: p.From, To: p.To, Amount: p.Amount, AmountB: p.AmountB, Fee: p.Fee, Period: p.Period}
	if err := c.prepare(ctx, keyA, tx); err != nil {
		return nil, err
	}
	return tx, nil
}

// OpenChannel signs and sends a channel open and returns its hash and the
// channel's id. keyB, B's key, is needed only when B funds (AmountB > 0),
// and is not used otherwise; it must own account p.To.
func (c *Client) OpenChannel(ctx context.Context, keyA, keyB *vm.PrivateKey, p OpenChannelParams) (common.Hash, uint64, error) {
	if p.AmountB > 0 && keyB == nil {
		return common.Hash{}, 0, fmt.Errorf("client: B funds the channel with %d gwei, so B must co-sign the open: pass B's key, or have B sign PrepareOpenChannel's transaction (SignB)", p.AmountB)
	}
	tx, err := c.PrepareOpenChannel(ctx, keyA, p)
	if err != nil {
		return common.Hash{}, 0, err
	}
	if p.AmountB > 0 {
		peer, err := c.Account(ctx, p.To)
		if err != nil {
			return common.Hash{}, 0, err
		}
		if peer.PubKey == nil || *peer.PubKey != keyB.Public() {
			return common.Hash{}, 0, fmt.Errorf("client: account %d, the counterparty, belongs to another key than B's", p.To)
		}
		if err := tx.SignB(keyB); err != nil {
			return common.Hash{}, 0, err
		}
	}
	h, err := c.SendTransaction(ctx, tx)
	return h, vm.ChannelIDOf(tx.From, tx.Nonce), err
}

// channelStateTx builds a close, dispute or challenge of the channel at
// leaf, checked the way the node will.
func (c *Client) channelStateTx(ctx context.Context, typ vm.TxType, leaf uint32, state vm.ChannelState, sigA, sigB vm.Signature) (*vm.Tx, error) {
	switch typ {
	case vm.TxChanClose, vm.TxChanDispute, vm.TxChanChallenge:
	default:
		return nil, fmt.Errorf("client: %s does not carry a channel state (want channelClose, channelDispute or channelChallenge)", typ)
	}
	p, err := c.chainParams(ctx)
	if err != nil {
		return nil, err
	}
	if state.ChainID != p.chainID {
		return nil, fmt.Errorf("client: the state is for chain %d, the node is chain %d", state.ChainID, p.chainID)
	}
	tx := &vm.Tx{Type: typ, Channel: leaf}
	tx.SetChannelState(state)
	tx.Sig, tx.SigB = sigA, sigB
	if err := tx.CheckStatic(p.chainID, p.depth); err != nil {
		return nil, err
	}
	return tx, nil
}

// SubmitChannelState sends a cooperative close (typ vm.TxChanClose, a
// Final state), a unilateral close (vm.TxChanDispute: any co-signed state,
// or the opening, version 0, signed by the closing party alone: sigA when
// A closes, sigB when B does, the other zero) or a challenge
// (vm.TxChanChallenge: a co-signed state above the closing one) of the
// channel at leaf. sigA and sigB are the parties' signatures of state.
// These transactions have no sender and no nonce: anyone may send them,
// and the node checks the signatures when it executes them, so a bad one
// shows up as a rejected receipt (WaitForStatus returns ErrRejected).
func (c *Client) SubmitChannelState(ctx context.Context, typ vm.TxType, leaf uint32, state vm.ChannelState, sigA, sigB vm.Signature) (common.Hash, error) {
	tx, err := c.channelStateTx(ctx, typ, leaf, state, sigA, sigB)
	if err != nil {
		return common.Hash{}, err
	}
	return c.SendTransaction(ctx, tx)
}

// FinalizeChannel sends the finalize of the closing channel at leaf,
// which pays out its recorded state once the challenge period is over.
// Anyone may send it; sent too early it is rejected, and the same
// transaction may be sent again later.
func (c *Client) FinalizeChannel(ctx context.Context, leaf uint32) (common.Hash, error) {
	p, err := c.chainParams(ctx)
	if err != nil {
		return common.Hash{}, err
	}
	tx := &vm.Tx{Type: vm.TxChanFinalize, ChainID: p.chainID, Channel: leaf}
	if err := tx.CheckStatic(p.chainID, p.depth); err != nil {
		return common.Hash{}, err
	}
	return c.SendTransaction(ctx, tx)
}

// ChannelChain is the chain a statechan.Watcher watches, on top of a
// node's API: it implements statechan.Chain (this package does not import
// statechan, which its import rule forbids; the interface is met by its
// method set, and a test asserts it).
type ChannelChain struct {
	c *Client
}

// NewChannelChain returns the Chain of the node c talks to.
func NewChannelChain(c *Client) *ChannelChain { return &ChannelChain{c: c} }

// ClosingState reports whether the channel is closing (closed
// unilaterally, in or past its challenge period), with the state the
// chain recorded. The chain keeps the state's version and split, not its
// signatures, so sigA and sigB are always zero; the watcher compares
// versions only. A channel the node does not know (not sealed yet, or
// settled) is not closing.
func (ch *ChannelChain) ClosingState(ctx context.Context, channelID uint64) (state vm.ChannelState, sigA, sigB vm.Signature, closing bool, err error) {
	info, err := ch.c.GetChannel(ctx, channelID)
	if err != nil || info == nil || info.Status != ChannelClosing {
		return vm.ChannelState{}, vm.Signature{}, vm.Signature{}, false, err
	}
	chainID, err := ch.c.ChainID(ctx)
	if err != nil {
		return vm.ChannelState{}, vm.Signature{}, vm.Signature{}, false, err
	}
	return info.State(chainID), vm.Signature{}, vm.Signature{}, true, nil
}

// ChallengeWait bounds how long ChannelChain.Challenge waits for the node
// to sequence or refuse a challenge before it returns with the challenge
// still pending: a watcher must not hang on a sequencer that sits on it.
var ChallengeWait = 5 * time.Second

// Challenge submits state, co-signed, as a challenge of its closing
// channel, and returns once it is sequenced or still pending after
// ChallengeWait, or with the node's reason (an error wrapping ErrRejected)
// if it is refused. A challenge the node already has pending is followed
// rather than sent again, so that a watcher polling faster than batches
// are sealed does not duplicate it.
func (ch *ChannelChain) Challenge(ctx context.Context, state vm.ChannelState, sigA, sigB vm.Signature) error {
	info, err := ch.c.GetChannel(ctx, state.ChannelID)
	if err != nil {
		return err
	}
	if info == nil {
		return fmt.Errorf("%w: %d", ErrNoChannel, state.ChannelID)
	}
	tx, err := ch.c.channelStateTx(ctx, vm.TxChanChallenge, info.Leaf, state, sigA, sigB)
	if err != nil {
		return err
	}
	h := tx.Hash()
	r, err := ch.c.Receipt(ctx, h)
	if err != nil {
		return err
	}
	if r == nil || r.Status == StatusRejected {
		if h, err = ch.c.SendTransaction(ctx, tx); err != nil {
			return err
		}
	}
	wctx, cancel := context.WithTimeout(ctx, ChallengeWait)
	defer cancel()
	_, err = ch.c.WaitForStatus(wctx, h, StatusSequenced)
	if err != nil && ctx.Err() == nil && errors.Is(err, context.DeadlineExceeded) {
		return nil // pending: the watcher sees it take effect, or falls back
	}
	return err
}
