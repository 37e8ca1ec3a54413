package i18n

import "maps"

// zhMonitorMore: the monitor's checks added after zh_monitor_all.go: a
// landing too fast to stop within a tick, a servo let go during the hold
// after homing, and trace times outside what the rig can count.
var zhMonitorMore = map[string]string{
	"landed at %.4g°/s, faster than it can stop from within a tick (limit %.4g°/s)":                                             "落点时速度 %.4g°/s，一拍之内停不下来（上限 %.4g°/s）",
	"detached while axis %s is not homed: during the hold no servo goes limp but by an emergency stop":                          "轴 %s 还没有回原位就松开了：回原位后的保持期间，除了急停，舵机不能松开",
	"detached %v after the last homing, within the settle time %v: during the hold no servo goes limp but by an emergency stop": "最后一次回原位后 %v 就松开了，还在到位时间 %v 之内：回原位后的保持期间，除了急停，舵机不能松开",
	"%s %s is outside the years 1970 to 2261":                                                                                   "%s %s 不在 1970 到 2261 年之间",
}

// The table is built at the first use (zhTable), after every init: these
// join what verify prints.
func init() { maps.Copy(zhCLI, zhMonitorMore) }
