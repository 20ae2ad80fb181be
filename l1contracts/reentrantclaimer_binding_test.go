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

// ReentrantClaimerMetaData contains all meta data concerning the ReentrantClaimer contract.
var ReentrantClaimerMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"contractIClaim\",\"name\":\"rollup_\",\"type\":\"address\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[],\"name\":\"claim\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"reentries\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"rollup\",\"outputs\":[{\"internalType\":\"contractIClaim\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"stateMutability\":\"payable\",\"type\":\"receive\"}]",
	ID:  "ReentrantClaimer",
	Bin: "0x60a0604052348015600e575f5ffd5b50604051610299380380610299833981016040819052602b91603b565b6001600160a01b03166080526066565b5f60208284031215604a575f5ffd5b81516001600160a01b0381168114605f575f5ffd5b9392505050565b60805161020e61008b5f395f818160500152818161010a0152610146015261020e5ff3fe608060405260043610610036575f3560e01c80634e71d92d146100be5780636578986d146100d2578063cb23bcb5146100f9575f5ffd5b366100ba575f80549080610049836101b4565b91905055507f00000000000000000000000000000000000000000000000000000000000000006001600160a01b0316633ccfd60b6040518163ffffffff1660e01b81526004015f604051808303815f87803b1580156100a6575f5ffd5b505af11580156100b8573d5f5f3e3d5ffd5b005b5f5ffd5b3480156100c9575f5ffd5b506100b8610144565b3480156100dd575f5ffd5b506100e65f5481565b6040519081526020015b60405180910390f35b348015610104575f5ffd5b5061012c7f000000000000000000000000000000000000000000000000000000000000000081565b6040516001600160a01b0390911681526020016100f0565b7f00000000000000000000000000000000000000000000000000000000000000006001600160a01b0316633ccfd60b6040518163ffffffff1660e01b81526004015f604051808303815f87803b15801561019c575f5ffd5b505af11580156101ae573d5f5f3e3d5ffd5b50505050565b5f600182016101d157634e487b7160e01b5f52601160045260245ffd5b506001019056fea26469706673582212201a50a42bdeb7e47d5115f3bd2d7c75c948de6adfc5a8f7d044f40a006b59f6f564736f6c63430008250033",
}

// ReentrantClaimer is an auto generated Go binding around an Ethereum contract.
type ReentrantClaimer struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *ReentrantClaimer) GetABI() abi.ABI {
	return c.abi
}

// NewReentrantClaimer creates a new instance of ReentrantClaimer.
func NewReentrantClaimer() *ReentrantClaimer {
	parsed, err := ReentrantClaimerMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &ReentrantClaimer{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *ReentrantClaimer) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackConstructor is the Go binding used to pack the parameters required for
// contract deployment.
//
// Solidity: constructor(address rollup_) returns()
func (reentrantClaimer *ReentrantClaimer) PackConstructor(rollup_ common.Address) []byte {
	enc, err := reentrantClaimer.abi.Pack("", rollup_)
	if err != nil {
		panic(err)
	}
	return enc
}

// PackClaim is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x4e71d92d.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function claim() returns()
func (reentrantClaimer *ReentrantClaimer) PackClaim() []byte {
	enc, err := reentrantClaimer.abi.Pack("claim")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackClaim is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x4e71d92d.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function claim() returns()
func (reentrantClaimer *ReentrantClaimer) TryPackClaim() ([]byte, error) {
	return reentrantClaimer.abi.Pack("claim")
}

// PackReentries is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x6578986d.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function reentries() view returns(uint256)
func (reentrantClaimer *ReentrantClaimer) PackReentries() []byte {
	enc, err := reentrantClaimer.abi.Pack("reentries")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackReentries is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x6578986d.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function reentries() view returns(uint256)
func (reentrantClaimer *ReentrantClaimer) TryPackReentries() ([]byte, error) {
	return reentrantClaimer.abi.Pack("reentries")
}

// UnpackReentries is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x6578986d.
//
// Solidity: function reentries() view returns(uint256)
func (reentrantClaimer *ReentrantClaimer) UnpackReentries(data []byte) (*big.Int, error) {
	out, err := reentrantClaimer.abi.Unpack("reentries", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackRollup is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xcb23bcb5.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function rollup() view returns(address)
func (reentrantClaimer *ReentrantClaimer) PackRollup() []byte {
	enc, err := reentrantClaimer.abi.Pack("rollup")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRollup is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xcb23bcb5.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function rollup() view returns(address)
func (reentrantClaimer *ReentrantClaimer) TryPackRollup() ([]byte, error) {
	return reentrantClaimer.abi.Pack("rollup")
}

// UnpackRollup is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xcb23bcb5.
//
// Solidity: function rollup() view returns(address)
func (reentrantClaimer *ReentrantClaimer) UnpackRollup(data []byte) (common.Address, error) {
	out, err := reentrantClaimer.abi.Unpack("rollup", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}
