# Keel build targets. `make test` is what CI runs (through .ci/run).
GO        ?= go
FUZZTIME  ?= 10s
BENCHTIME ?= 1s

.PHONY: build test test-short bench bench-256 constraints constraints-update lint fuzz contracts crash mutate ceremony web

build:
	$(GO) build ./...

## test: vet, then every test, the slow ones (real proofs) included.
test: lint
	$(GO) test -timeout 20m ./...

## test-short: the quick tier (no proving); under 3 minutes on 2 cores.
test-short:
	$(GO) test -short -timeout 3m ./...

## crash: the crash suite's long run: 20 SIGKILLs of a node process under
## load (make test runs 3).
crash:
	KEEL_CRASH_KILLS=20 $(GO) test ./cmd/keel -run TestCrashSuite -count=1 -v -timeout 40m

## ceremony: a real three-party key ceremony with the CLI (depth 4, 2-slot
## batches and the exit circuit), then a node that proves with the sealed
## keys on a separate L1, and an exodus exit with the sealed exit key
## (about 50 minutes on 2 cores).
ceremony:
	KEEL_CEREMONY=1 $(GO) test ./cmd/keel -run TestCeremonyEndToEnd -count=1 -v -timeout 110m

## bench: the benchmarks whose figures the README quotes.
bench:
	$(GO) test -run '^$$' -bench . -benchtime $(BENCHTIME) ./...

## bench-256: a real 256-slot batch: dev setup (about 20 minutes on 2 cores
## the first time, cached), two proofs, and the commits on the embedded L1;
## reports setup and proof time, peak RSS and gas a transfer.
bench-256:
	KEEL_BENCH_256=1 $(GO) test -run '^$$' -bench Commit256 -benchtime 1x -timeout 3h ./l1contracts

## constraints: compile every pinned circuit, the 32, 128 and 256-slot
## production circuits included (minutes and about 10 GiB), and compare
## their counts with circuits/constraints.txt; make test compares the small
## ones. constraints-update rewrites the file after a deliberate change.
constraints:
	$(GO) test ./circuits -run TestConstraintCounts -large -count=1 -v -timeout 60m
constraints-update:
	$(GO) test ./circuits -run TestConstraintCounts -large -update -count=1 -v -timeout 60m

## mutate: delete each assertion of the batch and exit circuits in turn, run
## the soundness suites, and list the assertions no test guards.
mutate:
	$(GO) run ./internal/mutate

## lint: formatting and go vet.
lint:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go')); \
	if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	GOOS=js GOARCH=wasm $(GO) vet ./wasm/...

## fuzz: run every native fuzz target for FUZZTIME each, printing its
## executions. New corpus entries stay in the Go build cache; failures are
## written to the package's testdata/fuzz, where `go test` replays them.
fuzz:
	@for pkg in $$($(GO) list ./...); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "== $$pkg $$f"; \
	    $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 1s $$pkg > .fuzz.log 2>&1 \
	      || { cat .fuzz.log; rm -f .fuzz.log; exit 1; }; \
	    grep 'execs:' .fuzz.log | tail -1; \
	  done; \
	done; rm -f .fuzz.log

## web: rebuild the web app's generated files: the vendored uPlot (pinned
## by web/package-lock.json) and the wallet's WebAssembly module and its
## loader (go generate ./web). The results are committed.
web:
	cd web && npm ci --no-audit --no-fund --silent
	cp web/node_modules/uplot/dist/uPlot.iife.min.js web/node_modules/uplot/dist/uPlot.min.css web/static/vendor/
	cp web/node_modules/uplot/LICENSE web/static/vendor/uPlot.LICENSE
	$(GO) generate ./web/

## contracts: regenerate the Solidity sources made from Go (the verifier
## template, Poseidon2), compile with the pinned solc-js, and regenerate the
## abigen v2 bindings. Needs Node and npm; the results are committed.
ABIGEN = $(GO) run github.com/ethereum/go-ethereum/cmd/abigen@v1.17.10
contracts:
	cd l1contracts && npm ci --no-audit --no-fund --silent
	$(GO) run ./l1contracts/internal/gen/verifier
	$(GO) run ./l1contracts/internal/gen/poseidon2 -out l1contracts/src/Poseidon2.sol
	node l1contracts/compile.js
	$(ABIGEN) --v2 --abi l1contracts/build/Rollup.abi --bin l1contracts/build/Rollup.bin --pkg l1contracts --type Rollup --out l1contracts/rollup_binding.go
	$(ABIGEN) --v2 --abi l1contracts/build/Verifier.abi --bin l1contracts/build/Verifier.bin --pkg l1contracts --type Verifier --out l1contracts/verifier_binding.go
	$(ABIGEN) --v2 --abi l1contracts/build/Poseidon2Harness.abi --bin l1contracts/build/Poseidon2Harness.bin --pkg l1contracts --type Poseidon2Harness --out l1contracts/poseidon2harness_binding_test.go
	$(ABIGEN) --v2 --abi l1contracts/build/ReentrantClaimer.abi --bin l1contracts/build/ReentrantClaimer.bin --pkg l1contracts --type ReentrantClaimer --out l1contracts/reentrantclaimer_binding_test.go
