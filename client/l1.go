package client

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/keel-rollup/keel/l1contracts"
	"github.com/keel-rollup/keel/vm"
)

// ErrL1Revert means an L1 transaction to the Rollup contract reverted (or
// would have: reverts are caught when the gas is estimated, before
// anything is sent). A *RevertError says which of the contract's errors
// it was.
var ErrL1Revert = errors.New("client: Rollup contract reverted")

// RevertError is a decoded revert of the Rollup contract.
type RevertError struct {
	// Name is the Solidity error, for example "NothingToWithdraw".
	Name string
	// Detail says what it means for the caller and what to do.
	Detail string
}

func (e *RevertError) Error() string {
	return fmt.Sprintf("Rollup contract reverted with %s: %s", e.Name, e.Detail)
}

// Unwrap makes errors.Is(err, ErrL1Revert) hold.
func (e *RevertError) Unwrap() error { return ErrL1Revert }

// L1Backend is what the L1 helpers need from an L1 endpoint;
// *ethclient.Client satisfies it.
type L1Backend interface {
	bind.ContractBackend
	bind.DeployBackend
	ChainID(ctx context.Context) (*big.Int, error)
}

var (
	rollupABI = l1contracts.NewRollup()
	gweiWei   = big.NewInt(1_000_000_000)
)

// Deposit sends gwei gwei of ETH from l1Key's address to the Rollup
// contract for the L2 key pub, waits until the transaction is mined and
// returns its receipt. The sequencer credits the deposit (creating pub's
// account on its first deposit) once it reads the L1 log; watch
// Client.AccountByKey. DepositIndex reads the deposit's place in the L1
// priority queue from the receipt.
func Deposit(ctx context.Context, backend L1Backend, rollup common.Address, l1Key *ecdsa.PrivateKey, pub vm.PublicKey, gwei uint64) (*types.Receipt, error) {
	value, data, err := DepositCall(pub, gwei)
	if err != nil {
		return nil, err
	}
	return transact(ctx, backend, rollup, l1Key, value, data, "deposit")
}

// DepositCall is what a deposit of gwei to pub sends to the Rollup: the
// value in wei and the calldata of deposit(key), key being pub's 32-byte
// compressed form (what `keel account` prints). A wallet can as well
// call deposit with the key itself: no curve arithmetic is needed
// anywhere outside the batch circuit.
func DepositCall(pub vm.PublicKey, gwei uint64) (value *big.Int, data []byte, err error) {
	if gwei == 0 {
		return nil, nil, errors.New("client: deposit of zero gwei")
	}
	if err := pub.Validate(); err != nil {
		return nil, nil, fmt.Errorf("client: deposit key: %w", err)
	}
	data = rollupABI.PackDeposit(vm.DepositKeyOf(pub))
	return new(big.Int).Mul(new(big.Int).SetUint64(gwei), gweiWei), data, nil
}

// PendingWithdrawal returns the wei addr can claim from the Rollup
// contract now: the sum of its withdrawals in finalized batches that it
// has not claimed yet.
func PendingWithdrawal(ctx context.Context, backend bind.ContractBackend, rollup, addr common.Address) (*big.Int, error) {
	inst := rollupABI.Instance(backend, rollup)
	v, err := bind.Call(inst, &bind.CallOpts{Context: ctx}, rollupABI.PackPendingWithdrawals(addr), rollupABI.UnpackPendingWithdrawals)
	if err != nil {
		return nil, fmt.Errorf("client: read pending withdrawals of %s: %w", addr, decodeRevert(err))
	}
	return v, nil
}

// Claim calls Rollup.withdraw() from l1Key's address, which pays out
// everything PendingWithdrawal shows, and returns the mined receipt.
// ClaimedWei reads the amount from it. With nothing to claim it fails with
// a *RevertError named "NothingToWithdraw" before sending anything.
func Claim(ctx context.Context, backend L1Backend, rollup common.Address, l1Key *ecdsa.PrivateKey) (*types.Receipt, error) {
	return transact(ctx, backend, rollup, l1Key, nil, rollupABI.PackWithdraw(), "claim")
}

// ActivateExodus switches the Rollup into exodus mode from l1Key's
// address; anyone may, once a priority request has waited longer than the
// contract's exodus delay. Otherwise it fails with a *RevertError named
// "NoExpiredRequest" (or "ExodusActive") before sending anything.
func ActivateExodus(ctx context.Context, backend L1Backend, rollup common.Address, l1Key *ecdsa.PrivateKey) (*types.Receipt, error) {
	return transact(ctx, backend, rollup, l1Key, nil, rollupABI.PackActivateExodus(), "activate exodus")
}

// SubmitExit sends an exodus exit of account's whole balance, gwei, to
// `to` with its exit proof (256 bytes) from l1Key's address, which pays the
// gas; the ETH becomes claimable by `to` (see Claim).
func SubmitExit(ctx context.Context, backend L1Backend, rollup common.Address, l1Key *ecdsa.PrivateKey, account uint32, gwei uint64, to common.Address, proof []byte) (*types.Receipt, error) {
	return transact(ctx, backend, rollup, l1Key, nil, rollupABI.PackExit(account, gwei, to, proof), "exit")
}

// RequestFullExit asks, through the Rollup's priority queue, for account's
// whole L2 balance to be paid to `to` on L1: the sequencer must process the
// request in order, or the Rollup goes into exodus mode. key is the
// account's L2 key, which signs the request (naming the chain, the account,
// its L2 nonce and `to`); l1Key pays the gas. The request pays only if
// nonce is still the account's when the sequencer processes it, and paying
// spends the nonce, so nobody can file the request again. DepositIndex
// reads the request's queue position from the receipt.
func RequestFullExit(ctx context.Context, backend L1Backend, rollup common.Address, l1Key *ecdsa.PrivateKey, key *vm.PrivateKey, chainID uint64, account, nonce uint32, to common.Address) (*types.Receipt, error) {
	tx := vm.Tx{Type: vm.TxFullExit, ChainID: chainID, From: account, Nonce: nonce, L1To: to}
	sig, err := key.SignElement(tx.Message())
	if err != nil {
		return nil, err
	}
	rx, ry, sc := sig.Parts()
	data := rollupABI.PackRequestFullExit(account, nonce, to, rx.BigInt(new(big.Int)), ry.BigInt(new(big.Int)), sc.BigInt(new(big.Int)))
	return transact(ctx, backend, rollup, l1Key, nil, data, "request full exit")
}

// RefundDeposit returns, in exodus mode, deposit index (one no verified
// batch consumed) to its depositor's pending withdrawals.
func RefundDeposit(ctx context.Context, backend L1Backend, rollup common.Address, l1Key *ecdsa.PrivateKey, index uint64) (*types.Receipt, error) {
	return transact(ctx, backend, rollup, l1Key, nil, rollupABI.PackRefundDeposit(index), "refund deposit")
}

// DepositIndex returns the L1 priority-queue index of the deposit or
// full-exit request in a receipt from Deposit or RequestFullExit.
func DepositIndex(r *types.Receipt) (uint64, error) {
	for _, l := range r.Logs {
		if ev, err := rollupABI.UnpackDepositEvent(l); err == nil {
			return ev.Index, nil
		}
		if ev, err := rollupABI.UnpackFullExitRequestedEvent(l); err == nil {
			return ev.Index, nil
		}
		if ev, err := rollupABI.UnpackChannelChallengeRequestedEvent(l); err == nil {
			return ev.Index, nil
		}
	}
	return 0, fmt.Errorf("client: no Deposit event in L1 transaction %s", r.TxHash)
}

// ClaimedWei returns what a receipt from Claim paid out, zero if it holds
// no WithdrawalClaimed event.
func ClaimedWei(r *types.Receipt) *big.Int {
	sum := new(big.Int)
	for _, l := range r.Logs {
		if ev, err := rollupABI.UnpackWithdrawalClaimedEvent(l); err == nil {
			sum.Add(sum, ev.AmountWei)
		}
	}
	return sum
}

func transact(ctx context.Context, backend L1Backend, rollup common.Address, key *ecdsa.PrivateKey, value *big.Int, data []byte, what string) (*types.Receipt, error) {
	chainID, err := backend.ChainID(ctx)
	if err != nil {
		return nil, fmt.Errorf("client: %s: read the L1 chain id: %w", what, err)
	}
	opts := bind.NewKeyedTransactor(key, chainID)
	opts.Context, opts.Value = ctx, value
	tx, err := bind.Transact(rollupABI.Instance(backend, rollup), opts, data)
	if err != nil {
		return nil, fmt.Errorf("client: %s: %w", what, decodeRevert(err))
	}
	r, err := bind.WaitMined(ctx, backend, tx.Hash())
	if err != nil {
		return nil, fmt.Errorf("client: %s: wait for L1 transaction %s: %w", what, tx.Hash(), err)
	}
	if r.Status != types.ReceiptStatusSuccessful {
		return r, fmt.Errorf("client: %s: %w in L1 transaction %s", what, ErrL1Revert, tx.Hash())
	}
	return r, nil
}

// revertDetails says what each Rollup error means for a user of these
// helpers.
var revertDetails = map[common.Hash]struct{ name, detail string }{
	l1contracts.RollupDepositNotWholeGweiErrorID():     {"DepositNotWholeGwei", "deposits must be a whole number of gwei"},
	l1contracts.RollupDepositAmountOutOfRangeErrorID(): {"DepositAmountOutOfRange", "a deposit must be between 1 gwei and 2^64-1 gwei"},
	l1contracts.RollupKeyNotCanonicalErrorID():         {"KeyNotCanonical", "the L2 key's y coordinate is not below the BN254 scalar field modulus"},
	l1contracts.RollupNothingToWithdrawErrorID():       {"NothingToWithdraw", "this address has nothing to claim: no withdrawal to it is in a finalized batch yet, or it was claimed already"},
	l1contracts.RollupPayoutFailedErrorID():            {"PayoutFailed", "the claimer did not accept the ETH (a contract without a payable receive?)"},
	l1contracts.RollupReentrantErrorID():               {"Reentrant", "the contract was re-entered during a claim"},
	l1contracts.RollupNotOwnerErrorID():                {"NotOwner", "only the contract's owner may do this"},
	l1contracts.RollupNotSequencerErrorID():            {"NotSequencer", "only the sequencer may commit batches"},
	l1contracts.RollupZeroAddressErrorID():             {"ZeroAddress", "the zero address is not allowed"},
	l1contracts.RollupInputNotInFieldErrorID():         {"InputNotInField", "a value is not an element of the BN254 scalar field"},
	l1contracts.RollupBadPublicDataLengthErrorID():     {"BadPublicDataLength", "the batch's public data has the wrong length"},
	l1contracts.RollupPriorityCountOutOfRangeErrorID(): {"PriorityCountOutOfRange", "the batch consumes deposits the queue does not hold"},
	l1contracts.RollupExodusActiveErrorID():            {"ExodusActive", "the Rollup is in exodus mode: batches and deposits have stopped; exit with `keel exit`"},
	l1contracts.RollupNotInExodusErrorID():             {"NotInExodus", "the Rollup is not in exodus mode: exits and refunds wait until a priority request expires (see `keel exodus`)"},
	l1contracts.RollupNoExpiredRequestErrorID():        {"NoExpiredRequest", "no priority request has waited past the exodus delay yet (see `keel exodus`)"},
	l1contracts.RollupAlreadyExitedErrorID():           {"AlreadyExited", "this account has exited already: each account exits once"},
	l1contracts.RollupNotRefundableErrorID():           {"NotRefundable", "that deposit was consumed by a verified batch (exit instead) or refunded already"},
	l1contracts.RollupAccountOutOfRangeErrorID():       {"AccountOutOfRange", "there is no such account index in this Rollup's tree"},
	l1contracts.RollupInvalidSignatureErrorID():        {"InvalidSignature", "a signature is malformed (R off the curve, or S not below the curve order)"},
	l1contracts.RollupBadTimestampErrorID():            {"BadTimestamp", "the batch time goes back, runs ahead of L1 time, or lags it by more than a day"},
	l1contracts.RollupChannelNotSettlingErrorID():      {"ChannelNotSettling", "nobody has claimed this channel on L1 yet: claim it first (keel exit does)"},
	l1contracts.RollupChannelPeriodOverErrorID():       {"ChannelPeriodOver", "the channel's challenge period on L1 is over: its standing state is final"},
	l1contracts.RollupChannelPeriodRunningErrorID():    {"ChannelPeriodRunning", "the channel's challenge period on L1 is still running: claim the share after its deadline"},
	l1contracts.RollupStaleChannelStateErrorID():       {"StaleChannelState", "the channel already stands at this version or a newer one"},
	l1contracts.RollupShareAlreadyPaidErrorID():        {"ShareAlreadyPaid", "this party's share of the channel was paid already"},
	l1contracts.RollupNotExitedErrorID():               {"NotExited", "the party's account has not exited yet: its share goes where it exits (keel exit)"},
	l1contracts.RollupProofInvalidErrorID():            {"ProofInvalid", "the verifier rejected the proof: the claimed balance, recipient or root does not match it, or the proving key is not the one the verifier was made from"},
	l1contracts.RollupPublicInputNotInFieldErrorID():   {"PublicInputNotInField", "a public input of the proof is not an element of the BN254 scalar field"},
}

// decodeRevert turns an L1 error carrying revert data (what eth_call and
// eth_estimateGas return for a revert) into a *RevertError when the data
// is one of the Rollup contract's errors; anything else is returned as is.
func decodeRevert(err error) error {
	var de rpc.DataError
	if !errors.As(err, &de) {
		return err
	}
	s, ok := de.ErrorData().(string)
	if !ok {
		return err
	}
	data, decErr := hexutil.Decode(s)
	if decErr != nil || len(data) < 4 {
		return err
	}
	for id, d := range revertDetails {
		if [4]byte(id[:4]) == [4]byte(data[:4]) {
			return &RevertError{Name: d.name, Detail: d.detail}
		}
	}
	return err
}
