package console

import (
	"math"
	"strconv"
	"strings"

	"github.com/cattease/cattease/danmu"
)

// Gifts are typed as a room would show them, so the gift lane can be tried
// from the terminal:
//
//	猫奴 送 小心心 ×3          three free gifts (no price: free)
//	猫奴 送 牛哇 ×10 0.1元     ten gifts at 0.1元 each: 1元 in all
//	猫奴 SC 30元 加油           a 30元 super chat (醒目留言) saying 加油
//	猫奴 上舰 舰长              a guard purchase (舰长 198元, 提督 1998元, 总督 19998元)
//
// The count may be written ×3, x3, *3 or 3个; the price 0.1元, ¥0.1 or
// 0.1. Tags (@mod, @guard1, @medal5) may come first, as for chat.

// guardPrices are the monthly prices of Bilibili's 大航海 tiers, in cents.
var guardPrices = map[string]struct {
	tier  int
	cents int64
}{"舰长": {1, 19800}, "提督": {2, 199800}, "总督": {3, 1999800}}

// parseGift reads line as a gift, super chat or guard purchase.
func parseGift(line string) (name string, kind danmu.Kind, g danmu.Gift, text string, ok bool) {
	f := strings.Fields(line)
	if len(f) < 3 || len(f[0]) > 64 || strings.HasSuffix(f[0], ":") {
		return "", "", g, "", false
	}
	name = f[0]
	switch f[1] {
	case "送":
		g, ok = giftOf(f[2:])
		return name, danmu.KindGift, g, "", ok
	case "SC", "sc", "醒目留言":
		cents, ok := price(f[2])
		if !ok || cents <= 0 {
			return "", "", g, "", false
		}
		text = strings.Join(f[3:], " ")
		return name, danmu.KindSuperChat, danmu.Gift{Name: "醒目留言", Count: 1, ValueCents: cents}, text, true
	case "上舰":
		p, ok := guardPrices[f[2]]
		if !ok || len(f) != 3 {
			return "", "", g, "", false
		}
		return name, danmu.KindGuard, danmu.Gift{Name: f[2], Count: 1, ValueCents: p.cents}, "", true
	}
	return "", "", g, "", false
}

// giftOf reads "小心心 [×3] [0.1元]". A bare number is a count (小心心 3);
// a price needs its 元, 块 or ¥ here (小心心 0.1元).
func giftOf(f []string) (danmu.Gift, bool) {
	g := danmu.Gift{Name: f[0], Count: 1}
	if len(g.Name) > 64 || len(f) > 3 {
		return g, false
	}
	each := int64(0)
	for _, w := range f[1:] {
		if n, ok := count(w); ok {
			g.Count = n
		} else if c, ok := price(w); ok {
			each = c
		} else {
			return g, false
		}
	}
	g.ValueCents = each * int64(g.Count)
	return g, true
}

// count reads ×3, x3, *3 or 3个: 1 to 9999.
func count(w string) (int, bool) {
	for _, p := range []string{"×", "x", "X", "*"} {
		if rest, ok := strings.CutPrefix(w, p); ok {
			w = rest
			break
		}
	}
	w = strings.TrimSuffix(w, "个")
	n, err := strconv.Atoi(w)
	return n, err == nil && n >= 1 && n <= 9999 && w[0] != '+'
}

// price reads 0.1元, ¥0.1 or 30 in CNY and returns cents, at most
// 1,000,000元. A bare number is a price only where no count can stand
// (a super chat: 猫奴 SC 30 加油).
func price(w string) (int64, bool) {
	w = strings.TrimPrefix(strings.TrimPrefix(w, "¥"), "￥")
	w = strings.TrimSuffix(strings.TrimSuffix(w, "元"), "块")
	v, err := strconv.ParseFloat(w, 64)
	if err != nil || math.IsNaN(v) || v < 0 || v > 1e6 || strings.ContainsAny(w, "eE+-") {
		return 0, false
	}
	return int64(math.Round(v * 100)), true
}
