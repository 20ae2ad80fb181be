// rpc.js: the node's JSON-RPC API over one WebSocket to the page's own
// origin, with subscriptions (newBatches, txStatus) and reconnection.

const listeners = new Set(); // (state, detail) => void, state "live" | "down"

/** onConnection registers f(state, detail) for connection changes. */
export function onConnection(f) { listeners.add(f); }

let ws = null;
let nextId = 1;
const pending = new Map(); // id -> {resolve, reject}
const subs = new Map(); // subscription id -> handler
const wanted = []; // {kind, params, handler, sub}: re-made after a reconnect
let opened = null;

function url() {
  const u = new URL(location.href);
  u.protocol = u.protocol === "https:" ? "wss:" : "ws:";
  u.pathname = "/"; u.hash = ""; u.search = "";
  return u.toString();
}

function connect() {
  if (opened) return opened;
  opened = new Promise((resolve) => {
    ws = new WebSocket(url());
    ws.onopen = async () => {
      listeners.forEach((f) => f("live"));
      resolve();
      for (const w of wanted) {
        try { await subscribeOnce(w); } catch (e) { /* reported by the caller's next call */ }
      }
    };
    ws.onmessage = (ev) => {
      const m = JSON.parse(ev.data);
      if (m.id !== undefined && pending.has(m.id)) {
        const p = pending.get(m.id);
        pending.delete(m.id);
        if (m.error) p.reject(new Error(m.error.message)); else p.resolve(m.result);
      } else if (m.method === "keel_subscription") {
        const h = subs.get(m.params.subscription);
        if (h) h(m.params.result);
      }
    };
    ws.onclose = () => {
      const why = `The Keel node at ${location.host} is unreachable (connection closed); retrying…`;
      listeners.forEach((f) => f("down", why));
      for (const p of pending.values()) p.reject(new Error(why));
      pending.clear();
      subs.clear();
      opened = null;
      setTimeout(connect, 2000);
    };
  });
  return opened;
}

/** call sends one JSON-RPC request and resolves with its result. */
export async function call(method, ...params) {
  await connect();
  return new Promise((resolve, reject) => {
    const id = nextId++;
    pending.set(id, { resolve, reject });
    ws.send(JSON.stringify({ jsonrpc: "2.0", id, method, params }));
  });
}

async function subscribeOnce(w) {
  const id = await call("keel_subscribe", w.kind, ...w.params);
  w.sub = id;
  subs.set(id, w.handler);
}

/** subscribe calls handler with every event of keel_subscribe(kind,
 * ...params), across reconnects, until the returned function is called. */
export async function subscribe(kind, params, handler) {
  const w = { kind, params, handler, sub: null };
  wanted.push(w);
  await subscribeOnce(w);
  return () => {
    wanted.splice(wanted.indexOf(w), 1);
    if (w.sub) { subs.delete(w.sub); call("keel_unsubscribe", w.sub).catch(() => {}); }
  };
}

connect();
