package i18n

import "maps"

// zhSources2: messages of the Bilibili sources' fixes of 2026-12 (a paid
// gift or guard purchase of the Open Platform that came without a price).
var zhSources2 = map[string]string{
	// bilibili/open: a gift or guard without a price
	"bilibili open platform: a paid gift or guard purchase came without a price: it is worth nothing to the rules (counted as gift_no_price; warned once)": "B站开放平台：一个付费礼物或上舰消息没有带价格：对规则来说它不值钱（计为 gift_no_price；只警告这一次）",
}

// The table is built at the first use (zhTable), after every init: these
// join the chat sources' own.
func init() { maps.Copy(zhChatSources, zhSources2) }
