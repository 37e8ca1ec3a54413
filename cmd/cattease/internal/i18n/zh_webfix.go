package i18n

import "maps"

// zhWebfix: messages of the web server's fixes of 2026-12 (one client's
// share of the connections and event streams on the network).
var zhWebfix = map[string]string{
	"too many connections from one address; closing its new ones":    "同一个地址的连接太多，新的连接直接关闭",
	"too many event streams from one address; refusing its new ones": "同一个地址打开的事件流太多，新的拒绝",
}

// The table is built at the first use (zhTable), after every init: these
// join the web fixes' own.
func init() { maps.Copy(zhWebFixes, zhWebfix) }
