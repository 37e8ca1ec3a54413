package i18n

// zhMQTT: the Home Assistant bridge and the two-machine split (agent,
// run --rig, mqtt --unpublish), and the checks of the mqtt: section.
var zhMQTT = map[string]string{
	// cattease agent
	"agent": "树莓派端已启动",
	"MQTT broker, mqtt://host:1883 (default from rules.yaml mqtt.url)":           "MQTT 服务器，mqtt://host:1883（默认取 rules.yaml 的 mqtt.url）",
	"this rig's name in topics (default from rules.yaml mqtt.rig, else \"cat\")": "这台云台在主题里的名字（默认取 rules.yaml 的 mqtt.rig，否则为 \"cat\"）",
	"panel address (default from rules.yaml web.listen; \"off\" disables)":       "控制面板地址（默认取 rules.yaml 的 web.listen；\"off\" 关闭）",
	"agent: no broker: add --mqtt URL or mqtt.url in rules.yaml":                 "agent：没有 MQTT 服务器：请加 --mqtt URL，或在 rules.yaml 里写 mqtt.url",
	"waiting for the run side (cattease run --rig); laser off until it is there": "等待弹幕端（cattease run --rig）连上；连上之前激光保持关闭",
	"commands arrive faster than they run; dropped":                              "指令来得比执行得快，已丢弃",
	"remove a rig from Home Assistant":                                           "从 Home Assistant 移除一台云台",
	"the rig on the Pi, driven over MQTT by run --rig":                           "树莓派上的云台，由 run --rig 通过 MQTT 驱动",
	"mqtt bridge": "MQTT 桥接",
	"clear the rig's retained discovery, state and availability (Home Assistant removes the device)": "清除这台云台保留的发现配置、状态和在线信息（Home Assistant 会删除该设备）",
	"broker URL, mqtt://host:1883 (default from rules.yaml mqtt.url)":                                "MQTT 服务器地址，mqtt://host:1883（默认取 rules.yaml 的 mqtt.url）",
	"the rig's name (default from rules.yaml mqtt.rig, else \"cat\")":                                "云台的名字（默认取 rules.yaml 的 mqtt.rig，否则为 \"cat\"）",
	"usage: cattease mqtt --unpublish [-c rules.yaml] [--mqtt URL] [--rig NAME]":                     "用法：cattease mqtt --unpublish [-c rules.yaml] [--mqtt URL] [--rig 名字]",
	"no broker: add --mqtt URL or mqtt.url in rules.yaml":                                            "没有 MQTT 服务器：请加 --mqtt URL，或在 rules.yaml 里写 mqtt.url",
	"rig %q removed from %s":      "云台 %q 已从 %s 移除",
	"broker %s not reached":       "连不上 MQTT 服务器 %s",
	"--rig: %w":                   "--rig 有误：%w",
	"--mqtt: %w":                  "--mqtt 有误：%w",
	"remote rig":                  "远程云台",
	"use mqtt://broker:1883/NAME": "请写 mqtt://broker:1883/名字",
	"%q: the rig's name after the broker (mqtt://broker:1883/NAME): 1 to 32 letters, digits, - or _": "%q：服务器后面要跟云台名字（mqtt://broker:1883/名字）：1 到 32 个字母、数字、- 或 _",
	"agent online": "树莓派端已上线",
	"agent silent; its chat commands are refused (link) until it is back":                       "树莓派端没有回应；它回来之前，发给它的弹幕指令都会被拒绝（link）",
	"no agent answers; start cattease agent on the Pi with the same broker and rig name":        "没有树莓派端回应；请在树莓派上用同样的服务器和云台名字启动 cattease agent",
	"MQTT broker for Home Assistant, mqtt://host:1883 (default from rules.yaml mqtt.url)":       "给 Home Assistant 用的 MQTT 服务器，mqtt://host:1883（默认取 rules.yaml 的 mqtt.url）",
	"drive the agent rig mqtt://broker:1883/NAME instead of local outputs (repeat for several)": "驱动远程云台 mqtt://broker:1883/名字，而不是本机输出（可重复，驱动多台）",

	// control/config: the mqtt: section
	"%q: use 1 to 32 letters, digits, - or _":               "%q：请用 1 到 32 个字母、数字、- 或 _",
	"%q: use 1 to 32 letters, digits, - or _ (or off)":      "%q：请用 1 到 32 个字母、数字、- 或 _（或 off）",
	"cert and key go together":                              "cert 和 key 要一起写",
	"not a URL (use mqtt://host:1883 or mqtts://host:8883)": "不是网址（请写 mqtt://host:1883 或 mqtts://host:8883）",
	"%q: use mqtt://host:1883 or mqtts://host:8883":         "%q：请写 mqtt://host:1883 或 mqtts://host:8883",
	"%q: no host": "%q：缺少主机名",
}
