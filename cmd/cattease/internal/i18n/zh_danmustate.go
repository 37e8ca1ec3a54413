package i18n

import "maps"

// zhDanmustate: a Douyu room id that does not resolve is reported as
// reconnecting, and the log says when Douyu answered that no room has it.
var zhDanmustate = map[string]string{
	"Douyu says no room has this id: check it (the number in the room page's address); retrying meanwhile": "斗鱼说没有这个房间号：请检查（房间页面地址里的那串数字）；同时继续重试",
}

// The table is built at the first use (zhTable), after every init: these
// join the chat sources' own.
func init() { maps.Copy(zhChatSources, zhDanmustate) }
