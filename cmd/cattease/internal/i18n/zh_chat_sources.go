package i18n

// zhChatSources: messages of the chat-source fixes (Douyu's room-id
// resolution retried, Douyu's plaintext transports, the Open Platform's
// game left running), kept apart so that other fixes add theirs side by
// side.
var zhChatSources = map[string]string{
	// douyu: room-id resolution
	"cannot resolve the room id and it is not numeric: not connecting until it resolves": "无法解析房间号，而且它不是数字：解析成功之前不连接",
	"room id still unresolved; not connecting yet":                                       "房间号仍未解析，暂不连接",
	"reconnecting to the resolved room":                                                  "正在重新连接到解析出的房间",
	// douyu: a plaintext address asked for
	"unencrypted connection: anyone on the network path can read the chat and forge messages, moderators' and the streamer's commands included; use wss:// unless this network blocks it": "连接未加密：网络路径上的任何人都能看到弹幕并伪造消息，包括房管和主播的指令；除非这个网络拦截了 wss://，否则请用 wss://",

	// bilibili/open: a start refused with 7002
	"bilibili open platform: the room has a game running (our last one not yet closed, or another app's); trying again": "B站开放平台：直播间里已有一个互动玩法在运行（我们上一次的还没关掉，或者是别的应用的），稍后再试",
}
