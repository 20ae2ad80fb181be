// app.js: the explorer. Hash routes (#/, #/batches, #/batch/N,
// #/account/N, #/tx/HASH, #/channel/ID, #/wallet); every view reads the
// node through rpc.js and updates live from its subscriptions.
import { call, subscribe, onConnection } from "./rpc.js";

const view = document.getElementById("view");
const errorBox = document.getElementById("error");
const conn = document.getElementById("conn");
let cleanups = []; // unsubscribes of the current view

/** h builds an element: h("td", {class: "mono"}, "text", child...). */
export function h(tag, attrs = {}, ...kids) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of kids.flat()) if (c !== null && c !== undefined) el.append(c instanceof Node ? c : String(c));
  return el;
}

/** showError puts a message above the page; null clears it. */
export function showError(msg) {
  errorBox.hidden = !msg;
  errorBox.textContent = msg || "";
}

onConnection((state, detail) => {
  conn.className = "conn " + state;
  conn.textContent = state === "live" ? "live" : "unreachable";
  if (state === "down") showError(detail); else if (errorBox.textContent.startsWith("The Keel node")) showError(null);
});

const num = (x) => (typeof x === "string" && x.startsWith("0x") ? parseInt(x, 16) : Number(x));
const link = (href, text) => h("a", { href }, text);
const status = (s) => h("span", { class: "status " + s, "data-status": s }, s);
const time = (t) => (t ? new Date(num(t) * 1000).toLocaleString() : "");
const rows = (pairs) => h("table", {}, pairs.map(([k, v]) => h("tr", {}, h("th", {}, k), h("td", { class: "mono" }, v))));

function mount(...nodes) {
  cleanups.forEach((f) => f());
  cleanups = [];
  view.replaceChildren(...nodes);
}

async function live(kind, params, handler) {
  const stop = await subscribe(kind, params, handler);
  cleanups.push(stop);
}

// ---- chain ---------------------------------------------------------------

async function chainView() {
  const info = await call("keel_chainInfo");
  const cards = h("div", { class: "grid" });
  const setCards = (i) => cards.replaceChildren(
    h("div", { class: "card" }, "sealed", h("b", { id: "head" }, num(i.head))),
    h("div", { class: "card" }, "proven", h("b", { id: "proven" }, num(i.proven))),
    h("div", { class: "card" }, "finalized on L1", h("b", { id: "finalized" }, num(i.finalized))),
    h("div", { class: "card" }, "mempool", h("b", {}, i.pending)),
  );
  setCards(info);
  const recent = h("tbody");
  const txChart = h("div"); const latencyChart = h("div");
  const fleet = h("div");
  mount(
    h("h1", {}, "Chain ", h("span", { class: "muted" }, `#${num(info.chainId)}`)),
    cards,
    h("h2", {}, "Contracts"),
    rows([["L1 chain", num(info.l1ChainId)], ["Rollup", info.rollup], ["batch verifier", info.verifier],
      ["exit verifier", info.exitVerifier], ["verifying key (sha256)", info.vkHash], ["circuit", info.circuitHash],
      ["tree depth / batch slots", `${info.depth} / ${info.slots}`], ["operator account", link(`#/account/${info.operator}`, info.operator)],
      ["exodus", h("span", { id: "exodus" }, `possible after ${num(info.exodusDelay)} L1 blocks without a batch consuming a waiting deposit`)]]),
    h("h2", {}, "Charts"),
    h("div", { class: "charts" }, h("div", { class: "card" }, "transactions per batch", txChart), h("div", { class: "card" }, "seconds from sealed to proven (seen live)", latencyChart)),
    h("h2", {}, "Recent batches"),
    h("table", {}, h("thead", {}, h("tr", {}, h("th", {}, "batch"), h("th", {}, "status"), h("th", {}, "transactions"), h("th", {}, "time"))), recent),
    fleet,
  );
  if (info.fleet) {
    fleet.append(h("h2", {}, "Prover fleet"), h("p", { class: "muted" }, `${info.fleet.queued} queued, ${info.fleet.inFlight} proving, ${info.fleet.deadLetters} dead letters`),
      h("table", {}, h("tr", {}, h("th", {}, "worker"), h("th", {}, "busy / concurrency"), h("th", {}, "proofs"), h("th", {}, "last seen")),
        info.fleet.workers.map((w) => h("tr", {}, h("td", {}, w.name), h("td", {}, `${w.busy} / ${w.concurrency}`), h("td", {}, w.proofs), h("td", {}, new Date(w.lastSeen * 1000).toLocaleTimeString())))));
  }
  call("keel_exodusStatus").then((x) => {
    const el = document.getElementById("exodus");
    if (!el) return;
    el.textContent = x.active ? "ACTIVE: batches and deposits have stopped; users exit with keel exit"
      : x.canActivate ? "can be activated now: a deposit waited past the deadline"
      : x.waiting ? `not active; the oldest waiting deposit (L1 block ${x.oldestBlock}) must be consumed by block ${x.deadlineBlock}`
      : `not active; no deposit waits (delay ${x.delay} L1 blocks)`;
  }).catch(() => {});
  const head = num(info.head);
  const batches = [];
  for (let n = Math.max(1, head - 29); n <= head; n++) batches.push(call("keel_getBatch", n));
  const got = (await Promise.all(batches)).filter(Boolean);
  const rowOf = (b) => h("tr", { id: `batch-${num(b.number)}` }, h("td", {}, link(`#/batch/${num(b.number)}`, num(b.number))), h("td", {}, status(b.status)), h("td", {}, b.transactions.length), h("td", {}, time(b.time)));
  got.slice().reverse().slice(0, 10).forEach((b) => recent.append(rowOf(b)));
  const xs = got.map((b) => num(b.number)); const ys = got.map((b) => b.transactions.length);
  const plot = chart(txChart, "transactions", xs, ys);
  const sealedAt = new Map(); const lat = [[], []];
  const latPlot = chart(latencyChart, "seconds", [], []);
  await live("newBatches", [], (b) => {
    const n = num(b.number);
    const old = document.getElementById(`batch-${n}`);
    if (old) old.replaceWith(rowOf(b)); else recent.prepend(rowOf(b));
    while (recent.children.length > 10) recent.lastChild.remove();
    if (b.status === "sealed") { sealedAt.set(n, Date.now()); if (!xs.includes(n)) { xs.push(n); ys.push(b.transactions.length); plot?.setData([xs, ys]); } }
    if (b.status === "proven" && sealedAt.has(n)) { lat[0].push(n); lat[1].push((Date.now() - sealedAt.get(n)) / 1000); latPlot?.setData(lat); }
    call("keel_chainInfo").then(setCards).catch(() => {});
  });
}

function chart(el, label, xs, ys) {
  if (!window.uPlot) return null;
  return new window.uPlot({ width: 420, height: 160, scales: { x: { time: false } }, series: [{ label: "batch" }, { label, stroke: "#0b6bcb", fill: "#0b6bcb22" }] }, [xs, ys], el);
}

// ---- batches -------------------------------------------------------------

async function batchesView() {
  const info = await call("keel_chainInfo");
  const body = h("tbody");
  const head = num(info.head);
  const list = await Promise.all(Array.from({ length: Math.min(50, head) }, (_, i) => call("keel_getBatch", head - i)));
  const rowOf = (b) => h("tr", { id: `batch-${num(b.number)}` }, h("td", {}, link(`#/batch/${num(b.number)}`, num(b.number))), h("td", {}, status(b.status)),
    h("td", {}, b.transactions.length), h("td", { class: "mono" }, b.l1TxHash || ""), h("td", {}, time(b.time)));
  list.filter(Boolean).forEach((b) => body.append(rowOf(b)));
  mount(h("h1", {}, "Batches"), h("table", {}, h("thead", {}, h("tr", {}, h("th", {}, "batch"), h("th", {}, "status"), h("th", {}, "txs"), h("th", {}, "L1 transaction"), h("th", {}, "time"))), body));
  await live("newBatches", [], (b) => {
    const old = document.getElementById(`batch-${num(b.number)}`);
    if (old) old.replaceWith(rowOf(b)); else body.prepend(rowOf(b));
  });
}

async function batchView(n) {
  const b = await call("keel_getBatch", n);
  if (!b) return mount(h("h1", {}, `Batch ${n}`), h("p", { class: "msg bad" }, `Batch ${n} is not sealed yet.`));
  const st = h("span", { id: "batch-status" }, status(b.status));
  const l1 = h("span", {}, b.l1TxHash || "not submitted yet");
  const verdict = h("div", { id: "verdict" });
  const verify = h("button", { id: "verify", onclick: async () => {
    verdict.replaceChildren(h("p", { class: "muted" }, "verifying from L1 data alone…"));
    try {
      const v = await call("keel_verifyBatch", n);
      verdict.replaceChildren(h("p", { class: "msg " + (v.valid ? "" : "bad") }, v.valid ? "Valid: every check passed." : "INVALID"),
        h("table", {}, v.checks.map((c) => h("tr", {}, h("th", {}, c.name), h("td", {}, status(c.ok ? "ok" : "bad")), h("td", {}, c.detail)))));
    } catch (e) { verdict.replaceChildren(h("p", { class: "msg bad" }, e.message)); }
  } }, "Verify from L1");
  mount(
    h("h1", {}, `Batch ${n} `, st),
    rows([["time", time(b.time)], ["previous root", b.prevRoot], ["root", b.root], ["commitment (public input)", b.commitment],
      ["deposits consumed after", num(b.priorityCount)], ["fees", `${b.feeTotal} gwei`], ["L1 transaction", l1],
      ["proof", b.proof ? h("span", { id: "proof" }, b.proof) : "not proven yet"]]),
    h("h2", {}, "Public data, decoded"),
    h("table", { id: "ops" }, h("tr", {}, h("th", {}, "op"), h("th", {}, "account"), h("th", {}, "details")),
      b.operations.map((o) => h("tr", { class: "op" }, h("td", {}, o.op), h("td", {}, link(`#/account/${o.account}`, o.account)), h("td", {}, opDetails(o))))),
    h("h2", {}, "Transactions"),
    h("ul", {}, b.transactions.map((t) => h("li", { class: "mono" }, link(`#/tx/${t}`, t)))),
    h("h2", {}, "Check it yourself"), verify, verdict,
  );
  await live("newBatches", [], (e) => {
    if (num(e.number) !== n) return;
    st.replaceChildren(status(e.status));
    if (e.l1TxHash) l1.textContent = e.l1TxHash;
  });
}

function opDetails(o) {
  const parts = [];
  if (o.to !== undefined) parts.push(`to ${o.to}`);
  if (o.amount) parts.push(`${o.amount} gwei`);
  if (o.fee && o.fee !== "0") parts.push(o.feePaidBy !== undefined ? `fee ${o.fee} paid by sponsor ${o.feePaidBy}` : `fee ${o.fee}`);
  if (o.l1To) parts.push(`L1 ${o.l1To}`);
  if (o.channel !== undefined) parts.push(`channel leaf ${o.channel}`);
  if (o.amountB) parts.push(`B ${o.amountB}`);
  if (o.version) parts.push(`version ${o.version}`);
  if (o.position !== undefined) parts.push(`refund of the batch's deposit #${o.position}`);
  if (o.applied !== undefined) parts.push(o.applied ? "applied" : "not a valid challenge: consumed as a no-op");
  return parts.join(", ");
}

// ---- accounts, transactions, channels -------------------------------------

async function accountView(index) {
  const a = await call("keel_getAccount", index);
  const hist = h("tbody");
  const more = h("button", { id: "more" }, "older");
  let cursor = "";
  const load = async () => {
    const page = await call("keel_getAccountTransactions", index, 20, cursor);
    page.transactions.forEach((r) => hist.append(h("tr", {}, h("td", { class: "mono" }, link(`#/tx/${r.hash}`, r.hash.slice(0, 18) + "…")),
      h("td", {}, r.type), h("td", {}, status(r.status)), h("td", {}, r.batch ? link(`#/batch/${num(r.batch)}`, num(r.batch)) : ""), h("td", {}, time(r.time)))));
    cursor = page.next || "";
    more.hidden = !page.next;
  };
  more.addEventListener("click", load);
  mount(h("h1", {}, `Account ${index}`),
    rows([["kind", a.kind], ["key", a.pubKey || ""], ["balance", h("span", { id: "balance" }, `${a.balance} gwei`)], ["nonce", a.nonce], ["as of batch", num(a.batch)]]),
    h("h2", {}, "Transactions"),
    h("table", {}, h("tr", {}, h("th", {}, "hash"), h("th", {}, "type"), h("th", {}, "status"), h("th", {}, "batch"), h("th", {}, "time")), hist), more);
  await load();
}

async function txView(hash) {
  const r = await call("keel_getTransactionReceipt", hash);
  if (!r) return mount(h("h1", {}, "Transaction"), h("p", { class: "msg bad" }, `The node knows no transaction ${hash}.`));
  const seen = h("tbody");
  const st = h("span", { id: "tx-status" }, status(r.status));
  let last = null;
  const note = (x) => x.status !== last && (last = x.status, seen.append(h("tr", {}, h("td", {}, status(x.status)), h("td", {}, new Date().toLocaleTimeString()), h("td", {}, x.batch ? link(`#/batch/${num(x.batch)}`, `batch ${num(x.batch)}`) : ""), h("td", { class: "mono" }, x.l1TxHash || x.error || ""))));
  note(r);
  mount(h("h1", {}, "Transaction ", st),
    rows([["hash", hash], ["type", r.type], ["batch time", time(r.time)], ["channel", r.channel !== undefined ? r.channel : ""], ...(r.feePaidBy !== undefined ? [["fee paid by", `sponsor ${r.feePaidBy}`]] : [])]),
    h("h2", {}, "Its life, as this page saw it"),
    h("table", {}, h("tr", {}, h("th", {}, "status"), h("th", {}, "seen at"), h("th", {}, "batch"), h("th", {}, "L1 / error")), seen));
  if (r.status === "finalized" || r.status === "rejected") return;
  await live("txStatus", [hash], (e) => { st.replaceChildren(status(e.status)); note(e); });
}

async function channelView(id) {
  const c = await call("keel_getChannel", id);
  if (!c) return mount(h("h1", {}, `Channel ${id}`), h("p", { class: "msg bad" }, "No such open channel (never opened, not sealed yet, or settled)."));
  mount(h("h1", {}, `Channel ${id} `, status(c.status)),
    rows([["leaf", c.leaf], ["party A", link(`#/account/${c.a}`, c.a)], ["party B", link(`#/account/${c.b}`, c.b)], ["split", `${c.splitA} / ${c.splitB} of ${c.total}`],
      ["version", c.version ?? 0], ["challenge period", `${c.period} s`], ["deadline", c.deadline ? time(c.deadline) : ""]]));
}

// ---- search and routing ----------------------------------------------------

document.getElementById("search").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const q = document.getElementById("q").value.trim();
  try { location.hash = await resolve(q); showError(null); } catch (e) { showError(e.message); }
});

async function resolve(q) {
  let m;
  if ((m = /^(?:b|batch\s*)(\d+)$/i.exec(q))) return `#/batch/${m[1]}`;
  if ((m = /^ch(?:annel)?\s*(\d+)$/i.exec(q))) return `#/channel/${m[1]}`;
  if (/^\d+$/.test(q)) {
    const info = await call("keel_chainInfo");
    if (BigInt(q) >= 2n ** BigInt(info.depth)) throw new Error(`Account index ${q} is out of range: the tree holds accounts 0 to ${2 ** info.depth - 1}.`);
    return `#/account/${q}`;
  }
  if (/^0x[0-9a-fA-F]{64}$/.test(q)) {
    if (await call("keel_getTransactionReceipt", q)) return `#/tx/${q}`;
    const a = await call("keel_getAccountByKey", q).catch(() => null);
    if (a) return `#/account/${a.index}`;
    throw new Error(`${q} is neither a transaction nor the key of an account this node knows.`);
  }
  throw new Error(`"${q}" is not an account index, a key, a transaction hash or a batch number (write b12 for batch 12).`);
}

async function route() {
  const parts = location.hash.replace(/^#\/?/, "").split("/");
  try {
    switch (parts[0]) {
      case "": return await chainView();
      case "batches": return await batchesView();
      case "batch": return await batchView(Number(parts[1]));
      case "account": return await accountView(Number(parts[1]));
      case "tx": return await txView(parts[1]);
      case "channel": return await channelView(parts[1]);
      case "wallet": { const w = await import("./wallet.js"); cleanups.forEach((f) => f()); cleanups = []; return await w.walletView(view, { call, h, showError }); }
      default: mount(h("p", { class: "msg bad" }, `No page ${location.hash}.`));
    }
  } catch (e) { showError(e.message); }
}

window.addEventListener("hashchange", route);
route();
