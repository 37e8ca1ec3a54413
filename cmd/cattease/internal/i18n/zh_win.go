package i18n

import "maps"

// zhWin: what the Windows build says of the parts that are the Pi's
// (halt, the servos and the laser's switch), and the pid file's lock.
// (Not zh_windows.go: that name would build it on Windows alone.)
var zhWin = map[string]string{
	"halt switches off a Raspberry Pi's servos and laser and runs only there (Linux): sudo cattease halt -c /etc/cattease/rules.yaml on the Pi. Here on Windows no hardware is driven: end a run with Ctrl-C; a moderator's stop command or the panel's emergency stop stops the rig": "halt 用来关掉树莓派上的舵机和激光，只能在树莓派（Linux）上运行：在树莓派上执行 sudo cattease halt -c /etc/cattease/rules.yaml。这台 Windows 电脑不驱动任何硬件：按 Ctrl-C 结束运行；房管发“停”或控制面板上的急停按钮可以让装置急停",
	"these rules drive real hardware (driver %s), which only a Raspberry Pi (Linux) can: on Windows add --dry-run (mock outputs, same limits), or run cattease agent on the Pi and drive it from here with --rig":                                                                     "这份规则要驱动真实硬件（driver %s），只有树莓派（Linux）能做到：在 Windows 上请加 --dry-run（模拟装置，限制完全相同），或者在树莓派上运行 cattease agent，再在这里用 --rig 驱动它",
	"locked by another process": "已被另一个进程锁定",
}

// The table is built at the first use (zhTable), after every init.
func init() { maps.Copy(zhCLIMore, zhWin) }
