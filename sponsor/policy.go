package sponsor

import (
	"errors"
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/keel-rollup/keel/vm"
)

// MaxPerUserPerHour bounds per_user_per_hour. The ledger keeps the time of
// each of a user's charges in the last hour, so the bound keeps one user's
// record small (8 bytes a charge).
const MaxPerUserPerHour = 10_000

// Policy is what a sponsor pays for. The zero value pays for nothing;
// ParsePolicy and LoadPolicy return a validated one.
type Policy struct {
	// Accounts are the user accounts whose transactions it pays for,
	// sorted; empty means any account.
	Accounts []uint32
	// Types are the transaction types it pays for: vm.TxTransfer,
	// vm.TxWithdraw or both.
	Types []vm.TxType
	// MaxFee is the most fee, in gwei, it pays for one transaction. It is
	// an encodable fee (vm.PackFee), so a client can sign it as it is.
	MaxFee uint64
	// DailyBudget is the most fee, in gwei, it pays in one UTC day.
	DailyBudget uint64
	// PerUserPerHour is how many transactions of one account it pays for
	// in any hour (a sliding window), 1..MaxPerUserPerHour.
	PerUserPerHour int
}

// policyKeys are the keys of a policy file, in the order errors list them.
var policyKeys = []string{"accounts", "types", "max_fee", "daily_budget", "per_user_per_hour"}

// policyFile is the TOML form. Every value is decoded as it is written,
// so that Validate can name the key and say what it wants instead of
// the decoder's type mismatch.
type policyFile struct {
	Accounts       any `toml:"accounts"`
	Types          any `toml:"types"`
	MaxFee         any `toml:"max_fee"`
	DailyBudget    any `toml:"daily_budget"`
	PerUserPerHour any `toml:"per_user_per_hour"`
}

// LoadPolicy reads and checks the policy file at path; see ParsePolicy.
func LoadPolicy(path string) (*Policy, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrPolicy, err)
	}
	p, err := ParsePolicy(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return p, nil
}

// ParsePolicy decodes a policy file:
//
//	accounts = [1, 2, 3]              # user accounts; absent or [] = any
//	types = ["transfer", "withdraw"]  # what it pays for
//	max_fee = "1000"                  # gwei per transaction: integer or decimal string
//	daily_budget = "1000000"          # gwei per UTC day
//	per_user_per_hour = 20            # transactions per account per hour
//
// Every key but accounts is required. An unknown key, or a value of the
// wrong kind or out of range, is an error wrapping ErrPolicy that names
// the key; all of them are reported at once.
func ParsePolicy(data []byte) (*Policy, error) {
	var f policyFile
	md, err := toml.Decode(string(data), &f)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrPolicy, err)
	}
	var errs []error
	bad := func(key string, v any, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s = %s: %s", key, show(v), fmt.Sprintf(format, args...)))
	}
	if und := md.Undecoded(); len(und) > 0 {
		// A table's keys are unknown with it: name the table only.
		var names []string
		for _, k := range und {
			if len(k) == 1 {
				names = append(names, k.String())
			}
		}
		if len(names) == 0 {
			for _, k := range und {
				names = append(names, k.String())
			}
		}
		word := "key"
		if len(names) > 1 {
			word = "keys"
		}
		errs = append(errs, fmt.Errorf("unknown %s %s (a policy takes %s)", word, strings.Join(names, ", "), strings.Join(policyKeys, ", ")))
	}
	for _, k := range policyKeys[1:] {
		if !md.IsDefined(k) {
			errs = append(errs, fmt.Errorf("%s is missing", k))
		}
	}
	var p Policy
	if md.IsDefined("accounts") {
		list, ok := f.Accounts.([]any)
		if !ok {
			bad("accounts", f.Accounts, "want a list of account indexes, like [1, 2, 3] ([] for any account)")
		}
		seen := map[uint32]bool{}
		for _, v := range list {
			i, ok := v.(int64)
			if !ok || i < 0 || i > math.MaxUint32 {
				bad("accounts", f.Accounts, "%s is not an account index (a whole number 0..%d)", show(v), uint32(math.MaxUint32))
				continue
			}
			if seen[uint32(i)] {
				bad("accounts", f.Accounts, "lists %d twice", i)
				continue
			}
			seen[uint32(i)] = true
			p.Accounts = append(p.Accounts, uint32(i))
		}
		slices.Sort(p.Accounts)
	}
	if md.IsDefined("types") {
		list, ok := f.Types.([]any)
		if !ok || len(list) == 0 {
			bad("types", f.Types, `want a list of "transfer", "withdraw" or both`)
		}
		for _, v := range list {
			s, _ := v.(string)
			var t vm.TxType
			switch s {
			case "transfer":
				t = vm.TxTransfer
			case "withdraw":
				t = vm.TxWithdraw
			default:
				bad("types", f.Types, `%s cannot be sponsored: only "transfer" and "withdraw" can`, show(v))
				continue
			}
			if slices.Contains(p.Types, t) {
				bad("types", f.Types, "lists %q twice", s)
				continue
			}
			p.Types = append(p.Types, t)
		}
	}
	if md.IsDefined("max_fee") {
		v, err := gweiValue(f.MaxFee)
		switch {
		case err != nil:
			bad("max_fee", f.MaxFee, "%v", err)
		case v == 0:
			bad("max_fee", f.MaxFee, "a sponsor that pays no fee pays for nothing; set the most fee it pays per transaction")
		default:
			if _, ok := vm.PackFee(v); !ok {
				bad("max_fee", f.MaxFee, "%d gwei is not an encodable fee (11 significant bits times a power of ten); the nearest below is %d", v, vm.RoundFee(v))
			}
		}
		p.MaxFee = v
	}
	if md.IsDefined("daily_budget") {
		v, err := gweiValue(f.DailyBudget)
		switch {
		case err != nil:
			bad("daily_budget", f.DailyBudget, "%v", err)
		case v == 0:
			bad("daily_budget", f.DailyBudget, "a budget of 0 pays for nothing")
		}
		p.DailyBudget = v
	}
	if md.IsDefined("per_user_per_hour") {
		n, ok := f.PerUserPerHour.(int64)
		if !ok || n < 1 || n > MaxPerUserPerHour {
			bad("per_user_per_hour", f.PerUserPerHour, "want a whole number of transactions, 1..%d", MaxPerUserPerHour)
		}
		p.PerUserPerHour = int(n)
	}
	if len(errs) == 0 {
		if err := p.Validate(); err != nil {
			return nil, err
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrPolicy, err)
	}
	return &p, nil
}

// Validate checks a policy built in code; ParsePolicy has done it for a
// parsed one.
func (p *Policy) Validate() error {
	var errs []error
	if len(p.Types) == 0 {
		errs = append(errs, errors.New("types: it pays for no transaction type"))
	}
	for _, t := range p.Types {
		if !t.CanBeSponsored() {
			errs = append(errs, fmt.Errorf("types: %s cannot be sponsored", t))
		}
	}
	if p.MaxFee == 0 {
		errs = append(errs, errors.New("max_fee: it pays no fee"))
	} else if _, ok := vm.PackFee(p.MaxFee); !ok {
		errs = append(errs, fmt.Errorf("max_fee: %d gwei is not an encodable fee; the nearest below is %d", p.MaxFee, vm.RoundFee(p.MaxFee)))
	}
	if p.DailyBudget == 0 {
		errs = append(errs, errors.New("daily_budget: a budget of 0 pays for nothing"))
	}
	if p.MaxFee > p.DailyBudget {
		errs = append(errs, fmt.Errorf("max_fee %d is above daily_budget %d: no transaction at the most fee could ever be paid", p.MaxFee, p.DailyBudget))
	}
	if p.PerUserPerHour < 1 || p.PerUserPerHour > MaxPerUserPerHour {
		errs = append(errs, fmt.Errorf("per_user_per_hour: %d, want 1..%d", p.PerUserPerHour, MaxPerUserPerHour))
	}
	if !slices.IsSorted(p.Accounts) {
		errs = append(errs, errors.New("accounts: not sorted"))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("%w: %w", ErrPolicy, err)
	}
	return nil
}

// AllowsType reports whether the policy pays for transactions of type t.
func (p *Policy) AllowsType(t vm.TxType) bool { return slices.Contains(p.Types, t) }

// AllowsAccount reports whether the policy pays for account i's
// transactions.
func (p *Policy) AllowsAccount(i uint32) bool {
	if len(p.Accounts) == 0 {
		return true
	}
	_, ok := slices.BinarySearch(p.Accounts, i)
	return ok
}

// TypeNames returns the names of Types ("transfer", "withdraw").
func (p *Policy) TypeNames() []string {
	names := make([]string, len(p.Types))
	for i, t := range p.Types {
		names[i] = t.String()
	}
	return names
}

// gweiValue reads an amount of gwei written as a TOML integer or a
// decimal string ("1000"); a string may hold values past TOML's int64.
func gweiValue(v any) (uint64, error) {
	const want = `want a whole number of gwei: an integer (1000) or a decimal string ("1000")`
	switch v := v.(type) {
	case int64:
		if v < 0 {
			return 0, errors.New("negative; " + want)
		}
		return uint64(v), nil
	case string:
		s := strings.TrimSpace(v)
		for _, c := range s {
			if c < '0' || c > '9' {
				return 0, errors.New(want)
			}
		}
		n, err := strconv.ParseUint(s, 10, 64)
		if errors.Is(err, strconv.ErrRange) {
			return 0, fmt.Errorf("too large: at most %d gwei", uint64(math.MaxUint64))
		}
		if err != nil {
			return 0, errors.New(want)
		}
		return n, nil
	}
	return 0, errors.New(want)
}

// show writes a decoded TOML value back as the user wrote it, near
// enough for an error message.
func show(v any) string {
	switch v := v.(type) {
	case string:
		return strconv.Quote(v)
	case []any:
		parts := make([]string, len(v))
		for i, e := range v {
			parts[i] = show(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any:
		return "{table}"
	}
	return fmt.Sprint(v)
}
