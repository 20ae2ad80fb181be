package l1node

import (
	"crypto/ecdsa"
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/sha512"
	"encoding/binary"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// DevMnemonic is the BIP-39 phrase the dev accounts come from. It is the
// one anvil and Hardhat use, so account 0 is the well-known
// 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266 and wallets, scripts and
// habits carry over. Everybody knows these keys: never fund them on a real
// network.
const DevMnemonic = "test test test test test test test test test test test junk"

// DevDerivationPath is the BIP-32 path of dev account i, with i in place
// of the last index (Ethereum's BIP-44 path, as anvil and MetaMask use).
const DevDerivationPath = "m/44'/60'/0'/0/i"

// DevAccount is a pre-funded dev account and its private key.
type DevAccount struct {
	Address common.Address
	Key     *ecdsa.PrivateKey
}

// DeriveDevAccounts returns the first n dev accounts, derived from
// DevMnemonic along DevDerivationPath. The same n always gives the same
// accounts, so tests and tools can use them without a running node.
func DeriveDevAccounts(n int) []DevAccount {
	if n <= 0 {
		return nil
	}
	// BIP-39: the seed is PBKDF2-HMAC-SHA512 of the phrase, salted with
	// "mnemonic" and an empty passphrase. The phrase is ASCII, so NFKD
	// normalisation changes nothing.
	seed, err := pbkdf2.Key(sha512.New, DevMnemonic, []byte("mnemonic"), 2048, 64)
	if err != nil {
		panic(fmt.Sprintf("l1node: bip39 seed: %v", err)) // fixed inputs; cannot fail
	}
	// m/44'/60'/0'/0 once, then one non-hardened child per account.
	parent := bip32Master(seed)
	for _, idx := range []uint32{44 | hardened, 60 | hardened, 0 | hardened, 0} {
		parent = parent.child(idx)
	}
	accounts := make([]DevAccount, n)
	for i := range accounts {
		k := parent.child(uint32(i)).key
		accounts[i] = DevAccount{Address: crypto.PubkeyToAddress(k.PublicKey), Key: k}
	}
	return accounts
}

const hardened = 1 << 31

// bip32Key is an extended private key: a key and its chain code.
type bip32Key struct {
	key   *ecdsa.PrivateKey
	chain []byte
}

func bip32Master(seed []byte) bip32Key {
	mac := hmac.New(sha512.New, []byte("Bitcoin seed"))
	mac.Write(seed)
	sum := mac.Sum(nil)
	return bip32Key{key: mustKey(new(big.Int).SetBytes(sum[:32])), chain: sum[32:]}
}

// child is BIP-32's CKDpriv.
func (k bip32Key) child(index uint32) bip32Key {
	var data []byte
	if index >= hardened {
		data = append([]byte{0}, crypto.FromECDSA(k.key)...)
	} else {
		data = crypto.CompressPubkey(&k.key.PublicKey)
	}
	data = binary.BigEndian.AppendUint32(data, index)
	mac := hmac.New(sha512.New, k.chain)
	mac.Write(data)
	sum := mac.Sum(nil)

	n := crypto.S256().Params().N
	il := new(big.Int).SetBytes(sum[:32])
	if il.Cmp(n) >= 0 {
		// Probability below 2^-127, and the inputs are fixed: a broken invariant.
		panic("l1node: bip32 child key out of range")
	}
	d := il.Add(il, k.key.D)
	d.Mod(d, n)
	return bip32Key{key: mustKey(d), chain: sum[32:]}
}

func mustKey(d *big.Int) *ecdsa.PrivateKey {
	key, err := crypto.ToECDSA(common.LeftPadBytes(d.Bytes(), 32))
	if err != nil {
		panic(fmt.Sprintf("l1node: dev key: %v", err)) // fixed inputs; cannot fail
	}
	return key
}
