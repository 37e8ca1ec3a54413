package i18n

import "maps"

// zhParkTime: check refuses an axis too slow to park on the way out.
var zhParkTime = map[string]string{
	"speed %g°/s takes %v to park across [%g°, %g°], over %v: cattease would stop parking on its way out before the servo got home; use a faster speed or a narrower range": "速度 %g°/s 停靠要 %v（范围 [%g°, %g°]），超过 %v：cattease 退出时停靠会在舵机回到 home 之前就停下；请用更快的速度或更窄的范围",
}

func init() { maps.Copy(zhConfigMore, zhParkTime) }
