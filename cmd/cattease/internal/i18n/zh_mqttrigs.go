package i18n

import "maps"

// zhMQTTRigs: messages of each rig's own Home Assistant device (its
// emergency stop, resume and laser switch act on its rig alone), of the
// agent that says online again when its availability is cleared, and of
// switch commands that are neither ON nor OFF.
var zhMQTTRigs = map[string]string{
	// control/mqtt: the bridge
	"want ON or OFF, got %q": "应为 ON 或 OFF，收到的是 %q",
	"no laser on this rig":   "这套装置没有激光",

	// control/mqtt: a rig's own device (Remote)
	"the rig runs while its Home Assistant device's emergency stop holds (its agent restarted, or was resumed on the Pi); stopping it again": "这套装置的 Home Assistant 设备按下的急停仍然有效，装置却在运行（它的 agent 重启过，或者在树莓派上被恢复了）；再次急停",
	"the agent did not confirm its Home Assistant device's emergency stop; it holds, and is sent again when the agent answers":               "agent 没有确认它的 Home Assistant 设备按下的急停；急停仍然有效，agent 有回应时会再发一次",
	"rig %s: the stop in force is not this device's (the panel's, chat's, another device's or one kept from before): resume it there":        "装置 %s：现在的急停不是这个设备按下的（而是面板、弹幕、另一个设备的，或者之前保留下来的）：请在那里恢复",
	"rig %s: this device's stop is lifted, but the run's stop (the panel, chat) still holds the rig":                                         "装置 %s：这个设备的急停已解除，但整场的急停（面板、弹幕）仍让装置停着",
	"rig %s: this device's stop is lifted, but the rig was stopped before it (the Pi's panel, or a stop kept from before): resume it there":  "装置 %s：这个设备的急停已解除，但装置在它之前就已经停了（树莓派的面板，或者之前保留下来的急停）：请在那里恢复",
	"rig %s: the agent did not confirm the resume (%s); this device's stop still holds: press Resume again":                                  "装置 %s：agent 没有确认恢复（%s）；这个设备的急停仍然有效：请再按一次 Resume",
	"rig %s: laser permission for %s refused (%s)": "装置 %s：%s 的激光许可被拒绝（%s）",
}

// The table is built at the first use (zhTable), after every init: these
// join the MQTT fixes' own.
func init() { maps.Copy(zhMQTTFixes, zhMQTTRigs) }
