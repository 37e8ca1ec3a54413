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
		rig.state.Axes = []safety.AxisState{{Name: "pan", Pos: pan, Target: pan, Min: -45, Max: 45, Homed: true},
			{Name: "tilt", Pos: tilt, Target: tilt, Min: 5, Max: 40, Home: 20, Homed: true}}
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

// TestBrowserUnhomedDot: a servo not homed (limp where a crash or a braked
// stop left it, or held at home before it has surely arrived) is not
// where the snapshot's angle says, so the overlay draws no dot for it
// rather than one at home.
func TestBrowserUnhomedDot(t *testing.T) {
	ctx := browser(t)
	_, _, rig, ts := browserServer(t)
	set := func(homed bool) {
		rig.mu.Lock()
		defer rig.mu.Unlock()
		rig.state.Axes = []safety.AxisState{{Name: "pan", Pos: 0, Target: 0, Min: -45, Max: 45, Homed: true},
			{Name: "tilt", Pos: 20, Target: 20, Min: 5, Max: 40, Home: 20, Homed: homed}}
	}
	set(false)
	viewport(t, ctx, 1280, 720, false)
	open(t, ctx, ts.URL+"/overlay?preview=1")
	const shown = `getComputedStyle(document.getElementById("dot")).visibility === "visible"`
	until(t, ctx, "no dot while tilt is not homed", `document.getElementById("dot").classList.contains("unhomed") && !(`+shown+`)`)
	set(true)
	until(t, ctx, "the dot once both are homed", shown)
}
