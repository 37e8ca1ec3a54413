package i18n

// zhLogs: what the running parts log — the safety envelope, the chat
// sources, the web panel, the MQTT link — and a few system errors that
// end many messages. Package prefixes ("web: ", "douyu: ") stay English.
var zhLogs = map[string]string{
	// actuators/safety
	"driver write failed: laser off, parking, retrying":              "驱动写入失败：激光已关，正在停靠，稍后重试",
	"watchdog: halt failed":                                          "看门狗：关停失败",
	"watchdog: motion loop stalled; switches off":                    "看门狗：运动循环卡住了，开关全部关闭",
	"parking timed out; halting where the axes are":                  "停靠超时，轴停在原地",
	"laser ledger not saved at exit":                                 "退出时没能保存激光用量记录",
	"laser ledger not saved: laser refused until it is":              "激光用量记录没能保存：保存成功前不开激光",
	"laser refused: the daily ledger is unusable; servos still work": "激光被拒绝：每日用量记录不可用；舵机照常工作",
	"a new day: the daily laser budget starts again":                 "新的一天：每日激光额度重新开始",
	"dead man: no command for a while; switches off, going home":     "无人值守保护：一段时间没有指令，关闭开关并回到原位",

	// danmu: Bilibili, its Open Platform, Douyu
	"bilibili connected":                                      "B站已连接",
	"bilibili connection ended; reconnecting":                 "B站连接断开，正在重连",
	"bilibili open platform connected":                        "B站开放平台已连接",
	"bilibili open platform game started":                     "B站开放平台互动玩法已开启",
	"bilibili open platform game ended; starting again":       "B站开放平台互动玩法已结束，正在重新开启",
	"bilibili open platform: game heartbeat failed; retrying": "B站开放平台：互动玩法心跳失败，正在重试",
	"bilibili open platform: ending the game failed":          "B站开放平台：结束互动玩法失败",
	"connected":                      "已连接",
	"connection ended; reconnecting": "连接断开，正在重连",
	"room id resolution off; using the id as given": "未开启房间号解析，按给定的房间号使用",
	"room id resolved": "房间号已解析",
	"cannot resolve the room id; using it as given (fine if it is already the real id)":     "无法解析房间号，按给定的使用（如果已经是真实房间号就没问题）",
	"cannot resolve the room id and it is not numeric: the server will likely send nothing": "无法解析房间号，而且它不是数字：服务器很可能什么也不会发",
	"bad frame; dropping the connection":                                                    "收到坏数据帧，断开连接",
	"server error":                                                                          "服务器错误",

	// web: overlay and panel
	"listening":       "正在监听",
	"panel login":     "控制面板已登录",
	"control":         "控制操作",
	"control refused": "控制操作被拒绝",
	"encode frame":    "编码画面数据失败",
	"metrics":         "监控指标出错",
	"request for another host refused (DNS rebinding?)": "拒绝了发往其他主机名的请求（可能是 DNS 重绑定攻击）",

	// control/mqtt
	"state":                     "状态发布失败",
	"command":                   "指令",
	"command refused":           "指令被拒绝",
	"command too long; ignored": "指令太长，已忽略",
	"subscribe failed":          "订阅失败",
	"link lost; reconnecting":   "连接断开，正在重连",
	"link to the run side lost; laser off, requests refused until it is back": "与运行端的连接断开：激光已关，恢复前拒绝所有请求",
	"link to the run side is up":                       "与运行端的连接已恢复",
	"the run side said goodbye; laser off, rig parked": "运行端已退出：激光已关，云台归位",
	"resume sent before an emergency stop; ignored":    "急停之前发来的恢复指令，已忽略",

	// system errors that end many messages (open x: …)
	"no such file or directory": "文件或目录不存在",
	"permission denied":         "没有权限",
	"file exists":               "文件已存在",
	"is a directory":            "是一个目录",
	"not a directory":           "不是目录",
	"read-only file system":     "文件系统只读",
	"no space left on device":   "磁盘空间不足",
	"connection refused":        "连接被拒绝",
	"address already in use":    "地址已被占用",
	"SIGHUP ignored: the agent reloads nothing; restart it to apply changes to rules.yaml": "收到 SIGHUP，已忽略：agent 不会重新加载配置；改了 rules.yaml 请重启它",
	"chat source %s: %w":                                       "弹幕源 %s：%w",
	"panic in chat source %s: %v\n%s":                          "弹幕源 %s 崩溃（panic）：%v\n%s",
	"the wall clock jumped; the limits keep to real time":      "系统时钟跳变了；各项安全限制继续按真实经过的时间计算",
	"the rig is quiet: its clock follows the wall clock again": "云台已安静下来：它的时钟重新跟上系统时钟",
}
