package web

import (
	"testing"

	"github.com/cattease/cattease/actuators/safety"
)

// TestBrowserParkedDot: the dot parked by the map's edge (the shipped
// park position, tilt 8° of 5–40°, is by 近) fades the edge word it is
// on, and the word comes back when the dot moves away.
func TestBrowserParkedDot(t *testing.T) {
	ctx := browser(t)
	_, _, rig, ts := browserServer(t)
	place := func(pan, tilt float64) {
		rig.mu.Lock()
		defer rig.mu.Unlock()
		rig.state.Axes = []safety.AxisState{{Name: "pan", Pos: pan, Target: pan, Min: -45, Max: 45},
			{Name: "tilt", Pos: tilt, Target: tilt, Min: 5, Max: 40, Home: 20}}
	}
	place(0, 8)
	viewport(t, ctx, 1280, 720, false)
	open(t, ctx, ts.URL+"/overlay?preview=1")
	const faded = `[...document.querySelectorAll("#map .edge")].filter((e) => Number(getComputedStyle(e).opacity) < 0.5)
		.map((e) => e.textContent).join(" ")`
	until(t, ctx, "近 faded under the parked dot", faded+` === "近"`)
	place(0, 22)
	until(t, ctx, "近 back once the dot left", faded+` === ""`)
	place(-44, 22)
	until(t, ctx, "左 faded under the dot at the far left", faded+` === "左"`)
}
