package sponsor

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/cockroachdb/pebble/v2/vfs"
)

// FuzzDecodeWindow: stored bytes that do not decode are ErrCorrupt, and
// a window that decodes is in order; nothing panics.
func FuzzDecodeWindow(f *testing.F) {
	f.Add([]byte{})
	f.Add(be.AppendUint64(be.AppendUint64(nil, 1), 2))
	f.Add(be.AppendUint64(be.AppendUint64(nil, 2), 1))
	f.Add([]byte{1, 2, 3})
	f.Fuzz(func(t *testing.T, v []byte) {
		w, err := decodeWindow(v)
		if err != nil {
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("error %v is not ErrCorrupt", err)
			}
		} else if !slices.IsSorted(w) || len(w)*8 != len(v) {
			t.Fatalf("window %v from %x", w, v)
		}
		if _, err := decodeSpent(v); err != nil && !errors.Is(err, ErrCorrupt) {
			t.Fatalf("error %v is not ErrCorrupt", err)
		}
	})
}

// FuzzLedgerAgainstModel runs a sequence of charges, each 4 bytes (user,
// fee, minutes to wait, whether to repeat the previous key), against
// the ledger and a plain model of the rules: the ledger charges exactly
// what the model does, and never more than the budget a day or the rate
// an hour.
func FuzzLedgerAgainstModel(f *testing.F) {
	f.Add([]byte{1, 50, 0, 0, 1, 50, 0, 0, 1, 50, 0, 0})
	f.Add([]byte{1, 10, 30, 0, 1, 10, 30, 1, 2, 10, 200, 0, 1, 90, 255, 0})
	f.Fuzz(func(t *testing.T, ops []byte) {
		if len(ops) > 4*64 {
			return
		}
		l, err := OpenLedger("ledger", &LedgerOptions{FS: vfs.NewMem()})
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		lim := Limits{DailyBudget: 200, PerUserPerHour: 3}
		now := time.Date(2030, 1, 1, 20, 0, 0, 0, time.UTC)
		type charged struct {
			at  time.Time
			key [32]byte
		}
		spent := map[uint64]uint64{}
		byUser := map[uint32][]charged{}
		var prev [32]byte
		for i := 0; i+4 <= len(ops); i += 4 {
			user, fee := uint32(ops[i]%4), uint64(ops[i+1])
			now = now.Add(time.Duration(ops[i+2]) * time.Minute)
			k := [32]byte{byte(i), byte(i >> 8), 1}
			if ops[i+3]%2 == 1 {
				k = prev
			}
			prev = k

			day := Day(now)
			repeat := false
			for _, cs := range byUser {
				for _, c := range cs {
					if c.key == k && Day(c.at) >= day-1 {
						repeat = true
					}
				}
			}
			recent := 0
			for _, c := range byUser[user] {
				if now.Sub(c.at) < RateWindow {
					recent++
				}
			}
			var want error
			switch {
			case repeat:
			case spent[day]+fee > lim.DailyBudget:
				want = ErrBudget
			case recent >= lim.PerUserPerHour:
				want = ErrRate
			}
			u, err := l.Charge(Charge{User: user, Fee: fee, Key: k, Time: now}, lim)
			if want != nil {
				if !errors.Is(err, want) {
					t.Fatalf("op %d: got %v, want %v", i/4, err, want)
				}
				continue
			}
			if err != nil || u.Repeat != repeat {
				t.Fatalf("op %d: got %+v, %v; want a charge (repeat %v)", i/4, u, err, repeat)
			}
			if !repeat {
				spent[day] += fee
				byUser[user] = append(byUser[user], charged{now, k})
			}
			if got, _ := l.Spent(now); got != spent[day] || got > lim.DailyBudget {
				t.Fatalf("op %d: spent %d, model %d", i/4, got, spent[day])
			}
		}
	})
}
