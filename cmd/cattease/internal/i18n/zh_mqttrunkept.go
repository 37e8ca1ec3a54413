package i18n

import "maps"

// zhMQTTRunKept: the run's stop and laser forbid, kept beside a rig's
// Home Assistant device's across a restart of the run side
// (control/mqtt's Remote).
var zhMQTTRunKept = map[string]string{
	// control/mqtt: what a Remote keeps in the state directory
	"rig %s: the stops and laser forbids kept in %s (the run's and its Home Assistant device's) are unreadable: the rig is held stopped and its lasers forbidden until the run's resume (the panel's, chat's 继续) and the panel's laser switch, and that device's Resume and Laser allowed: %w": "装置 %s：保存在 %s 里的急停和激光禁止（整场的和它的 Home Assistant 设备的）读不出来：装置保持急停、激光保持禁止，直到整场恢复（面板的、弹幕的 继续）、面板的激光开关允许，并且那个设备按下 Resume 和 Laser allowed：%w",
	"kept from before this start: the run's stop and laser forbid (the panel, chat's 停 and 关激光) hold until the run lifts them (the panel's resume and laser switch, chat's 继续, and chat's 开激光 for chat's 关激光)":                                                                                 "启动前保存下来的：整场的急停和激光禁止（面板、弹幕的 停 和 关激光）仍然有效，直到整场解除（面板的恢复和激光开关、弹幕的 继续，弹幕的 关激光 也可以由弹幕的 开激光 解除）",
	"the rig's stops and laser forbids (the run's and its Home Assistant device's) are not kept on disk: a restart of the run side would forget them":                                                                                                                                          "装置的急停和激光禁止（整场的和它的 Home Assistant 设备的）没能保存到磁盘：电脑上的程序重启后会忘掉它们",

	// cmd/cattease: run --rig
	"remote rig: the stops and laser forbids kept for it are unreadable": "远程装置：为它保存的急停和激光禁止读不出来",
}

// The table is built at the first use (zhTable), after every init: these
// join the MQTT fixes' own.
func init() { maps.Copy(zhMQTTFixes, zhMQTTRunKept) }
