package vm

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// BenchmarkTreeSetMem measures leaf updates at production depth over an
// empty MemStore: DefaultDepth Compress calls plus map traffic per update.
func BenchmarkTreeSetMem(b *testing.B) {
	tr, err := NewTree(DefaultDepth, NewMemStore(DefaultDepth).ReaderAt(0))
	require.NoError(b, err)
	rng := rand.New(rand.NewPCG(3, 4))
	a := treeTestAccount(1)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		a.Balance = uint64(i)
		if err := tr.Set(rng.Uint64N(tr.Capacity()), a); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "updates/s")
}

var benchSink Element

func BenchmarkCompress(b *testing.B) {
	l, r := ElementFromUint64(1), ElementFromUint64(2)
	for b.Loop() {
		l = Compress(l, r)
	}
	benchSink = l
}

// BenchmarkSignVerify measures VerifyElement, the executor's per-transfer
// signature check; signing happens once, outside the timer.
func BenchmarkSignVerify(b *testing.B) {
	k := fuzzKey(b, "bench")
	msg := ElementFromUint64(42)
	sig, err := k.SignElement(msg)
	require.NoError(b, err)
	pub := k.Public()
	for b.Loop() {
		if !pub.VerifyElement(msg, sig) {
			b.Fatal("signature does not verify")
		}
	}
}
