package i18n

// zhCheckWarn: what `cattease check` warns of in a valid file
// (control/config/warn.go).
var zhCheckWarn = map[string]string{
	"warning: max_users %d is below %d, the most viewers the global pacing lets cool down at once (burst + user_cooldown / every + 1): when the table is full, a new viewer is refused (user_table_full) until a cooldown ends": "警告：max_users %d 小于 %d，也就是全局节奏下最多可能同时在冷却的观众数（burst + user_cooldown / every + 1）：表满时新观众会被拒绝（user_table_full），直到有人冷却结束",
	"warning: min_level does not apply to Bilibili Open Platform chat, which carries no account level: with sources.bilibili_open the only chat source here, it refuses nobody":                                                 "警告：min_level 对B站直播开放平台的弹幕不起作用，那里不带账号等级：这里唯一的弹幕来源是 sources.bilibili_open，所以它谁也拦不住",
}
