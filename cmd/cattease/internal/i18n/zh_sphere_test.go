package i18n

import "testing"

// The checks of dwell_radius and keep_out_margin read in Chinese as check
// prints them, the numbers kept.
func TestSphereMessagesTranslate(t *testing.T) {
	for _, c := range []struct{ msg, want string }{
		{"r.yaml:12:17: safety.dwell_radius: dwell_radius 10.5° outside (0°, 10°] (the angle the beam turns)",
			"r.yaml:12:17: safety.dwell_radius: dwell_radius 10.5° 超出 (0°, 10°]（光束转过的角度）"},
		{"r.yaml:12:20: safety.keep_out_margin: keep_out_margin 10° outside [0°, 10°) (the angle the beam turns)",
			"r.yaml:12:20: safety.keep_out_margin: keep_out_margin 10° 超出 [0°, 10°)（光束转过的角度）"},
		{"r.yaml:13:14: safety.keep_out[0]: home (0°, 20°) lies inside this zone grown by keep_out_margin 2° (the angle the beam turns) to pan [-4.522680951°, 34.522680951°], tilt [8°, 21°]",
			"r.yaml:13:14: safety.keep_out[0]: home (0°, 20°) 落在按 keep_out_margin 2°（光束转过的角度）扩大后的这个禁区里：扩大后是 pan [-4.522680951°, 34.522680951°]、tilt [8°, 21°]"},
		{"r.yaml:13:14: safety.keep_out[0]: home (0°, 20°) lies inside this zone grown by keep_out_margin 9.5° (the angle the beam turns): it comes within the margin of straight down, so it covers every pan from tilt -28.5° to 28.5°",
			"r.yaml:13:14: safety.keep_out[0]: home (0°, 20°) 落在按 keep_out_margin 9.5°（光束转过的角度）扩大后的这个禁区里：它离正下方不到这个边距，所以覆盖 tilt -28.5° 到 28.5° 之间的所有 pan"},
	} {
		if got := For(Chinese).TranslateLine(c.msg); got != c.want {
			t.Errorf("%q\n\tread %q\n\twant %q", c.msg, got, c.want)
		}
	}
}
