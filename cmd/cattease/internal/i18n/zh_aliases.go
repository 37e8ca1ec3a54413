package i18n

import "maps"

// zhAliases: check refuses home where it aims into a keep-out zone under
// another name of the beam: leaning back past straight down (后仰越过正下方),
// a full turn away (转过整整一圈), or straight down, the beam of every pan
// (正下方是每个 pan 共同的方向).
var zhAliases = map[string]string{
	"home (%g°, %g°) points into zone %q: straight down (or up) is the beam of every pan, and it aims where (%g°, %g°) does, inside the zone (grown by keep_out_margin %g°)": "home (%g°, %g°) 指进了禁区 %q：正下方（或正上方）是每个 pan 共同的光束方向，它和 (%g°, %g°) 指向同一处，落在禁区里（已按 keep_out_margin %g° 扩大）",
	"home (%g°, %g°) points into zone %q: leaning back past straight down, it aims where (%g°, %g°) does, inside the zone (grown by keep_out_margin %g°)":                    "home (%g°, %g°) 指进了禁区 %q：它后仰越过正下方，光束和 (%g°, %g°) 指向同一处，落在禁区里（已按 keep_out_margin %g° 扩大）",
	"home (%g°, %g°) points into zone %q: a full turn away, it aims where (%g°, %g°) does, inside the zone (grown by keep_out_margin %g°)":                                   "home (%g°, %g°) 指进了禁区 %q：它和 (%g°, %g°) 相差整整一圈，光束指向同一处，落在禁区里（已按 keep_out_margin %g° 扩大）",
}

// The table is built at the first use (zhTable), after every init: these
// join the config checks' own.
func init() { maps.Copy(zhConfigMore, zhAliases) }
