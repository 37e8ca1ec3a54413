package i18n

import "maps"

// zhFirstHourConfig: the check's advice when the daily laser account has
// no place (control/config ledgerFix).
var zhFirstHourConfig = map[string]string{
	"run with --dry-run, set STATE_DIRECTORY to a writable directory, or give safety.state_file an absolute path": "加 --dry-run 运行，或者把 STATE_DIRECTORY 设成一个可写的目录，或者给 safety.state_file 写一个绝对路径",
}

// zhFirstHourLogs: the --record file's and the audit log's own messages,
// their name in the %s (logFile.logAbout).
var zhFirstHourLogs = map[string]string{
	"%s: write failed; keeping events in memory and retrying": "%s：写入失败；事件先留在内存里，稍后重试",
	"%s: writing again":             "%s：又能写入了",
	"%s: cannot list old files":     "%s：无法列出旧文件",
	"%s: cannot delete an old file": "%s：无法删除旧文件",
	"record":                        "录制文件",
	"log":                           "日志",
}

// zhFirstHour: what a streamer's first hour with a Pi meets: the GPIO
// and I²C hints of actuators/pihost, the errors of the drivers that open
// the outputs (actuators, gpioswitch, pca9685, sysfspwm), and the lines
// replay skips (danmu/replay).
var zhFirstHour = map[string]string{
	// actuators/pihost
	"GPIO and I²C need Linux (use --dry-run on this machine)":                                                                                                                          "GPIO 和 I²C 只能在 Linux 上用（这台机器上请加 --dry-run）",
	"list the names with `gpioinfo` (Debian package gpiod) or `pinctrl get`; on Raspberry Pi OS they are GPIO0..GPIO27":                                                                "用 `gpioinfo`（Debian 软件包 gpiod）或 `pinctrl get` 列出引脚名；Raspberry Pi OS 上是 GPIO0..GPIO27",
	"enable I²C with `sudo raspi-config nonint do_i2c 0` (or dtparam=i2c_arm=on in /boot/firmware/config.txt) and reboot; /dev/i2c-1 must exist and the user must be in the i2c group": "用 `sudo raspi-config nonint do_i2c 0` 打开 I²C（或者在 /boot/firmware/config.txt 里写 dtparam=i2c_arm=on），然后重启；/dev/i2c-1 必须存在，运行的用户必须在 i2c 组里",
	"no GPIO pin name given; %s": "没有写 GPIO 引脚名；%s",
	"no GPIO pin %q: %s; %s exist: can this user (uid %d) open them? add it to the gpio group; %s": "没有 GPIO 引脚 %q：%s；%s 是有的：这个用户（uid %d）能打开它们吗？把它加进 gpio 组；%s",
	"no GPIO pin %q: %s; is this a Raspberry Pi?; %s":                                              "没有 GPIO 引脚 %q：%s；这台机器是树莓派吗？%s",
	"no GPIO pin %q (have %s and %d more); %s":                                                     "没有 GPIO 引脚 %q（现有 %s，另外还有 %d 个）；%s",
	"no GPIO pin %q (have %s); %s":                                                                 "没有 GPIO 引脚 %q（现有 %s）；%s",
	"no GPIO lines registered":                                                                     "没有注册任何 GPIO 线",
	"no I²C bus named (hardware.pca9685.i2c_bus, usually \"1\")":                                   "没有写 I²C 总线（hardware.pca9685.i2c_bus，一般是 \"1\"）",
	"open I²C bus %q (have %s); %s":                                                                "打不开 I²C 总线 %q（现有 %s）；%s",
	"open I²C bus %q: %s; %s":                                                                      "打不开 I²C 总线 %q：%s；%s",
	"periph init: %w":                                                                              "periph 初始化：%w",
	// periph's reasons for a driver it skipped, as pihost quotes them
	"no GPIO chips found": "没找到 GPIO 芯片",
	"no I²C bus found":    "没找到 I²C 总线",

	// actuators
	"unsupported action":                   "不支持的动作",
	"value out of range":                   "数值超出范围",
	"halted":                               "已关停",
	"register: empty driver name":          "注册驱动：驱动名为空",
	"register %q: nil factory":             "注册驱动 %q：没有构造函数",
	"register %q: registry already in use": "注册驱动 %q：驱动表已经在用了",
	"register %q: already registered":      "注册驱动 %q：已经注册过了",
	"unknown driver %q (have %v)":          "未知的驱动 %q（现有 %v）",
	"open %s %q with %s: %w":               "用 %[3]s 打开%[1]s %[2]q：%[4]w",
	"switch":                               "开关",
	"axis":                                 "轴",

	// actuators/gpioswitch
	"%s: no pin": "%s：没有写引脚",
	"%s: %s is a PCA9685 channel; use a GPIO pin": "%s：%s 是 PCA9685 的通道；开关要用 GPIO 引脚",
	"%s: pin driver panicked: %v":                 "%s：引脚驱动崩溃（panic）：%v",
	"%s: set %s %s: %w":                           "%s：把 %s 设为 %s：%w",
	"%s: %q on a switch: %w":                      "%s：开关不能 %q：%w",
	"%s: switch value %v, want 0 or 1: %w":        "%s：开关的值是 %v，应为 0 或 1：%w",

	// actuators/pca9685
	"oscillator %d Hz outside %d..%d Hz (nominal %d)": "振荡器 %d Hz 超出 %d..%d Hz（标称 %d）",
	"nil I²C bus":                  "没有 I²C 总线",
	"I²C address %#x is not 7-bit": "I²C 地址 %#x 不是 7 位地址",
	"init at %#x on %s: %w (is the HAT powered, I²C enabled, the address right? try i2cdetect -y 1)": "初始化 %#x（在 %s 上）：%w（扩展板通电了吗？I²C 打开了吗？地址对吗？试试 i2cdetect -y 1）",
	"read MODE1: %w":                                    "读取 MODE1：%w",
	"set prescale: %w":                                  "设置预分频：%w",
	"restart: %w":                                       "重启芯片：%w",
	"all off at %#x: %w":                                "关闭 %#x 的全部通道：%w",
	"emergency stop at %#x on %s: %w":                   "急停 %#x（在 %s 上）：%w",
	"%s: channel %d outside 0..%d":                      "%s：通道 %d 超出 0..%d",
	"%s: channel %d already drives %q":                  "%s：通道 %d 已经在驱动 %q",
	"%s: pulses %v..%v are %d..%d ticks, outside 1..%d": "%s：脉冲 %v..%v 是 %d..%d 个刻度，超出 1..%d",
	"channel %d: %d ticks outside 1..%d":                "通道 %d：%d 个刻度超出 1..%d",

	// actuators/sysfspwm
	"export: %w": "导出通道：%w",
	"%s not ready (%v): %w; is the user in the gpio group, or does a udev rule for the pwm subsystem exist?": "%s 没有就绪（%v）：%w；运行的用户在 gpio 组里吗？pwm 子系统有 udev 规则吗？",
	"%s: closed: %w":                     "%s：已关闭：%w",
	"%s: stop: %w":                       "%s：停止：%w",
	"%w; left exported for a later halt": "%w；通道保持导出，留给之后的 halt",
	"%s: detach: %w":                     "%s：放松舵机：%w",
	"%s: unexport: %w":                   "%s：取消导出：%w",
	"stop: %w":                           "停止：%w",
	"no PWM chip configured (hardware.sysfspwm.chip, e.g. 1f00098000.pwm on a Pi 5)": "没有配置 PWM 芯片（hardware.sysfspwm.chip，树莓派 5 上例如 1f00098000.pwm）",
	"%s is the Pi 5 cooling fan's PWM; servos go on %s":                              "%s 是树莓派 5 散热风扇的 PWM；舵机要接在 %s 上",
	"1f00098000.pwm":                "1f00098000.pwm", // a chip's name, printed by a verb
	"1f0009c000.pwm":                "1f0009c000.pwm",
	"%s has channels 0..%d, not %d": "%s 只有通道 0..%d，没有 %d",
	"no PWM chips in %s: add dtoverlay=pwm-2chan to /boot/firmware/config.txt and reboot": "%s 里没有 PWM 芯片：在 /boot/firmware/config.txt 里加上 dtoverlay=pwm-2chan，然后重启",
	"no PWM chip %q in %s (have %s)": "%[2]s 里没有 PWM 芯片 %[1]q（现有 %[3]s）",
	"write %s to %s: %w (the service needs the sysfspwm drop-in: run deploy/install.sh again, or copy deploy/sysfspwm.conf to /etc/systemd/system/cattease.service.d/ and run systemctl daemon-reload)": "把 %s 写入 %s：%w（服务需要 sysfspwm 补充配置：再运行一次 deploy/install.sh，或者把 deploy/sysfspwm.conf 复制到 /etc/systemd/system/cattease.service.d/，再运行 systemctl daemon-reload）",
	"write %s to %s: %w":                         "把 %s 写入 %s：%w",
	"gave up after %v":                           "等了 %v，放弃",
	"%s: pulses up to %v do not fit a %v period": "%s：最长 %v 的脉冲放不进 %v 的周期",
	"%s: channel %d of %s already drives %q; give each axis its own channel": "%[1]s：%[3]s 的通道 %[2]d 已经在驱动 %[4]q；每个轴要用自己的通道",

	// danmu/replay: a line replay skips ("skipped: replay: line 4: bad event: …")
	"bad event":                              "无效的事件",
	"bad event: %v":                          "无效的事件：%v", // fmt.Errorf("%w: %v", ErrBadEvent, err): JSON's own reason
	"line %d: %w":                            "第 %d 行：%w",
	"line %d: %w: longer than %d bytes":      "第 %d 行：%w：超过 %d 字节",
	"line too long":                          "行太长",
	"%w: more after the event, from byte %d": "%w：事件后面还有别的内容，从第 %d 个字节起",
	"%w: unknown kind %q":                    "%w：未知的 kind %q",
	"%w: unknown role %q":                    "%w：未知的 role %q",
	"%w: no time":                            "%w：没有 time",
	"%w: time %s is outside the years 1970 to 2261":     "%w：时间 %s 不在 1970 到 2261 年之间",
	"%w: received %s is outside the years 1970 to 2261": "%w：接收时间 %s 不在 1970 到 2261 年之间",
	"record: %w": "录制：%w",
	// encoding/json's reasons for a line that is not an event
	"unexpected EOF":   "这一行在事件中途断了（unexpected EOF）",
	"unknown field %q": "未知的字段 %q",
}

// The table is built at the first use (zhTable), after every init.
func init() {
	maps.Copy(zhConfigMore, zhFirstHourConfig)
	maps.Copy(zhLogs, zhFirstHourLogs)
	maps.Copy(zhCLIMore, zhFirstHour)
}
