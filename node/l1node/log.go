package l1node

import (
	"context"
	"fmt"
	"log/slog"
	"reflect"
	"strings"
	"sync"
	"time"

	gethlog "github.com/ethereum/go-ethereum/log"
	"github.com/rs/zerolog"
)

// go-ethereum logs through a process-wide root logger (log.Root), not
// through anything a Node could own. The bridge installs one forwarding
// root logger, once, and points it at the zerolog logger of the node that
// started last and is still running; with no node running, geth's records
// are dropped. Records of the p2p layer, which takes a per-node logger,
// always go to their own node.
//
// The root logger is wrapped in gethRoot so that gethlog.SetDefault does
// not also replace slog's default logger, which would capture the standard
// library's log package for the life of the process.

var (
	bridgeOnce  sync.Once
	bridgeMu    sync.Mutex
	bridgeSinks []*zerolog.Logger // running nodes' loggers; the last gets the records
)

type gethRoot struct{ gethlog.Logger }

// attachGethLogs routes go-ethereum's root logger to l until detach is called.
func attachGethLogs(l *zerolog.Logger) (detach func()) {
	bridgeOnce.Do(func() {
		gethlog.SetDefault(gethRoot{gethlog.NewLogger(&slogHandler{target: currentSink})})
	})
	bridgeMu.Lock()
	bridgeSinks = append(bridgeSinks, l)
	bridgeMu.Unlock()
	return func() {
		bridgeMu.Lock()
		defer bridgeMu.Unlock()
		for i, s := range bridgeSinks {
			if s == l {
				bridgeSinks = append(bridgeSinks[:i], bridgeSinks[i+1:]...)
				return
			}
		}
	}
}

func currentSink() *zerolog.Logger {
	bridgeMu.Lock()
	defer bridgeMu.Unlock()
	if len(bridgeSinks) == 0 {
		return nil
	}
	return bridgeSinks[len(bridgeSinks)-1]
}

// newGethLogger returns a go-ethereum logger that writes to l.
func newGethLogger(l *zerolog.Logger) gethlog.Logger {
	return gethlog.NewLogger(&slogHandler{target: func() *zerolog.Logger { return l }})
}

// slogHandler is a slog.Handler writing to a zerolog logger.
type slogHandler struct {
	target func() *zerolog.Logger // nil result: drop the record
	group  string                 // key prefix from WithGroup, "a.b."
	attrs  []slog.Attr            // from WithAttrs, keys already prefixed
}

// zerologLevel maps geth's levels to zerolog's. geth logs at Info on every
// block and transaction, which is Keel's debug detail; its warnings and
// errors keep their level. Crit becomes Error: geth exits by itself after
// a Crit, and zerolog's Fatal would exit first.
func zerologLevel(l slog.Level) zerolog.Level {
	switch {
	case l < gethlog.LevelDebug:
		return zerolog.TraceLevel
	case l < gethlog.LevelWarn:
		return zerolog.DebugLevel
	case l < gethlog.LevelError:
		return zerolog.WarnLevel
	default:
		return zerolog.ErrorLevel
	}
}

func (h *slogHandler) Enabled(_ context.Context, l slog.Level) bool {
	t := h.target()
	if t == nil {
		return false
	}
	zl := zerologLevel(l)
	return zl >= t.GetLevel() && zl >= zerolog.GlobalLevel()
}

// demoted reports geth warnings that are routine in an embedded dev node,
// and so only debug detail: geth warns on every JSON-RPC call that returns
// an error ("Served eth_call" for a revert, "Served
// eth_getTransactionReceipt" while the transaction index catches up), and
// on a node that has no peers by design.
func demoted(msg string) bool {
	return strings.HasPrefix(msg, "Served ") ||
		msg == "P2P server will be useless, neither dialing nor listening" ||
		msg == "Head block is not reachable" // a fresh data dir, before block 0 is written
}

func (h *slogHandler) Handle(_ context.Context, r slog.Record) error {
	t := h.target()
	if t == nil {
		return nil
	}
	level := zerologLevel(r.Level)
	if level > zerolog.DebugLevel && level < zerolog.ErrorLevel && demoted(r.Message) {
		level = zerolog.DebugLevel
	}
	e := t.WithLevel(level)
	if e == nil {
		return nil
	}
	for _, a := range h.attrs {
		addAttr(e, "", a)
	}
	r.Attrs(func(a slog.Attr) bool {
		addAttr(e, h.group, a)
		return true
	})
	e.Msg(r.Message)
	return nil
}

func (h *slogHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	c := *h
	c.attrs = append([]slog.Attr(nil), h.attrs...)
	for _, a := range attrs {
		a.Key = h.group + a.Key
		c.attrs = append(c.attrs, a)
	}
	return &c
}

func (h *slogHandler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	c := *h
	c.group = h.group + name + "."
	return &c
}

// addAttr writes one attribute as a zerolog field. Hashes and addresses
// print in full (not geth's abbreviated terminal form), so they can be
// searched for; other values as their String.
func addAttr(e *zerolog.Event, prefix string, a slog.Attr) {
	v := a.Value.Resolve()
	key := prefix + a.Key
	switch v.Kind() {
	case slog.KindGroup:
		for _, g := range v.Group() {
			addAttr(e, key+".", g)
		}
	case slog.KindString:
		e.Str(key, v.String())
	case slog.KindInt64:
		e.Int64(key, v.Int64())
	case slog.KindUint64:
		e.Uint64(key, v.Uint64())
	case slog.KindFloat64:
		e.Float64(key, v.Float64())
	case slog.KindBool:
		e.Bool(key, v.Bool())
	case slog.KindDuration:
		e.Str(key, v.Duration().String())
	case slog.KindTime:
		e.Str(key, v.Time().Format(time.RFC3339))
	default:
		x := v.Any()
		if rv := reflect.ValueOf(x); x == nil || (rv.Kind() == reflect.Pointer && rv.IsNil()) {
			e.Str(key, "<nil>")
			return
		}
		switch x := x.(type) {
		case error:
			e.AnErr(key, x)
		case fmt.Stringer:
			e.Str(key, x.String())
		default:
			e.Interface(key, x)
		}
	}
}
