package sponsor

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/rs/zerolog"

	"github.com/keel-rollup/keel/client"
	"github.com/keel-rollup/keel/vm"
)

// seededKey is a reproducible key, so that the corpus's signatures hold
// in every run.
func seededKey(f *testing.F, seed byte) *vm.PrivateKey {
	k, err := vm.PrivateKeyFromSeed(bytes.NewReader(bytes.Repeat([]byte{seed}, 64)))
	if err != nil {
		f.Fatal(err)
	}
	return k
}

// FuzzSponsorRequest posts arbitrary bodies to /sponsor. Every answer is
// either a co-signed transaction the policy pays for, whose signatures
// both verify, or a refusal with a known code and a reason; the day's
// spending never passes the budget; nothing panics.
func FuzzSponsorRequest(f *testing.F) {
	sponsorKey, user := seededKey(f, 1), seededKey(f, 2)
	userPub, sponsorPub := user.Public(), sponsorKey.Public()
	node := &fakeNode{accounts: map[uint32]client.Account{
		1:          {Index: 1, Kind: "account", PubKey: &userPub, Balance: "1000000"},
		sponsorIdx: {Index: sponsorIdx, Kind: "account", PubKey: &sponsorPub, Balance: "1000000"},
	}}
	now := time.Date(2030, 1, 2, 10, 0, 0, 0, time.UTC)
	pol := testPolicy()
	pol.PerUserPerHour = MaxPerUserPerHour
	svc, err := New(Config{Key: sponsorKey, Account: sponsorIdx, ChainID: testChain, Policy: pol, DataDir: "sponsor",
		FS: vfs.NewMem(), Node: node, Clock: func() time.Time { return now }}, zerolog.Nop(), nil)
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { svc.Stop(context.Background()) })

	for i, tx := range []*vm.Tx{
		{Type: vm.TxTransfer, ChainID: testChain, From: 1, To: 2, Amount: 1000, Fee: 100, Nonce: 0, Sponsored: true, Sponsor: sponsorIdx},
		{Type: vm.TxTransfer, ChainID: testChain, From: 1, To: 2, Amount: 1000, Fee: 100, Nonce: 1, Sponsored: true, Sponsor: sponsorIdx},
		{Type: vm.TxWithdraw, ChainID: testChain, From: 1, L1To: [20]byte{1}, Amount: 7, Fee: 500, Nonce: 2, Sponsored: true, Sponsor: sponsorIdx},
		{Type: vm.TxTransfer, ChainID: testChain, From: 1, To: 2, Amount: 1000, Fee: 600, Nonce: 3, Sponsored: true, Sponsor: sponsorIdx},
		{Type: vm.TxTransfer, ChainID: testChain, From: 1, To: 2, Amount: 1000, Fee: 100, Nonce: 4},
	} {
		if err := tx.Sign(user); err != nil {
			f.Fatal(err)
		}
		b, _ := json.Marshal(tx)
		f.Add(b)
		if i == 0 {
			tx.SponsorSig[0] = 1
			b, _ := json.Marshal(tx)
			f.Add(b)
		}
	}
	f.Add([]byte(`{"type":"transfer"}`))
	f.Add([]byte(`not json`))

	codes := map[client.SponsorCode]bool{client.SponsorBudget: true, client.SponsorRate: true, client.SponsorType: true,
		client.SponsorAccount: true, client.SponsorFee: true, client.SponsorSignature: true, client.SponsorNonce: true,
		client.SponsorMalformed: true, client.SponsorChain: true}
	f.Fuzz(func(t *testing.T, body []byte) {
		rec := httptest.NewRecorder()
		svc.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/sponsor", bytes.NewReader(body)))
		if rec.Code != http.StatusOK {
			var ref client.SponsorRefusal
			if err := json.Unmarshal(rec.Body.Bytes(), &ref); err != nil || !codes[ref.Code] || ref.Reason == "" || statusOf(ref.Code) != rec.Code && rec.Code != http.StatusRequestEntityTooLarge {
				t.Fatalf("HTTP %d %s: not a refusal (%v)", rec.Code, rec.Body, err)
			}
			return
		}
		var res client.SponsorResult
		if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil || res.Tx == nil {
			t.Fatalf("200 %s: %v", rec.Body, err)
		}
		tx := res.Tx
		if !tx.VerifySponsorSignature(sponsorPub) || !tx.VerifySignature(userPub) || tx.Hash() != res.Hash {
			t.Fatalf("signed %s without good signatures", rec.Body)
		}
		if tx.Fee > pol.MaxFee || !pol.AllowsType(tx.Type) || !pol.AllowsAccount(tx.From) || tx.ChainID != testChain || tx.Sponsor != sponsorIdx {
			t.Fatalf("signed %s, which the policy does not pay for", rec.Body)
		}
		if spent, _ := svc.ledger.Spent(now); spent > pol.DailyBudget {
			t.Fatalf("spent %d of %d", spent, pol.DailyBudget)
		}
	})
}
