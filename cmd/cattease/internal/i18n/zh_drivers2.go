package i18n

import "maps"

// zhDrivers2: the servo drivers' and halt's messages about outputs they
// could not drive as asked.
var zhDrivers2 = map[string]string{
	// actuators/pca9685: a servo write that failed part-way
	"%s: pulse %v: %w (the channel is switched off until the next command)": "%s: 脉冲 %v：%w（这个通道已关闭，直到下一条命令）",
	"%s: pulse %v: %w (switching the channel off failed too: %w)":           "%s: 脉冲 %v：%w（关闭这个通道也失败了：%w）",

	// cattease halt: a switch whose GPIO line the running instance holds
	"switch %s (%s) is held by the running cattease (pid %d), which has stopped it (its emergency stop is recorded in %s)":                                                                                                              "开关 %s（%s）被正在运行的 cattease（pid %d）占用，它已经急停（急停记录在 %s）",
	"switch %s (%s) is held by the running cattease (pid %d), so halt could not drive it itself, and that instance has not recorded an emergency stop: make sure the output is off, or stop the service (sudo systemctl stop cattease)": "开关 %s（%s）被正在运行的 cattease（pid %d）占用，halt 自己驱动不了它，而那个实例没有记录急停：请确认这个输出已经关掉，或者停掉服务（sudo systemctl stop cattease）",
	"exit status: 0 every output is off; 1 an output could not be switched off; 2 a mistake in the arguments (the outputs are halted all the same);":                                                                                    "退出码：0 所有输出都已关闭；1 有输出没能关掉；2 参数写错（输出照样关停）；",
	"3 a switch's GPIO line is held by the running cattease, which has not recorded the emergency stop: make sure the laser is off":                                                                                                     "3 某个开关的 GPIO 线被正在运行的 cattease 占用，而它没有记录急停：请确认激光已经关掉",
}

// The table is built at the first use (zhTable), after every init.
func init() { maps.Copy(zhCLIMore, zhDrivers2) }
