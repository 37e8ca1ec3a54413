#!/bin/sh
# Check deploy/cattease.service the way systemd will read it, without installing it:
#   systemd-analyze verify                      must be clean
#   systemd-analyze security --offline=yes      exposure must be 2.5 or less
#
#   deploy/check-unit.sh [--binary FILE]        (default: ./cattease; make check-unit builds it)
#
# verify insists that every Exec*= binary exists, so the unit is staged with
# install.sh into a temporary DESTDIR and its /usr/local/bin/cattease paths point
# there; nothing outside that directory is touched.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
binary="$(dirname "$here")/cattease"
if [ "${1:-}" = "--binary" ]; then binary=$2; fi
command -v systemd-analyze >/dev/null || { echo "check-unit.sh: systemd-analyze not found (apt-get install systemd)" >&2; exit 2; }

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
DESTDIR=$root "$here/install.sh" --binary "$binary" >/dev/null
sed "s#/usr/local/bin/cattease#$root/usr/local/bin/cattease#g" \
	"$root/etc/systemd/system/cattease.service" >"$root/cattease.service"

out=$(systemd-analyze verify "$root/cattease.service" 2>&1) || { echo "$out"; exit 1; }
if [ -n "$out" ]; then
	echo "systemd-analyze verify is not clean:"; echo "$out"; exit 1
fi
echo "systemd-analyze verify: clean"
status=0
out=$(systemd-analyze security --offline=yes --threshold=25 "$here/cattease.service" 2>&1) || status=$?
echo "$out" | tail -n 1
if [ "$status" != 0 ]; then
	echo "$out"; echo "check-unit.sh: exposure above 2.5" >&2; exit 1
fi
