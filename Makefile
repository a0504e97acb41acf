# StreamHive. `make run` and `make test` set everything up on a fresh
# Debian 12 machine that has only Go installed.

GO        ?= go
BIN       := bin/streamhive
CHAOS_BIN := bin/streamhive-chaos
# The packages whose tests make test runs, under the race detector.
RACE_PKGS := ./actors/... ./supervision/... ./gateway/... ./media/... ./protocols/... ./cmd/...
TEST_FLAGS := -race -count=1 -timeout 15m
FUZZTIME  ?= 10s
# make test fuzzes each target for a second, a smoke run that keeps CI's
# 2 cores well inside their budget (the seeds run in the unit tier
# anyway); `make fuzz` keeps FUZZTIME (and `make fuzz FUZZTIME=40s` is
# the sweep to run before a release).
TEST_FUZZTIME ?= 1s
GOLANGCI  := $(shell $(GO) env GOPATH)/bin/golangci-lint

.PHONY: all deps test-deps build build-chaos run test unit e2e fuzz bench chaos lint generate player-assets clean

all: build

## deps: install the Debian packages that are missing (as root or through sudo)
deps:
	@bash scripts/deps.sh

## test-deps: deps, plus Chromium, npm and the pinned hls.js/dash.js for the browser test
test-deps:
	@bash scripts/deps.sh test
	@bash scripts/player-deps.sh

## build: compile the server and tools into bin/
build: deps
	$(GO) build -o bin/ ./cmd/...

## build-chaos: the server with the chaos fault hook (-tags chaos), for make chaos
build-chaos: deps
	$(GO) build -tags chaos -o $(CHAOS_BIN) ./cmd/streamhive

## run: build and start the server on its embedded default config
run: build
	@echo "StreamHive is starting on its embedded default config:"
	@echo "  Web UI        http://127.0.0.1:8080/"
	@echo "  Control API   http://127.0.0.1:8080/streamer/api/v3/streams"
	@echo "  HLS           http://127.0.0.1:8080/demo/index.m3u8"
	@echo "  DASH          http://127.0.0.1:8080/demo/index.mpd"
	@echo "  Player        http://127.0.0.1:8080/demo/embed.html"
	@echo "  Preview       http://127.0.0.1:8080/demo/preview.jpg"
	@echo "  Metrics       http://127.0.0.1:8080/metrics"
	@echo "  Publish RTMP  rtmp://127.0.0.1:1935/live/NAME   (SRT 9998, RTSP 8554)"
	./$(BIN)

## test: vet (both tiers), the import rules, the unit tier and the end-to-end
##       tier under the race detector, a short fuzz run
test: test-deps
	$(GO) vet ./...
	$(GO) vet -tags e2e ./...
	$(GO) vet -tags chaos ./actors/input
	@bash scripts/imports.sh
	@bash scripts/actorsize.sh
	@bash scripts/archdoc.sh
	$(GO) test $(TEST_FLAGS) $(RACE_PKGS)
	@bash scripts/e2e.sh $(TEST_FLAGS)
	$(MAKE) --no-print-directory fuzz FUZZTIME=$(TEST_FUZZTIME)

## unit: the unit tier alone: every test that needs no ffmpeg, ffprobe or
##       Chromium (plain `go test ./...` runs it too, without the race detector)
unit:
	$(GO) test $(TEST_FLAGS) $(RACE_PKGS)

## e2e: the end-to-end tier alone: the tests tagged //go:build e2e, which run
##      ffmpeg, ffprobe or Chromium against real servers
e2e: test-deps
	@bash scripts/e2e.sh $(TEST_FLAGS)

## fuzz: run each parser's fuzz target briefly
fuzz:
	@bash scripts/fuzz.sh $(FUZZTIME)

## bench: benchmarks and load generators; figures go to bench/RESULTS.md
##        (MEDIAMTX=/path/to/mediamtx also loads mediamtx and prints ratios;
##        LOADGEN_FLAGS overrides the modest default load; FANOUT_FLAGS the
##        cluster fan-out's, e.g. FANOUT_FLAGS='-viewers 500 -duration 30s')
LOADGEN_FLAGS ?= -n 1,10 -viewers 2 -duration 10s
FANOUT_FLAGS ?= -viewers 50 -duration 10s
INGEST_FLAGS ?= -n 10,50 -duration 20s
PLAY_FLAGS ?= -viewers 10,100 -duration 20s
LATENCY_FLAGS ?= -duration 15s -rounds 2
VOD_FLAGS ?= -window 10s
bench: build
	$(GO) test -run '^$$' -bench . -benchmem -count 3 ./bench/...
	$(GO) run ./bench/loadgen $(LOADGEN_FLAGS)
	$(GO) run ./bench/ingest $(INGEST_FLAGS)
	$(GO) run ./bench/play $(PLAY_FLAGS) $(if $(MEDIAMTX),-mediamtx $(MEDIAMTX))
	$(GO) run ./bench/fanout $(FANOUT_FLAGS)
	$(GO) run ./bench/latency $(LATENCY_FLAGS) $(if $(MEDIAMTX),-mediamtx $(MEDIAMTX))
	$(GO) run ./bench/vod $(VOD_FLAGS)

## chaos: the fault-injection scenarios against the real server and ffmpeg
##        publishers (a few minutes); the table goes to chaos/RESULTS.md.
##        Then the DVR is SIGKILLed mid-write DVR_KILLS times and every
##        recorded segment must still decode.
CHAOS_FLAGS ?=
DVR_KILLS ?= 10
chaos: build-chaos
	$(GO) test -race -count=1 ./chaos/...
	$(GO) test -race -count=1 -tags chaos -run Chaos ./actors/input
	$(GO) run ./chaos/cmd/chaos -bin $(CHAOS_BIN) -out chaos/RESULTS.md $(CHAOS_FLAGS)
	STREAMHIVE_DVR_KILLS=$(DVR_KILLS) $(GO) test -tags e2e -race -count=1 -run '^TestDVRRecordsAcrossRestartsAndKills$$' -v ./cmd/streamhive

## lint: golangci-lint with the import rules of ARCHITECTURE.md
lint:
	@test -x $(GOLANGCI) || $(GO) install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@v2.13.1
	$(GOLANGCI) run ./...

## generate: regenerate committed generated code
generate:
	$(GO) generate ./...

## player-assets: regenerate the embed page's hls.js and dash.js
##                (gateway/web/assets, committed) from the npm packages
##                pinned in cmd/streamhive/testdata/player; needs npm
player-assets:
	@bash scripts/player-assets.sh

clean:
	rm -rf bin
