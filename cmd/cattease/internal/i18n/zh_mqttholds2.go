package i18n

import "maps"

// zhMQTTHolds2: the run's stop kept in force on a rig's agent, a device's
// kept stop and forbid restored as the run's with mqtt.control off, and
// what a restart would find when the kept file cannot be written
// (control/mqtt's Remote).
var zhMQTTHolds2 = map[string]string{
	// control/mqtt: the run's stop, sent again (Remote)
	"the agent did not confirm the run's stop; it holds here, and is sent again until the agent takes it":                                                                               "agent 没有确认整场的急停；急停在这边仍然有效，会一直重发，直到 agent 收到",
	"the rig runs while the run's emergency stop holds (the stop did not reach it, its agent restarted, or it was resumed on the Pi); stopping it again: only the run's resume ends it": "整场的急停仍然有效，装置却在运行（急停没有送到、它的 agent 重启过，或者在树莓派上被恢复了）；再次急停：只有整场的恢复能解除",

	// control/mqtt: what a Remote keeps in the state directory
	"rig %s: the stops and laser forbids kept in %s are unreadable: the rig is held stopped and its lasers forbidden until the run's resume (the panel's, chat's 继续) and the panel's laser switch (with mqtt.control off no Home Assistant device can lift them): %w": "装置 %s：保存在 %s 里的急停和激光禁止读不出来：装置保持急停、激光保持禁止，直到整场恢复（面板的、弹幕的 继续）并且面板的激光开关允许（mqtt.control 关闭时，Home Assistant 设备无法解除它们）：%w",
	"kept from before this start: the Home Assistant device's stop and laser forbid; with mqtt.control off that device cannot lift them, so they hold as the run's, until the panel's resume and laser switch (chat's 继续)":                                            "启动前保存下来的：Home Assistant 设备的急停和激光禁止；mqtt.control 关闭时那个设备无法解除它们，所以改作整场的，直到面板的恢复和激光开关（弹幕的 继续）解除",
	"the rig's stops and laser forbids are all lifted, but the file that kept them cannot be removed: a restart of the run side would bring back those it holds":                                                                                                      "装置的急停和激光禁止都已解除，但保存它们的文件删不掉：电脑上的程序重启后，文件里的那些会重新生效",
	"the rig's stops and laser forbids (the run's and its Home Assistant device's) are not kept on disk: a restart of the run side would forget those given since they were last kept":                                                                                "装置的急停和激光禁止（整场的和它的 Home Assistant 设备的）没能保存到磁盘：电脑上的程序重启后，会忘掉上次保存之后新下的那些",
	"the rig's stops and laser forbids (the run's and its Home Assistant device's) are not kept on disk: a restart of the run side would bring back those lifted since they were last kept":                                                                           "装置的急停和激光禁止（整场的和它的 Home Assistant 设备的）没能保存到磁盘：电脑上的程序重启后，上次保存之后解除的那些会重新生效",
	"the rig's stops and laser forbids (the run's and its Home Assistant device's) are not kept on disk: a restart of the run side would find what the file held before, forgetting those given since and bringing back those lifted since":                           "装置的急停和激光禁止（整场的和它的 Home Assistant 设备的）没能保存到磁盘：电脑上的程序重启后会读到文件里原来的内容，忘掉之后新下的，并让之后解除的重新生效",
}

// The table is built at the first use (zhTable), after every init: these
// join the MQTT fixes' own.
func init() { maps.Copy(zhMQTTFixes, zhMQTTHolds2) }
