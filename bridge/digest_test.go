package bridge

import (
	"encoding/hex"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/keel-rollup/keel/vm"
	"github.com/stretchr/testify/require"
)

// TestDepositDigestStable pins the digest the cursor store persists for
// every delivered request: a node's data directory from an earlier
// release must recognise the requests it already delivered, so the
// encoding the digest hashes may never change.
func TestDepositDigestStable(t *testing.T) {
	var sig vm.Signature
	for i := range sig {
		sig[i] = byte(i + 1)
	}
	dep := &Deposit{PriorityRequest: vm.PriorityRequest{ID: 7, Kind: vm.TxDeposit, Key: vm.DepositKeyOf(l2key(t, "digest").Public()), Amount: 5_000_000, From: common.HexToAddress("0xa11ce")},
		Block: 12, TxHash: common.HexToHash("0x01")}
	fx := &Deposit{PriorityRequest: vm.PriorityRequest{ID: 8, Kind: vm.TxFullExit, Account: 3, Nonce: 2, To: common.HexToAddress("0xb0b"), Sig: sig},
		Block: 13, TxHash: common.HexToHash("0x02")}
	for _, c := range []struct {
		d    *Deposit
		want string
	}{
		{dep, "fc90125db99c2ec451bc38e645282d977efe2d81cd5f3dbd6a6e6cea8028b462"},
		{fx, "b16877a6cdfe0194b06f027bcb738569ccc17dd845bcc5134d5188e9925802d5"},
	} {
		got := c.d.digest()
		require.Equal(t, c.want, hex.EncodeToString(got[:]), "request %d", c.d.ID)
	}
}
