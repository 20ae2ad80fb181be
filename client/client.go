package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	neturl "net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/keel-rollup/keel/vm"
)

// Errors. A JSON-RPC error from the node (a rejected transaction, bad
// params) is returned as the rpc package's error, whose message is the
// node's; these sentinels classify what the node did not say itself.
var (
	// ErrUnreachable means the request never got an answer: nothing listens
	// at the URL, the connection broke, or the name does not resolve.
	// Temporary: retry once the node is up.
	ErrUnreachable = errors.New("client: cannot reach the Keel node")
	// ErrRejected means the sequencer refused a transaction after accepting
	// it; Receipt.Error says why. Final: the transaction changed nothing and
	// will not be retried by the node.
	ErrRejected = errors.New("client: transaction rejected")
	// ErrNoAccount means a helper needed an account that does not exist,
	// for example the sender of a transfer that never deposited.
	ErrNoAccount = errors.New("client: no such account")
	// ErrNoAnswer means the node accepted the request and did not answer
	// within the client's CallTimeout. Whether a transaction sent so took
	// effect is unknown: ask for its receipt by hash.
	ErrNoAnswer = errors.New("client: the node did not answer in time")
	// ErrNotKeel means the endpoint answers, but not as a Keel node: an
	// Ethereum node, another JSON-RPC service, or a web server.
	ErrNotKeel = errors.New("client: the endpoint is not a Keel node")
	// ErrBadURL means the node URL is not one Dial can use.
	ErrBadURL = errors.New("client: bad node URL")
)

// DefaultCallTimeout bounds each call whose context has no deadline of
// its own, so that a node that accepts a request and never answers cannot
// hang its caller. Subscriptions are not calls: they last as long as their
// context.
const DefaultCallTimeout = 30 * time.Second

// PollInterval is how often WaitForStatus asks for a receipt.
const PollInterval = 200 * time.Millisecond

// Client is a Keel JSON-RPC client. It is safe for concurrent use.
type Client struct {
	rpc *rpc.Client
	url string
	// CallTimeout bounds each call whose context has no deadline
	// (DefaultCallTimeout; 0 leaves calls unbounded). Set it before use.
	CallTimeout time.Duration

	mu     sync.Mutex
	params *chainParams // static chain parameters, cached on first use
}

// chainParams are the parts of ChainInfo that never change for a chain and
// that signing needs.
type chainParams struct {
	chainID uint64
	depth   int
}

// Dial connects to a node: http(s):// or ws(s)://. Over HTTP nothing is
// sent until the first call, so an unreachable node shows up there, as
// ErrUnreachable; subscriptions need ws(s)://.
func Dial(ctx context.Context, url string) (*Client, error) {
	if err := checkNodeURL(url); err != nil {
		return nil, err
	}
	c, err := rpc.DialContext(ctx, url)
	var netErr net.Error
	if errors.As(err, &netErr) && ctxErr(err) == nil {
		return nil, fmt.Errorf("%w at %s: %v", ErrUnreachable, url, err)
	}
	if err != nil {
		return nil, fmt.Errorf("client: dial %s: %w", url, err)
	}
	cl := NewClient(c)
	cl.url = url
	return cl, nil
}

// NewClient wraps an rpc.Client, for example rpc.DialInProc's.
func NewClient(c *rpc.Client) *Client {
	return &Client{rpc: c, CallTimeout: DefaultCallTimeout}
}

// checkNodeURL names what is wrong with a node URL before any dialling:
// rpc.DialContext takes a URL without a scheme for an IPC socket path,
// which would fail later with a confusing "no such file".
func checkNodeURL(raw string) error {
	if !strings.Contains(raw, "://") {
		return fmt.Errorf("%w %q: no scheme; write http://%s (or ws:// for subscriptions)", ErrBadURL, raw, raw)
	}
	u, err := neturl.Parse(raw)
	if err != nil {
		return fmt.Errorf("%w %q: %v", ErrBadURL, raw, err)
	}
	switch u.Scheme {
	case "http", "https", "ws", "wss":
	default:
		return fmt.Errorf("%w %q: scheme %q; use http://, https://, ws:// or wss://", ErrBadURL, raw, u.Scheme)
	}
	if u.Host == "" {
		return fmt.Errorf("%w %q: no host", ErrBadURL, raw)
	}
	return nil
}

// Close closes the connection; pending calls fail.
func (c *Client) Close() { c.rpc.Close() }

// RPC returns the underlying rpc.Client, for methods this package does not
// wrap.
func (c *Client) RPC() *rpc.Client { return c.rpc }

// call is CallContext with transport failures marked ErrUnreachable. A
// JSON-RPC error from the node comes back unchanged, so its message and
// code reach the caller.
func (c *Client) call(ctx context.Context, result any, method string, args ...any) error {
	callCtx := ctx
	if _, ok := ctx.Deadline(); !ok && c.CallTimeout > 0 {
		var cancel context.CancelFunc
		callCtx, cancel = context.WithTimeout(ctx, c.CallTimeout)
		defer cancel()
	}
	err := c.rpc.CallContext(callCtx, result, method, args...)
	if err != nil && ctx.Err() == nil && callCtx.Err() != nil {
		return fmt.Errorf("%w: %s at %s: no answer within %s", ErrNoAnswer, method, c.where(), c.CallTimeout)
	}
	return c.wrapCall(method, err)
}

func (c *Client) where() string {
	if c.url != "" {
		return c.url
	}
	return "the endpoint"
}

// methodNotFound is JSON-RPC's code for an unknown method.
const methodNotFound = -32601

// wrapCall is wrap, knowing the method: an endpoint that does not know a
// keel_ method is not a Keel node, and one that answers HTTP errors or
// non-JSON is not a JSON-RPC endpoint at all.
func (c *Client) wrapCall(method string, err error) error {
	if err == nil {
		return nil
	}
	var rpcErr rpc.Error
	if errors.As(err, &rpcErr) && rpcErr.ErrorCode() == methodNotFound && strings.HasPrefix(method, "keel_") {
		return fmt.Errorf("%w: %s answers JSON-RPC but does not know %s (is it an Ethereum node? point --rpc at the Keel node)", ErrNotKeel, c.where(), method)
	}
	var httpErr rpc.HTTPError
	if errors.As(err, &httpErr) {
		return fmt.Errorf("%w: %s answered HTTP %d to %s, not JSON-RPC", ErrNotKeel, c.where(), httpErr.StatusCode, method)
	}
	var syntaxErr *json.SyntaxError
	if errors.As(err, &syntaxErr) {
		return fmt.Errorf("%w: %s answered %s with something that is not JSON-RPC: %v", ErrNotKeel, c.where(), method, err)
	}
	return c.wrap(err)
}

func (c *Client) wrap(err error) error {
	if err == nil {
		return nil
	}
	var rpcErr rpc.Error
	if errors.As(err, &rpcErr) {
		return err
	}
	var netErr net.Error
	if errors.As(err, &netErr) && ctxErr(err) == nil {
		if c.url != "" {
			return fmt.Errorf("%w at %s: %v", ErrUnreachable, c.url, err)
		}
		return fmt.Errorf("%w: %v", ErrUnreachable, err)
	}
	return err
}

// ctxErr reports a context error inside err: a timeout the caller set is
// not the node's fault.
func ctxErr(err error) error {
	switch {
	case errors.Is(err, context.Canceled):
		return context.Canceled
	case errors.Is(err, context.DeadlineExceeded):
		return context.DeadlineExceeded
	}
	return nil
}

// SendTransaction submits a transaction: a signed transfer, withdrawal or
// channel open, or a channel close, dispute, challenge or finalize. The
// node answers once the transaction is durable; it returns the
// transaction's hash.
func (c *Client) SendTransaction(ctx context.Context, tx *vm.Tx) (common.Hash, error) {
	var h common.Hash
	err := c.call(ctx, &h, "keel_sendTransaction", tx)
	return h, err
}

// SendTransactions submits up to MaxSendBatch transactions in one
// keel_sendTransactions call and returns each one's answer, in order: its
// hash once durable, or a *SendError saying why it was refused. The error
// is the call's own (transport, or a call over the limit), in which case
// no answer is known. Sender groups concurrent single sends this way.
func (c *Client) SendTransactions(ctx context.Context, txs []*vm.Tx) ([]SendResult, error) {
	var results []SendResult
	if err := c.call(ctx, &results, "keel_sendTransactions", txs); err != nil {
		return nil, err
	}
	if len(results) != len(txs) {
		return nil, fmt.Errorf("%w: %s answered %d results for %d transactions", ErrNotKeel, c.where(), len(results), len(txs))
	}
	return results, nil
}

// Account returns the soft-confirmed account at index. An unused index is
// an Account of Kind "empty", not an error.
func (c *Client) Account(ctx context.Context, index uint32) (*Account, error) {
	var a Account
	if err := c.call(ctx, &a, "keel_getAccount", index); err != nil {
		return nil, err
	}
	return &a, nil
}

// AccountByKey returns the account owned by pub, or nil when the key has
// no account yet (it has never deposited).
func (c *Client) AccountByKey(ctx context.Context, pub vm.PublicKey) (*Account, error) {
	var a *Account
	err := c.call(ctx, &a, "keel_getAccountByKey", pub)
	return a, err
}

// Receipt returns a transaction's receipt, or nil when the node does not
// know the hash.
func (c *Client) Receipt(ctx context.Context, hash common.Hash) (*Receipt, error) {
	var r *Receipt
	err := c.call(ctx, &r, "keel_getTransactionReceipt", hash)
	return r, err
}

// AccountTransactions returns a page of the sealed transactions that
// touched account index, newest first: limit of them (1..100), after
// cursor ("" for the newest; else the Next of the previous page).
func (c *Client) AccountTransactions(ctx context.Context, index uint32, limit int, cursor string) (*AccountTransactions, error) {
	var r *AccountTransactions
	err := c.call(ctx, &r, "keel_getAccountTransactions", index, limit, cursor)
	return r, err
}

// Batch returns sealed batch number, or nil when it is not sealed yet.
func (c *Client) Batch(ctx context.Context, number uint64) (*Batch, error) {
	var b *Batch
	err := c.call(ctx, &b, "keel_getBatch", number)
	return b, err
}

// Proof returns a Merkle proof of the account at index in the state after
// batch; a nil batch means the last sealed batch.
func (c *Client) Proof(ctx context.Context, index uint32, batch *uint64) (*Proof, error) {
	var p Proof
	if err := c.call(ctx, &p, "keel_getProof", index, batch); err != nil {
		return nil, err
	}
	return &p, nil
}

// ChainInfo returns the chain's ids, contracts and progress. It also
// refreshes the cached chain id the signing helpers use.
func (c *Client) ChainInfo(ctx context.Context) (*ChainInfo, error) {
	var info ChainInfo
	if err := c.call(ctx, &info, "keel_chainInfo"); err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.params = &chainParams{chainID: uint64(info.ChainID), depth: info.Depth}
	c.mu.Unlock()
	return &info, nil
}

// ChainID returns the L2 chain id transactions must sign, asking the node
// once and caching the answer.
func (c *Client) ChainID(ctx context.Context) (uint64, error) {
	p, err := c.chainParams(ctx)
	if err != nil {
		return 0, err
	}
	return p.chainID, nil
}

func (c *Client) chainParams(ctx context.Context) (chainParams, error) {
	c.mu.Lock()
	p := c.params
	c.mu.Unlock()
	if p != nil {
		return *p, nil
	}
	if _, err := c.ChainInfo(ctx); err != nil {
		return chainParams{}, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return *c.params, nil
}

// Withdrawals lists the withdrawals to an L1 address and whether each can
// be claimed yet.
func (c *Client) Withdrawals(ctx context.Context, to common.Address) ([]Withdrawal, error) {
	var ws []Withdrawal
	err := c.call(ctx, &ws, "keel_getWithdrawals", to)
	return ws, err
}

// SubscribeBatches delivers every batch each time its status changes
// (sealed, proven, submitted, finalized). It needs a ws:// connection. The
// subscription ends when Unsubscribe is called or its Err channel yields.
func (c *Client) SubscribeBatches(ctx context.Context, ch chan<- Batch) (*rpc.ClientSubscription, error) {
	sub, err := c.rpc.Subscribe(ctx, "keel", ch, "newBatches")
	return sub, c.wrap(err)
}

// SubscribeTxStatus delivers a transaction's receipt whenever its status
// changes; the first event is its status now. It needs a ws:// connection.
func (c *Client) SubscribeTxStatus(ctx context.Context, hash common.Hash, ch chan<- Receipt) (*rpc.ClientSubscription, error) {
	sub, err := c.rpc.Subscribe(ctx, "keel", ch, "txStatus", hash)
	return sub, c.wrap(err)
}

// WaitForStatus polls the receipt of hash every PollInterval (so it works
// over HTTP) until the transaction reaches want or a later status, and
// returns that receipt. A rejected transaction returns its receipt and an
// error wrapping ErrRejected that gives the node's reason, unless want is
// StatusRejected. When ctx ends first, the error says the last status seen.
func (c *Client) WaitForStatus(ctx context.Context, hash common.Hash, want TxStatus) (*Receipt, error) {
	if want.Rank() < 0 {
		return nil, fmt.Errorf("client: unknown transaction status %q", want)
	}
	tick := time.NewTicker(PollInterval)
	defer tick.Stop()
	var last *Receipt
	for {
		r, err := c.Receipt(ctx, hash)
		if err != nil && ctxErr(err) == nil {
			return last, fmt.Errorf("client: receipt of %s: %w", hash, err)
		}
		if r != nil {
			last = r
			if r.Status == StatusRejected && want != StatusRejected {
				return r, fmt.Errorf("%w: %s: %s", ErrRejected, hash, r.Error)
			}
			if r.Status.Rank() >= want.Rank() {
				return r, nil
			}
		}
		select {
		case <-ctx.Done():
			seen := "the node does not know it"
			if last != nil {
				seen = "last status " + string(last.Status)
			}
			return last, fmt.Errorf("client: waiting for %s to be %s (%s): %w", hash, want, seen, ctx.Err())
		case <-tick.C:
		}
	}
}

// Transfer signs and sends a transfer of amount gwei plus fee gwei from
// account from to account to. It reads the chain id (cached) and the
// sender's nonce from the node, and checks the transaction the way the node
// will (amounts must be exactly encodable; see vm.RoundAmount) before it
// sends anything.
func (c *Client) Transfer(ctx context.Context, key *vm.PrivateKey, from, to uint32, amount, fee uint64) (common.Hash, error) {
	return c.signAndSend(ctx, key, vm.Tx{Type: vm.TxTransfer, From: from, To: to, Amount: amount, Fee: fee})
}

// Withdraw signs and sends a withdrawal of amount gwei (plus fee) from
// account from to the L1 address l1To. Once its batch is finalized on L1,
// l1To claims the ETH from the Rollup contract (see Claim).
func (c *Client) Withdraw(ctx context.Context, key *vm.PrivateKey, from uint32, l1To common.Address, amount, fee uint64) (common.Hash, error) {
	return c.signAndSend(ctx, key, vm.Tx{Type: vm.TxWithdraw, From: from, L1To: l1To, Amount: amount, Fee: fee})
}

func (c *Client) signAndSend(ctx context.Context, key *vm.PrivateKey, tx vm.Tx) (common.Hash, error) {
	if err := c.prepare(ctx, key, &tx); err != nil {
		return common.Hash{}, err
	}
	return c.SendTransaction(ctx, &tx)
}

// prepare fills in the chain id and the sender's nonce, checks tx the way
// the node will, and signs it with key, which must own account tx.From.
func (c *Client) prepare(ctx context.Context, key *vm.PrivateKey, tx *vm.Tx) error {
	p, err := c.chainParams(ctx)
	if err != nil {
		return err
	}
	acc, err := c.Account(ctx, tx.From)
	if err != nil {
		return err
	}
	if acc.Kind != "account" {
		return fmt.Errorf("%w: index %d is %s", ErrNoAccount, tx.From, acc.Kind)
	}
	if acc.PubKey == nil || *acc.PubKey != key.Public() {
		return fmt.Errorf("client: account %d belongs to another key", tx.From)
	}
	tx.ChainID, tx.Nonce = p.chainID, acc.Nonce
	if err := tx.CheckStatic(p.chainID, p.depth); err != nil {
		return err
	}
	return tx.Sign(key)
}

// BalanceGwei parses Balance.
func (a *Account) BalanceGwei() (uint64, error) {
	v, err := strconv.ParseUint(a.Balance, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("client: account %d balance %q: %w", a.Index, a.Balance, err)
	}
	return v, nil
}

// MinFeeGwei parses MinFee.
func (i *ChainInfo) MinFeeGwei() (uint64, error) {
	v, err := strconv.ParseUint(i.MinFee, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("client: min fee %q: %w", i.MinFee, err)
	}
	return v, nil
}
