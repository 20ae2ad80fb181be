package node

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/keel-rollup/keel/client"
	"github.com/keel-rollup/keel/l1view"
	"github.com/keel-rollup/keel/sequencer"
	"github.com/keel-rollup/keel/vm"
)

// API is the keel_ JSON-RPC namespace. Its methods are what go-ethereum's
// rpc package serves: SendTransaction is keel_sendTransaction, and so on;
// NewBatches and TxStatus are subscriptions (keel_subscribe).
type API struct{ n *Node }

// rpcError is a JSON-RPC error with a code, so that clients can tell a
// rejected transaction from a server fault.
type rpcError struct {
	code int
	msg  string
}

func (e *rpcError) Error() string  { return e.msg }
func (e *rpcError) ErrorCode() int { return e.code }

// JSON-RPC error codes beside the standard ones (-32602 invalid params is
// what the rpc package answers for params that do not decode).
const (
	codeInvalidParams = -32602
	codeRejected      = -32003 // the transaction breaks a rule: see the message
	codeUnavailable   = -32005 // temporary: retry later (pool full, halted)
	codeInternal      = -32603
)

// wrapErr turns an error into the JSON-RPC error a client sees: the
// message is the error's text, which says what was wrong.
func wrapErr(err error) error {
	if err == nil {
		return nil
	}
	switch {
	case errors.Is(err, sequencer.ErrPoolFull), errors.Is(err, sequencer.ErrAccountFull), errors.Is(err, sequencer.ErrHalted),
		errors.Is(err, sequencer.ErrChannelQueueFull):
		return &rpcError{codeUnavailable, err.Error()}
	case vm.IsRejection(err), errors.Is(err, vm.ErrMalformed), isMempoolVerdict(err):
		return &rpcError{codeRejected, err.Error()}
	}
	return &rpcError{codeInternal, err.Error()}
}

func isMempoolVerdict(err error) bool {
	for _, e := range []error{sequencer.ErrTxType, sequencer.ErrAlreadyKnown, sequencer.ErrFeeTooLow, sequencer.ErrNonceTooLow,
		sequencer.ErrNonceTooHigh, sequencer.ErrReplaceUnderpriced} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// SendTransaction admits a transaction a user sends (a transfer, a
// withdrawal, or a channel open, close, dispute, challenge or finalize)
// and returns its hash once it is durable.
func (a *API) SendTransaction(ctx context.Context, tx *vm.Tx) (common.Hash, error) {
	if err := a.n.limiter.allow(ctx); err != nil {
		return common.Hash{}, err
	}
	if tx == nil {
		return common.Hash{}, &rpcError{codeInvalidParams, "missing transaction"}
	}
	h, err := a.n.seq.SendTransaction(tx)
	return h, wrapErr(err)
}

// SendTransactions admits up to sequencer.MaxSendBatch transactions in one
// call and answers each with its hash, once it is durable, or with the
// error keel_sendTransaction would have given it alone; one bad
// transaction refuses nothing else. The node checks the call's signatures
// together and journals them with one synced write, so this is the way to
// send many: client.Sender groups concurrent sends into such calls.
//
// A call costs the connection's rate limit one token per sendTokenTxs
// transactions it carries.
func (a *API) SendTransactions(ctx context.Context, raw []json.RawMessage) ([]client.SendResult, error) {
	switch {
	case len(raw) == 0:
		return nil, &rpcError{codeInvalidParams, "no transactions: send a list of 1 to " + strconv.Itoa(sequencer.MaxSendBatch)}
	case len(raw) > sequencer.MaxSendBatch:
		return nil, &rpcError{codeInvalidParams, fmt.Sprintf("%d transactions in one call, the limit is %d: split the call", len(raw), sequencer.MaxSendBatch)}
	}
	if err := a.n.limiter.allowN(ctx, (len(raw)+sendTokenTxs-1)/sendTokenTxs); err != nil {
		return nil, err
	}
	out := make([]client.SendResult, len(raw))
	txs := make([]*vm.Tx, 0, len(raw))
	at := make([]int, 0, len(raw))
	for i, r := range raw {
		var tx *vm.Tx
		if err := json.Unmarshal(r, &tx); err != nil {
			out[i].Error = &client.SendError{Code: codeInvalidParams, Message: fmt.Sprintf("transaction %d does not decode: %v", i, err)}
			continue
		}
		if tx == nil {
			out[i].Error = &client.SendError{Code: codeInvalidParams, Message: fmt.Sprintf("transaction %d is missing", i)}
			continue
		}
		txs, at = append(txs, tx), append(at, i)
	}
	hashes, errs := a.n.seq.SendTransactions(txs)
	for k, i := range at {
		if errs[k] != nil {
			out[i].Error = sendError(errs[k])
			continue
		}
		h := hashes[k]
		out[i].Hash = &h
	}
	return out, nil
}

// sendTokenTxs is how many transactions of a keel_sendTransactions call
// cost one rate-limit token. A batched transaction costs the node about a
// quarter of a single call (one RPC round, one fsync and a share of one
// batch signature check instead of its own), so a connection may send
// that many more of them.
const sendTokenTxs = 4

// sendError is wrapErr's answer as one entry of keel_sendTransactions.
func sendError(err error) *client.SendError {
	var e *rpcError
	if errors.As(wrapErr(err), &e) {
		return &client.SendError{Code: e.code, Message: e.msg}
	}
	return &client.SendError{Code: codeInternal, Message: err.Error()}
}

// GetAccount returns the soft-confirmed account at index.
func (a *API) GetAccount(ctx context.Context, index uint32) (*client.Account, error) {
	if err := a.n.limiter.allow(ctx); err != nil {
		return nil, err
	}
	return a.account(index)
}

func (a *API) account(index uint32) (*client.Account, error) {
	acc, batch, err := a.n.seq.Account(index)
	if err != nil {
		return nil, wrapErr(err)
	}
	out := accountJSON(index, acc)
	out.Batch = hexutil.Uint64(batch)
	return &out, nil
}

// GetAccountByKey returns the account of a public key, or null.
func (a *API) GetAccountByKey(ctx context.Context, pub vm.PublicKey) (*client.Account, error) {
	if err := a.n.limiter.allow(ctx); err != nil {
		return nil, err
	}
	idx, ok, err := a.n.seq.IndexOf(pub)
	if err != nil || !ok {
		return nil, wrapErr(err)
	}
	return a.account(idx)
}

func accountJSON(index uint32, acc vm.Account) client.Account {
	out := client.Account{Index: index, Kind: "empty", Balance: strconv.FormatUint(acc.Balance, 10), Nonce: acc.Nonce}
	switch acc.Kind {
	case vm.KindAccount:
		out.Kind = "account"
	case vm.KindChannel:
		out.Kind = "channel"
	}
	if acc.Kind != vm.KindEmpty {
		pub := acc.PubKey
		out.PubKey = &pub
	}
	return out
}

// GetTransactionReceipt returns a transaction's status, or null for a
// hash the node never acknowledged.
func (a *API) GetTransactionReceipt(ctx context.Context, h common.Hash) (*client.Receipt, error) {
	if err := a.n.limiter.allow(ctx); err != nil {
		return nil, err
	}
	r, ok, err := a.n.seq.Receipt(h)
	if err != nil || !ok {
		return nil, wrapErr(err)
	}
	out := receiptJSON(r)
	return &out, nil
}

func receiptJSON(r sequencer.Receipt) client.Receipt {
	out := client.Receipt{Hash: r.Hash, Status: client.TxStatus(r.Status.String()), Error: r.Err}
	if r.Type != 0 {
		out.Type = r.Type.String()
	}
	if r.Status != sequencer.TxPending && r.Status != sequencer.TxRejected {
		b, p := hexutil.Uint64(r.Batch), hexutil.Uint64(r.Position)
		out.Batch, out.Position = &b, &p
	}
	if r.L1Tx != (common.Hash{}) {
		h := r.L1Tx
		out.L1TxHash = &h
	}
	if r.HasChannel {
		leaf := r.Channel
		out.Channel = &leaf
	}
	if r.Time != 0 {
		t := hexutil.Uint64(r.Time)
		out.Time = &t
	}
	if r.Sponsored {
		sp := r.Sponsor
		out.FeePaidBy = &sp
	}
	return out
}

// GetAccountTransactions pages through the sealed transactions that
// touched account index, newest first: limit of them (default 20, at most
// sequencer.MaxHistoryPage), starting after cursor, which is the Next of
// the previous page ("batch:position").
func (a *API) GetAccountTransactions(ctx context.Context, index uint32, limit *int, cursor *string) (*client.AccountTransactions, error) {
	if err := a.n.limiter.allow(ctx); err != nil {
		return nil, err
	}
	n := 20
	if limit != nil {
		n = *limit
	}
	if n < 1 || n > sequencer.MaxHistoryPage {
		return nil, &rpcError{codeInvalidParams, fmt.Sprintf("limit %d: allowed 1..%d", n, sequencer.MaxHistoryPage)}
	}
	var before *sequencer.HistoryCursor
	if cursor != nil && *cursor != "" {
		c, err := parseHistoryCursor(*cursor)
		if err != nil {
			return nil, &rpcError{codeInvalidParams, err.Error()}
		}
		before = &c
	}
	rs, next, err := a.n.seq.AccountTransactions(index, before, n)
	if err != nil {
		return nil, wrapErr(err)
	}
	out := &client.AccountTransactions{Transactions: make([]client.Receipt, len(rs))}
	for i, r := range rs {
		out.Transactions[i] = receiptJSON(r)
	}
	if next != nil {
		out.Next = fmt.Sprintf("%d:%d", next.Batch, next.Position)
	}
	return out, nil
}

// parseHistoryCursor reads "batch:position".
func parseHistoryCursor(s string) (sequencer.HistoryCursor, error) {
	b, p, ok := strings.Cut(s, ":")
	batch, err1 := strconv.ParseUint(b, 10, 64)
	pos, err2 := strconv.ParseUint(p, 10, 31)
	if !ok || err1 != nil || err2 != nil {
		return sequencer.HistoryCursor{}, fmt.Errorf("cursor %q is not a page cursor (batch:position) from an earlier answer", s)
	}
	return sequencer.HistoryCursor{Batch: batch, Position: int(pos)}, nil
}

// GetChannel returns the payment channel with the given id (a decimal
// string, or a number) as the last sealed batch left it, or null when
// there is none: never opened, opened in the batch not sealed yet, or
// settled.
func (a *API) GetChannel(ctx context.Context, id client.Decimal) (*client.Channel, error) {
	if err := a.n.limiter.allow(ctx); err != nil {
		return nil, err
	}
	leaf, ok, err := a.n.seq.ChannelLeaf(uint64(id))
	if err != nil || !ok {
		return nil, wrapErr(err)
	}
	ch, found, batch, err := a.n.seq.Channel(leaf)
	if err != nil || !found || ch.ID() != uint64(id) {
		return nil, wrapErr(err)
	}
	out := channelJSON(leaf, ch, batch)
	return &out, nil
}

func channelJSON(leaf uint32, ch vm.ChannelLeaf, batch uint64) client.Channel {
	return client.Channel{ID: client.Decimal(ch.ID()), Leaf: leaf, Status: ch.Status.String(), A: ch.A, B: ch.B,
		OpenNonce: ch.OpenNonce, Period: ch.Period, Deadline: client.Decimal(ch.Deadline), Version: client.Decimal(ch.Version),
		SplitA: client.Decimal(ch.SplitA), SplitB: client.Decimal(ch.Total - ch.SplitA), Total: client.Decimal(ch.Total),
		Batch: hexutil.Uint64(batch)}
}

// GetBatch returns sealed batch number, or null.
func (a *API) GetBatch(ctx context.Context, number uint64) (*client.Batch, error) {
	if err := a.n.limiter.allow(ctx); err != nil {
		return nil, err
	}
	rec, ok, err := a.n.seq.Batch(number)
	if err != nil || !ok {
		return nil, wrapErr(err)
	}
	b := batchJSON(rec)
	return &b, nil
}

func elemHash(e vm.Element) common.Hash { return common.Hash(e.Bytes()) }

func batchJSON(r *sequencer.BatchRecord) client.Batch {
	out := client.Batch{Number: hexutil.Uint64(r.Number), Status: client.BatchStatus(r.Status.String()),
		PrevRoot: elemHash(r.Before.Root), Root: elemHash(r.After.Root), Commitment: elemHash(r.Commitment),
		PriorityCount: hexutil.Uint64(r.After.PriorityCount), Transactions: r.Hashes(), PublicData: r.PublicData,
		FeeTotal: strconv.FormatUint(r.FeeTotal, 10), Proof: r.Proof, Time: hexutil.Uint64(r.After.Timestamp)}
	if r.L1Tx != (common.Hash{}) {
		h := r.L1Tx
		out.L1TxHash = &h
	}
	// The node's own public data always decodes; were it not to, the
	// batch is still served, without operations.
	ops, _ := vm.DecodePublicData(r.PublicData)
	out.Operations = make([]client.Operation, 0, len(ops))
	for _, op := range ops {
		out.Operations = append(out.Operations, operationJSON(op))
	}
	return out
}

func operationJSON(op vm.PublicOp) client.Operation {
	o := client.Operation{Op: op.Op.String(), Account: op.Account}
	num := func(v uint64) string { return strconv.FormatUint(v, 10) }
	if op.Sponsored {
		sp := op.Sponsor
		o.FeePaidBy = &sp
	}
	switch op.Op {
	case vm.OpTransfer:
		to := op.To
		o.To, o.Amount, o.Fee = &to, num(op.Amount), num(op.Fee)
	case vm.OpWithdraw, vm.OpFullExit:
		l1 := op.L1To
		o.L1To, o.Amount, o.Fee = &l1, num(op.Amount), num(op.Fee)
	case vm.OpDepositRefund:
		p := op.Position
		o.Position, o.Amount = &p, num(op.Amount)
	case vm.OpChanOpen:
		ch, to := op.Channel, op.To
		o.Channel, o.To, o.Amount, o.AmountB, o.Fee = &ch, &to, num(op.Amount), num(op.AmountB), num(op.Fee)
	case vm.OpChanClose, vm.OpChanFinalize:
		ch := op.Channel
		o.Channel, o.Amount, o.AmountB = &ch, num(op.Amount), num(op.AmountB)
	case vm.OpChanDispute, vm.OpChanChallenge:
		ch := op.Channel
		o.Channel, o.Version, o.AmountB = &ch, num(op.Version), num(op.AmountB)
	case vm.OpForcedChallenge:
		ch, applied := op.Channel, op.Applied
		o.Channel, o.Version, o.Amount, o.Applied = &ch, num(op.Version), num(op.Amount), &applied
	default: // deposit, fee payout
		o.Amount = num(op.Amount)
	}
	return o
}

// ExodusStatus reads the Rollup's exodus state from L1: whether it is in
// exodus mode, and when the oldest waiting deposit would let anyone
// activate it.
func (a *API) ExodusStatus(ctx context.Context) (*l1view.ExodusStatus, error) {
	if err := a.n.limiter.allow(ctx); err != nil {
		return nil, err
	}
	if a.n.l1client == nil {
		return nil, &rpcError{codeUnavailable, "this node has no L1 connection"}
	}
	st, err := l1view.ReadExodus(ctx, a.n.l1client, a.n.deploy.Rollup)
	if err != nil {
		return nil, &rpcError{codeUnavailable, err.Error()}
	}
	return st, nil
}

// VerifyBatch checks sealed batch number from L1 data alone, as keel
// verify does: the state before it rebuilt from L1, the public input
// recomputed, the proof checked by the Rollup's verifier and by the
// node's key, the public data re-executed. One runs at a time.
func (a *API) VerifyBatch(ctx context.Context, number uint64) (*l1view.Verdict, error) {
	if err := a.n.limiter.allow(ctx); err != nil {
		return nil, err
	}
	if a.n.l1client == nil {
		return nil, &rpcError{codeUnavailable, "this node has no L1 connection"}
	}
	a.n.verifyMu.Lock()
	defer a.n.verifyMu.Unlock()
	var err error
	if a.n.l1read == nil {
		a.n.l1read, err = l1view.ReadL1Rollup(ctx, a.n.l1client, a.n.deploy.Rollup, a.n.deploy.Block)
	} else {
		a.n.l1read, err = a.n.l1read.Extend(ctx, a.n.l1client)
	}
	if err != nil {
		a.n.l1read = nil
		return nil, &rpcError{codeUnavailable, "read the rollup from L1: " + err.Error()}
	}
	v, err := l1view.VerifyBatch(ctx, a.n.l1client, a.n.l1read, number, a.n.keys.VK)
	if err != nil {
		return nil, &rpcError{codeInvalidParams, err.Error()}
	}
	return v, nil
}

// GetProof returns a Merkle proof of the account at index in the state
// after batch (the last sealed batch when batch is omitted).
func (a *API) GetProof(ctx context.Context, index uint32, batch *uint64) (*client.Proof, error) {
	if err := a.n.limiter.allow(ctx); err != nil {
		return nil, err
	}
	n, _, _ := a.n.seq.Heads()
	if batch != nil {
		if *batch > n {
			return nil, &rpcError{codeInvalidParams, fmt.Sprintf("batch %d is not sealed yet (last sealed: %d)", *batch, n)}
		}
		n = *batch
	}
	acc, sibs, meta, err := a.n.seq.Proof(index, n)
	if err != nil {
		return nil, wrapErr(err)
	}
	out := &client.Proof{Index: index, Batch: hexutil.Uint64(n), Root: elemHash(meta.Root), Account: accountJSON(index, acc)}
	out.Account.Batch = hexutil.Uint64(n)
	out.Leaf = elemHash(acc.Hash())
	for _, s := range sibs {
		out.Siblings = append(out.Siblings, elemHash(s))
	}
	return out, nil
}

// ChainInfo returns the chain's ids, contracts, keys and progress.
func (a *API) ChainInfo(ctx context.Context) (*client.ChainInfo, error) {
	if err := a.n.limiter.allow(ctx); err != nil {
		return nil, err
	}
	n := a.n
	sealed, proven, finalized := n.seq.Heads()
	info := &client.ChainInfo{
		ChainID: hexutil.Uint64(n.cfg.ChainID), L1ChainID: hexutil.Uint64(n.l1chain.Uint64()),
		Rollup: n.deploy.Rollup, Verifier: n.deploy.Verifier, VKHash: n.deploy.VKHash, CircuitHash: common.Hash(n.keys.Hash),
		ExitVerifier: n.deploy.ExitVerifier, ExodusDelay: hexutil.Uint64(n.deploy.ExodusDelay),
		Depth: n.cfg.Depth, Slots: n.cfg.Slots, Operator: 0, MinFee: strconv.FormatUint(n.cfg.Mempool.MinFee, 10),
		Head: hexutil.Uint64(sealed), Proven: hexutil.Uint64(proven), Finalized: hexutil.Uint64(finalized),
		Pending: n.seq.PendingCount(), Fleet: n.fleetInfo(),
	}
	if n.l1 != nil {
		info.L1RPC = n.l1.HTTPEndpoint()
	}
	return info, nil
}

// GetWithdrawals lists the withdrawals to an L1 address and whether each
// can be claimed from the Rollup contract yet.
func (a *API) GetWithdrawals(ctx context.Context, to common.Address) ([]client.Withdrawal, error) {
	if err := a.n.limiter.allow(ctx); err != nil {
		return nil, err
	}
	batches, ws, err := a.n.seq.Withdrawals(to)
	if err != nil {
		return nil, wrapErr(err)
	}
	_, _, finalized := a.n.seq.Heads()
	out := make([]client.Withdrawal, len(ws))
	for i, w := range ws {
		out[i] = client.Withdrawal{Batch: hexutil.Uint64(batches[i]), Account: w.Account, To: w.To,
			Amount: strconv.FormatUint(w.Amount, 10), Claimable: batches[i] <= finalized, Refund: w.Refund}
	}
	return out, nil
}

// subscriptionBuffer bounds what a slow subscriber may have queued before
// it is dropped.
const subscriptionBuffer = 1024

// NewBatches is the newBatches subscription: every batch status change.
func (a *API) NewBatches(ctx context.Context) (*rpc.Subscription, error) {
	if err := a.n.limiter.allow(ctx); err != nil {
		return nil, err
	}
	notifier, ok := rpc.NotifierFromContext(ctx)
	if !ok {
		return nil, rpc.ErrNotificationsUnsupported
	}
	sub := notifier.CreateSubscription()
	events, cancel := a.n.seq.SubscribeBatches(subscriptionBuffer)
	go func() {
		defer cancel()
		for {
			select {
			case ev, ok := <-events:
				if !ok {
					return
				}
				rec, found, err := a.n.seq.Batch(ev.Number)
				if err != nil || !found {
					continue
				}
				b := batchJSON(rec)
				// The record may already be further along; report the
				// status this event is about, so that none is skipped.
				b.Status = client.BatchStatus(ev.Status.String())
				if err := notifier.Notify(sub.ID, b); err != nil {
					return
				}
			case <-sub.Err():
				return
			}
		}
	}()
	return sub, nil
}

// TxStatus is the txStatus subscription: the transaction's status now,
// then every change.
func (a *API) TxStatus(ctx context.Context, h common.Hash) (*rpc.Subscription, error) {
	if err := a.n.limiter.allow(ctx); err != nil {
		return nil, err
	}
	notifier, ok := rpc.NotifierFromContext(ctx)
	if !ok {
		return nil, rpc.ErrNotificationsUnsupported
	}
	events, cancel := a.n.seq.SubscribeTxs(subscriptionBuffer)
	r, known, err := a.n.seq.Receipt(h)
	if err != nil {
		cancel()
		return nil, wrapErr(err)
	}
	sub := notifier.CreateSubscription()
	go func() {
		defer cancel()
		last := -1
		send := func(r sequencer.Receipt) error {
			out := receiptJSON(r)
			if rank := out.Status.Rank(); rank > last {
				last = rank
				return notifier.Notify(sub.ID, out)
			}
			return nil
		}
		if known && send(r) != nil {
			return
		}
		for {
			select {
			case ev, ok := <-events:
				if !ok {
					return
				}
				if ev.Receipt.Hash == h && send(ev.Receipt) != nil {
					return
				}
			case <-sub.Err():
				return
			}
		}
	}()
	return sub, nil
}
