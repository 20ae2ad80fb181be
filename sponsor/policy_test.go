package sponsor

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/keel-rollup/keel/vm"
)

const goodPolicy = `
accounts = [7, 3, 5]
types = ["transfer", "withdraw"]
max_fee = "1000"
daily_budget = 1000000
per_user_per_hour = 20
`

func TestParsePolicy(t *testing.T) {
	p, err := ParsePolicy([]byte(goodPolicy))
	require.NoError(t, err)
	require.Equal(t, &Policy{Accounts: []uint32{3, 5, 7}, Types: []vm.TxType{vm.TxTransfer, vm.TxWithdraw},
		MaxFee: 1000, DailyBudget: 1_000_000, PerUserPerHour: 20}, p)
	require.True(t, p.AllowsAccount(5))
	require.False(t, p.AllowsAccount(4))
	require.True(t, p.AllowsType(vm.TxWithdraw))
	require.False(t, p.AllowsType(vm.TxChanOpen))
	require.Equal(t, []string{"transfer", "withdraw"}, p.TypeNames())

	// No accounts: any account.
	p, err = ParsePolicy([]byte(`types = ["withdraw"]
max_fee = 1000
daily_budget = "18446744073709551615"
per_user_per_hour = 1`))
	require.NoError(t, err)
	require.True(t, p.AllowsAccount(123456))
	require.False(t, p.AllowsType(vm.TxTransfer))
	require.Equal(t, uint64(1<<64-1), p.DailyBudget, "a string holds amounts past TOML's int64")
}

// TestParsePolicyErrors: every bad file is refused with an error wrapping
// ErrPolicy that names the key and what is wrong with it.
func TestParsePolicyErrors(t *testing.T) {
	const rest = "\ntypes = [\"transfer\"]\nmax_fee = 1000\ndaily_budget = 5000\nper_user_per_hour = 2\n"
	for _, tc := range []struct {
		name, file string
		want       []string
	}{
		{"not toml", "max_fee = = 3", []string{"bad policy"}},
		{"unknown key", "max_fees = 10" + rest, []string{"unknown key max_fees", "a policy takes accounts, types, max_fee"}},
		{"unknown table", rest + "[limits]\nx = 1", []string{"unknown key limits"}},
		{"missing keys", `types = ["transfer"]`, []string{"max_fee is missing", "daily_budget is missing", "per_user_per_hour is missing"}},
		{"accounts not a list", "accounts = 5" + rest, []string{"accounts = 5: want a list of account indexes"}},
		{"negative account", "accounts = [1, -2]" + rest, []string{"accounts = [1, -2]: -2 is not an account index"}},
		{"account too large", "accounts = [4294967296]" + rest, []string{"4294967296 is not an account index"}},
		{"account twice", "accounts = [4, 4]" + rest, []string{"lists 4 twice"}},
		{"types empty", "types = []\nmax_fee = 1000\ndaily_budget = 5000\nper_user_per_hour = 2", []string{`types = []: want a list of "transfer", "withdraw"`}},
		{"type not sponsorable", "types = [\"channelOpen\"]\nmax_fee = 1000\ndaily_budget = 5000\nper_user_per_hour = 2", []string{`"channelOpen" cannot be sponsored`}},
		{"type twice", "types = [\"withdraw\", \"withdraw\"]\nmax_fee = 1000\ndaily_budget = 5000\nper_user_per_hour = 2", []string{`lists "withdraw" twice`}},
		{"max_fee not a number", "max_fee = \"ten\"\ntypes = [\"transfer\"]\ndaily_budget = 5000\nper_user_per_hour = 2", []string{`max_fee = "ten": want a whole number of gwei`}},
		{"max_fee float", "max_fee = 1.5\ntypes = [\"transfer\"]\ndaily_budget = 5000\nper_user_per_hour = 2", []string{`max_fee = 1.5: want a whole number of gwei`}},
		{"max_fee negative", "max_fee = -1\ntypes = [\"transfer\"]\ndaily_budget = 5000\nper_user_per_hour = 2", []string{`max_fee = -1: negative`}},
		{"max_fee zero", "max_fee = 0\ntypes = [\"transfer\"]\ndaily_budget = 5000\nper_user_per_hour = 2", []string{`max_fee = 0: a sponsor that pays no fee`}},
		{"max_fee not encodable", "max_fee = 1234567\ntypes = [\"transfer\"]\ndaily_budget = 5000000\nper_user_per_hour = 2", []string{"max_fee = 1234567: 1234567 gwei is not an encodable fee", "nearest below is 1234000"}},
		{"daily_budget too large", "daily_budget = \"18446744073709551616\"\ntypes = [\"transfer\"]\nmax_fee = 1000\nper_user_per_hour = 2", []string{`daily_budget = "18446744073709551616": too large`}},
		{"daily_budget zero", "daily_budget = 0\ntypes = [\"transfer\"]\nmax_fee = 1000\nper_user_per_hour = 2", []string{"daily_budget = 0: a budget of 0 pays for nothing"}},
		{"max_fee over budget", "daily_budget = 999\ntypes = [\"transfer\"]\nmax_fee = 1000\nper_user_per_hour = 2", []string{"max_fee 1000 is above daily_budget 999"}},
		{"rate zero", "per_user_per_hour = 0\ntypes = [\"transfer\"]\nmax_fee = 1000\ndaily_budget = 5000", []string{"per_user_per_hour = 0: want a whole number of transactions, 1..10000"}},
		{"rate too large", "per_user_per_hour = 10001\ntypes = [\"transfer\"]\nmax_fee = 1000\ndaily_budget = 5000", []string{"per_user_per_hour = 10001"}},
		{"rate a string", "per_user_per_hour = \"20\"\ntypes = [\"transfer\"]\nmax_fee = 1000\ndaily_budget = 5000", []string{`per_user_per_hour = "20"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParsePolicy([]byte(tc.file))
			require.ErrorIs(t, err, ErrPolicy)
			for _, w := range tc.want {
				require.ErrorContains(t, err, w)
			}
		})
	}
}

func TestLoadPolicy(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "policy.toml")
	require.NoError(t, os.WriteFile(path, []byte(goodPolicy), 0o600))
	p, err := LoadPolicy(path)
	require.NoError(t, err)
	require.Equal(t, uint64(1000), p.MaxFee)

	_, err = LoadPolicy(filepath.Join(dir, "missing.toml"))
	require.ErrorIs(t, err, ErrPolicy)
	require.ErrorContains(t, err, "missing.toml")

	require.NoError(t, os.WriteFile(path, []byte("max_fee = 1"), 0o600))
	_, err = LoadPolicy(path)
	require.ErrorContains(t, err, path+": ", "the error names the file")
	require.ErrorContains(t, err, "types is missing")
}

func TestPolicyValidate(t *testing.T) {
	good := Policy{Types: []vm.TxType{vm.TxTransfer}, MaxFee: 1000, DailyBudget: 5000, PerUserPerHour: 1}
	require.NoError(t, good.Validate())
	for name, mut := range map[string]func(p *Policy){
		"no types":        func(p *Policy) { p.Types = nil },
		"channel type":    func(p *Policy) { p.Types = []vm.TxType{vm.TxChanOpen} },
		"no fee":          func(p *Policy) { p.MaxFee = 0 },
		"fee unencodable": func(p *Policy) { p.MaxFee = 1234567; p.DailyBudget = 1 << 40 },
		"fee over budget": func(p *Policy) { p.DailyBudget = 999 },
		"no rate":         func(p *Policy) { p.PerUserPerHour = 0 },
		"unsorted":        func(p *Policy) { p.Accounts = []uint32{2, 1} },
	} {
		p := good
		mut(&p)
		require.ErrorIs(t, p.Validate(), ErrPolicy, name)
	}
}
