package sponsor

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/cockroachdb/pebble/v2"
	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/rs/zerolog"
)

// Key layout. Every key starts with a one-byte prefix.
//
//	'v'                      schema version (1 byte)
//	'd' | day                fees charged on that UTC day (8 bytes BE)
//	'r' | account            the account's charges in the last hour:
//	                         unix nanoseconds, ascending (8 bytes BE each)
//	'c' | day | key          a transaction charged on that day (no value)
//
// day is days since the Unix epoch, 8 bytes BE; key is 32 bytes.
const (
	prefixVersion = 'v'
	prefixDay     = 'd'
	prefixRate    = 'r'
	prefixCharged = 'c'

	ledgerVersion = 1

	// RateWindow is the window per_user_per_hour counts in.
	RateWindow = time.Hour
)

var be = binary.BigEndian

// Charge is one sponsored transaction, as the ledger records it.
type Charge struct {
	// User is the account whose transaction it is.
	User uint32
	// Fee is what the sponsor pays, in gwei.
	Fee uint64
	// Key identifies the transaction (the service uses the user's signed
	// message, which binds its nonce). Charging a key the ledger has
	// charged today or yesterday charges nothing again: a client that
	// lost the answer and asks again gets its signature back for free.
	Key [32]byte
	// Time is when it is charged: its UTC day takes the fee, and the
	// user's rate window counts it.
	Time time.Time
}

// Limits are the policy's bounds that a charge must fit.
type Limits struct {
	DailyBudget    uint64
	PerUserPerHour int
}

// Usage is the ledger after a charge.
type Usage struct {
	// Spent is the day's spending, this charge included.
	Spent uint64
	// UserCharges is how many of the user's transactions the window
	// holds, this one included.
	UserCharges int
	// Repeat is set when the key was charged before and nothing was
	// charged now.
	Repeat bool
}

// Ledger is the sponsor's durable record of what it has spent: fees per
// UTC day, and each user's recent charges. Charge checks the budget and
// the user's rate and writes the charge with one synced pebble batch, under
// a mutex, so that concurrent charges never overspend and a restart (or a
// crash) never forgets a charge that was answered.
type Ledger struct {
	mu     sync.Mutex // serializes Charge, and guards db against Close
	db     *pebble.DB
	closed bool
	// pruned is the day the stale charged-keys were last dropped below.
	pruned uint64
}

// LedgerOptions configures OpenLedger; nil means the OS filesystem and
// pebble's logs dropped.
type LedgerOptions struct {
	// FS is the filesystem pebble runs on; nil means the OS filesystem.
	FS vfs.FS
	// Logger receives pebble's own log lines.
	Logger zerolog.Logger
}

// OpenLedger opens or creates the ledger in dir.
func OpenLedger(dir string, opts *LedgerOptions) (*Ledger, error) {
	if opts == nil {
		opts = &LedgerOptions{}
	}
	db, err := pebble.Open(dir, &pebble.Options{FS: opts.FS, Logger: pebbleLogger{opts.Logger}})
	if err != nil {
		return nil, fmt.Errorf("sponsor: open ledger %s: %w", dir, err)
	}
	v, closer, err := db.Get([]byte{prefixVersion})
	switch {
	case errors.Is(err, pebble.ErrNotFound):
		err = db.Set([]byte{prefixVersion}, []byte{ledgerVersion}, pebble.Sync)
	case err == nil:
		if len(v) != 1 || v[0] != ledgerVersion {
			err = fmt.Errorf("%w: schema version %x, want %d", ErrCorrupt, v, ledgerVersion)
		}
		closer.Close()
	}
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("sponsor: open ledger %s: %w", dir, err)
	}
	return &Ledger{db: db}, nil
}

// Close closes the database. Charges after it fail with ErrClosed.
func (l *Ledger) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return nil
	}
	l.closed = true
	return l.db.Close()
}

// Day is the UTC day of t: days since the Unix epoch.
func Day(t time.Time) uint64 { return uint64(t.Unix() / 86400) }

func dayKey(day uint64) []byte { return be.AppendUint64([]byte{prefixDay}, day) }

func rateKey(user uint32) []byte { return be.AppendUint32([]byte{prefixRate}, user) }

func chargedKey(day uint64, key [32]byte) []byte {
	return append(be.AppendUint64([]byte{prefixCharged}, day), key[:]...)
}

// Charge records c if it fits lim: the day's spending plus c.Fee must not
// exceed lim.DailyBudget, and the user must have fewer than
// lim.PerUserPerHour charges in the hour before c.Time. A charge that does
// not fit returns a *LimitError wrapping ErrBudget or ErrRate that says by
// how much, and writes nothing. A charge that fits is durable (synced) when
// Charge returns.
func (l *Ledger) Charge(c Charge, lim Limits) (Usage, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return Usage{}, ErrClosed
	}
	day := Day(c.Time)
	spent, err := l.spent(day)
	if err != nil {
		return Usage{}, err
	}
	for _, d := range []uint64{day, day - 1} {
		if ok, err := l.has(chargedKey(d, c.Key)); err != nil || ok {
			return Usage{Spent: spent, Repeat: ok}, err
		}
	}
	if c.Fee > lim.DailyBudget || spent > lim.DailyBudget-c.Fee {
		return Usage{Spent: spent}, &LimitError{Err: ErrBudget, Detail: fmt.Sprintf("daily budget of %d gwei spent: %d used today (%s UTC), this fee is %d; it refills at 00:00 UTC",
			lim.DailyBudget, spent, c.Time.UTC().Format(time.DateOnly), c.Fee)}
	}
	window, err := l.window(c.User)
	if err != nil {
		return Usage{}, err
	}
	// Charges an hour old or older leave the window; a clock that stepped
	// back keeps charges "from the future" in it, which errs on the side
	// of refusing.
	from := c.Time.Add(-RateWindow).UnixNano()
	window = slices.DeleteFunc(window, func(t int64) bool { return t <= from })
	if len(window) >= lim.PerUserPerHour {
		next := time.Unix(0, window[len(window)-lim.PerUserPerHour]).Add(RateWindow)
		return Usage{Spent: spent, UserCharges: len(window)}, &LimitError{Err: ErrRate, Detail: fmt.Sprintf("account %d had %d sponsored transactions in the last hour, the most this sponsor pays for (per_user_per_hour = %d); the next is possible at %s (in %s)",
			c.User, len(window), lim.PerUserPerHour, next.UTC().Format(time.RFC3339), next.Sub(c.Time).Round(time.Second))}
	}
	window = append(window, c.Time.UnixNano())
	slices.Sort(window)

	b := l.db.NewBatch()
	defer b.Close()
	var enc []byte
	for _, t := range window {
		enc = be.AppendUint64(enc, uint64(t))
	}
	spent += c.Fee
	errs := []error{
		b.Set(dayKey(day), be.AppendUint64(nil, spent), nil),
		b.Set(rateKey(c.User), enc, nil),
		b.Set(chargedKey(day, c.Key), nil, nil),
	}
	// Keys charged before yesterday are never looked at again.
	if day > l.pruned+1 {
		errs = append(errs, b.DeleteRange(chargedKey(0, [32]byte{}), chargedKey(day-1, [32]byte{}), nil))
	}
	if err := errors.Join(errs...); err != nil {
		return Usage{}, fmt.Errorf("sponsor: ledger write: %w", err)
	}
	if err := b.Commit(pebble.Sync); err != nil {
		return Usage{}, fmt.Errorf("sponsor: ledger write: %w", err)
	}
	l.pruned = max(l.pruned, day-1)
	return Usage{Spent: spent, UserCharges: len(window)}, nil
}

// LimitError is a charge the limits refuse: Err is ErrBudget or ErrRate,
// Detail says by how much and when it may pass.
type LimitError struct {
	Err    error
	Detail string
}

func (e *LimitError) Error() string { return e.Err.Error() + ": " + e.Detail }

func (e *LimitError) Unwrap() error { return e.Err }

// Spent returns the fees charged on the UTC day of t.
func (l *Ledger) Spent(t time.Time) (uint64, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return 0, ErrClosed
	}
	return l.spent(Day(t))
}

// UserCharges returns how many charges of user the hour before t holds.
func (l *Ledger) UserCharges(user uint32, t time.Time) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return 0, ErrClosed
	}
	w, err := l.window(user)
	from := t.Add(-RateWindow).UnixNano()
	n := 0
	for _, at := range w {
		if at > from {
			n++
		}
	}
	return n, err
}

func (l *Ledger) spent(day uint64) (uint64, error) {
	v, closer, err := l.db.Get(dayKey(day))
	if errors.Is(err, pebble.ErrNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("sponsor: ledger read: %w", err)
	}
	defer closer.Close()
	return decodeSpent(v)
}

func (l *Ledger) window(user uint32) ([]int64, error) {
	v, closer, err := l.db.Get(rateKey(user))
	if errors.Is(err, pebble.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("sponsor: ledger read: %w", err)
	}
	defer closer.Close()
	w, err := decodeWindow(v)
	if err != nil {
		return nil, fmt.Errorf("account %d: %w", user, err)
	}
	return w, nil
}

func (l *Ledger) has(key []byte) (bool, error) {
	_, closer, err := l.db.Get(key)
	if errors.Is(err, pebble.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("sponsor: ledger read: %w", err)
	}
	closer.Close()
	return true, nil
}

// decodeSpent reads a day's spending as stored.
func decodeSpent(v []byte) (uint64, error) {
	if len(v) != 8 {
		return 0, fmt.Errorf("%w: day spending of %d bytes", ErrCorrupt, len(v))
	}
	return be.Uint64(v), nil
}

// decodeWindow reads a user's charge times as stored: ascending unix
// nanoseconds, at most MaxPerUserPerHour of them (Charge adds one only
// below the policy's rate, which is at most that).
func decodeWindow(v []byte) ([]int64, error) {
	if len(v)%8 != 0 || len(v)/8 > MaxPerUserPerHour {
		return nil, fmt.Errorf("%w: rate window of %d bytes", ErrCorrupt, len(v))
	}
	w := make([]int64, len(v)/8)
	for i := range w {
		w[i] = int64(be.Uint64(v[8*i:]))
		if i > 0 && w[i] < w[i-1] {
			return nil, fmt.Errorf("%w: rate window out of order", ErrCorrupt)
		}
	}
	return w, nil
}

// pebbleLogger bridges pebble's logger to zerolog.
type pebbleLogger struct{ log zerolog.Logger }

func (l pebbleLogger) Infof(format string, args ...any) { l.log.Info().Msgf(format, args...) }

func (l pebbleLogger) Errorf(format string, args ...any) { l.log.Error().Msgf(format, args...) }

// Fatalf panics even when the logger is disabled: pebble calls it on a
// broken invariant and does not expect it to return.
func (l pebbleLogger) Fatalf(format string, args ...any) {
	l.log.WithLevel(zerolog.FatalLevel).Msgf(format, args...)
	panic(fmt.Sprintf("sponsor: pebble: "+format, args...))
}
