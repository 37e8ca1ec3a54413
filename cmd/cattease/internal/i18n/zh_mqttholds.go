package i18n

import "maps"

// zhMQTTHolds: what the run side says of a rig's Home Assistant device's
// stop and laser forbid, and of the run's own laser forbid, which each
// hold apart (control/mqtt's Remote).
var zhMQTTHolds = map[string]string{
	// control/mqtt: a rig's own device (Remote)
	"the agent allows a switch forbidden here (it restarted, or the forbid did not reach it); forbidding it again":     "agent 允许了这边禁止的开关（它重启过，或者禁止没有送到）；再次禁止",
	"rig %s: this device allows %s, but the run's laser switch (the panel, chat's 关激光) still forbids it":               "装置 %s：这个设备允许了 %s，但整场的激光开关（面板、弹幕的 关激光）仍禁止它",
	"rig %s: the agent did not confirm the forbid of %s (%s); it holds here, and is sent again when the agent answers": "装置 %s：agent 没有确认对 %s 的禁止（%s）；禁止在这边仍然有效，agent 有回应时会再发一次",
}

// The table is built at the first use (zhTable), after every init: these
// join the MQTT fixes' own.
func init() { maps.Copy(zhMQTTFixes, zhMQTTHolds) }
