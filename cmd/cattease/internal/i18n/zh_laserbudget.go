package i18n

import "maps"

// zhLaserBudget: the checks that keep a laser's light budget and daily
// budget from being written away.
var zhLaserBudget = map[string]string{
	"a laser needs a daily budget: with 0 it could be lit all day; leave the key out for the %v default":                                                                          "激光必须有每日额度：设成 0 它就能亮一整天；删掉这一项就用默认的 %v",
	"a laser's cooldown %v is under half its max_on %v: its light budget would allow it lit nearly all the time; rest at least %v, or leave cooldown out (it defaults to max_on)": "激光的 cooldown %v 不到 max_on %v 的一半：这样的亮灯额度几乎允许它一直亮着；至少休息 %v，或者删掉 cooldown（默认等于 max_on）",
}

// The table is built at the first use (zhTable), after every init: these
// join the config checks' own.
func init() { maps.Copy(zhConfigMore, zhLaserBudget) }
