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

// Poseidon2HarnessMetaData contains all meta data concerning the Poseidon2Harness contract.
var Poseidon2HarnessMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[],\"name\":\"InputNotInField\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"l\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"r\",\"type\":\"uint256\"}],\"name\":\"compress\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"pure\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"l\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"r\",\"type\":\"uint256\"}],\"name\":\"compressGas\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"h\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"gasUsed\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"a\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"b\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"c\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"d\",\"type\":\"uint256\"}],\"name\":\"hashChain4\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"pure\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"a\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"b\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"c\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"d\",\"type\":\"uint256\"}],\"name\":\"hashChain4Gas\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"h\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"gasUsed\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"}]",
	ID:  "Poseidon2Harness",
	Bin: "0x6080604052348015600e575f5ffd5b506111f88061001c5f395ff3fe608060405234801561000f575f5ffd5b506004361061004a575f3560e01c806328db8c781461004e5780636882933d1461007b578063b4534b101461009c578063bdd525c6146100af575b5f5ffd5b61006161005c366004611134565b6100c2565b604080519283526020830191909152015b60405180910390f35b61008e610089366004611163565b6100eb565b604051908152602001610072565b61008e6100aa366004611134565b6100ff565b6100616100bd366004611163565b610115565b5f5f5a90506100d38686868661013a565b91505a6100e09082611183565b905094509492505050565b5f6100f683836101d7565b90505b92915050565b5f61010c8585858561013a565b95945050505050565b5f5f5a905061012484846101d7565b91505a6101319082611183565b90509250929050565b5f5f5160206111a35f395f51905f528510158061016457505f5160206111a35f395f51905f528410155b8061017c57505f5160206111a35f395f51905f528310155b8061019457505f5160206111a35f395f51905f528210155b156101b2576040516365607d9b60e11b815260040160405180910390fd5b61010c6101d16101cb6101c55f89610225565b87610225565b85610225565b83610225565b5f5f5160206111a35f395f51905f528310158061020157505f5160206111a35f395f51905f528210155b1561021f576040516365607d9b60e11b815260040160405180910390fd5b6100f683835b5f5f5160206111a35f395f51905f528383018084019085017f1da4d6adfb0d0b494584f763db50a81908580a5f5e295e168b9b8d31770fac4f810183818009848286838409099150507f0946129a2e33b4e819707a56a3b3790eab80d0a0c7a0c63451fab2a59acc074c8301848182098582878384090983810190810195509092019250507f2a39b9d5376afd35580abd6952986570867b87303b07140268794dad4b8f82ea8201905083818009848286838409099150507f27605717d1245c20c546b3c7014e5fa3e4a70e66ecd6de5d32448eea5e3069b28301848182098582878384090983810190810195509092019250507f24c896cb2594e17b973653193a470ed7e771ebb09a228d638e50809c037736328201905083818009848286838409099150507f0911096c45dd9cda0d61d783957003db6d8701c7869a919ad8042e1b7d597a49830184818209858287838409099150508082019350838201925084848208935050507f26ff6166f1e4b99e27eee6d352a8ce26f1daba01aad28021f11f38a70603afdc8101838182098482868384090991505082810191508383840183089250017e8e2faedcf76d08ad6591ff90e50fea79bcb5e18cfb7d954d5b89437bf64b7e8101838180098482868384090991505082810191508383840183089250017f19c9da2379b598ace3ad4d1872470830f6184a3cec71eeb632f98820eb353d788101838180098482868384090991505082810191508383840183089250017f0f7c4eb15d8b0b62a8f6a090ec9610a2ab3dfcdb57e2539aa459a40583dfe96b8101838180098482868384090991505082810191508383840183089250017f18b99417dc26b5e079750eba282362d1d46900b47dd5ff809171588b08ac39838101838180098482868384090991505082810191508383840183089250017f1ee044081160b3eee2d4493feab82141c73f1c054b76320a8848af08a8d91a268101838180098482868384090991505082810191508383840183089250017f29bb95c8763efd3e0e87f5df12ee8a150455b6d7a14780d19122220366c258dc8101838180098482868384090991505082810191508383840183089250017f22c23eec9cb13ff8a3ee9a363d740653215e8991f7f9ec12067b4705e9a5c9fb8101838180098482868384090991505082810191508383840183089250017f23589e033a31a667680c8b18926c3be09115c7644c4f905cc7deefc1690b42dc8101838180098482868384090991505082810191508383840183089250017f304e99b887f2e1e92c9c0cde5f2bdd4764f60b98a219f1f0dd64ec938a6a247c8101838180098482868384090991505082810191508383840183089250017f22e817865236ad3a76fbe88bbdf31fcae792f326271d53a3a493b2de7f7d8b4c8101838180098482868384090991505082810191508383840183089250017f10c9efe573e86fa5b238a3f5c70a00bf02bc7dcfcc4878e026b77c881dc8b1c98101838180098482868384090991505082810191508383840183089250017f0a94f16be920d85f4d6f80e745c6bddbc084f309edffef023ea283c72b89bbb68101838180098482868384090991505082810191508383840183089250017f23ed72b4d01d14e3c7888fedb770494abc2c1ea81d6465b5df3da0ebcd69101a8101838180098482868384090991505082810191508383840183089250017f17c5115640e4cebeed0e6cbb511ac38498df815a77cb162de8d8f1022eb6bb748101838180098482868384090991505082810191508383840183089250017f2e507fcca290d0d9cf765245750eb04773e09e1fc813959fb99680a82772e4fc8101838180098482868384090991505082810191508383840183089250017f0d4a98999f5b39176af6cce65c8d12162433f055cb71d70dfc8803013292bbbf8101838180098482868384090991505082810191508383840183089250017f238d8022cc09c21ab3c01261a03dc125321d829e22a7a3b7a1bd3c335eccfa218101838180098482868384090991505082810191508383840183089250017f010cd8e4c2b7051cb81dc8292e35d8e943ce365613d5b39770e454ed9f4ae1658101838180098482868384090991505082810191508383840183089250017f088027e54f2a3604b11178cf0ea3c6aa861173a90fb231238e03539590ecc0278101838180098482868384090991505082810191508383840183089250017f1b840f5311a2b1d4b4cd7aa7e5a9a6d161165468daa938108302b73e464819db8101838180098482868384090991505082810191508383840183089250017f2bf51a5da1828a1cf9b764b1e16c15929a3a346e44198ea0cb366fcd8db78dc18101838180098482868384090991505082810191508383840183089250017f206ad089d8d296ffe68a6a86767a7fe726b8872f9c7beef9d56a3a50f6f238278101838180098482868384090991505082810191508383840183089250017f24d19193171494fa1a54e0a99ac16d05eaec4b6d617c7c199fc07ff88eac550c8101838180098482868384090991505082810191508383840183089250017f1dd654a2ca9d9f24f33d88246a40dfb32c40662278b9c0b995d9f9fbaf1521388101838180098482868384090991505082810191508383840183089250017f0d171025c925f6e259d20ecbd3a601108c85f05b0fe7793b8acf57f3789785e48101838180098482868384090991505082810191508383840183089250017f055bef435a43aec245cd99ccb0f7c8791d9e8cf2b80d95dd98b9908fed877d558101838180098482868384090991505082810191508383840183089250017f10d2ac8c61c8a2e88a2a3f42d9359a14be63d0ad4cfd9f203b75765d0e595f0e8101838180098482868384090991505082810191508383840183089250017f103479710e70996982a84057ec3ba6b2254d7966ddc41e85296e3d0790dcfa568101838180098482868384090991505082810191508383840183089250017f2a366f0448fda3c05914ffb48c765da8de96f9aa340db1638225f8372921807b8101838180098482868384090991505082810191508383840183089250017f16be0fb8ef62da17919b6e0378d00594153bb8899aeb686c04626b63285837a48101838180098482868384090991505082810191508383840183089250017f0417038500e9d06c60abbc7f0d0d24c32dec8a0b2aa5a4d52cfd8c78a15bc3708101838180098482868384090991505082810191508383840183089250017f26a6873b43ffd2ccf66ec6f4493ff9b54f4d76480bc486a3e5a0308fdd0138128101838180098482868384090991505082810191508383840183089250017f0a3314a838f32630a96251914fe5ad262f3db9b2aa8aa9f7391922d36278c4988101838180098482868384090991505082810191508383840183089250017f0fde0c5429a6beb07f462d4821f48f86aeadb46a090b15a044f4b59399027da48101838180098482868384090991505082810191508383840183089250017f0abc2d5049972a6b9b357e4163793b0bb517e1eb535a984df11a1c89cda2c8a98101838180098482868384090991505082810191508383840183089250017f0dab51d6e3ebfa661d21722fb21e55051b427a5f173f7f17735205dbb77c464e8101838180098482868384090991505082810191508383840183089250017f29c36622598b511d51af6cc37123652fb21be5c2d68fb8efe9b92e70a8c1ae038101838180098482868384090991505082810191508383840183089250017f2c03ec80adac2a33ae846bc0b700d0bcc41c4096e53ac6990d6bbe7ea2fbc85c8101838180098482868384090991505082810191508383840183089250017f0918fdbe9cf3a59fbdb4c6852d065105317303116017d893b8b521e3cebe1e0d8101838180098482868384090991505082810191508383840183089250017f1f19ec22e69ca33f599dd13cd7e495a8176a79df4f7acf79a9d2135acabe23598101838180098482868384090991505082810191508383840183089250017f1c4b037c8ae85ee1eb32b872eb7f76928c4c76b29ceb001346447b29110807048101838180098482868384090991505082810191508383840183089250017f2b68900ed906616d6c826d0bde341766ba3131e04d420de5af0a69c534efd8db8101838180098482868384090991505082810191508383840183089250017f20ca92aa222fcc69448f8dac653c8daaa180ff6dfb397cef723d4f0c782bc7f08101838180098482868384090991505082810191508383840183089250017f10d22d05bdff6bb375276fc82057db337045a5ab7ac053941f6186289b66b2b68101838180098482868384090991505082810191508383840183089250017f0b1ffdbb529367bb98f32ba45784cb435aa910b4a00636d1e5ca79e88bdd6cd98101838180098482868384090991505082810191508383840183089250017f2da32b38e7984bc2ed757ec705eccf8282c7b4f82e5e515f6f89bcc33022ce9f8101838180098482868384090991505082810191508383840183089250017f042593ad87403f6d2674b8b55a886725b87eb33958031e94d292cecc6abed1bb8101838180098482868384090991505082810191508383840183089250017f181fa1b4d067783a19d7367bf49b3f01051faedab463a6de9308fbd6e7d419f18101838180098482868384090991505082810191508383840183089250017f15aaa6cc9b7900b15683c95515c26028a8e35b00ed8a815c34927188c60de6608101838180098482868384090991505082810191508383840183089250017f1bf28a93209084bbbc63234f057254c280b1a636f5a0eced6787320212f75a7a810183818009848286838409099150507f1cdb8c8bee5426f02cd9e229776118f156273b312f805c8e6f8c9d81a620cb6f8301848182098582878384090983810190810195509092019250507f08299c0abf196d53162e0facb5f1876f516df2505cc387a0f8ea0e8760d5ca7e8201905083818009848286838409099150507f221643d205fe82778a7b7b58cb65c4962d76c0072cabd1124117269d7c710b8a8301848182098582878384090983810190810195509092019250507f2d036a95f81cf49bb7a0143a28c88767f6bd10c3f74b22db487920d43343dbff8201905083818009848286838409099150507f08a50897c06aafe6ea414fb1bceca2267cd4a39486729fbc6d5d1bb7a172ebd28301848182098582878384090992830190920193508492508691508390500895945050505050565b5f5f5f5f60808587031215611147575f5ffd5b5050823594602084013594506040840135936060013592509050565b5f5f60408385031215611174575f5ffd5b50508035926020909101359150565b818103818111156100f957634e487b7160e01b5f52601160045260245ffdfe30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001a2646970667358221220f1318e6d4ae910ac137ade251c34abb70e31723f7067401fad1058c3c554056b64736f6c63430008250033",
}

// Poseidon2Harness is an auto generated Go binding around an Ethereum contract.
type Poseidon2Harness struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *Poseidon2Harness) GetABI() abi.ABI {
	return c.abi
}

// NewPoseidon2Harness creates a new instance of Poseidon2Harness.
func NewPoseidon2Harness() *Poseidon2Harness {
	parsed, err := Poseidon2HarnessMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &Poseidon2Harness{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *Poseidon2Harness) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackCompress is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x6882933d.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function compress(uint256 l, uint256 r) pure returns(uint256)
func (poseidon2Harness *Poseidon2Harness) PackCompress(l *big.Int, r *big.Int) []byte {
	enc, err := poseidon2Harness.abi.Pack("compress", l, r)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackCompress is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x6882933d.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function compress(uint256 l, uint256 r) pure returns(uint256)
func (poseidon2Harness *Poseidon2Harness) TryPackCompress(l *big.Int, r *big.Int) ([]byte, error) {
	return poseidon2Harness.abi.Pack("compress", l, r)
}

// UnpackCompress is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x6882933d.
//
// Solidity: function compress(uint256 l, uint256 r) pure returns(uint256)
func (poseidon2Harness *Poseidon2Harness) UnpackCompress(data []byte) (*big.Int, error) {
	out, err := poseidon2Harness.abi.Unpack("compress", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackCompressGas is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xbdd525c6.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function compressGas(uint256 l, uint256 r) view returns(uint256 h, uint256 gasUsed)
func (poseidon2Harness *Poseidon2Harness) PackCompressGas(l *big.Int, r *big.Int) []byte {
	enc, err := poseidon2Harness.abi.Pack("compressGas", l, r)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackCompressGas is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xbdd525c6.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function compressGas(uint256 l, uint256 r) view returns(uint256 h, uint256 gasUsed)
func (poseidon2Harness *Poseidon2Harness) TryPackCompressGas(l *big.Int, r *big.Int) ([]byte, error) {
	return poseidon2Harness.abi.Pack("compressGas", l, r)
}

// CompressGasOutput serves as a container for the return parameters of contract
// method CompressGas.
type CompressGasOutput struct {
	H       *big.Int
	GasUsed *big.Int
}

// UnpackCompressGas is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xbdd525c6.
//
// Solidity: function compressGas(uint256 l, uint256 r) view returns(uint256 h, uint256 gasUsed)
func (poseidon2Harness *Poseidon2Harness) UnpackCompressGas(data []byte) (CompressGasOutput, error) {
	out, err := poseidon2Harness.abi.Unpack("compressGas", data)
	outstruct := new(CompressGasOutput)
	if err != nil {
		return *outstruct, err
	}
	outstruct.H = abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	outstruct.GasUsed = abi.ConvertType(out[1], new(big.Int)).(*big.Int)
	return *outstruct, nil
}

// PackHashChain4 is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb4534b10.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function hashChain4(uint256 a, uint256 b, uint256 c, uint256 d) pure returns(uint256)
func (poseidon2Harness *Poseidon2Harness) PackHashChain4(a *big.Int, b *big.Int, c *big.Int, d *big.Int) []byte {
	enc, err := poseidon2Harness.abi.Pack("hashChain4", a, b, c, d)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackHashChain4 is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb4534b10.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function hashChain4(uint256 a, uint256 b, uint256 c, uint256 d) pure returns(uint256)
func (poseidon2Harness *Poseidon2Harness) TryPackHashChain4(a *big.Int, b *big.Int, c *big.Int, d *big.Int) ([]byte, error) {
	return poseidon2Harness.abi.Pack("hashChain4", a, b, c, d)
}

// UnpackHashChain4 is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xb4534b10.
//
// Solidity: function hashChain4(uint256 a, uint256 b, uint256 c, uint256 d) pure returns(uint256)
func (poseidon2Harness *Poseidon2Harness) UnpackHashChain4(data []byte) (*big.Int, error) {
	out, err := poseidon2Harness.abi.Unpack("hashChain4", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackHashChain4Gas is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x28db8c78.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function hashChain4Gas(uint256 a, uint256 b, uint256 c, uint256 d) view returns(uint256 h, uint256 gasUsed)
func (poseidon2Harness *Poseidon2Harness) PackHashChain4Gas(a *big.Int, b *big.Int, c *big.Int, d *big.Int) []byte {
	enc, err := poseidon2Harness.abi.Pack("hashChain4Gas", a, b, c, d)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackHashChain4Gas is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x28db8c78.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function hashChain4Gas(uint256 a, uint256 b, uint256 c, uint256 d) view returns(uint256 h, uint256 gasUsed)
func (poseidon2Harness *Poseidon2Harness) TryPackHashChain4Gas(a *big.Int, b *big.Int, c *big.Int, d *big.Int) ([]byte, error) {
	return poseidon2Harness.abi.Pack("hashChain4Gas", a, b, c, d)
}

// HashChain4GasOutput serves as a container for the return parameters of contract
// method HashChain4Gas.
type HashChain4GasOutput struct {
	H       *big.Int
	GasUsed *big.Int
}

// UnpackHashChain4Gas is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x28db8c78.
//
// Solidity: function hashChain4Gas(uint256 a, uint256 b, uint256 c, uint256 d) view returns(uint256 h, uint256 gasUsed)
func (poseidon2Harness *Poseidon2Harness) UnpackHashChain4Gas(data []byte) (HashChain4GasOutput, error) {
	out, err := poseidon2Harness.abi.Unpack("hashChain4Gas", data)
	outstruct := new(HashChain4GasOutput)
	if err != nil {
		return *outstruct, err
	}
	outstruct.H = abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	outstruct.GasUsed = abi.ConvertType(out[1], new(big.Int)).(*big.Int)
	return *outstruct, nil
}

// UnpackError attempts to decode the provided error data using user-defined
// error definitions.
func (poseidon2Harness *Poseidon2Harness) UnpackError(raw []byte) (any, error) {
	if bytes.Equal(raw[:4], poseidon2Harness.abi.Errors["InputNotInField"].ID.Bytes()[:4]) {
		return poseidon2Harness.UnpackInputNotInFieldError(raw[4:])
	}
	return nil, errors.New("Unknown error")
}

// Poseidon2HarnessInputNotInField represents a InputNotInField error raised by the Poseidon2Harness contract.
type Poseidon2HarnessInputNotInField struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InputNotInField()
func Poseidon2HarnessInputNotInFieldErrorID() common.Hash {
	return common.HexToHash("0xcac0fb364f244c0df0a339e902466715cc1562ec0094101bef7baf9d27fef582")
}

// UnpackInputNotInFieldError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InputNotInField()
func (poseidon2Harness *Poseidon2Harness) UnpackInputNotInFieldError(raw []byte) (*Poseidon2HarnessInputNotInField, error) {
	out := new(Poseidon2HarnessInputNotInField)
	if err := poseidon2Harness.abi.UnpackIntoInterface(out, "InputNotInField", raw); err != nil {
		return nil, err
	}
	return out, nil
}
