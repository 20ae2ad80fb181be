// Tests of keel.mjs, the JS API of Keel's WebAssembly module, under Node's
// own test runner: node --test web/test/
//
// They load web/static/keel.mjs and the committed keel.wasm.gz beside it,
// unless KEEL_MODULE names another keel.mjs: web/wasm_test.go points it at
// a copy beside a module freshly built from the current Go code, and sets
// KEEL_SIGNED_OUT to a path where the last test writes what the module
// signed, for the Go side to verify with package vm.

import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { readFile, writeFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";

const modulePath = process.env.KEEL_MODULE
  ? pathToFileURL(process.env.KEEL_MODULE)
  : new URL("../static/keel.mjs", import.meta.url);
const { load } = await import(modulePath.href);
const keel = await load();

const hex = (n) => new RegExp(`^0x[0-9a-f]{${2 * n}}$`);
const key = keel.generateKey();
const transferOpts = { chainId: "901", from: 5, to: 7, amount: "1000000", fee: "1000", nonce: 3, privateKey: key.privateKey };
const withdrawOpts = { chainId: "901", from: 5, l1To: "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", amount: "9007199254740993", fee: "1000", nonce: 4, privateKey: key.privateKey };

// serve answers every POST with reply(request) as JSON and returns the
// URL, the requests it got, and a close function.
async function serve(reply) {
  const requests = [];
  const server = createServer(async (req, res) => {
    let body = "";
    for await (const chunk of req) body += chunk;
    const r = JSON.parse(body);
    requests.push(r);
    res.setHeader("Content-Type", "application/json");
    res.end(JSON.stringify(reply(r)));
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const url = `http://127.0.0.1:${server.address().port}`;
  return { url, requests, close: () => new Promise((ok) => server.close(ok)) };
}

test("generateKey and importKey round trip", () => {
  assert.match(key.privateKey, hex(96));
  assert.match(key.publicKey, hex(32));
  assert.deepEqual(keel.importKey(key.privateKey), key);
  assert.deepEqual(keel.importKey(key.privateKey.slice(2)), key, "hex without 0x");
  assert.notEqual(keel.generateKey().privateKey, key.privateKey);
});

test("signTransfer writes the node's transaction JSON", () => {
  const { tx, hash } = keel.signTransfer(transferOpts);
  assert.deepEqual(Object.keys(tx), ["type", "chainId", "from", "to", "amount", "fee", "nonce", "signature"]);
  assert.equal(tx.type, "transfer");
  assert.equal(tx.chainId, "901");
  assert.equal(tx.from, 5);
  assert.equal(tx.to, 7);
  assert.equal(tx.amount, "1000000");
  assert.equal(tx.fee, "1000");
  assert.equal(tx.nonce, 3);
  assert.match(tx.signature, hex(64));
  assert.match(hash, hex(32));

  // A bigint or a safe number is the same quantity as its decimal string.
  const same = keel.signTransfer({ ...transferOpts, chainId: 901n, amount: 1000000, fee: 1000n, from: "5" });
  assert.deepEqual({ ...same.tx, signature: "" }, { ...tx, signature: "" });
});

test("signWithdraw keeps 64-bit amounts exact", () => {
  const { tx } = keel.signWithdraw(withdrawOpts);
  assert.deepEqual(Object.keys(tx), ["type", "chainId", "from", "l1To", "amount", "fee", "nonce", "signature"]);
  assert.equal(tx.type, "withdraw");
  assert.equal(tx.l1To, "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed");
  assert.equal(tx.amount, "9007199254740993", "2^53 + 1, which a JavaScript number cannot hold");
  assert.equal(tx.nonce, 4);
});

test("encryptKey and decryptKey round trip; a wrong password throws", () => {
  const file = keel.encryptKey(key.privateKey, "correct horse");
  assert.equal(JSON.parse(file).pubkey, key.publicKey);
  assert.deepEqual(keel.decryptKey(file, "correct horse"), key);
  assert.throws(() => keel.decryptKey(file, "battery staple"), /wrong password/);
  assert.throws(() => keel.decryptKey("{}", "x"), /decryptKey: .*key file/);
});

test("bad input throws an Error that says what was wrong", () => {
  const cases = [
    ["malformed key hex", () => keel.importKey("0xzz"), /importKey: privateKey: "0xzz" is not hex/],
    ["short key", () => keel.importKey("0x1234"), /privateKey: .*private key is 2 bytes, want 96/],
    ["key not a string", () => keel.importKey(42), /privateKey: want a string, got number/],
    ["amount abc", () => keel.signTransfer({ ...transferOpts, amount: "abc" }), /signTransfer: amount: "abc" is not a decimal uint64/],
    ["zero amount", () => keel.signTransfer({ ...transferOpts, amount: "0" }), /signTransfer: zero amount/],
    ["unpackable amount", () => keel.signTransfer({ ...transferOpts, amount: "1234567" }), /amount not representable.*nearest is 1234560/],
    ["overflow", () => keel.signWithdraw({ ...withdrawOpts, amount: "18446744073709551615" }), /overflow/],
    ["unsafe number", () => keel.signTransfer({ ...transferOpts, amount: 2 ** 53 + 2 }), /amount: .* is not a safe non-negative integer; pass 64-bit quantities as decimal strings/],
    ["missing option", () => keel.signTransfer({ ...transferOpts, to: undefined }), /to: want a decimal string, got nothing \(missing\)/],
    ["misspelt option", () => keel.signTransfer({ ...transferOpts, ammount: "5" }), /unknown option "ammount"/],
    ["transfer option in a withdrawal", () => keel.signWithdraw({ ...withdrawOpts, to: 7 }), /signWithdraw: unknown option "to"/],
    ["self transfer", () => keel.signTransfer({ ...transferOpts, to: 5 }), /transfer to self/],
    ["bad checksum", () => keel.signWithdraw({ ...withdrawOpts, l1To: "0x5AAeb6053F3E94C9b9A09f33669435E7Ef1BeAed" }), /l1To: .*bad EIP-55 checksum/],
    ["zero address", () => keel.signWithdraw({ ...withdrawOpts, l1To: "0x" + "00".repeat(20) }), /zero address/],
    ["no options", () => keel.signTransfer(), /takes 1 argument/],
    ["short signature", () => keel.deriveKey("0x1234"), /deriveKey: signature: .*65/],
    ["invalid deposit key", () => keel.depositCalldata("0x" + "11".repeat(32)), /depositCalldata: publicKey: .*not on the curve/],
    ["empty password", () => keel.encryptKey(key.privateKey, ""), /password: empty/],
  ];
  for (const [name, f, want] of cases) {
    assert.throws(f, (e) => e instanceof Error && want.test(e.message), name);
  }
  // A refusal leaves the module working.
  assert.equal(keel.importKey(key.privateKey).publicKey, key.publicKey);
});

test("deriveKey is deterministic and ignores v", () => {
  const sig = "0x" + "11".repeat(32) + "22".repeat(32) + "1b";
  const k = keel.deriveKey(sig);
  // vm.DeriveKeyFromSignature's key for this signature: a change here
  // changes every derived account key (web/wasm_test.go checks the two
  // agree).
  assert.equal(k.publicKey, "0x33bd3053c76ebd0e0780464514114e05aa2c9cc85814c98d1034af117d9fd92b");
  assert.deepEqual(keel.deriveKey(sig), k);
  assert.deepEqual(keel.deriveKey(sig.slice(0, -2) + "00"), k, "v is 27/28 or 0/1 depending on the wallet");
  assert.notEqual(keel.deriveKey("0x" + "33".repeat(64) + "1b").publicKey, k.publicKey);
  assert.match(keel.derivationMessage("901"), /Keel L2 key derivation[\s\S]*Chain ID: 901$/);
});

test("depositCalldata is deposit(bytes32) of the compressed key", () => {
  // keccak256("deposit(bytes32)")[:4]; web/wasm_test.go checks the whole
  // calldata against l1contracts' ABI binding.
  assert.equal(keel.depositCalldata(key.publicKey), "0xb214faa5" + key.publicKey.slice(2));
});

test("sendTransaction to an unreachable node throws", async () => {
  const { tx } = keel.signTransfer(transferOpts);
  await assert.rejects(keel.sendTransaction("http://127.0.0.1:1", tx), /the Keel node at http:\/\/127\.0\.0\.1:1\/ is unreachable/);
  // A port that refuses the connection, not one fetch refuses to try.
  const { url, close } = await serve(() => ({}));
  await close();
  await assert.rejects(keel.sendTransaction(url, tx), /is unreachable/);
  await assert.rejects(keel.sendTransaction("not a url", tx), /rpcUrl: not a url is not a URL/);
});

test("sendTransaction posts JSON-RPC and returns the node's answer or error", async () => {
  const signed = keel.signTransfer(transferOpts);
  const ok = await serve((r) => ({ jsonrpc: "2.0", id: r.id, result: signed.hash }));
  try {
    assert.equal(await keel.sendTransaction(ok.url, signed), signed.hash, "a Signed");
    assert.equal(await keel.sendTransaction(ok.url, signed.tx), signed.hash, "its tx");
    for (const r of ok.requests) {
      assert.deepEqual(r, { jsonrpc: "2.0", id: 1, method: "keel_sendTransaction", params: [signed.tx] });
    }
  } finally {
    await ok.close();
  }

  const refused = await serve((r) => ({ jsonrpc: "2.0", id: r.id, error: { code: -32000, message: "sequencer: nonce too low" } }));
  try {
    await assert.rejects(keel.sendTransaction(refused.url, signed.tx), (e) => e.message === "sequencer: nonce too low" && e.code === -32000);
  } finally {
    await refused.close();
  }
});

test("getAccount calls keel_getAccount", async () => {
  const account = { index: 5, kind: "account", publicKey: key.publicKey, balance: "100", nonce: 3 };
  const s = await serve((r) => ({ jsonrpc: "2.0", id: r.id, result: account }));
  try {
    assert.deepEqual(await keel.getAccount(s.url, 5), account);
    assert.deepEqual(s.requests[0].params, [5]);
    await assert.rejects(keel.getAccount(s.url, -1), /index: -1 is not an account index/);
  } finally {
    await s.close();
  }
});

test("load takes the module's bytes", async () => {
  const gz = await readFile(new URL("keel.wasm.gz", modulePath));
  const other = await load({ wasm: gz });
  assert.equal(other.importKey(key.privateKey).publicKey, key.publicKey);
  // The first instance still works beside the second.
  assert.equal(keel.importKey(key.privateKey).publicKey, key.publicKey);
});

test("a sponsored transaction names its sponsor, and sponsor() gets the co-signature", async () => {
  const signed = keel.signTransfer({ ...transferOpts, sponsor: 9 });
  assert.equal(signed.tx.sponsor, 9);
  assert.equal(signed.tx.sponsorSignature, undefined, "the sponsor signs after the sender");
  assert.notEqual(signed.hash, keel.signTransfer(transferOpts).hash);
  assert.throws(() => keel.signTransfer({ ...transferOpts, sponsor: -1 }), /sponsor/);

  // A sponsor service as keel sponsor serve answers.
  const seen = [];
  const server = createServer(async (req, res) => {
    let body = "";
    for await (const chunk of req) body += chunk;
    seen.push([req.method, req.url]);
    res.setHeader("Content-Type", "application/json");
    if (req.url === "/api/info") {
      res.end(JSON.stringify({ sponsor: 9, chainId: "901", maxFee: "1000", types: ["transfer"] }));
      return;
    }
    const tx = JSON.parse(body);
    if (tx.fee !== "1000") {
      res.statusCode = 403;
      res.end(JSON.stringify({ error: "the fee of 2000 gwei is above this sponsor's max fee of 1000 gwei", code: "fee" }));
      return;
    }
    res.end(JSON.stringify({ tx: { ...tx, sponsorSignature: "0x" + "ab".repeat(64) }, hash: "0x" + "cd".repeat(32) }));
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const url = `http://127.0.0.1:${server.address().port}/api`;
  try {
    const info = await keel.sponsorInfo(url);
    assert.equal(info.sponsor, 9);
    const co = await keel.sponsor(url, signed);
    assert.equal(co.tx.sponsor, 9);
    assert.equal(co.tx.sponsorSignature, "0x" + "ab".repeat(64));
    assert.equal(co.tx.signature, signed.tx.signature, "the sender's signature is kept");
    const dear = keel.signTransfer({ ...transferOpts, fee: "2000", sponsor: 9 });
    await assert.rejects(keel.sponsor(url, dear), (e) => e.code === "fee" && /sponsor refused \(fee\): the fee of 2000 gwei is above/.test(e.message));
    assert.deepEqual(seen, [["GET", "/api/info"], ["POST", "/api/sponsor"], ["POST", "/api/sponsor"]]);
  } finally {
    await new Promise((ok) => server.close(ok));
  }
  await assert.rejects(keel.sponsorInfo("not a url"), /sponsor: not a url is not a URL/);
});

test("writes signed transactions for the Go parity test", { skip: !process.env.KEEL_SIGNED_OUT && "KEEL_SIGNED_OUT is not set" }, async () => {
  const transfer = keel.signTransfer(transferOpts);
  const withdraw = keel.signWithdraw(withdrawOpts);
  const sponsored = keel.signTransfer({ ...transferOpts, nonce: 5, sponsor: 9 });
  const sig = "0x" + "11".repeat(32) + "22".repeat(32) + "1b";
  const password = "correct horse";
  await writeFile(process.env.KEEL_SIGNED_OUT, JSON.stringify({
    publicKey: key.publicKey,
    txs: [transfer.tx, withdraw.tx, sponsored.tx],
    hashes: [transfer.hash, withdraw.hash, sponsored.hash],
    derive: { signature: sig, publicKey: keel.deriveKey(sig).publicKey },
    depositCalldata: keel.depositCalldata(key.publicKey),
    keyFile: keel.encryptKey(key.privateKey, password),
    password,
  }, null, 2));
});
