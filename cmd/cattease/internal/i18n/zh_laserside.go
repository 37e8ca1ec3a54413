package i18n

import "maps"

// zhLaserSide: a laser file that is a link to nothing, and a laser forbid
// whose write fails after it only moved from one side to the other.
var zhLaserSide = map[string]string{
	"the laser forbid is not kept on disk: a restart would find lasers the streamer's switch forbade forbidden by chat's 关激光 alone, which a moderator's 开激光 lifts; it is tried again shortly, every minute at most":   "激光禁止没能保存到磁盘（现在照样生效）：重启后，主播用开关禁止的激光只算弹幕“关激光”的禁止，房管一句“开激光”就能解除；稍后会自动再试，最多每分钟一次",
	"the laser forbid is not kept on disk: a restart would find lasers chat's 关激光 forbade forbidden by the streamer's switch, which a moderator's 开激光 does not lift; it is tried again shortly, every minute at most": "激光禁止没能保存到磁盘：重启后，弹幕“关激光”禁止的激光会算作主播开关的禁止，房管的“开激光”解除不了；稍后会自动再试，最多每分钟一次",
	"%s is a symbolic link to %s, which is not there": "%s 是指向 %s 的符号链接，但那里什么都没有",
}

// The table is built at the first use (zhTable), after every init: these
// join the control package's own.
func init() { maps.Copy(zhControl, zhLaserSide) }
