package node

import (
	"context"
	"crypto/ecdsa"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"

	"github.com/consensys/gnark/constraint"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/keel-rollup/keel/bridge"
	"github.com/keel-rollup/keel/l1contracts"
	"github.com/keel-rollup/keel/prover"
	"github.com/keel-rollup/keel/vm"
	"github.com/rs/zerolog"
)

// Deployment is what deployment.json remembers about the contracts a node
// deployed (or was pointed at), so that a restart finds them and refuses a
// data directory that belongs to another chain or circuit.
type Deployment struct {
	Rollup      common.Address `json:"rollup"`
	Verifier    common.Address `json:"verifier"`
	Block       uint64         `json:"block"` // where the watcher starts
	L1ChainID   uint64         `json:"l1ChainId"`
	ChainID     uint64         `json:"chainId"`
	Depth       int            `json:"depth"`
	Slots       int            `json:"slots"`
	CircuitHash common.Hash    `json:"circuitHash"`
	VKHash      common.Hash    `json:"vkHash"`
	// ExitVerifier checks exodus exit proofs, made with the keys of the
	// exit circuit ExitCircuitHash; ExodusDelay is the Rollup's deadline,
	// in L1 blocks, for priority requests.
	ExitVerifier    common.Address `json:"exitVerifier"`
	ExitCircuitHash common.Hash    `json:"exitCircuitHash"`
	ExodusDelay     uint64         `json:"exodusDelay"`
}

const deploymentFile = "deployment.json"

func loadDeployment(dir string) (*Deployment, error) {
	b, err := os.ReadFile(filepath.Join(dir, deploymentFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var d Deployment
	if err := json.Unmarshal(b, &d); err != nil {
		return nil, fmt.Errorf("node: %s is damaged (%v): restore it, or start with a new --datadir", deploymentFile, err)
	}
	return &d, nil
}

func saveDeployment(dir string, d *Deployment) error {
	b, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		return err
	}
	tmp := filepath.Join(dir, deploymentFile+".tmp")
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(dir, deploymentFile))
}

// check refuses a deployment made for other rules than cfg's.
func (d *Deployment) check(chainID uint64, depth, slots int, keys *prover.Keys) error {
	switch {
	case d.ChainID != chainID:
		return fmt.Errorf("node: the data directory's chain has chain id %d, not %d: use another --datadir", d.ChainID, chainID)
	case d.Depth != depth || d.Slots != slots:
		return fmt.Errorf("node: the data directory's chain has depth %d and %d slots, not %d and %d: use another --datadir", d.Depth, d.Slots, depth, slots)
	case d.CircuitHash != common.Hash(keys.Hash):
		return fmt.Errorf("node: the deployed verifier is for circuit %x, the keys are for %x", d.CircuitHash, keys.Hash)
	case d.ExitCircuitHash == (common.Hash{}):
		return fmt.Errorf("node: the data directory's Rollup predates exodus mode: start with a new --datadir")
	}
	return nil
}

// vkHash is sha256 of the verifying key's binary encoding.
func vkHash(keys *prover.Keys) (common.Hash, error) {
	h := sha256.New()
	if _, err := keys.VK.WriteTo(h); err != nil {
		return common.Hash{}, err
	}
	return common.BytesToHash(h.Sum(nil)), nil
}

// deploy deploys the verifier for keys and the Rollup contract, owned by
// and sequenced from key, then deposits one gwei for the operator's L2 key
// so that the operator account (which collects fees) exists from the first
// batch.
func deploy(ctx context.Context, client *ethclient.Client, key *ecdsa.PrivateKey, cfg vm.Config, operator vm.PublicKey, keys, exitKeys *prover.Keys, exodusDelay uint64) (*Deployment, error) {
	chain, err := client.ChainID(ctx)
	if err != nil {
		return nil, fmt.Errorf("node: L1 chain id: %w", err)
	}
	opts := bind.NewKeyedTransactor(key, chain)
	opts.Context = ctx
	mined := func(tx *types.Transaction, what string) (*types.Receipt, error) {
		r, err := bind.WaitMined(ctx, client, tx.Hash())
		if err != nil {
			return nil, fmt.Errorf("node: %s: %w", what, err)
		}
		if r.Status != types.ReceiptStatusSuccessful {
			return nil, fmt.Errorf("node: %s reverted (tx %s)", what, tx.Hash())
		}
		return r, nil
	}
	deployVerifier := func(k *prover.Keys, what string) (common.Address, error) {
		code, err := l1contracts.VerifierBytecode(k.VK)
		if err != nil {
			return common.Address{}, err
		}
		addr, tx, err := bind.DeployContract(opts, code, client, nil)
		if err != nil {
			return common.Address{}, fmt.Errorf("node: deploy %s: %w", what, err)
		}
		_, err = mined(tx, "deploy "+what)
		return addr, err
	}
	vaddr, err := deployVerifier(keys, "batch verifier")
	if err != nil {
		return nil, err
	}
	exitAddr, err := deployVerifier(exitKeys, "exit verifier")
	if err != nil {
		return nil, err
	}
	rollup := l1contracts.NewRollup()
	genesis := vm.GenesisMeta(cfg.Depth)
	raddr, tx, err := bind.DeployContract(opts, common.FromHex(l1contracts.RollupMetaData.Bin), client,
		rollup.PackConstructor(vaddr, exitAddr, exodusDelay, uint8(cfg.Depth), cfg.ChainID, cfg.Operator, uint32(cfg.Slots), genesis.Root.BigInt(new(big.Int)), opts.From))
	if err != nil {
		return nil, fmt.Errorf("node: deploy Rollup: %w", err)
	}
	r, err := mined(tx, "deploy Rollup")
	if err != nil {
		return nil, err
	}
	dep := bind.NewKeyedTransactor(key, chain)
	dep.Context = ctx
	dep.Value = big.NewInt(1e9)
	tx, err = bind.Transact(rollup.Instance(client, raddr), dep, rollup.PackDeposit(vm.DepositKeyOf(operator)))
	if err != nil {
		return nil, fmt.Errorf("node: operator deposit: %w", err)
	}
	if _, err := mined(tx, "operator deposit"); err != nil {
		return nil, err
	}
	vh, err := vkHash(keys)
	if err != nil {
		return nil, err
	}
	return &Deployment{Rollup: raddr, Verifier: vaddr, Block: r.BlockNumber.Uint64(), L1ChainID: chain.Uint64(),
		ChainID: cfg.ChainID, Depth: cfg.Depth, Slots: cfg.Slots, CircuitHash: keys.Hash, VKHash: vh,
		ExitVerifier: exitAddr, ExitCircuitHash: exitKeys.Hash, ExodusDelay: exodusDelay}, nil
}

// DeployConfig is what Deploy needs: the rules, the sealed keys, and the
// node's data directory, where the operator's L2 key lives and
// deployment.json is written.
type DeployConfig struct {
	DataDir string
	// L1RPC is the L1's JSON-RPC endpoint.
	L1RPC string
	// Key is the sequencer's L1 key: it deploys, owns the contracts and
	// submits batches.
	Key          *ecdsa.PrivateKey
	ChainID      uint64
	Depth, Slots int
	ExodusDelay  uint64
	KeysDir      string
	Log          zerolog.Logger
}

// Deploy deploys a production rollup (keel deploy): the verifiers for the
// ceremony's keys in KeysDir, never dev keys, and the Rollup contract; it
// writes deployment.json into DataDir, where keel node finds it. It
// refuses a data directory that already holds a deployment.
func Deploy(ctx context.Context, cfg DeployConfig) (*Deployment, error) {
	vc := vm.Config{ChainID: cfg.ChainID, Depth: cfg.Depth, Slots: cfg.Slots}
	var errs []error
	if err := vc.Validate(); err != nil {
		errs = append(errs, err)
	}
	if cfg.DataDir == "" {
		errs = append(errs, errors.New("no data directory (--datadir): the node's, which will hold deployment.json and the operator key"))
	}
	if cfg.L1RPC == "" {
		errs = append(errs, errors.New("no L1 endpoint (--l1-rpc)"))
	}
	if cfg.Key == nil {
		errs = append(errs, errors.New("no sequencer key (--sequencer-key)"))
	}
	if cfg.KeysDir == "" {
		errs = append(errs, errors.New("no keys dir (--keys-dir): the ceremony's sealed keys"))
	}
	if cfg.ExodusDelay == 0 {
		errs = append(errs, errors.New("an exodus delay of 0 blocks would let anyone stop the rollup at once (--exodus-delay)"))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("node: deploy: %w", err)
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, err
	}
	if d, err := loadDeployment(cfg.DataDir); err != nil {
		return nil, err
	} else if d != nil {
		return nil, fmt.Errorf("node: deploy: %s already holds the deployment at %s (L1 chain %d): use a new --datadir", cfg.DataDir, d.Rollup, d.L1ChainID)
	}
	load := func(ccs constraint.ConstraintSystem, err error) (*prover.Keys, error) {
		if err != nil {
			return nil, err
		}
		k, err := prover.LoadKeys(cfg.KeysDir, ccs)
		if errors.Is(err, prover.ErrNoKeys) {
			err = fmt.Errorf("%w in %s: seal a ceremony for these circuits there (keel ceremony init --slots %d --depth %d)", err, cfg.KeysDir, cfg.Slots, cfg.Depth)
		}
		return k, err
	}
	keys, err := load(prover.CompileBatch(cfg.Slots, cfg.Depth))
	if err != nil {
		return nil, fmt.Errorf("node: deploy: batch circuit: %w", err)
	}
	exitKeys, err := load(prover.CompileExit(cfg.Depth))
	if err != nil {
		return nil, fmt.Errorf("node: deploy: exit circuit: %w", err)
	}
	operator, err := loadOperatorKey(cfg.DataDir)
	if err != nil {
		return nil, err
	}
	client, err := bridge.Dial(ctx, cfg.L1RPC)
	if err != nil {
		return nil, fmt.Errorf("node: deploy: cannot reach the L1 at %s: %w", cfg.L1RPC, err)
	}
	defer client.Close()
	// The operator's account is leaf 0 (vm.Config.Operator), as the node's.
	cfg.Log.Info().Str("l1", cfg.L1RPC).Msg("deploying the verifiers and the Rollup contract")
	d, err := deploy(ctx, client, cfg.Key, vc, operator.Public(), keys, exitKeys, cfg.ExodusDelay)
	if err != nil {
		return nil, err
	}
	if err := saveDeployment(cfg.DataDir, d); err != nil {
		return nil, err
	}
	return d, nil
}

// loadOperatorKey reads the operator's L2 key from dir, creating it on the
// first start. The file is the raw key in hex, readable by its owner only.
func loadOperatorKey(dir string) (*vm.PrivateKey, error) {
	path := filepath.Join(dir, "operator.key")
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		k, err := vm.GenerateKey()
		if err != nil {
			return nil, err
		}
		if err := os.WriteFile(path, []byte(common.Bytes2Hex(k.Bytes())), 0o600); err != nil {
			return nil, fmt.Errorf("node: write operator key: %w", err)
		}
		return k, nil
	}
	if err != nil {
		return nil, err
	}
	k, err := vm.PrivateKeyFromBytes(common.FromHex(string(b)))
	if err != nil {
		return nil, fmt.Errorf("node: %s is not a valid key (%v): restore it from a backup", path, err)
	}
	return k, nil
}
