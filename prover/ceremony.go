package prover

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark-crypto/ecc/bn254"
	"github.com/consensys/gnark/backend/groth16"
	"github.com/consensys/gnark/backend/groth16/bn254/mpcsetup"
	"github.com/consensys/gnark/constraint"
	cs "github.com/consensys/gnark/constraint/bn254"
)

// The Groth16 multi-party setup ceremony.
//
// Production keys must come from this ceremony, never from DevKeys: whoever
// knows a setup's toxic waste (τ, α, β, δ) can forge a proof of any batch,
// and the dev setup's waste passes through one machine's memory. In the
// ceremony every participant mixes fresh randomness into the parameters on
// their own machine and throws it away; the keys are sound if any single
// participant was honest.
//
// It runs in two phases, each a chain of files that participants extend one
// at a time, each running one command:
//
//	phase 1 (powers of τ, any circuit with a domain of this size):
//	  coordinator  CeremonyInitPhase1(ccs, "p1-0")
//	  participant  CeremonyContributePhase1("p1-0", "p1-1") -> hash, published
//	  participant  CeremonyContributePhase1("p1-1", "p1-2") -> hash, published
//	  anyone       CeremonySealPhase1({"p1-1","p1-2"}, beacon1, "commons")
//	phase 2 (δ, specific to one compiled circuit):
//	  coordinator  CeremonyInitPhase2(ccs, "commons", "p2-0")
//	  participant  CeremonyContributePhase2("p2-0", "p2-1") -> hash, published
//	  ...
//	  anyone       CeremonySealPhase2(ccs, "commons", {"p2-1",...}, beacon2) -> pk, vk
//
// Nothing is trusted between those steps. Every contribution carries a
// proof of knowledge of its randomness and the hash of the state it was made
// on, so the seal functions re-run the whole chain from the deterministic
// initial state and reject a file that was altered, skipped, reordered or
// made on another branch. The initial states are recomputed, never read, so
// a coordinator cannot plant one whose waste it knows.
//
// A contribution's hash is the sha256 of the file it wrote (what sha256sum
// prints); the next contribution records it as its challenge. Publishing it
// lets each participant check that the transcript used to seal includes
// their contribution.
//
// Each phase ends with a random beacon, a last contribution anyone can
// recompute, so that the last participant cannot choose their randomness
// after seeing the others' to bias the result. The beacon must be a public
// random value fixed in advance and unknown until after the last
// contribution, for example the hash of an L1 block at a height announced
// before the phase opens. Use a different block for each phase.
//
// Rejected and malformed files are final: they will not pass on retry, and
// the fix is to drop the file (and those after it, which were built on it)
// and have its contributor redo it. Only I/O errors are worth retrying.

var (
	// ErrCeremonyCircuit means the constraint system is not a BN254 R1CS,
	// the only kind Keel's Groth16 prover, and so the ceremony, handles.
	ErrCeremonyCircuit = errors.New("prover: ceremony: circuit is not a BN254 R1CS (compile with r1cs.NewBuilder over ecc.BN254)")
	// ErrCeremonyMalformed means a ceremony file is not a well-formed state
	// of the kind expected: truncated, corrupted, or another phase's file.
	ErrCeremonyMalformed = errors.New("prover: ceremony: malformed file")
	// ErrCeremonyRejected means a contribution failed verification: it was
	// altered, is out of order, a predecessor is missing, or it was made for
	// another ceremony.
	ErrCeremonyRejected = errors.New("prover: ceremony: contribution rejected")
	// ErrCeremonyNoContributions means a phase was asked to seal with no
	// contributions; its keys would depend only on the public beacon, so
	// anyone could forge proofs.
	ErrCeremonyNoContributions = errors.New("prover: ceremony: no contributions to seal")
	// ErrCeremonyBeacon means the beacon is empty. It must be fixed in
	// advance and public, for example a future L1 block hash.
	ErrCeremonyBeacon = errors.New("prover: ceremony: empty beacon")
)

// ceremonyError says where in the ceremony something failed, keeping both
// the sentinel and the cause reachable with errors.Is and errors.As.
type ceremonyError struct {
	kind  error
	where string
	cause error
}

func (e *ceremonyError) Error() string {
	return fmt.Sprintf("prover: ceremony %s: %s: %v", e.where, strings.TrimPrefix(e.kind.Error(), "prover: ceremony: "), e.cause)
}

func (e *ceremonyError) Unwrap() []error { return []error{e.kind, e.cause} }

func ceremonyErr(kind error, cause error, format string, args ...any) error {
	return &ceremonyError{kind: kind, where: fmt.Sprintf(format, args...), cause: cause}
}

// ceremonyRejectHint tells the operator what to do about a rejected
// contribution.
const ceremonyRejectHint = "check that the files are in contribution order with none missing, and that each is the file its contributor published (compare sha256)"

// ceremonyMaxDomain is the largest FFT domain BN254's scalar field has (its
// two-adicity is 28): no Groth16 circuit over BN254 can need more.
const ceremonyMaxDomain = 1 << 28

// CeremonyInitPhase1 writes the initial phase-1 state to out, sized for
// ccs. Phase 1 does not depend on the circuit beyond its size, so its
// result serves any circuit whose domain fits. out must not exist yet.
func CeremonyInitPhase1(ccs constraint.ConstraintSystem, out string) error {
	r1cs, err := ceremonyR1CS(ccs)
	if err != nil {
		return err
	}
	n, err := ceremonyDomain(r1cs)
	if err != nil {
		return err
	}
	if _, err := writeCeremonyState(out, mpcsetup.NewPhase1(n)); err != nil {
		return fmt.Errorf("prover: ceremony phase 1 init: %w", err)
	}
	return nil
}

// CeremonyContributePhase1 reads the latest phase-1 state from in, mixes in
// fresh randomness from crypto/rand, and writes the new state to out. It
// returns the contribution's hash, hex sha256 of out, for the participant
// to publish. The randomness is only ever in memory, and unreachable once
// this returns; run it on a machine you trust, with no core dumps or swap
// that could keep a copy.
func CeremonyContributePhase1(in, out string) (hash string, err error) {
	p, _, err := loadCeremonyPhase1(in)
	if err != nil {
		return "", ceremonyRewhere(err, "phase 1 contribution input (%s)", in)
	}
	if err := ceremonyNoPanic(func() error { p.Contribute(); return nil }); err != nil {
		return "", fmt.Errorf("prover: ceremony phase 1 contribution: %w", err)
	}
	sum, err := writeCeremonyState(out, p)
	if err != nil {
		return "", fmt.Errorf("prover: ceremony phase 1 contribution: %w", err)
	}
	return sum, nil
}

// CeremonyVerifyPhase1 checks the phase-1 contributions in files, in the
// order they were made, from the initial state, then applies the beacon and
// returns the resulting parameters. files may start with the initial state
// written by CeremonyInitPhase1; it is recognised by its hash and skipped,
// so that a glob of a ceremony directory works. At least one contribution
// is required.
func CeremonyVerifyPhase1(files []string, beacon []byte) (*mpcsetup.SrsCommons, error) {
	if len(beacon) == 0 {
		return nil, ErrCeremonyBeacon
	}
	var (
		prev    *mpcsetup.Phase1
		initial [32]byte
		count   int
	)
	for i, path := range files {
		// Contributions are numbered from 1, not counting a skipped
		// initial state, so "contribution 3" is the third participant's.
		next, n, err := loadCeremonyPhase1(path)
		if err != nil {
			return nil, ceremonyRewhere(err, "phase 1 contribution %d of %d (%s)", count+1, len(files)-(i-count), path)
		}
		if prev == nil {
			// The domain size comes from the first file (the layout walk
			// checked it is a power of two); every later one must match
			// it, which Verify checks.
			prev = mpcsetup.NewPhase1(n)
			if initial, err = ceremonyStateHash(prev); err != nil {
				return nil, fmt.Errorf("prover: ceremony phase 1 verify: %w", err)
			}
			if h, err := ceremonyStateHash(next); err == nil && h == initial {
				continue
			}
		}
		if err := ceremonyNoPanic(func() error { return prev.Verify(next) }); err != nil {
			return nil, ceremonyErr(ErrCeremonyRejected, fmt.Errorf("%w; %s", err, ceremonyRejectHint), "phase 1 contribution %d of %d (%s)", count+1, len(files)-(i-count), path)
		}
		prev = next
		count++
	}
	if count == 0 {
		return nil, ErrCeremonyNoContributions
	}
	var commons mpcsetup.SrsCommons
	if err := ceremonyNoPanic(func() error { commons = prev.Seal(beacon); return nil }); err != nil {
		return nil, fmt.Errorf("prover: ceremony phase 1 seal: %w", err)
	}
	return &commons, nil
}

// CeremonySealPhase1 verifies the phase-1 contributions in files as
// CeremonyVerifyPhase1 does and writes the resulting parameters to out, the
// input of phase 2. Anyone holding the transcript can re-run it and compare
// out's sha256 with the coordinator's.
func CeremonySealPhase1(files []string, beacon []byte, out string) error {
	commons, err := CeremonyVerifyPhase1(files, beacon)
	if err != nil {
		return err
	}
	if _, err := writeCeremonyState(out, commons); err != nil {
		return fmt.Errorf("prover: ceremony phase 1 seal: %w", err)
	}
	return nil
}

// CeremonyInitPhase2 writes the initial phase-2 state for ccs to out, from
// the sealed phase-1 parameters in commonsFile.
//
// Nothing else needs keeping: the Phase2Evaluations that the final seal
// needs are a deterministic function of ccs and the commons, and
// CeremonySealPhase2 recomputes them along with the initial state instead
// of trusting a file (gnark v0.16.0 has no serializer for them either).
func CeremonyInitPhase2(ccs constraint.ConstraintSystem, commonsFile, out string) error {
	p, _, err := ceremonyInitPhase2(ccs, commonsFile)
	if err != nil {
		return err
	}
	if _, err := writeCeremonyState(out, p); err != nil {
		return fmt.Errorf("prover: ceremony phase 2 init: %w", err)
	}
	return nil
}

// CeremonyContributePhase2 reads the latest phase-2 state from in, mixes in
// fresh randomness, and writes the new state to out. It returns the
// contribution's hash, hex sha256 of out, for the participant to publish.
// As in phase 1, the randomness is never written anywhere.
func CeremonyContributePhase2(in, out string) (hash string, err error) {
	p, err := loadCeremonyPhase2(in)
	if err != nil {
		return "", ceremonyRewhere(err, "phase 2 contribution input (%s)", in)
	}
	if err := ceremonyNoPanic(func() error { p.Contribute(); return nil }); err != nil {
		return "", fmt.Errorf("prover: ceremony phase 2 contribution: %w", err)
	}
	sum, err := writeCeremonyState(out, p)
	if err != nil {
		return "", fmt.Errorf("prover: ceremony phase 2 contribution: %w", err)
	}
	return sum, nil
}

// CeremonySealPhase2 verifies the whole chain of phase-2 contributions in
// files, in order, from the initial state it recomputes from ccs and
// commonsFile, then applies the beacon and returns the Groth16 keys. As in
// phase 1, files may start with the initial state, and at least one
// contribution is required.
//
// The phase-1 commons are trusted here: check that commonsFile is the
// output of CeremonySealPhase1 on the published phase-1 transcript.
func CeremonySealPhase2(ccs constraint.ConstraintSystem, commonsFile string, files []string, beacon []byte) (groth16.ProvingKey, groth16.VerifyingKey, error) {
	if len(beacon) == 0 {
		return nil, nil, ErrCeremonyBeacon
	}
	// Check every file's structure first: the initial state takes minutes
	// at production sizes, and a truncated upload should fail at once.
	// Files are read one at a time so that memory stays that of one state.
	for i, path := range files {
		data, err := readCeremonyFile(path)
		if err == nil {
			l := ceremonyLayout{b: data}
			l.phase2()
			if l.err != nil {
				err = ceremonyMalformed(l.err, "phase-2 state")
			}
		}
		if err != nil {
			return nil, nil, ceremonyRewhere(err, "phase 2 file %d of %d (%s)", i+1, len(files), path)
		}
	}
	prev, finish, err := ceremonyInitPhase2(ccs, commonsFile)
	if err != nil {
		return nil, nil, err
	}
	initial, err := ceremonyStateHash(prev)
	if err != nil {
		return nil, nil, fmt.Errorf("prover: ceremony phase 2 seal: %w", err)
	}
	count := 0
	for i, path := range files {
		next, err := loadCeremonyPhase2(path)
		if err != nil {
			return nil, nil, ceremonyRewhere(err, "phase 2 contribution %d of %d (%s)", count+1, len(files)-(i-count), path)
		}
		if i == 0 {
			if h, err := ceremonyStateHash(next); err == nil && h == initial {
				continue
			}
		}
		if err := ceremonyNoPanic(func() error { return prev.Verify(next) }); err != nil {
			return nil, nil, ceremonyErr(ErrCeremonyRejected, fmt.Errorf("%w; %s", err, ceremonyRejectHint), "phase 2 contribution %d of %d (%s)", count+1, len(files)-(i-count), path)
		}
		prev = next
		count++
	}
	if count == 0 {
		return nil, nil, ErrCeremonyNoContributions
	}
	pk, vk, err := finish(prev, beacon)
	if err != nil {
		return nil, nil, fmt.Errorf("prover: ceremony phase 2 seal: %w", err)
	}
	return pk, vk, nil
}

// ceremonyInitPhase2 computes the initial phase-2 state for ccs and the
// commons in commonsFile, and returns with it a function that seals a
// contribution chain ending in last, reusing the evaluations computed on the
// way.
func ceremonyInitPhase2(ccs constraint.ConstraintSystem, commonsFile string) (*mpcsetup.Phase2, func(last *mpcsetup.Phase2, beacon []byte) (groth16.ProvingKey, groth16.VerifyingKey, error), error) {
	r1cs, err := ceremonyR1CS(ccs)
	if err != nil {
		return nil, nil, err
	}
	commons, err := loadCeremonyCommons(commonsFile)
	if err != nil {
		return nil, nil, ceremonyRewhere(err, "phase 2 commons (%s)", commonsFile)
	}
	n, need := len(commons.G1.AlphaTau), r1cs.GetNbConstraints()
	if n < need {
		return nil, nil, fmt.Errorf("prover: ceremony phase 2: phase 1 domain %d is smaller than the circuit's %d constraints; run phase 1 for this circuit (or a larger one)", n, need)
	}
	var (
		p     mpcsetup.Phase2
		evals mpcsetup.Phase2Evaluations
	)
	if err := ceremonyNoPanic(func() error { evals = p.Initialize(r1cs, commons); return nil }); err != nil {
		return nil, nil, fmt.Errorf("prover: ceremony phase 2 init: %w", err)
	}
	finish := func(last *mpcsetup.Phase2, beacon []byte) (pk groth16.ProvingKey, vk groth16.VerifyingKey, err error) {
		err = ceremonyNoPanic(func() error { pk, vk = last.Seal(commons, &evals, beacon); return nil })
		return pk, vk, err
	}
	return &p, finish, nil
}

func ceremonyR1CS(ccs constraint.ConstraintSystem) (*cs.R1CS, error) {
	// In gnark v0.16.0 cs.R1CS and cs.SparseR1CS are aliases of one type,
	// so the assertion alone lets a PLONK system through: check its kind.
	r1cs, ok := ccs.(*cs.R1CS)
	if !ok {
		return nil, fmt.Errorf("%w; got %T", ErrCeremonyCircuit, ccs)
	}
	if r1cs.Type != constraint.SystemR1CS {
		return nil, fmt.Errorf("%w; got a sparse (PLONK) constraint system", ErrCeremonyCircuit)
	}
	return r1cs, nil
}

// ceremonyDomain is the FFT domain size N the circuit's keys need: the
// next power of two of the constraint count, as groth16.Setup sizes its
// domain (public inputs need no rows of their own in Groth16). It is at
// least 2, because phase 1 checks the update of [τ¹] and needs it to exist.
func ceremonyDomain(r1cs *cs.R1CS) (uint64, error) {
	n := max(2, ecc.NextPowerOfTwo(uint64(r1cs.GetNbConstraints())))
	if n > ceremonyMaxDomain {
		return 0, fmt.Errorf("prover: ceremony: %d constraints need a domain of %d, above BN254's largest (%d)", r1cs.GetNbConstraints(), n, ceremonyMaxDomain)
	}
	return n, nil
}

// ceremonyRewhere gives a decoding error (a *ceremonyError from a load
// function) its place in the ceremony; other errors (a missing file) are
// wrapped as they are.
func ceremonyRewhere(err error, format string, args ...any) error {
	var ce *ceremonyError
	if errors.As(err, &ce) {
		return ceremonyErr(ce.kind, ce.cause, format, args...)
	}
	return fmt.Errorf("prover: ceremony %s: %w", fmt.Sprintf(format, args...), err)
}

// ceremonyNoPanic runs f and turns a panic into an error. gnark's mpcsetup
// assumes well-formed input and panics on some shapes of bad input; ceremony
// files come from other people, and a crafted one must be rejected with an
// error, not crash the coordinator.
func ceremonyNoPanic(f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("gnark panicked: %v", r)
		}
	}()
	return f()
}

// Reading and writing state files. The formats are gnark's own WriteTo
// encodings, unchanged, so that anyone can check a transcript with stock
// gnark instead of trusting Keel's code.

func loadCeremonyPhase1(path string) (*mpcsetup.Phase1, uint64, error) {
	data, err := readCeremonyFile(path)
	if err != nil {
		return nil, 0, err
	}
	return decodeCeremonyPhase1(data)
}

func loadCeremonyPhase2(path string) (*mpcsetup.Phase2, error) {
	data, err := readCeremonyFile(path)
	if err != nil {
		return nil, err
	}
	return decodeCeremonyPhase2(data)
}

func loadCeremonyCommons(path string) (*mpcsetup.SrsCommons, error) {
	data, err := readCeremonyFile(path)
	if err != nil {
		return nil, err
	}
	return decodeCeremonyCommons(data)
}

// decodeCeremonyPhase1 decodes a phase-1 state and returns its domain size.
func decodeCeremonyPhase1(data []byte) (*mpcsetup.Phase1, uint64, error) {
	l := ceremonyLayout{b: data}
	n := l.phase1()
	p := new(mpcsetup.Phase1)
	if err := ceremonyDecode(&l, p, "phase-1 state"); err != nil {
		return nil, 0, err
	}
	return p, n, nil
}

func decodeCeremonyPhase2(data []byte) (*mpcsetup.Phase2, error) {
	l := ceremonyLayout{b: data}
	l.phase2()
	p := new(mpcsetup.Phase2)
	if err := ceremonyDecode(&l, p, "phase-2 state"); err != nil {
		return nil, err
	}
	return p, nil
}

func decodeCeremonyCommons(data []byte) (*mpcsetup.SrsCommons, error) {
	l := ceremonyLayout{b: data}
	l.commons()
	l.end()
	c := new(mpcsetup.SrsCommons)
	if err := ceremonyDecode(&l, c, "sealed phase-1 commons"); err != nil {
		return nil, err
	}
	return c, nil
}

// ceremonyDecode decodes l's bytes into v once the layout walk has passed.
// gnark's decoder checks that every point is on the curve and in the
// prime-order subgroup.
func ceremonyDecode(l *ceremonyLayout, v io.ReaderFrom, what string) error {
	if l.err != nil {
		return ceremonyMalformed(l.err, what)
	}
	err := ceremonyNoPanic(func() error {
		n, err := v.ReadFrom(bytes.NewReader(l.b))
		if err == nil && n != int64(len(l.b)) {
			err = fmt.Errorf("decoded %d of %d bytes", n, len(l.b))
		}
		return err
	})
	if err != nil {
		return ceremonyMalformed(err, what)
	}
	return nil
}

// ceremonyMalformed says that a file is not a what; the caller says which file,
// with ceremonyRewhere.
func ceremonyMalformed(err error, what string) error {
	return ceremonyErr(ErrCeremonyMalformed, fmt.Errorf("not a %s: %w", what, err), "file")
}

// readCeremonyFile reads a whole state file. Files are at most a few
// hundred MB at Keel's sizes, less than the decoded state takes anyway.
func readCeremonyFile(path string) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", path)
	}
	return os.ReadFile(path)
}

// ceremonyStateHash is the sha256 of v's encoding: what mpcsetup records as the
// next contribution's challenge, and the hash participants publish.
func ceremonyStateHash(v io.WriterTo) ([32]byte, error) {
	h := sha256.New()
	if _, err := v.WriteTo(h); err != nil {
		return [32]byte{}, err
	}
	var sum [32]byte
	copy(sum[:], h.Sum(nil))
	return sum, nil
}

// writeCeremonyState encodes v and writes it to path, which must not exist:
// overwriting a ceremony file could silently replace a contribution that
// others have already built on. The file appears whole or not at all
// (written aside, synced, renamed). It returns the hex sha256 of the bytes.
func writeCeremonyState(path string, v io.WriterTo) (string, error) {
	var buf bytes.Buffer
	if _, err := v.WriteTo(&buf); err != nil {
		return "", fmt.Errorf("encode: %w", err)
	}
	if _, err := os.Lstat(path); err == nil {
		return "", fmt.Errorf("%s already exists; ceremony files are never overwritten, choose a new name", path)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return "", err
	}
	if err := writeFileAtomic(path, func(w io.Writer) error { _, err := w.Write(buf.Bytes()); return err }); err != nil {
		return "", err
	}
	sum := sha256.Sum256(buf.Bytes())
	return hex.EncodeToString(sum[:]), nil
}

// ceremonyLayout walks a serialized ceremony state without decoding it,
// checking that its structure is whole and that every length it declares fits
// in the bytes actually present. gnark's ReadFrom allocates what a length or
// domain size asks for before reading the elements, so without this walk a
// crafted file of a few bytes could make the verifier allocate terabytes and
// die. After it, allocation is bounded by a small multiple of the file's
// size. The walk follows gnark v0.16.0's encodings (marshal.go in mpcsetup);
// the ceremony tests decode real files through it, so a change of format on a
// gnark upgrade fails them.
type ceremonyLayout struct {
	b   []byte
	off int
	err error
}

func (l *ceremonyLayout) fail(format string, args ...any) {
	if l.err == nil {
		l.err = fmt.Errorf("at byte %d: %s", l.off, fmt.Sprintf(format, args...))
	}
}

func (l *ceremonyLayout) left() int { return len(l.b) - l.off }

func (l *ceremonyLayout) take(n int) []byte {
	if l.err != nil {
		return nil
	}
	if n > l.left() {
		l.fail("truncated: need %d bytes, %d left", n, l.left())
		return nil
	}
	s := l.b[l.off : l.off+n]
	l.off += n
	return s
}

func (l *ceremonyLayout) uint(size int) uint64 {
	s := l.take(size)
	switch {
	case s == nil:
		return 0
	case size == 1:
		return uint64(s[0])
	case size == 2:
		return uint64(binary.BigEndian.Uint16(s))
	case size == 4:
		return uint64(binary.BigEndian.Uint32(s))
	case size == 8:
		return binary.BigEndian.Uint64(s)
	default:
		panic(fmt.Sprintf("prover: ceremonyLayout.uint(%d)", size)) // a bug in the walk itself
	}
}

// points skips n encoded curve points whose compressed size is size bytes.
// gnark-crypto writes points compressed but reads either form, telling
// them apart by the top two bits of the first byte (00: uncompressed, twice
// the size).
func (l *ceremonyLayout) points(n uint64, size int) {
	if l.err != nil {
		return
	}
	if n > uint64(l.left()/size) {
		l.fail("%d points of at least %d bytes cannot fit in the %d bytes left", n, size, l.left())
		return
	}
	for range n {
		if l.off < len(l.b) && l.b[l.off]&0b1100_0000 == 0 {
			l.take(2 * size)
		} else {
			l.take(size)
		}
		if l.err != nil {
			return
		}
	}
}

func (l *ceremonyLayout) g1(n uint64) { l.points(n, bn254.SizeOfG1AffineCompressed) }
func (l *ceremonyLayout) g2(n uint64) { l.points(n, bn254.SizeOfG2AffineCompressed) }

// g1Slice is a length-prefixed slice of G1 points.
func (l *ceremonyLayout) g1Slice() { l.g1(l.uint(4)) }

// updateProof is mpcsetup.UpdateProof: a G1 commitment and a G2 proof of
// knowledge.
func (l *ceremonyLayout) updateProof() { l.g1(1); l.g2(1) }

// challenge is the previous state's hash, a length byte then the bytes.
func (l *ceremonyLayout) challenge() { l.take(int(l.uint(1))) }

func (l *ceremonyLayout) end() {
	if l.err == nil && l.left() != 0 {
		l.fail("%d unexpected bytes after the end", l.left())
	}
}

// commons is mpcsetup.SrsCommons: N, [β]₂, [τ¹..τ²ᴺ⁻²]₁, [τ¹..τᴺ⁻¹]₂,
// [βτ⁰..βτᴺ⁻¹]₁, [ατ⁰..ατᴺ⁻¹]₁. It returns N.
func (l *ceremonyLayout) commons() uint64 {
	n := l.uint(8)
	if l.err != nil {
		return 0
	}
	if n < 2 || n > ceremonyMaxDomain || n&(n-1) != 0 {
		l.fail("domain size %d is not a power of two in [2, 2^28]", n)
		return 0
	}
	l.g2(1)
	l.g1(2*n - 2)
	l.g2(n - 1)
	l.g1(2 * n)
	return n
}

// phase1 is mpcsetup.Phase1: update proofs for τ, α and β, the commons,
// and the challenge. It returns N.
func (l *ceremonyLayout) phase1() uint64 {
	for range 3 {
		l.updateProof()
	}
	n := l.commons()
	l.challenge()
	l.end()
	return n
}

// phase2 is mpcsetup.Phase2: the commitment count c; [δ]₁, the PKK and Z
// slices, [δ]₂; c σ-commitment bases and c [σ]₂; the update proofs for δ
// and each σ; and the challenge.
func (l *ceremonyLayout) phase2() {
	c := l.uint(2)
	l.g1(1)
	l.g1Slice()
	l.g1Slice()
	l.g2(1)
	for range c {
		l.g1Slice()
	}
	l.g2(c)
	l.updateProof()
	for range c {
		l.updateProof()
	}
	l.challenge()
	l.end()
}
