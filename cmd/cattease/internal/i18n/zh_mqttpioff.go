package i18n

import "maps"

// zhMQTTPiOff: a laser forbidden on the Pi's own panel holds over a Home
// Assistant device's allow (control/mqtt's Remote).
var zhMQTTPiOff = map[string]string{
	"rig %s: this device allows %s, but the Pi's own panel forbids it: allow it there": "装置 %s：这个设备允许了 %s，但树莓派自己的面板禁止它：请在那里允许",
	"rig %s: this device allows %s, but the agent is from an older cattease and cannot say whether the Pi's own panel forbids it: it stays forbidden until the panel's laser switch (the run's or the Pi's) allows it; update the agent": "装置 %s：这个设备允许了 %s，但 agent 来自旧版 cattease，说不出树莓派自己的面板是否禁止它：它继续禁止，直到面板的激光开关（电脑上的或树莓派上的）允许；请更新 agent",
}

// The table is built at the first use (zhTable), after every init: these
// join the MQTT fixes' own.
func init() { maps.Copy(zhMQTTFixes, zhMQTTPiOff) }
