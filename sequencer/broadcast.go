package sequencer

import "sync"

// broadcaster fans events out to subscribers without ever blocking the
// sender: each subscriber has a bounded buffer, and one that lets it fill
// is dropped (its channel closed) rather than slowing the sequencer or
// growing without bound. The zero value is ready to use.
type broadcaster[T any] struct {
	mu     sync.Mutex
	subs   map[chan T]struct{}
	closed bool
}

func (b *broadcaster[T]) subscribe(buffer int) (<-chan T, func()) {
	ch := make(chan T, max(buffer, 1))
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		close(ch)
		return ch, func() {}
	}
	if b.subs == nil {
		b.subs = map[chan T]struct{}{}
	}
	b.subs[ch] = struct{}{}
	return ch, func() {
		b.mu.Lock()
		defer b.mu.Unlock()
		if _, ok := b.subs[ch]; ok {
			delete(b.subs, ch)
			close(ch)
		}
	}
}

func (b *broadcaster[T]) active() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.subs) > 0
}

func (b *broadcaster[T]) send(v T) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for ch := range b.subs {
		select {
		case ch <- v:
		default: // too slow: drop it, it will see its channel closed
			delete(b.subs, ch)
			close(ch)
		}
	}
}

func (b *broadcaster[T]) closeAll() {
	b.mu.Lock()
	defer b.mu.Unlock()
	for ch := range b.subs {
		close(ch)
	}
	b.subs, b.closed = nil, true
}
