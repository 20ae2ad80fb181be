//go:build js && wasm

// Command keel is Keel's client-side key handling and signing, compiled to
// WebAssembly (GOOS=js GOARCH=wasm) for the wallet page and for dapps under
// Node. It is the vm package's own code, so Poseidon2, the transaction
// message and EdDSA are never written a second time in JavaScript, and a
// signature made in the browser is by construction one the sequencer and the
// circuit accept.
//
// The program registers a global object keelWasm with synchronous
// functions, sets keelWasm.ready and blocks forever. web/static/keel.mjs
// loads it and is the documented API; keelWasm is the ABI between the two:
//
//	generateKey()                      → {privateKey, publicKey}
//	importKey(privateKeyHex)           → {privateKey, publicKey}
//	derivationMessage(chainId)         → string
//	deriveKey(ethSignatureHex)         → {privateKey, publicKey}
//	encryptKey(privateKeyHex, pw)      → key-file JSON string
//	decryptKey(keyFileJSON, pw)        → {privateKey, publicKey}
//	signTransfer({chainId, from, to, amount, fee, nonce, privateKey, sponsor?}) → {tx, hash}
//	signWithdraw({chainId, from, l1To, amount, fee, nonce, privateKey, sponsor?}) → {tx, hash}
//	depositCalldata(publicKeyHex)      → "0x…" calldata of Rollup.deposit(bytes32)
//
// 64-bit quantities (chain id, amounts, fees) are decimal strings, in and
// out, as in the node's JSON-RPC, because a JavaScript number loses
// precision above 2^53; a safe-integer number is accepted too. tx is the
// transaction exactly as vm.Tx.MarshalJSON writes it, ready for
// keel_sendTransaction.
//
// A Go function called from JavaScript cannot throw: syscall/js only
// returns its result to the caller. So a function that refuses its input
// returns a JavaScript Error object instead, whose message names the
// function, the argument and what was wrong, and keel.mjs throws it. A Go
// panic would stop the program and every later call with it, so each call
// recovers and reports one as an error too.
//
// A bigint argument is not supported here (syscall/js panics on one);
// keel.mjs turns bigints into decimal strings first.
//
// The program imports vm and two small go-ethereum packages (hexutil, and
// crypto for keccak), nothing else of Keel's, to keep the download small:
// 7.7 MB, 2.5 MB gzipped. l1contracts' ABI binding alone would triple that
// (see depositSelector). The web package's go:generate builds it into
// web/static/keel.wasm.gz.
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"syscall/js"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/keel-rollup/keel/vm"
)

func main() {
	api := js.Global().Get("Object").New()
	register(api, "generateKey", generateKey)
	register(api, "importKey", importKey)
	register(api, "derivationMessage", derivationMessage)
	register(api, "deriveKey", deriveKey)
	register(api, "encryptKey", encryptKey)
	register(api, "decryptKey", decryptKey)
	register(api, "signTransfer", func(args []js.Value) (any, error) { return sign(vm.TxTransfer, args) })
	register(api, "signWithdraw", func(args []js.Value) (any, error) { return sign(vm.TxWithdraw, args) })
	register(api, "depositCalldata", depositCalldata)
	api.Set("ready", true)
	js.Global().Set("keelWasm", api)
	// The functions run on JavaScript's calls; main must not return, or
	// the Go program exits and they stop working.
	select {}
}

// register sets api[name] to a JavaScript function running f. The
// js.Funcs are never released: they live as long as the program.
func register(api js.Value, name string, f func(args []js.Value) (any, error)) {
	api.Set(name, js.FuncOf(func(_ js.Value, args []js.Value) (result any) {
		defer func() {
			if r := recover(); r != nil {
				result = jsError(name, fmt.Errorf("internal error: %v", r))
			}
		}()
		v, err := f(args)
		if err != nil {
			return jsError(name, err)
		}
		return v
	}))
}

// jsError makes the Error that keel.mjs throws. vm's errors start with
// "vm: ", the Go package, which means nothing to a JavaScript caller.
func jsError(fn string, err error) js.Value {
	msg := err.Error()
	if errors.Is(err, vm.ErrWrongPassword) {
		msg = "wrong password: the key file does not decrypt under it (or the file was altered)"
	}
	msg = strings.ReplaceAll(msg, "vm: ", "")
	return js.Global().Get("Error").New(fn + ": " + msg)
}

func keyObject(k *vm.PrivateKey) map[string]any {
	return map[string]any{
		"privateKey": hexutil.Encode(k.Bytes()),
		"publicKey":  k.Public().String(),
	}
}

func generateKey(args []js.Value) (any, error) {
	if err := argCount(args, 0); err != nil {
		return nil, err
	}
	k, err := vm.GenerateKey()
	if err != nil {
		return nil, err
	}
	return keyObject(k), nil
}

func importKey(args []js.Value) (any, error) {
	if err := argCount(args, 1); err != nil {
		return nil, err
	}
	k, err := privateKeyArg("privateKey", args[0])
	if err != nil {
		return nil, err
	}
	return keyObject(k), nil
}

func derivationMessage(args []js.Value) (any, error) {
	if err := argCount(args, 1); err != nil {
		return nil, err
	}
	id, err := uint64Arg("chainId", args[0])
	if err != nil {
		return nil, err
	}
	return string(vm.DerivationMessage(id)), nil
}

func deriveKey(args []js.Value) (any, error) {
	if err := argCount(args, 1); err != nil {
		return nil, err
	}
	sig, err := hexArg("signature", args[0])
	if err != nil {
		return nil, err
	}
	k, err := vm.DeriveKeyFromSignature(sig)
	if err != nil {
		return nil, fmt.Errorf("signature: %w", err)
	}
	return keyObject(k), nil
}

func encryptKey(args []js.Value) (any, error) {
	if err := argCount(args, 2); err != nil {
		return nil, err
	}
	k, err := privateKeyArg("privateKey", args[0])
	if err != nil {
		return nil, err
	}
	pw, err := stringArg("password", args[1])
	if err != nil {
		return nil, err
	}
	if pw == "" {
		return nil, errors.New("password: empty; a key file needs a password")
	}
	// The light scrypt cost (4 MB, tens of milliseconds natively): the
	// standard one takes 256 MB and seconds natively and far longer in
	// WebAssembly, which a page cannot afford. The key file format names
	// its cost, so `keel account` opens it all the same.
	data, err := vm.EncryptKey(k, pw, vm.LightScryptN, vm.LightScryptP)
	if err != nil {
		return nil, err
	}
	return string(data), nil
}

func decryptKey(args []js.Value) (any, error) {
	if err := argCount(args, 2); err != nil {
		return nil, err
	}
	data, err := stringArg("keyFile", args[0])
	if err != nil {
		return nil, err
	}
	pw, err := stringArg("password", args[1])
	if err != nil {
		return nil, err
	}
	k, err := vm.DecryptKey([]byte(data), pw)
	if err != nil {
		return nil, err
	}
	return keyObject(k), nil
}

// sign builds a transfer or a withdrawal from its options object, checks
// it as the node will, and signs it.
func sign(typ vm.TxType, args []js.Value) (any, error) {
	if err := argCount(args, 1); err != nil {
		return nil, err
	}
	target := "to"
	if typ == vm.TxWithdraw {
		target = "l1To"
	}
	o, err := optionsArg(args[0], "chainId", "from", target, "amount", "fee", "nonce", "privateKey", "sponsor")
	if err != nil {
		return nil, err
	}
	tx := vm.Tx{Type: typ}
	if tx.ChainID, err = uint64Arg("chainId", o.Get("chainId")); err != nil {
		return nil, err
	}
	if tx.From, err = uint32Arg("from", o.Get("from")); err != nil {
		return nil, err
	}
	if typ == vm.TxTransfer {
		tx.To, err = uint32Arg("to", o.Get("to"))
	} else {
		tx.L1To, err = addressArg("l1To", o.Get("l1To"))
	}
	if err != nil {
		return nil, err
	}
	if tx.Amount, err = uint64Arg("amount", o.Get("amount")); err != nil {
		return nil, err
	}
	if tx.Fee, err = uint64Arg("fee", o.Get("fee")); err != nil {
		return nil, err
	}
	if tx.Nonce, err = uint32Arg("nonce", o.Get("nonce")); err != nil {
		return nil, err
	}
	// An optional sponsor account pays the fee (vm/sponsor.go): the
	// sender signs its index, and the sponsor co-signs afterwards.
	if sp := o.Get("sponsor"); sp.Type() != js.TypeUndefined {
		if tx.Sponsor, err = uint32Arg("sponsor", sp); err != nil {
			return nil, err
		}
		tx.Sponsored = true
	}
	k, err := privateKeyArg("privateKey", o.Get("privateKey"))
	if err != nil {
		return nil, err
	}
	// Refuse here what the node would refuse (an amount or fee public
	// data cannot carry, a zero amount, an overflow, a self-transfer), so
	// that the user learns it before anything is sent.
	if err := tx.CheckStatic(tx.ChainID, vm.MaxDepth); err != nil {
		return nil, err
	}
	if err := tx.Sign(k); err != nil {
		return nil, err
	}
	b, err := json.Marshal(tx)
	if err != nil {
		return nil, err
	}
	// JSON.parse keeps the encoding exactly: decimal strings stay strings
	// and the field order is MarshalJSON's.
	return map[string]any{
		"tx":   js.Global().Get("JSON").Call("parse", string(b)),
		"hash": tx.Hash().Hex(),
	}, nil
}

func depositCalldata(args []js.Value) (any, error) {
	if err := argCount(args, 1); err != nil {
		return nil, err
	}
	b, err := hexArg("publicKey", args[0])
	if err != nil {
		return nil, err
	}
	// The contract refunds a deposit to an invalid key, but only when its
	// batch is proven; refusing one here saves the user the round trip.
	pub, err := vm.PublicKeyFromBytes(b)
	if err != nil {
		return nil, fmt.Errorf("publicKey: %w", err)
	}
	key := vm.DepositKeyOf(pub)
	return hexutil.Encode(append(depositSelector(), key[:]...)), nil
}

// depositSelector returns the selector of Rollup.deposit(bytes32), whose
// calldata is the selector and then the key's 32 bytes, a static type
// encoded as itself. The module packs it by hand rather than through
// l1contracts' ABI binding, because that package also brings gnark's
// prover backends and go-ethereum's RPC stack, which would more than
// double the download; web/wasm_test.go checks the result against the
// binding.
func depositSelector() []byte { return crypto.Keccak256([]byte("deposit(bytes32)"))[:4] }

// Argument parsing. Every error names the argument, so that a message
// read out of context still says what to fix.

func argCount(args []js.Value, n int) error {
	if len(args) != n {
		return fmt.Errorf("takes %d argument(s), got %d", n, len(args))
	}
	return nil
}

// optionsArg checks that v is an object with no keys but the given ones:
// an unknown key is most likely a misspelt one, whose value would
// otherwise be silently ignored. A key set to undefined counts as absent,
// as it does in JavaScript's own spread and destructuring.
func optionsArg(v js.Value, keys ...string) (js.Value, error) {
	if v.Type() != js.TypeObject {
		return js.Value{}, fmt.Errorf("want an options object {%s}, got %s", strings.Join(keys, ", "), v.Type())
	}
	allowed := make(map[string]bool, len(keys))
	for _, k := range keys {
		allowed[k] = true
	}
	names := js.Global().Get("Object").Call("keys", v)
	for i := range names.Length() {
		if n := names.Index(i).String(); !allowed[n] && v.Get(n).Type() != js.TypeUndefined {
			return js.Value{}, fmt.Errorf("unknown option %q; the options are %s", n, strings.Join(keys, ", "))
		}
	}
	return v, nil
}

func stringArg(name string, v js.Value) (string, error) {
	if v.Type() != js.TypeString {
		return "", fmt.Errorf("%s: want a string, got %s", name, describe(v))
	}
	return v.String(), nil
}

// hexArg decodes hex with or without its 0x prefix.
func hexArg(name string, v js.Value) ([]byte, error) {
	s, err := stringArg(name, v)
	if err != nil {
		return nil, err
	}
	if !strings.HasPrefix(s, "0x") && !strings.HasPrefix(s, "0X") {
		s = "0x" + s
	}
	b, err := hexutil.Decode(s)
	if err != nil {
		return nil, fmt.Errorf("%s: %q is not hex: %v", name, v.String(), err)
	}
	return b, nil
}

func privateKeyArg(name string, v js.Value) (*vm.PrivateKey, error) {
	b, err := hexArg(name, v)
	if err != nil {
		return nil, err
	}
	k, err := vm.PrivateKeyFromBytes(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return k, nil
}

// addressArg parses an L1 address and, when it is mixed-case, checks its
// EIP-55 checksum: a withdrawal to a mistyped address is lost for good.
func addressArg(name string, v js.Value) (common.Address, error) {
	s, err := stringArg(name, v)
	if err != nil {
		return common.Address{}, err
	}
	if !common.IsHexAddress(s) || !strings.HasPrefix(s, "0x") {
		return common.Address{}, fmt.Errorf("%s: %q is not a 0x-prefixed 20-byte hex address", name, s)
	}
	a := common.HexToAddress(s)
	if s[2:] != strings.ToLower(s[2:]) && s[2:] != strings.ToUpper(s[2:]) && s != a.Hex() {
		return common.Address{}, fmt.Errorf("%s: %q has a bad EIP-55 checksum (mistyped?); it should read %s", name, s, a.Hex())
	}
	return a, nil
}

// maxSafeInteger is Number.MAX_SAFE_INTEGER: numbers above it may already
// have been rounded before they reached us.
const maxSafeInteger = 1<<53 - 1

func uint64Arg(name string, v js.Value) (uint64, error) {
	switch v.Type() {
	case js.TypeString:
		n, err := strconv.ParseUint(v.String(), 10, 64)
		if err != nil {
			return 0, fmt.Errorf("%s: %q is not a decimal uint64", name, v.String())
		}
		return n, nil
	case js.TypeNumber:
		f := v.Float()
		if f < 0 || f != math.Trunc(f) || f > maxSafeInteger {
			return 0, fmt.Errorf("%s: %s is not a safe non-negative integer; pass 64-bit quantities as decimal strings", name, strconv.FormatFloat(f, 'g', -1, 64))
		}
		return uint64(f), nil
	}
	return 0, fmt.Errorf("%s: want a decimal string, got %s", name, describe(v))
}

func uint32Arg(name string, v js.Value) (uint32, error) {
	n, err := uint64Arg(name, v)
	if err != nil {
		return 0, err
	}
	if n > math.MaxUint32 {
		return 0, fmt.Errorf("%s: %d does not fit in 32 bits", name, n)
	}
	return uint32(n), nil
}

// describe names a wrong argument's type, and says "missing" for an
// absent one, the commonest mistake.
func describe(v js.Value) string {
	switch v.Type() {
	case js.TypeUndefined:
		return "nothing (missing)"
	case js.TypeNull:
		return "null"
	}
	return v.Type().String()
}
