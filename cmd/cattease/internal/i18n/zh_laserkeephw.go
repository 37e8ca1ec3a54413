package i18n

import "maps"

// zhLaserKeepHW: the laser forbid kept by the hardware (its GPIO pins),
// another laser file of no running cattease, a failed write tried again
// until it is kept, a kept name the rules lack told apart from an
// unreadable file, and a laser file that is no regular file.
var zhLaserKeepHW = map[string]string{
	// control
	"the laser forbid is kept on disk again: a restart finds it as it is":                                                                                                                                                "激光禁止已重新保存到磁盘：重启后按现在的来",
	"the laser file cannot be written: a restart would find the same forbid as now; it is tried again shortly":                                                                                                           "激光禁止文件写不进去：重启后的激光禁止和现在一样；稍后会再试",
	"the laser forbid is lifted, but the file that kept it cannot be removed: a restart would forbid again what it holds; it is tried again shortly, every minute at most":                                               "激光禁止已解除，但保存它的文件删不掉：重启后会重新禁止文件里记着的激光；稍后会自动再试，最多每分钟一次",
	"the laser forbid is not kept on disk: a restart would allow again the lasers forbidden since it was last kept; it is tried again shortly, every minute at most":                                                     "激光禁止没能保存到磁盘（现在照样生效）：重启后，上次保存之后禁止的激光会重新被允许；稍后会自动再试，最多每分钟一次",
	"the laser forbid is not kept on disk: a restart would forbid again the lasers allowed since it was last kept; it is tried again shortly, every minute at most":                                                      "激光禁止没能保存到磁盘：重启后，上次保存之后允许的激光会重新被禁止；稍后会自动再试，最多每分钟一次",
	"the laser forbid is not kept on disk: a restart would find what was last kept, allowing again the lasers forbidden since and forbidding again those allowed since; it is tried again shortly, every minute at most": "激光禁止没能保存到磁盘（现在照样生效）：重启后按上次保存的来，之后禁止的激光会重新被允许，之后允许的会重新被禁止；稍后会自动再试，最多每分钟一次",
	"the laser forbid kept under the old file name is taken over, but that file cannot be removed: a restart with nothing forbidden would forbid again what it holds; it is tried again shortly, every minute at most":   "旧文件名下保存的激光禁止已经接管，但旧文件删不掉：以后在什么都没禁止时重启，会重新禁止它里面记着的激光；稍后会自动再试，最多每分钟一次",
	"the laser forbid kept in %s does not match the rules: every laser is forbidden, as by the streamer's laser switch, which allows it again: %w":                                                                       "保存在 %s 里的激光禁止和规则对不上：所有激光都按主播的激光开关禁止处理，用这个开关就能重新允许：%w",
	"%s is not a regular file (%s)": "%s 不是普通文件（%s）",
	"%s is over %d bytes":           "%s 超过 %d 字节",

	// cmd/cattease: run and agent, at start
	"the laser forbid kept from before this start does not match the rules (a switch renamed or removed since?): every laser stays forbidden until the panel's laser switch allows it":                                                                                                                                                                                                                               "启动前保存的激光禁止和规则对不上（开关后来改名或删掉了？）：所有激光保持禁止，直到面板的激光开关允许",
	"no laser forbid is kept for this rig's lasers, but another laser file is there that no running cattease on this machine's hardware keeps: one for other laser pins, a run --rig's (which keeps no pid file), or an older cattease's under the path of another rules.yaml; if it was this rig's (its laser moved to another pin?), its forbid does not hold here: forbid the laser on the panel if it should be": "这台设备的激光没有保存的禁止，但有另一个激光禁止文件，不是这台机器的硬件上正在运行的 cattease 保存的：可能是别的激光引脚的、某个 run --rig 的（它不留 pid 文件），或旧版本按另一个 rules.yaml 路径保存的；如果它原本是这台设备的（激光换了引脚？），它的禁止在这里不生效：需要的话在面板上禁止激光",
}

// The table is built at the first use (zhTable), after every init: these
// join the control package's own.
func init() { maps.Copy(zhControl, zhLaserKeepHW) }
