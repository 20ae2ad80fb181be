package vm

import (
	"runtime"
	"sync"
)

// parallelFor runs f(0..n-1) on up to GOMAXPROCS goroutines, the caller's
// among them, each over a contiguous share: the loops it serves (hashes,
// curve operations) have items of equal cost, and shares keep the workers
// off one shared counter. A small loop costs at most one goroutine start
// per extra core, and the caller works instead of waiting.
func parallelFor(n int, f func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		for i := range n {
			f(i)
		}
		return
	}
	share := func(w int) {
		for i := w * n / workers; i < (w+1)*n/workers; i++ {
			f(i)
		}
	}
	var wg sync.WaitGroup
	for w := 1; w < workers; w++ {
		wg.Go(func() { share(w) })
	}
	share(0)
	wg.Wait()
}

// pairFor runs two(i, i+1) over 0..n-1 in pairs and one(n-1) on an odd
// last, on every core when parallel is set: the shape of a loop whose
// items are hashes that Compress2 can pair.
func pairFor(n int, parallel bool, one func(i int), two func(i, j int)) {
	pairs := (n + 1) / 2
	body := func(p int) {
		if i := 2 * p; i+1 < n {
			two(i, i+1)
		} else {
			one(i)
		}
	}
	if !parallel {
		for p := range pairs {
			body(p)
		}
		return
	}
	parallelFor(pairs, body)
}
