package i18n

import "maps"

// zhMQTTForbid: a remote rig's laser forbid sent again before the
// heartbeat when the agent may have lost it, and a kept forbid naming a
// switch the rules do not have (control/mqtt's Remote).
var zhMQTTForbid = map[string]string{
	// control/mqtt: the forbid sent again (Remote)
	"the agent may have lost the laser forbid (it restarted, or went out of reach); forbidding it again before its next heartbeat": "agent 可能丢了激光禁止（它重启过，或者连不上了）；在下一个心跳之前再次禁止",

	// control/mqtt: what a Remote keeps in the state directory
	"rig %s: the laser forbid kept in %s names %q, which the rules do not have (a switch renamed or removed since): it counts as unreadable, and every laser of the rules (%q) is forbidden instead, as the run's (with mqtt.control off no Home Assistant device can lift it), until the panel's laser switch allows it":          "装置 %s：保存在 %s 里的激光禁止写的是 %q，规则里没有它（开关后来改了名或删掉了）：按读不出来算，改为禁止规则里的所有激光（%q），作为整场的（mqtt.control 关闭时，Home Assistant 设备无法解除），直到面板的激光开关允许",
	"rig %s: the laser forbids kept in %s (the run's and its Home Assistant device's) name %q, which the rules do not have (a switch renamed or removed since): they count as unreadable, and every laser of the rules (%q) is forbidden instead by both, until the panel's laser switch and that device's Laser allowed allow it": "装置 %s：保存在 %s 里的激光禁止（整场的和它的 Home Assistant 设备的）写的是 %q，规则里没有它们（开关后来改了名或删掉了）：按读不出来算，改为两边都禁止规则里的所有激光（%q），直到面板的激光开关和那个设备的 Laser allowed 都允许",
	"rig %s: the Home Assistant device's laser forbid kept in %s names %q, which the rules do not have (a switch renamed or removed since): it counts as unreadable, and every laser of the rules (%q) is forbidden instead by that device, until its Laser allowed allows it":                                                     "装置 %s：保存在 %s 里的 Home Assistant 设备的激光禁止写的是 %q，规则里没有它（开关后来改了名或删掉了）：按读不出来算，改为由那个设备禁止规则里的所有激光（%q），直到它的 Laser allowed 允许",
	"rig %s: the run's laser forbid kept in %s names %q, which the rules do not have (a switch renamed or removed since): it counts as unreadable, and every laser of the rules (%q) is forbidden instead by the run, until the panel's laser switch allows it":                                                                    "装置 %s：保存在 %s 里的整场的激光禁止写的是 %q，规则里没有它（开关后来改了名或删掉了）：按读不出来算，改为由整场禁止规则里的所有激光（%q），直到面板的激光开关允许",
}

// The table is built at the first use (zhTable), after every init: these
// join the MQTT fixes' own.
func init() { maps.Copy(zhMQTTFixes, zhMQTTForbid) }
