// keel.mjs: Keel's client API for JavaScript, in the browser and under
// Node 20. Keys, key files and signatures are made by Keel's own Go code
// (package vm) compiled to WebAssembly, keel.wasm.gz beside this file, so
// Poseidon2 and EdDSA exist once, in Go, and a signature made here is one
// the sequencer and the circuit accept. A dapp on ethers or viem needs
// nothing else: no Go, no npm package.
//
//	import { load } from "./keel.mjs";
//	const keel = await load();
//	const key = keel.generateKey();
//	const { tx, hash } = keel.signTransfer({ chainId: "901", from: 5, to: 7,
//	  amount: "1000000", fee: "1000", nonce: 0, privateKey: key.privateKey });
//	await keel.sendTransaction("http://127.0.0.1:8545", tx);
//
// 64-bit quantities (chain id, amounts, fees) are decimal strings, in and
// out, as in the node's JSON-RPC: a JavaScript number loses precision above
// 2^53. A bigint or a safe-integer number is accepted in their place.
// Account indexes and nonces are 32-bit and may be numbers. Keys and
// signatures are 0x-prefixed hex. Every function throws an Error whose
// message says what was wrong with which argument.

const isNode = typeof process !== "undefined" && typeof process.versions?.node === "string";

/**
 * A Keel L2 key pair as 0x-prefixed hex. privateKey is the secret (96 bytes,
 * gnark-crypto's encoding); keep it only inside a key file (encryptKey).
 * publicKey is the 32-byte compressed key that names the account.
 * @typedef {{privateKey: string, publicKey: string}} Key
 */

/**
 * A 64-bit quantity: a decimal string such as "1000000", a bigint, or a
 * number no larger than Number.MAX_SAFE_INTEGER.
 * @typedef {string | bigint | number} Uint64
 */

/**
 * A signed transaction: tx is its JSON form exactly as the node's
 * keel_sendTransaction takes it, and hash its hash, which the node returns
 * and keel_getTransactionReceipt looks up.
 * @typedef {{tx: object, hash: string}} Signed
 */

/**
 * load starts the WebAssembly module and returns the API. Call it once and
 * keep the result: each call starts another instance of the module.
 *
 * By default it fetches keel.wasm.gz from beside this file (the browser
 * gets it decompressed, as Keel's server sends it with Content-Encoding
 * gzip) or, under Node, reads it from disk. wasm_exec.js, Go's loader, is
 * imported from beside this file too, unless a script tag loaded it first.
 *
 * @param {object} [options]
 * @param {BufferSource | URL | string} [options.wasm] the module itself,
 *   raw or gzipped, or where to get it: a URL (fetched; under Node a file:
 *   URL or a path is read from disk) for a bundler or a CDN that moves it.
 * @returns the API: the functions below, all synchronous but the two that
 *   talk to a node.
 */
export async function load(options = {}) {
  if (typeof globalThis.Go !== "function") {
    await import(new URL("./wasm_exec.js", import.meta.url).href);
  }
  const bytes = await wasmBytes(options.wasm ?? new URL("./keel.wasm.gz", import.meta.url));
  const go = new globalThis.Go();
  const { instance } = await WebAssembly.instantiate(bytes, go.importObject);
  // run returns when the Go program exits, which it never does; its
  // main has registered keelWasm by the time run gives control back.
  go.run(instance);
  const raw = globalThis.keelWasm;
  if (go.exited || raw?.ready !== true) {
    throw new Error("keel.wasm did not start (is it Keel's wasm/keel module, built by the same Go as wasm_exec.js?)");
  }
  const fn = (name) => (...args) => {
    const r = raw[name](...args.map(plain));
    if (r instanceof Error) throw new Error(r.message);
    return r;
  };
  return {
    /**
     * generateKey makes a fresh key from the platform's secure random source.
     * @type {() => Key}
     */
    generateKey: fn("generateKey"),
    /**
     * importKey checks a private key and returns it with its public key.
     * @type {(privateKey: string) => Key}
     */
    importKey: fn("importKey"),
    /**
     * derivationMessage is the text to personal_sign with an Ethereum
     * account (window.ethereum, ethers' signMessage, viem's signMessage)
     * to derive its Keel key on the chain; pass the signature to deriveKey.
     * @type {(chainId: Uint64) => string}
     */
    derivationMessage: fn("derivationMessage"),
    /**
     * deriveKey turns the 65-byte signature of derivationMessage into the
     * Keel key, the same one `keel account derive` makes. A wallet signing
     * deterministically (RFC 6979: MetaMask, geth, ethers) always yields
     * the same key, so the user keeps only the Ethereum secret.
     * @type {(ethSignature: string) => Key}
     */
    deriveKey: fn("deriveKey"),
    /**
     * encryptKey returns a password-encrypted key file (JSON text, geth's
     * keystore crypto at the light scrypt cost a page can afford), which
     * `keel account` opens too.
     * @type {(privateKey: string, password: string) => string}
     */
    encryptKey: fn("encryptKey"),
    /**
     * decryptKey opens a key file; a wrong password throws an Error whose
     * message contains "wrong password".
     * @type {(keyFile: string, password: string) => Key}
     */
    decryptKey: fn("decryptKey"),
    /**
     * signTransfer signs a transfer from account `from` to account `to`.
     * It throws on what the node would refuse without looking at state: a
     * zero amount, an amount or fee the public data cannot carry (the
     * message names the nearest one it can), a transfer to oneself.
     * With `sponsor`, an account index, the sponsor pays the fee: pass
     * the result to sponsor() for its co-signature, then send that.
     * @type {(o: {chainId: Uint64, from: number, to: number, amount: Uint64,
     *   fee: Uint64, nonce: number, privateKey: string, sponsor?: number}) => Signed}
     */
    signTransfer: fn("signTransfer"),
    /**
     * signWithdraw signs a withdrawal from account `from` to the L1 address
     * l1To, which the bridge pays once the batch is proven on L1. A
     * mixed-case l1To must carry a valid EIP-55 checksum.
     * `sponsor` as for signTransfer.
     * @type {(o: {chainId: Uint64, from: number, l1To: string, amount: Uint64,
     *   fee: Uint64, nonce: number, privateKey: string, sponsor?: number}) => Signed}
     */
    signWithdraw: fn("signWithdraw"),
    /**
     * depositCalldata returns the calldata of Rollup.deposit(bytes32) for
     * the key: send it to the Rollup contract with the amount as value
     * (whole gwei) to fund the key's account, which the deposit creates.
     * @type {(publicKey: string) => string}
     */
    depositCalldata: fn("depositCalldata"),
    /**
     * sendTransaction sends a signed transaction (a Signed, or its tx) to a
     * node's JSON-RPC endpoint and returns its hash. The node's refusal
     * throws an Error with the node's message (and its code and data).
     * @type {(rpcUrl: string | URL, tx: object | Signed) => Promise<string>}
     */
    /**
     * sponsorInfo reads a fee sponsor's terms (`keel sponsor serve`): its
     * account (pass it as `sponsor` when signing), chain, max fee and the
     * types it pays for.
     * @type {(sponsorUrl: string | URL) => Promise<object>}
     */
    sponsorInfo: async (sponsorUrl) => sponsorCall(sponsorUrl, "info"),
    /**
     * sponsor asks a fee sponsor to co-sign a transaction signed with
     * `sponsor` set, and returns the co-signed {tx, hash}, ready for
     * sendTransaction. A refusal throws an Error with the sponsor's reason
     * and its code (budget, rate, fee, ...) in `code`.
     * @type {(sponsorUrl: string | URL, tx: object | Signed) => Promise<Signed>}
     */
    sponsor: async (sponsorUrl, tx) => sponsorCall(sponsorUrl, "sponsor", tx?.tx && tx?.hash ? tx.tx : tx),
    sendTransaction: async (rpcUrl, tx) => rpc(rpcUrl, "keel_sendTransaction", [tx?.tx && tx?.hash ? tx.tx : tx]),
    /**
     * getAccount returns the node's soft-confirmed account at an index
     * (kind "empty" for an unused one): its key, balance and next nonce.
     * @type {(rpcUrl: string | URL, index: number) => Promise<object>}
     */
    getAccount: async (rpcUrl, index) => {
      const i = Number(index);
      if (!Number.isInteger(i) || i < 0 || i > 0xffffffff) {
        throw new Error(`getAccount: index: ${index} is not an account index (0 to 2^32-1)`);
      }
      return rpc(rpcUrl, "keel_getAccount", [i]);
    },
  };
}

// plain turns bigints, which Go's syscall/js cannot take, into decimal
// strings, in arguments and in an options object's values.
function plain(v) {
  if (typeof v === "bigint") return v.toString();
  if (v !== null && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, typeof x === "bigint" ? x.toString() : x]));
  }
  return v;
}

async function wasmBytes(src) {
  let bytes;
  if (src instanceof ArrayBuffer || ArrayBuffer.isView(src)) {
    bytes = src;
  } else if (isNode && (!/^[a-z][a-z0-9+.-]+:/i.test(String(src)) || String(src).startsWith("file:"))) {
    const { readFile } = await import("node:fs/promises");
    bytes = await readFile(src instanceof URL || String(src).startsWith("file:") ? new URL(src) : src);
  } else {
    const res = await fetch(src);
    if (!res.ok) throw new Error(`fetch ${src}: HTTP ${res.status}`);
    bytes = await res.arrayBuffer();
  }
  const u8 = bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // Still gzipped when read from disk, or served without Content-Encoding.
  if (u8[0] === 0x1f && u8[1] === 0x8b) {
    return new Response(new Blob([u8]).stream().pipeThrough(new DecompressionStream("gzip"))).arrayBuffer();
  }
  return u8;
}

// sponsorCall GETs path of a fee sponsor's API, or POSTs body to it, and
// returns the answer; a refusal throws with the sponsor's reason and code.
async function sponsorCall(sponsorUrl, path, body) {
  let url;
  try {
    url = new URL(path, String(sponsorUrl).replace(/\/*$/, "/"));
  } catch {
    throw new Error(`sponsor: ${sponsorUrl} is not a URL (want e.g. http://127.0.0.1:8650)`);
  }
  let res;
  try {
    res = await fetch(url, body === undefined ? {} : { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  } catch (e) {
    throw new Error(`sponsor: cannot reach ${url}: ${e.cause?.message ?? e.message}`);
  }
  let answer;
  try {
    answer = await res.json();
  } catch {
    throw new Error(`sponsor: ${url} answered HTTP ${res.status} without JSON: is it a keel sponsor?`);
  }
  if (!res.ok) {
    const err = new Error(`sponsor refused (${answer?.code ?? res.status}): ${answer?.error ?? `HTTP ${res.status}`}`);
    err.code = answer?.code;
    throw err;
  }
  return answer;
}

// rpc makes one JSON-RPC 2.0 call over HTTP POST.
async function rpc(rpcUrl, method, params) {
  let url;
  try {
    url = new URL(rpcUrl);
  } catch {
    throw new Error(`${method}: rpcUrl: ${rpcUrl} is not a URL (want e.g. http://127.0.0.1:8545)`);
  }
  let res, text;
  try {
    res = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
    });
    text = await res.text();
  } catch (e) {
    throw new Error(`the Keel node at ${url} is unreachable: ${e.cause?.message ?? e.message}`, { cause: e });
  }
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`the Keel node at ${url} answered HTTP ${res.status}, not JSON-RPC: ${text.slice(0, 200)}`);
  }
  if (body?.error) {
    const err = new Error(body.error.message ?? JSON.stringify(body.error));
    err.code = body.error.code;
    err.data = body.error.data;
    throw err;
  }
  if (!body || !("result" in body)) {
    throw new Error(`the Keel node at ${url} answered HTTP ${res.status} without a JSON-RPC result`);
  }
  return body.result;
}
