package web

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/mock"
	"github.com/cattease/cattease/actuators/safety"
	"github.com/cattease/cattease/control"
	"github.com/cattease/cattease/control/config"
	"github.com/cattease/cattease/danmu"
	"github.com/cattease/cattease/danmu/console"
)

// stack is the real thing with mock outputs: console chat → engine →
// envelope → mocks, and the web server watching.
type stack struct {
	srv   *Server
	env   *safety.Envelope
	eng   *control.Engine
	laser *mock.Actuator
	chat  *io.PipeWriter
	url   string
}

func newStack(t *testing.T) *stack {
	t.Helper()
	f, err := config.Load("testdata/rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	rules, err := control.Compile(f)
	if err != nil {
		t.Fatal(err)
	}
	st := &stack{srv: &Server{Token: testToken, Log: slog.New(slog.DiscardHandler)},
		laser: mock.New("laser", actuators.KindSwitch, mock.Limits{}, nil)}
	outs := map[string]actuators.Actuator{"laser": st.laser,
		"pan": mock.New("pan", actuators.KindAxis, mock.Limits{}, nil), "tilt": mock.New("tilt", actuators.KindAxis, mock.Limits{}, nil)}
	ceiling := 35.0
	cfg := safety.Config{OnOutput: st.srv.Output, PanAxis: "pan", TiltAxis: "tilt", Ceiling: &ceiling,
		Zones:      []safety.Zone{{Name: "window", PanMin: 25, PanMax: 45, TiltMin: 26, TiltMax: 40}},
		Session:    safety.SessionConfig{MaxPlay: 5 * time.Minute, Rest: 2 * time.Minute},
		DailyLaser: 30 * time.Minute, StateFile: filepath.Join(t.TempDir(), "laser-ledger.json")}
	for _, name := range []string{"pan", "tilt"} {
		a := f.Hardware.Axes[name]
		cfg.Axes = append(cfg.Axes, safety.AxisLimits{Name: name, Min: float64(a.Min), Max: float64(a.Max),
			Home: float64(a.Home), Speed: float64(a.Speed), DetachAfter: a.DetachAfter.D()})
	}
	cfg.Switches = []safety.SwitchLimits{{Name: "laser", MaxOn: f.Hardware.Switches["laser"].MaxOn.D(), Cooldown: time.Second}}
	if st.env, err = safety.New(cfg, outs); err != nil {
		t.Fatal(err)
	}
	if st.eng, err = control.New(rules, st.env, control.Options{OnDecision: st.srv.Decision}); err != nil {
		t.Fatal(err)
	}
	st.srv.Engine, st.srv.Rig = st.eng, st.env
	st.run(t)
	return st
}

// run starts the motion loop, the engine, the console source and the
// HTTP server, and stops them all at the end of the test.
func (st *stack) run(t *testing.T) {
	pr, pw := io.Pipe()
	st.chat = pw
	ctx, cancel := context.WithCancel(t.Context())
	events := make(chan danmu.Event, 64)
	var wg sync.WaitGroup
	wg.Go(func() { st.env.Run(ctx) })
	wg.Go(func() { st.eng.Run(ctx, events) })
	wg.Go(func() { (&console.Source{In: pr}).Run(ctx, events) })
	ts := httptest.NewServer(st.srv.Handler())
	st.url = ts.URL
	t.Cleanup(func() {
		ts.Close()
		cancel()
		pw.Close()
		wg.Wait()
	})
}

func (st *stack) say(t *testing.T, line string) {
	t.Helper()
	if _, err := io.WriteString(st.chat, line+"\n"); err != nil {
		t.Fatal(err)
	}
}

func chromium(t *testing.T) string {
	for _, p := range []string{os.Getenv("CATTEASE_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if p != "" {
			if _, err := os.Stat(p); err == nil {
				return p
			}
		}
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	t.Skip("no chromium binary (apt-get install chromium, or set CATTEASE_CHROMIUM); skipping the browser test")
	return ""
}

func browser(t *testing.T) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{chromedp.ExecPath(chromium(t)),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1920, 1080)}
	actx, cancelA := chromedp.NewExecAllocator(t.Context(), opts...)
	ctx, cancelB := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelB(); cancelA() })
	return ctx
}

// until waits for a JavaScript condition on the page.
func until(t *testing.T, ctx context.Context, what, js string) {
	t.Helper()
	wait, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if _, err := chromedp.Run(wait, chromedp.Poll[bool](js, chromedp.WithPollingInterval(50*time.Millisecond))); err != nil {
		page, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText`))
		t.Fatalf("waiting for %s: %v\npage: %s", what, err, page)
	}
}

func TestBrowser(t *testing.T) {
	ctx := browser(t)
	st := newStack(t)
	overlay(t, ctx, st)
	panel(t, ctx, st)
}

func overlay(t *testing.T, ctx context.Context, st *stack) {
	viewport(t, ctx, 1920, 1080, false)
	if err := chromedp.Do(ctx, chromedp.Navigate(st.url+"/overlay?preview=1")); err != nil {
		t.Fatal(err)
	}
	until(t, ctx, "a first frame", `Number(document.body.dataset.seq || 0) > 0`)
	pan, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("dot").dataset.pan`))
	if err != nil || pan != "0.00" {
		t.Fatalf("the dot starts at pan %q (%v), want home", pan, err)
	}
	st.say(t, "猫奴: 左")
	until(t, ctx, "the dot to move left", `document.getElementById("dot").dataset.pan === "-10.00"`)
	until(t, ctx, "猫奴 in the feed", `document.getElementById("feed").textContent.includes("猫奴")`)
	until(t, ctx, "猫奴 as the last mover", `document.getElementById("last-user").textContent === "猫奴"`)

	st.say(t, "@mod 房管: 激光")
	until(t, ctx, "the laser glow", `document.getElementById("dot").dataset.on === "1"`)
	if !st.laser.State().On {
		t.Fatal("the overlay shows the laser on but the mock is off")
	}
	st.say(t, "阿花: 右3")
	until(t, ctx, "three steps right", `document.getElementById("dot").dataset.pan === "20.00"`)
	st.say(t, "小鱼: 左")
	st.say(t, "阿花: 左") // within 阿花's cooldown: refused, and said so once
	st.say(t, "阿花: 左")
	st.say(t, "小鱼: 激光") // the laser command is cooling down
	until(t, ctx, "refusal feedback", `document.getElementById("feedback").textContent.includes("×2")`)
	until(t, ctx, "the laser's cooldown", `document.getElementById("cooldowns").textContent.includes("激光")`)
	until(t, ctx, "the dot to settle", `document.getElementById("dot").dataset.pan === "10.00"`)
	screenshot(t, ctx, "overlay.png")
	fits(t, ctx)
	if err := chromedp.Do(ctx, chromedp.Navigate(st.url+"/overlay?lang=en")); err != nil {
		t.Fatal(err)
	}
	until(t, ctx, "English", `document.getElementById("policy").textContent === "Queue mode" &&
		document.getElementById("feed").textContent.includes("left")`)

	st.say(t, "<b>喵</b>: 右") // a hostile name is shown as text
	until(t, ctx, "the hostile name as text", `document.getElementById("feed").textContent.includes("<b>喵</b>")`)
	bold, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#overlay b").length`))
	if err != nil || bold != 0 {
		t.Fatal("a chat name became HTML")
	}
}

// fits checks the overlay stays on screen, and in proportion, at 720p.
func fits(t *testing.T, ctx context.Context) {
	t.Helper()
	const js = `(() => { const r = document.getElementById("overlay").getBoundingClientRect();
		return [r.left, r.top, r.right, r.bottom, innerWidth, innerHeight].map(Math.round).join(","); })()`
	big, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
	if err != nil {
		t.Fatal(err)
	}
	viewport(t, ctx, 1280, 720, false)
	until(t, ctx, "the 720p layout", `innerHeight === 720`)
	small, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
	if err != nil {
		t.Fatal(err)
	}
	var b, sm [6]int
	fmt.Sscanf(big, "%d,%d,%d,%d,%d,%d", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5])
	fmt.Sscanf(small, "%d,%d,%d,%d,%d,%d", &sm[0], &sm[1], &sm[2], &sm[3], &sm[4], &sm[5])
	for _, r := range [][6]int{b, sm} {
		if r[0] < 0 || r[1] < 0 || r[2] > r[4] || r[3] > r[5] || r[2]-r[0] > r[4]/2 {
			t.Fatalf("overlay box %v does not fit its %dx%d screen", r[:4], r[4], r[5])
		}
	}
	if w1, w2 := float64(b[2]-b[0])/1080, float64(sm[2]-sm[0])/720; w1/w2 < 0.9 || w1/w2 > 1.1 {
		t.Fatalf("the overlay does not scale with the height: %s vs %s", big, small)
	}
}

// viewport sets the page size: 1920×1080 as OBS renders the overlay, a
// phone for the panel.
func viewport(t *testing.T, ctx context.Context, w, h int64, mobile bool) {
	t.Helper()
	_, err := chromedp.Call(ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
		Width: w, Height: h, DeviceScaleFactor: 1, Mobile: mobile})
	if err != nil {
		t.Fatal(err)
	}
}

func panel(t *testing.T, ctx context.Context, st *stack) {
	viewport(t, ctx, 412, 1400, true)
	if err := chromedp.Do(ctx, chromedp.Navigate(st.url+"/panel?lang=en")); err != nil {
		t.Fatal(err)
	}
	until(t, ctx, "the login form", `document.body.dataset.auth === "no" && !document.getElementById("login").hidden`)
	code, err := chromedp.Run(ctx, chromedp.Evaluate[int](`fetch("/api/control/stop", {method: "POST"}).then(r => r.status)`, chromedp.EvalAwaitPromise))
	if err != nil || code != 401 || st.eng.Status(time.Now()).Stopped {
		t.Fatalf("a stop without the token: status %d (%v), stopped %v", code, err, st.eng.Status(time.Now()).Stopped)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(st.url+"/panel?lang=en#token="+testToken)); err != nil {
		t.Fatal(err)
	}
	until(t, ctx, "login by link", `document.body.dataset.auth === "yes" && location.hash === ""`)
	until(t, ctx, "pattern buttons", `document.querySelector("[data-pattern=circle]") !== null`)
	until(t, ctx, "the laser on", `document.getElementById("state").dataset.laser === "on"`)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("stop"))); err != nil {
		t.Fatal(err)
	}
	until(t, ctx, "the panel to show the stop", `document.getElementById("state").dataset.stopped === "1" && document.getElementById("state").dataset.laser === "off"`)
	eventually(t, "the laser off", func() bool { return !st.laser.State().On })
	if !st.env.Snapshot().Stopped || !st.eng.Status(time.Now()).Stopped {
		t.Fatal("stop did not reach the engine and the envelope")
	}
	until(t, ctx, "the audit log", `document.querySelector("#audit tbody").textContent.includes("房管")`)
	screenshot(t, ctx, "panel.png")
}

// eventually polls a condition the browser cannot see (a mock's state).
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(5 * time.Second)
	for !cond() {
		select {
		case <-tick.C:
		case <-deadline:
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// screenshot writes docs/NAME when CATTEASE_SCREENSHOT=1.
func screenshot(t *testing.T, ctx context.Context, name string) {
	if os.Getenv("CATTEASE_SCREENSHOT") != "1" {
		return
	}
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("..", "docs", name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s", path)
}
