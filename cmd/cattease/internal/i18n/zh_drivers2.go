package i18n

import "maps"

// zhDrivers2: the servo drivers' and halt's messages about outputs they
// could not drive as asked.
var zhDrivers2 = map[string]string{
	// actuators/pca9685: a servo write that failed part-way
	"%s: pulse %v: %w (the channel is switched off until the next command)": "%s: 脉冲 %v：%w（这个通道已关闭，直到下一条命令）",
	"%s: pulse %v: %w (switching the channel off failed too: %w)":           "%s: 脉冲 %v：%w（关闭这个通道也失败了：%w）",
}

// The table is built at the first use (zhTable), after every init.
func init() { maps.Copy(zhCLIMore, zhDrivers2) }
