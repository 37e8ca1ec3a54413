package i18n

// zhPanics: the messages of a panic on a goroutine of the rig's parts
// (the safety envelope's writers and watchdog, the web server, the MQTT
// client): every output is halted at once and the run ends with the
// panic.
var zhPanics = map[string]string{
	// actuators/safety
	"motion loop panicked: %v":    "运动循环崩溃（panic）：%v",
	"halt %s panicked: %v":        "关停 %s 时崩溃（panic）：%v",
	"the laser ledger's writer":   "激光用量记录的写入",
	"the emergency stop's writer": "急停状态的写入",
	"the watchdog":                "看门狗",
	// web
	"the accept loop panicked":           "接受连接的循环崩溃（panic）",
	"the web server's event broadcaster": "网页服务的事件广播",
	"the web server's accept loop":       "网页服务接受连接的循环",
	// control/mqtt
	"the MQTT client's connection callback":              "MQTT 客户端的连接回调",
	"the MQTT client's subscriptions and OnUp functions": "MQTT 客户端的订阅与连上后的处理",
	"the MQTT client's OnDown functions":                 "MQTT 客户端断线后的处理",
	"the agent's state publisher":                        "agent 发布状态的循环",
	"the Home Assistant bridge's state publisher":        "Home Assistant 桥接发布状态的循环",
	"panic in a request to rig %s: %v\n%s":               "向云台 %s 发请求时崩溃（panic）：%v\n%s",
	// danmu sources: a panic on a goroutine of the source's own, raised
	// again on the source's
	"panic reading: %v\n%s":                      "读取时崩溃（panic）：%v\n%s",
	"panic resolving the room id: %v\n%s":        "解析房间号时崩溃（panic）：%v\n%s",
	"panic writing heartbeats: %v\n%s":           "发送心跳时崩溃（panic）：%v\n%s",
	"panic writing WebSocket heartbeats: %v\n%s": "发送 WebSocket 心跳时崩溃（panic）：%v\n%s",
	"panic in the game heartbeat: %v\n%s":        "互动玩法心跳崩溃（panic）：%v\n%s",
	// cmd/cattease
	"panic; stopping":           "程序崩溃（panic），正在停止",
	"the Home Assistant bridge": "Home Assistant 桥接",
	"the agent":                 "agent（树莓派端）",
	"deciding a chat message":   "判定弹幕",
	"chat source %s":            "弹幕源 %s",
	"the record writer":         "录制文件的写入",
	"the audit log writer":      "审计日志的写入",
	"%s: panic writing: %v\n%s": "%s：写入时崩溃（panic）：%v\n%s",
}
