package l1contracts

import (
	"context"
	"encoding/hex"
	"errors"
	"math"
	"math/big"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/stretchr/testify/require"

	"github.com/keel-rollup/keel/vm"
)

// TestPoseidon2HarnessBindingFresh checks that the harness binding embeds
// the committed artifact, so the tests above exercise the committed
// Poseidon2.sol. (TestArtifactsFresh checks build/ against the sources.)
func TestPoseidon2HarnessBindingFresh(t *testing.T) {
	bin, err := os.ReadFile(filepath.Join("build", "Poseidon2Harness.bin"))
	require.NoError(t, err)
	require.Equal(t, "0x"+strings.TrimSpace(string(bin)), Poseidon2HarnessMetaData.Bin,
		"poseidon2harness_binding_test.go is stale: rerun abigen for Poseidon2Harness (see make contracts)")
}

// poseidon2Env is a Poseidon2Harness deployed on a simulated L1.
type poseidon2Env struct {
	backend  *simulated.Backend
	from     common.Address
	addr     common.Address
	harness  *Poseidon2Harness
	contract *bind.BoundContract
}

func newPoseidon2Env(t *testing.T) *poseidon2Env {
	t.Helper()
	key, err := crypto.GenerateKey()
	require.NoError(t, err)
	from := crypto.PubkeyToAddress(key.PublicKey)
	backend := simulated.NewBackend(types.GenesisAlloc{from: {Balance: new(big.Int).Lsh(big.NewInt(1), 100)}})
	t.Cleanup(func() { _ = backend.Close() })

	auth := bind.NewKeyedTransactor(key, big.NewInt(1337)) // the simulated backend's chain id
	bin := common.FromHex(Poseidon2HarnessMetaData.Bin)
	addr, tx, err := bind.DeployContract(auth, bin, backend.Client(), nil)
	require.NoError(t, err)
	backend.Commit()
	_, err = bind.WaitDeployed(context.Background(), backend.Client(), tx.Hash())
	require.NoError(t, err)

	h := NewPoseidon2Harness()
	return &poseidon2Env{backend: backend, from: from, addr: addr, harness: h, contract: h.Instance(backend.Client(), addr)}
}

func (e *poseidon2Env) compress(l, r *big.Int) (*big.Int, error) {
	return bind.Call(e.contract, nil, e.harness.PackCompress(l, r), e.harness.UnpackCompress)
}

func (e *poseidon2Env) hashChain4(a, b, c, d *big.Int) (*big.Int, error) {
	return bind.Call(e.contract, nil, e.harness.PackHashChain4(a, b, c, d), e.harness.UnpackHashChain4)
}

// estimate is the gas of a transaction with calldata data to the harness:
// what an external call costs, 21,000 and calldata included.
func (e *poseidon2Env) estimate(t *testing.T, data []byte) uint64 {
	t.Helper()
	gas, err := e.backend.Client().EstimateGas(context.Background(), ethereum.CallMsg{From: e.from, To: &e.addr, Data: data})
	require.NoError(t, err)
	return gas
}

func bigOf(x vm.Element) *big.Int {
	var v big.Int
	return x.BigInt(&v)
}

// randomElements returns n field elements from a fixed seed, so a failure
// reproduces.
func randomElements(seed uint64, n int) []vm.Element {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	out := make([]vm.Element, n)
	for i := range out {
		var b [fr.Bytes]byte
		for j := 0; j < len(b); j += 8 {
			v := rng.Uint64()
			for k := range 8 {
				b[j+k] = byte(v >> (8 * k))
			}
		}
		out[i].SetBytes(b[:]) // reduces mod p; every element is reachable
	}
	return out
}

// edgeElements are the values most likely to expose a reduction bug.
func edgeElements() []vm.Element {
	var pm1, half vm.Element
	pm1.SetInt64(-1) // p - 1
	half.SetBigInt(new(big.Int).Rsh(fr.Modulus(), 1))
	return []vm.Element{{}, vm.ElementFromUint64(1), vm.ElementFromUint64(2), half, pm1}
}

func TestPoseidon2CompressMatchesVM(t *testing.T) {
	env := newPoseidon2Env(t)

	type pair struct{ l, r vm.Element }
	var pairs []pair
	edges := edgeElements()
	for _, l := range edges {
		for _, r := range edges {
			pairs = append(pairs, pair{l, r})
		}
	}
	rnd := randomElements(1, 256)
	for i := 0; i < len(rnd); i += 2 {
		pairs = append(pairs, pair{rnd[i], rnd[i+1]})
	}

	for _, p := range pairs {
		got, err := env.compress(bigOf(p.l), bigOf(p.r))
		require.NoError(t, err)
		want := vm.Compress(p.l, p.r)
		require.Equal(t, bigOf(want).String(), got.String(), "compress(%s, %s)", p.l.String(), p.r.String())
	}
}

func TestPoseidon2HashChain4MatchesVM(t *testing.T) {
	env := newPoseidon2Env(t)

	var quads [][4]vm.Element
	edges := edgeElements()
	for i := range edges {
		quads = append(quads, [4]vm.Element{edges[i], edges[(i+1)%len(edges)], edges[(i+2)%len(edges)], edges[(i+3)%len(edges)]})
		quads = append(quads, [4]vm.Element{edges[i], edges[i], edges[i], edges[i]})
	}
	rnd := randomElements(2, 4*64)
	for i := 0; i < len(rnd); i += 4 {
		quads = append(quads, [4]vm.Element(rnd[i:i+4]))
	}

	for _, q := range quads {
		got, err := env.hashChain4(bigOf(q[0]), bigOf(q[1]), bigOf(q[2]), bigOf(q[3]))
		require.NoError(t, err)
		want := vm.HashChain(q[0], q[1], q[2], q[3])
		require.Equal(t, bigOf(want).String(), got.String(), "hashChain4(%v)", q)
	}
}

// TestPoseidon2DepositQueue checks the deposit queue's link as the
// Rollup computes it (hashChain3, three compressions from 0): a = prev,
// b = kind<<72 | sign<<64 | amount with kind 1 (deposit), c = the key's y,
// against vm.PriorityHash over a chain of deposits.
func TestPoseidon2DepositQueue(t *testing.T) {
	env := newPoseidon2Env(t)

	amounts := []uint64{1, 2, 1_000_000_000, math.MaxUint64 - 1, math.MaxUint64}
	var prev vm.Element // the queue starts at 0, as Rollup's constructor sets it
	for i := range 12 {
		k, err := vm.GenerateKey()
		require.NoError(t, err)
		key := vm.DepositKeyOf(k.Public())
		amount := amounts[i%len(amounts)]

		head := new(big.Int).Lsh(big.NewInt(1), 72)
		head.Or(head, new(big.Int).Lsh(new(big.Int).SetUint64(key.Sign()), 64))
		head.Or(head, new(big.Int).SetUint64(amount))
		got := big.NewInt(0)
		for _, x := range []*big.Int{bigOf(prev), head, key.YInt()} {
			got, err = env.compress(got, x)
			require.NoError(t, err)
		}

		next := vm.PriorityHash(prev, amount, key)
		require.Equal(t, bigOf(next).String(), got.String(), "deposit %d of %d", i, amount)
		prev = next
	}
}

// TestPoseidon2RejectsNonCanonical checks that an input >= p reverts with
// InputNotInField instead of being reduced, in every position.
func TestPoseidon2RejectsNonCanonical(t *testing.T) {
	env := newPoseidon2Env(t)
	p := fr.Modulus()
	pPlus1 := new(big.Int).Add(p, big.NewInt(1))
	maxWord := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1))
	zero := new(big.Int)

	for _, bad := range []*big.Int{p, pPlus1, maxWord} {
		_, err := env.compress(bad, zero)
		requireInputNotInField(t, err)
		_, err = env.compress(zero, bad)
		requireInputNotInField(t, err)
		for pos := range 4 {
			args := []*big.Int{zero, zero, zero, zero}
			args[pos] = bad
			_, err := env.hashChain4(args[0], args[1], args[2], args[3])
			requireInputNotInField(t, err)
		}
	}
}

func requireInputNotInField(t *testing.T, err error) {
	t.Helper()
	require.Error(t, err)
	var de rpc.DataError
	require.True(t, errors.As(err, &de), "want revert data, got %v", err)
	s, ok := de.ErrorData().(string)
	require.True(t, ok, "revert data %T", de.ErrorData())
	data, derr := hex.DecodeString(strings.TrimPrefix(s, "0x"))
	require.NoError(t, derr)
	require.Equal(t, Poseidon2HarnessInputNotInFieldErrorID().Bytes()[:4], data)
}

// TestPoseidon2Gas logs what the library costs: the gas it spends itself,
// measured inside the EVM with gasleft(), and the gas of a whole external
// call to the harness (21,000 base and calldata included).
func TestPoseidon2Gas(t *testing.T) {
	env := newPoseidon2Env(t)
	rnd := randomElements(3, 4)
	a, b, c, d := bigOf(rnd[0]), bigOf(rnd[1]), bigOf(rnd[2]), bigOf(rnd[3])

	cg, err := bind.Call(env.contract, nil, env.harness.PackCompressGas(a, b), env.harness.UnpackCompressGas)
	require.NoError(t, err)
	require.Equal(t, bigOf(vm.Compress(rnd[0], rnd[1])).String(), cg.H.String())
	hg, err := bind.Call(env.contract, nil, env.harness.PackHashChain4Gas(a, b, c, d), env.harness.UnpackHashChain4Gas)
	require.NoError(t, err)
	require.Equal(t, bigOf(vm.HashChain(rnd[0], rnd[1], rnd[2], rnd[3])).String(), hg.H.String())

	compressTx := env.estimate(t, env.harness.PackCompress(a, b))
	chainTx := env.estimate(t, env.harness.PackHashChain4(a, b, c, d))
	t.Logf("Poseidon2.compress:   %6d gas in the library, %6d gas as a transaction", cg.GasUsed.Uint64(), compressTx)
	t.Logf("Poseidon2.hashChain4: %6d gas in the library, %6d gas as a transaction", hg.GasUsed.Uint64(), chainTx)

	// Ceilings just above today's figures (6,742 and 26,594 with solc 0.8.37,
	// 200 runs), so a costlier change is a visible failure: solc turning P
	// back into a CODECOPY per use, for one, doubles the cost. Lower them
	// when the code gets cheaper.
	require.LessOrEqual(t, cg.GasUsed.Uint64(), uint64(6_800), "compress gas")
	require.LessOrEqual(t, hg.GasUsed.Uint64(), uint64(26_700), "hashChain4 gas")
}
