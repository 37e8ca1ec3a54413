package i18n

import "maps"

// zhWebshare: messages of fair-share eviction in the web server (when
// every connection or event stream is taken, the address holding the
// most gives way to one holding fewer).
var zhWebshare = map[string]string{
	"every connection is taken; closing the newest of the address holding the most":  "连接已满，关闭占用最多的地址最新的一个连接",
	"every event stream is taken; ending the newest of the address holding the most": "事件流已满，结束占用最多的地址最新的一个事件流",
}

// The table is built at the first use (zhTable), after every init: these
// join the web fixes' own.
func init() { maps.Copy(zhWebFixes, zhWebshare) }
