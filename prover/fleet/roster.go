package fleet

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
)

// Workers announce themselves on BeatSubject every BeatInterval, over
// plain NATS (not JetStream: a beat is only worth something while it is
// fresh). The node's Roster keeps the last beat of each worker and the
// proofs it accepted from each, which is what `keel status` shows.
const (
	// BeatSubject carries the workers' beats.
	BeatSubject = "keel.fleet.beats"
	// BeatInterval is how often a worker beats.
	BeatInterval = 10 * time.Second
	// RosterWindow is how long a worker stays on the roster after its
	// last beat or accepted proof.
	RosterWindow = time.Minute
	// maxBeatSize bounds a beat's encoding; a larger message is refused
	// before it is parsed.
	maxBeatSize = 512
)

// ErrBadBeat means a worker beat does not decode or is out of range.
var ErrBadBeat = errors.New("fleet: malformed worker beat")

// Beat is a worker's announcement: who it is, how many proofs it runs at
// once and how many it is running now.
type Beat struct {
	Name        string `json:"name"`
	Concurrency int    `json:"concurrency"`
	Busy        int    `json:"busy"`
}

// maxBeatConcurrency bounds a beat's concurrency: more proofs at once
// than any machine runs is a corrupt beat.
const maxBeatConcurrency = 1 << 10

// DecodeBeat parses and checks a beat from the wire.
func DecodeBeat(raw []byte) (Beat, error) {
	var b Beat
	if len(raw) > maxBeatSize {
		return b, fmt.Errorf("%w: %d bytes (at most %d)", ErrBadBeat, len(raw), maxBeatSize)
	}
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		return Beat{}, fmt.Errorf("%w: %v", ErrBadBeat, err)
	}
	if dec.More() {
		return Beat{}, fmt.Errorf("%w: trailing data", ErrBadBeat)
	}
	if err := b.check(); err != nil {
		return Beat{}, err
	}
	return b, nil
}

func (b Beat) check() error {
	switch {
	case len(b.Name) == 0 || len(b.Name) > maxWorkerName:
		return fmt.Errorf("%w: worker name of %d bytes (1..%d)", ErrBadBeat, len(b.Name), maxWorkerName)
	case b.Concurrency < 1 || b.Concurrency > maxBeatConcurrency:
		return fmt.Errorf("%w: concurrency %d (1..%d)", ErrBadBeat, b.Concurrency, maxBeatConcurrency)
	case b.Busy < 0 || b.Busy > b.Concurrency:
		return fmt.Errorf("%w: %d busy of %d", ErrBadBeat, b.Busy, b.Concurrency)
	}
	return nil
}

// Encode is the beat's wire form.
func (b Beat) Encode() ([]byte, error) {
	if err := b.check(); err != nil {
		return nil, err
	}
	return json.Marshal(b)
}

// WorkerStatus is one worker as the node sees it.
type WorkerStatus struct {
	Name string
	// LastSeen is its last beat or accepted proof.
	LastSeen time.Time
	// Concurrency and Busy are from its last beat (0 if it never beat).
	Concurrency, Busy int
	// Proofs is how many of its proofs the node accepted, taking
	// ProofTime in all; Rejected how many of its results it dropped.
	Proofs, Rejected int
	ProofTime        time.Duration
}

// MeanProofTime is the mean proving time of its accepted proofs.
func (w WorkerStatus) MeanProofTime() time.Duration {
	if w.Proofs == 0 {
		return 0
	}
	return w.ProofTime / time.Duration(w.Proofs)
}

// Roster is the node's view of its workers. It is safe for concurrent use.
type Roster struct {
	mu      sync.Mutex
	now     func() time.Time
	workers map[string]*WorkerStatus
}

// NewRoster returns an empty roster.
func NewRoster() *Roster {
	return &Roster{now: time.Now, workers: map[string]*WorkerStatus{}}
}

func (r *Roster) get(name string) *WorkerStatus {
	w := r.workers[name]
	if w == nil {
		w = &WorkerStatus{Name: name}
		r.workers[name] = w
	}
	w.LastSeen = r.now()
	return w
}

// Beat records a worker's beat.
func (r *Roster) Beat(b Beat) {
	r.mu.Lock()
	defer r.mu.Unlock()
	w := r.get(b.Name)
	w.Concurrency, w.Busy = b.Concurrency, b.Busy
	r.prune()
}

// Accepted records a proof the node accepted from worker.
func (r *Roster) Accepted(worker string, took time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	w := r.get(worker)
	w.Proofs++
	w.ProofTime += took
	r.prune()
}

// Rejected records a result the node dropped from worker.
func (r *Roster) Rejected(worker string) {
	if worker == "" {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.get(worker).Rejected++
	r.prune()
}

// prune forgets workers unseen for long (not only out of the window), so
// a fleet whose worker names change on every restart stays bounded.
func (r *Roster) prune() {
	cut := r.now().Add(-24 * time.Hour)
	for name, w := range r.workers {
		if w.LastSeen.Before(cut) {
			delete(r.workers, name)
		}
	}
}

// Workers lists the workers seen within RosterWindow, by name.
func (r *Roster) Workers() []WorkerStatus {
	r.mu.Lock()
	defer r.mu.Unlock()
	cut := r.now().Add(-RosterWindow)
	var out []WorkerStatus
	for _, w := range r.workers {
		if !w.LastSeen.Before(cut) {
			out = append(out, *w)
		}
	}
	slices.SortFunc(out, func(a, b WorkerStatus) int { return strings.Compare(a.Name, b.Name) })
	return out
}
