package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/keel-rollup/keel/vm"
)

// keyFileOut is what the account commands print.
type keyFileOut struct {
	Keyfile string          `json:"keyfile"`
	PubKey  vm.PublicKey    `json:"pubKey"`
	L1      *common.Address `json:"l1Address,omitempty"` // derive: the Ethereum account it came from
	ChainID uint64          `json:"chainId,omitempty"`   // derive: the chain it is for
}

// newKeyFileFlags adds the flags of every command that writes a key file.
func newKeyFileFlags(f *flag.FlagSet) (*keyFlags, *bool) {
	k := addKeyFlags(f)
	light := f.Bool("light-kdf", false, "use scrypt's light parameters (fast and weak: for dev keys only)")
	return k, light
}

func runAccountNew(args []string, g *globals) error {
	f := g.flagSet("account new", "", "Generate a new L2 key and write it to an encrypted key file (geth keystore v3 format).\nPrints the public key, which is what others need to find your account.")
	k, light := newKeyFileFlags(f)
	if _, err := g.parseExact(f, args, 0); err != nil {
		return err
	}
	if err := k.checkWritable(); err != nil {
		return err
	}
	key, err := vm.GenerateKey()
	if err != nil {
		return err
	}
	return writeKeyFile(g, k, *light, key, keyFileOut{})
}

func runAccountImport(args []string, g *globals) error {
	f := g.flagSet("account import", "", "Write an existing L2 private key (its raw hex encoding) to an encrypted key file.")
	k, light := newKeyFileFlags(f)
	raw := f.String("private-key", "", "the L2 private `KEY`, 0x-prefixed hex")
	if _, err := g.parseExact(f, args, 0); err != nil {
		return err
	}
	if *raw == "" {
		return errors.New("set --private-key or KEEL_PRIVATE_KEY")
	}
	if err := k.checkWritable(); err != nil {
		return err
	}
	b, err := hexutil.Decode(*raw)
	if err != nil {
		return errors.New("--private-key is not 0x-prefixed hex")
	}
	key, err := vm.PrivateKeyFromBytes(b)
	if err != nil {
		return fmt.Errorf("--private-key is not an L2 private key: %w", err)
	}
	return writeKeyFile(g, k, *light, key, keyFileOut{})
}

func runAccountDerive(args []string, g *globals) error {
	f := g.flagSet("account derive", "", "Derive the L2 key of an Ethereum key (it signs a fixed message for the chain) and write it to\nan encrypted key file. The same Ethereum key and chain always give the same L2 key.")
	k, light := newKeyFileFlags(f)
	l1Key := addL1KeyFlag(f, "")
	chainID := f.Uint64("chain-id", 0, "the L2 chain `ID` the key is for (default: the node's, from --rpc)")
	if _, err := g.parseExact(f, args, 0); err != nil {
		return err
	}
	eth, err := parseL1Key(*l1Key)
	if err != nil {
		return err
	}
	if err := k.checkWritable(); err != nil {
		return err
	}
	if *chainID == 0 {
		c, err := g.dial()
		if err != nil {
			return err
		}
		defer c.Close()
		if *chainID, err = c.ChainID(g.ctx); err != nil {
			return fmt.Errorf("read the chain id (or set --chain-id): %w", err)
		}
	}
	key, err := vm.DeriveKey(eth, *chainID)
	if err != nil {
		return err
	}
	addr := crypto.PubkeyToAddress(eth.PublicKey)
	return writeKeyFile(g, k, *light, key, keyFileOut{L1: &addr, ChainID: *chainID})
}

// checkWritable fails early, before any work, when the key file cannot be
// written: no path, no password, or a file already there.
func (k *keyFlags) checkWritable() error {
	if k.file == "" {
		return errors.New("set --keyfile or KEEL_KEYFILE: where to write the key")
	}
	if _, err := k.passwordOrErr(); err != nil {
		return err
	}
	if _, err := os.Stat(k.file); err == nil {
		return fmt.Errorf("%s already exists: a key file is never overwritten; choose another --keyfile", k.file)
	}
	return nil
}

func writeKeyFile(g *globals, k *keyFlags, light bool, key *vm.PrivateKey, out keyFileOut) error {
	n, p := vm.StandardScryptN, vm.StandardScryptP
	if light {
		n, p = vm.LightScryptN, vm.LightScryptP
	}
	data, err := vm.EncryptKey(key, k.password, n, p)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(k.file), 0o700); err != nil {
		return err
	}
	// O_EXCL: never overwrite, even a file that appeared since the check.
	fh, err := os.OpenFile(k.file, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s already exists: a key file is never overwritten; choose another --keyfile", k.file)
	}
	if err != nil {
		return err
	}
	if _, err := fh.Write(data); err != nil {
		fh.Close()
		return err
	}
	if err := fh.Close(); err != nil {
		return err
	}
	out.Keyfile, out.PubKey = k.file, key.Public()
	return g.emit(out, func(w io.Writer) {
		fmt.Fprintf(w, "key file:   %s\npublic key: %s\n", out.Keyfile, out.PubKey)
		if out.L1 != nil {
			fmt.Fprintf(w, "derived from L1 account %s for chain %d\n", out.L1, out.ChainID)
		}
	})
}
