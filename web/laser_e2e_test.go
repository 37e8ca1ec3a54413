package web

import (
	"slices"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/cattease/cattease/actuators/safety"
)

// TestBrowserRenamedLaser: a laser switch not called "laser" (rules.yaml
// `switches: {feeder: {laser: false}, pointer: {laser: true}}`). The
// overlay and the panel show the switch the server flags as the laser,
// not the first by name, and the panel's "Forbid laser" reaches it.
func TestBrowserRenamedLaser(t *testing.T) {
	ctx := browser(t)
	_, _, rig, ts := browserServer(t)
	rig.setSwitches(safety.SwitchState{Name: "feeder"},
		safety.SwitchState{Name: "pointer", Laser: true, On: true, Requested: true})

	viewport(t, ctx, 1920, 1080, false)
	open(t, ctx, ts.URL+"/overlay?preview=1")
	until(t, ctx, "the pointer lit on the overlay", `document.getElementById("dot").dataset.on === "1" &&
		document.getElementById("laser-state").textContent === "激光开"`)

	viewport(t, ctx, 412, 1400, true)
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/panel?lang=en#token="+testToken)); err != nil {
		t.Fatal(err)
	}
	until(t, ctx, "the panel's laser chip", `document.body.dataset.auth === "yes" &&
		document.getElementById("state").dataset.laser === "on" &&
		document.querySelector("#state [data-switch=pointer]").textContent === "laser on" &&
		document.querySelector("#state [data-switch=feeder]").textContent === "feeder: off"`)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("laser-off"))); err != nil {
		t.Fatal(err)
	}
	until(t, ctx, "Forbid laser done", `document.getElementById("msg").textContent === "Laser: done"`)
	if got := rig.Calls(); !slices.Equal(got, []string{"pointer=false"}) {
		t.Errorf("the rig was told %q, want pointer=false only", got)
	}

	// A wand rig: its one switch, a treat dispenser, is no laser, and a
	// dispensing treat is not shown as "laser on".
	rig.setSwitches(safety.SwitchState{Name: "treat", On: true, Requested: true})
	until(t, ctx, "the treat chip", `document.getElementById("state").dataset.laser === "off" &&
		document.querySelector("#state [data-switch=treat]").textContent === "treat: on"`)
}
