package i18n

// zhMQTTFixes: the Home Assistant bridge's retained commands, and
// mqtt --unpublish with discovery off.
var zhMQTTFixes = map[string]string{
	"retained emergency stop on the broker: it stops the rig at every reconnection until cleared (clearing it stops the rig once more; then resume)":                                    "MQTT 服务器上有一条保留的急停消息：在清除之前，每次重新连接都会让装置急停（清除时装置还会再急停一次，之后请恢复）",
	"retained command ignored: a command acts when it is sent, never again when the broker replays it":                                                                                  "已忽略保留的指令：指令只在发出时执行一次，MQTT 服务器重发的不再执行",
	"discovery is off in rules.yaml: cleared Home Assistant's configs under %s/, the default prefix; if they were published under another, set mqtt.discovery to it and run this again": "rules.yaml 里关闭了自动发现：已清除默认前缀 %s/ 下的 Home Assistant 配置；如果当初发布在别的前缀下，请把 mqtt.discovery 设成那个前缀，再运行一次",
}
