package prover

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/consensys/gnark/constraint"
	"github.com/keel-rollup/keel/vm"
)

// A ceremony directory holds a whole deployment's ceremony: every circuit a
// deployment proves with (each batch size and the exit circuit), one
// phase-1 chain sized for the largest of them, one phase-2 chain per
// circuit, and a manifest (ceremony.json) that says which phase is open.
// It is what `keel ceremony` passes between participants, files in and
// files out:
//
//	ceremony.json                 the manifest
//	phase1/0000.state             the initial powers of τ (init)
//	phase1/0001.state ...         one contribution a participant
//	phase1.commons                the sealed phase 1 (seal, in phase 1)
//	phase2/<circuit>/0000.state   each circuit's initial phase 2 (same seal)
//	phase2/<circuit>/0001.state   one contribution a participant, every circuit at once
//
// Nothing in the directory is trusted by the seals: they re-run each chain
// from the initial states they recompute (ceremony.go). The manifest's
// circuit hashes pin the circuits, so a participant running another Keel
// version is told so instead of keying the wrong circuit.

// CeremonyPhase is where a ceremony directory stands.
type CeremonyPhase int

const (
	// CeremonyPhase1 takes powers-of-τ contributions.
	CeremonyPhase1 CeremonyPhase = 1
	// CeremonyPhase2 takes each circuit's δ contributions.
	CeremonyPhase2 CeremonyPhase = 2
	// CeremonySealed is done: the keys are written.
	CeremonySealed CeremonyPhase = 3
)

func (p CeremonyPhase) String() string {
	switch p {
	case CeremonyPhase1:
		return "phase 1 (powers of τ)"
	case CeremonyPhase2:
		return "phase 2 (per circuit)"
	case CeremonySealed:
		return "sealed"
	}
	return fmt.Sprintf("phase %d", int(p))
}

// CeremonyCircuit is one circuit a ceremony keys.
type CeremonyCircuit struct {
	// Name is "batch-<slots>" or "exit", the circuit's phase-2 directory.
	Name string `json:"name"`
	// Slots is a batch circuit's size; 0 for the exit circuit.
	Slots int `json:"slots,omitempty"`
	// Hash is CircuitHash of the compiled circuit, in hex: the name of its
	// key directory.
	Hash string `json:"hash"`
}

// CeremonyManifest is ceremony.json.
type CeremonyManifest struct {
	// Version is the manifest format, 1.
	Version int `json:"version"`
	// Depth is the state tree depth every circuit is compiled for.
	Depth    int               `json:"depth"`
	Circuits []CeremonyCircuit `json:"circuits"`
	Phase    CeremonyPhase     `json:"phase"`
	// Phase1Beacon and Phase2Beacon are the beacons the seals applied, hex.
	Phase1Beacon string `json:"phase1Beacon,omitempty"`
	Phase2Beacon string `json:"phase2Beacon,omitempty"`
	// Commons is the sha256 of phase1.commons, hex, once phase 1 is sealed.
	Commons string `json:"commons,omitempty"`
}

// ceremonyManifestFile is the manifest's name in a ceremony directory.
const ceremonyManifestFile = "ceremony.json"

// ErrCeremonyDir means a ceremony directory is not in the state a command
// needs: another phase, a manifest that does not parse, a circuit of
// another Keel version.
var ErrCeremonyDir = errors.New("prover: ceremony directory")

func ceremonyDirErr(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrCeremonyDir, fmt.Sprintf(format, args...))
}

// DecodeCeremonyManifest parses and checks a manifest.
func DecodeCeremonyManifest(data []byte) (*CeremonyManifest, error) {
	var m CeremonyManifest
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return nil, ceremonyDirErr("%s: %v", ceremonyManifestFile, err)
	}
	if dec.More() {
		return nil, ceremonyDirErr("%s: data after the manifest", ceremonyManifestFile)
	}
	if m.Version != 1 {
		return nil, ceremonyDirErr("%s: version %d; this Keel reads version 1", ceremonyManifestFile, m.Version)
	}
	if m.Depth < 1 || m.Depth > vm.MaxDepth {
		return nil, ceremonyDirErr("%s: depth %d out of range 1..%d", ceremonyManifestFile, m.Depth, vm.MaxDepth)
	}
	if m.Phase < CeremonyPhase1 || m.Phase > CeremonySealed {
		return nil, ceremonyDirErr("%s: phase %d; want 1, 2 or 3 (sealed)", ceremonyManifestFile, int(m.Phase))
	}
	if len(m.Circuits) == 0 {
		return nil, ceremonyDirErr("%s: no circuits", ceremonyManifestFile)
	}
	seen := map[string]bool{}
	for _, c := range m.Circuits {
		want := "exit"
		if c.Slots != 0 {
			want = fmt.Sprintf("batch-%d", c.Slots)
		}
		if c.Slots < 0 || c.Slots == 1 || c.Name != want {
			return nil, ceremonyDirErr("%s: circuit %q with %d slots; want batch-<slots> (slots ≥ 2) or exit", ceremonyManifestFile, c.Name, c.Slots)
		}
		if seen[c.Name] {
			return nil, ceremonyDirErr("%s: circuit %s listed twice", ceremonyManifestFile, c.Name)
		}
		seen[c.Name] = true
		if h, err := hex.DecodeString(c.Hash); err != nil || len(h) != 32 {
			return nil, ceremonyDirErr("%s: circuit %s: hash %q is not 32 bytes of hex", ceremonyManifestFile, c.Name, c.Hash)
		}
	}
	for name, v := range map[string]string{"phase1Beacon": m.Phase1Beacon, "phase2Beacon": m.Phase2Beacon, "commons": m.Commons} {
		if _, err := hex.DecodeString(v); err != nil {
			return nil, ceremonyDirErr("%s: %s %q is not hex", ceremonyManifestFile, name, v)
		}
	}
	if (m.Phase >= CeremonyPhase2) != (m.Phase1Beacon != "" && m.Commons != "") {
		return nil, ceremonyDirErr("%s: phase %d with phase 1's beacon and commons hash %s", ceremonyManifestFile, int(m.Phase), map[bool]string{true: "recorded", false: "missing"}[m.Phase1Beacon != ""])
	}
	if (m.Phase == CeremonySealed) != (m.Phase2Beacon != "") {
		return nil, ceremonyDirErr("%s: phase %d with phase 2's beacon %s", ceremonyManifestFile, int(m.Phase), map[bool]string{true: "recorded", false: "missing"}[m.Phase2Beacon != ""])
	}
	return &m, nil
}

// ReadCeremonyManifest reads dir's manifest.
func ReadCeremonyManifest(dir string) (*CeremonyManifest, error) {
	data, err := os.ReadFile(filepath.Join(dir, ceremonyManifestFile))
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, ceremonyDirErr("%s has no %s; start a ceremony with `keel ceremony init`", dir, ceremonyManifestFile)
		}
		return nil, err
	}
	return DecodeCeremonyManifest(data)
}

func writeCeremonyManifest(dir string, m *CeremonyManifest) error {
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return writeFileAtomic(filepath.Join(dir, ceremonyManifestFile), func(w io.Writer) error {
		_, err := w.Write(append(data, '\n'))
		return err
	})
}

// CompileCeremonyCircuit compiles the circuit c names at depth.
func CompileCeremonyCircuit(c CeremonyCircuit, depth int) (constraint.ConstraintSystem, error) {
	if c.Slots == 0 {
		return CompileExit(depth)
	}
	return CompileBatch(c.Slots, depth)
}

// ceremonyCompiler is CompileCeremonyCircuit; tests swap in small
// circuits, since a real one's phase 1 takes minutes.
var ceremonyCompiler = CompileCeremonyCircuit

// compileCeremony compiles every circuit of m and checks each against the
// hash the manifest pins.
func compileCeremony(m *CeremonyManifest) ([]constraint.ConstraintSystem, error) {
	out := make([]constraint.ConstraintSystem, len(m.Circuits))
	for i, c := range m.Circuits {
		ccs, err := ceremonyCompiler(c, m.Depth)
		if err != nil {
			return nil, err
		}
		h, err := CircuitHash(ccs)
		if err != nil {
			return nil, err
		}
		if hex.EncodeToString(h[:]) != c.Hash {
			return nil, ceremonyDirErr("circuit %s compiles to %x here, but the ceremony keys %s: this Keel's circuits differ from the ceremony's (use the same version)", c.Name, h[:8], c.Hash[:16])
		}
		out[i] = ccs
	}
	return out, nil
}

// CeremonyDirInit starts a ceremony in dir (created; it must be empty) for
// the batch circuits of the given sizes and the exit circuit, all at
// depth. It compiles them, which takes seconds at depth 24.
func CeremonyDirInit(dir string, depth int, slots []int) (*CeremonyManifest, error) {
	if len(slots) == 0 {
		return nil, ceremonyDirErr("no batch sizes: a deployment proves batches of at least one size")
	}
	slots = slices.Clone(slots)
	sort.Ints(slots)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	if entries, err := os.ReadDir(dir); err != nil {
		return nil, err
	} else if len(entries) > 0 {
		return nil, ceremonyDirErr("%s is not empty; a ceremony starts in a new directory", dir)
	}
	m := &CeremonyManifest{Version: 1, Depth: depth, Phase: CeremonyPhase1}
	var largest constraint.ConstraintSystem
	for i, s := range slots {
		if s < 2 || (i > 0 && s == slots[i-1]) {
			return nil, ceremonyDirErr("batch size %d: sizes are distinct and at least 2", s)
		}
		m.Circuits = append(m.Circuits, CeremonyCircuit{Name: fmt.Sprintf("batch-%d", s), Slots: s})
	}
	m.Circuits = append(m.Circuits, CeremonyCircuit{Name: "exit"})
	for i := range m.Circuits {
		ccs, err := ceremonyCompiler(m.Circuits[i], depth)
		if err != nil {
			return nil, err
		}
		h, err := CircuitHash(ccs)
		if err != nil {
			return nil, err
		}
		m.Circuits[i].Hash = hex.EncodeToString(h[:])
		if largest == nil || ccs.GetNbConstraints() > largest.GetNbConstraints() {
			largest = ccs
		}
	}
	if _, err := DecodeCeremonyManifest(mustJSON(m)); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Join(dir, "phase1"), 0o755); err != nil {
		return nil, err
	}
	// One powers-of-τ chain sized for the largest circuit serves them all.
	if err := CeremonyInitPhase1(largest, ceremonyChainFile(dir, "phase1", 0)); err != nil {
		return nil, err
	}
	return m, writeCeremonyManifest(dir, m)
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// ceremonyChainFile is the n-th file of a chain directory.
func ceremonyChainFile(dir, chain string, n int) string {
	return filepath.Join(dir, chain, fmt.Sprintf("%04d.state", n))
}

// ceremonyChain lists a chain's files in order, the initial state first,
// and checks that they are numbered without a gap.
func ceremonyChain(dir, chain string) ([]string, error) {
	entries, err := os.ReadDir(filepath.Join(dir, chain))
	if err != nil {
		return nil, err
	}
	var files []string
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".state") {
			continue
		}
		want := fmt.Sprintf("%04d.state", len(files))
		if e.Name() != want {
			return nil, ceremonyDirErr("%s: found %s where %s comes next: a contribution is missing or misnamed", filepath.Join(dir, chain), e.Name(), want)
		}
		files = append(files, filepath.Join(dir, chain, e.Name()))
	}
	if len(files) == 0 {
		return nil, ceremonyDirErr("%s has no initial state", filepath.Join(dir, chain))
	}
	return files, nil
}

// CeremonyContribution is one file a contribution wrote, with the hash its
// participant publishes (what sha256sum prints for the file).
type CeremonyContribution struct {
	Chain string
	File  string
	Hash  string
}

// CeremonyDirContribute adds one participant's contribution to the open
// phase: to the powers of τ in phase 1, to every circuit's chain in phase
// 2. The randomness lives only in memory (ceremony.go).
func CeremonyDirContribute(dir string) ([]CeremonyContribution, error) {
	m, err := ReadCeremonyManifest(dir)
	if err != nil {
		return nil, err
	}
	var chains []string
	switch m.Phase {
	case CeremonyPhase1:
		chains = []string{"phase1"}
	case CeremonyPhase2:
		for _, c := range m.Circuits {
			chains = append(chains, filepath.Join("phase2", c.Name))
		}
	default:
		return nil, ceremonyDirErr("%s is sealed; it takes no more contributions", dir)
	}
	var out []CeremonyContribution
	for _, chain := range chains {
		files, err := ceremonyChain(dir, chain)
		if err != nil {
			return nil, err
		}
		next := ceremonyChainFile(dir, chain, len(files))
		var hash string
		if m.Phase == CeremonyPhase1 {
			hash, err = CeremonyContributePhase1(files[len(files)-1], next)
		} else {
			hash, err = CeremonyContributePhase2(files[len(files)-1], next)
		}
		if err != nil {
			return nil, err
		}
		out = append(out, CeremonyContribution{Chain: chain, File: next, Hash: hash})
	}
	return out, nil
}

// CeremonyReport is what CeremonyDirVerify checked.
type CeremonyReport struct {
	Phase CeremonyPhase
	// Contributions counts each chain's verified contributions.
	Contributions map[string]int
	// Hashes lists each chain's files' sha256, in order, the initial
	// state first: participants find theirs here.
	Hashes map[string][]string
}

// CeremonyDirVerify re-runs every chain of the ceremony from its
// recomputed initial state, as the seals do, and once a phase is sealed
// checks that what was sealed is what its transcript gives: the commons'
// hash, and each circuit's verifying key in keysDir (when keysDir is not
// empty). An open phase is checked with a placeholder beacon.
func CeremonyDirVerify(dir, keysDir string) (*CeremonyReport, error) {
	m, err := ReadCeremonyManifest(dir)
	if err != nil {
		return nil, err
	}
	r := &CeremonyReport{Phase: m.Phase, Contributions: map[string]int{}, Hashes: map[string][]string{}}
	p1, err := ceremonyChain(dir, "phase1")
	if err != nil {
		return nil, err
	}
	if err := r.hash("phase1", p1); err != nil {
		return nil, err
	}
	beacon1 := []byte("keel ceremony verify: phase 1 still open")
	if m.Phase >= CeremonyPhase2 {
		beacon1, _ = hex.DecodeString(m.Phase1Beacon)
	}
	commons, err := CeremonyVerifyPhase1(p1, beacon1)
	if err != nil {
		return nil, err
	}
	r.Contributions["phase1"] = len(p1) - 1
	if m.Phase == CeremonyPhase1 {
		return r, nil
	}
	var buf bytes.Buffer
	if _, err := commons.WriteTo(&buf); err != nil {
		return nil, err
	}
	if sum := sha256.Sum256(buf.Bytes()); hex.EncodeToString(sum[:]) != m.Commons {
		return nil, ceremonyErr(ErrCeremonyRejected, fmt.Errorf("the phase-1 transcript seals to %x, the manifest records %s", sum[:8], m.Commons[:16]), "phase 1 seal")
	}
	if err := checkCeremonyFileHash(filepath.Join(dir, "phase1.commons"), m.Commons); err != nil {
		return nil, err
	}
	ccss, err := compileCeremony(m)
	if err != nil {
		return nil, err
	}
	beacon2 := []byte("keel ceremony verify: phase 2 still open")
	if m.Phase == CeremonySealed {
		beacon2, _ = hex.DecodeString(m.Phase2Beacon)
	}
	for i, c := range m.Circuits {
		chain := filepath.Join("phase2", c.Name)
		files, err := ceremonyChain(dir, chain)
		if err != nil {
			return nil, err
		}
		if err := r.hash(chain, files); err != nil {
			return nil, err
		}
		r.Contributions[chain] = len(files) - 1
		if len(files) == 1 {
			continue // nothing to check yet: the initial state is recomputed by the seal
		}
		_, vk, err := CeremonySealPhase2(ccss[i], filepath.Join(dir, "phase1.commons"), files, beacon2)
		if err != nil {
			return nil, fmt.Errorf("circuit %s: %w", c.Name, err)
		}
		if m.Phase == CeremonySealed && keysDir != "" {
			var want bytes.Buffer
			if _, err := vk.WriteTo(&want); err != nil {
				return nil, err
			}
			sealed, err := os.ReadFile(filepath.Join(keysDir, c.Hash, vkFile))
			if err != nil {
				return nil, fmt.Errorf("circuit %s: sealed verifying key: %w", c.Name, err)
			}
			if !bytes.Equal(want.Bytes(), sealed) {
				return nil, ceremonyErr(ErrCeremonyRejected, errors.New("the verifying key in the keys dir is not the one the transcript seals to"), "circuit %s (%s)", c.Name, keysDir)
			}
		}
	}
	return r, nil
}

func (r *CeremonyReport) hash(chain string, files []string) error {
	for _, f := range files {
		data, err := readCeremonyFile(f)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		r.Hashes[chain] = append(r.Hashes[chain], hex.EncodeToString(sum[:]))
	}
	return nil
}

func checkCeremonyFileHash(path, want string) error {
	data, err := readCeremonyFile(path)
	if err != nil {
		return err
	}
	if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != want {
		return ceremonyErr(ErrCeremonyRejected, fmt.Errorf("sha256 %x, the manifest records %s", sum[:8], want[:16]), "%s", path)
	}
	return nil
}

// CeremonyDirSeal closes the open phase with the beacon. Sealing phase 1
// verifies its chain, writes phase1.commons and opens phase 2 with each
// circuit's initial state. Sealing phase 2 verifies every circuit's chain
// and writes the keys to keysDir, as LoadKeys reads them; a circuit
// without a contribution stops it, since its keys would depend on the
// public beacon alone.
func CeremonyDirSeal(dir string, beacon []byte, keysDir string) (*CeremonyManifest, error) {
	if len(beacon) == 0 {
		return nil, ErrCeremonyBeacon
	}
	m, err := ReadCeremonyManifest(dir)
	if err != nil {
		return nil, err
	}
	switch m.Phase {
	case CeremonyPhase1:
		p1, err := ceremonyChain(dir, "phase1")
		if err != nil {
			return nil, err
		}
		commonsFile := filepath.Join(dir, "phase1.commons")
		// The manifest is the commit point: while it says phase 1, a
		// commons file or phase-2 states are what an interrupted seal left
		// (no one contributes to phase 2 before the manifest opens it), and
		// they are made again.
		if err := os.Remove(commonsFile); err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, err
		}
		if err := os.RemoveAll(filepath.Join(dir, "phase2")); err != nil {
			return nil, err
		}
		if err := CeremonySealPhase1(p1, beacon, commonsFile); err != nil {
			return nil, err
		}
		data, err := readCeremonyFile(commonsFile)
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(data)
		ccss, err := compileCeremony(m)
		if err != nil {
			return nil, err
		}
		for i, c := range m.Circuits {
			if err := os.MkdirAll(filepath.Join(dir, "phase2", c.Name), 0o755); err != nil {
				return nil, err
			}
			if err := CeremonyInitPhase2(ccss[i], commonsFile, ceremonyChainFile(dir, filepath.Join("phase2", c.Name), 0)); err != nil {
				return nil, fmt.Errorf("circuit %s: %w", c.Name, err)
			}
		}
		m.Phase, m.Phase1Beacon, m.Commons = CeremonyPhase2, hex.EncodeToString(beacon), hex.EncodeToString(sum[:])
	case CeremonyPhase2:
		if keysDir == "" {
			return nil, ceremonyDirErr("sealing phase 2 writes keys: name a keys dir")
		}
		ccss, err := compileCeremony(m)
		if err != nil {
			return nil, err
		}
		keys := make([]*Keys, len(m.Circuits))
		for i, c := range m.Circuits {
			files, err := ceremonyChain(dir, filepath.Join("phase2", c.Name))
			if err != nil {
				return nil, err
			}
			pk, vk, err := CeremonySealPhase2(ccss[i], filepath.Join(dir, "phase1.commons"), files, beacon)
			if err != nil {
				return nil, fmt.Errorf("circuit %s: %w", c.Name, err)
			}
			k := &Keys{CCS: ccss[i], PK: pk, VK: vk}
			h, _ := hex.DecodeString(c.Hash)
			copy(k.Hash[:], h)
			keys[i] = k
		}
		// Every chain verified before any key is written.
		for _, k := range keys {
			if err := SaveKeys(keysDir, k); err != nil {
				return nil, err
			}
		}
		m.Phase, m.Phase2Beacon = CeremonySealed, hex.EncodeToString(beacon)
	default:
		return nil, ceremonyDirErr("%s is already sealed", dir)
	}
	return m, writeCeremonyManifest(dir, m)
}
