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

.PHONY: all build binary run site test test-go test-wasm vet wasm bench soak fuzz clean

all: build

build:
	$(GO) build ./...

# A local 3-member cluster (etcdlab up: child processes on 127.0.0.1, data in
# .etcdlab/cluster, kept across runs) and the lessons site, in one process
# tree: it prints the lessons URL, the endpoints and an etcdctl line to paste;
# one Ctrl-C stops everything. LESSONS_ADDR picks the lessons address (port 0:
# any free port); UP_FLAGS adds flags to etcdlab up (--base-port 2379 ...).
LESSONS_ADDR ?= 127.0.0.1:8380
UP_FLAGS ?=

run: binary
	bin/etcdlab up --lessons $(LESSONS_ADDR) --lessons-dir site/dist $(UP_FLAGS)

# bin/etcdlab with the built site inside (-tags embedsite, see
# site/noembed.go): `etcdlab lessons` then needs no files beside it.
binary: site
	$(GO) build -tags embedsite -o bin/etcdlab ./native/cmd/etcdlab

# The web site in site/dist: the static pages (site/*.html, css/, js/), the
# wasm app in app/ (make wasm) and lessons.json, generated from lessons/ with
# each code anchor's source. `etcdlab lessons` serves it.
site: wasm
	mkdir -p site/dist
	cp site/*.html site/dist/
	cp -R site/css site/js site/dist/
	$(GO) run ./lessons/cmd/lessons-json site/dist/lessons.json

test: vet binary test-go test-wasm

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

# The core's Go benchmarks, then (if etcd 3.4 is at $(ETCD)) a 3-member
# etcd against a 3-member etcdlab on this machine: ops/s, p50/p99/p99.9
# and the ratios (native/benchcompare). BENCH_SCALE scales the totals.
ETCD ?= /usr/bin/etcd
BENCH_SCALE ?= 0.5
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./core/...
	@if [ -x $(ETCD) ]; then \
	  $(GO) build -o /tmp/etcdlab-bench ./native/cmd/etcdlab && \
	  $(GO) run ./native/benchcompare --etcdlab /tmp/etcdlab-bench --etcd $(ETCD) --scale $(BENCH_SCALE); \
	else echo "$(ETCD) not found: skipping the comparison with etcd"; fi

soak:
	ETCDLAB_SOAK_SEEDS=$(SOAK_SEEDS) $(GO) test -count=1 -timeout 0 -run 'TestRandomized' ./core/sim/

# Each fuzz target runs for FUZZTIME; a failure leaves its input under the
# package's testdata/fuzz/ for `go test` to replay.
FUZZ_TARGETS := native/wal:FuzzScanSegment native/wal:FuzzReadAll \
	native/snap:FuzzDecodeFile native/transport:FuzzFrameReader \
	core/scenario:FuzzParse

fuzz:
	@set -e; for t in $(FUZZ_TARGETS); do \
	  pkg=$${t%%:*}; fn=$${t##*:}; \
	  echo "fuzzing $$fn in ./$$pkg for $(FUZZTIME)"; \
	  $(GO) test -run '^$$' -fuzz "^$$fn$$" -fuzztime $(FUZZTIME) ./$$pkg; \
	done

clean:
	rm -rf site/dist
