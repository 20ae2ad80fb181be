package main

import (
	"fmt"
	"math/big"
	"strings"

	"github.com/keel-rollup/keel/vm"
)

// gweiPerETH is 10^9: L2 amounts are whole gwei.
const gweiPerETH = 1_000_000_000

// parseGwei reads an amount in gwei: a whole number ("1500"), the same
// with a unit ("1500gwei"), or ETH with at most nine decimals ("0.5eth",
// "2 ETH"). Anything that is not a whole number of gwei, or exceeds a
// uint64, is an error that says so.
func parseGwei(s string) (uint64, error) {
	in := strings.ToLower(strings.TrimSpace(s))
	num, perUnit, decimals := in, int64(1), 0
	switch {
	case strings.HasSuffix(in, "gwei"):
		num = strings.TrimSpace(strings.TrimSuffix(in, "gwei"))
	case strings.HasSuffix(in, "eth"):
		num, perUnit, decimals = strings.TrimSpace(strings.TrimSuffix(in, "eth")), gweiPerETH, 9
	}
	whole, frac, hasPoint := strings.Cut(num, ".")
	if whole == "" && hasPoint {
		whole = "0" // ".5eth"
	}
	if !isDigits(whole) || (hasPoint && !isDigits(frac)) {
		return 0, fmt.Errorf("amount %q: want a whole number of gwei, or a number with a unit: 1500gwei, 0.5eth", s)
	}
	frac = strings.TrimRight(frac, "0")
	if len(frac) > decimals {
		return 0, fmt.Errorf("amount %q is not a whole number of gwei (L2 amounts are whole gwei; 1 gwei = 0.000000001 eth)", s)
	}
	v, _ := new(big.Int).SetString(whole, 10)
	v.Mul(v, big.NewInt(perUnit))
	if frac != "" {
		f, _ := new(big.Int).SetString(frac+strings.Repeat("0", decimals-len(frac)), 10)
		v.Add(v, f)
	}
	if !v.IsUint64() {
		return 0, fmt.Errorf("amount %q is too large: at most %d gwei", s, uint64(1<<64-1))
	}
	return v.Uint64(), nil
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// transferAmount checks that a transfer can carry amount exactly: the
// public data holds it as a Float24 (19-bit mantissa times a power of ten).
func transferAmount(amount uint64) error {
	if amount == 0 {
		return fmt.Errorf("--amount must be more than zero")
	}
	if _, ok := vm.PackAmount(amount); !ok {
		return fmt.Errorf("a transfer cannot carry exactly %d gwei (amounts are 19 significant bits times a power of ten): the nearest encodable amount is %d gwei", amount, vm.RoundAmount(amount))
	}
	return nil
}

// checkFee checks that fee is encodable (a Float16: 11-bit mantissa times
// a power of ten).
func checkFee(fee uint64) error {
	if _, ok := vm.PackFee(fee); !ok {
		return fmt.Errorf("a fee of exactly %d gwei cannot be encoded (11 significant bits times a power of ten): the nearest encodable fee is %d gwei", fee, vm.RoundFee(fee))
	}
	return nil
}

// gweiToETH formats gwei as ETH without trailing zeros: 1500000000 is
// "1.5".
func gweiToETH(gwei uint64) string {
	return decimalString(new(big.Int).SetUint64(gwei), 9)
}

// weiToETH formats wei as ETH without trailing zeros.
func weiToETH(wei *big.Int) string { return decimalString(wei, 18) }

func decimalString(v *big.Int, decimals int) string {
	s := v.String()
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	if len(s) <= decimals {
		s = strings.Repeat("0", decimals-len(s)+1) + s
	}
	whole, frac := s[:len(s)-decimals], strings.TrimRight(s[len(s)-decimals:], "0")
	if frac != "" {
		whole += "." + frac
	}
	if neg {
		whole = "-" + whole
	}
	return whole
}

// parseAmountFlag parses --amount, which must be more than zero.
func parseAmountFlag(s string) (uint64, error) {
	amount, err := parseGwei(s)
	if err != nil {
		return 0, fmt.Errorf("--amount: %w", err)
	}
	if amount == 0 {
		return 0, fmt.Errorf("--amount must be more than zero")
	}
	return amount, nil
}
