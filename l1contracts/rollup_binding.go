// Code generated via abigen V2 - DO NOT EDIT.
// This file is a generated binding and any manual changes will be lost.

package l1contracts

import (
	"bytes"
	"errors"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// Reference imports to suppress errors if they are not otherwise used.
var (
	_ = bytes.Equal
	_ = errors.New
	_ = big.NewInt
	_ = common.Big1
	_ = types.BloomLookup
	_ = abi.ConvertType
)

// RollupMetaData contains all meta data concerning the Rollup contract.
var RollupMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"contractIBatchVerifier\",\"name\":\"verifier_\",\"type\":\"address\"},{\"internalType\":\"contractIBatchVerifier\",\"name\":\"exitVerifier_\",\"type\":\"address\"},{\"internalType\":\"uint64\",\"name\":\"exodusDelay_\",\"type\":\"uint64\"},{\"internalType\":\"uint8\",\"name\":\"depth_\",\"type\":\"uint8\"},{\"internalType\":\"uint64\",\"name\":\"chainId_\",\"type\":\"uint64\"},{\"internalType\":\"uint32\",\"name\":\"operatorAccount_\",\"type\":\"uint32\"},{\"internalType\":\"uint32\",\"name\":\"slots_\",\"type\":\"uint32\"},{\"internalType\":\"uint256\",\"name\":\"genesisRoot\",\"type\":\"uint256\"},{\"internalType\":\"address\",\"name\":\"sequencer_\",\"type\":\"address\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[{\"internalType\":\"uint32\",\"name\":\"account\",\"type\":\"uint32\"},{\"internalType\":\"uint8\",\"name\":\"depth\",\"type\":\"uint8\"}],\"name\":\"AccountOutOfRange\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint32\",\"name\":\"account\",\"type\":\"uint32\"}],\"name\":\"AlreadyExited\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"got\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"want\",\"type\":\"uint256\"}],\"name\":\"BadPublicDataLength\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"got\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"last\",\"type\":\"uint64\"},{\"internalType\":\"uint256\",\"name\":\"l1Time\",\"type\":\"uint256\"}],\"name\":\"BadTimestamp\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint32\",\"name\":\"channel\",\"type\":\"uint32\"}],\"name\":\"ChannelNotSettling\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint32\",\"name\":\"channel\",\"type\":\"uint32\"},{\"internalType\":\"uint64\",\"name\":\"deadline\",\"type\":\"uint64\"}],\"name\":\"ChannelPeriodOver\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint32\",\"name\":\"channel\",\"type\":\"uint32\"},{\"internalType\":\"uint64\",\"name\":\"deadline\",\"type\":\"uint64\"}],\"name\":\"ChannelPeriodRunning\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"DepositAmountOutOfRange\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"DepositNotWholeGwei\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ExodusActive\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InputNotInField\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InvalidSignature\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"key\",\"type\":\"bytes32\"}],\"name\":\"KeyNotCanonical\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"oldestPending\",\"type\":\"uint64\"},{\"internalType\":\"uint256\",\"name\":\"deadlineBlock\",\"type\":\"uint256\"}],\"name\":\"NoExpiredRequest\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint32\",\"name\":\"account\",\"type\":\"uint32\"}],\"name\":\"NotExited\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"NotInExodus\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"NotOwner\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"index\",\"type\":\"uint64\"}],\"name\":\"NotRefundable\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"NotSequencer\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"NothingToWithdraw\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"PayoutFailed\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"got\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"consumed\",\"type\":\"uint64\"},{\"internalType\":\"uint256\",\"name\":\"available\",\"type\":\"uint256\"}],\"name\":\"PriorityCountOutOfRange\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ProofInvalid\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"PublicInputNotInField\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"Reentrant\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint32\",\"name\":\"channel\",\"type\":\"uint32\"},{\"internalType\":\"uint32\",\"name\":\"account\",\"type\":\"uint32\"}],\"name\":\"ShareAlreadyPaid\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint32\",\"name\":\"channel\",\"type\":\"uint32\"},{\"internalType\":\"uint64\",\"name\":\"version\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"standing\",\"type\":\"uint64\"}],\"name\":\"StaleChannelState\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ZeroAddress\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint64\",\"name\":\"batch\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"newRoot\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"commitment\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"prioConsumed\",\"type\":\"uint64\"}],\"name\":\"BatchCommitted\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint64\",\"name\":\"index\",\"type\":\"uint64\"},{\"indexed\":true,\"internalType\":\"uint32\",\"name\":\"channel\",\"type\":\"uint32\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"version\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"bool\",\"name\":\"isFinal\",\"type\":\"bool\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"balanceA\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"balanceB\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"uint256[3]\",\"name\":\"sigA\",\"type\":\"uint256[3]\"},{\"indexed\":false,\"internalType\":\"uint256[3]\",\"name\":\"sigB\",\"type\":\"uint256[3]\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"prioHash\",\"type\":\"uint256\"}],\"name\":\"ChannelChallengeRequested\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint32\",\"name\":\"channel\",\"type\":\"uint32\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"version\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"splitA\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"deadline\",\"type\":\"uint64\"}],\"name\":\"ChannelSettling\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint32\",\"name\":\"channel\",\"type\":\"uint32\"},{\"indexed\":true,\"internalType\":\"uint32\",\"name\":\"account\",\"type\":\"uint32\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"amountGwei\",\"type\":\"uint64\"}],\"name\":\"ChannelSharePaid\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint64\",\"name\":\"index\",\"type\":\"uint64\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"from\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"key\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"amountGwei\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"prioHash\",\"type\":\"uint256\"}],\"name\":\"Deposit\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint64\",\"name\":\"index\",\"type\":\"uint64\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"amountGwei\",\"type\":\"uint64\"}],\"name\":\"DepositRefunded\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint32\",\"name\":\"account\",\"type\":\"uint32\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"amountGwei\",\"type\":\"uint64\"}],\"name\":\"Exited\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"request\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"requestBlock\",\"type\":\"uint256\"}],\"name\":\"ExodusActivated\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint64\",\"name\":\"index\",\"type\":\"uint64\"},{\"indexed\":true,\"internalType\":\"uint32\",\"name\":\"account\",\"type\":\"uint32\"},{\"indexed\":false,\"internalType\":\"uint32\",\"name\":\"nonce\",\"type\":\"uint32\"},{\"indexed\":false,\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"rX\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"rY\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"s\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"prioHash\",\"type\":\"uint256\"}],\"name\":\"FullExitRequested\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"previous\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"next\",\"type\":\"address\"}],\"name\":\"OwnerChanged\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"previous\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"next\",\"type\":\"address\"}],\"name\":\"SequencerChanged\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amountWei\",\"type\":\"uint256\"}],\"name\":\"WithdrawalClaimed\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint64\",\"name\":\"batch\",\"type\":\"uint64\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amountWei\",\"type\":\"uint256\"}],\"name\":\"WithdrawalPending\",\"type\":\"event\"},{\"inputs\":[],\"name\":\"MAX_TIMESTAMP_LAG\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"activateExodus\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"next\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"timestamp\",\"type\":\"uint64\"},{\"internalType\":\"uint256\",\"name\":\"newRoot\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"newPrioConsumed\",\"type\":\"uint64\"},{\"internalType\":\"bytes\",\"name\":\"publicData\",\"type\":\"bytes\"}],\"name\":\"batchCommitment\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"batchNumber\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"chainId\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint32\",\"name\":\"channel\",\"type\":\"uint32\"},{\"internalType\":\"uint256\",\"name\":\"leafX\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"leafY\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"total\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"version\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"balanceA\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"balanceB\",\"type\":\"uint64\"},{\"internalType\":\"bytes\",\"name\":\"proof\",\"type\":\"bytes\"}],\"name\":\"channelExit\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint32\",\"name\":\"channel\",\"type\":\"uint32\"},{\"internalType\":\"uint256\",\"name\":\"leafX\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"leafY\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"total\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"version\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"balanceA\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"balanceB\",\"type\":\"uint64\"}],\"name\":\"channelExitCommitment\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint32\",\"name\":\"\",\"type\":\"uint32\"}],\"name\":\"channelSettlements\",\"outputs\":[{\"internalType\":\"uint32\",\"name\":\"a\",\"type\":\"uint32\"},{\"internalType\":\"uint32\",\"name\":\"b\",\"type\":\"uint32\"},{\"internalType\":\"uint64\",\"name\":\"total\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"version\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"splitA\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"deadline\",\"type\":\"uint64\"},{\"internalType\":\"bool\",\"name\":\"paidA\",\"type\":\"bool\"},{\"internalType\":\"bool\",\"name\":\"paidB\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint32\",\"name\":\"channel\",\"type\":\"uint32\"},{\"internalType\":\"bool\",\"name\":\"partyB\",\"type\":\"bool\"}],\"name\":\"claimChannelShare\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"newRoot\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"newPrioConsumed\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"timestamp\",\"type\":\"uint64\"},{\"internalType\":\"bytes\",\"name\":\"publicData\",\"type\":\"bytes\"},{\"internalType\":\"bytes\",\"name\":\"proof\",\"type\":\"bytes\"}],\"name\":\"commitBatch\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"key\",\"type\":\"bytes32\"}],\"name\":\"deposit\",\"outputs\":[],\"stateMutability\":\"payable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"depth\",\"outputs\":[{\"internalType\":\"uint8\",\"name\":\"\",\"type\":\"uint8\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint32\",\"name\":\"account\",\"type\":\"uint32\"},{\"internalType\":\"uint64\",\"name\":\"amountGwei\",\"type\":\"uint64\"},{\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"internalType\":\"bytes\",\"name\":\"proof\",\"type\":\"bytes\"}],\"name\":\"exit\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint32\",\"name\":\"account\",\"type\":\"uint32\"},{\"internalType\":\"uint64\",\"name\":\"amountGwei\",\"type\":\"uint64\"},{\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"}],\"name\":\"exitCommitment\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"exitVerifier\",\"outputs\":[{\"internalType\":\"contractIBatchVerifier\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint32\",\"name\":\"\",\"type\":\"uint32\"}],\"name\":\"exited\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint32\",\"name\":\"\",\"type\":\"uint32\"}],\"name\":\"exitedTo\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"exodusDelay\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"exodusMode\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"lastTimestamp\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"operatorAccount\",\"outputs\":[{\"internalType\":\"uint32\",\"name\":\"\",\"type\":\"uint32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"owner\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"name\":\"pendingWithdrawals\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"prioConsumed\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"prioCount\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"name\":\"prioHashes\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"name\":\"prioRequests\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"index\",\"type\":\"uint64\"}],\"name\":\"refundDeposit\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint32\",\"name\":\"channel\",\"type\":\"uint32\"},{\"internalType\":\"uint64\",\"name\":\"version\",\"type\":\"uint64\"},{\"internalType\":\"bool\",\"name\":\"isFinal\",\"type\":\"bool\"},{\"internalType\":\"uint64\",\"name\":\"balanceA\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"balanceB\",\"type\":\"uint64\"},{\"internalType\":\"uint256[3]\",\"name\":\"sigA\",\"type\":\"uint256[3]\"},{\"internalType\":\"uint256[3]\",\"name\":\"sigB\",\"type\":\"uint256[3]\"}],\"name\":\"requestChannelChallenge\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint32\",\"name\":\"account\",\"type\":\"uint32\"},{\"internalType\":\"uint32\",\"name\":\"nonce\",\"type\":\"uint32\"},{\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"rX\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"rY\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"s\",\"type\":\"uint256\"}],\"name\":\"requestFullExit\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"sequencer\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"next\",\"type\":\"address\"}],\"name\":\"setSequencer\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"slots\",\"outputs\":[{\"internalType\":\"uint32\",\"name\":\"\",\"type\":\"uint32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"stateRoot\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"totalPending\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"next\",\"type\":\"address\"}],\"name\":\"transferOwnership\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"verifier\",\"outputs\":[{\"internalType\":\"contractIBatchVerifier\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"withdraw\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"}]",
	ID:  "Rollup",
	Bin: "0x6101606040526001600d55348015610015575f5ffd5b50604051614574380380614574833981016040819052610034916101cb565b6001600160a01b038916158061005157506001600160a01b038816155b8061006357506001600160a01b038116155b156100815760405163d92e233d60e01b815260040160405180910390fd5b6001600160a01b03898116608052888116610100526001600160401b038881166101205260ff881661014052861660a05263ffffffff85811660c052841660e05260028390555f8054336001600160a01b0319918216811783556001805490921693851693909317815560048054918201815582527f8a35acfbc15ff81a39ae7d344fd709f28e8600b4aa8c65c6b64bfe7fe36bd19b018190556040517fb532073b38c83145e3e5135377a08bf9aab55bc0fd7c1179cd4fb995d2a5159c908290a36040516001600160a01b038216905f907f6ec88bae255aa7e73521c3beb17e9bc7940169e669440c5531733c0d2e91110d908290a3505050505050505050610277565b6001600160a01b038116811461019a575f5ffd5b50565b80516001600160401b03811681146101b3575f5ffd5b919050565b805163ffffffff811681146101b3575f5ffd5b5f5f5f5f5f5f5f5f5f6101208a8c0312156101e4575f5ffd5b89516101ef81610186565b60208b015190995061020081610186565b975061020e60408b0161019d565b965060608a015160ff81168114610223575f5ffd5b955061023160808b0161019d565b945061023f60a08b016101b8565b935061024d60c08b016101b8565b60e08b01516101008c0151919450925061026681610186565b809150509295985092959850929598565b60805160a05160c05160e05161010051610120516101405161423c6103385f395f81816104be01528181611005015281816110480152818161145a015261149d01525f8181610565015261170401525f818161046c01528181611ff101526129e001525f81816103e5015281816109cd01528181610a0001528181610a4e01526124fe01525f8181610329015261129401525f818161060a015281816108840152818161124b01526117c601525f81816103710152610b79015261423c5ff3fe60806040526004361061021c575f3560e01c80638ab0f2111161011e578063aa68c43a116100a8578063cfffb1301161006d578063cfffb130146107c9578063d971bd26146107e8578063e32fb92714610807578063f2fde38b14610826578063f3f4370314610845575f5ffd5b8063aa68c43a1461073a578063b214faa514610759578063ba8730651461076c578063bb81993e1461078b578063c44ce506146107aa575f5ffd5b80639588eca2116100ee5780639588eca2146105e45780639a8a0592146105f9578063a21e2dcc1461062c578063a4525c611461064b578063a68f9f9314610726575f5ffd5b80638ab0f211146105545780638c9e1501146105875780638da5cb5b1461059b5780638efee159146105b9575f5ffd5b80633f90916a116101aa57806352822bfb1161016f57806352822bfb1461045b5780635c1bba381461048e578063631c56ef146104ad5780636e78613b146104f257806384221c5414610520575f5ffd5b80633f90916a146103bf57806348547d69146103d45780634dfda4b2146104075780634e9ae53a146104265780634f85beff14610445575f5ffd5b80632547fa3e116101f05780632547fa3e146102d0578063264c0912146102ef5780632801643d146103185780632b7ac3f3146103605780633ccfd60b146103ab575f5ffd5b8062ce4740146102205780631397efe91461025257806319d8ac611461027357806323356eaf146102b1575b5f5ffd5b34801561022b575f5ffd5b5061023f61023a366004613a4b565b610870565b6040519081526020015b60405180910390f35b34801561025d575f5ffd5b5061027161026c366004613acf565b6108de565b005b34801561027e575f5ffd5b5060035461029990600160401b90046001600160401b031681565b6040516001600160401b039091168152602001610249565b3480156102bc575f5ffd5b506102716102cb366004613b66565b610c95565b3480156102db575f5ffd5b506102716102ea366004613b7f565b610ddf565b3480156102fa575f5ffd5b506009546103089060ff1681565b6040519015158152602001610249565b348015610323575f5ffd5b5061034b7f000000000000000000000000000000000000000000000000000000000000000081565b60405163ffffffff9091168152602001610249565b34801561036b575f5ffd5b506103937f000000000000000000000000000000000000000000000000000000000000000081565b6040516001600160a01b039091168152602001610249565b3480156103b6575f5ffd5b50610271610e8b565b3480156103ca575f5ffd5b5061023f60075481565b3480156103df575f5ffd5b5061034b7f000000000000000000000000000000000000000000000000000000000000000081565b348015610412575f5ffd5b50610271610421366004613b98565b610faf565b348015610431575f5ffd5b5061023f610440366004613bf3565b61123a565b348015610450575f5ffd5b506102996201518081565b348015610466575f5ffd5b506103937f000000000000000000000000000000000000000000000000000000000000000081565b348015610499575f5ffd5b50600154610393906001600160a01b031681565b3480156104b8575f5ffd5b506104e07f000000000000000000000000000000000000000000000000000000000000000081565b60405160ff9091168152602001610249565b3480156104fd575f5ffd5b5061030861050c366004613c6c565b600a6020525f908152604090205460ff1681565b34801561052b575f5ffd5b5061039361053a366004613c6c565b600b6020525f90815260409020546001600160a01b031681565b34801561055f575f5ffd5b506102997f000000000000000000000000000000000000000000000000000000000000000081565b348015610592575f5ffd5b50610299611415565b3480156105a6575f5ffd5b505f54610393906001600160a01b031681565b3480156105c4575f5ffd5b5061023f6105d3366004613c85565b60086020525f908152604090205481565b3480156105ef575f5ffd5b5061023f60025481565b348015610604575f5ffd5b506102997f000000000000000000000000000000000000000000000000000000000000000081565b348015610637575f5ffd5b50610271610646366004613cbb565b61142b565b348015610656575f5ffd5b506106cd610665366004613c6c565b600c6020525f90815260409020805460019091015463ffffffff808316926401000000008104909116916001600160401b03600160401b808404821693600160801b8104831693600160c01b90910483169281169160ff908204811691600160481b90041688565b6040805163ffffffff998a1681529890971660208901526001600160401b0395861696880196909652928416606087015290831660808601529190911660a0840152151560c0830152151560e082015261010001610249565b348015610731575f5ffd5b50610271611663565b348015610745575f5ffd5b5061023f610754366004613d40565b6117b2565b610271610767366004613c85565b611866565b348015610777575f5ffd5b50600354610299906001600160401b031681565b348015610796575f5ffd5b506102716107a5366004613da5565b611b70565b3480156107b5575f5ffd5b506102716107c4366004613dd6565b611e3c565b3480156107d4575f5ffd5b506102716107e3366004613e46565b611fcc565b3480156107f3575f5ffd5b50600554610299906001600160401b031681565b348015610812575f5ffd5b5061023f610821366004613c85565b612391565b348015610831575f5ffd5b50610271610840366004613b7f565b6123b0565b348015610850575f5ffd5b5061023f61085f366004613b7f565b60066020525f908152604090205481565b6002545f906bffffffffffffffff000000007f000000000000000000000000000000000000000000000000000000000000000060201b1663ffffffff861617600760611b17906108d59082906001600160401b0387166001600160a01b03871661245a565b95945050505050565b60095460ff16156109025760405163129587ff60e31b815260040160405180910390fd5b6001546001600160a01b0316331461092d576040516314f8a09f60e21b815260040160405180910390fd5b6003546001600160401b03600160401b90910481169086161080610959575042856001600160401b0316115b8061097857504261096d6201518087613eff565b6001600160401b0316105b156109c05760035460405163f6286b7d60e01b81526001600160401b038781166004830152600160401b90920490911660248201524260448201526064015b60405180910390fd5b5f6109f2600c63ffffffff7f000000000000000000000000000000000000000000000000000000000000000016613f1e565b90506008610a2763ffffffff7f0000000000000000000000000000000000000000000000000000000000000000166007613f35565b610a319190613f5c565b610a3b9082613f35565b8414610aab57836008610a7563ffffffff7f0000000000000000000000000000000000000000000000000000000000000000166007613f35565b610a7f9190613f5c565b610a899083613f35565b6040516323d81b3f60e11b8152600481019290925260248201526044016109b7565b6005546001600160401b039081169088161080610ad357506004546001600160401b03881610155b15610b295760055460045488916001600160401b031690610af690600190613f6f565b6040516399733f9360e01b81526001600160401b03938416600482015292909116602483015260448201526064016109b7565b6003545f90610b42906001600160401b03166001613eff565b90505f610b5382898c8c8b8b61123a565b604080516020810182528281529051632363e29760e21b81529192506001600160a01b037f00000000000000000000000000000000000000000000000000000000000000001691638d8f8a5c91610bb09189918991600401613f82565b5f6040518083038186803b158015610bc6575f5ffd5b505afa158015610bd8573d5f5f3e3d5ffd5b50505060028b905550600380546001600160401b038481166fffffffffffffffffffffffffffffffff199092168217600160401b8c831602179092556005805467ffffffffffffffff1981168d8516908117909255604080518f81526020810187905290810192909252909216917fb14d1523922e53205345b424a63560c82566336183e10fb03fe1a5c4ac99147a9060600160405180910390a2610c8883826001600160401b03168a8a6124f7565b5050505050505050505050565b60095460ff16610cb8576040516303aab9b960e41b815260040160405180910390fd5b6001600160401b038082165f818152600860205260409020546005549092161180610ce1575080155b15610d0a576040516312a7fbcb60e21b81526001600160401b03831660048201526024016109b7565b6001600160401b038083165f9081526008602090815260408220829055606084901c929084901c9190610d43908316633b9aca00613f1e565b6001600160a01b0384165f90815260066020526040812080549293508392909190610d6f908490613f35565b925050819055508060075f828254610d879190613f35565b90915550506040516001600160401b0383811682526001600160a01b03851691908716907f51b8983210e90318bd5b39fc4f40d826bda339a12f52f32ec1c1958e7f7a4f429060200160405180910390a35050505050565b5f546001600160a01b03163314610e09576040516330cd747160e01b815260040160405180910390fd5b6001600160a01b038116610e305760405163d92e233d60e01b815260040160405180910390fd5b6001546040516001600160a01b038084169216907f6ec88bae255aa7e73521c3beb17e9bc7940169e669440c5531733c0d2e91110d905f90a3600180546001600160a01b0319166001600160a01b0392909216919091179055565b600d54600114610eae5760405163769dd35360e11b815260040160405180910390fd5b6002600d55335f9081526006602052604081205490819003610ee357604051630686827b60e51b815260040160405180910390fd5b335f90815260066020526040812081905560078054839290610f06908490613f6f565b909155505060405181815233907fd3f990ddd0f1a820ca21d6f29136b25c504220122117b21de9ede5602b99c5869060200160405180910390a26040515f90339083908381818185875af1925050503d805f8114610f7f576040519150601f19603f3d011682016040523d82523d5f602084013e610f84565b606091505b5050905080610fa657604051630ec6ac4160e21b815260040160405180910390fd5b50506001600d55565b60095460ff1615610fd35760405163129587ff60e31b815260040160405180910390fd5b6001600160a01b038416610ffa5760405163d92e233d60e01b815260040160405180910390fd5b63ffffffff861660ff7f0000000000000000000000000000000000000000000000000000000000000000161c156110755760405163c613f98f60e01b815263ffffffff8716600482015260ff7f00000000000000000000000000000000000000000000000000000000000000001660248201526044016109b7565b7f060c89ce5c263405370a08b6d0302b0bab3eedb83920ee0a677297dc392126f1811015806110b157505f5160206141e75f395f51905f528310155b806110c957505f5160206141e75f395f51905f528210155b806110db57506110d983836127d7565b155b156110f957604051638baa579f60e01b815260040160405180910390fd5b6004545f9061110a90600190613f6f565b90505f856001600160a01b031660a08963ffffffff16901b60c08963ffffffff16901b60e06009901b17171790505f6111696111636004858154811061115257611152613fdc565b905f5260205f20015484898961245a565b85612878565b60048054600181019091557f8a35acfbc15ff81a39ae7d344fd709f28e8600b4aa8c65c6b64bfe7fe36bd19b018190555f848152600860209081526040918290204363ffffffff90811633606090811b9190911790925583518d821681526001600160a01b038d16938101939093529282018a905281018890526080810187905260a081018390529192508a16906001600160401b038516907f19ee829b4a5e861966de252614bffbad5856e4fd2d42c34a0a1f5f1ab00f75f49060c00160405180910390a3505050505050505050565b6002546040516001600160c01b03197f000000000000000000000000000000000000000000000000000000000000000060c090811b8216602084015289811b8216602884015288901b1660308201526001600160e01b03197f000000000000000000000000000000000000000000000000000000000000000060e01b166038820152603c810191909152605c81018590525f908190607c0160408051601f19818403018152919052600554600480549293505f926001600160401b03909216918290811061130a5761130a613fdc565b905f5260205f200154876004896001600160401b03168154811061133057611330613fdc565b5f91825260209182902001546040516001600160c01b031960c096871b81169382019390935260288101949094529190931b9092166048820152605081019190915260700160408051601f1981840301815291905290506113966001600160fd1b613f6f565b6002838388886040516020016113af9493929190614007565b60408051601f19818403018152908290526113c99161402f565b602060405180830381855afa1580156113e4573d5f5f3e3d5ffd5b5050506040513d601f19601f82011682018060405250810190611407919061403a565b169998505050505050505050565b6004545f9061142690600190613f6f565b905090565b60095460ff161561144f5760405163129587ff60e31b815260040160405180910390fd5b63ffffffff871660ff7f0000000000000000000000000000000000000000000000000000000000000000161c156114ca5760405163c613f98f60e01b815263ffffffff8816600482015260ff7f00000000000000000000000000000000000000000000000000000000000000001660248201526044016109b7565b6114d3826128d1565b6114dc816128d1565b6004545f906114ed90600190613f6f565b90505f846001600160401b03166040876001600160401b0316901b60808a6001600160401b0316901b60c08a611523575f611526565b60015b901b60c18d63ffffffff16901b60e1600b901b171717171790505f6115976115896004858154811061155a5761155a613fdc565b905f5260205f20015484885f6003811061157657611576613fdc565b60200201358960015b602002013561245a565b8660025b6020020135612878565b90506115b36115ab825f873588600161157f565b85600261158d565b60048054600181019091557f8a35acfbc15ff81a39ae7d344fd709f28e8600b4aa8c65c6b64bfe7fe36bd19b018190555f84815260086020526040908190204363ffffffff9081163360601b1790915590519192508b16906001600160401b038516907fa7a1beee5fbbdffc89f4cc1f678c67c747b714b425b073e674bff71afef996799061164f908d908d908d908d908d908d908b90614051565b60405180910390a350505050505050505050565b60095460ff16156116875760405163129587ff60e31b815260040160405180910390fd5b6005546004546001600160401b03909116906116a590600190613f6f565b816001600160401b0316106116de576040516388c4c51b60e01b81526001600160401b03821660048201525f60248201526044016109b7565b6001600160401b038082165f9081526008602052604081205463ffffffff169161172a907f00000000000000000000000000000000000000000000000000000000000000001683613f35565b905080431161175e576040516388c4c51b60e01b81526001600160401b0384166004820152602481018290526044016109b7565b6009805460ff19166001179055604080516001600160401b0385168152602081018490527f1c52f490f247cb62e5ceb087567660fb712c6581c7d99e428d8e6339e9586c39910160405180910390a1505050565b6002545f906bffffffffffffffff000000007f000000000000000000000000000000000000000000000000000000000000000060201b1663ffffffff8a1617600160641b179067ffffffffffffffff60801b608087901b166fffffffffffffffff0000000000000000604087901b16176001600160401b038516179061185890611852906118439085908d8d61245a565b896001600160401b0316612878565b82612878565b9a9950505050505050505050565b60095460ff161561188a5760405163129587ff60e31b815260040160405180910390fd5b611898633b9aca00346140ae565b156118b657604051633165efd760e11b815260040160405180910390fd5b5f6118c5633b9aca0034613f5c565b90508015806118da57506001600160401b0381115b156118f8576040516302b6c10b60e51b815260040160405180910390fd5b816001600782901c165f6001600160ff1b03611a47845f6008827eff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff16901b600883901c7eff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff161791506010827dffff0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff16901b601083901c7dffff0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff161791506020827bffffffff00000000ffffffff00000000ffffffff00000000ffffffff16901b602083901c7bffffffff00000000ffffffff00000000ffffffff00000000ffffffff1617915060408277ffffffffffffffff0000000000000000ffffffffffffffff16901b604083901c77ffffffffffffffff0000000000000000ffffffffffffffff16179150608082901b608083901c179050919050565b1690505f5160206141e75f395f51905f528110611a7a57604051632703ab6760e01b8152600481018690526024016109b7565b6004545f90611a8b90600190613f6f565b90505f611ac260048381548110611aa457611aa4613fdc565b5f91825260209091200154604086901b8817600160481b1785612966565b60048054600181019091557f8a35acfbc15ff81a39ae7d344fd709f28e8600b4aa8c65c6b64bfe7fe36bd19b018190555f8381526008602090815260409182902033606081811b8c851b1763ffffffff43161790925583518c81526001600160401b03808d1694820194909452938401859052939450908516917f5fe65b96e9ec67d1b790f1b25c66b9f861f5f5527566ee608f4dfb1822b5b49f910160405180910390a350505050505050565b600d54600114611b935760405163769dd35360e11b815260040160405180910390fd5b6002600d5563ffffffff82165f908152600c6020526040812080549091600160401b9091046001600160401b03169003611be85760405163ebda16a160e01b815263ffffffff841660048201526024016109b7565b60018101546001600160401b0316421015611c3357600181015460405163f1a8067360e01b815263ffffffff851660048201526001600160401b0390911660248201526044016109b7565b5f82611c4657815463ffffffff16611c57565b8154640100000000900463ffffffff165b905082611c72576001820154600160401b900460ff16611c82565b6001820154600160481b900460ff165b15611cb057604051630c98411f60e01b815263ffffffff8086166004830152821660248201526044016109b7565b63ffffffff81165f908152600b60205260409020546001600160a01b031680611cf4576040516323b70a5d60e01b815263ffffffff831660048201526024016109b7565b8315611d1a5760018301805469ff0000000000000000001916600160481b179055611d35565b60018301805468ff00000000000000001916600160401b1790555b5f84611d52578354600160c01b90046001600160401b0316611d77565b8354611d77906001600160401b03600160c01b8204811691600160401b9004166140c1565b90505f611d916001600160401b038316633b9aca00613f1e565b6001600160a01b0384165f90815260066020526040812080549293508392909190611dbd908490613f35565b925050819055508060075f828254611dd59190613f35565b90915550506040516001600160401b03831681526001600160a01b0384169063ffffffff80871691908a16907f82e6aca8b05c6afdf92ab5f5315b9a17c7d54d6d8c23d5de5335cc08422b6bbd9060200160405180910390a450506001600d555050505050565b60095460ff16611e5f576040516303aab9b960e41b815260040160405180910390fd5b63ffffffff85165f908152600a602052604090205460ff1615611e9d576040516307a51aa760e21b815263ffffffff861660048201526024016109b7565b6001600160a01b038316611ec45760405163d92e233d60e01b815260040160405180910390fd5b611ed185858585856129de565b63ffffffff85165f908152600a60209081526040808320805460ff19166001179055600b909152812080546001600160a01b0386166001600160a01b0319909116179055611f2c6001600160401b038616633b9aca00613f1e565b6001600160a01b0385165f90815260066020526040812080549293508392909190611f58908490613f35565b925050819055508060075f828254611f709190613f35565b90915550506040516001600160401b03861681526001600160a01b0385169063ffffffff8816907f1b77719af165b1760cf22101aeeb1584bc426dde1a0e72c1f4f3fc8c2901d8f49060200160405180910390a3505050505050565b60095460ff16611fef576040516303aab9b960e41b815260040160405180910390fd5b7f00000000000000000000000000000000000000000000000000000000000000006001600160a01b0316638d8f8a5c8383604051806020016040528061203a8f8f8f8f8f8f8f6117b2565b8152506040518463ffffffff1660e01b815260040161205b93929190613f82565b5f6040518083038186803b158015612071575f5ffd5b505afa158015612083573d5f5f3e3d5ffd5b50505063ffffffff8a165f908152600c6020526040812080549092506001600160401b03600160401b9091041690036122465760a089901c815f015f6101000a81548163ffffffff021916908363ffffffff160217905550608089901c815f0160046101000a81548163ffffffff021916908363ffffffff16021790555086815f0160086101000a8154816001600160401b0302191690836001600160401b03160217905550604088901c815f0160106101000a8154816001600160401b0302191690836001600160401b0316021790555087815f0160186101000a8154816001600160401b0302191690836001600160401b03160217905550600260c08a901c146121a25761219d63ffffffff60408b901c1642613eff565b6121a4565b885b60018201805467ffffffffffffffff19166001600160401b039283161790558154600160801b90048116908716116122465780546001820154604080516001600160401b03600160801b850481168252600160c01b90940484166020820152929091169082015263ffffffff8b16907f3a72fe91765c4e23c9b80645426187a785af1392ab3b3d23b18e9830613929bd9060600160405180910390a250612386565b60018101546001600160401b03164210612290576001810154604051633410ea2160e21b815263ffffffff8c1660048201526001600160401b0390911660248201526044016109b7565b80546001600160401b03600160801b9091048116908716116122ef578054604051630710e69b60e41b815263ffffffff8c1660048201526001600160401b038089166024830152600160801b90920490911660448201526064016109b7565b80546001600160401b03868116600160c01b81026001600160c01b038a8416600160801b8102919091166fffffffffffffffffffffffffffffffff9095169490941717845560018401546040805194855260208501929092529091169082015263ffffffff8b16907f3a72fe91765c4e23c9b80645426187a785af1392ab3b3d23b18e9830613929bd9060600160405180910390a2505b505050505050505050565b600481815481106123a0575f80fd5b5f91825260209091200154905081565b5f546001600160a01b031633146123da576040516330cd747160e01b815260040160405180910390fd5b6001600160a01b0381166124015760405163d92e233d60e01b815260040160405180910390fd5b5f80546040516001600160a01b03808516939216917fb532073b38c83145e3e5135377a08bf9aab55bc0fd7c1179cd4fb995d2a5159c91a35f80546001600160a01b0319166001600160a01b0392909216919091179055565b5f5f5160206141e75f395f51905f528510158061248457505f5160206141e75f395f51905f528410155b8061249c57505f5160206141e75f395f51905f528310155b806124b457505f5160206141e75f395f51905f528210155b156124d2576040516365607d9b60e11b815260040160405180910390fd5b6108d56124f16124eb6124e55f89612a6e565b87612a6e565b85612a6e565b83612a6e565b63ffffffff7f0000000000000000000000000000000000000000000000000000000000000000165f61252a600c83613f1e565b90505f5b828110156127ce57600381901c820185013561010061254d8386613f6f565b10156125645761255d8285613f6f565b5f19901c19165b80156127ba575f6125748261397d565b6001811b929092189190505f600c8261258e8660ff613f35565b6125989190613f6f565b6125a29190613f1e565b90505f88886125b2846004613f35565b906125be85600c613f35565b926125cb939291906140e0565b6125d491614107565b60c01c90505f60118a8a858181106125ee576125ee613fdc565b9050013560f81c60f81b60f81c60ff160361265b57606060085f8c8c612615886001613f35565b90612621896004613f35565b9261262e939291906140e0565b6126379161413f565b6126449060e81c8f613f35565b81526020019081526020015f2054901c905061270f565b8989612668600c86613f35565b612673906003613f35565b90612680600c6002613f1e565b61268a9087613f35565b92612697939291906140e0565b8b8b6126a5600c6002613f1e565b6126af9088613f35565b6126ba906001613f35565b906126c7600c6003613f1e565b6126d19089613f35565b926126de939291906140e0565b6040516020016126f19493929190614174565b60405160208183030381529060405261270990614193565b60601c90505b5f61271e83633b9aca00613f1e565b6001600160a01b0383165f9081526006602052604081208054929350839290919061274a908490613f35565b925050819055508060075f8282546127629190613f35565b90915550506040518181526001600160a01b038316906001600160401b038f16907f269c8fb146546d3f3de86215ff5b22e0db3f800cb3274d81e6ed47df91169b789060200160405180910390a35050505050612564565b506127c761010082613f35565b905061252e565b50505050505050565b5f805f5160206141e75f395f51905f5284850990505f5f5160206141e75f395f51905f5284850990505f5160206141e75f395f51905f52805f5160206141e75f395f51905f528385097f1aee90f15f2189693df072d799fd11fc039b2959ebb7c867d075ca8cf4d7eb8e096001085f5160206141e75f395f51905f528261286b855f5160206141e75f395f51905f52613f6f565b0814925050505b92915050565b5f5f5160206141e75f395f51905f52831015806128a257505f5160206141e75f395f51905f528210155b156128c0576040516365607d9b60e11b815260040160405180910390fd5b6128ca8383612a6e565b9392505050565b7f060c89ce5c263405370a08b6d0302b0bab3eedb83920ee0a677297dc392126f1604082013510158061291257505f5160206141e75f395f51905f52813510155b8061292e57505f5160206141e75f395f51905f52602082013510155b806129455750612943813560208301356127d7565b155b1561296357604051638baa579f60e01b815260040160405180910390fd5b50565b5f5f5160206141e75f395f51905f528410158061299057505f5160206141e75f395f51905f528310155b806129a857505f5160206141e75f395f51905f528210155b156129c6576040516365607d9b60e11b815260040160405180910390fd5b6129d66124f16124eb5f87612a6e565b949350505050565b7f00000000000000000000000000000000000000000000000000000000000000006001600160a01b0316638d8f8a5c83836040518060200160405280612a258b8b8b610870565b8152506040518463ffffffff1660e01b8152600401612a4693929190613f82565b5f6040518083038186803b158015612a5c575f5ffd5b505afa158015612386573d5f5f3e3d5ffd5b5f5f5160206141e75f395f51905f528383018084019085017f1da4d6adfb0d0b494584f763db50a81908580a5f5e295e168b9b8d31770fac4f810183818009848286838409099150507f0946129a2e33b4e819707a56a3b3790eab80d0a0c7a0c63451fab2a59acc074c8301848182098582878384090983810190810195509092019250507f2a39b9d5376afd35580abd6952986570867b87303b07140268794dad4b8f82ea8201905083818009848286838409099150507f27605717d1245c20c546b3c7014e5fa3e4a70e66ecd6de5d32448eea5e3069b28301848182098582878384090983810190810195509092019250507f24c896cb2594e17b973653193a470ed7e771ebb09a228d638e50809c037736328201905083818009848286838409099150507f0911096c45dd9cda0d61d783957003db6d8701c7869a919ad8042e1b7d597a49830184818209858287838409099150508082019350838201925084848208935050507f26ff6166f1e4b99e27eee6d352a8ce26f1daba01aad28021f11f38a70603afdc8101838182098482868384090991505082810191508383840183089250017e8e2faedcf76d08ad6591ff90e50fea79bcb5e18cfb7d954d5b89437bf64b7e8101838180098482868384090991505082810191508383840183089250017f19c9da2379b598ace3ad4d1872470830f6184a3cec71eeb632f98820eb353d788101838180098482868384090991505082810191508383840183089250017f0f7c4eb15d8b0b62a8f6a090ec9610a2ab3dfcdb57e2539aa459a40583dfe96b8101838180098482868384090991505082810191508383840183089250017f18b99417dc26b5e079750eba282362d1d46900b47dd5ff809171588b08ac39838101838180098482868384090991505082810191508383840183089250017f1ee044081160b3eee2d4493feab82141c73f1c054b76320a8848af08a8d91a268101838180098482868384090991505082810191508383840183089250017f29bb95c8763efd3e0e87f5df12ee8a150455b6d7a14780d19122220366c258dc8101838180098482868384090991505082810191508383840183089250017f22c23eec9cb13ff8a3ee9a363d740653215e8991f7f9ec12067b4705e9a5c9fb8101838180098482868384090991505082810191508383840183089250017f23589e033a31a667680c8b18926c3be09115c7644c4f905cc7deefc1690b42dc8101838180098482868384090991505082810191508383840183089250017f304e99b887f2e1e92c9c0cde5f2bdd4764f60b98a219f1f0dd64ec938a6a247c8101838180098482868384090991505082810191508383840183089250017f22e817865236ad3a76fbe88bbdf31fcae792f326271d53a3a493b2de7f7d8b4c8101838180098482868384090991505082810191508383840183089250017f10c9efe573e86fa5b238a3f5c70a00bf02bc7dcfcc4878e026b77c881dc8b1c98101838180098482868384090991505082810191508383840183089250017f0a94f16be920d85f4d6f80e745c6bddbc084f309edffef023ea283c72b89bbb68101838180098482868384090991505082810191508383840183089250017f23ed72b4d01d14e3c7888fedb770494abc2c1ea81d6465b5df3da0ebcd69101a8101838180098482868384090991505082810191508383840183089250017f17c5115640e4cebeed0e6cbb511ac38498df815a77cb162de8d8f1022eb6bb748101838180098482868384090991505082810191508383840183089250017f2e507fcca290d0d9cf765245750eb04773e09e1fc813959fb99680a82772e4fc8101838180098482868384090991505082810191508383840183089250017f0d4a98999f5b39176af6cce65c8d12162433f055cb71d70dfc8803013292bbbf8101838180098482868384090991505082810191508383840183089250017f238d8022cc09c21ab3c01261a03dc125321d829e22a7a3b7a1bd3c335eccfa218101838180098482868384090991505082810191508383840183089250017f010cd8e4c2b7051cb81dc8292e35d8e943ce365613d5b39770e454ed9f4ae1658101838180098482868384090991505082810191508383840183089250017f088027e54f2a3604b11178cf0ea3c6aa861173a90fb231238e03539590ecc0278101838180098482868384090991505082810191508383840183089250017f1b840f5311a2b1d4b4cd7aa7e5a9a6d161165468daa938108302b73e464819db8101838180098482868384090991505082810191508383840183089250017f2bf51a5da1828a1cf9b764b1e16c15929a3a346e44198ea0cb366fcd8db78dc18101838180098482868384090991505082810191508383840183089250017f206ad089d8d296ffe68a6a86767a7fe726b8872f9c7beef9d56a3a50f6f238278101838180098482868384090991505082810191508383840183089250017f24d19193171494fa1a54e0a99ac16d05eaec4b6d617c7c199fc07ff88eac550c8101838180098482868384090991505082810191508383840183089250017f1dd654a2ca9d9f24f33d88246a40dfb32c40662278b9c0b995d9f9fbaf1521388101838180098482868384090991505082810191508383840183089250017f0d171025c925f6e259d20ecbd3a601108c85f05b0fe7793b8acf57f3789785e48101838180098482868384090991505082810191508383840183089250017f055bef435a43aec245cd99ccb0f7c8791d9e8cf2b80d95dd98b9908fed877d558101838180098482868384090991505082810191508383840183089250017f10d2ac8c61c8a2e88a2a3f42d9359a14be63d0ad4cfd9f203b75765d0e595f0e8101838180098482868384090991505082810191508383840183089250017f103479710e70996982a84057ec3ba6b2254d7966ddc41e85296e3d0790dcfa568101838180098482868384090991505082810191508383840183089250017f2a366f0448fda3c05914ffb48c765da8de96f9aa340db1638225f8372921807b8101838180098482868384090991505082810191508383840183089250017f16be0fb8ef62da17919b6e0378d00594153bb8899aeb686c04626b63285837a48101838180098482868384090991505082810191508383840183089250017f0417038500e9d06c60abbc7f0d0d24c32dec8a0b2aa5a4d52cfd8c78a15bc3708101838180098482868384090991505082810191508383840183089250017f26a6873b43ffd2ccf66ec6f4493ff9b54f4d76480bc486a3e5a0308fdd0138128101838180098482868384090991505082810191508383840183089250017f0a3314a838f32630a96251914fe5ad262f3db9b2aa8aa9f7391922d36278c4988101838180098482868384090991505082810191508383840183089250017f0fde0c5429a6beb07f462d4821f48f86aeadb46a090b15a044f4b59399027da48101838180098482868384090991505082810191508383840183089250017f0abc2d5049972a6b9b357e4163793b0bb517e1eb535a984df11a1c89cda2c8a98101838180098482868384090991505082810191508383840183089250017f0dab51d6e3ebfa661d21722fb21e55051b427a5f173f7f17735205dbb77c464e8101838180098482868384090991505082810191508383840183089250017f29c36622598b511d51af6cc37123652fb21be5c2d68fb8efe9b92e70a8c1ae038101838180098482868384090991505082810191508383840183089250017f2c03ec80adac2a33ae846bc0b700d0bcc41c4096e53ac6990d6bbe7ea2fbc85c8101838180098482868384090991505082810191508383840183089250017f0918fdbe9cf3a59fbdb4c6852d065105317303116017d893b8b521e3cebe1e0d8101838180098482868384090991505082810191508383840183089250017f1f19ec22e69ca33f599dd13cd7e495a8176a79df4f7acf79a9d2135acabe23598101838180098482868384090991505082810191508383840183089250017f1c4b037c8ae85ee1eb32b872eb7f76928c4c76b29ceb001346447b29110807048101838180098482868384090991505082810191508383840183089250017f2b68900ed906616d6c826d0bde341766ba3131e04d420de5af0a69c534efd8db8101838180098482868384090991505082810191508383840183089250017f20ca92aa222fcc69448f8dac653c8daaa180ff6dfb397cef723d4f0c782bc7f08101838180098482868384090991505082810191508383840183089250017f10d22d05bdff6bb375276fc82057db337045a5ab7ac053941f6186289b66b2b68101838180098482868384090991505082810191508383840183089250017f0b1ffdbb529367bb98f32ba45784cb435aa910b4a00636d1e5ca79e88bdd6cd98101838180098482868384090991505082810191508383840183089250017f2da32b38e7984bc2ed757ec705eccf8282c7b4f82e5e515f6f89bcc33022ce9f8101838180098482868384090991505082810191508383840183089250017f042593ad87403f6d2674b8b55a886725b87eb33958031e94d292cecc6abed1bb8101838180098482868384090991505082810191508383840183089250017f181fa1b4d067783a19d7367bf49b3f01051faedab463a6de9308fbd6e7d419f18101838180098482868384090991505082810191508383840183089250017f15aaa6cc9b7900b15683c95515c26028a8e35b00ed8a815c34927188c60de6608101838180098482868384090991505082810191508383840183089250017f1bf28a93209084bbbc63234f057254c280b1a636f5a0eced6787320212f75a7a810183818009848286838409099150507f1cdb8c8bee5426f02cd9e229776118f156273b312f805c8e6f8c9d81a620cb6f8301848182098582878384090983810190810195509092019250507f08299c0abf196d53162e0facb5f1876f516df2505cc387a0f8ea0e8760d5ca7e8201905083818009848286838409099150507f221643d205fe82778a7b7b58cb65c4962d76c0072cabd1124117269d7c710b8a8301848182098582878384090983810190810195509092019250507f2d036a95f81cf49bb7a0143a28c88767f6bd10c3f74b22db487920d43343dbff8201905083818009848286838409099150507f08a50897c06aafe6ea414fb1bceca2267cd4a39486729fbc6d5d1bb7a172ebd28301848182098582878384090992830190920193508492508691508390500895945050505050565b5f600160801b821061399157608091821c91015b600160401b82106139a457604091821c91015b64010000000082106139b857602091821c91015b6201000082106139ca57601091821c91015b61010082106139db57600891821c91015b601082106139eb57600491821c91015b600482106139fb57600291821c91015b60028210613a07576001015b919050565b803563ffffffff81168114613a07575f5ffd5b80356001600160401b0381168114613a07575f5ffd5b80356001600160a01b0381168114613a07575f5ffd5b5f5f5f60608486031215613a5d575f5ffd5b613a6684613a0c565b9250613a7460208501613a1f565b9150613a8260408501613a35565b90509250925092565b5f5f83601f840112613a9b575f5ffd5b5081356001600160401b03811115613ab1575f5ffd5b602083019150836020828501011115613ac8575f5ffd5b9250929050565b5f5f5f5f5f5f5f60a0888a031215613ae5575f5ffd5b87359650613af560208901613a1f565b9550613b0360408901613a1f565b945060608801356001600160401b03811115613b1d575f5ffd5b613b298a828b01613a8b565b90955093505060808801356001600160401b03811115613b47575f5ffd5b613b538a828b01613a8b565b989b979a50959850939692959293505050565b5f60208284031215613b76575f5ffd5b6128ca82613a1f565b5f60208284031215613b8f575f5ffd5b6128ca82613a35565b5f5f5f5f5f5f60c08789031215613bad575f5ffd5b613bb687613a0c565b9550613bc460208801613a0c565b9450613bd260408801613a35565b959894975094956060810135955060808101359460a0909101359350915050565b5f5f5f5f5f5f60a08789031215613c08575f5ffd5b613c1187613a1f565b9550613c1f60208801613a1f565b945060408701359350613c3460608801613a1f565b925060808701356001600160401b03811115613c4e575f5ffd5b613c5a89828a01613a8b565b979a9699509497509295939492505050565b5f60208284031215613c7c575f5ffd5b6128ca82613a0c565b5f60208284031215613c95575f5ffd5b5035919050565b80358015158114613a07575f5ffd5b8060608101831015612872575f5ffd5b5f5f5f5f5f5f5f610160888a031215613cd2575f5ffd5b613cdb88613a0c565b9650613ce960208901613a1f565b9550613cf760408901613c9c565b9450613d0560608901613a1f565b9350613d1360808901613a1f565b9250613d228960a08a01613cab565b9150613d32896101008a01613cab565b905092959891949750929550565b5f5f5f5f5f5f5f60e0888a031215613d56575f5ffd5b613d5f88613a0c565b96506020880135955060408801359450613d7b60608901613a1f565b9350613d8960808901613a1f565b9250613d9760a08901613a1f565b9150613d3260c08901613a1f565b5f5f60408385031215613db6575f5ffd5b613dbf83613a0c565b9150613dcd60208401613c9c565b90509250929050565b5f5f5f5f5f60808688031215613dea575f5ffd5b613df386613a0c565b9450613e0160208701613a1f565b9350613e0f60408701613a35565b925060608601356001600160401b03811115613e29575f5ffd5b613e3588828901613a8b565b969995985093965092949392505050565b5f5f5f5f5f5f5f5f5f6101008a8c031215613e5f575f5ffd5b613e688a613a0c565b985060208a0135975060408a01359650613e8460608b01613a1f565b9550613e9260808b01613a1f565b9450613ea060a08b01613a1f565b9350613eae60c08b01613a1f565b925060e08a01356001600160401b03811115613ec8575f5ffd5b613ed48c828d01613a8b565b915080935050809150509295985092959850929598565b634e487b7160e01b5f52601160045260245ffd5b6001600160401b03818116838216019081111561287257612872613eeb565b808202811582820484141761287257612872613eeb565b8082018082111561287257612872613eeb565b634e487b7160e01b5f52601260045260245ffd5b5f82613f6a57613f6a613f48565b500490565b8181038181111561287257612872613eeb565b60408152826040820152828460608301375f606084830101525f6060601f19601f860116830101905060208201835f5b6001811015613fd1578151835260209283019290910190600101613fb2565b505050949350505050565b634e487b7160e01b5f52603260045260245ffd5b5f81518060208401855e5f93019283525090919050565b5f61401b6140158388613ff0565b86613ff0565b838582375f93019283525090949350505050565b5f6128ca8284613ff0565b5f6020828403121561404a575f5ffd5b5051919050565b5f610160820190506001600160401b038916825287151560208301526001600160401b03871660408301526001600160401b0386166060830152606085608084013760608460e08401378261014083015298975050505050505050565b5f826140bc576140bc613f48565b500690565b6001600160401b03828116828216039081111561287257612872613eeb565b5f5f858511156140ee575f5ffd5b838611156140fa575f5ffd5b5050820193919092039150565b80356001600160c01b03198116906008841015614138576001600160c01b0319600885900360031b81901b82161691505b5092915050565b80356001600160e81b03198116906003841015614138576001600160e81b0319600394850390941b84901b1690921692915050565b838582375f8482015f8152838582375f93019283525090949350505050565b805160208201516bffffffffffffffffffffffff198116919060148210156141df576bffffffffffffffffffffffff196bffffffffffffffffffffffff198360140360031b1b82161692505b505091905056fe30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001a2646970667358221220fa73f467e36f9213d5943f2d81473d0209b86bc3c3a98ffd27cda606bc08579264736f6c63430008250033",
}

// Rollup is an auto generated Go binding around an Ethereum contract.
type Rollup struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *Rollup) GetABI() abi.ABI {
	return c.abi
}

// NewRollup creates a new instance of Rollup.
func NewRollup() *Rollup {
	parsed, err := RollupMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &Rollup{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *Rollup) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackConstructor is the Go binding used to pack the parameters required for
// contract deployment.
//
// Solidity: constructor(address verifier_, address exitVerifier_, uint64 exodusDelay_, uint8 depth_, uint64 chainId_, uint32 operatorAccount_, uint32 slots_, uint256 genesisRoot, address sequencer_) returns()
func (rollup *Rollup) PackConstructor(verifier_ common.Address, exitVerifier_ common.Address, exodusDelay_ uint64, depth_ uint8, chainId_ uint64, operatorAccount_ uint32, slots_ uint32, genesisRoot *big.Int, sequencer_ common.Address) []byte {
	enc, err := rollup.abi.Pack("", verifier_, exitVerifier_, exodusDelay_, depth_, chainId_, operatorAccount_, slots_, genesisRoot, sequencer_)
	if err != nil {
		panic(err)
	}
	return enc
}

// PackMAXTIMESTAMPLAG is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x4f85beff.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function MAX_TIMESTAMP_LAG() view returns(uint64)
func (rollup *Rollup) PackMAXTIMESTAMPLAG() []byte {
	enc, err := rollup.abi.Pack("MAX_TIMESTAMP_LAG")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMAXTIMESTAMPLAG is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x4f85beff.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function MAX_TIMESTAMP_LAG() view returns(uint64)
func (rollup *Rollup) TryPackMAXTIMESTAMPLAG() ([]byte, error) {
	return rollup.abi.Pack("MAX_TIMESTAMP_LAG")
}

// UnpackMAXTIMESTAMPLAG is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x4f85beff.
//
// Solidity: function MAX_TIMESTAMP_LAG() view returns(uint64)
func (rollup *Rollup) UnpackMAXTIMESTAMPLAG(data []byte) (uint64, error) {
	out, err := rollup.abi.Unpack("MAX_TIMESTAMP_LAG", data)
	if err != nil {
		return *new(uint64), err
	}
	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)
	return out0, nil
}

// PackActivateExodus is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa68f9f93.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function activateExodus() returns()
func (rollup *Rollup) PackActivateExodus() []byte {
	enc, err := rollup.abi.Pack("activateExodus")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackActivateExodus is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa68f9f93.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function activateExodus() returns()
func (rollup *Rollup) TryPackActivateExodus() ([]byte, error) {
	return rollup.abi.Pack("activateExodus")
}

// PackBatchCommitment is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x4e9ae53a.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function batchCommitment(uint64 next, uint64 timestamp, uint256 newRoot, uint64 newPrioConsumed, bytes publicData) view returns(uint256)
func (rollup *Rollup) PackBatchCommitment(next uint64, timestamp uint64, newRoot *big.Int, newPrioConsumed uint64, publicData []byte) []byte {
	enc, err := rollup.abi.Pack("batchCommitment", next, timestamp, newRoot, newPrioConsumed, publicData)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackBatchCommitment is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x4e9ae53a.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function batchCommitment(uint64 next, uint64 timestamp, uint256 newRoot, uint64 newPrioConsumed, bytes publicData) view returns(uint256)
func (rollup *Rollup) TryPackBatchCommitment(next uint64, timestamp uint64, newRoot *big.Int, newPrioConsumed uint64, publicData []byte) ([]byte, error) {
	return rollup.abi.Pack("batchCommitment", next, timestamp, newRoot, newPrioConsumed, publicData)
}

// UnpackBatchCommitment is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x4e9ae53a.
//
// Solidity: function batchCommitment(uint64 next, uint64 timestamp, uint256 newRoot, uint64 newPrioConsumed, bytes publicData) view returns(uint256)
func (rollup *Rollup) UnpackBatchCommitment(data []byte) (*big.Int, error) {
	out, err := rollup.abi.Unpack("batchCommitment", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackBatchNumber is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xba873065.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function batchNumber() view returns(uint64)
func (rollup *Rollup) PackBatchNumber() []byte {
	enc, err := rollup.abi.Pack("batchNumber")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackBatchNumber is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xba873065.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function batchNumber() view returns(uint64)
func (rollup *Rollup) TryPackBatchNumber() ([]byte, error) {
	return rollup.abi.Pack("batchNumber")
}

// UnpackBatchNumber is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xba873065.
//
// Solidity: function batchNumber() view returns(uint64)
func (rollup *Rollup) UnpackBatchNumber(data []byte) (uint64, error) {
	out, err := rollup.abi.Unpack("batchNumber", data)
	if err != nil {
		return *new(uint64), err
	}
	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)
	return out0, nil
}

// PackChainId is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x9a8a0592.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function chainId() view returns(uint64)
func (rollup *Rollup) PackChainId() []byte {
	enc, err := rollup.abi.Pack("chainId")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackChainId is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x9a8a0592.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function chainId() view returns(uint64)
func (rollup *Rollup) TryPackChainId() ([]byte, error) {
	return rollup.abi.Pack("chainId")
}

// UnpackChainId is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x9a8a0592.
//
// Solidity: function chainId() view returns(uint64)
func (rollup *Rollup) UnpackChainId(data []byte) (uint64, error) {
	out, err := rollup.abi.Unpack("chainId", data)
	if err != nil {
		return *new(uint64), err
	}
	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)
	return out0, nil
}

// PackChannelExit is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xcfffb130.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function channelExit(uint32 channel, uint256 leafX, uint256 leafY, uint64 total, uint64 version, uint64 balanceA, uint64 balanceB, bytes proof) returns()
func (rollup *Rollup) PackChannelExit(channel uint32, leafX *big.Int, leafY *big.Int, total uint64, version uint64, balanceA uint64, balanceB uint64, proof []byte) []byte {
	enc, err := rollup.abi.Pack("channelExit", channel, leafX, leafY, total, version, balanceA, balanceB, proof)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackChannelExit is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xcfffb130.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function channelExit(uint32 channel, uint256 leafX, uint256 leafY, uint64 total, uint64 version, uint64 balanceA, uint64 balanceB, bytes proof) returns()
func (rollup *Rollup) TryPackChannelExit(channel uint32, leafX *big.Int, leafY *big.Int, total uint64, version uint64, balanceA uint64, balanceB uint64, proof []byte) ([]byte, error) {
	return rollup.abi.Pack("channelExit", channel, leafX, leafY, total, version, balanceA, balanceB, proof)
}

// PackChannelExitCommitment is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xaa68c43a.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function channelExitCommitment(uint32 channel, uint256 leafX, uint256 leafY, uint64 total, uint64 version, uint64 balanceA, uint64 balanceB) view returns(uint256)
func (rollup *Rollup) PackChannelExitCommitment(channel uint32, leafX *big.Int, leafY *big.Int, total uint64, version uint64, balanceA uint64, balanceB uint64) []byte {
	enc, err := rollup.abi.Pack("channelExitCommitment", channel, leafX, leafY, total, version, balanceA, balanceB)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackChannelExitCommitment is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xaa68c43a.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function channelExitCommitment(uint32 channel, uint256 leafX, uint256 leafY, uint64 total, uint64 version, uint64 balanceA, uint64 balanceB) view returns(uint256)
func (rollup *Rollup) TryPackChannelExitCommitment(channel uint32, leafX *big.Int, leafY *big.Int, total uint64, version uint64, balanceA uint64, balanceB uint64) ([]byte, error) {
	return rollup.abi.Pack("channelExitCommitment", channel, leafX, leafY, total, version, balanceA, balanceB)
}

// UnpackChannelExitCommitment is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xaa68c43a.
//
// Solidity: function channelExitCommitment(uint32 channel, uint256 leafX, uint256 leafY, uint64 total, uint64 version, uint64 balanceA, uint64 balanceB) view returns(uint256)
func (rollup *Rollup) UnpackChannelExitCommitment(data []byte) (*big.Int, error) {
	out, err := rollup.abi.Unpack("channelExitCommitment", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackChannelSettlements is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa4525c61.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function channelSettlements(uint32 ) view returns(uint32 a, uint32 b, uint64 total, uint64 version, uint64 splitA, uint64 deadline, bool paidA, bool paidB)
func (rollup *Rollup) PackChannelSettlements(arg0 uint32) []byte {
	enc, err := rollup.abi.Pack("channelSettlements", arg0)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackChannelSettlements is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa4525c61.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function channelSettlements(uint32 ) view returns(uint32 a, uint32 b, uint64 total, uint64 version, uint64 splitA, uint64 deadline, bool paidA, bool paidB)
func (rollup *Rollup) TryPackChannelSettlements(arg0 uint32) ([]byte, error) {
	return rollup.abi.Pack("channelSettlements", arg0)
}

// ChannelSettlementsOutput serves as a container for the return parameters of contract
// method ChannelSettlements.
type ChannelSettlementsOutput struct {
	A        uint32
	B        uint32
	Total    uint64
	Version  uint64
	SplitA   uint64
	Deadline uint64
	PaidA    bool
	PaidB    bool
}

// UnpackChannelSettlements is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xa4525c61.
//
// Solidity: function channelSettlements(uint32 ) view returns(uint32 a, uint32 b, uint64 total, uint64 version, uint64 splitA, uint64 deadline, bool paidA, bool paidB)
func (rollup *Rollup) UnpackChannelSettlements(data []byte) (ChannelSettlementsOutput, error) {
	out, err := rollup.abi.Unpack("channelSettlements", data)
	outstruct := new(ChannelSettlementsOutput)
	if err != nil {
		return *outstruct, err
	}
	outstruct.A = *abi.ConvertType(out[0], new(uint32)).(*uint32)
	outstruct.B = *abi.ConvertType(out[1], new(uint32)).(*uint32)
	outstruct.Total = *abi.ConvertType(out[2], new(uint64)).(*uint64)
	outstruct.Version = *abi.ConvertType(out[3], new(uint64)).(*uint64)
	outstruct.SplitA = *abi.ConvertType(out[4], new(uint64)).(*uint64)
	outstruct.Deadline = *abi.ConvertType(out[5], new(uint64)).(*uint64)
	outstruct.PaidA = *abi.ConvertType(out[6], new(bool)).(*bool)
	outstruct.PaidB = *abi.ConvertType(out[7], new(bool)).(*bool)
	return *outstruct, nil
}

// PackClaimChannelShare is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xbb81993e.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function claimChannelShare(uint32 channel, bool partyB) returns()
func (rollup *Rollup) PackClaimChannelShare(channel uint32, partyB bool) []byte {
	enc, err := rollup.abi.Pack("claimChannelShare", channel, partyB)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackClaimChannelShare is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xbb81993e.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function claimChannelShare(uint32 channel, bool partyB) returns()
func (rollup *Rollup) TryPackClaimChannelShare(channel uint32, partyB bool) ([]byte, error) {
	return rollup.abi.Pack("claimChannelShare", channel, partyB)
}

// PackCommitBatch is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1397efe9.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function commitBatch(uint256 newRoot, uint64 newPrioConsumed, uint64 timestamp, bytes publicData, bytes proof) returns()
func (rollup *Rollup) PackCommitBatch(newRoot *big.Int, newPrioConsumed uint64, timestamp uint64, publicData []byte, proof []byte) []byte {
	enc, err := rollup.abi.Pack("commitBatch", newRoot, newPrioConsumed, timestamp, publicData, proof)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackCommitBatch is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1397efe9.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function commitBatch(uint256 newRoot, uint64 newPrioConsumed, uint64 timestamp, bytes publicData, bytes proof) returns()
func (rollup *Rollup) TryPackCommitBatch(newRoot *big.Int, newPrioConsumed uint64, timestamp uint64, publicData []byte, proof []byte) ([]byte, error) {
	return rollup.abi.Pack("commitBatch", newRoot, newPrioConsumed, timestamp, publicData, proof)
}

// PackDeposit is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb214faa5.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function deposit(bytes32 key) payable returns()
func (rollup *Rollup) PackDeposit(key [32]byte) []byte {
	enc, err := rollup.abi.Pack("deposit", key)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDeposit is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb214faa5.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function deposit(bytes32 key) payable returns()
func (rollup *Rollup) TryPackDeposit(key [32]byte) ([]byte, error) {
	return rollup.abi.Pack("deposit", key)
}

// PackDepth is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x631c56ef.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function depth() view returns(uint8)
func (rollup *Rollup) PackDepth() []byte {
	enc, err := rollup.abi.Pack("depth")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDepth is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x631c56ef.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function depth() view returns(uint8)
func (rollup *Rollup) TryPackDepth() ([]byte, error) {
	return rollup.abi.Pack("depth")
}

// UnpackDepth is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x631c56ef.
//
// Solidity: function depth() view returns(uint8)
func (rollup *Rollup) UnpackDepth(data []byte) (uint8, error) {
	out, err := rollup.abi.Unpack("depth", data)
	if err != nil {
		return *new(uint8), err
	}
	out0 := *abi.ConvertType(out[0], new(uint8)).(*uint8)
	return out0, nil
}

// PackExit is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xc44ce506.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function exit(uint32 account, uint64 amountGwei, address to, bytes proof) returns()
func (rollup *Rollup) PackExit(account uint32, amountGwei uint64, to common.Address, proof []byte) []byte {
	enc, err := rollup.abi.Pack("exit", account, amountGwei, to, proof)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackExit is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xc44ce506.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function exit(uint32 account, uint64 amountGwei, address to, bytes proof) returns()
func (rollup *Rollup) TryPackExit(account uint32, amountGwei uint64, to common.Address, proof []byte) ([]byte, error) {
	return rollup.abi.Pack("exit", account, amountGwei, to, proof)
}

// PackExitCommitment is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x00ce4740.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function exitCommitment(uint32 account, uint64 amountGwei, address to) view returns(uint256)
func (rollup *Rollup) PackExitCommitment(account uint32, amountGwei uint64, to common.Address) []byte {
	enc, err := rollup.abi.Pack("exitCommitment", account, amountGwei, to)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackExitCommitment is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x00ce4740.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function exitCommitment(uint32 account, uint64 amountGwei, address to) view returns(uint256)
func (rollup *Rollup) TryPackExitCommitment(account uint32, amountGwei uint64, to common.Address) ([]byte, error) {
	return rollup.abi.Pack("exitCommitment", account, amountGwei, to)
}

// UnpackExitCommitment is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x00ce4740.
//
// Solidity: function exitCommitment(uint32 account, uint64 amountGwei, address to) view returns(uint256)
func (rollup *Rollup) UnpackExitCommitment(data []byte) (*big.Int, error) {
	out, err := rollup.abi.Unpack("exitCommitment", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackExitVerifier is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x52822bfb.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function exitVerifier() view returns(address)
func (rollup *Rollup) PackExitVerifier() []byte {
	enc, err := rollup.abi.Pack("exitVerifier")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackExitVerifier is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x52822bfb.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function exitVerifier() view returns(address)
func (rollup *Rollup) TryPackExitVerifier() ([]byte, error) {
	return rollup.abi.Pack("exitVerifier")
}

// UnpackExitVerifier is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x52822bfb.
//
// Solidity: function exitVerifier() view returns(address)
func (rollup *Rollup) UnpackExitVerifier(data []byte) (common.Address, error) {
	out, err := rollup.abi.Unpack("exitVerifier", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackExited is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x6e78613b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function exited(uint32 ) view returns(bool)
func (rollup *Rollup) PackExited(arg0 uint32) []byte {
	enc, err := rollup.abi.Pack("exited", arg0)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackExited is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x6e78613b.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function exited(uint32 ) view returns(bool)
func (rollup *Rollup) TryPackExited(arg0 uint32) ([]byte, error) {
	return rollup.abi.Pack("exited", arg0)
}

// UnpackExited is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x6e78613b.
//
// Solidity: function exited(uint32 ) view returns(bool)
func (rollup *Rollup) UnpackExited(data []byte) (bool, error) {
	out, err := rollup.abi.Unpack("exited", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackExitedTo is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x84221c54.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function exitedTo(uint32 ) view returns(address)
func (rollup *Rollup) PackExitedTo(arg0 uint32) []byte {
	enc, err := rollup.abi.Pack("exitedTo", arg0)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackExitedTo is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x84221c54.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function exitedTo(uint32 ) view returns(address)
func (rollup *Rollup) TryPackExitedTo(arg0 uint32) ([]byte, error) {
	return rollup.abi.Pack("exitedTo", arg0)
}

// UnpackExitedTo is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x84221c54.
//
// Solidity: function exitedTo(uint32 ) view returns(address)
func (rollup *Rollup) UnpackExitedTo(data []byte) (common.Address, error) {
	out, err := rollup.abi.Unpack("exitedTo", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackExodusDelay is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8ab0f211.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function exodusDelay() view returns(uint64)
func (rollup *Rollup) PackExodusDelay() []byte {
	enc, err := rollup.abi.Pack("exodusDelay")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackExodusDelay is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8ab0f211.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function exodusDelay() view returns(uint64)
func (rollup *Rollup) TryPackExodusDelay() ([]byte, error) {
	return rollup.abi.Pack("exodusDelay")
}

// UnpackExodusDelay is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x8ab0f211.
//
// Solidity: function exodusDelay() view returns(uint64)
func (rollup *Rollup) UnpackExodusDelay(data []byte) (uint64, error) {
	out, err := rollup.abi.Unpack("exodusDelay", data)
	if err != nil {
		return *new(uint64), err
	}
	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)
	return out0, nil
}

// PackExodusMode is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x264c0912.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function exodusMode() view returns(bool)
func (rollup *Rollup) PackExodusMode() []byte {
	enc, err := rollup.abi.Pack("exodusMode")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackExodusMode is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x264c0912.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function exodusMode() view returns(bool)
func (rollup *Rollup) TryPackExodusMode() ([]byte, error) {
	return rollup.abi.Pack("exodusMode")
}

// UnpackExodusMode is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x264c0912.
//
// Solidity: function exodusMode() view returns(bool)
func (rollup *Rollup) UnpackExodusMode(data []byte) (bool, error) {
	out, err := rollup.abi.Unpack("exodusMode", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackLastTimestamp is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x19d8ac61.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function lastTimestamp() view returns(uint64)
func (rollup *Rollup) PackLastTimestamp() []byte {
	enc, err := rollup.abi.Pack("lastTimestamp")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackLastTimestamp is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x19d8ac61.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function lastTimestamp() view returns(uint64)
func (rollup *Rollup) TryPackLastTimestamp() ([]byte, error) {
	return rollup.abi.Pack("lastTimestamp")
}

// UnpackLastTimestamp is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x19d8ac61.
//
// Solidity: function lastTimestamp() view returns(uint64)
func (rollup *Rollup) UnpackLastTimestamp(data []byte) (uint64, error) {
	out, err := rollup.abi.Unpack("lastTimestamp", data)
	if err != nil {
		return *new(uint64), err
	}
	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)
	return out0, nil
}

// PackOperatorAccount is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2801643d.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function operatorAccount() view returns(uint32)
func (rollup *Rollup) PackOperatorAccount() []byte {
	enc, err := rollup.abi.Pack("operatorAccount")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackOperatorAccount is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2801643d.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function operatorAccount() view returns(uint32)
func (rollup *Rollup) TryPackOperatorAccount() ([]byte, error) {
	return rollup.abi.Pack("operatorAccount")
}

// UnpackOperatorAccount is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x2801643d.
//
// Solidity: function operatorAccount() view returns(uint32)
func (rollup *Rollup) UnpackOperatorAccount(data []byte) (uint32, error) {
	out, err := rollup.abi.Unpack("operatorAccount", data)
	if err != nil {
		return *new(uint32), err
	}
	out0 := *abi.ConvertType(out[0], new(uint32)).(*uint32)
	return out0, nil
}

// PackOwner is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8da5cb5b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function owner() view returns(address)
func (rollup *Rollup) PackOwner() []byte {
	enc, err := rollup.abi.Pack("owner")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackOwner is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8da5cb5b.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function owner() view returns(address)
func (rollup *Rollup) TryPackOwner() ([]byte, error) {
	return rollup.abi.Pack("owner")
}

// UnpackOwner is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x8da5cb5b.
//
// Solidity: function owner() view returns(address)
func (rollup *Rollup) UnpackOwner(data []byte) (common.Address, error) {
	out, err := rollup.abi.Unpack("owner", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackPendingWithdrawals is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf3f43703.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function pendingWithdrawals(address ) view returns(uint256)
func (rollup *Rollup) PackPendingWithdrawals(arg0 common.Address) []byte {
	enc, err := rollup.abi.Pack("pendingWithdrawals", arg0)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackPendingWithdrawals is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf3f43703.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function pendingWithdrawals(address ) view returns(uint256)
func (rollup *Rollup) TryPackPendingWithdrawals(arg0 common.Address) ([]byte, error) {
	return rollup.abi.Pack("pendingWithdrawals", arg0)
}

// UnpackPendingWithdrawals is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xf3f43703.
//
// Solidity: function pendingWithdrawals(address ) view returns(uint256)
func (rollup *Rollup) UnpackPendingWithdrawals(data []byte) (*big.Int, error) {
	out, err := rollup.abi.Unpack("pendingWithdrawals", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackPrioConsumed is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd971bd26.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function prioConsumed() view returns(uint64)
func (rollup *Rollup) PackPrioConsumed() []byte {
	enc, err := rollup.abi.Pack("prioConsumed")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackPrioConsumed is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd971bd26.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function prioConsumed() view returns(uint64)
func (rollup *Rollup) TryPackPrioConsumed() ([]byte, error) {
	return rollup.abi.Pack("prioConsumed")
}

// UnpackPrioConsumed is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xd971bd26.
//
// Solidity: function prioConsumed() view returns(uint64)
func (rollup *Rollup) UnpackPrioConsumed(data []byte) (uint64, error) {
	out, err := rollup.abi.Unpack("prioConsumed", data)
	if err != nil {
		return *new(uint64), err
	}
	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)
	return out0, nil
}

// PackPrioCount is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8c9e1501.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function prioCount() view returns(uint64)
func (rollup *Rollup) PackPrioCount() []byte {
	enc, err := rollup.abi.Pack("prioCount")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackPrioCount is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8c9e1501.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function prioCount() view returns(uint64)
func (rollup *Rollup) TryPackPrioCount() ([]byte, error) {
	return rollup.abi.Pack("prioCount")
}

// UnpackPrioCount is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x8c9e1501.
//
// Solidity: function prioCount() view returns(uint64)
func (rollup *Rollup) UnpackPrioCount(data []byte) (uint64, error) {
	out, err := rollup.abi.Unpack("prioCount", data)
	if err != nil {
		return *new(uint64), err
	}
	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)
	return out0, nil
}

// PackPrioHashes is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe32fb927.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function prioHashes(uint256 ) view returns(uint256)
func (rollup *Rollup) PackPrioHashes(arg0 *big.Int) []byte {
	enc, err := rollup.abi.Pack("prioHashes", arg0)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackPrioHashes is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe32fb927.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function prioHashes(uint256 ) view returns(uint256)
func (rollup *Rollup) TryPackPrioHashes(arg0 *big.Int) ([]byte, error) {
	return rollup.abi.Pack("prioHashes", arg0)
}

// UnpackPrioHashes is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xe32fb927.
//
// Solidity: function prioHashes(uint256 ) view returns(uint256)
func (rollup *Rollup) UnpackPrioHashes(data []byte) (*big.Int, error) {
	out, err := rollup.abi.Unpack("prioHashes", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackPrioRequests is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8efee159.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function prioRequests(uint256 ) view returns(uint256)
func (rollup *Rollup) PackPrioRequests(arg0 *big.Int) []byte {
	enc, err := rollup.abi.Pack("prioRequests", arg0)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackPrioRequests is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8efee159.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function prioRequests(uint256 ) view returns(uint256)
func (rollup *Rollup) TryPackPrioRequests(arg0 *big.Int) ([]byte, error) {
	return rollup.abi.Pack("prioRequests", arg0)
}

// UnpackPrioRequests is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x8efee159.
//
// Solidity: function prioRequests(uint256 ) view returns(uint256)
func (rollup *Rollup) UnpackPrioRequests(data []byte) (*big.Int, error) {
	out, err := rollup.abi.Unpack("prioRequests", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackRefundDeposit is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x23356eaf.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function refundDeposit(uint64 index) returns()
func (rollup *Rollup) PackRefundDeposit(index uint64) []byte {
	enc, err := rollup.abi.Pack("refundDeposit", index)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRefundDeposit is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x23356eaf.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function refundDeposit(uint64 index) returns()
func (rollup *Rollup) TryPackRefundDeposit(index uint64) ([]byte, error) {
	return rollup.abi.Pack("refundDeposit", index)
}

// PackRequestChannelChallenge is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa21e2dcc.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function requestChannelChallenge(uint32 channel, uint64 version, bool isFinal, uint64 balanceA, uint64 balanceB, uint256[3] sigA, uint256[3] sigB) returns()
func (rollup *Rollup) PackRequestChannelChallenge(channel uint32, version uint64, isFinal bool, balanceA uint64, balanceB uint64, sigA [3]*big.Int, sigB [3]*big.Int) []byte {
	enc, err := rollup.abi.Pack("requestChannelChallenge", channel, version, isFinal, balanceA, balanceB, sigA, sigB)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRequestChannelChallenge is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa21e2dcc.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function requestChannelChallenge(uint32 channel, uint64 version, bool isFinal, uint64 balanceA, uint64 balanceB, uint256[3] sigA, uint256[3] sigB) returns()
func (rollup *Rollup) TryPackRequestChannelChallenge(channel uint32, version uint64, isFinal bool, balanceA uint64, balanceB uint64, sigA [3]*big.Int, sigB [3]*big.Int) ([]byte, error) {
	return rollup.abi.Pack("requestChannelChallenge", channel, version, isFinal, balanceA, balanceB, sigA, sigB)
}

// PackRequestFullExit is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x4dfda4b2.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function requestFullExit(uint32 account, uint32 nonce, address to, uint256 rX, uint256 rY, uint256 s) returns()
func (rollup *Rollup) PackRequestFullExit(account uint32, nonce uint32, to common.Address, rX *big.Int, rY *big.Int, s *big.Int) []byte {
	enc, err := rollup.abi.Pack("requestFullExit", account, nonce, to, rX, rY, s)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRequestFullExit is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x4dfda4b2.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function requestFullExit(uint32 account, uint32 nonce, address to, uint256 rX, uint256 rY, uint256 s) returns()
func (rollup *Rollup) TryPackRequestFullExit(account uint32, nonce uint32, to common.Address, rX *big.Int, rY *big.Int, s *big.Int) ([]byte, error) {
	return rollup.abi.Pack("requestFullExit", account, nonce, to, rX, rY, s)
}

// PackSequencer is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x5c1bba38.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function sequencer() view returns(address)
func (rollup *Rollup) PackSequencer() []byte {
	enc, err := rollup.abi.Pack("sequencer")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSequencer is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x5c1bba38.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function sequencer() view returns(address)
func (rollup *Rollup) TryPackSequencer() ([]byte, error) {
	return rollup.abi.Pack("sequencer")
}

// UnpackSequencer is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x5c1bba38.
//
// Solidity: function sequencer() view returns(address)
func (rollup *Rollup) UnpackSequencer(data []byte) (common.Address, error) {
	out, err := rollup.abi.Unpack("sequencer", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackSetSequencer is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2547fa3e.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function setSequencer(address next) returns()
func (rollup *Rollup) PackSetSequencer(next common.Address) []byte {
	enc, err := rollup.abi.Pack("setSequencer", next)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSetSequencer is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2547fa3e.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function setSequencer(address next) returns()
func (rollup *Rollup) TryPackSetSequencer(next common.Address) ([]byte, error) {
	return rollup.abi.Pack("setSequencer", next)
}

// PackSlots is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x48547d69.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function slots() view returns(uint32)
func (rollup *Rollup) PackSlots() []byte {
	enc, err := rollup.abi.Pack("slots")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSlots is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x48547d69.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function slots() view returns(uint32)
func (rollup *Rollup) TryPackSlots() ([]byte, error) {
	return rollup.abi.Pack("slots")
}

// UnpackSlots is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x48547d69.
//
// Solidity: function slots() view returns(uint32)
func (rollup *Rollup) UnpackSlots(data []byte) (uint32, error) {
	out, err := rollup.abi.Unpack("slots", data)
	if err != nil {
		return *new(uint32), err
	}
	out0 := *abi.ConvertType(out[0], new(uint32)).(*uint32)
	return out0, nil
}

// PackStateRoot is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x9588eca2.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function stateRoot() view returns(uint256)
func (rollup *Rollup) PackStateRoot() []byte {
	enc, err := rollup.abi.Pack("stateRoot")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackStateRoot is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x9588eca2.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function stateRoot() view returns(uint256)
func (rollup *Rollup) TryPackStateRoot() ([]byte, error) {
	return rollup.abi.Pack("stateRoot")
}

// UnpackStateRoot is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x9588eca2.
//
// Solidity: function stateRoot() view returns(uint256)
func (rollup *Rollup) UnpackStateRoot(data []byte) (*big.Int, error) {
	out, err := rollup.abi.Unpack("stateRoot", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackTotalPending is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3f90916a.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function totalPending() view returns(uint256)
func (rollup *Rollup) PackTotalPending() []byte {
	enc, err := rollup.abi.Pack("totalPending")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackTotalPending is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3f90916a.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function totalPending() view returns(uint256)
func (rollup *Rollup) TryPackTotalPending() ([]byte, error) {
	return rollup.abi.Pack("totalPending")
}

// UnpackTotalPending is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x3f90916a.
//
// Solidity: function totalPending() view returns(uint256)
func (rollup *Rollup) UnpackTotalPending(data []byte) (*big.Int, error) {
	out, err := rollup.abi.Unpack("totalPending", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackTransferOwnership is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf2fde38b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function transferOwnership(address next) returns()
func (rollup *Rollup) PackTransferOwnership(next common.Address) []byte {
	enc, err := rollup.abi.Pack("transferOwnership", next)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackTransferOwnership is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf2fde38b.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function transferOwnership(address next) returns()
func (rollup *Rollup) TryPackTransferOwnership(next common.Address) ([]byte, error) {
	return rollup.abi.Pack("transferOwnership", next)
}

// PackVerifier is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2b7ac3f3.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function verifier() view returns(address)
func (rollup *Rollup) PackVerifier() []byte {
	enc, err := rollup.abi.Pack("verifier")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackVerifier is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2b7ac3f3.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function verifier() view returns(address)
func (rollup *Rollup) TryPackVerifier() ([]byte, error) {
	return rollup.abi.Pack("verifier")
}

// UnpackVerifier is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x2b7ac3f3.
//
// Solidity: function verifier() view returns(address)
func (rollup *Rollup) UnpackVerifier(data []byte) (common.Address, error) {
	out, err := rollup.abi.Unpack("verifier", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackWithdraw is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3ccfd60b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function withdraw() returns()
func (rollup *Rollup) PackWithdraw() []byte {
	enc, err := rollup.abi.Pack("withdraw")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackWithdraw is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3ccfd60b.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function withdraw() returns()
func (rollup *Rollup) TryPackWithdraw() ([]byte, error) {
	return rollup.abi.Pack("withdraw")
}

// RollupBatchCommitted represents a BatchCommitted event raised by the Rollup contract.
type RollupBatchCommitted struct {
	Batch        uint64
	NewRoot      *big.Int
	Commitment   *big.Int
	PrioConsumed uint64
	Raw          *types.Log // Blockchain specific contextual infos
}

const RollupBatchCommittedEventName = "BatchCommitted"

// ContractEventName returns the user-defined event name.
func (RollupBatchCommitted) ContractEventName() string {
	return RollupBatchCommittedEventName
}

// UnpackBatchCommittedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event BatchCommitted(uint64 indexed batch, uint256 newRoot, uint256 commitment, uint64 prioConsumed)
func (rollup *Rollup) UnpackBatchCommittedEvent(log *types.Log) (*RollupBatchCommitted, error) {
	event := "BatchCommitted"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != rollup.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(RollupBatchCommitted)
	if len(log.Data) > 0 {
		if err := rollup.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range rollup.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// RollupChannelChallengeRequested represents a ChannelChallengeRequested event raised by the Rollup contract.
type RollupChannelChallengeRequested struct {
	Index    uint64
	Channel  uint32
	Version  uint64
	IsFinal  bool
	BalanceA uint64
	BalanceB uint64
	SigA     [3]*big.Int
	SigB     [3]*big.Int
	PrioHash *big.Int
	Raw      *types.Log // Blockchain specific contextual infos
}

const RollupChannelChallengeRequestedEventName = "ChannelChallengeRequested"

// ContractEventName returns the user-defined event name.
func (RollupChannelChallengeRequested) ContractEventName() string {
	return RollupChannelChallengeRequestedEventName
}

// UnpackChannelChallengeRequestedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event ChannelChallengeRequested(uint64 indexed index, uint32 indexed channel, uint64 version, bool isFinal, uint64 balanceA, uint64 balanceB, uint256[3] sigA, uint256[3] sigB, uint256 prioHash)
func (rollup *Rollup) UnpackChannelChallengeRequestedEvent(log *types.Log) (*RollupChannelChallengeRequested, error) {
	event := "ChannelChallengeRequested"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != rollup.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(RollupChannelChallengeRequested)
	if len(log.Data) > 0 {
		if err := rollup.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range rollup.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// RollupChannelSettling represents a ChannelSettling event raised by the Rollup contract.
type RollupChannelSettling struct {
	Channel  uint32
	Version  uint64
	SplitA   uint64
	Deadline uint64
	Raw      *types.Log // Blockchain specific contextual infos
}

const RollupChannelSettlingEventName = "ChannelSettling"

// ContractEventName returns the user-defined event name.
func (RollupChannelSettling) ContractEventName() string {
	return RollupChannelSettlingEventName
}

// UnpackChannelSettlingEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event ChannelSettling(uint32 indexed channel, uint64 version, uint64 splitA, uint64 deadline)
func (rollup *Rollup) UnpackChannelSettlingEvent(log *types.Log) (*RollupChannelSettling, error) {
	event := "ChannelSettling"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != rollup.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(RollupChannelSettling)
	if len(log.Data) > 0 {
		if err := rollup.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range rollup.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// RollupChannelSharePaid represents a ChannelSharePaid event raised by the Rollup contract.
type RollupChannelSharePaid struct {
	Channel    uint32
	Account    uint32
	To         common.Address
	AmountGwei uint64
	Raw        *types.Log // Blockchain specific contextual infos
}

const RollupChannelSharePaidEventName = "ChannelSharePaid"

// ContractEventName returns the user-defined event name.
func (RollupChannelSharePaid) ContractEventName() string {
	return RollupChannelSharePaidEventName
}

// UnpackChannelSharePaidEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event ChannelSharePaid(uint32 indexed channel, uint32 indexed account, address indexed to, uint64 amountGwei)
func (rollup *Rollup) UnpackChannelSharePaidEvent(log *types.Log) (*RollupChannelSharePaid, error) {
	event := "ChannelSharePaid"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != rollup.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(RollupChannelSharePaid)
	if len(log.Data) > 0 {
		if err := rollup.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range rollup.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// RollupDeposit represents a Deposit event raised by the Rollup contract.
type RollupDeposit struct {
	Index      uint64
	From       common.Address
	Key        [32]byte
	AmountGwei uint64
	PrioHash   *big.Int
	Raw        *types.Log // Blockchain specific contextual infos
}

const RollupDepositEventName = "Deposit"

// ContractEventName returns the user-defined event name.
func (RollupDeposit) ContractEventName() string {
	return RollupDepositEventName
}

// UnpackDepositEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Deposit(uint64 indexed index, address indexed from, bytes32 key, uint64 amountGwei, uint256 prioHash)
func (rollup *Rollup) UnpackDepositEvent(log *types.Log) (*RollupDeposit, error) {
	event := "Deposit"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != rollup.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(RollupDeposit)
	if len(log.Data) > 0 {
		if err := rollup.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range rollup.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// RollupDepositRefunded represents a DepositRefunded event raised by the Rollup contract.
type RollupDepositRefunded struct {
	Index      uint64
	To         common.Address
	AmountGwei uint64
	Raw        *types.Log // Blockchain specific contextual infos
}

const RollupDepositRefundedEventName = "DepositRefunded"

// ContractEventName returns the user-defined event name.
func (RollupDepositRefunded) ContractEventName() string {
	return RollupDepositRefundedEventName
}

// UnpackDepositRefundedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event DepositRefunded(uint64 indexed index, address indexed to, uint64 amountGwei)
func (rollup *Rollup) UnpackDepositRefundedEvent(log *types.Log) (*RollupDepositRefunded, error) {
	event := "DepositRefunded"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != rollup.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(RollupDepositRefunded)
	if len(log.Data) > 0 {
		if err := rollup.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range rollup.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// RollupExited represents a Exited event raised by the Rollup contract.
type RollupExited struct {
	Account    uint32
	To         common.Address
	AmountGwei uint64
	Raw        *types.Log // Blockchain specific contextual infos
}

const RollupExitedEventName = "Exited"

// ContractEventName returns the user-defined event name.
func (RollupExited) ContractEventName() string {
	return RollupExitedEventName
}

// UnpackExitedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Exited(uint32 indexed account, address indexed to, uint64 amountGwei)
func (rollup *Rollup) UnpackExitedEvent(log *types.Log) (*RollupExited, error) {
	event := "Exited"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != rollup.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(RollupExited)
	if len(log.Data) > 0 {
		if err := rollup.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range rollup.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// RollupExodusActivated represents a ExodusActivated event raised by the Rollup contract.
type RollupExodusActivated struct {
	Request      uint64
	RequestBlock *big.Int
	Raw          *types.Log // Blockchain specific contextual infos
}

const RollupExodusActivatedEventName = "ExodusActivated"

// ContractEventName returns the user-defined event name.
func (RollupExodusActivated) ContractEventName() string {
	return RollupExodusActivatedEventName
}

// UnpackExodusActivatedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event ExodusActivated(uint64 request, uint256 requestBlock)
func (rollup *Rollup) UnpackExodusActivatedEvent(log *types.Log) (*RollupExodusActivated, error) {
	event := "ExodusActivated"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != rollup.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(RollupExodusActivated)
	if len(log.Data) > 0 {
		if err := rollup.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range rollup.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// RollupFullExitRequested represents a FullExitRequested event raised by the Rollup contract.
type RollupFullExitRequested struct {
	Index    uint64
	Account  uint32
	Nonce    uint32
	To       common.Address
	RX       *big.Int
	RY       *big.Int
	S        *big.Int
	PrioHash *big.Int
	Raw      *types.Log // Blockchain specific contextual infos
}

const RollupFullExitRequestedEventName = "FullExitRequested"

// ContractEventName returns the user-defined event name.
func (RollupFullExitRequested) ContractEventName() string {
	return RollupFullExitRequestedEventName
}

// UnpackFullExitRequestedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event FullExitRequested(uint64 indexed index, uint32 indexed account, uint32 nonce, address to, uint256 rX, uint256 rY, uint256 s, uint256 prioHash)
func (rollup *Rollup) UnpackFullExitRequestedEvent(log *types.Log) (*RollupFullExitRequested, error) {
	event := "FullExitRequested"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != rollup.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(RollupFullExitRequested)
	if len(log.Data) > 0 {
		if err := rollup.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range rollup.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// RollupOwnerChanged represents a OwnerChanged event raised by the Rollup contract.
type RollupOwnerChanged struct {
	Previous common.Address
	Next     common.Address
	Raw      *types.Log // Blockchain specific contextual infos
}

const RollupOwnerChangedEventName = "OwnerChanged"

// ContractEventName returns the user-defined event name.
func (RollupOwnerChanged) ContractEventName() string {
	return RollupOwnerChangedEventName
}

// UnpackOwnerChangedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event OwnerChanged(address indexed previous, address indexed next)
func (rollup *Rollup) UnpackOwnerChangedEvent(log *types.Log) (*RollupOwnerChanged, error) {
	event := "OwnerChanged"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != rollup.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(RollupOwnerChanged)
	if len(log.Data) > 0 {
		if err := rollup.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range rollup.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// RollupSequencerChanged represents a SequencerChanged event raised by the Rollup contract.
type RollupSequencerChanged struct {
	Previous common.Address
	Next     common.Address
	Raw      *types.Log // Blockchain specific contextual infos
}

const RollupSequencerChangedEventName = "SequencerChanged"

// ContractEventName returns the user-defined event name.
func (RollupSequencerChanged) ContractEventName() string {
	return RollupSequencerChangedEventName
}

// UnpackSequencerChangedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event SequencerChanged(address indexed previous, address indexed next)
func (rollup *Rollup) UnpackSequencerChangedEvent(log *types.Log) (*RollupSequencerChanged, error) {
	event := "SequencerChanged"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != rollup.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(RollupSequencerChanged)
	if len(log.Data) > 0 {
		if err := rollup.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range rollup.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// RollupWithdrawalClaimed represents a WithdrawalClaimed event raised by the Rollup contract.
type RollupWithdrawalClaimed struct {
	To        common.Address
	AmountWei *big.Int
	Raw       *types.Log // Blockchain specific contextual infos
}

const RollupWithdrawalClaimedEventName = "WithdrawalClaimed"

// ContractEventName returns the user-defined event name.
func (RollupWithdrawalClaimed) ContractEventName() string {
	return RollupWithdrawalClaimedEventName
}

// UnpackWithdrawalClaimedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event WithdrawalClaimed(address indexed to, uint256 amountWei)
func (rollup *Rollup) UnpackWithdrawalClaimedEvent(log *types.Log) (*RollupWithdrawalClaimed, error) {
	event := "WithdrawalClaimed"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != rollup.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(RollupWithdrawalClaimed)
	if len(log.Data) > 0 {
		if err := rollup.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range rollup.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// RollupWithdrawalPending represents a WithdrawalPending event raised by the Rollup contract.
type RollupWithdrawalPending struct {
	Batch     uint64
	To        common.Address
	AmountWei *big.Int
	Raw       *types.Log // Blockchain specific contextual infos
}

const RollupWithdrawalPendingEventName = "WithdrawalPending"

// ContractEventName returns the user-defined event name.
func (RollupWithdrawalPending) ContractEventName() string {
	return RollupWithdrawalPendingEventName
}

// UnpackWithdrawalPendingEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event WithdrawalPending(uint64 indexed batch, address indexed to, uint256 amountWei)
func (rollup *Rollup) UnpackWithdrawalPendingEvent(log *types.Log) (*RollupWithdrawalPending, error) {
	event := "WithdrawalPending"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != rollup.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(RollupWithdrawalPending)
	if len(log.Data) > 0 {
		if err := rollup.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range rollup.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// UnpackError attempts to decode the provided error data using user-defined
// error definitions.
func (rollup *Rollup) UnpackError(raw []byte) (any, error) {
	if bytes.Equal(raw[:4], rollup.abi.Errors["AccountOutOfRange"].ID.Bytes()[:4]) {
		return rollup.UnpackAccountOutOfRangeError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["AlreadyExited"].ID.Bytes()[:4]) {
		return rollup.UnpackAlreadyExitedError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["BadPublicDataLength"].ID.Bytes()[:4]) {
		return rollup.UnpackBadPublicDataLengthError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["BadTimestamp"].ID.Bytes()[:4]) {
		return rollup.UnpackBadTimestampError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["ChannelNotSettling"].ID.Bytes()[:4]) {
		return rollup.UnpackChannelNotSettlingError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["ChannelPeriodOver"].ID.Bytes()[:4]) {
		return rollup.UnpackChannelPeriodOverError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["ChannelPeriodRunning"].ID.Bytes()[:4]) {
		return rollup.UnpackChannelPeriodRunningError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["DepositAmountOutOfRange"].ID.Bytes()[:4]) {
		return rollup.UnpackDepositAmountOutOfRangeError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["DepositNotWholeGwei"].ID.Bytes()[:4]) {
		return rollup.UnpackDepositNotWholeGweiError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["ExodusActive"].ID.Bytes()[:4]) {
		return rollup.UnpackExodusActiveError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["InputNotInField"].ID.Bytes()[:4]) {
		return rollup.UnpackInputNotInFieldError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["InvalidSignature"].ID.Bytes()[:4]) {
		return rollup.UnpackInvalidSignatureError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["KeyNotCanonical"].ID.Bytes()[:4]) {
		return rollup.UnpackKeyNotCanonicalError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["NoExpiredRequest"].ID.Bytes()[:4]) {
		return rollup.UnpackNoExpiredRequestError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["NotExited"].ID.Bytes()[:4]) {
		return rollup.UnpackNotExitedError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["NotInExodus"].ID.Bytes()[:4]) {
		return rollup.UnpackNotInExodusError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["NotOwner"].ID.Bytes()[:4]) {
		return rollup.UnpackNotOwnerError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["NotRefundable"].ID.Bytes()[:4]) {
		return rollup.UnpackNotRefundableError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["NotSequencer"].ID.Bytes()[:4]) {
		return rollup.UnpackNotSequencerError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["NothingToWithdraw"].ID.Bytes()[:4]) {
		return rollup.UnpackNothingToWithdrawError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["PayoutFailed"].ID.Bytes()[:4]) {
		return rollup.UnpackPayoutFailedError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["PriorityCountOutOfRange"].ID.Bytes()[:4]) {
		return rollup.UnpackPriorityCountOutOfRangeError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["ProofInvalid"].ID.Bytes()[:4]) {
		return rollup.UnpackProofInvalidError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["PublicInputNotInField"].ID.Bytes()[:4]) {
		return rollup.UnpackPublicInputNotInFieldError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["Reentrant"].ID.Bytes()[:4]) {
		return rollup.UnpackReentrantError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["ShareAlreadyPaid"].ID.Bytes()[:4]) {
		return rollup.UnpackShareAlreadyPaidError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["StaleChannelState"].ID.Bytes()[:4]) {
		return rollup.UnpackStaleChannelStateError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["ZeroAddress"].ID.Bytes()[:4]) {
		return rollup.UnpackZeroAddressError(raw[4:])
	}
	return nil, errors.New("Unknown error")
}

// RollupAccountOutOfRange represents a AccountOutOfRange error raised by the Rollup contract.
type RollupAccountOutOfRange struct {
	Account uint32
	Depth   uint8
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error AccountOutOfRange(uint32 account, uint8 depth)
func RollupAccountOutOfRangeErrorID() common.Hash {
	return common.HexToHash("0xc613f98f71525be8eb6c4f57c5431a6a7635cdd3140d165379198fabc3ea4181")
}

// UnpackAccountOutOfRangeError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error AccountOutOfRange(uint32 account, uint8 depth)
func (rollup *Rollup) UnpackAccountOutOfRangeError(raw []byte) (*RollupAccountOutOfRange, error) {
	out := new(RollupAccountOutOfRange)
	if err := rollup.abi.UnpackIntoInterface(out, "AccountOutOfRange", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RollupAlreadyExited represents a AlreadyExited error raised by the Rollup contract.
type RollupAlreadyExited struct {
	Account uint32
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error AlreadyExited(uint32 account)
func RollupAlreadyExitedErrorID() common.Hash {
	return common.HexToHash("0x1e946a9cbe17a94b277ae278c816181edc664bd818928696d8181d27188dae3e")
}

// UnpackAlreadyExitedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error AlreadyExited(uint32 account)
func (rollup *Rollup) UnpackAlreadyExitedError(raw []byte) (*RollupAlreadyExited, error) {
	out := new(RollupAlreadyExited)
	if err := rollup.abi.UnpackIntoInterface(out, "AlreadyExited", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RollupBadPublicDataLength represents a BadPublicDataLength error raised by the Rollup contract.
type RollupBadPublicDataLength struct {
	Got  *big.Int
	Want *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error BadPublicDataLength(uint256 got, uint256 want)
func RollupBadPublicDataLengthErrorID() common.Hash {
	return common.HexToHash("0x47b0367e058ca82b09423b299817276b5dae0c884487e07ca5cca212946ce18f")
}

// UnpackBadPublicDataLengthError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error BadPublicDataLength(uint256 got, uint256 want)
func (rollup *Rollup) UnpackBadPublicDataLengthError(raw []byte) (*RollupBadPublicDataLength, error) {
	out := new(RollupBadPublicDataLength)
	if err := rollup.abi.UnpackIntoInterface(out, "BadPublicDataLength", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RollupBadTimestamp represents a BadTimestamp error raised by the Rollup contract.
type RollupBadTimestamp struct {
	Got    uint64
	Last   uint64
	L1Time *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error BadTimestamp(uint64 got, uint64 last, uint256 l1Time)
func RollupBadTimestampErrorID() common.Hash {
	return common.HexToHash("0xf6286b7d1f92d2c49895e53b10a92938d4deed8d7cba0aa8ce4e400aff8eb07f")
}

// UnpackBadTimestampError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error BadTimestamp(uint64 got, uint64 last, uint256 l1Time)
func (rollup *Rollup) UnpackBadTimestampError(raw []byte) (*RollupBadTimestamp, error) {
	out := new(RollupBadTimestamp)
	if err := rollup.abi.UnpackIntoInterface(out, "BadTimestamp", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RollupChannelNotSettling represents a ChannelNotSettling error raised by the Rollup contract.
type RollupChannelNotSettling struct {
	Channel uint32
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ChannelNotSettling(uint32 channel)
func RollupChannelNotSettlingErrorID() common.Hash {
	return common.HexToHash("0xebda16a150d4aa30de676cdee18c32c79a78a5c127c4d701ee6f94fb70170461")
}

// UnpackChannelNotSettlingError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ChannelNotSettling(uint32 channel)
func (rollup *Rollup) UnpackChannelNotSettlingError(raw []byte) (*RollupChannelNotSettling, error) {
	out := new(RollupChannelNotSettling)
	if err := rollup.abi.UnpackIntoInterface(out, "ChannelNotSettling", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RollupChannelPeriodOver represents a ChannelPeriodOver error raised by the Rollup contract.
type RollupChannelPeriodOver struct {
	Channel  uint32
	Deadline uint64
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ChannelPeriodOver(uint32 channel, uint64 deadline)
func RollupChannelPeriodOverErrorID() common.Hash {
	return common.HexToHash("0xd043a884d9165ef4f2c9c9b955571f2cf9ecd7ff2b73ba1a5218b3330c2d6aba")
}

// UnpackChannelPeriodOverError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ChannelPeriodOver(uint32 channel, uint64 deadline)
func (rollup *Rollup) UnpackChannelPeriodOverError(raw []byte) (*RollupChannelPeriodOver, error) {
	out := new(RollupChannelPeriodOver)
	if err := rollup.abi.UnpackIntoInterface(out, "ChannelPeriodOver", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RollupChannelPeriodRunning represents a ChannelPeriodRunning error raised by the Rollup contract.
type RollupChannelPeriodRunning struct {
	Channel  uint32
	Deadline uint64
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ChannelPeriodRunning(uint32 channel, uint64 deadline)
func RollupChannelPeriodRunningErrorID() common.Hash {
	return common.HexToHash("0xf1a80673c2e46782d857811a9fcd5f1f544b53cf622da93f69bfe89f3b4ebb5a")
}

// UnpackChannelPeriodRunningError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ChannelPeriodRunning(uint32 channel, uint64 deadline)
func (rollup *Rollup) UnpackChannelPeriodRunningError(raw []byte) (*RollupChannelPeriodRunning, error) {
	out := new(RollupChannelPeriodRunning)
	if err := rollup.abi.UnpackIntoInterface(out, "ChannelPeriodRunning", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RollupDepositAmountOutOfRange represents a DepositAmountOutOfRange error raised by the Rollup contract.
type RollupDepositAmountOutOfRange struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error DepositAmountOutOfRange()
func RollupDepositAmountOutOfRangeErrorID() common.Hash {
	return common.HexToHash("0x56d82160166ad6829671f36c1b163aeae5bbfc6dc94888e73cb1c80f93899e5c")
}

// UnpackDepositAmountOutOfRangeError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error DepositAmountOutOfRange()
func (rollup *Rollup) UnpackDepositAmountOutOfRangeError(raw []byte) (*RollupDepositAmountOutOfRange, error) {
	out := new(RollupDepositAmountOutOfRange)
	if err := rollup.abi.UnpackIntoInterface(out, "DepositAmountOutOfRange", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RollupDepositNotWholeGwei represents a DepositNotWholeGwei error raised by the Rollup contract.
type RollupDepositNotWholeGwei struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error DepositNotWholeGwei()
func RollupDepositNotWholeGweiErrorID() common.Hash {
	return common.HexToHash("0x62cbdfae637e47e62bc671cddbe3d846b06509dc903e75b5a621818ab93128aa")
}

// UnpackDepositNotWholeGweiError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error DepositNotWholeGwei()
func (rollup *Rollup) UnpackDepositNotWholeGweiError(raw []byte) (*RollupDepositNotWholeGwei, error) {
	out := new(RollupDepositNotWholeGwei)
	if err := rollup.abi.UnpackIntoInterface(out, "DepositNotWholeGwei", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RollupExodusActive represents a ExodusActive error raised by the Rollup contract.
type RollupExodusActive struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ExodusActive()
func RollupExodusActiveErrorID() common.Hash {
	return common.HexToHash("0x94ac3ff88ca8609afe91caa8580667cefcbed46865e29cbea78523f20ca7d2b2")
}

// UnpackExodusActiveError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ExodusActive()
func (rollup *Rollup) UnpackExodusActiveError(raw []byte) (*RollupExodusActive, error) {
	out := new(RollupExodusActive)
	if err := rollup.abi.UnpackIntoInterface(out, "ExodusActive", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RollupInputNotInField represents a InputNotInField error raised by the Rollup contract.
type RollupInputNotInField struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InputNotInField()
func RollupInputNotInFieldErrorID() common.Hash {
	return common.HexToHash("0xcac0fb364f244c0df0a339e902466715cc1562ec0094101bef7baf9d27fef582")
}

// UnpackInputNotInFieldError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InputNotInField()
func (rollup *Rollup) UnpackInputNotInFieldError(raw []byte) (*RollupInputNotInField, error) {
	out := new(RollupInputNotInField)
	if err := rollup.abi.UnpackIntoInterface(out, "InputNotInField", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RollupInvalidSignature represents a InvalidSignature error raised by the Rollup contract.
type RollupInvalidSignature struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidSignature()
func RollupInvalidSignatureErrorID() common.Hash {
	return common.HexToHash("0x8baa579fce362245063d36f11747a89dd489c54795634fc673cc0e0db51fedc5")
}

// UnpackInvalidSignatureError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidSignature()
func (rollup *Rollup) UnpackInvalidSignatureError(raw []byte) (*RollupInvalidSignature, error) {
	out := new(RollupInvalidSignature)
	if err := rollup.abi.UnpackIntoInterface(out, "InvalidSignature", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RollupKeyNotCanonical represents a KeyNotCanonical error raised by the Rollup contract.
type RollupKeyNotCanonical struct {
	Key [32]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error KeyNotCanonical(bytes32 key)
func RollupKeyNotCanonicalErrorID() common.Hash {
	return common.HexToHash("0x2703ab67db6e39212f95e4dd363b762eb9a118434e75f4af7d3f7eff6bed8a7c")
}

// UnpackKeyNotCanonicalError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error KeyNotCanonical(bytes32 key)
func (rollup *Rollup) UnpackKeyNotCanonicalError(raw []byte) (*RollupKeyNotCanonical, error) {
	out := new(RollupKeyNotCanonical)
	if err := rollup.abi.UnpackIntoInterface(out, "KeyNotCanonical", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RollupNoExpiredRequest represents a NoExpiredRequest error raised by the Rollup contract.
type RollupNoExpiredRequest struct {
	OldestPending uint64
	DeadlineBlock *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NoExpiredRequest(uint64 oldestPending, uint256 deadlineBlock)
func RollupNoExpiredRequestErrorID() common.Hash {
	return common.HexToHash("0x88c4c51b51d8fd28835219efef28daccfce3791db7fbb3e951ab3a94cc65491b")
}

// UnpackNoExpiredRequestError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NoExpiredRequest(uint64 oldestPending, uint256 deadlineBlock)
func (rollup *Rollup) UnpackNoExpiredRequestError(raw []byte) (*RollupNoExpiredRequest, error) {
	out := new(RollupNoExpiredRequest)
	if err := rollup.abi.UnpackIntoInterface(out, "NoExpiredRequest", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RollupNotExited represents a NotExited error raised by the Rollup contract.
type RollupNotExited struct {
	Account uint32
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotExited(uint32 account)
func RollupNotExitedErrorID() common.Hash {
	return common.HexToHash("0x23b70a5d52dc0da995eb5afe07e563b09611cc4d49272784824f3b9b9390427d")
}

// UnpackNotExitedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotExited(uint32 account)
func (rollup *Rollup) UnpackNotExitedError(raw []byte) (*RollupNotExited, error) {
	out := new(RollupNotExited)
	if err := rollup.abi.UnpackIntoInterface(out, "NotExited", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RollupNotInExodus represents a NotInExodus error raised by the Rollup contract.
type RollupNotInExodus struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotInExodus()
func RollupNotInExodusErrorID() common.Hash {
	return common.HexToHash("0x3aab9b9080a97b89d51f6290978e4fda20b3122b5f97d4b236c9f9aa7ed8e21d")
}

// UnpackNotInExodusError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotInExodus()
func (rollup *Rollup) UnpackNotInExodusError(raw []byte) (*RollupNotInExodus, error) {
	out := new(RollupNotInExodus)
	if err := rollup.abi.UnpackIntoInterface(out, "NotInExodus", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RollupNotOwner represents a NotOwner error raised by the Rollup contract.
type RollupNotOwner struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotOwner()
func RollupNotOwnerErrorID() common.Hash {
	return common.HexToHash("0x30cd74712f59d478562d48e2d35de830db72c60a63dd08ae59199eec990b5bc4")
}

// UnpackNotOwnerError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotOwner()
func (rollup *Rollup) UnpackNotOwnerError(raw []byte) (*RollupNotOwner, error) {
	out := new(RollupNotOwner)
	if err := rollup.abi.UnpackIntoInterface(out, "NotOwner", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RollupNotRefundable represents a NotRefundable error raised by the Rollup contract.
type RollupNotRefundable struct {
	Index uint64
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotRefundable(uint64 index)
func RollupNotRefundableErrorID() common.Hash {
	return common.HexToHash("0x4a9fef2c5a510c1104df5dccb385eb9cd03ce188adf0bc55d52826389fbf5420")
}

// UnpackNotRefundableError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotRefundable(uint64 index)
func (rollup *Rollup) UnpackNotRefundableError(raw []byte) (*RollupNotRefundable, error) {
	out := new(RollupNotRefundable)
	if err := rollup.abi.UnpackIntoInterface(out, "NotRefundable", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RollupNotSequencer represents a NotSequencer error raised by the Rollup contract.
type RollupNotSequencer struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotSequencer()
func RollupNotSequencerErrorID() common.Hash {
	return common.HexToHash("0x53e2827c451a0a0f171a8880e9c351ab8000b3d4f27c8efd66e3187f39b035eb")
}

// UnpackNotSequencerError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotSequencer()
func (rollup *Rollup) UnpackNotSequencerError(raw []byte) (*RollupNotSequencer, error) {
	out := new(RollupNotSequencer)
	if err := rollup.abi.UnpackIntoInterface(out, "NotSequencer", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RollupNothingToWithdraw represents a NothingToWithdraw error raised by the Rollup contract.
type RollupNothingToWithdraw struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NothingToWithdraw()
func RollupNothingToWithdrawErrorID() common.Hash {
	return common.HexToHash("0xd0d04f60bf4f7629141a1f00f5d2908fa0f3e15bf4cbf8bb8edc6fcbdf2509fa")
}

// UnpackNothingToWithdrawError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NothingToWithdraw()
func (rollup *Rollup) UnpackNothingToWithdrawError(raw []byte) (*RollupNothingToWithdraw, error) {
	out := new(RollupNothingToWithdraw)
	if err := rollup.abi.UnpackIntoInterface(out, "NothingToWithdraw", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RollupPayoutFailed represents a PayoutFailed error raised by the Rollup contract.
type RollupPayoutFailed struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error PayoutFailed()
func RollupPayoutFailedErrorID() common.Hash {
	return common.HexToHash("0x3b1ab1045aad53070fe2359fd1a7d516800dcddc17ad45f2e5ff18fe2dbb0689")
}

// UnpackPayoutFailedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error PayoutFailed()
func (rollup *Rollup) UnpackPayoutFailedError(raw []byte) (*RollupPayoutFailed, error) {
	out := new(RollupPayoutFailed)
	if err := rollup.abi.UnpackIntoInterface(out, "PayoutFailed", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RollupPriorityCountOutOfRange represents a PriorityCountOutOfRange error raised by the Rollup contract.
type RollupPriorityCountOutOfRange struct {
	Got       uint64
	Consumed  uint64
	Available *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error PriorityCountOutOfRange(uint64 got, uint64 consumed, uint256 available)
func RollupPriorityCountOutOfRangeErrorID() common.Hash {
	return common.HexToHash("0x99733f93a8b60aab70a6e5063c3c07240ebadab2569791eed5065de25211e33e")
}

// UnpackPriorityCountOutOfRangeError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error PriorityCountOutOfRange(uint64 got, uint64 consumed, uint256 available)
func (rollup *Rollup) UnpackPriorityCountOutOfRangeError(raw []byte) (*RollupPriorityCountOutOfRange, error) {
	out := new(RollupPriorityCountOutOfRange)
	if err := rollup.abi.UnpackIntoInterface(out, "PriorityCountOutOfRange", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RollupProofInvalid represents a ProofInvalid error raised by the Rollup contract.
type RollupProofInvalid struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ProofInvalid()
func RollupProofInvalidErrorID() common.Hash {
	return common.HexToHash("0x7fcdd1f433fad06e243ebb12f415f49dc48f357e41b96f61f504279fe6bb2ac6")
}

// UnpackProofInvalidError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ProofInvalid()
func (rollup *Rollup) UnpackProofInvalidError(raw []byte) (*RollupProofInvalid, error) {
	out := new(RollupProofInvalid)
	if err := rollup.abi.UnpackIntoInterface(out, "ProofInvalid", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RollupPublicInputNotInField represents a PublicInputNotInField error raised by the Rollup contract.
type RollupPublicInputNotInField struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error PublicInputNotInField()
func RollupPublicInputNotInFieldErrorID() common.Hash {
	return common.HexToHash("0xa54f8e27d960b419368d544cd7616e10e384de098966aa60b80904dd31e7ab38")
}

// UnpackPublicInputNotInFieldError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error PublicInputNotInField()
func (rollup *Rollup) UnpackPublicInputNotInFieldError(raw []byte) (*RollupPublicInputNotInField, error) {
	out := new(RollupPublicInputNotInField)
	if err := rollup.abi.UnpackIntoInterface(out, "PublicInputNotInField", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RollupReentrant represents a Reentrant error raised by the Rollup contract.
type RollupReentrant struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error Reentrant()
func RollupReentrantErrorID() common.Hash {
	return common.HexToHash("0xed3ba6a62877a99990a32617b4e001f2c85c7886f010c9b166e8438fd38bcb40")
}

// UnpackReentrantError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error Reentrant()
func (rollup *Rollup) UnpackReentrantError(raw []byte) (*RollupReentrant, error) {
	out := new(RollupReentrant)
	if err := rollup.abi.UnpackIntoInterface(out, "Reentrant", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RollupShareAlreadyPaid represents a ShareAlreadyPaid error raised by the Rollup contract.
type RollupShareAlreadyPaid struct {
	Channel uint32
	Account uint32
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ShareAlreadyPaid(uint32 channel, uint32 account)
func RollupShareAlreadyPaidErrorID() common.Hash {
	return common.HexToHash("0x0c98411f51cae545a25a533dcacd5f27cc7b55fdbb00d8ee6edb909635fe8886")
}

// UnpackShareAlreadyPaidError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ShareAlreadyPaid(uint32 channel, uint32 account)
func (rollup *Rollup) UnpackShareAlreadyPaidError(raw []byte) (*RollupShareAlreadyPaid, error) {
	out := new(RollupShareAlreadyPaid)
	if err := rollup.abi.UnpackIntoInterface(out, "ShareAlreadyPaid", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RollupStaleChannelState represents a StaleChannelState error raised by the Rollup contract.
type RollupStaleChannelState struct {
	Channel  uint32
	Version  uint64
	Standing uint64
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error StaleChannelState(uint32 channel, uint64 version, uint64 standing)
func RollupStaleChannelStateErrorID() common.Hash {
	return common.HexToHash("0x710e69b0c115813abb480b7fba2445abe0f46ae8322a7a3d7feab11b4ca02a07")
}

// UnpackStaleChannelStateError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error StaleChannelState(uint32 channel, uint64 version, uint64 standing)
func (rollup *Rollup) UnpackStaleChannelStateError(raw []byte) (*RollupStaleChannelState, error) {
	out := new(RollupStaleChannelState)
	if err := rollup.abi.UnpackIntoInterface(out, "StaleChannelState", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RollupZeroAddress represents a ZeroAddress error raised by the Rollup contract.
type RollupZeroAddress struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ZeroAddress()
func RollupZeroAddressErrorID() common.Hash {
	return common.HexToHash("0xd92e233df2717d4a40030e20904abd27b68fcbeede117eaaccbbdac9618c8c73")
}

// UnpackZeroAddressError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ZeroAddress()
func (rollup *Rollup) UnpackZeroAddressError(raw []byte) (*RollupZeroAddress, error) {
	out := new(RollupZeroAddress)
	if err := rollup.abi.UnpackIntoInterface(out, "ZeroAddress", raw); err != nil {
		return nil, err
	}
	return out, nil
}
