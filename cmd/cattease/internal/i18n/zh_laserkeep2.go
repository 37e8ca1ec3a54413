package i18n

import "maps"

// zhLaserKeep2: the run's laser forbid, more of it: a kept name the rules
// do not have, what a restart would find after a failed write, the file
// taken over from its old name, an unconfirmed laser switch, and a
// remote rig's kept run forbid taken as the panel's.
var zhLaserKeep2 = map[string]string{
	// control
	"it names %q, not in the rules (the streamer's as a switch, chat's as a laser): renamed or removed since?":                                                                                                           "里面写着 %q，规则里没有（主播下的要是开关，弹幕下的要是激光）：后来改名或删掉了？",
	"the laser forbid is lifted, but the file that kept it cannot be removed: a restart would forbid again what it holds; the next change of the laser switch tries again":                                               "激光禁止已解除，但保存它的文件删不掉：重启后会重新禁止文件里记着的激光；下次拨激光开关时会再试",
	"the laser forbid is not kept on disk: a restart would allow again the lasers forbidden since it was last kept; the next change of the laser switch tries again":                                                     "激光禁止没能保存到磁盘：重启后，上次保存之后禁止的激光会重新被允许；下次拨激光开关时会再试",
	"the laser forbid is not kept on disk: a restart would forbid again the lasers allowed since it was last kept; the next change of the laser switch tries again":                                                      "激光禁止没能保存到磁盘：重启后，上次保存之后允许的激光会重新被禁止；下次拨激光开关时会再试",
	"the laser forbid is not kept on disk: a restart would find what was last kept, allowing again the lasers forbidden since and forbidding again those allowed since; the next change of the laser switch tries again": "激光禁止没能保存到磁盘：重启后按上次保存的来，之后禁止的激光会重新被允许，之后允许的会重新被禁止；下次拨激光开关时会再试",
	"the laser forbid kept under the old file name is taken over, but that file cannot be removed: a restart with nothing forbidden would forbid again what it holds; the next change of the laser switch tries again":   "旧文件名下保存的激光禁止已经接管，但旧文件删不掉：以后在什么都没禁止时重启，会重新禁止它里面记着的激光；下次拨激光开关时会再试",
	"the rig did not confirm the laser switch's allow (a remote rig's link is down?): the laser may stay forbidden there; switch it on again once the rig answers":                                                       "设备没有确认激光开关的允许（远端设备的连接断了？）：那边的激光可能仍然禁止；设备有回应后再打开一次",
	"the rig did not confirm the laser switch's forbid (a remote rig's link is down?): it holds here all the same, and a remote rig is sent it again until its agent takes it":                                           "设备没有确认激光开关的禁止（远端设备的连接断了？）：这边照样保持禁止，远端设备会一直重发，直到它的 agent 收到",

	// cmd/cattease: run --rig, at start
	"a rig keeps from before this start a laser forbid of the run's that chat's 关激光 did not give: it holds as the panel's, which the panel's laser switch lifts, not a moderator's 开激光": "有设备保存着启动前整场的激光禁止，但那不是弹幕 关激光 下的：按面板下的禁止处理，由面板的激光开关解除，房管的 开激光 解除不了",
}

// The table is built at the first use (zhTable), after every init: these
// join the control package's own.
func init() { maps.Copy(zhControl, zhLaserKeep2) }
