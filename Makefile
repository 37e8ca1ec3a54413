# cattease — see README.md. Every target works offline once modules are
# downloaded (go mod download).

GO      ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X main.version=$(VERSION)
PKGS    := ./...

.PHONY: all build test test-long vet demo pi windows install check-unit bench pgo fuzz test-arm clean

all: build

# Static (CGO_ENABLED=0), as the Pi builds below: the same kind of binary on a
# laptop and on the Pi, no libc to match, and 1.3 MiB less resident memory.
build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o cattease ./cmd/cattease

# vet + every test under the race detector, then the safety property test
# at full size (10^5 random rigs) without it, where it runs ten times faster.
test: vet
	$(GO) test -race -count=1 -timeout 20m $(PKGS)
	$(GO) test -count=1 -timeout 10m -run 'RandomScenarios|OldGeneratorSeeds' ./control/play

# Millions of random rigs against the safety monitor (an hour or so).
test-long:
	$(GO) test -count=1 -timeout 0 -run 'RandomScenarios' ./control/play -long

# vet for Linux, then for the streamer's own computer: Windows (and macOS),
# which runs the demo, the overlay, the chat side and --rig, and for the
# 32-bit Pi (an int there is 32 bits). Every package and its tests must
# build there.
vet:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet $(PKGS)
	GOOS=windows GOARCH=amd64 $(GO) vet $(PKGS)
	GOOS=linux GOARCH=arm GOARM=6 $(GO) vet $(PKGS)
	GOOS=darwin GOARCH=arm64 $(GO) vet $(PKGS)

# The dry-run demo: type 左 / 右3 / 激光 / @mod 房管: 停 and watch the mock rig.
# @guard1 / @medal5 type as a guard or a fan-medal holder; 猫奴 SC 30元 … and
# 猫奴 送 小心心 ×3 are gifts (danmu/console).
# cmd/cattease's TestDemoHints checks that every hint below is accepted.
# make demo RULES=rules.wand.yaml plays with the feather wand instead.
RULES ?= rules.yaml
demo: build
ifneq ($(RULES),rules.wand.yaml)
	@echo "Type chat lines (左, 右3, 上, 激光, @guard1 猫奴: 画圈, @medal5 粉丝: 之字, 左3+上2, 猫奴 SC 30元 加油, 猫奴 送 小心心 ×3, @mod 房管: 禁言 捣蛋鬼 10m, 投票, @mod 房管: 停 …); Ctrl-D ends."
else
	@echo "Type chat lines (摇, 甩, 逗, 藏, 抖, 左3, 上, 抓, @mod 房管: 停 …); Ctrl-D ends."
endif
	@echo "像观众一样输入弹幕（如上面的例子），一行一条；按 Ctrl-D 结束。"
	./cattease run --dry-run --stdin -c $(RULES)

# Static binaries for the Pi: armv6 (Zero, Zero W, 1), armv7 (2–5, Zero 2 W 32-bit), arm64 (3, 4, 5, Zero 2 W 64-bit).
pi:
	mkdir -p dist
	CGO_ENABLED=0 GOOS=linux GOARCH=arm GOARM=6 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o dist/cattease-linux-armv6 ./cmd/cattease
	CGO_ENABLED=0 GOOS=linux GOARCH=arm GOARM=7 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o dist/cattease-linux-armv7 ./cmd/cattease
	CGO_ENABLED=0 GOOS=linux GOARCH=arm64 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o dist/cattease-linux-arm64 ./cmd/cattease

# For the computer that runs OBS and reads chat, when it runs Windows: the
# demo, the overlay and panel, a real room with --dry-run, and --rig to a
# Pi's cattease agent. halt, jog and the hardware drivers are the Pi's.
windows:
	mkdir -p dist
	CGO_ENABLED=0 GOOS=windows GOARCH=amd64 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o dist/cattease-windows-amd64.exe ./cmd/cattease

# Install as a systemd service on this machine: user, binary, /etc/cattease, unit, state
# directory (deploy/install.sh; see deploy/README.md). Build first, as yourself:
#   make build && sudo make install        DESTDIR=/tmp/root make install stages instead;
#                                           the rules installed stay (the first time: rules.yaml).
#   sudo make install RULES=my-rules.yaml   installs your rules if /etc/cattease has none, and
#                                           stops if it has others; REPLACE_RULES=1 replaces them
#                                           (the old kept as rules.yaml.old).
install:
	DESTDIR='$(DESTDIR)' ./deploy/install.sh --binary ./cattease \
		$(if $(filter-out default file,$(origin RULES)),--rules '$(RULES)') \
		$(if $(filter 1 yes true,$(REPLACE_RULES)),--replace-rules)

# systemd-analyze verify (clean) and security --offline (exposure <= 2.5) on the unit,
# without installing it.
check-unit: build
	./deploy/check-unit.sh --binary ./cattease

bench:
	$(GO) test -run '^$$' -bench . -benchmem -count=1 $(PKGS)

# Refresh cmd/cattease/default.pgo, the CPU profile `go build` optimises the
# binary with (profile-guided optimisation: hot calls inlined, on every
# GOARCH): a replay of 1M events, Bilibili frames decoded, and the live path
# from the fake server to the engine. Rerun after large changes to those.
pgo:
	set -e; t=$$(mktemp -d); trap 'rm -rf "$$t"' EXIT; \
	$(GO) test -run '^$$' -bench 'CLIReplay$$' -benchtime 3x -o $$t/cmd.test -cpuprofile $$t/replay.pprof ./cmd/cattease; \
	$(GO) test -run '^$$' -bench 'DecisionLatency' -benchtime 1x -o $$t/cmd.test -cpuprofile $$t/live.pprof ./cmd/cattease; \
	$(GO) test -run '^$$' -bench 'DecodeBrotliFrame20/wire|EndToEndLoopback' -benchtime 2s -o $$t/bili.test -cpuprofile $$t/bili.pprof ./danmu/bilibili; \
	$(GO) tool pprof -proto $$t/replay.pprof $$t/live.pprof $$t/bili.pprof > $$t/default.pgo; \
	mv $$t/default.pgo cmd/cattease/default.pgo

# A short, bounded run of every fuzz target (FUZZTIME each).
FUZZTIME ?= 10s
fuzz:
	FUZZTIME=$(FUZZTIME) bash .ci/fuzz.sh

# The whole suite for linux/arm (GOARM=6) and linux/arm64 under qemu-user.
test-arm:
	bash .ci/test-arm.sh

clean:
	rm -rf cattease dist
