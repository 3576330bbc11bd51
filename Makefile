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

.PHONY: all build run site test test-go test-wasm vet wasm bench soak fuzz clean

all: build

build:
	$(GO) build ./...

# For now (the daemon is not built yet): a scenario on the simulated cluster,
# then the lessons site, served until interrupted. LESSONS_ADDR picks the
# address (port 0: any free port).
LESSONS_ADDR ?= 127.0.0.1:8380

run: build site
	$(GO) run ./native/cmd/etcdlab sim run core/scenario/testdata/election/initial_election.scn
	@echo "make run: serving the lessons, the playground and the debugger (ctrl-c stops)"
	$(GO) run ./native/cmd/etcdlab lessons --listen $(LESSONS_ADDR) --dir site/dist

# The web site in site/dist: the static pages (site/*.html, css/, js/), the
# wasm app in app/ (make wasm) and lessons.json, generated from lessons/ with
# each code anchor's source. `etcdlab lessons` serves it.
site: wasm
	mkdir -p site/dist
	cp site/*.html site/dist/
	cp -R site/css site/js site/dist/
	$(GO) run ./lessons/cmd/lessons-json site/dist/lessons.json

test: vet site test-go test-wasm

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

# The browser app: etcdlab.wasm, Go's wasm_exec.js and the page that loads
# them full-window (its source is wasm/app.html), into site/dist/app/.
wasm:
	mkdir -p site/dist/app
	GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags='-s -w' -o site/dist/app/etcdlab.wasm ./wasm/
	cp $(GOROOT)/lib/wasm/wasm_exec.js site/dist/app/wasm_exec.js
	cp wasm/app.html site/dist/app/app.html
	@gzip -9 -c site/dist/app/etcdlab.wasm | wc -c | \
	  awk -v raw=$$(wc -c < site/dist/app/etcdlab.wasm) '{printf "etcdlab.wasm: %d bytes, %d gzipped (-9)\n", raw, $$1}'

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./core/...

soak:
	ETCDLAB_SOAK_SEEDS=$(SOAK_SEEDS) $(GO) test -count=1 -timeout 0 -run 'TestRandomized' ./core/sim/

fuzz:
	@echo "make fuzz: no fuzz targets yet."

clean:
	rm -rf site/dist
