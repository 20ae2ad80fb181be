package node_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/keel-rollup/keel/client"
	"github.com/keel-rollup/keel/vm"
	"github.com/stretchr/testify/require"
)

// chromium finds Debian's chromium (.ci/run installs it). Without it the
// browser tests skip, except in CI, where they must run.
func chromium(t *testing.T) string {
	for _, p := range []string{"chromium", "chromium-browser"} {
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium is not installed (apt-get install chromium); CI runs the browser tests")
	}
	t.Skip("chromium is not installed (apt-get install chromium)")
	return ""
}

// browser is a headless chromium tab for the tests.
type browser struct {
	t     *testing.T
	ctx   context.Context
	shots string
}

func newBrowser(t *testing.T, ctx context.Context) *browser {
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromium(t)), chromedp.NoSandbox, chromedp.WindowSize(1280, 1000))
	alloc, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	tab, cancelTab := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancelTab(); cancelAlloc() })
	// The first action on the tab's own context starts the browser: one
	// on a derived context with a timeout would close it when cancelled.
	require.NoError(t, chromedp.Do(tab), "start chromium")
	shots := os.Getenv("KEEL_SCREENSHOTS")
	if shots == "" {
		shots = t.TempDir()
	}
	require.NoError(t, os.MkdirAll(shots, 0o755))
	return &browser{t: t, ctx: tab, shots: shots}
}

func (b *browser) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 2*time.Minute)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		page, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string]("document.body.innerText"))
		b.t.Fatalf("%s: %v; the page says:\n%s", what, err, page)
	}
}

func (b *browser) text(sel string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(sel)))
	require.NoError(b.t, err, sel)
	return s
}

// until polls a JavaScript condition on the page.
func (b *browser) until(what, cond string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 3*time.Minute)
	defer cancel()
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](cond, chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(0)))
	if err != nil {
		page, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string]("document.body.innerText"))
		b.t.Fatalf("waiting for %s: %v; the page says:\n%s", what, err, page)
	}
}

func (b *browser) screenshot(name string) {
	b.t.Helper()
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(90))
	require.NoError(b.t, err)
	require.NoError(b.t, os.WriteFile(filepath.Join(b.shots, name), png, 0o644))
}

// TestExplorerAndWalletInBrowser drives the web app the node serves in a
// real headless chromium: the explorer loads; a transfer sent through the
// API appears and moves from sealed to finalized with no reload; a
// batch's page shows its decoded records; the wallet makes a key in the
// browser (WASM), is funded by an L1 deposit, and sends a transfer the
// node accepts and the explorer shows; a wrong password, a malformed
// account index and an unreachable node each say so on the page.
// Screenshots go to $KEEL_SCREENSHOTS when it is set.
func TestExplorerAndWalletInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("runs geth, proves batches and drives chromium; run without -short")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	cfg := testConfig(t, t.TempDir())
	n, c := startNode(t, ctx, cfg)
	dev := n.L1().DevAccounts()
	alice, bob := newUser(t, "explorer alice", dev[1].Key), newUser(t, "explorer bob", dev[2].Key)
	fundUsers(t, ctx, n, c, 1_000_000, alice, bob)
	base := n.RPCEndpoint()
	b := newBrowser(t, ctx)

	// The explorer loads, served by the node itself.
	b.do("open the explorer", chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.CSS("#head")))
	require.Contains(t, b.text(".conn"), "live")
	b.until("the exodus status from L1", `document.querySelector("#exodus")?.textContent.startsWith("not active")`)
	b.do("mark the page", chromedp.Evaluate[chromedp.Void]("window.__sameLoad = true"))

	// A transfer made outside the page moves to finalized on its page,
	// live.
	tx := &vm.Tx{Type: vm.TxTransfer, ChainID: cfg.ChainID, From: alice.index, To: bob.index, Amount: 1234, Fee: 1, Nonce: alice.nonce}
	hash := send(t, c, tx, alice.key)
	alice.nonce++
	b.do("open the transfer", chromedp.Evaluate[chromedp.Void](fmt.Sprintf("location.hash = '#/tx/%s'", hash.Hex())), chromedp.WaitVisible(chromedp.CSS("#tx-status")))
	b.until("the transfer is finalized on its page", `document.querySelector("#tx-status [data-status]")?.dataset.status === "finalized"`)
	seen := b.text("table:last-of-type")
	for _, s := range []string{"sequenced", "proven", "finalized"} {
		require.Contains(t, seen, s, "the page saw the transfer %s", s)
	}
	b.until("no reload", "window.__sameLoad === true")
	b.do("back to the chain", chromedp.Evaluate[chromedp.Void]("location.hash = '#/'"), chromedp.WaitVisible(chromedp.CSS("#head")))
	b.screenshot("chain.jpg")

	// The batch's page decodes its records.
	var r *client.Receipt
	require.NoError(t, c.Call(&r, "keel_getTransactionReceipt", hash))
	batch := uint64(*r.Batch)
	b.do("open the batch", chromedp.Evaluate[chromedp.Void](fmt.Sprintf("location.hash = '#/batch/%d'", batch)), chromedp.WaitVisible(chromedp.CSS("#ops")))
	ops := b.text("#ops")
	require.Contains(t, ops, "transfer")
	require.Contains(t, ops, fmt.Sprintf("to %d, 1234 gwei", bob.index))
	b.do("verify from L1", chromedp.Click(chromedp.CSS("#verify")))
	b.until("the verdict", `document.querySelector("#verdict")?.textContent.includes("Valid")`)
	b.screenshot("batch.jpg")

	// The wallet makes a key in the browser.
	b.do("open the wallet", chromedp.Evaluate[chromedp.Void]("location.hash = '#/wallet'"), chromedp.WaitVisible(chromedp.CSS("#create")))
	b.do("create a key", chromedp.SetValue(chromedp.CSS("#new-password"), "correct horse"), chromedp.Click(chromedp.CSS("#create button")), chromedp.WaitVisible(chromedp.CSS("#pubkey")))
	var pub vm.PublicKey
	require.NoError(t, pub.UnmarshalText([]byte(strings.TrimSpace(b.text("#pubkey")))), "the page shows a valid key")
	deposit(t, ctx, n.L1Client(), n.Deployment().Rollup, dev[3].Key, pub, 500_000)
	b.until("the deposit reaches the wallet", `document.querySelector("#wallet-balance")?.textContent === "500000 gwei" || (document.querySelector("#refresh")?.click(), false)`)
	time.Sleep(500 * time.Millisecond) // let a refresh still in flight redraw the forms first
	// Alice's application pays the wallet's fee: the page asks her sponsor
	// service, on another origin, for its co-signature.
	svc := startSponsor(t, ctx, n, cfg.ChainID, alice)
	b.do("send a sponsored transfer from the wallet", chromedp.SetValue(chromedp.CSS("#to"), fmt.Sprint(bob.index)), chromedp.SetValue(chromedp.CSS("#amount"), "2500"),
		chromedp.SetValue(chromedp.CSS("#fee"), "1"), chromedp.SetValue(chromedp.CSS("#sponsor"), svc.URL()),
		chromedp.Click(chromedp.CSS("#transfer button")), chromedp.WaitVisible(chromedp.CSS("#sent")))
	b.screenshot("wallet.jpg")
	sent := common.HexToHash(strings.TrimPrefix(strings.TrimSpace(b.text("#sent a")), ""))
	// Sealed (a receipt with its batch time), so that its fee has reached
	// the operator: until the seal, fees are in the batch's register.
	waitFor(t, ctx, "the wallet's transfer sealed", func() bool {
		var rr *client.Receipt
		require.NoError(t, c.Call(&rr, "keel_getTransactionReceipt", sent))
		require.NotNil(t, rr, "the node acknowledged the wallet's transfer")
		require.NotEqual(t, client.TxStatus("rejected"), rr.Status, rr.Error)
		require.NotNil(t, rr.FeePaidBy, "the wallet's transfer is sponsored")
		require.Equal(t, alice.index, *rr.FeePaidBy)
		return rr.Time != nil
	})
	require.EqualValues(t, 500_000-2500, balance(t, c, walletIndex(t, c, pub)), "the wallet paid the amount alone")
	b.do("the explorer shows it", chromedp.Click(chromedp.CSS("#sent a")), chromedp.WaitVisible(chromedp.CSS("#tx-status")))
	require.Contains(t, b.text("main"), "transfer")
	require.Contains(t, b.text("main"), fmt.Sprintf("sponsor %d", alice.index), "the transaction's page says who paid the fee")

	// Money is conserved: every deposit is in some balance.
	var total uint64
	for i := uint32(0); i < 1<<cfg.Depth; i++ {
		total += balance(t, c, i)
	}
	require.EqualValues(t, 1+2*1_000_000+500_000, total)

	// A wrong password and a malformed index say so.
	b.do("lock and reopen", chromedp.Evaluate[chromedp.Void]("location.hash = '#/wallet'"), chromedp.WaitVisible(chromedp.CSS("#lock")), chromedp.Click(chromedp.CSS("#lock")), chromedp.WaitVisible(chromedp.CSS("#unlock")))
	b.do("a wrong password", chromedp.SetValue(chromedp.CSS("#password"), "wrong horse"), chromedp.Click(chromedp.CSS("#unlock button")))
	b.until("the wrong-password message", `document.querySelector("#wallet-msg")?.textContent.includes("Wrong password")`)
	b.do("search a malformed index", chromedp.SetValue(chromedp.CSS("#q"), "12x"), chromedp.Click(chromedp.CSS("#search button")))
	b.until("the malformed-index message", `document.querySelector("#error")?.textContent.includes("is not an account index")`)
	b.do("search an index out of range", chromedp.SetValue(chromedp.CSS("#q"), "99999"), chromedp.Click(chromedp.CSS("#search button")))
	b.until("the out-of-range message", `document.querySelector("#error")?.textContent.includes("out of range")`)

	// An unreachable node.
	require.NoError(t, n.Stop(context.Background()))
	b.until("the unreachable message", `document.querySelector("#error")?.textContent.includes("unreachable")`)
}

// walletIndex is the account of key pub.
func walletIndex(t *testing.T, c *rpc.Client, pub vm.PublicKey) uint32 {
	var a *client.Account
	require.NoError(t, c.Call(&a, "keel_getAccountByKey", pub))
	require.NotNil(t, a)
	return a.Index
}
