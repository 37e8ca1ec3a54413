#!/bin/sh
# Install cattease as a systemd service (see deploy/README.md). Idempotent: run it again
# to upgrade the binary and the unit; an existing /etc/cattease/rules.yaml is never
# overwritten.
#
#   sudo deploy/install.sh [--binary FILE] [--rules FILE] [--dry-run]
#   DESTDIR=/tmp/root deploy/install.sh ...   # stage into a directory (no user, no systemctl)
#
# It creates the system user cattease (groups gpio and i2c, those that exist), installs
# the binary as /usr/local/bin/cattease, rules.yaml into /etc/cattease/ (unless one is
# there), the unit into /etc/systemd/system/ (with the sysfspwm.conf drop-in if the rules
# use driver: sysfspwm), the state directory /var/lib/cattease (mode 0700), and runs
# systemctl daemon-reload. It does not enable or start the service.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
binary=""
rules="$top/rules.yaml"
dry=0
DESTDIR=${DESTDIR:-}
user=cattease

usage() {
	sed -n '2,13s/^# \{0,1\}//p' "$0"
	exit "$1"
}

while [ $# -gt 0 ]; do
	case "$1" in
	--binary) binary=$2; shift 2 ;;
	--binary=*) binary=${1#*=}; shift ;;
	--rules) rules=$2; shift 2 ;;
	--rules=*) rules=${1#*=}; shift ;;
	--dry-run|-n) dry=1; shift ;;
	-h|--help) usage 0 ;;
	*) echo "install.sh: unknown argument $1" >&2; usage 2 >&2 ;;
	esac
done

if [ -z "$binary" ]; then
	if [ -x "$top/cattease" ]; then
		binary="$top/cattease"
	else
		echo "install.sh: no binary: run make build (or make pi) and pass --binary FILE" >&2
		exit 2
	fi
fi
for f in "$binary" "$rules" "$here/cattease.service"; do
	if [ ! -f "$f" ]; then
		echo "install.sh: $f: no such file" >&2
		exit 2
	fi
done

# run prints a command, then runs it unless --dry-run.
run() {
	echo "+ $*"
	if [ "$dry" = 0 ]; then
		"$@"
	fi
}

if [ -z "$DESTDIR" ] && [ "$dry" = 0 ] && [ "$(id -u)" != 0 ]; then
	echo "install.sh: run as root (sudo), or with --dry-run or DESTDIR=…" >&2
	exit 1
fi

# 1. The system user, in the hardware groups that exist on this machine.
groups=""
for g in gpio i2c; do
	if getent group "$g" >/dev/null 2>&1; then
		groups="${groups:+$groups,}$g"
	else
		echo "note: no group $g here; on Raspberry Pi OS it owns the /dev nodes cattease opens" >&2
	fi
done
if [ -n "$DESTDIR" ]; then
	echo "DESTDIR set: not creating user $user (groups: ${groups:-none})"
elif id "$user" >/dev/null 2>&1; then
	if [ -n "$groups" ]; then
		run usermod --append --groups "$groups" "$user"
	fi
else
	run useradd --system --user-group --no-create-home --home-dir /var/lib/cattease \
		--shell /usr/sbin/nologin ${groups:+--groups "$groups"} "$user"
fi

# 2. Binary, configuration, unit, state directory.
run install -d -m 0755 "$DESTDIR/usr/local/bin" "$DESTDIR/etc/cattease" "$DESTDIR/etc/systemd/system"
run install -m 0755 "$binary" "$DESTDIR/usr/local/bin/cattease"
if [ -e "$DESTDIR/etc/cattease/rules.yaml" ]; then
	echo "keeping $DESTDIR/etc/cattease/rules.yaml (compare with $rules after an upgrade)"
else
	run install -m 0644 "$rules" "$DESTDIR/etc/cattease/rules.yaml"
fi
run install -m 0644 "$here/cattease.service" "$DESTDIR/etc/systemd/system/cattease.service"
dropin="$DESTDIR/etc/systemd/system/cattease.service.d/sysfspwm.conf"
if grep -Eq '^[[:space:]]*driver:[[:space:]]*sysfspwm' "$DESTDIR/etc/cattease/rules.yaml" 2>/dev/null ||
	{ [ "$dry" = 1 ] && [ ! -e "$DESTDIR/etc/cattease/rules.yaml" ] && grep -Eq '^[[:space:]]*driver:[[:space:]]*sysfspwm' "$rules"; }; then
	run install -d -m 0755 "$(dirname "$dropin")"
	run install -m 0644 "$here/sysfspwm.conf" "$dropin"
elif [ -e "$dropin" ]; then
	run rm -f "$dropin"
fi
run install -d -m 0700 "$DESTDIR/var/lib/cattease"
if [ -z "$DESTDIR" ]; then
	run chown "$user:$user" /var/lib/cattease
fi

# 3. Tell systemd, check the rules with the installed binary.
if [ -z "$DESTDIR" ] && [ -d /run/systemd/system ]; then
	run systemctl daemon-reload
elif [ -z "$DESTDIR" ]; then
	echo "systemd is not running here: skipping systemctl daemon-reload"
fi
if [ "$dry" = 0 ] && "$DESTDIR/usr/local/bin/cattease" version >/dev/null 2>&1; then
	"$DESTDIR/usr/local/bin/cattease" check -c "$DESTDIR/etc/cattease/rules.yaml"
fi

cat <<EOF

Installed. Next, on the Pi:
  sudo -u $user cattease halt -c /etc/cattease/rules.yaml      # must succeed
  sudo -u $user cattease jog -c /etc/cattease/rules.yaml pan 0 # servo to centre
  sudo systemctl enable --now cattease
  journalctl -u cattease -f
The panel token is created at the first start in /var/lib/cattease/cattease-token.
EOF
