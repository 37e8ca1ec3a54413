#!/bin/sh
# Install cattease as a systemd service (see deploy/README.md). Idempotent: run it again
# to upgrade the binary and the unit; an existing /etc/cattease/rules.yaml is replaced
# only with --replace-rules (the old one kept as rules.yaml.old).
#
#   sudo deploy/install.sh [--binary FILE] [--rules FILE [--replace-rules]] [--dry-run]
#   DESTDIR=/tmp/root deploy/install.sh ...   # stage into a directory (no user, no systemctl)
#
# It checks that the binary is for this system's architecture and CPU, creates the user
# cattease (groups gpio and i2c, those that exist), installs the binary as
# /usr/local/bin/cattease, rules.yaml into /etc/cattease/ (unless one is there: then rules
# given with --rules that differ stop it, unless --replace-rules), the unit
# into /etc/systemd/system/, the state directory /var/lib/cattease (mode 0700), checks the
# rules as the service's user with its state directory, adds the sysfspwm.conf drop-in if
# they use driver: sysfspwm, and runs systemctl daemon-reload. It does not enable or
# start the service.
#
# It speaks Chinese where cattease does: CATTEASE_LANG=zh or en if set, else the first of
# LC_ALL, LC_MESSAGES and LANG that is set (zh_CN.UTF-8, zh …).
set -eu

lang=${LC_ALL:-${LC_MESSAGES:-${LANG:-}}}
case ${CATTEASE_LANG:-} in
[Zz][Hh] | [Zz][Hh][_.@-]* | [Ee][Nn]* | [Cc] | [Pp][Oo][Ss][Ii][Xx]) lang=$CATTEASE_LANG ;;
esac
case $lang in
[Zz][Hh] | [Zz][Hh][_.@-]*) zh=1 ;;
*) zh=0 ;;
esac
# say prints its first argument, or on a Chinese terminal its second.
say() {
	if [ "$zh" = 1 ]; then
		printf '%s\n' "$2"
	else
		printf '%s\n' "$1"
	fi
}

here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
binary=""
rules="$top/rules.yaml"
rules_given=0
replace_rules=0
fresh=0
dry=0
DESTDIR=${DESTDIR:-}
user=cattease

usage() {
	if [ "$zh" = 0 ]; then
		sed -n '2,15s/^# \{0,1\}//p' "$0"
		exit "$1"
	fi
	cat <<'EOF'
把 cattease 安装为 systemd 服务（见 docs/zh/hardware.md，“安装为系统服务”）。可以重复运行：再运行一次
就升级程序和服务单元；已有的 /etc/cattease/rules.yaml 只有加 --replace-rules 才会被替换（旧文件留作
rules.yaml.old）。

  sudo deploy/install.sh [--binary 文件] [--rules 文件 [--replace-rules]] [--dry-run]
  DESTDIR=/tmp/root deploy/install.sh ...   # 装进一个目录（不创建用户，不运行 systemctl）

它先确认程序文件和这个系统的架构、CPU 相符，然后创建用户 cattease（加入存在的 gpio 和 i2c 组），把程序装成
/usr/local/bin/cattease，把 rules.yaml 装进 /etc/cattease/（那里已经有一份时，--rules 给的规则和它不一样就停下，
除非加了 --replace-rules），把服务单元装进 /etc/systemd/system/，创建状态目录 /var/lib/cattease（权限 0700），
以服务的用户、用它的状态目录检查规则，规则用 driver: sysfspwm 时加上 sysfspwm.conf 补充配置，最后运行
systemctl daemon-reload。它不会启用或启动服务。
EOF
	exit "$1"
}

while [ $# -gt 0 ]; do
	case "$1" in
	--binary) binary=$2; shift 2 ;;
	--binary=*) binary=${1#*=}; shift ;;
	--rules) rules=$2; rules_given=1; shift 2 ;;
	--rules=*) rules=${1#*=}; rules_given=1; shift ;;
	--replace-rules) replace_rules=1; shift ;;
	--dry-run|-n) dry=1; shift ;;
	-h|--help) usage 0 ;;
	*) say "install.sh: unknown argument $1" "install.sh：不认识的参数 $1" >&2; usage 2 >&2 ;;
	esac
done

if [ -z "$binary" ]; then
	if [ -x "$top/cattease" ]; then
		binary="$top/cattease"
	else
		say "install.sh: no binary: run make build (or make pi) and pass --binary FILE" \
			"install.sh：没有程序文件：先运行 make build（或 make pi），再用 --binary 文件 指定它" >&2
		exit 2
	fi
fi
# The rules file is needed only when given, or when none is installed yet: an upgrade
# from the directory the guides set up (the binary, deploy/ and my-rules.yaml) has no
# rules.yaml beside deploy/.
need_rules=$rules
if [ "$rules_given" = 0 ] && [ -e "$DESTDIR/etc/cattease/rules.yaml" ]; then
	need_rules=""
fi
for f in "$binary" ${need_rules:+"$need_rules"} "$here/cattease.service"; do
	if [ ! -f "$f" ]; then
		say "install.sh: $f: no such file" "install.sh：$f：没有这个文件" >&2
		exit 2
	fi
done
case $binary in
*/*) ;;
*) binary=./$binary ;; # a bare name would be looked up in PATH when run
esac
if [ "$replace_rules" = 1 ] && [ "$rules_given" = 0 ]; then
	say "install.sh: --replace-rules needs --rules FILE: the rules to put in place of the installed ones" \
		"install.sh：--replace-rules 要和 --rules 文件 一起用：那个文件就是用来替换已装规则的规则" >&2
	exit 2
fi
# Rules given that differ from those installed: the streamer has just fitted them to the
# room (calibration, ceiling, zones). Keeping the installed ones without a word would start
# the service on the example room's limits; replacing them without a word would lose edits
# made in /etc. Neither happens unasked.
if [ "$rules_given" = 1 ] && [ "$replace_rules" = 0 ] && [ -e "$DESTDIR/etc/cattease/rules.yaml" ] &&
	! cmp -s "$rules" "$DESTDIR/etc/cattease/rules.yaml"; then
	if [ "$zh" = 1 ]; then
		cat >&2 <<EOF
install.sh：已经装了 $DESTDIR/etc/cattease/rules.yaml，它和 $rules 不一样。
什么都没改。要装 $rules，请加上 --replace-rules（已装的文件会留作
$DESTDIR/etc/cattease/rules.yaml.old）；要保留已装的规则，请去掉 --rules。
EOF
	else
		cat >&2 <<EOF
install.sh: $DESTDIR/etc/cattease/rules.yaml is installed and differs from $rules.
Nothing was changed. To install $rules, add --replace-rules (the installed file is kept as
$DESTDIR/etc/cattease/rules.yaml.old); to keep the installed rules, leave out --rules.
EOF
	fi
	exit 2
fi

# run prints a command, then runs it unless --dry-run.
run() {
	echo "+ $*"
	if [ "$dry" = 0 ]; then
		"$@"
	fi
}

if [ -z "$DESTDIR" ] && [ "$dry" = 0 ] && [ "$(id -u)" != 0 ]; then
	say "install.sh: run as root (sudo), or with --dry-run or DESTDIR=…" \
		"install.sh：请用 root 运行（sudo），或者加 --dry-run 或 DESTDIR=…" >&2
	exit 1
fi

# 0. The binary must be for this system's programs, not only its kernel: a 32-bit
# Raspberry Pi OS on a Pi 4 or 5 runs a 64-bit kernel (uname -m says aarch64), and the
# unit's SystemCallArchitectures=native then refuses an arm64 binary's system calls.
elf_arch() {
	case $(od -An -tx1 -N20 "$1" 2>/dev/null | tr -d ' \n') in
	7f454c46????????????????????????????b700) echo arm64 ;;
	7f454c46????????????????????????????2800) echo arm ;;
	7f454c46????????????????????????????3e00) echo amd64 ;;
	7f454c46????????????????????????????0300) echo 386 ;;
	7f454c46*) say "another architecture" "其他架构的" ;;
	*) say "not a Linux program" "非 Linux" ;;
	esac
}
# dpkg says armhf for ARMv6 and ARMv7 alike. A GOARM=7 build (cattease-linux-armv7) needs
# VFPv3, which the ARM1176 of a Pi 1, Zero or Zero W lacks: Go's runtime then exits at once
# ("Recompile adding ,softfloat to GOARM or changing GOARM to 6"). That core reports
# "CPU architecture: 7" in /proc/cpuinfo all the same, so the installer goes by its model
# name ("ARMv6-compatible processor … (v6l)") and its part number (0xb76). Not by the
# Features line: a 32-bit OS on a 64-bit kernel (Pi 3-5) lists arm64 features there, no
# vfpv3, and runs the ARMv7 build fine. The build says its GOARM in its build information.
# CATTEASE_CPUINFO names another cpuinfo file (for tests).
cpuinfo=${CATTEASE_CPUINFO:-/proc/cpuinfo}
tab=$(printf '\t')
goarm7() {
	LC_ALL=C grep -a -q "^build${tab}GOARM=7" "$1" 2>/dev/null
}
armv6_cpu() {
	grep -q -e '(v6l)' -e '^CPU part[[:space:]]*:[[:space:]]*0xb76' "$cpuinfo" 2>/dev/null
}
if [ -z "$DESTDIR" ] && command -v dpkg >/dev/null 2>&1; then
	system=$(dpkg --print-architecture)
	case "$system" in
	arm64) want=arm64 pick=cattease-linux-arm64 ;;
	armhf|armel) want=arm pick=$(say "cattease-linux-armv7 (Pi 2-5, Zero 2 W) or cattease-linux-armv6 (Pi 1, Zero, Zero W)" \
		"cattease-linux-armv7（树莓派 2-5、Zero 2 W）或 cattease-linux-armv6（树莓派 1、Zero、Zero W）") ;;
	amd64) want=amd64 pick=$(say "a build for amd64 (make build)" "amd64 版（make build）") ;;
	*) want="" pick="" ;;
	esac
	have=$(elf_arch "$binary")
	if [ -n "$want" ] && [ "$have" != "$want" ]; then
		say "install.sh: $binary is for $have, but this system's programs are $system (dpkg --print-architecture): use $pick" \
			"install.sh：$binary 是 $have 程序，但这个系统的程序是 $system 的（dpkg --print-architecture）：请用 $pick" >&2
		exit 1
	fi
	if [ "$have" = arm ] && goarm7 "$binary" && armv6_cpu; then
		model=$(sed -n -e 's/^model name[[:space:]]*:[[:space:]]*//p' -e 's/^Processor[[:space:]]*:[[:space:]]*//p' "$cpuinfo" | head -n 1)
		say "install.sh: $binary is an ARMv7 build (GOARM=7), but this CPU is ARMv6 (${model:-ARM1176, $cpuinfo}): a Pi 1, Zero or Zero W. Use cattease-linux-armv6 (make pi builds it)" \
			"install.sh：$binary 是 ARMv7 版（GOARM=7），但这个 CPU 是 ARMv6（${model:-ARM1176, $cpuinfo}）：树莓派 1、Zero 或 Zero W。请用 cattease-linux-armv6（make pi 会编译它）" >&2
		exit 1
	fi
fi

# 1. The system user, in the hardware groups that exist on this machine.
groups=""
for g in gpio i2c; do
	if getent group "$g" >/dev/null 2>&1; then
		groups="${groups:+$groups,}$g"
	else
		say "note: no group $g here; on Raspberry Pi OS it owns the /dev nodes cattease opens" \
			"注意：这里没有 $g 组；在 Raspberry Pi OS 上，cattease 要打开的 /dev 设备属于这个组" >&2
	fi
done
if [ -n "$DESTDIR" ]; then
	say "DESTDIR set: not creating user $user (groups: ${groups:-none})" "设置了 DESTDIR：不创建用户 $user（组：${groups:-无}）"
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
if [ -e "$DESTDIR/etc/cattease/rules.yaml" ] && [ "$replace_rules" = 1 ] &&
	! cmp -s "$rules" "$DESTDIR/etc/cattease/rules.yaml"; then
	run cp -p "$DESTDIR/etc/cattease/rules.yaml" "$DESTDIR/etc/cattease/rules.yaml.old"
	run install -m 0640 "$rules" "$DESTDIR/etc/cattease/rules.yaml"
	replaced=1
elif [ -e "$DESTDIR/etc/cattease/rules.yaml" ] && [ -f "$rules" ]; then
	say "keeping $DESTDIR/etc/cattease/rules.yaml (compare with $rules after an upgrade)" \
		"保留 $DESTDIR/etc/cattease/rules.yaml（升级之后请和 $rules 对比一下）"
elif [ -e "$DESTDIR/etc/cattease/rules.yaml" ]; then
	say "keeping $DESTDIR/etc/cattease/rules.yaml" "保留 $DESTDIR/etc/cattease/rules.yaml"
else
	run install -m 0640 "$rules" "$DESTDIR/etc/cattease/rules.yaml"
	fresh=1 # the rules as they were before calibrating and fitting the room
fi
# The rules may hold the Open Platform's 身份码 or name a cookie file: readable by root
# and the service's group only, kept so on every run (an older install made them 644).
if [ -z "$DESTDIR" ]; then
	run chgrp "$user" /etc/cattease/rules.yaml
fi
run chmod 0640 "$DESTDIR/etc/cattease/rules.yaml"
run install -m 0644 "$here/cattease.service" "$DESTDIR/etc/systemd/system/cattease.service"
run install -d -m 0700 "$DESTDIR/var/lib/cattease"
if [ -z "$DESTDIR" ]; then
	run chown "$user:$user" /var/lib/cattease
fi

# 3. Check the rules as the service will: as its user, with its state directory (files
# the rules name, such as credentials, must be readable by it and where its sandbox lets
# it see them). The check also says which servo driver the rules use, however they spell
# it; where it cannot run (a dry run or a staging with a binary for another machine, or
# rules naming the target's files), the driver is read from the file as written.
installed_rules="$DESTDIR/etc/cattease/rules.yaml"
[ -e "$installed_rules" ] || installed_rules=$rules # a dry run before the first install
driver_as_written() {
	sed -n 's/^[[:space:]]*driver:[[:space:]]*["'\'']\{0,1\}\([a-z0-9]*\).*/\1/p' "$1" | head -n 1
}
# checked_driver runs a check --driver command and prints the driver it says; if it fails,
# the driver as written, and it fails.
checked_driver() {
	"$@" || { driver_as_written "$installed_rules"; return 1; }
}
failed=0
if [ "$dry" = 1 ]; then
	say "+ cattease check --dry-run --driver -c $installed_rules   (as you: a dry run changes nothing)" \
		"+ cattease check --dry-run --driver -c $installed_rules   （以你自己的身份：演练什么都不改）"
	driver=$(checked_driver "$binary" check --dry-run --driver -c "$installed_rules") ||
		say "note: the rules do not pass check (above), or $binary does not run here" \
			"注意：规则没有通过检查（见上），或者 $binary 在这里运行不了" >&2
elif [ -n "$DESTDIR" ]; then
	driver=$(checked_driver env STATE_DIRECTORY="$DESTDIR/var/lib/cattease" "$DESTDIR/usr/local/bin/cattease" check --driver -c "$installed_rules") ||
		say "note: the staged rules were not checked here (above): the binary may be for another machine, or paths in them name the target's files" \
			"注意：装进目录的规则没有在这里检查（见上）：程序可能是给另一台机器的，或者规则里的路径指的是那台机器上的文件" >&2
else
	driver=$(checked_driver runuser -u "$user" -- env STATE_DIRECTORY=/var/lib/cattease /usr/local/bin/cattease check --driver -c /etc/cattease/rules.yaml) ||
		failed=1
fi

# The service starts `cattease run` with no --bilibili/--douyu flag: its rules must name a
# chat source, or it stops at once ("no chat source"). "?" when the rules were not checked.
if [ "$dry" = 1 ]; then
	sources=$("$binary" check --dry-run --sources -c "$installed_rules" 2>/dev/null) || sources='?'
elif [ -n "$DESTDIR" ]; then
	sources=$(env STATE_DIRECTORY="$DESTDIR/var/lib/cattease" "$DESTDIR/usr/local/bin/cattease" check --sources -c "$installed_rules" 2>/dev/null) || sources='?'
else
	sources=$(runuser -u "$user" -- env STATE_DIRECTORY=/var/lib/cattease /usr/local/bin/cattease check --sources -c /etc/cattease/rules.yaml 2>/dev/null) || sources='?'
fi
no_source_note() {
	[ -z "$sources" ] || return 0
	if [ "$zh" = 1 ]; then
		cat <<EOF

规则里还没有写弹幕来源，服务启动时也不带来源参数：请在用 --replace-rules 安装的规则里（或者用 sudoedit
在 /etc/cattease/rules.yaml 里）设好你的直播间：sources.bilibili.room、sources.bilibili_open.code 或
sources.douyu.room，否则服务一启动就会停下（“no chat source”：没有弹幕源）。
EOF
		return 0
	fi
	cat <<EOF

The rules name no chat source yet, and the service passes none: set your room,
sources.bilibili.room, sources.bilibili_open.code or sources.douyu.room, in the rules you
install with --replace-rules (or in /etc/cattease/rules.yaml, with sudoedit), or the
service stops at its start with "no chat source".
EOF
}

# 4. The sysfspwm drop-in, exactly when the rules drive the servos through sysfs.
dropin="$DESTDIR/etc/systemd/system/cattease.service.d/sysfspwm.conf"
if [ "$driver" = sysfspwm ]; then
	run install -d -m 0755 "$(dirname "$dropin")"
	run install -m 0644 "$here/sysfspwm.conf" "$dropin"
elif [ -e "$dropin" ]; then
	run rm -f "$dropin"
fi

# 5. Tell systemd.
if [ -z "$DESTDIR" ] && [ -d /run/systemd/system ]; then
	run systemctl daemon-reload
elif [ -z "$DESTDIR" ]; then
	say "systemd is not running here: skipping systemctl daemon-reload" "这里没有运行 systemd：跳过 systemctl daemon-reload"
fi

if [ "$dry" = 1 ]; then
	no_source_note
	echo
	say "Dry run: nothing was changed. Run it again as root, without --dry-run, to make the steps above." \
		"演练（--dry-run）：什么都没改。去掉 --dry-run、用 root 再运行一次，才会执行上面的步骤。"
	exit 0
fi
if [ "$failed" = 1 ] && [ "$zh" = 1 ]; then
	cat >&2 <<EOF

install.sh：都装好了，但 /etc/cattease/rules.yaml 以服务用户 $user 的身份没有通过检查（见上），所以服务会起不来。
请改好它（规则里写到的文件必须让 $user 能读：sudo install -o $user -g $user -m 600 文件 /etc/cattease/文件名），
然后再运行一次这个安装脚本：它会重新检查规则，需要的话加上 sysfspwm 补充配置。改的是 /etc/cattease/rules.yaml，
就去掉 --rules；改的是你自己的文件，就用 --rules 文件 --replace-rules 把它装进去。
EOF
	exit 1
fi
if [ "$failed" = 1 ]; then
	cat >&2 <<EOF

install.sh: everything is installed, but /etc/cattease/rules.yaml does not pass check as the
service's user $user (above), so the service would not start. Fix it (a file the rules name
must be readable by $user: sudo install -o $user -g $user -m 600 FILE /etc/cattease/NAME),
then run this installer again: it checks the rules again and adds the sysfspwm drop-in if
they need it. Having fixed /etc/cattease/rules.yaml, leave out --rules; having fixed your
own file, give it with --rules FILE --replace-rules.
EOF
	exit 1
fi
# 6. After --replace-rules: a service that is running takes the new commands at once but its
# hardware and safety limits only at a restart; one that is not must not be started before
# the rules are tried dry (docs/hardware.md, "Before the first power-on", steps 6 and 7):
# `systemctl restart` starts a stopped unit, so the real rig would move before the preview,
# and the dry run would then refuse to run beside it. Only this machine's systemd knows which:
# a staging (DESTDIR) does not ask it and says both. CATTEASE_SYSTEMCTL names the systemctl
# to ask, and makes a staging ask it too (for tests).
# An upgrade (a new binary, the rules kept) asks too: a running service goes on with the old
# binary until it restarts, and the first-install steps below (halt, jog, enable) are not for it.
service=unknown
if [ -z "$DESTDIR" ] || [ -n "${CATTEASE_SYSTEMCTL:-}" ]; then
	service=stopped
	systemctl=${CATTEASE_SYSTEMCTL:-systemctl}
	if command -v "$systemctl" >/dev/null 2>&1 && "$systemctl" is-active --quiet cattease 2>/dev/null; then
		service=running
	fi
fi
# restart_steps says why and how to restart the service, after its first argument.
restart_steps() {
	if [ "$zh" = 1 ]; then
		cat <<EOF
$1正在运行的服务马上就用上新的命令，但硬件和安全限制（校准、天花板、禁区）要等它重启之后才换。现在重启它：
  sudo systemctl restart cattease
  journalctl -u cattease -f
EOF
		return 0
	fi
	cat <<EOF
${1}A running service takes the new commands at once, but keeps its hardware and safety limits
(calibration, ceiling, keep-out zones) until it restarts. Restart it now:
  sudo systemctl restart cattease
  journalctl -u cattease -f
EOF
}
# dry_steps gives the guide's steps before a first start, after its first argument.
dry_steps() {
	if [ "$zh" = 1 ]; then
		cat <<EOF
$1先别启动它：先以服务的用户、用它的状态目录检查规则，再演练一次（docs/zh/hardware.md，“第一次通电之前”第 6 步）：
  sudo -u $user env STATE_DIRECTORY=/var/lib/cattease cattease check -c /etc/cattease/rules.yaml                  # 必须输出“没问题”
  sudo -u $user env STATE_DIRECTORY=/var/lib/cattease cattease run --dry-run --stdin -c /etc/cattease/rules.yaml  # 打开 http://127.0.0.1:8080/overlay?preview=1，输入 上5、右5、激光
然后第一次真机运行，要有人看着，手机上开着控制面板，随时准备按急停（第 7 步）：
  sudo systemctl start cattease
  journalctl -u cattease -f
都对了再 sudo systemctl enable --now cattease。
EOF
		return 0
	fi
	cat <<EOF
${1}Do not start it yet: first check the rules and try them dry, as the service's
user with its state directory (docs/hardware.md, "Before the first power-on", step 6):
  sudo -u $user env STATE_DIRECTORY=/var/lib/cattease cattease check -c /etc/cattease/rules.yaml                  # must print ok
  sudo -u $user env STATE_DIRECTORY=/var/lib/cattease cattease run --dry-run --stdin -c /etc/cattease/rules.yaml  # open http://127.0.0.1:8080/overlay?preview=1, type 上5, 右5, 激光
Then the first live run, watched, with the panel's stop button open on your phone (step 7):
  sudo systemctl start cattease
  journalctl -u cattease -f
When it is right: sudo systemctl enable --now cattease
EOF
}
if [ "${replaced:-0}" = 1 ]; then
	echo
	say "Installed, with $rules as /etc/cattease/rules.yaml (the old one kept as rules.yaml.old)." \
		"已安装：$rules 装成了 /etc/cattease/rules.yaml（旧文件留作 rules.yaml.old）。"
	case $service in
	running) restart_steps "" ;;
	stopped) dry_steps "$(say "The service is not running. " "服务没有在运行。")" ;;
	*)
		restart_steps "$(say "Staged: the machine these files are for was not asked whether the service runs there.
If it does: " "这是装进目录，没有问过那台机器上的服务在不在运行。在运行的话：")"
		dry_steps "$(say "If it does not: " "没在运行的话：")"
		;;
	esac
	no_source_note
	exit 0
fi
if [ "$service" = running ]; then
	echo
	say "Installed. The running service goes on with the old binary until it restarts; restart it now:" \
		"已安装。正在运行的服务在重启之前还用旧的程序；现在重启它："
	cat <<EOF
  sudo systemctl restart cattease
  journalctl -u cattease -f
EOF
	no_source_note
	exit 0
fi
if [ "$zh" = 1 ]; then
	cat <<EOF

已安装。接下来在树莓派上：
  sudo -u $user env STATE_DIRECTORY=/var/lib/cattease cattease halt -c /etc/cattease/rules.yaml      # 必须成功
  sudo -u $user env STATE_DIRECTORY=/var/lib/cattease cattease jog -c /etc/cattease/rules.yaml pan 0 # 舵机转到中间
启用服务之前：先校准，并按你家设好天花板、禁区、自动陪玩和安静时段（docs/zh/hardware.md，“第一次通电之前”）：
按随附的规则，启动 45 秒后就会自动陪玩，激光会亮。然后：
EOF
	if [ "$fresh" = 1 ]; then
		fitted=my-rules.yaml
		[ "$rules_given" = 0 ] || fitted=$rules
		cat <<EOF
  sudo $0 --binary $binary --rules $fitted --replace-rules
      # 把按你家改好的规则装进去替换这份，这份留作 /etc/cattease/rules.yaml.old
      # （以后的小改动：sudoedit /etc/cattease/rules.yaml）
EOF
	fi
	cat <<EOF
  sudo systemctl enable --now cattease
  journalctl -u cattease -f
面板的令牌在第一次启动时生成，放在 /var/lib/cattease/cattease-token。
EOF
	no_source_note
	exit 0
fi
cat <<EOF

Installed. Next, on the Pi:
  sudo -u $user env STATE_DIRECTORY=/var/lib/cattease cattease halt -c /etc/cattease/rules.yaml      # must succeed
  sudo -u $user env STATE_DIRECTORY=/var/lib/cattease cattease jog -c /etc/cattease/rules.yaml pan 0 # servo to centre
Before enabling: calibrate, and fit the ceiling, keep-out zones, autoplay and quiet hours
to your room (docs/hardware.md, "Before the first power-on"): as shipped, the rules
autoplay with the laser 45 s after the start. Then:
EOF
if [ "$fresh" = 1 ]; then
	fitted=my-rules.yaml
	[ "$rules_given" = 0 ] || fitted=$rules
	cat <<EOF
  sudo $0 --binary $binary --rules $fitted --replace-rules
      # installs the fitted rules over these, kept as /etc/cattease/rules.yaml.old
      # (small edits later: sudoedit /etc/cattease/rules.yaml)
EOF
fi
cat <<EOF
  sudo systemctl enable --now cattease
  journalctl -u cattease -f
The panel token is created at the first start in /var/lib/cattease/cattease-token.
EOF
no_source_note
