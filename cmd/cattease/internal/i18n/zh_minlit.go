package i18n

import "maps"

// zhMinLit: a time limit under two and a half motion ticks, which keeps a
// switch dark for ever.
var zhMinLit = map[string]string{
	"dwell_cap %v under %v: the laser would never light (it lights only when it may stay lit %v, two and a half motion ticks)":                  "dwell_cap %v 小于 %v：激光永远不会亮（只有允许它至少亮 %v，即两个半运动周期，才会打开）",
	"daily_laser %v under %v: the laser would never light (it lights only when it may stay lit %v, two and a half motion ticks)":                "daily_laser %v 小于 %v：激光永远不会亮（只有允许它至少亮 %v，即两个半运动周期，才会打开）",
	"for %v under %v: %q would never turn on (a switch turns on only when it may stay on %v, two and a half motion ticks)":                      "for %v 小于 %v：%q 永远不会打开（开关只有允许它至少开 %v，即两个半运动周期，才会打开）",
	"treat_for %v under %v: %q would never turn on (a switch turns on only when it may stay on %v, two and a half motion ticks)":                "treat_for %v 小于 %v：%q 永远不会打开（开关只有允许它至少开 %v，即两个半运动周期，才会打开）",
	"daily_laser %v under %v: %d lasers would never all light (each lit laser needs %v of the day's budget ahead, two and a half motion ticks)": "daily_laser %v 小于 %v：%d 个激光永远不能同时点亮（每个点亮的激光都要预先占用当天预算的 %v，即两个半运动周期）",
	"max_on %v under %v: %q would never turn on (a switch turns on only when it may stay on %v, two and a half motion ticks)":                   "max_on %v 小于 %v：%q 永远不会打开（开关只有允许它至少开 %v，即两个半运动周期，才会打开）",
}

func init() { maps.Copy(zhConfigMore, zhMinLit) }
