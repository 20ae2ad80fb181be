package sponsor

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/rs/zerolog"
	"github.com/stretchr/testify/require"

	"github.com/keel-rollup/keel/client"
	"github.com/keel-rollup/keel/vm"
)

const (
	testChain   = 4242
	sponsorIdx  = 9
	strangerIdx = 8 // an account the test policies leave out
	unknownIdx  = 20
)

// fakeNode is the node's account read: keys and nonces the test sets.
type fakeNode struct {
	mu       sync.Mutex
	accounts map[uint32]client.Account
	down     error
}

func (n *fakeNode) Account(_ context.Context, i uint32) (*client.Account, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.down != nil {
		return nil, n.down
	}
	a, ok := n.accounts[i]
	if !ok {
		return &client.Account{Index: i, Kind: "empty", Balance: "0"}, nil
	}
	return &a, nil
}

func (n *fakeNode) setNonce(i, nonce uint32) {
	n.mu.Lock()
	defer n.mu.Unlock()
	a := n.accounts[i]
	a.Nonce = nonce
	n.accounts[i] = a
}

// clock is a settable time source.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// env is a sponsor (account 9) and users at accounts 1..8, on a fake node.
type env struct {
	t       *testing.T
	sponsor *vm.PrivateKey
	users   map[uint32]*vm.PrivateKey
	node    *fakeNode
	clock   *clock
	dir     string
	policy  *Policy
	svc     *Service
	reg     *prometheus.Registry
	sc      *client.SponsorClient
}

// testPolicy pays for transfers and withdrawals of accounts 1..7 (not
// 8), up to 500 gwei each, 1000 a day, 3 per account an hour.
func testPolicy() *Policy {
	return &Policy{Accounts: []uint32{1, 2, 3, 4, 5, 6, 7}, Types: []vm.TxType{vm.TxTransfer, vm.TxWithdraw},
		MaxFee: 500, DailyBudget: 1000, PerUserPerHour: 3}
}

func newEnv(t *testing.T, p *Policy) *env {
	t.Helper()
	e := &env{t: t, users: map[uint32]*vm.PrivateKey{}, node: &fakeNode{accounts: map[uint32]client.Account{}},
		clock: &clock{now: time.Date(2030, 1, 2, 10, 0, 0, 0, time.UTC)}, dir: t.TempDir(), policy: p}
	var err error
	e.sponsor, err = vm.GenerateKey()
	require.NoError(t, err)
	e.addAccount(sponsorIdx, e.sponsor)
	for i := uint32(1); i <= 8; i++ {
		k, err := vm.GenerateKey()
		require.NoError(t, err)
		e.users[i] = k
		e.addAccount(i, k)
	}
	e.start()
	return e
}

func (e *env) addAccount(i uint32, k *vm.PrivateKey) {
	pub := k.Public()
	e.node.accounts[i] = client.Account{Index: i, Kind: "account", PubKey: &pub, Balance: "1000000000"}
}

func (e *env) config() Config {
	return Config{Key: e.sponsor, Account: sponsorIdx, ChainID: testChain, Policy: e.policy, DataDir: e.dir,
		ListenAddr: "127.0.0.1:0", Node: e.node, Clock: e.clock.Now}
}

// start starts a service on e.dir, as a restarted process would.
func (e *env) start() {
	e.t.Helper()
	e.reg = prometheus.NewRegistry()
	m, err := NewPromMetrics(e.reg)
	require.NoError(e.t, err)
	e.svc, err = New(e.config(), zerolog.New(zerolog.NewTestWriter(e.t)), m)
	require.NoError(e.t, err)
	require.NoError(e.t, e.svc.Start(context.Background()))
	svc := e.svc
	e.t.Cleanup(func() { require.NoError(e.t, svc.Stop(context.Background())) })
	e.sc, err = client.NewSponsorClient(e.svc.URL())
	require.NoError(e.t, err)
}

// transfer is user from's transfer, sponsored by account 9 and signed.
func (e *env) transfer(from, nonce uint32, amount, fee uint64) *vm.Tx {
	tx := &vm.Tx{Type: vm.TxTransfer, ChainID: testChain, From: from, To: from%7 + 1, Amount: amount, Fee: fee, Nonce: nonce,
		Sponsored: true, Sponsor: sponsorIdx}
	require.NoError(e.t, tx.Sign(e.users[from]))
	return tx
}

// ask sends tx to the service and returns its refusal, or nil after
// checking the co-signature.
func (e *env) ask(tx *vm.Tx) *client.SponsorRefusal {
	e.t.Helper()
	got, err := e.sc.Sponsor(context.Background(), tx)
	var ref *client.SponsorRefusal
	if errors.As(err, &ref) {
		require.ErrorIs(e.t, err, client.ErrSponsorRefused)
		return ref
	}
	require.NoError(e.t, err)
	require.True(e.t, got.VerifySponsorSignature(e.sponsor.Public()), "the sponsor's signature verifies")
	require.True(e.t, got.VerifySignature(e.users[tx.From].Public()), "the user's signature is kept")
	return nil
}

func (e *env) requireRefused(tx *vm.Tx, code client.SponsorCode, reason string) {
	e.t.Helper()
	ref := e.ask(tx)
	require.NotNil(e.t, ref, "want a refusal (%s)", code)
	require.Equal(e.t, code, ref.Code, ref.Reason)
	require.Contains(e.t, ref.Reason, reason)
}

// metric reads a counter from the service's registry; reason selects a
// keel_sponsor_refused_total series.
func (e *env) metric(name, reason string) float64 {
	e.t.Helper()
	fams, err := e.reg.Gather()
	require.NoError(e.t, err)
	for _, f := range fams {
		if f.GetName() != name {
			continue
		}
		for _, m := range f.GetMetric() {
			if ls := m.GetLabel(); reason == "" || len(ls) == 1 && ls[0].GetValue() == reason {
				return m.GetCounter().GetValue()
			}
		}
	}
	return 0
}

func (e *env) spent() uint64 {
	e.t.Helper()
	info, err := e.sc.Info(context.Background())
	require.NoError(e.t, err)
	var v uint64
	_, err = fmt.Sscan(info.SpentToday, &v)
	require.NoError(e.t, err)
	return v
}

func TestSponsorSignsAGoodTransaction(t *testing.T) {
	e := newEnv(t, testPolicy())
	info, err := e.sc.Info(context.Background())
	require.NoError(t, err)
	require.Equal(t, &client.SponsorInfo{Sponsor: sponsorIdx, ChainID: "4242", MaxFee: "500", Types: []string{"transfer", "withdraw"},
		DailyBudget: "1000", SpentToday: "0", PerUserPerHour: 3}, info)

	tx := e.transfer(1, 0, 1000, 200)
	got, err := e.sc.Sponsor(context.Background(), tx)
	require.NoError(t, err)
	require.True(t, got.VerifySponsorSignature(e.sponsor.Public()))
	require.Equal(t, tx.Message(), got.Message(), "the user's transaction is unchanged")
	require.NoError(t, got.CheckStatic(testChain, vm.MaxDepth))
	other, _ := vm.GenerateKey()
	require.False(t, got.VerifySponsorSignature(other.Public()), "the check can fail")
	require.Equal(t, uint64(200), e.spent())

	// A withdrawal too, through the raw API: its JSON answer carries the
	// hash the node will give it.
	w := &vm.Tx{Type: vm.TxWithdraw, ChainID: testChain, From: 2, L1To: common.HexToAddress("0x1234"), Amount: 5, Fee: 100, Nonce: 0, Sponsored: true, Sponsor: sponsorIdx}
	require.NoError(t, w.Sign(e.users[2]))
	body, _ := json.Marshal(w)
	resp, err := http.Post(e.svc.URL()+"/sponsor", "application/json", bytes.NewReader(body))
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var res struct {
		Tx   json.RawMessage `json:"tx"`
		Hash common.Hash     `json:"hash"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&res))
	require.Contains(t, string(res.Tx), `"sponsorSignature":"0x`)
	var signed vm.Tx
	require.NoError(t, json.Unmarshal(res.Tx, &signed))
	require.Equal(t, signed.Hash(), res.Hash)
	require.True(t, signed.VerifySponsorSignature(e.sponsor.Public()))
	require.Equal(t, uint64(300), e.spent())

	require.Equal(t, 2.0, e.metric("keel_sponsor_signed_total", ""))
	require.Equal(t, 300.0, e.metric("keel_sponsor_fees_gwei_total", ""))
}

// TestSponsorRefusals: each check refuses with its code, its HTTP status
// and a reason that says what was wrong, and charges nothing.
func TestSponsorRefusals(t *testing.T) {
	e := newEnv(t, &Policy{Accounts: []uint32{1, 2, 3, 4, 5, 6, 7}, Types: []vm.TxType{vm.TxTransfer},
		MaxFee: 500, DailyBudget: 1000, PerUserPerHour: 3})
	e.node.setNonce(3, 10)
	resign := func(tx *vm.Tx) *vm.Tx { require.NoError(t, tx.Sign(e.users[tx.From])); return tx }
	for _, tc := range []struct {
		name   string
		tx     func() *vm.Tx
		code   client.SponsorCode
		status int
		reason string
	}{
		{"another chain", func() *vm.Tx { tx := e.transfer(1, 0, 1000, 100); tx.ChainID = 7; return resign(tx) },
			client.SponsorChain, 400, "the transaction is for chain 7; this sponsor pays on chain 4242"},
		{"not sponsorable", func() *vm.Tx {
			tx := &vm.Tx{Type: vm.TxChanOpen, ChainID: testChain, From: 1, To: 2, Amount: 10, Period: 60}
			return resign(tx)
		}, client.SponsorType, 403, "a channelOpen cannot be sponsored"},
		{"type not in the policy", func() *vm.Tx {
			tx := &vm.Tx{Type: vm.TxWithdraw, ChainID: testChain, From: 1, L1To: common.HexToAddress("0x1"), Amount: 10, Fee: 100, Sponsored: true, Sponsor: sponsorIdx}
			return resign(tx)
		}, client.SponsorType, 403, "this sponsor pays for [transfer] only, not a withdraw"},
		{"no sponsor", func() *vm.Tx {
			tx := e.transfer(1, 0, 1000, 100)
			tx.Sponsored, tx.Sponsor = false, 0
			return resign(tx)
		},
			client.SponsorMalformed, 400, `the transaction names no sponsor: set "sponsor": 9`},
		{"another sponsor", func() *vm.Tx { tx := e.transfer(1, 0, 1000, 100); tx.Sponsor = 5; return resign(tx) },
			client.SponsorMalformed, 400, "names sponsor 5; this sponsor is account 9"},
		{"account not in the policy", func() *vm.Tx { return e.transfer(strangerIdx, 0, 1000, 100) },
			client.SponsorAccount, 403, "does not pay for account 8's transactions"},
		{"fee above max", func() *vm.Tx { return e.transfer(1, 0, 1000, 600) },
			client.SponsorFee, 403, "the fee of 600 gwei is above this sponsor's max fee of 500 gwei"},
		{"bad user signature", func() *vm.Tx {
			tx := e.transfer(1, 0, 1000, 100)
			require.NoError(t, tx.Sign(e.users[2]))
			return tx
		}, client.SponsorSignature, 403, "the sender's signature does not verify against account 1's key"},
		{"signature of another transaction", func() *vm.Tx { tx := e.transfer(1, 0, 1000, 100); tx.Amount = 2000; return tx },
			client.SponsorSignature, 403, "does not verify"},
		{"nonce used", func() *vm.Tx { return e.transfer(3, 9, 1000, 100) },
			client.SponsorNonce, 409, "nonce 9 is used already: account 3's next nonce is 10"},
		{"nonce too far ahead", func() *vm.Tx { return e.transfer(3, 10+DefaultNonceWindow, 1000, 100) },
			client.SponsorNonce, 409, "nonce 26 is 16 ahead of account 3's next nonce 10; this sponsor signs at most 15 ahead"},
		{"inconsistent", func() *vm.Tx { tx := e.transfer(1, 0, 1000, 100); tx.To = 1; return resign(tx) },
			client.SponsorMalformed, 400, "self"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tx := tc.tx()
			body, err := json.Marshal(tx)
			require.NoError(t, err)
			resp, err := http.Post(e.svc.URL()+"/sponsor", "application/json", bytes.NewReader(body))
			require.NoError(t, err)
			defer resp.Body.Close()
			require.Equal(t, tc.status, resp.StatusCode)
			var ref client.SponsorRefusal
			require.NoError(t, json.NewDecoder(resp.Body).Decode(&ref))
			require.Equal(t, tc.code, ref.Code, ref.Reason)
			require.Contains(t, ref.Reason, tc.reason)
		})
	}
	require.Zero(t, e.spent(), "refusals charge nothing")
	for _, code := range []client.SponsorCode{client.SponsorChain, client.SponsorType, client.SponsorMalformed, client.SponsorAccount,
		client.SponsorFee, client.SponsorSignature, client.SponsorNonce} {
		require.Positive(t, e.metric("keel_sponsor_refused_total", string(code)), code)
	}
	// The same nonces in range pass, so the refusals above were theirs.
	require.Nil(t, e.ask(e.transfer(3, 10, 1000, 100)))
	require.Nil(t, e.ask(e.transfer(3, 10+DefaultNonceWindow-1, 1000, 100)))
}

func TestSponsorRefusesAnAccountTheNodeDoesNotHave(t *testing.T) {
	p := testPolicy()
	p.Accounts = nil // any account
	e := newEnv(t, p)
	k, err := vm.GenerateKey()
	require.NoError(t, err)
	e.users[unknownIdx] = k
	e.requireRefused(e.transfer(unknownIdx, 0, 1000, 100), client.SponsorAccount, "account 20 does not exist on the node (it is empty)")
	require.Nil(t, e.ask(e.transfer(strangerIdx, 0, 1000, 100)), "an empty account list pays for any account")
}

func TestSponsorRefusesBadBodies(t *testing.T) {
	e := newEnv(t, testPolicy())
	good, err := json.Marshal(e.transfer(1, 0, 1000, 100))
	require.NoError(t, err)
	for _, tc := range []struct {
		name, method, path, body string
		status                   int
		reason                   string
	}{
		{"not json", "POST", "/sponsor", "hello", 400, "the body is not a transaction's JSON"},
		{"empty", "POST", "/sponsor", "", 400, "the body is not a transaction's JSON"},
		{"unknown field", "POST", "/sponsor", strings.Replace(string(good), "{", `{"tip":"1",`, 1), 400, "unknown field"},
		{"two transactions", "POST", "/sponsor", string(good) + string(good), 400, "trailing data"},
		{"too large", "POST", "/sponsor", string(good) + strings.Repeat(" ", DefaultMaxBodyBytes), 413, "over 16384 bytes"},
		{"GET", "GET", "/sponsor", "", 405, "POST the signed transaction to /sponsor, not GET"},
		{"POST /info", "POST", "/info", "", 405, "GET /info, not POST"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest(tc.method, e.svc.URL()+tc.path, strings.NewReader(tc.body))
			require.NoError(t, err)
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			require.Equal(t, tc.status, resp.StatusCode)
			var ref client.SponsorRefusal
			require.NoError(t, json.NewDecoder(resp.Body).Decode(&ref))
			require.Equal(t, client.SponsorMalformed, ref.Code)
			require.Contains(t, ref.Reason, tc.reason)
		})
	}
	// Still up, and the good body passes.
	resp, err := http.Post(e.svc.URL()+"/sponsor", "application/json", bytes.NewReader(good))
	require.NoError(t, err)
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
}

func TestSponsorNodeDown(t *testing.T) {
	e := newEnv(t, testPolicy())
	e.node.mu.Lock()
	e.node.down = errors.New("connection refused")
	e.node.mu.Unlock()
	ref := e.ask(e.transfer(1, 0, 1000, 100))
	require.NotNil(t, ref)
	require.Equal(t, client.SponsorUnavailable, ref.Code)
	require.Equal(t, http.StatusServiceUnavailable, ref.Status)
	require.True(t, ref.Temporary())
	require.Contains(t, ref.Reason, "cannot read account 1 from the node: connection refused")
}

// TestSponsorDailyBudget: a fee the day's budget cannot pay is refused
// with how much is used, and passes the next UTC day.
func TestSponsorDailyBudget(t *testing.T) {
	e := newEnv(t, testPolicy()) // 1000 a day
	require.Nil(t, e.ask(e.transfer(1, 0, 1000, 490)))
	require.Nil(t, e.ask(e.transfer(2, 0, 1000, 490)))
	require.Nil(t, e.ask(e.transfer(3, 0, 1000, 10)))
	over := e.transfer(4, 0, 1000, 20)
	e.requireRefused(over, client.SponsorBudget, "daily budget of 1000 gwei spent: 990 used today (2030-01-02 UTC), this fee is 20")
	require.Nil(t, e.ask(e.transfer(5, 0, 1000, 10)), "a fee that fits still passes")
	e.requireRefused(e.transfer(6, 0, 1000, 10), client.SponsorBudget, "1000 used today")
	require.Equal(t, uint64(1000), e.spent())

	e.clock.advance(14 * time.Hour) // 2030-01-03 00:00 UTC
	require.Nil(t, e.ask(over), "the budget refills at UTC midnight")
	require.Equal(t, uint64(20), e.spent())
}

// TestSponsorRate: a user past per_user_per_hour is refused until its
// oldest sponsored transaction is an hour old; other users are not.
func TestSponsorRate(t *testing.T) {
	p := testPolicy()
	p.DailyBudget = 1_000_000
	e := newEnv(t, p) // 3 an hour
	for n := range uint32(3) {
		require.Nil(t, e.ask(e.transfer(1, n, 1000, 10)))
		e.clock.advance(10 * time.Minute)
	}
	e.requireRefused(e.transfer(1, 3, 1000, 10), client.SponsorRate,
		"account 1 had 3 sponsored transactions in the last hour, the most this sponsor pays for (per_user_per_hour = 3); the next is possible at 2030-01-02T11:00:00Z (in 30m0s)")
	require.Nil(t, e.ask(e.transfer(2, 0, 1000, 10)), "another user is not limited")
	e.clock.advance(30*time.Minute - time.Second)
	e.requireRefused(e.transfer(1, 3, 1000, 10), client.SponsorRate, "in 1s")
	e.clock.advance(time.Second)
	require.Nil(t, e.ask(e.transfer(1, 3, 1000, 10)), "an hour after the first, one more")
	e.requireRefused(e.transfer(1, 4, 1000, 10), client.SponsorRate, "in 10m0s")
}

// TestSponsorBudgetSurvivesRestart: spending is durable before the
// co-signature goes out, so a new process on the same data directory
// still refuses what the budget and the rate cannot pay.
func TestSponsorBudgetSurvivesRestart(t *testing.T) {
	e := newEnv(t, testPolicy())
	require.Nil(t, e.ask(e.transfer(1, 0, 1000, 490)))
	require.Nil(t, e.ask(e.transfer(1, 1, 1000, 490)))
	require.Nil(t, e.ask(e.transfer(2, 0, 1000, 10)))
	over := e.transfer(3, 0, 1000, 20)
	e.requireRefused(over, client.SponsorBudget, "990 used today")

	require.NoError(t, e.svc.Stop(context.Background()))
	require.NoError(t, e.svc.Stop(context.Background()), "Stop is idempotent")
	_, err := e.sc.Info(context.Background())
	require.Error(t, err, "the old service is down")

	e.start() // the same directory, a new process's state
	require.Equal(t, uint64(990), e.spent())
	e.requireRefused(over, client.SponsorBudget, "daily budget of 1000 gwei spent: 990 used today")
	require.Nil(t, e.ask(e.transfer(1, 2, 1000, 10)))
	e.requireRefused(e.transfer(1, 3, 1000, 0), client.SponsorRate, "account 1 had 3 sponsored transactions")
}

// TestSponsorConcurrentRequestsNeverOverspend: many users ask at once
// for more than the budget pays; exactly what fits is signed.
func TestSponsorConcurrentRequestsNeverOverspend(t *testing.T) {
	p := testPolicy()
	p.MaxFee, p.DailyBudget = 100, 1000
	e := newEnv(t, p)
	var txs []*vm.Tx
	for user := uint32(1); user <= 7; user++ {
		for n := range uint32(3) {
			txs = append(txs, e.transfer(user, n, 1000, 100)) // 21 × 100 asked of 1000
		}
	}
	var (
		wg             sync.WaitGroup
		mu             sync.Mutex
		signed, budget int
	)
	start := make(chan struct{})
	for _, tx := range txs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, err := e.sc.Sponsor(context.Background(), tx)
			var ref *client.SponsorRefusal
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				signed++
			case errors.As(err, &ref) && ref.Code == client.SponsorBudget:
				budget++
			default:
				t.Errorf("unexpected answer: %v", err)
			}
		}()
	}
	close(start)
	wg.Wait()
	require.Equal(t, 10, signed)
	require.Equal(t, 11, budget)
	require.Equal(t, uint64(1000), e.spent())
}

// TestSponsorRepeatIsChargedOnce: a client that lost the answer and asks
// again gets a signature without paying twice.
func TestSponsorRepeatIsChargedOnce(t *testing.T) {
	e := newEnv(t, testPolicy())
	tx := e.transfer(1, 0, 1000, 300)
	require.Nil(t, e.ask(tx))
	require.Nil(t, e.ask(tx))
	require.Equal(t, uint64(300), e.spent())
	n, err := e.svc.ledger.UserCharges(1, e.clock.Now())
	require.NoError(t, err)
	require.Equal(t, 1, n)
	// The same nonce with another amount is another transaction.
	require.Nil(t, e.ask(e.transfer(1, 0, 999, 300)))
	require.Equal(t, uint64(600), e.spent())
}

func TestSponsorStartChecksItsAccount(t *testing.T) {
	e := newEnv(t, testPolicy())
	cfg := e.config()
	cfg.DataDir = t.TempDir()
	cfg.Account = 1 // a user's
	s, err := New(cfg, zerolog.Nop(), nil)
	require.NoError(t, err)
	require.ErrorContains(t, s.Start(context.Background()), "account 1 belongs to key")
	require.NoError(t, s.Stop(context.Background()))

	cfg.DataDir, cfg.Account = t.TempDir(), unknownIdx
	s, err = New(cfg, zerolog.Nop(), nil)
	require.NoError(t, err)
	require.ErrorContains(t, s.Start(context.Background()), "account 20 is empty on the node")
	require.NoError(t, s.Stop(context.Background()))

	for name, mut := range map[string]func(c *Config){
		"no key":    func(c *Config) { c.Key = nil },
		"no policy": func(c *Config) { c.Policy = nil },
		"bad policy": func(c *Config) {
			p := *c.Policy
			p.MaxFee = 0
			c.Policy = &p
		},
		"no dir":  func(c *Config) { c.DataDir = "" },
		"no node": func(c *Config) { c.Node = nil },
	} {
		c := e.config()
		mut(&c)
		_, err := New(c, zerolog.Nop(), nil)
		require.Error(t, err, name)
	}
}

// TestSponsorAllowsBrowsers: a wallet page of another origin may call the
// API: the preflight is answered, and answers carry the origin header.
func TestSponsorAllowsBrowsers(t *testing.T) {
	e := newEnv(t, testPolicy())
	req, err := http.NewRequest(http.MethodOptions, e.svc.URL()+"/sponsor", nil)
	require.NoError(t, err)
	req.Header.Set("Origin", "https://wallet.example")
	req.Header.Set("Access-Control-Request-Method", "POST")
	req.Header.Set("Access-Control-Request-Headers", "content-type")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusNoContent, resp.StatusCode)
	require.Equal(t, "*", resp.Header.Get("Access-Control-Allow-Origin"))
	require.Contains(t, resp.Header.Get("Access-Control-Allow-Methods"), "POST")
	require.Equal(t, "Content-Type", resp.Header.Get("Access-Control-Allow-Headers"))

	resp, err = http.Get(e.svc.URL() + "/info")
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, "*", resp.Header.Get("Access-Control-Allow-Origin"))
}
