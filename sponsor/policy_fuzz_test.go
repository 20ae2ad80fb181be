package sponsor

import (
	"errors"
	"testing"
)

// FuzzParsePolicy: any bytes either parse into a policy that validates or
// are refused with ErrPolicy; nothing panics.
func FuzzParsePolicy(f *testing.F) {
	for _, s := range []string{
		goodPolicy,
		"types = [\"withdraw\"]\nmax_fee = 1000\ndaily_budget = \"5000\"\nper_user_per_hour = 1",
		"accounts = []\ntypes = [\"transfer\"]\nmax_fee = \"1000\"\ndaily_budget = 5000\nper_user_per_hour = 10000",
		"accounts = [1, -1, 4294967296]\ntypes = [\"x\"]\nmax_fee = 1.5\ndaily_budget = \"18446744073709551616\"\nper_user_per_hour = 0",
		"[limits]\nmax_fee = 1",
		"max_fee = = 1",
		"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParsePolicy(data)
		if err != nil {
			if !errors.Is(err, ErrPolicy) {
				t.Fatalf("error %v does not wrap ErrPolicy", err)
			}
			return
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("parsed policy does not validate: %v", err)
		}
		if p.MaxFee > p.DailyBudget || len(p.Types) == 0 {
			t.Fatalf("parsed policy %+v pays nothing or beyond its budget", p)
		}
	})
}
