package circuits

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/cs/r1cs"
	"github.com/stretchr/testify/require"
)

var (
	updateStats = flag.Bool("update", false, "rewrite constraints.txt")
	largeStats  = flag.Bool("large", false, "also compile the 32, 128 and 256-slot production circuits (minutes, GiBs; make constraints)")
)

const statsFile = "constraints.txt"

// largeCircuits are the production sizes whose counts are pinned too, but
// compiled only with -large: the 256-slot circuit alone takes minutes and
// several GiB, too much for make test.
var largeSlots = []int{LargeBatchSlots, 128, 256}

func largeName(slots int) string { return fmt.Sprintf("batch/slots=%d/depth=24", slots) }

// statsCircuits are the circuits whose constraint counts are pinned.
func statsCircuits() map[string]frontend.Circuit {
	return map[string]frontend.Circuit{
		"batch/slots=2/depth=24": NewBatchCircuit(2, 24),
		"batch/slots=8/depth=4":  NewBatchCircuit(8, 4),
		"batch/slots=8/depth=24": NewBatchCircuit(8, 24),
		"sha256/1-block":         &sha256Stat{Msg: make([]frontend.Variable, 8*55)},
		"exit/depth=4":           NewExitCircuit(4),
		"exit/depth=24":          NewExitCircuit(24),
	}
}

type sha256Stat struct{ Msg []frontend.Variable }

func (c *sha256Stat) Define(api frontend.API) error {
	d := SHA256(api, c.Msg)
	api.AssertIsEqual(d[0], d[1])
	return nil
}

// TestConstraintCounts pins every circuit's constraint count in
// constraints.txt, as gnark's own internal/stats does: a change in cost is
// a visible diff. Run with -update after a deliberate change.
func TestConstraintCounts(t *testing.T) {
	got := map[string]int{}
	count := func(name string, c frontend.Circuit) {
		cs, err := frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, c)
		require.NoError(t, err, name)
		got[name] = cs.GetNbConstraints()
	}
	for name, c := range statsCircuits() {
		count(name, c)
	}
	want := readStats(t)
	if *largeStats {
		for _, slots := range largeSlots {
			name := largeName(slots)
			count(name, NewBatchCircuit(slots, 24))
			runtime.GC()
			t.Logf("%s: %d constraints, %d a slot", name, got[name], got[name]/slots)
		}
	} else {
		// Without -large the production sizes keep their pinned counts.
		for _, slots := range largeSlots {
			name := largeName(slots)
			v, ok := want[name]
			require.True(t, ok, "%s is not pinned in %s; run make constraints", name, statsFile)
			got[name] = v
		}
	}
	if *updateStats {
		require.True(t, *largeStats, "-update rewrites every count: run it with -large (make constraints-update)")
		f, err := os.Create(statsFile)
		require.NoError(t, err)
		fmt.Fprintln(f, "# constraint counts (R1CS, BN254, gnark v0.16.0); regenerate with make constraints-update")
		for _, name := range sortedKeys(got) {
			fmt.Fprintf(f, "%s %d\n", name, got[name])
		}
		require.NoError(t, f.Close())
		want = readStats(t)
	}
	require.Equal(t, want, got, "constraint counts changed; if deliberate, run make constraints-update and commit constraints.txt")
	perSlot := got["batch/slots=8/depth=24"] - got["batch/slots=8/depth=4"]
	t.Logf("depth 24 vs 4 at 8 slots: %d constraints per slot for the deeper paths", perSlot/8)
}

func readStats(t *testing.T) map[string]int {
	f, err := os.Open(statsFile)
	require.NoError(t, err, "run with -update to create %s", statsFile)
	defer f.Close()
	out := map[string]int{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		var name string
		var n int
		_, err := fmt.Sscanf(line, "%s %d", &name, &n)
		require.NoError(t, err, "bad line %q", line)
		out[name] = n
	}
	return out
}

func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	for i := range keys {
		for j := i + 1; j < len(keys); j++ {
			if keys[j] < keys[i] {
				keys[i], keys[j] = keys[j], keys[i]
			}
		}
	}
	return keys
}

// BenchmarkBatchCircuitSize compiles the production batch circuits (depth
// 24, 8 and 32 slots) and reports constraints per slot, header included.
func BenchmarkBatchCircuitSize(b *testing.B) {
	for _, slots := range []int{SmallBatchSlots, LargeBatchSlots} {
		b.Run(fmt.Sprintf("slots=%d", slots), func(b *testing.B) {
			var n int
			for b.Loop() {
				cs, err := frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, NewBatchCircuit(slots, 24))
				require.NoError(b, err)
				n = cs.GetNbConstraints()
			}
			b.ReportMetric(float64(n), "constraints")
			b.ReportMetric(float64(n)/float64(slots), "constraints/slot")
		})
	}
}
