package i18n

import "maps"

// zhDailyCap: a daily laser budget so long that it never caps anything.
var zhDailyCap = map[string]string{
	"daily_laser %v caps nothing: the lasers' max_on and cooldown already allow at most %v lit a day; write less, or leave the key out for the %v default": "daily_laser %v 形同虚设：激光的 max_on 和 cooldown 本来就只允许一天最多亮 %v；写小一点，或者删掉这一项就用默认的 %v",
}

func init() { maps.Copy(zhConfigMore, zhDailyCap) }
