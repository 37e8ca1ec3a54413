package web

import (
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/mock"
	"github.com/cattease/cattease/actuators/safety"
	"github.com/cattease/cattease/control"
	"github.com/cattease/cattease/control/config"
	"github.com/cattease/cattease/control/play"
	"github.com/chromedp/chromedp"
)

// newWandStack is the stack with the shipped rules.wand.yaml: a feather
// wand on a swing and a lift servo, no laser.
func newWandStack(t *testing.T) *stack {
	t.Helper()
	f, err := config.Load("../rules.wand.yaml")
	if err != nil {
		t.Fatal(err)
	}
	rules, err := control.Compile(f)
	if err != nil {
		t.Fatal(err)
	}
	st := &stack{srv: &Server{Token: testToken, Log: slog.New(slog.DiscardHandler)}}
	pan, tilt := f.AimAxes()
	cfg := safety.Config{OnOutput: st.srv.Output, PanAxis: pan, TiltAxis: tilt}
	outs := map[string]actuators.Actuator{}
	for _, name := range []string{"lift", "swing"} {
		a := f.Hardware.Axes[name]
		outs[name] = mock.New(name, actuators.KindAxis, mock.Limits{}, nil)
		cfg.Axes = append(cfg.Axes, safety.AxisLimits{Name: name, Min: float64(a.Min), Max: float64(a.Max),
			Home: float64(a.Home), Speed: float64(a.Speed), Accel: float64(a.Accel), DetachAfter: a.DetachAfter.D(),
			DutyMax: a.Duty.Max.D(), DutyWindow: a.Duty.Window.D()})
	}
	if st.env, err = safety.New(cfg, outs); err != nil {
		t.Fatal(err)
	}
	st.play = play.New(play.Config{MaxPlay: 5 * time.Minute, Rest: 2 * time.Minute}, st.env, time.Now())
	if st.eng, err = control.New(rules, st.play, control.Options{OnDecision: st.srv.Decision}); err != nil {
		t.Fatal(err)
	}
	st.srv.Engine, st.srv.Rig = st.eng, st.play
	st.run(t)
	return st
}

// TestBrowserWand: a rig without a laser is drawn as a wand (pivot,
// stick, feather, its sweep range) that follows chat, in both languages,
// on the overlay at 1080p and 720p and on the panel, which offers no
// laser buttons.
func TestBrowserWand(t *testing.T) {
	ctx := browser(t)
	st := newWandStack(t)
	viewport(t, ctx, 1920, 1080, false)
	if err := chromedp.Do(ctx, chromedp.Navigate(st.url+"/overlay?preview=1")); err != nil {
		t.Fatal(err)
	}
	until(t, ctx, "a wand", `document.body.classList.contains("wand") && document.getElementById("wand").dataset.pan === "0.00"`)
	until(t, ctx, "no dot", `getComputedStyle(document.getElementById("dot")).display === "none"`)
	until(t, ctx, "the feather, stick and sweep drawn", `["wand-sweep", "wand-stick", "wand-feather", "wand-pivot"].every((c) =>
		{ const r = document.querySelector("#wand ." + c).getBoundingClientRect(); return r.width + r.height > 5; })`)
	until(t, ctx, "the wand in words", `document.getElementById("laser-state").textContent.startsWith("逗猫棒：中间")`)
	st.say(t, "猫奴: 左3")
	until(t, ctx, "the wand to swing left", `document.getElementById("wand").dataset.pan === "-30.00"`)
	until(t, ctx, "the words to follow", `document.getElementById("laser-state").textContent.includes("左边")`)
	st.say(t, "阿花: 上")
	until(t, ctx, "the feather to rise", `document.getElementById("wand").dataset.lift === "23.00"`)
	until(t, ctx, "猫奴 in the feed", `document.getElementById("feed").textContent.includes("猫奴")`)
	until(t, ctx, "a wand's up", `document.getElementById("feed").textContent.includes("↑ 高")`)
	screenshot(t, ctx, "overlay-wand.png")
	fits(t, ctx) // leaves the page at 1280×720
	legible(t, ctx, "the wand overlay", 15)
	screenshot(t, ctx, "overlay-wand-720.png")

	if err := chromedp.Do(ctx, chromedp.Navigate(st.url+"/overlay?lang=en")); err != nil {
		t.Fatal(err)
	}
	until(t, ctx, "the wand in English", `document.getElementById("laser-state").textContent.startsWith("wand: left")`)
	if got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText`)); err != nil || containsAny(got, "激光", "laser") {
		t.Errorf("a wand overlay speaks of a laser (%v): %q", err, got)
	}

	viewport(t, ctx, 412, 1400, true)
	if err := chromedp.Do(ctx, chromedp.Navigate(st.url+"/panel?lang=en")); err != nil {
		t.Fatal(err)
	}
	until(t, ctx, "the panel's wand", `document.body.classList.contains("wand") &&
		document.getElementById("wand-words") && document.getElementById("wand-words").textContent.startsWith("wand: left") &&
		document.getElementById("wand-view").getBoundingClientRect().width > 0`)
	until(t, ctx, "no laser buttons", `getComputedStyle(document.getElementById("laser-on").closest("section")).display === "none" && document.getElementById("laser-on").getBoundingClientRect().width === 0`)
	screenshot(t, ctx, "panel-wand.png")
}

func containsAny(s string, subs ...string) bool {
	for _, x := range subs {
		if strings.Contains(s, x) {
			return true
		}
	}
	return false
}
