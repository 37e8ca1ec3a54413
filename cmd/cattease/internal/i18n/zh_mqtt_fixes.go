package i18n

// zhMQTTFixes: the Home Assistant bridge's retained commands.
var zhMQTTFixes = map[string]string{
	"retained emergency stop on the broker: it stops the rig at every reconnection until cleared":      "MQTT 服务器上有一条保留的急停消息：在清除之前，每次重新连接都会让装置急停",
	"retained command ignored: a command acts when it is sent, never again when the broker replays it": "已忽略保留的指令：指令只在发出时执行一次，MQTT 服务器重发的不再执行",
}
