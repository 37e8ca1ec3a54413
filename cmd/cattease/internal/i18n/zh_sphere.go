package i18n

import "maps"

// zhSphere: the checks of dwell_radius and keep_out_margin, which are the
// angle the beam turns (光束转过的角度), not pan/tilt degrees.
var zhSphere = map[string]string{
	"keep_out_margin %g° outside [0°, %g°) (the angle the beam turns)":                                                                                                                        "keep_out_margin %g° 超出 [0°, %g°)（光束转过的角度）",
	"dwell_radius %g° outside (0°, %g°] (the angle the beam turns)":                                                                                                                           "dwell_radius %g° 超出 (0°, %g°]（光束转过的角度）",
	"home (%g°, %g°) lies inside this zone grown by keep_out_margin %g° (the angle the beam turns) to pan [%g°, %g°], tilt [%g°, %g°]":                                                        "home (%g°, %g°) 落在按 keep_out_margin %g°（光束转过的角度）扩大后的这个禁区里：扩大后是 pan [%g°, %g°]、tilt [%g°, %g°]",
	"home (%g°, %g°) lies inside this zone grown by keep_out_margin %g° (the angle the beam turns): it comes within the margin of straight down, so it covers every pan from tilt %g° to %g°": "home (%g°, %g°) 落在按 keep_out_margin %g°（光束转过的角度）扩大后的这个禁区里：它离正下方不到这个边距，所以覆盖 tilt %g° 到 %g° 之间的所有 pan",
}

// The table is built at the first use (zhTable), after every init: these
// join the config checks' own.
func init() { maps.Copy(zhConfigMore, zhSphere) }
