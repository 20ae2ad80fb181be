package client

import (
	"errors"
	"fmt"
	"testing"

	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/keel-rollup/keel/l1contracts"
	"github.com/stretchr/testify/require"
)

// dataError is what an L1 node's eth_estimateGas answers for a revert.
type dataError struct{ data string }

func (e dataError) Error() string          { return "execution reverted" }
func (e dataError) ErrorData() interface{} { return e.data }

func TestDecodeRevert(t *testing.T) {
	id := l1contracts.RollupNothingToWithdrawErrorID()
	err := decodeRevert(fmt.Errorf("estimate: %w", dataError{hexutil.Encode(id[:4])}))
	var re *RevertError
	require.ErrorAs(t, err, &re)
	require.Equal(t, "NothingToWithdraw", re.Name)
	require.ErrorIs(t, err, ErrL1Revert)
	require.Contains(t, err.Error(), "nothing to claim")

	for name, e := range map[string]error{
		"no data":       errors.New("connection refused"),
		"unknown error": dataError{"0xdeadbeef"},
		"short data":    dataError{"0x01"},
		"not hex":       dataError{"zz"},
	} {
		require.Equal(t, e, decodeRevert(e), name)
	}
}
