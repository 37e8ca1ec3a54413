package i18n

import "maps"

// zhMQTTRigs: messages of the Home Assistant bridge's commands and of
// each rig's own device.
var zhMQTTRigs = map[string]string{
	// control/mqtt: the bridge
	"want ON or OFF, got %q": "应为 ON 或 OFF，收到的是 %q",
}

// The table is built at the first use (zhTable), after every init: these
// join the MQTT fixes' own.
func init() { maps.Copy(zhMQTTFixes, zhMQTTRigs) }
