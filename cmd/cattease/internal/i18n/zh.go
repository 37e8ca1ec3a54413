package i18n

import "maps"

// zhTable is the Chinese catalogue: English format, as the source writes
// it without its package prefix, → Chinese format. A Chinese format takes
// the same verbs for the same arguments (%[n] reorders them). Terms are
// the ones a streamer knows: 激光, 舵机, 轴, 开关, 冷却, 房管, 主播, 舰长,
// 粉丝牌, 包场, 禁言; YAML keys and values stay as they are written.
func zhTable() map[string]string {
	m := map[string]string{}
	maps.Copy(m, zhConfig)
	maps.Copy(m, zhConfigMore)
	maps.Copy(m, zhCLI)
	maps.Copy(m, zhCLIMore)
	maps.Copy(m, zhLogs)
	maps.Copy(m, zhMQTT)
	maps.Copy(m, zhMQTTFixes)
	maps.Copy(m, zhMQTTConnect)
	maps.Copy(m, zhWeb)
	maps.Copy(m, zhWebFixes)
	maps.Copy(m, zhDanmu)
	maps.Copy(m, zhControl)
	maps.Copy(m, zhChatSources)
	maps.Copy(m, zhPanics)
	maps.Copy(m, zhCheckWarn)
	maps.Copy(m, zhWords)
	return m
}

// zhWords are words other messages print through a verb.
var zhWords = map[string]string{
	"a mapping":      "映射",
	"a list":         "列表",
	"top level":      "顶层",
	"left and right": "左右",
	"near and far":   "远近",
	"angle":          "角度",
	"speed":          "速度",
	"accel":          "加速度",
	"duration":       "时长",
	"frequency":      "频率",
	"quiet hours":    "安静时段",
}
