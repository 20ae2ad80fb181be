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
	ABI: "[{\"inputs\":[{\"internalType\":\"contractIBatchVerifier\",\"name\":\"verifier_\",\"type\":\"address\"},{\"internalType\":\"uint64\",\"name\":\"chainId_\",\"type\":\"uint64\"},{\"internalType\":\"uint32\",\"name\":\"operatorAccount_\",\"type\":\"uint32\"},{\"internalType\":\"uint32\",\"name\":\"slots_\",\"type\":\"uint32\"},{\"internalType\":\"uint256\",\"name\":\"genesisRoot\",\"type\":\"uint256\"},{\"internalType\":\"address\",\"name\":\"sequencer_\",\"type\":\"address\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"got\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"want\",\"type\":\"uint256\"}],\"name\":\"BadPublicDataLength\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"got\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"last\",\"type\":\"uint64\"},{\"internalType\":\"uint256\",\"name\":\"l1Time\",\"type\":\"uint256\"}],\"name\":\"BadTimestamp\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"DepositAmountOutOfRange\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"DepositNotWholeGwei\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InputNotInField\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InvalidL2Key\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"NotOwner\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"NotSequencer\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"NothingToWithdraw\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"PayoutFailed\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"got\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"consumed\",\"type\":\"uint64\"},{\"internalType\":\"uint256\",\"name\":\"available\",\"type\":\"uint256\"}],\"name\":\"PriorityCountOutOfRange\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"Reentrant\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ZeroAddress\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint64\",\"name\":\"batch\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"newRoot\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"commitment\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"prioConsumed\",\"type\":\"uint64\"}],\"name\":\"BatchCommitted\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint64\",\"name\":\"index\",\"type\":\"uint64\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"from\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"pubX\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"pubY\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"amountGwei\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"prioHash\",\"type\":\"uint256\"}],\"name\":\"Deposit\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"previous\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"next\",\"type\":\"address\"}],\"name\":\"OwnerChanged\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"previous\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"next\",\"type\":\"address\"}],\"name\":\"SequencerChanged\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amountWei\",\"type\":\"uint256\"}],\"name\":\"WithdrawalClaimed\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint64\",\"name\":\"batch\",\"type\":\"uint64\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amountWei\",\"type\":\"uint256\"}],\"name\":\"WithdrawalPending\",\"type\":\"event\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"next\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"timestamp\",\"type\":\"uint64\"},{\"internalType\":\"uint256\",\"name\":\"newRoot\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"newPrioConsumed\",\"type\":\"uint64\"},{\"internalType\":\"bytes\",\"name\":\"publicData\",\"type\":\"bytes\"}],\"name\":\"batchCommitment\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"batchNumber\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"chainId\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"newRoot\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"newPrioConsumed\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"timestamp\",\"type\":\"uint64\"},{\"internalType\":\"bytes\",\"name\":\"publicData\",\"type\":\"bytes\"},{\"internalType\":\"bytes\",\"name\":\"proof\",\"type\":\"bytes\"}],\"name\":\"commitBatch\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"pubX\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"pubY\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"qX\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"qY\",\"type\":\"uint256\"}],\"name\":\"deposit\",\"outputs\":[],\"stateMutability\":\"payable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"lastTimestamp\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"operatorAccount\",\"outputs\":[{\"internalType\":\"uint32\",\"name\":\"\",\"type\":\"uint32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"owner\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"name\":\"pendingWithdrawals\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"prioConsumed\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"prioCount\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"name\":\"prioHashes\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"sequencer\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"next\",\"type\":\"address\"}],\"name\":\"setSequencer\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"slots\",\"outputs\":[{\"internalType\":\"uint32\",\"name\":\"\",\"type\":\"uint32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"stateRoot\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"totalPending\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"next\",\"type\":\"address\"}],\"name\":\"transferOwnership\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"verifier\",\"outputs\":[{\"internalType\":\"contractIBatchVerifier\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"withdraw\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"}]",
	ID:  "Rollup",
	Bin: "0x6101006040526001600855348015610015575f5ffd5b5060405161289d38038061289d8339810160408190526100349161018a565b6001600160a01b038616158061005157506001600160a01b038116155b1561006f5760405163d92e233d60e01b815260040160405180910390fd5b6001600160a01b038681166080526001600160401b03861660a05263ffffffff85811660c052841660e05260028390555f8054336001600160a01b0319918216811783556001805490921693851693909317815560048054918201815582527f8a35acfbc15ff81a39ae7d344fd709f28e8600b4aa8c65c6b64bfe7fe36bd19b018190556040517fb532073b38c83145e3e5135377a08bf9aab55bc0fd7c1179cd4fb995d2a5159c908290a36040516001600160a01b038216905f907f6ec88bae255aa7e73521c3beb17e9bc7940169e669440c5531733c0d2e91110d908290a3505050505050610207565b6001600160a01b038116811461016f575f5ffd5b50565b805163ffffffff81168114610185575f5ffd5b919050565b5f5f5f5f5f5f60c0878903121561019f575f5ffd5b86516101aa8161015b565b60208801519096506001600160401b03811681146101c6575f5ffd5b94506101d460408801610172565b93506101e260608801610172565b92506080870151915060a08701516101f98161015b565b809150509295509295509295565b60805160a05160c05160e05161264061025d5f395f8181610290015281816104bc01526104f401525f81816101c60152610aae01525f81816103480152610a6501525f818161020e015261060901526126405ff3fe60806040526004361061011b575f3560e01c80635c1bba381161009d578063ba87306511610062578063ba8730651461036a578063d971bd2614610389578063e32fb927146103a8578063f2fde38b146103c7578063f3f43703146103e6575f5ffd5b80635c1bba38146102d15780638c9e1501146102f05780638da5cb5b146103045780639588eca2146103225780639a8a059214610337575f5ffd5b80632b7ac3f3116100e35780632b7ac3f3146101fd5780633ccfd60b146102485780633f90916a1461025c57806348547d691461027f5780634e9ae53a146102b2575f5ffd5b80631397efe91461011f57806319d8ac61146101405780632505c3d9146101835780632547fa3e146101965780632801643d146101b5575b5f5ffd5b34801561012a575f5ffd5b5061013e6101393660046121ff565b610411565b005b34801561014b575f5ffd5b5060035461016690600160401b90046001600160401b031681565b6040516001600160401b0390911681526020015b60405180910390f35b61013e610191366004612296565b610714565b3480156101a1575f5ffd5b5061013e6101b03660046122c5565b610884565b3480156101c0575f5ffd5b506101e87f000000000000000000000000000000000000000000000000000000000000000081565b60405163ffffffff909116815260200161017a565b348015610208575f5ffd5b506102307f000000000000000000000000000000000000000000000000000000000000000081565b6040516001600160a01b03909116815260200161017a565b348015610253575f5ffd5b5061013e610930565b348015610267575f5ffd5b5061027160075481565b60405190815260200161017a565b34801561028a575f5ffd5b506101e87f000000000000000000000000000000000000000000000000000000000000000081565b3480156102bd575f5ffd5b506102716102cc3660046122f2565b610a54565b3480156102dc575f5ffd5b50600154610230906001600160a01b031681565b3480156102fb575f5ffd5b50610166610c2f565b34801561030f575f5ffd5b505f54610230906001600160a01b031681565b34801561032d575f5ffd5b5061027160025481565b348015610342575f5ffd5b506101667f000000000000000000000000000000000000000000000000000000000000000081565b348015610375575f5ffd5b50600354610166906001600160401b031681565b348015610394575f5ffd5b50600554610166906001600160401b031681565b3480156103b3575f5ffd5b506102716103c236600461236b565b610c45565b3480156103d2575f5ffd5b5061013e6103e13660046122c5565b610c64565b3480156103f1575f5ffd5b506102716104003660046122c5565b60066020525f908152604090205481565b6001546001600160a01b0316331461043c576040516314f8a09f60e21b815260040160405180910390fd5b6003546001600160401b03600160401b90910481169086161080610468575042856001600160401b0316115b156104b05760035460405163f6286b7d60e01b81526001600160401b038781166004830152600160401b90920490911660248201524260448201526064015b60405180910390fd5b6104e1600c63ffffffff7f000000000000000000000000000000000000000000000000000000000000000016612396565b831461053b5782610519600c63ffffffff7f000000000000000000000000000000000000000000000000000000000000000016612396565b6040516323d81b3f60e11b8152600481019290925260248201526044016104a7565b6005546001600160401b03908116908716108061056357506004546001600160401b03871610155b156105b95760055460045487916001600160401b031690610586906001906123b3565b6040516399733f9360e01b81526001600160401b03938416600482015292909116602483015260448201526064016104a7565b6003545f906105d2906001600160401b031660016123c6565b90505f6105e382888b8b8a8a610a54565b604080516020810182528281529051632363e29760e21b81529192506001600160a01b037f00000000000000000000000000000000000000000000000000000000000000001691638d8f8a5c9161064091889188916004016123e5565b5f6040518083038186803b158015610656575f5ffd5b505afa158015610668573d5f5f3e3d5ffd5b50505060028a905550600380546001600160401b038481166fffffffffffffffffffffffffffffffff199092168217600160401b8b831602179092556005805467ffffffffffffffff1916928b169283179055604080518c81526020810185905290810192909252907fb14d1523922e53205345b424a63560c82566336183e10fb03fe1a5c4ac99147a9060600160405180910390a2610709828787610d0e565b505050505050505050565b610722633b9aca0034612453565b1561074057604051633165efd760e11b815260040160405180910390fd5b5f61074f633b9aca0034612466565b905080158061076457506001600160401b0381115b15610782576040516302b6c10b60e51b815260040160405180910390fd5b61078e85858585610f18565b6107ab5760405163990a1ba360e01b815260040160405180910390fd5b6004545f906107bc906001906123b3565b90505f6107ee600483815481106107d5576107d5612479565b5f91825260209091200154600160401b85178989611092565b600480546001810182555f919091527f8a35acfbc15ff81a39ae7d344fd709f28e8600b4aa8c65c6b64bfe7fe36bd19b0181905560408051898152602081018990526001600160401b03868116828401526060820184905291519293503392918516917fd61436ab1eeafc894fc6a61a8a0ca7093e3eb8c8db334ff563cf90f982046a8e9181900360800190a350505050505050565b5f546001600160a01b031633146108ae576040516330cd747160e01b815260040160405180910390fd5b6001600160a01b0381166108d55760405163d92e233d60e01b815260040160405180910390fd5b6001546040516001600160a01b038084169216907f6ec88bae255aa7e73521c3beb17e9bc7940169e669440c5531733c0d2e91110d905f90a3600180546001600160a01b0319166001600160a01b0392909216919091179055565b6008546001146109535760405163769dd35360e11b815260040160405180910390fd5b6002600855335f908152600660205260408120549081900361098857604051630686827b60e51b815260040160405180910390fd5b335f908152600660205260408120819055600780548392906109ab9084906123b3565b909155505060405181815233907fd3f990ddd0f1a820ca21d6f29136b25c504220122117b21de9ede5602b99c5869060200160405180910390a26040515f90339083908381818185875af1925050503d805f8114610a24576040519150601f19603f3d011682016040523d82523d5f602084013e610a29565b606091505b5050905080610a4b57604051630ec6ac4160e21b815260040160405180910390fd5b50506001600855565b6002546040516001600160c01b03197f000000000000000000000000000000000000000000000000000000000000000060c090811b8216602084015289811b8216602884015288901b1660308201526001600160e01b03197f000000000000000000000000000000000000000000000000000000000000000060e01b166038820152603c810191909152605c81018590525f908190607c0160408051601f19818403018152919052600554600480549293505f926001600160401b039092169182908110610b2457610b24612479565b905f5260205f200154876004896001600160401b031681548110610b4a57610b4a612479565b5f91825260209182902001546040516001600160c01b031960c096871b81169382019390935260288101949094529190931b9092166048820152605081019190915260700160408051601f198184030181529190529050610bb06001600160fd1b6123b3565b600283838888604051602001610bc994939291906124a4565b60408051601f1981840301815290829052610be3916124cc565b602060405180830381855afa158015610bfe573d5f5f3e3d5ffd5b5050506040513d601f19601f82011682018060405250810190610c2191906124d7565b169998505050505050505050565b6004545f90610c40906001906123b3565b905090565b60048181548110610c54575f80fd5b5f91825260209091200154905081565b5f546001600160a01b03163314610c8e576040516330cd747160e01b815260040160405180910390fd5b6001600160a01b038116610cb55760405163d92e233d60e01b815260040160405180910390fd5b5f80546040516001600160a01b03808516939216917fb532073b38c83145e3e5135377a08bf9aab55bc0fd7c1179cd4fb995d2a5159c91a35f80546001600160a01b0319166001600160a01b0392909216919091179055565b5f610d1a600c83612466565b90505f5b81811015610f11575f610d32600c83612396565b90506003858583818110610d4857610d48612479565b9050013560f81c60f81b60f81c60ff1614610d635750610eff565b5f8585610d718460046124ee565b90610d7d85600c6124ee565b92610d8a93929190612501565b610d9391612528565b60c01c90505f8686610da6600c866124ee565b610db19060036124ee565b90610dbe600c6002612396565b610dc890876124ee565b92610dd593929190612501565b8888610de3600c6002612396565b610ded90886124ee565b610df89060016124ee565b90610e05600c6003612396565b610e0f90896124ee565b92610e1c93929190612501565b604051602001610e2f9493929190612560565b604051602081830303815290604052610e479061257f565b60601c90505f610e5b83633b9aca00612396565b6001600160a01b0383165f90815260066020526040812080549293508392909190610e879084906124ee565b925050819055508060075f828254610e9f91906124ee565b90915550506040518181526001600160a01b038316906001600160401b038b16907f269c8fb146546d3f3de86215ff5b22e0db3f800cb3274d81e6ed47df91169b789060200160405180910390a3610ef86002866124ee565b9450505050505b80610f09816125d2565b915050610d1e565b5050505050565b5f841580610f3357505f5160206125eb5f395f51905f528510155b80610f4b57505f5160206125eb5f395f51905f528410155b80610f6357505f5160206125eb5f395f51905f528310155b80610f7b57505f5160206125eb5f395f51905f528210155b15610f8757505f61108a565b5f5f5160206125eb5f395f51905f5284850990505f5f5160206125eb5f395f51905f5284850990505f5160206125eb5f395f51905f52805f5160206125eb5f395f51905f528385097f1aee90f15f2189693df072d799fd11fc039b2959ebb7c867d075ca8cf4d7eb8e096001085f5160206125eb5f395f51905f528261101a855f5160206125eb5f395f51905f526123b3565b081461102a575f9250505061108a565b848460015f5b600381101561105357611044848484611138565b91955093509150600101611030565b50825f5160206125eb5f395f51905f52828c091480156110825750815f5160206125eb5f395f51905f52828b09145b955050505050505b949350505050565b5f5f5160206125eb5f395f51905f52851015806110bc57505f5160206125eb5f395f51905f528410155b806110d457505f5160206125eb5f395f51905f528310155b806110ec57505f5160206125eb5f395f51905f528210155b1561110a576040516365607d9b60e11b815260040160405180910390fd5b61112f61112961112361111d5f89611291565b87611291565b85611291565b83611291565b95945050505050565b5f8080805f5160206125eb5f395f51905f52808789085f5160206125eb5f395f51905f52888a080990505f5f5160206125eb5f395f51905f5288890990505f5f5160206125eb5f395f51905f5288890990505f6111a2835f5160206125eb5f395f51905f526123b3565b90505f5f5160206125eb5f395f51905f5283830890505f5f5160206125eb5f395f51905f528a8b0990505f5f5160206125eb5f395f51905f52808384086111f6905f5160206125eb5f395f51905f526123b3565b840890505f5f5160206125eb5f395f51905f52825f5160206125eb5f395f51905f5280898b08611233905f5160206125eb5f395f51905f526123b3565b8b080990505f5f5160206125eb5f395f51905f528061125f895f5160206125eb5f395f51905f526123b3565b8808860990505f5f5160206125eb5f395f51905f52848709929c50909a50909850505050505050505093509350939050565b5f5f5160206125eb5f395f51905f528383018084019085017f1da4d6adfb0d0b494584f763db50a81908580a5f5e295e168b9b8d31770fac4f810183818009848286838409099150507f0946129a2e33b4e819707a56a3b3790eab80d0a0c7a0c63451fab2a59acc074c8301848182098582878384090983810190810195509092019250507f2a39b9d5376afd35580abd6952986570867b87303b07140268794dad4b8f82ea8201905083818009848286838409099150507f27605717d1245c20c546b3c7014e5fa3e4a70e66ecd6de5d32448eea5e3069b28301848182098582878384090983810190810195509092019250507f24c896cb2594e17b973653193a470ed7e771ebb09a228d638e50809c037736328201905083818009848286838409099150507f0911096c45dd9cda0d61d783957003db6d8701c7869a919ad8042e1b7d597a49830184818209858287838409099150508082019350838201925084848208935050507f26ff6166f1e4b99e27eee6d352a8ce26f1daba01aad28021f11f38a70603afdc8101838182098482868384090991505082810191508383840183089250017e8e2faedcf76d08ad6591ff90e50fea79bcb5e18cfb7d954d5b89437bf64b7e8101838180098482868384090991505082810191508383840183089250017f19c9da2379b598ace3ad4d1872470830f6184a3cec71eeb632f98820eb353d788101838180098482868384090991505082810191508383840183089250017f0f7c4eb15d8b0b62a8f6a090ec9610a2ab3dfcdb57e2539aa459a40583dfe96b8101838180098482868384090991505082810191508383840183089250017f18b99417dc26b5e079750eba282362d1d46900b47dd5ff809171588b08ac39838101838180098482868384090991505082810191508383840183089250017f1ee044081160b3eee2d4493feab82141c73f1c054b76320a8848af08a8d91a268101838180098482868384090991505082810191508383840183089250017f29bb95c8763efd3e0e87f5df12ee8a150455b6d7a14780d19122220366c258dc8101838180098482868384090991505082810191508383840183089250017f22c23eec9cb13ff8a3ee9a363d740653215e8991f7f9ec12067b4705e9a5c9fb8101838180098482868384090991505082810191508383840183089250017f23589e033a31a667680c8b18926c3be09115c7644c4f905cc7deefc1690b42dc8101838180098482868384090991505082810191508383840183089250017f304e99b887f2e1e92c9c0cde5f2bdd4764f60b98a219f1f0dd64ec938a6a247c8101838180098482868384090991505082810191508383840183089250017f22e817865236ad3a76fbe88bbdf31fcae792f326271d53a3a493b2de7f7d8b4c8101838180098482868384090991505082810191508383840183089250017f10c9efe573e86fa5b238a3f5c70a00bf02bc7dcfcc4878e026b77c881dc8b1c98101838180098482868384090991505082810191508383840183089250017f0a94f16be920d85f4d6f80e745c6bddbc084f309edffef023ea283c72b89bbb68101838180098482868384090991505082810191508383840183089250017f23ed72b4d01d14e3c7888fedb770494abc2c1ea81d6465b5df3da0ebcd69101a8101838180098482868384090991505082810191508383840183089250017f17c5115640e4cebeed0e6cbb511ac38498df815a77cb162de8d8f1022eb6bb748101838180098482868384090991505082810191508383840183089250017f2e507fcca290d0d9cf765245750eb04773e09e1fc813959fb99680a82772e4fc8101838180098482868384090991505082810191508383840183089250017f0d4a98999f5b39176af6cce65c8d12162433f055cb71d70dfc8803013292bbbf8101838180098482868384090991505082810191508383840183089250017f238d8022cc09c21ab3c01261a03dc125321d829e22a7a3b7a1bd3c335eccfa218101838180098482868384090991505082810191508383840183089250017f010cd8e4c2b7051cb81dc8292e35d8e943ce365613d5b39770e454ed9f4ae1658101838180098482868384090991505082810191508383840183089250017f088027e54f2a3604b11178cf0ea3c6aa861173a90fb231238e03539590ecc0278101838180098482868384090991505082810191508383840183089250017f1b840f5311a2b1d4b4cd7aa7e5a9a6d161165468daa938108302b73e464819db8101838180098482868384090991505082810191508383840183089250017f2bf51a5da1828a1cf9b764b1e16c15929a3a346e44198ea0cb366fcd8db78dc18101838180098482868384090991505082810191508383840183089250017f206ad089d8d296ffe68a6a86767a7fe726b8872f9c7beef9d56a3a50f6f238278101838180098482868384090991505082810191508383840183089250017f24d19193171494fa1a54e0a99ac16d05eaec4b6d617c7c199fc07ff88eac550c8101838180098482868384090991505082810191508383840183089250017f1dd654a2ca9d9f24f33d88246a40dfb32c40662278b9c0b995d9f9fbaf1521388101838180098482868384090991505082810191508383840183089250017f0d171025c925f6e259d20ecbd3a601108c85f05b0fe7793b8acf57f3789785e48101838180098482868384090991505082810191508383840183089250017f055bef435a43aec245cd99ccb0f7c8791d9e8cf2b80d95dd98b9908fed877d558101838180098482868384090991505082810191508383840183089250017f10d2ac8c61c8a2e88a2a3f42d9359a14be63d0ad4cfd9f203b75765d0e595f0e8101838180098482868384090991505082810191508383840183089250017f103479710e70996982a84057ec3ba6b2254d7966ddc41e85296e3d0790dcfa568101838180098482868384090991505082810191508383840183089250017f2a366f0448fda3c05914ffb48c765da8de96f9aa340db1638225f8372921807b8101838180098482868384090991505082810191508383840183089250017f16be0fb8ef62da17919b6e0378d00594153bb8899aeb686c04626b63285837a48101838180098482868384090991505082810191508383840183089250017f0417038500e9d06c60abbc7f0d0d24c32dec8a0b2aa5a4d52cfd8c78a15bc3708101838180098482868384090991505082810191508383840183089250017f26a6873b43ffd2ccf66ec6f4493ff9b54f4d76480bc486a3e5a0308fdd0138128101838180098482868384090991505082810191508383840183089250017f0a3314a838f32630a96251914fe5ad262f3db9b2aa8aa9f7391922d36278c4988101838180098482868384090991505082810191508383840183089250017f0fde0c5429a6beb07f462d4821f48f86aeadb46a090b15a044f4b59399027da48101838180098482868384090991505082810191508383840183089250017f0abc2d5049972a6b9b357e4163793b0bb517e1eb535a984df11a1c89cda2c8a98101838180098482868384090991505082810191508383840183089250017f0dab51d6e3ebfa661d21722fb21e55051b427a5f173f7f17735205dbb77c464e8101838180098482868384090991505082810191508383840183089250017f29c36622598b511d51af6cc37123652fb21be5c2d68fb8efe9b92e70a8c1ae038101838180098482868384090991505082810191508383840183089250017f2c03ec80adac2a33ae846bc0b700d0bcc41c4096e53ac6990d6bbe7ea2fbc85c8101838180098482868384090991505082810191508383840183089250017f0918fdbe9cf3a59fbdb4c6852d065105317303116017d893b8b521e3cebe1e0d8101838180098482868384090991505082810191508383840183089250017f1f19ec22e69ca33f599dd13cd7e495a8176a79df4f7acf79a9d2135acabe23598101838180098482868384090991505082810191508383840183089250017f1c4b037c8ae85ee1eb32b872eb7f76928c4c76b29ceb001346447b29110807048101838180098482868384090991505082810191508383840183089250017f2b68900ed906616d6c826d0bde341766ba3131e04d420de5af0a69c534efd8db8101838180098482868384090991505082810191508383840183089250017f20ca92aa222fcc69448f8dac653c8daaa180ff6dfb397cef723d4f0c782bc7f08101838180098482868384090991505082810191508383840183089250017f10d22d05bdff6bb375276fc82057db337045a5ab7ac053941f6186289b66b2b68101838180098482868384090991505082810191508383840183089250017f0b1ffdbb529367bb98f32ba45784cb435aa910b4a00636d1e5ca79e88bdd6cd98101838180098482868384090991505082810191508383840183089250017f2da32b38e7984bc2ed757ec705eccf8282c7b4f82e5e515f6f89bcc33022ce9f8101838180098482868384090991505082810191508383840183089250017f042593ad87403f6d2674b8b55a886725b87eb33958031e94d292cecc6abed1bb8101838180098482868384090991505082810191508383840183089250017f181fa1b4d067783a19d7367bf49b3f01051faedab463a6de9308fbd6e7d419f18101838180098482868384090991505082810191508383840183089250017f15aaa6cc9b7900b15683c95515c26028a8e35b00ed8a815c34927188c60de6608101838180098482868384090991505082810191508383840183089250017f1bf28a93209084bbbc63234f057254c280b1a636f5a0eced6787320212f75a7a810183818009848286838409099150507f1cdb8c8bee5426f02cd9e229776118f156273b312f805c8e6f8c9d81a620cb6f8301848182098582878384090983810190810195509092019250507f08299c0abf196d53162e0facb5f1876f516df2505cc387a0f8ea0e8760d5ca7e8201905083818009848286838409099150507f221643d205fe82778a7b7b58cb65c4962d76c0072cabd1124117269d7c710b8a8301848182098582878384090983810190810195509092019250507f2d036a95f81cf49bb7a0143a28c88767f6bd10c3f74b22db487920d43343dbff8201905083818009848286838409099150507f08a50897c06aafe6ea414fb1bceca2267cd4a39486729fbc6d5d1bb7a172ebd28301848182098582878384090992830190920193508492508691508390500895945050505050565b80356001600160401b03811681146121b6575f5ffd5b919050565b5f5f83601f8401126121cb575f5ffd5b5081356001600160401b038111156121e1575f5ffd5b6020830191508360208285010111156121f8575f5ffd5b9250929050565b5f5f5f5f5f5f5f60a0888a031215612215575f5ffd5b87359650612225602089016121a0565b9550612233604089016121a0565b945060608801356001600160401b0381111561224d575f5ffd5b6122598a828b016121bb565b90955093505060808801356001600160401b03811115612277575f5ffd5b6122838a828b016121bb565b989b979a50959850939692959293505050565b5f5f5f5f608085870312156122a9575f5ffd5b5050823594602084013594506040840135936060013592509050565b5f602082840312156122d5575f5ffd5b81356001600160a01b03811681146122eb575f5ffd5b9392505050565b5f5f5f5f5f5f60a08789031215612307575f5ffd5b612310876121a0565b955061231e602088016121a0565b945060408701359350612333606088016121a0565b925060808701356001600160401b0381111561234d575f5ffd5b61235989828a016121bb565b979a9699509497509295939492505050565b5f6020828403121561237b575f5ffd5b5035919050565b634e487b7160e01b5f52601160045260245ffd5b80820281158282048414176123ad576123ad612382565b92915050565b818103818111156123ad576123ad612382565b6001600160401b0381811683821601908111156123ad576123ad612382565b60408152826040820152828460608301375f606084830101525f6060601f19601f860116830101905060208201835f5b6001811015612434578151835260209283019290910190600101612415565b505050949350505050565b634e487b7160e01b5f52601260045260245ffd5b5f826124615761246161243f565b500690565b5f826124745761247461243f565b500490565b634e487b7160e01b5f52603260045260245ffd5b5f81518060208401855e5f93019283525090919050565b5f6124b86124b2838861248d565b8661248d565b838582375f93019283525090949350505050565b5f6122eb828461248d565b5f602082840312156124e7575f5ffd5b5051919050565b808201808211156123ad576123ad612382565b5f5f8585111561250f575f5ffd5b8386111561251b575f5ffd5b5050820193919092039150565b80356001600160c01b03198116906008841015612559576001600160c01b0319600885900360031b81901b82161691505b5092915050565b838582375f8482015f8152838582375f93019283525090949350505050565b805160208201516bffffffffffffffffffffffff198116919060148210156125cb576bffffffffffffffffffffffff196bffffffffffffffffffffffff198360140360031b1b82161692505b5050919050565b5f600182016125e3576125e3612382565b506001019056fe30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001a2646970667358221220723f57d7f017ebec43645c05dcd077be02f8fbf9b349e50dc01514ae46a9996864736f6c63430008250033",
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
// Solidity: constructor(address verifier_, uint64 chainId_, uint32 operatorAccount_, uint32 slots_, uint256 genesisRoot, address sequencer_) returns()
func (rollup *Rollup) PackConstructor(verifier_ common.Address, chainId_ uint64, operatorAccount_ uint32, slots_ uint32, genesisRoot *big.Int, sequencer_ common.Address) []byte {
	enc, err := rollup.abi.Pack("", verifier_, chainId_, operatorAccount_, slots_, genesisRoot, sequencer_)
	if err != nil {
		panic(err)
	}
	return enc
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
// the contract method with ID 0x2505c3d9.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function deposit(uint256 pubX, uint256 pubY, uint256 qX, uint256 qY) payable returns()
func (rollup *Rollup) PackDeposit(pubX *big.Int, pubY *big.Int, qX *big.Int, qY *big.Int) []byte {
	enc, err := rollup.abi.Pack("deposit", pubX, pubY, qX, qY)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDeposit is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2505c3d9.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function deposit(uint256 pubX, uint256 pubY, uint256 qX, uint256 qY) payable returns()
func (rollup *Rollup) TryPackDeposit(pubX *big.Int, pubY *big.Int, qX *big.Int, qY *big.Int) ([]byte, error) {
	return rollup.abi.Pack("deposit", pubX, pubY, qX, qY)
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

// RollupDeposit represents a Deposit event raised by the Rollup contract.
type RollupDeposit struct {
	Index      uint64
	From       common.Address
	PubX       *big.Int
	PubY       *big.Int
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
// Solidity: event Deposit(uint64 indexed index, address indexed from, uint256 pubX, uint256 pubY, uint64 amountGwei, uint256 prioHash)
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
	if bytes.Equal(raw[:4], rollup.abi.Errors["BadPublicDataLength"].ID.Bytes()[:4]) {
		return rollup.UnpackBadPublicDataLengthError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["BadTimestamp"].ID.Bytes()[:4]) {
		return rollup.UnpackBadTimestampError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["DepositAmountOutOfRange"].ID.Bytes()[:4]) {
		return rollup.UnpackDepositAmountOutOfRangeError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["DepositNotWholeGwei"].ID.Bytes()[:4]) {
		return rollup.UnpackDepositNotWholeGweiError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["InputNotInField"].ID.Bytes()[:4]) {
		return rollup.UnpackInputNotInFieldError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["InvalidL2Key"].ID.Bytes()[:4]) {
		return rollup.UnpackInvalidL2KeyError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["NotOwner"].ID.Bytes()[:4]) {
		return rollup.UnpackNotOwnerError(raw[4:])
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
	if bytes.Equal(raw[:4], rollup.abi.Errors["Reentrant"].ID.Bytes()[:4]) {
		return rollup.UnpackReentrantError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollup.abi.Errors["ZeroAddress"].ID.Bytes()[:4]) {
		return rollup.UnpackZeroAddressError(raw[4:])
	}
	return nil, errors.New("Unknown error")
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

// RollupInvalidL2Key represents a InvalidL2Key error raised by the Rollup contract.
type RollupInvalidL2Key struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidL2Key()
func RollupInvalidL2KeyErrorID() common.Hash {
	return common.HexToHash("0x990a1ba346d837504103487334a868a95e62bf73a818f4e42d74f823c9b542c1")
}

// UnpackInvalidL2KeyError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidL2Key()
func (rollup *Rollup) UnpackInvalidL2KeyError(raw []byte) (*RollupInvalidL2Key, error) {
	out := new(RollupInvalidL2Key)
	if err := rollup.abi.UnpackIntoInterface(out, "InvalidL2Key", raw); err != nil {
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
