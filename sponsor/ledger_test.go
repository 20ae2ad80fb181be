package sponsor

import (
	"testing"
	"time"

	"github.com/cockroachdb/pebble/v2"
	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/stretchr/testify/require"
)

var t0 = time.Date(2030, 1, 2, 23, 0, 0, 0, time.UTC)

func key(b byte) [32]byte { return [32]byte{b} }

// TestLedgerChargeIsDurableAtReturn crashes the filesystem right after
// Charge returns (unsynced writes lost): the charge is there.
func TestLedgerChargeIsDurableAtReturn(t *testing.T) {
	fs := vfs.NewCrashableMem()
	l, err := OpenLedger("ledger", &LedgerOptions{FS: fs})
	require.NoError(t, err)
	lim := Limits{DailyBudget: 100, PerUserPerHour: 5}
	_, err = l.Charge(Charge{User: 1, Fee: 60, Key: key(1), Time: t0}, lim)
	require.NoError(t, err)
	crashed := fs.CrashClone(vfs.CrashCloneCfg{})
	require.NoError(t, l.Close())

	l, err = OpenLedger("ledger", &LedgerOptions{FS: crashed})
	require.NoError(t, err)
	defer l.Close()
	spent, err := l.Spent(t0)
	require.NoError(t, err)
	require.Equal(t, uint64(60), spent)
	_, err = l.Charge(Charge{User: 2, Fee: 50, Key: key(2), Time: t0}, lim)
	require.ErrorIs(t, err, ErrBudget)
	n, err := l.UserCharges(1, t0)
	require.NoError(t, err)
	require.Equal(t, 1, n)
}

// TestLedgerRepeats: a key charged today or yesterday is not charged
// again; older keys are dropped and would be.
func TestLedgerRepeats(t *testing.T) {
	l, err := OpenLedger("ledger", &LedgerOptions{FS: vfs.NewMem()})
	require.NoError(t, err)
	defer l.Close()
	lim := Limits{DailyBudget: 1000, PerUserPerHour: 100}
	u, err := l.Charge(Charge{User: 1, Fee: 10, Key: key(1), Time: t0}, lim)
	require.NoError(t, err)
	require.Equal(t, Usage{Spent: 10, UserCharges: 1}, u)

	u, err = l.Charge(Charge{User: 1, Fee: 10, Key: key(1), Time: t0}, lim)
	require.NoError(t, err)
	require.Equal(t, Usage{Spent: 10, Repeat: true}, u)

	day2 := t0.Add(2 * time.Hour) // the next UTC day
	u, err = l.Charge(Charge{User: 1, Fee: 10, Key: key(1), Time: day2}, lim)
	require.NoError(t, err)
	require.True(t, u.Repeat, "yesterday's key is still known")
	u, err = l.Charge(Charge{User: 1, Fee: 10, Key: key(2), Time: day2}, lim)
	require.NoError(t, err)
	require.Equal(t, Usage{Spent: 10, UserCharges: 1}, u, "a new day's spending starts at 0; the window at 23:00 has moved on")

	day4 := t0.Add(50 * time.Hour)
	u, err = l.Charge(Charge{User: 1, Fee: 10, Key: key(3), Time: day4}, lim)
	require.NoError(t, err)
	require.False(t, u.Repeat)
	has, err := l.has(chargedKey(Day(t0), key(1)))
	require.NoError(t, err)
	require.False(t, has, "keys older than yesterday are pruned")
	u, err = l.Charge(Charge{User: 1, Fee: 10, Key: key(1), Time: day4}, lim)
	require.NoError(t, err)
	require.False(t, u.Repeat)
}

func TestLedgerLimits(t *testing.T) {
	l, err := OpenLedger("ledger", &LedgerOptions{FS: vfs.NewMem()})
	require.NoError(t, err)
	lim := Limits{DailyBudget: 100, PerUserPerHour: 2}
	_, err = l.Charge(Charge{User: 1, Fee: 101, Key: key(1), Time: t0}, lim)
	require.ErrorIs(t, err, ErrBudget, "a fee above the whole budget")
	_, err = l.Charge(Charge{User: 1, Fee: 1<<64 - 1, Key: key(1), Time: t0}, lim)
	require.ErrorIs(t, err, ErrBudget, "no overflow")
	_, err = l.Charge(Charge{User: 1, Fee: 100, Key: key(2), Time: t0}, lim)
	require.NoError(t, err)
	_, err = l.Charge(Charge{User: 2, Fee: 1, Key: key(3), Time: t0}, lim)
	var le *LimitError
	require.ErrorAs(t, err, &le)
	require.Equal(t, "daily budget of 100 gwei spent: 100 used today (2030-01-02 UTC), this fee is 1; it refills at 00:00 UTC", le.Detail)
	_, err = l.Charge(Charge{User: 1, Fee: 0, Key: key(4), Time: t0}, lim)
	require.NoError(t, err, "a fee of 0 fits a spent budget")
	_, err = l.Charge(Charge{User: 1, Fee: 0, Key: key(5), Time: t0}, lim)
	require.ErrorIs(t, err, ErrRate)

	require.NoError(t, l.Close())
	require.NoError(t, l.Close())
	_, err = l.Charge(Charge{User: 1, Key: key(6), Time: t0}, lim)
	require.ErrorIs(t, err, ErrClosed)
	_, err = l.Spent(t0)
	require.ErrorIs(t, err, ErrClosed)
}

func TestLedgerCorrupt(t *testing.T) {
	fs := vfs.NewMem()
	db, err := pebble.Open("ledger", &pebble.Options{FS: fs})
	require.NoError(t, err)
	require.NoError(t, db.Set([]byte{prefixVersion}, []byte{ledgerVersion}, pebble.Sync))
	require.NoError(t, db.Set(dayKey(Day(t0)), []byte{1, 2, 3}, pebble.Sync))
	require.NoError(t, db.Set(rateKey(1), be.AppendUint64(be.AppendUint64(nil, 9), 8), pebble.Sync))
	require.NoError(t, db.Close())
	l, err := OpenLedger("ledger", &LedgerOptions{FS: fs})
	require.NoError(t, err)
	_, err = l.Spent(t0)
	require.ErrorIs(t, err, ErrCorrupt)
	_, err = l.UserCharges(1, t0)
	require.ErrorIs(t, err, ErrCorrupt)
	_, err = l.Charge(Charge{User: 1, Key: key(1), Time: t0}, Limits{DailyBudget: 10, PerUserPerHour: 1})
	require.ErrorIs(t, err, ErrCorrupt, "a corrupt ledger charges nothing")
	require.NoError(t, l.Close())

	db, err = pebble.Open("ledger", &pebble.Options{FS: fs})
	require.NoError(t, err)
	require.NoError(t, db.Set([]byte{prefixVersion}, []byte{7}, pebble.Sync))
	require.NoError(t, db.Close())
	_, err = OpenLedger("ledger", &LedgerOptions{FS: fs})
	require.ErrorIs(t, err, ErrCorrupt)
}
