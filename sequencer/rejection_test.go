package sequencer

import (
	"testing"

	"github.com/keel-rollup/keel/vm"
	"github.com/stretchr/testify/require"
)

// TestRejectionRecord: a rejection keeps the transaction's type, and a
// record written before types were kept still reads, with type 0.
func TestRejectionRecord(t *testing.T) {
	typ, why := decodeRejection(encodeRejection(vm.TxWithdraw, "insufficient balance"))
	require.Equal(t, vm.TxWithdraw, typ)
	require.Equal(t, "insufficient balance", why)
	typ, why = decodeRejection([]byte("vm: nonce 3, want 4"))
	require.Equal(t, vm.TxType(0), typ)
	require.Equal(t, "vm: nonce 3, want 4", why)
	typ, why = decodeRejection(nil)
	require.Equal(t, vm.TxType(0), typ)
	require.Empty(t, why)
}
