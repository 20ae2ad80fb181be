package main

import (
	"math/big"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParseGwei(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    uint64
		wantErr string
	}{
		{in: "1500", want: 1500},
		{in: "0", want: 0},
		{in: "1500gwei", want: 1500},
		{in: "1500 GWEI", want: 1500},
		{in: "1.000gwei", want: 1},
		{in: "1eth", want: 1_000_000_000},
		{in: "0.5eth", want: 500_000_000},
		{in: ".5eth", want: 500_000_000},
		{in: "2 ETH", want: 2_000_000_000},
		{in: "1.000000001eth", want: 1_000_000_001},
		{in: "0.0000000010eth", want: 1, wantErr: ""},
		{in: "18446744073709551615", want: 1<<64 - 1},
		{in: "18446744073.709551615eth", want: 1<<64 - 1},
		{in: "18446744073709551616", wantErr: "too large"},
		{in: "18446744074eth", wantErr: "too large"},
		{in: "1.5gwei", wantErr: "not a whole number of gwei"},
		{in: "0.0000000001eth", wantErr: "not a whole number of gwei"},
		{in: "1.5", wantErr: "not a whole number of gwei"},
		{in: "", wantErr: "want a whole number"},
		{in: "eth", wantErr: "want a whole number"},
		{in: "-1", wantErr: "want a whole number"},
		{in: "1e9", wantErr: "want a whole number"},
		{in: "1,000", wantErr: "want a whole number"},
		{in: "5wei", wantErr: "want a whole number"},
		{in: "1.2.3eth", wantErr: "want a whole number"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := parseGwei(tc.in)
			if tc.wantErr != "" {
				require.ErrorContains(t, err, tc.wantErr)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
}

func TestTransferAmountNamesTheNearestEncodable(t *testing.T) {
	require.NoError(t, transferAmount(1500))
	require.NoError(t, transferAmount(500_000_000), "0.5 ETH is 5·10^8")
	require.ErrorContains(t, transferAmount(0), "more than zero")
	require.ErrorContains(t, transferAmount(1_234_567), "nearest encodable amount is 1234560 gwei")
	require.NoError(t, checkFee(2047))
	require.ErrorContains(t, checkFee(2049), "nearest encodable fee is 2040 gwei")
}

func TestETHFormatting(t *testing.T) {
	for gwei, want := range map[uint64]string{0: "0", 1: "0.000000001", 1_500_000_000: "1.5", 2_000_000_000: "2", 123: "0.000000123"} {
		require.Equal(t, want, gweiToETH(gwei), gwei)
	}
	wei, _ := new(big.Int).SetString("1500000000000000001", 10)
	require.Equal(t, "1.500000000000000001", weiToETH(wei))
	require.Equal(t, "0.25", weiToETH(big.NewInt(250_000_000_000_000_000)))
}

// FuzzParseGwei: amounts come from flags and scripts. The parser never
// panics, and what it accepts as gwei prints back to the same amount.
func FuzzParseGwei(f *testing.F) {
	for _, s := range []string{"1500", "1500gwei", "0.5eth", "2 ETH", ".5eth", "18446744073709551615", "1e9", "-1", "0.0000000001eth"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := parseGwei(s)
		if err != nil {
			return
		}
		again, err := parseGwei(strconv.FormatUint(v, 10))
		if err != nil || again != v {
			t.Fatalf("%q parsed as %d, which does not parse back (%d, %v)", s, v, again, err)
		}
	})
}
