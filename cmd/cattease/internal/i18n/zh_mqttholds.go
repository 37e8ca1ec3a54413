package i18n

import "maps"

// zhMQTTHolds: what the run side says of a rig's Home Assistant device's
// stop and laser forbid, and of the run's own laser forbid, which each
// hold apart (control/mqtt's Remote).
var zhMQTTHolds = map[string]string{
	// control/mqtt: a rig's own device (Remote)
	"the run's resume leaves the rig stopped: held by Home Assistant's Emergency stop of its own device, which only that device's Resume ends":                                                                                        "整场的恢复没有让这套装置恢复：它的 Home Assistant 设备按下的 Emergency stop 仍让它停着，只有那个设备的 Resume 能解除",
	"the agent allows a switch forbidden here (it restarted, or the forbid did not reach it); forbidding it again":                                                                                                                    "agent 允许了这边禁止的开关（它重启过，或者禁止没有送到）；再次禁止",
	"rig %s: this device's stop is lifted, but the agent is from an older cattease and cannot say whether a stop given on the Pi holds too: the rig stays stopped until the panel's resume (the run's or the Pi's); update the agent": "装置 %s：这个设备的急停已解除，但 agent 来自旧版 cattease，说不出树莓派上是否也有急停：装置继续停着，直到面板恢复（电脑上的或树莓派上的）；请更新 agent",
	"rig %s: this device's stop is lifted, but a stop given on the Pi (its panel, a signal, cattease halt, or one kept from before the agent started) still holds the rig: resume it there":                                           "装置 %s：这个设备的急停已解除，但在树莓派上下的急停（它的面板、信号、cattease halt，或者 agent 启动前保留下来的）仍让装置停着：请在那里恢复",
	"rig %s: this device allows %s, but the run's laser switch (the panel, chat's 关激光) still forbids it":                                                                                                                              "装置 %s：这个设备允许了 %s，但整场的激光开关（面板、弹幕的 关激光）仍禁止它",
	"rig %s: the agent did not confirm the forbid of %s (%s); it holds here, and is sent again when the agent answers":                                                                                                                "装置 %s：agent 没有确认对 %s 的禁止（%s）；禁止在这边仍然有效，agent 有回应时会再发一次",

	// control/mqtt: what a Remote keeps in the state directory
	"rig %s: the Home Assistant device's stop and laser switch kept in %s are unreadable: the rig is held stopped and its lasers forbidden until that device's Resume and Laser allowed: %w": "装置 %s：保存在 %s 里的 Home Assistant 设备的急停和激光开关读不出来：装置保持急停、激光保持禁止，直到那个设备的 Resume 和 Laser allowed：%w",
	"kept from before this start: the Home Assistant device's stop and laser forbid hold until that device lifts them":                                                                       "启动前保存下来的：Home Assistant 设备的急停和激光禁止仍然有效，直到那个设备解除",
	"the Home Assistant device's stop and laser forbid are not kept on disk: a restart of the run side would forget them":                                                                    "Home Assistant 设备的急停和激光禁止没能保存到磁盘：电脑上的程序重启后会忘掉它们",

	// cmd/cattease: run --rig
	"remote rig: what its Home Assistant device kept is unreadable": "远程装置：它的 Home Assistant 设备保存的内容读不出来",
}

// The table is built at the first use (zhTable), after every init: these
// join the MQTT fixes' own.
func init() { maps.Copy(zhMQTTFixes, zhMQTTHolds) }
