#!/usr/bin/env bash
# Instructions per DANMU_MSG on the Pis' instruction sets: the Bilibili
# scan to an Event (BenchmarkFastDanmakuWire) against its floor, brotli
# inflate and split (BenchmarkFloorBrotliFrame20), each counted under
# qemu-user by the plugin in .ci/icount.c. valgrind counts amd64 only; this
# checks that the ratio measured there holds for arm64 (64-bit Raspberry Pi
# OS) and armv7 (32-bit, what a Zero 2 W runs on the 32-bit OS).
#
# Each figure is the difference of two runs (2,000 and 12,000 messages; 100
# and 600 frames of 20), so start-up cancels. Test binaries are built with
# cmd/cattease/default.pgo, as the binary is.
#
# Usage: .ci/isa-counts.sh     Needs: go, cc, qemu-user (qemu-arm, qemu-aarch64, qemu-x86_64).
set -euo pipefail

cd "$(dirname "$0")/.."
root=$PWD
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cc -shared -fPIC -O2 -o "$tmp/icount.so" .ci/icount.c

declare -A qemu=([amd64]=qemu-x86_64 [arm64]=qemu-aarch64 [arm]=qemu-arm)

# count ARCH BENCH N: the instructions of one benchmark run of N iterations.
count() {
	local n
	(cd danmu/bilibili && GOMAXPROCS=1 GOGC=off "${qemu[$1]}" -plugin "$tmp/icount.so" "$tmp/bili.$1" \
		-test.run '^$' -test.bench "$2" -test.benchtime "$3x" >/dev/null 2>"$tmp/err") || true
	n=$(sed -n 's/^icount: //p' "$tmp/err")
	if [ -z "$n" ]; then
		echo "isa-counts: no count from ${qemu[$1]} for $2:" >&2
		cat "$tmp/err" >&2
		exit 1
	fi
	echo "$n"
}

printf '%-8s %12s %12s %10s\n' arch scan/msg floor/msg scan/floor
for arch in amd64 arm64 arm; do
	(cd danmu/bilibili && CGO_ENABLED=0 GOARCH=$arch GOARM=7 go test -c -pgo="$root/cmd/cattease/default.pgo" -o "$tmp/bili.$arch" .)
	s1=$(count $arch 'FastDanmakuWire$' 2000)
	s2=$(count $arch 'FastDanmakuWire$' 12000)
	f1=$(count $arch 'FloorBrotliFrame20$' 100)
	f2=$(count $arch 'FloorBrotliFrame20$' 600)
	awk -v a="$arch" -v s1="$s1" -v s2="$s2" -v f1="$f1" -v f2="$f2" 'BEGIN {
		s = (s2 - s1) / 10000; f = (f2 - f1) / (500 * 20)
		printf "%-8s %12.0f %12.0f %10.3f\n", (a == "arm" ? "armv7" : a), s, f, s / f }'
done
