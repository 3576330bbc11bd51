# etcdlab — build, test and run.
#
#   make run    build everything, start a local cluster and serve the lessons
#   make test   the whole test suite (under ~10 minutes on 2 cores)
#   make wasm   the browser build
#   make bench  Go benchmarks of the core
#   make soak   long randomized simulation runs (100,000+ seeds)
#   make fuzz   fuzzing of the parsers and decoders

GO       ?= go
GOROOT   := $(shell $(GO) env GOROOT)
WASMEXEC := $(GOROOT)/lib/wasm/go_js_wasm_exec
SOAK_SEEDS ?= 100000
FUZZTIME ?= 60s

.PHONY: all build run test test-go test-wasm vet wasm bench soak fuzz clean

all: build

build:
	$(GO) build ./...

run: build
	@echo "make run: the daemon and the lessons site are not built yet;"
	@echo "meanwhile, here is a scenario on the simulated cluster:"
	$(GO) run ./native/cmd/etcdlab sim run core/scenario/testdata/election/initial_election.scn

test: vet test-go test-wasm

vet:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go')); \
	  if [ -n "$$unformatted" ]; then echo "gofmt would change:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...

test-go:
	$(GO) test -count=1 -timeout 20m ./...

# The core must build for the browser, and a scenario run there must give the
# very trace it gives here (the golden files are shared by both runs).
test-wasm:
	GOOS=js GOARCH=wasm $(GO) build ./core/...
	@if command -v node >/dev/null 2>&1; then \
	  echo "running the scenario goldens under GOOS=js with node"; \
	  GOOS=js GOARCH=wasm $(GO) test -count=1 -exec="$(WASMEXEC)" -run 'TestScenarios|TestCoreIsPure' ./core/...; \
	else echo "node is not installed: skipping the js/wasm trace comparison"; exit 1; fi

wasm:
	@echo "make wasm: the browser app (wasm/) does not exist yet."

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./core/...

soak:
	ETCDLAB_SOAK_SEEDS=$(SOAK_SEEDS) $(GO) test -count=1 -timeout 0 -run 'TestRandomized' ./core/sim/

fuzz:
	@echo "make fuzz: no fuzz targets yet."

clean:
	rm -rf site/dist
