package sequencer

import (
	"sync"

	"github.com/ethereum/go-ethereum/common"
	"github.com/keel-rollup/keel/vm"
)

// admissionRounds is how many grouped admissions run at once: one being
// verified and journaled while the next gathers, as a client.Sender keeps
// two calls in flight.
const admissionRounds = 2

// singleSends groups concurrent SendTransaction calls into SendTransactions
// rounds, so that clients that send one transaction a call (the CLI, the
// web wallet, older SDKs) also get one batch signature check and one fsync
// per round instead of one each. A lone call runs at once, alone; calls
// that arrive while admissionRounds rounds are running wait for the next
// round, which takes up to MaxSendBatch of them in arrival order.
type singleSends struct {
	mu      sync.Mutex
	waiting []*singleSend
	rounds  int

	// beforeRound, when set (tests), runs as a round starts, after it took
	// its calls.
	beforeRound func()
}

type singleSend struct {
	tx   *vm.Tx
	hash common.Hash
	err  error
	done chan struct{}
}

// send admits tx through a round and returns its answer.
func (g *singleSends) send(s *Sequencer, tx *vm.Tx) (common.Hash, error) {
	req := &singleSend{tx: tx, done: make(chan struct{})}
	g.mu.Lock()
	g.waiting = append(g.waiting, req)
	lead := g.rounds < admissionRounds
	if lead {
		g.rounds++
	}
	g.mu.Unlock()
	if lead {
		g.runRounds(s, req)
	}
	<-req.done
	return req.hash, req.err
}

// runRounds admits waiting calls a round at a time until own is answered;
// if calls are still waiting then, another goroutine carries on, so that
// own's caller is not held up serving later ones.
func (g *singleSends) runRounds(s *Sequencer, own *singleSend) {
	for {
		g.mu.Lock()
		n := min(len(g.waiting), MaxSendBatch)
		if n == 0 {
			g.rounds--
			g.mu.Unlock()
			return
		}
		round := append([]*singleSend(nil), g.waiting[:n]...)
		g.waiting = g.waiting[n:]
		g.mu.Unlock()
		if g.beforeRound != nil {
			g.beforeRound()
		}

		txs := make([]*vm.Tx, n)
		for i, r := range round {
			txs[i] = r.tx
		}
		hashes, errs := s.SendTransactions(txs)
		answered := false
		for i, r := range round {
			r.hash, r.err = hashes[i], errs[i]
			close(r.done)
			answered = answered || r == own
		}
		if answered {
			g.mu.Lock()
			more := len(g.waiting) > 0
			if !more {
				g.rounds--
			}
			g.mu.Unlock()
			if more {
				go g.runRounds(s, nil)
			}
			return
		}
	}
}
