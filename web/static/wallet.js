// wallet.js: the wallet page. Keys are made and used by Keel's own Go code
// compiled to WebAssembly (keel.mjs), loaded only here; the key is kept
// in localStorage encrypted under the user's password (a geth keystore
// file, scrypt at the light cost a browser can afford).
import { load } from "./keel.mjs";

const STORE = "keel.wallet"; // {keystore, publicKey}

let keel = null;
let unlocked = null; // {privateKey, publicKey}

export async function walletView(view, { call, h, showError }) {
  const msg = h("div", { id: "wallet-msg" });
  const say = (text, bad) => msg.replaceChildren(h("p", { class: "msg" + (bad ? " bad" : "") }, text));
  const body = h("div");
  view.replaceChildren(h("h1", {}, "Wallet"), msg, body);
  if (!keel) {
    body.replaceChildren(h("p", { class: "muted" }, "loading Keel's signing module (WebAssembly)…"));
    keel = await load();
  }
  const info = await call("keel_chainInfo");
  const chainId = String(parseInt(info.chainId, 16));
  const stored = JSON.parse(localStorage.getItem(STORE) || "null");

  const keep = (k, password) => {
    localStorage.setItem(STORE, JSON.stringify({ keystore: keel.encryptKey(k.privateKey, password), publicKey: k.publicKey }));
    unlocked = k;
    show();
  };
  const field = (id, label, type = "text") => [h("label", { for: id }, label), h("input", { id, type, autocomplete: "off" })];
  const val = (id) => document.getElementById(id).value.trim();
  const guard = (f) => async (ev) => { ev.preventDefault(); try { msg.replaceChildren(); await f(); } catch (e) { say(e.message, true); } };

  function setup() {
    const forms = [
      h("form", { class: "stack", id: "create", onsubmit: guard(async () => {
        if (val("new-password").length < 8) throw new Error("Choose a password of at least 8 characters.");
        keep(keel.generateKey(), val("new-password"));
      }) }, h("b", {}, "Create a key"), ...field("new-password", "password", "password"), h("button", {}, "Create")),
      h("form", { class: "stack", id: "import", onsubmit: guard(async () => {
        keep(keel.importKey(val("import-key")), val("import-password"));
      }) }, h("b", {}, "Import a key"), ...field("import-key", "private key (0x…)"), ...field("import-password", "password", "password"), h("button", {}, "Import")),
    ];
    if (window.ethereum) {
      forms.push(h("form", { class: "stack", id: "derive", onsubmit: guard(async () => {
        const [from] = await window.ethereum.request({ method: "eth_requestAccounts" });
        const text = keel.derivationMessage(chainId);
        const sig = await window.ethereum.request({ method: "personal_sign", params: [toHex(text), from] });
        keep(keel.deriveKey(sig), val("derive-password"));
      }) }, h("b", {}, "Derive from your Ethereum account"), h("p", { class: "muted" }, "the same key as keel account derive"), ...field("derive-password", "password", "password"), h("button", {}, "Sign and derive")));
    }
    body.replaceChildren(...forms);
  }

  function unlock() {
    body.replaceChildren(h("form", { class: "stack", id: "unlock", onsubmit: guard(async () => {
      try { unlocked = keel.decryptKey(stored.keystore, val("password")); } catch (e) {
        throw new Error(/wrong password/i.test(e.message) ? "Wrong password: the stored key did not decrypt." : e.message);
      }
      show();
    }) }, h("b", {}, "Unlock"), h("span", { class: "mono" }, stored.publicKey), ...field("password", "password", "password"), h("button", {}, "Unlock")),
    h("p", {}, h("button", { id: "forget", onclick: () => { if (confirm("Forget the stored key? Without its backup it is gone.")) { localStorage.removeItem(STORE); unlocked = null; setup(); } } }, "Forget this key")));
  }

  async function show() {
    const me = unlocked;
    const acct = await call("keel_getAccountByKey", me.publicKey);
    const send = async (tx) => {
      const hash = await call("keel_sendTransaction", tx);
      // Redraw with the account as the node now has it: the next
      // transaction signs the next nonce.
      await show();
      msg.replaceChildren(h("p", { class: "msg", id: "sent" }, "Sent: ", h("a", { href: `#/tx/${hash}`, class: "mono" }, hash)));
    };
    const nonce = () => acct ? String(acct.nonce) : "0";
    const parts = [
      h("table", {}, h("tr", {}, h("th", {}, "key"), h("td", { class: "mono", id: "pubkey" }, me.publicKey)),
        h("tr", {}, h("th", {}, "account"), h("td", { id: "account" }, acct ? h("a", { href: `#/account/${acct.index}` }, acct.index) : "none yet: deposit to create it")),
        h("tr", {}, h("th", {}, "balance"), h("td", { id: "wallet-balance" }, acct ? `${acct.balance} gwei` : "0"))),
      h("button", { id: "refresh", onclick: () => show() }, "refresh"),
    ];
    // With a sponsor's URL (keel sponsor serve), the sponsor pays the fee:
    // the wallet signs naming the sponsor's account, gets the sponsor's
    // co-signature, and sends that.
    const signAndSend = async (sign, opts, sponsorUrl) => {
      if (!sponsorUrl) return send(sign(opts).tx);
      const terms = await keel.sponsorInfo(sponsorUrl);
      const { tx } = await keel.sponsor(sponsorUrl, sign({ ...opts, sponsor: terms.sponsor }));
      await send(tx);
    };
    if (acct) {
      parts.push(h("h2", {}, "Transfer"), h("form", { class: "stack", id: "transfer", onsubmit: guard(async () => {
        await signAndSend(keel.signTransfer, { chainId, from: acct.index, to: Number(val("to")), amount: val("amount"), fee: val("fee") || info.minFee, nonce: nonce(), privateKey: me.privateKey }, val("sponsor"));
      }) }, ...field("to", "to account"), ...field("amount", "amount (gwei)"), ...field("fee", `fee (gwei, at least ${info.minFee})`),
      ...field("sponsor", "sponsor URL (optional: an application pays the fee)"), h("button", {}, "Sign and send")));
      parts.push(h("h2", {}, "Withdraw to L1"), h("form", { class: "stack", id: "withdraw", onsubmit: guard(async () => {
        await signAndSend(keel.signWithdraw, { chainId, from: acct.index, l1To: val("l1to"), amount: val("w-amount"), fee: val("w-fee") || info.minFee, nonce: nonce(), privateKey: me.privateKey }, val("w-sponsor"));
      }) }, ...field("l1to", "L1 address"), ...field("w-amount", "amount (gwei)"), ...field("w-fee", "fee (gwei)"),
      ...field("w-sponsor", "sponsor URL (optional)"), h("button", {}, "Sign and send")));
    }
    const data = keel.depositCalldata(me.publicKey);
    const dep = [h("h2", {}, "Deposit from L1"), h("p", {}, "Send ETH to the Rollup ", h("span", { class: "mono" }, info.rollup), " with data ", h("span", { class: "mono", id: "calldata" }, data))];
    if (window.ethereum) {
      dep.push(h("form", { class: "stack", id: "deposit", onsubmit: guard(async () => {
        const [from] = await window.ethereum.request({ method: "eth_requestAccounts" });
        const wei = BigInt(val("d-amount")) * 1000000000n;
        const txh = await window.ethereum.request({ method: "eth_sendTransaction", params: [{ from, to: info.rollup, value: "0x" + wei.toString(16), data }] });
        say(`Deposit sent on L1: ${txh}`);
      }) }, ...field("d-amount", "amount (gwei)"), h("button", {}, "Deposit with your wallet")));
    }
    parts.push(...dep, h("p", {}, h("button", { id: "lock", onclick: () => { unlocked = null; unlock(); } }, "Lock")));
    body.replaceChildren(...parts);
  }

  if (unlocked) return show();
  if (stored) return unlock();
  setup();
}

function toHex(s) {
  return "0x" + Array.from(new TextEncoder().encode(s), (b) => b.toString(16).padStart(2, "0")).join("");
}
