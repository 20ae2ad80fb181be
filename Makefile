# Keel build targets. `make test` is what CI runs (through .ci/run).
GO        ?= go
FUZZTIME  ?= 10s
BENCHTIME ?= 1s

.PHONY: build test test-short bench lint fuzz

build:
	$(GO) build ./...

## test: vet, then every test, the slow ones (real proofs) included.
test: lint
	$(GO) test -timeout 20m ./...

## test-short: the quick tier (no proving); under 3 minutes on 2 cores.
test-short:
	$(GO) test -short -timeout 3m ./...

## bench: the benchmarks whose figures the README quotes.
bench:
	$(GO) test -run '^$$' -bench . -benchtime $(BENCHTIME) ./...

## lint: formatting and go vet.
lint:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go')); \
	if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...

## fuzz: run every native fuzz target for FUZZTIME each.
fuzz:
	@for pkg in $$($(GO) list ./...); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "== $$pkg $$f"; \
	    $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	  done; \
	done
