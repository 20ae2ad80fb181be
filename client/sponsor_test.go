package client_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/keel-rollup/keel/client"
	"github.com/keel-rollup/keel/vm"
	"github.com/stretchr/testify/require"
)

// fakeSponsor serves the sponsor API: it co-signs with key as account
// index, unless refuse is set; tamper, when set, changes the answer.
type fakeSponsor struct {
	mu     sync.Mutex
	key    *vm.PrivateKey
	index  uint32
	info   client.SponsorInfo
	refuse *client.SponsorRefusal
	tamper func(res *client.SponsorResult)
	asked  []vm.Tx
}

func (s *fakeSponsor) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	switch r.URL.Path {
	case "/info":
		json.NewEncoder(w).Encode(s.info)
	case "/sponsor":
		body, _ := io.ReadAll(r.Body)
		var tx vm.Tx
		if err := json.Unmarshal(body, &tx); err != nil {
			w.WriteHeader(http.StatusBadRequest)
			json.NewEncoder(w).Encode(client.SponsorRefusal{Code: client.SponsorMalformed, Reason: err.Error()})
			return
		}
		s.asked = append(s.asked, tx)
		if s.refuse != nil {
			w.WriteHeader(s.refuse.Status)
			json.NewEncoder(w).Encode(s.refuse)
			return
		}
		if err := tx.SignSponsor(s.key); err != nil {
			panic(err)
		}
		res := client.SponsorResult{Tx: &tx, Hash: tx.Hash()}
		if s.tamper != nil {
			s.tamper(&res)
		}
		json.NewEncoder(w).Encode(res)
	default:
		http.Error(w, "404 page not found", http.StatusNotFound)
	}
}

// sponsorSetup is setup with bob (account 4) sponsoring over HTTP.
func sponsorSetup(t *testing.T) (fixture, *fakeSponsor, *client.SponsorClient) {
	f := setup(t)
	fs := &fakeSponsor{key: f.bob, index: 4, info: client.SponsorInfo{Sponsor: 4, ChainID: "77", MaxFee: "100",
		Types: []string{"transfer", "withdraw"}, DailyBudget: "1000", SpentToday: "0", PerUserPerHour: 5}}
	srv := httptest.NewServer(fs)
	t.Cleanup(srv.Close)
	sc, err := client.NewSponsorClient(srv.URL + "/")
	require.NoError(t, err)
	require.Equal(t, srv.URL, sc.URL())
	return f, fs, sc
}

func TestSponsorClientInfo(t *testing.T) {
	_, fs, sc := sponsorSetup(t)
	info, err := sc.Info(context.Background())
	require.NoError(t, err)
	require.Equal(t, &fs.info, info)
	fee, err := info.MaxFeeGwei()
	require.NoError(t, err)
	require.EqualValues(t, 100, fee)
	require.True(t, info.PaysFor(vm.TxWithdraw))
	require.False(t, info.PaysFor(vm.TxChanOpen))

	info, err = client.GetSponsorInfo(context.Background(), sc.URL())
	require.NoError(t, err)
	require.EqualValues(t, 4, info.Sponsor)

	fs.info.MaxFee = "lots"
	_, err = sc.Info(context.Background())
	require.ErrorIs(t, err, client.ErrNotSponsor)
}

// TestSendSponsored: the client signs a transaction naming the sponsor
// with the sponsor's fee, gets it co-signed, checks the co-signature
// against the sponsor's key on the node, and sends it.
func TestSendSponsored(t *testing.T) {
	f, fs, sc := sponsorSetup(t)
	ctx := context.Background()
	sent, h, err := f.c.SendSponsored(ctx, f.alice, sc, vm.Tx{Type: vm.TxTransfer, From: 3, To: 4, Amount: 1500, Fee: 100})
	require.NoError(t, err)
	require.Len(t, f.node.sent, 1)
	tx := f.node.sent[0]
	require.Equal(t, tx.Hash(), h)
	require.Equal(t, *sent, tx)
	require.True(t, tx.Sponsored)
	require.EqualValues(t, 4, tx.Sponsor)
	require.EqualValues(t, 100, tx.Fee)
	require.EqualValues(t, 5, tx.Nonce, "the account's nonce")
	require.True(t, tx.VerifySignature(f.alice.Public()))
	require.True(t, tx.VerifySponsorSignature(f.bob.Public()))
	require.Len(t, fs.asked, 1)
	require.Equal(t, vm.Signature{}, fs.asked[0].SponsorSig, "the sponsor got the user's signed transaction")

	for _, tc := range []struct {
		name  string
		tx    vm.Tx
		setup func()
		want  string
		is    error
	}{
		{name: "fee above max", tx: vm.Tx{Type: vm.TxTransfer, From: 3, To: 4, Amount: 1500, Fee: 200},
			want: "a fee of 200 gwei is above the sponsor's max fee of 100"},
		{name: "type not paid", tx: vm.Tx{Type: vm.TxWithdraw, From: 3, L1To: common.HexToAddress("0x1"), Amount: 1, Fee: 10},
			setup: func() { fs.info.Types = []string{"transfer"} }, want: "pays for transfer only, not a withdraw"},
		{name: "another chain", tx: vm.Tx{Type: vm.TxTransfer, From: 3, To: 4, Amount: 1500, Fee: 10},
			setup: func() { fs.info.ChainID = "78" }, want: "pays on chain 78, the node is chain 77"},
		{name: "no sponsor account", tx: vm.Tx{Type: vm.TxTransfer, From: 3, To: 4, Amount: 1500, Fee: 10},
			setup: func() { fs.info.Sponsor = 9 }, is: client.ErrNoAccount},
		{name: "signed by another key", tx: vm.Tx{Type: vm.TxTransfer, From: 3, To: 4, Amount: 1500, Fee: 10},
			setup: func() { fs.key = f.alice }, is: client.ErrNotSponsor, want: "is not the key of sponsor account 4"},
		{name: "another transaction back", tx: vm.Tx{Type: vm.TxTransfer, From: 3, To: 4, Amount: 1500, Fee: 10},
			setup: func() {
				fs.tamper = func(res *client.SponsorResult) {
					res.Tx.Amount++
					res.Hash = res.Tx.Hash()
				}
			}, is: client.ErrNotSponsor, want: "another transaction than the one sent"},
		{name: "wrong hash", tx: vm.Tx{Type: vm.TxTransfer, From: 3, To: 4, Amount: 1500, Fee: 10},
			setup: func() { fs.tamper = func(res *client.SponsorResult) { res.Hash[0]++ } }, is: client.ErrNotSponsor, want: "answered hash"},
		{name: "refused", tx: vm.Tx{Type: vm.TxTransfer, From: 3, To: 4, Amount: 1500, Fee: 10},
			setup: func() {
				fs.refuse = &client.SponsorRefusal{Code: client.SponsorBudget, Reason: "daily budget of 1000 gwei spent: 990 used today", Status: 429}
			}, is: client.ErrSponsorRefused, want: "the sponsor refused the transaction (budget): daily budget of 1000 gwei spent: 990 used today"},
		{name: "cannot be sponsored", tx: vm.Tx{Type: vm.TxChanOpen, From: 3, To: 4, Amount: 1500, Period: 60},
			setup: func() { fs.info.Types = append(fs.info.Types, "channelOpen") }, want: "a channelOpen cannot be sponsored"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs.mu.Lock()
			saved := fs.info
			saved.Types = append([]string(nil), fs.info.Types...)
			if tc.setup != nil {
				tc.setup()
			}
			fs.mu.Unlock()
			defer func() {
				fs.mu.Lock()
				fs.info, fs.key, fs.tamper, fs.refuse = saved, f.bob, nil, nil
				fs.mu.Unlock()
			}()
			_, _, err := f.c.SendSponsored(ctx, f.alice, sc, tc.tx)
			require.Error(t, err)
			if tc.is != nil {
				require.ErrorIs(t, err, tc.is)
			}
			require.ErrorContains(t, err, tc.want)
		})
	}
	require.Len(t, f.node.sent, 1, "nothing sent after a failure")
}

func TestSponsorRefusalCarriesCodeAndReason(t *testing.T) {
	f, fs, sc := sponsorSetup(t)
	fs.refuse = &client.SponsorRefusal{Code: client.SponsorRate, Reason: "account 3 had 5 sponsored transactions in the last hour", Status: 429}
	tx := vm.Tx{Type: vm.TxTransfer, From: 3, To: 4, Amount: 1500, Fee: 10}
	require.NoError(t, f.c.PrepareSponsored(context.Background(), f.alice, 4, &tx))
	require.True(t, tx.VerifySignature(f.alice.Public()))
	_, err := client.RequestSponsor(context.Background(), sc.URL(), &tx)
	var ref *client.SponsorRefusal
	require.ErrorAs(t, err, &ref)
	require.Equal(t, client.SponsorRate, ref.Code)
	require.Equal(t, fs.refuse.Reason, ref.Reason)
	require.Equal(t, 429, ref.Status)
	require.True(t, ref.Temporary())
	require.False(t, (&client.SponsorRefusal{Code: client.SponsorSignature}).Temporary())

	fs.refuse = nil
	signed, err := client.RequestSponsor(context.Background(), sc.URL(), &tx)
	require.NoError(t, err)
	require.True(t, signed.VerifySponsorSignature(f.bob.Public()))
}

func TestSponsorClientBadEndpoints(t *testing.T) {
	for _, u := range []string{"127.0.0.1:8650", "ftp://x", "http://", "://"} {
		_, err := client.NewSponsorClient(u)
		require.ErrorIs(t, err, client.ErrBadSponsorURL, u)
	}
	// A web server that is not a sponsor.
	srv := httptest.NewServer(http.NotFoundHandler())
	defer srv.Close()
	_, err := client.GetSponsorInfo(context.Background(), srv.URL)
	require.ErrorIs(t, err, client.ErrNotSponsor)
	require.ErrorContains(t, err, "answered HTTP 404 to GET /info")
	// One that answers 200 with something else.
	junk := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "<html>") }))
	defer junk.Close()
	_, err = client.GetSponsorInfo(context.Background(), junk.URL)
	require.ErrorIs(t, err, client.ErrNotSponsor)
	// Nobody listening.
	srv.Close()
	_, err = client.GetSponsorInfo(context.Background(), srv.URL)
	require.ErrorContains(t, err, "cannot reach the sponsor at "+srv.URL)
	require.False(t, errors.Is(err, client.ErrSponsorRefused))
}
