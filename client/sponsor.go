package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	neturl "net/url"
	"strconv"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/keel-rollup/keel/vm"
)

// Sponsored transactions: a sponsor service (package sponsor, `keel
// sponsor serve`) pays the fees of its users' transfers and withdrawals.
// The user signs a transaction that names the sponsor's account and the
// fee it pays; the service checks it against its policy and co-signs it;
// the user sends it as any other. This file holds the service's HTTP API
// (its wire types, which the service uses too) and its client.
//
//	GET  /info     → SponsorInfo
//	POST /sponsor  the user's signed vm.Tx JSON → SponsorResult, or a
//	               4xx/5xx with a SponsorRefusal

// SponsorCode classifies a sponsor's refusal.
type SponsorCode string

// Refusal codes. Budget, rate, unavailable and internal may pass with
// time (SponsorRefusal.Temporary); the others need another transaction.
const (
	// SponsorBudget: the day's budget cannot pay this fee.
	SponsorBudget SponsorCode = "budget"
	// SponsorRate: the account had the most sponsored transactions an
	// hour allows.
	SponsorRate SponsorCode = "rate"
	// SponsorType: the sponsor does not pay for this transaction type.
	SponsorType SponsorCode = "type"
	// SponsorAccount: the sponsor does not pay for this account, or the
	// account does not exist.
	SponsorAccount SponsorCode = "account"
	// SponsorFee: the fee is above the sponsor's max fee.
	SponsorFee SponsorCode = "fee"
	// SponsorSignature: the user's signature does not verify against the
	// account's key.
	SponsorSignature SponsorCode = "signature"
	// SponsorNonce: the nonce is used already, or too far ahead of the
	// account's.
	SponsorNonce SponsorCode = "nonce"
	// SponsorMalformed: the request is not a sponsored transaction for
	// this sponsor (bad JSON, no sponsor or another one, a body too large).
	SponsorMalformed SponsorCode = "malformed"
	// SponsorChain: the transaction is for another chain.
	SponsorChain SponsorCode = "chain"
	// SponsorUnavailable: the service could not read the account from its
	// node. Retry.
	SponsorUnavailable SponsorCode = "unavailable"
	// SponsorInternal: the service could not record the charge. Retry.
	SponsorInternal SponsorCode = "internal"
)

// ErrSponsorRefused is what every *SponsorRefusal wraps.
var ErrSponsorRefused = errors.New("client: the sponsor refused the transaction")

// ErrBadSponsorURL means a sponsor URL is not one NewSponsorClient can
// use.
var ErrBadSponsorURL = errors.New("client: bad sponsor URL")

// ErrNotSponsor means the endpoint answered, but not as a sponsor
// service: check the --sponsor URL.
var ErrNotSponsor = errors.New("client: the endpoint is not a Keel sponsor service")

// SponsorInfo is GET /info: what a client needs to build a transaction the
// sponsor pays for. Gwei quantities are decimal strings, as in vm.Tx JSON.
type SponsorInfo struct {
	// Sponsor is the sponsor's account index: the transaction's Sponsor.
	Sponsor uint32 `json:"sponsor"`
	// ChainID is the L2 chain id (decimal) it signs for.
	ChainID string `json:"chainId"`
	// MaxFee is the most fee it pays for one transaction (gwei).
	MaxFee string `json:"maxFee"`
	// Types are the transaction types it pays for ("transfer", "withdraw").
	Types []string `json:"types"`
	// DailyBudget is what it pays in a UTC day, SpentToday what it has
	// paid so far today (gwei).
	DailyBudget string `json:"dailyBudget"`
	SpentToday  string `json:"spentToday"`
	// PerUserPerHour is how many transactions of one account it pays for
	// in any hour.
	PerUserPerHour int `json:"perUserPerHour"`
}

// ChainIDUint64 parses ChainID.
func (i *SponsorInfo) ChainIDUint64() (uint64, error) {
	v, err := strconv.ParseUint(i.ChainID, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%w: sponsor chain id %q", ErrNotSponsor, i.ChainID)
	}
	return v, nil
}

// MaxFeeGwei parses MaxFee.
func (i *SponsorInfo) MaxFeeGwei() (uint64, error) {
	v, err := strconv.ParseUint(i.MaxFee, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%w: sponsor max fee %q", ErrNotSponsor, i.MaxFee)
	}
	return v, nil
}

// PaysFor reports whether Types holds t.
func (i *SponsorInfo) PaysFor(t vm.TxType) bool {
	for _, s := range i.Types {
		if s == t.String() {
			return true
		}
	}
	return false
}

// SponsorResult is POST /sponsor's answer: the transaction with the
// sponsor's signature, and its hash (what the node will call it).
type SponsorResult struct {
	Tx   *vm.Tx      `json:"tx"`
	Hash common.Hash `json:"hash"`
}

// SponsorRefusal is a sponsor's refusal: its JSON body, and the HTTP
// status it came with. It wraps ErrSponsorRefused.
type SponsorRefusal struct {
	Reason string      `json:"error"`
	Code   SponsorCode `json:"code"`
	// Status is the HTTP status (4xx, or 5xx for unavailable and
	// internal).
	Status int `json:"-"`
}

func (e *SponsorRefusal) Error() string {
	return fmt.Sprintf("the sponsor refused the transaction (%s): %s", e.Code, e.Reason)
}

func (e *SponsorRefusal) Unwrap() error { return ErrSponsorRefused }

// Temporary reports whether the same transaction may pass later: the
// budget refills, the rate window moves, the service recovers.
func (e *SponsorRefusal) Temporary() bool {
	switch e.Code {
	case SponsorBudget, SponsorRate, SponsorUnavailable, SponsorInternal:
		return true
	}
	return false
}

// maxSponsorAnswer bounds what the client reads of an answer.
const maxSponsorAnswer = 1 << 20

// SponsorClient talks to a sponsor service. It is safe for concurrent use.
type SponsorClient struct {
	url string
	// HTTP is the client requests go through; http.DefaultClient unless
	// set before use.
	HTTP *http.Client
	// CallTimeout bounds each request whose context has no deadline
	// (DefaultCallTimeout; 0 leaves requests unbounded).
	CallTimeout time.Duration
}

// NewSponsorClient checks url (http:// or https://, the service's root)
// and returns a client of it.
func NewSponsorClient(url string) (*SponsorClient, error) {
	u, err := neturl.Parse(url)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("%w %q: want http:// or https://, like http://127.0.0.1:8650", ErrBadSponsorURL, url)
	}
	return &SponsorClient{url: strings.TrimRight(url, "/"), HTTP: http.DefaultClient, CallTimeout: DefaultCallTimeout}, nil
}

// URL returns the service's root URL.
func (s *SponsorClient) URL() string { return s.url }

// GetSponsorInfo is NewSponsorClient(url).Info(ctx).
func GetSponsorInfo(ctx context.Context, url string) (*SponsorInfo, error) {
	s, err := NewSponsorClient(url)
	if err != nil {
		return nil, err
	}
	return s.Info(ctx)
}

// RequestSponsor is NewSponsorClient(url).Sponsor(ctx, tx).
func RequestSponsor(ctx context.Context, url string, tx *vm.Tx) (*vm.Tx, error) {
	s, err := NewSponsorClient(url)
	if err != nil {
		return nil, err
	}
	return s.Sponsor(ctx, tx)
}

// Info asks the service what it pays for.
func (s *SponsorClient) Info(ctx context.Context) (*SponsorInfo, error) {
	var info SponsorInfo
	if err := s.do(ctx, http.MethodGet, "/info", nil, &info); err != nil {
		return nil, err
	}
	if _, err := info.ChainIDUint64(); err != nil {
		return nil, err
	}
	if _, err := info.MaxFeeGwei(); err != nil {
		return nil, err
	}
	return &info, nil
}

// Sponsor sends tx, signed by its sender with Sponsored and Sponsor set,
// to the service and returns a copy with the sponsor's signature. A
// refusal is a *SponsorRefusal (errors.As) wrapping ErrSponsorRefused,
// with the service's code and reason. The answer must be tx itself with
// a sponsor signature added; anything else is ErrNotSponsor. (The client
// cannot check the signature without the sponsor's key: SendSponsored
// reads it from the node and does.)
func (s *SponsorClient) Sponsor(ctx context.Context, tx *vm.Tx) (*vm.Tx, error) {
	body, err := json.Marshal(tx)
	if err != nil {
		return nil, err
	}
	var res SponsorResult
	if err := s.do(ctx, http.MethodPost, "/sponsor", body, &res); err != nil {
		return nil, err
	}
	if res.Tx == nil {
		return nil, fmt.Errorf("%w: %s answered no transaction", ErrNotSponsor, s.url)
	}
	got := *res.Tx
	got.SponsorSig = tx.SponsorSig
	if !got.Sponsored || got.Message() != tx.Message() || got.Sig != tx.Sig || res.Tx.SponsorSig == (vm.Signature{}) {
		return nil, fmt.Errorf("%w: %s answered another transaction than the one sent", ErrNotSponsor, s.url)
	}
	if h := res.Tx.Hash(); h != res.Hash {
		return nil, fmt.Errorf("%w: %s answered hash %s for transaction %s", ErrNotSponsor, s.url, res.Hash, h)
	}
	return res.Tx, nil
}

// do sends one request and decodes a 200's JSON into out, or a refusal.
func (s *SponsorClient) do(ctx context.Context, method, path string, body []byte, out any) error {
	if _, ok := ctx.Deadline(); !ok && s.CallTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, s.CallTimeout)
		defer cancel()
	}
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, s.url+path, rd)
	if err != nil {
		return fmt.Errorf("client: sponsor %s: %w", s.url, err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	hc := s.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		if ce := ctxErr(err); ce != nil {
			return fmt.Errorf("client: sponsor %s%s: %w", s.url, path, ce)
		}
		return fmt.Errorf("client: cannot reach the sponsor at %s: %v", s.url, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxSponsorAnswer))
	if err != nil {
		return fmt.Errorf("client: sponsor %s%s: %w", s.url, path, err)
	}
	if resp.StatusCode != http.StatusOK {
		var r SponsorRefusal
		if json.Unmarshal(data, &r) != nil || r.Code == "" {
			return fmt.Errorf("%w: %s answered HTTP %d to %s %s", ErrNotSponsor, s.url, resp.StatusCode, method, path)
		}
		r.Status = resp.StatusCode
		return &r
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("%w: %s answered %s %s with %v", ErrNotSponsor, s.url, method, path, err)
	}
	return nil
}

// PrepareSponsored fills in tx's chain id and the sender's nonce, marks
// it paid by account sponsor, checks it the way the node will and signs
// it with key, which must own tx.From. tx.Fee is the fee the sponsor
// pays; the sender pays none. Send the result to the sponsor (Sponsor),
// then to the node.
func (c *Client) PrepareSponsored(ctx context.Context, key *vm.PrivateKey, sponsor uint32, tx *vm.Tx) error {
	if !tx.Type.CanBeSponsored() {
		return fmt.Errorf("client: a %s cannot be sponsored, only transfers and withdrawals", tx.Type)
	}
	tx.Sponsored, tx.Sponsor, tx.SponsorSig = true, sponsor, vm.Signature{}
	return c.prepare(ctx, key, tx)
}

// SendSponsored has the transfer or withdrawal tx (Type, From, To or
// L1To, Amount and Fee set) paid for by the sponsor service sp: it reads
// the service's terms, checks them against tx and the node (same chain,
// type paid for, fee within the sponsor's max), signs tx with key,
// obtains the sponsor's signature, checks it against the sponsor account's
// key on the node, and sends the transaction. It returns what it sent.
func (c *Client) SendSponsored(ctx context.Context, key *vm.PrivateKey, sp *SponsorClient, tx vm.Tx) (*vm.Tx, common.Hash, error) {
	info, err := sp.Info(ctx)
	if err != nil {
		return nil, common.Hash{}, err
	}
	chainID, _ := info.ChainIDUint64()
	maxFee, _ := info.MaxFeeGwei()
	ours, err := c.ChainID(ctx)
	if err != nil {
		return nil, common.Hash{}, err
	}
	if chainID != ours {
		return nil, common.Hash{}, fmt.Errorf("client: the sponsor at %s pays on chain %d, the node is chain %d", sp.url, chainID, ours)
	}
	if !info.PaysFor(tx.Type) {
		return nil, common.Hash{}, fmt.Errorf("client: the sponsor at %s pays for %s only, not a %s", sp.url, strings.Join(info.Types, " and "), tx.Type)
	}
	if tx.Fee > maxFee {
		return nil, common.Hash{}, fmt.Errorf("client: a fee of %d gwei is above the sponsor's max fee of %d", tx.Fee, maxFee)
	}
	acc, err := c.Account(ctx, info.Sponsor)
	if err != nil {
		return nil, common.Hash{}, err
	}
	if acc.Kind != "account" || acc.PubKey == nil {
		return nil, common.Hash{}, fmt.Errorf("%w: the sponsor's account %d is %s", ErrNoAccount, info.Sponsor, acc.Kind)
	}
	if err := c.PrepareSponsored(ctx, key, info.Sponsor, &tx); err != nil {
		return nil, common.Hash{}, err
	}
	signed, err := sp.Sponsor(ctx, &tx)
	if err != nil {
		return nil, common.Hash{}, err
	}
	if !signed.VerifySponsorSignature(*acc.PubKey) {
		return nil, common.Hash{}, fmt.Errorf("%w: the signature from %s is not the key of sponsor account %d", ErrNotSponsor, sp.url, info.Sponsor)
	}
	h, err := c.SendTransaction(ctx, signed)
	return signed, h, err
}
