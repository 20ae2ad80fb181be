package node

import (
	"context"
	"fmt"
	"net"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/rpc"
	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/time/rate"
)

// connLimiter gives every client connection its own token bucket, so that
// one client flooding the RPC slows down only itself. A WebSocket
// connection is keyed by its remote address (ip:port, one per socket);
// plain HTTP requests are keyed by the client's IP, since each request may
// arrive on a fresh TCP connection and a flooder would otherwise get a new
// bucket per request.
//
// It is applied per JSON-RPC call rather than per HTTP request, so the 100
// calls of one batch request cost 100 tokens, as 100 single calls would.
type connLimiter struct {
	limit rate.Limit
	burst int

	mu      sync.Mutex
	buckets map[string]*bucket
	swept   time.Time
	refused prometheus.Counter
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

// idleBucket is how long a silent connection's bucket is kept: after that
// it is full again anyway, so forgetting it changes nothing.
const idleBucket = time.Minute

func newConnLimiter(perSecond float64, burst int, refused prometheus.Counter) *connLimiter {
	if perSecond <= 0 {
		return nil // off
	}
	if burst <= 0 {
		burst = int(perSecond)
	}
	return &connLimiter{limit: rate.Limit(perSecond), burst: max(burst, 1), buckets: make(map[string]*bucket), refused: refused}
}

// errRateLimited is the JSON-RPC error a throttled call gets: the code is
// EIP-1474's "limit exceeded", and the message says what to do.
func (l *connLimiter) errRateLimited() error {
	return &rpcError{codeUnavailable, fmt.Sprintf("rate limit exceeded: at most %g calls per second per connection (burst %d); slow down and retry", float64(l.limit), l.burst)}
}

// allow takes one token from the bucket of the connection ctx's call came
// on, or returns errRateLimited. A nil limiter allows everything.
func (l *connLimiter) allow(ctx context.Context) error { return l.allowN(ctx, 1) }

// allowN is allow for a call that costs n tokens.
func (l *connLimiter) allowN(ctx context.Context, n int) error {
	if l == nil {
		return nil
	}
	return l.allowPeerN(rpc.PeerInfoFromContext(ctx), n)
}

// allowPeer is allow for the connection p.
func (l *connLimiter) allowPeer(p rpc.PeerInfo) error { return l.allowPeerN(p, 1) }

// allowPeerN takes n tokens from p's bucket. A call dearer than the whole
// burst could never pass, so it takes the burst instead.
func (l *connLimiter) allowPeerN(p rpc.PeerInfo, n int) error {
	key := connKey(p)
	now := time.Now()
	l.mu.Lock()
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{lim: rate.NewLimiter(l.limit, l.burst)}
		l.buckets[key] = b
	}
	b.seen = now
	if now.Sub(l.swept) > idleBucket {
		l.sweepLocked(now)
	}
	ok = b.lim.AllowN(now, min(n, l.burst))
	l.mu.Unlock()
	if !ok {
		if l.refused != nil {
			l.refused.Inc()
		}
		return l.errRateLimited()
	}
	return nil
}

// sweepLocked forgets the buckets of connections idle for idleBucket, so
// that the map does not grow with every client ever seen.
func (l *connLimiter) sweepLocked(now time.Time) {
	for k, b := range l.buckets {
		if now.Sub(b.seen) > idleBucket {
			delete(l.buckets, k)
		}
	}
	l.swept = now
}

// connKey names the connection a call came on.
func connKey(p rpc.PeerInfo) string {
	if p.Transport == "http" {
		if host, _, err := net.SplitHostPort(p.RemoteAddr); err == nil {
			return "http/" + host
		}
	}
	return p.Transport + "/" + p.RemoteAddr
}
