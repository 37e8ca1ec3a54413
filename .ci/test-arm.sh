#!/usr/bin/env bash
# Runs the test suite for the Pis' CPUs under qemu-user, on any amd64 Linux box:
#   linux/arm GOARM=6  (Pi Zero/1, and 32-bit Raspberry Pi OS on any Pi)
#   linux/arm64        (Pi 3/4/5/Zero 2 W with 64-bit Raspberry Pi OS)
# 32-bit ARM is where unaligned 64-bit atomics panic and int (32 bits) overflows in
# tick/nanosecond math; amd64 hides both.
#
# Usage: .ci/test-arm.sh [go test packages...]     (default ./...)
# Env:   ARCHES="arm arm64"  which to run
#        ARM_TEST_BUDGET=720 seconds for the whole script (default 12 min)
#        ARM_TEST_FLAGS="-short" extra go test flags (default -short)
#
# Cross-compiled test binaries are static (CGO off) and run through `go test -exec
# qemu-arm` / `qemu-aarch64` (Debian package qemu-user), so no binfmt_misc is needed.
# The race detector does not exist for linux/arm; run -race on amd64 (make test).
set -euo pipefail

cd "$(dirname "$0")/.."
budget=${ARM_TEST_BUDGET:-720}
arches=${ARCHES:-"arm arm64"}
flags=${ARM_TEST_FLAGS:--short}
pkgs=("$@")
[ ${#pkgs[@]} -gt 0 ] || pkgs=(./...)
start=$SECONDS

need_qemu() {
  local missing=()
  for a in $arches; do
    case $a in
      arm) command -v qemu-arm >/dev/null || missing+=(qemu-arm) ;;
      arm64) command -v qemu-aarch64 >/dev/null || missing+=(qemu-aarch64) ;;
      *) echo "test-arm: unknown arch $a (want arm or arm64)" >&2; exit 2 ;;
    esac
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "test-arm: ${missing[*]} missing; installing qemu-user" >&2
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  if ! { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq qemu-user >/dev/null; }; then
    echo "test-arm: could not install qemu-user; run: apt-get install -y qemu-user" >&2
    exit 1
  fi
}
need_qemu

export CGO_ENABLED=0 GOOS=linux
status=0
for a in $arches; do
  left=$((budget - (SECONDS - start)))
  if [ "$left" -le 20 ]; then
    echo "test-arm: out of time budget (${budget}s) before $a" >&2
    exit 1
  fi
  case $a in
    # arm1176 is the Pi Zero/1's CPU: ARMv6 + VFPv2, 64-bit atomics via kernel helpers.
    arm) exe=qemu-arm; export GOARCH=arm GOARM=6 QEMU_CPU=arm1176 ;;
    arm64) exe=qemu-aarch64; export GOARCH=arm64; unset GOARM QEMU_CPU ;;
  esac
  echo "== go test ${flags} (GOARCH=$GOARCH${GOARM:+ GOARM=$GOARM}, $exe, ${left}s left) ${pkgs[*]}"
  t0=$SECONDS
  # Per-binary timeout inside go test; the outer timeout bounds compile + run.
  # shellcheck disable=SC2086
  if timeout -k 10 "$left" go test $flags -count=1 -p 2 -timeout 4m -exec "$exe" "${pkgs[@]}"; then
    echo "== $a ok in $((SECONDS - t0))s"
  else
    rc=$?
    [ "$rc" -eq 124 ] && echo "test-arm: $a hit the time budget" >&2
    echo "== $a FAILED (exit $rc) after $((SECONDS - t0))s" >&2
    status=1
  fi
done
echo "test-arm: done in $((SECONDS - start))s"
exit $status
