package i18n

import "maps"

// zhMQTTBeatStop: the agent takes the run side's stop with its heartbeat.
var zhMQTTBeatStop = map[string]string{
	"the run side's stop came with its heartbeat (the stop sent before it was lost); the rig is stopped": "运行端的急停随心跳一起到达（之前发出的急停丢了）；云台已停下",
}

func init() { maps.Copy(zhMQTT, zhMQTTBeatStop) }
