package web

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/mock"
	"github.com/cattease/cattease/actuators/safety"
	"github.com/cattease/cattease/control"
	"github.com/cattease/cattease/control/config"
	"github.com/cattease/cattease/control/play"
	"github.com/cattease/cattease/danmu"
	"github.com/cattease/cattease/danmu/console"
)

// stack is the real thing with mock outputs: console chat → engine →
// envelope → mocks, and the web server watching.
type stack struct {
	srv   *Server
	env   *safety.Envelope
	eng   *control.Engine
	play  *play.Layer
	laser *mock.Actuator
	chat  *io.PipeWriter
	url   string
	// stopWeb stops the web server (Serve returns), the rest running on.
	stopWeb func()
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
		DailyLaser: 30 * time.Minute, StateFile: filepath.Join(t.TempDir(), "laser-ledger.json")}
	for _, name := range []string{"pan", "tilt"} {
		a := f.Hardware.Axes[name]
		cfg.Axes = append(cfg.Axes, safety.AxisLimits{Name: name, Min: float64(a.Min), Max: float64(a.Max),
			Home: float64(a.Home), Speed: float64(a.Speed), DetachAfter: a.DetachAfter.D()})
	}
	cfg.Switches = []safety.SwitchLimits{{Name: "laser", Laser: true, MaxOn: f.Hardware.Switches["laser"].MaxOn.D(), Cooldown: time.Second}}
	if st.env, err = safety.New(cfg, outs); err != nil {
		t.Fatal(err)
	}
	st.play = play.New(play.Config{MaxPlay: 5 * time.Minute, Rest: 2 * time.Minute}, st.env, time.Now())
	if st.eng, err = control.New(rules, st.play, control.Options{OnDecision: st.srv.Decision}); err != nil {
		t.Fatal(err)
	}
	st.srv.Engine, st.srv.Rig, st.srv.Labels = st.eng, st.play, labelsOf(t, f)
	st.run(t)
	return st
}

// run starts the motion loop, the engine, the console source and the
// HTTP server, and stops them all at the end of the test.
func (st *stack) run(t *testing.T) {
	pr, pw := io.Pipe()
	st.chat = pw
	ctx, cancel := context.WithCancel(t.Context())
	events := make(chan []danmu.Event, 64)
	var wg sync.WaitGroup
	wg.Go(func() { st.env.Run(ctx, st.play.Pre) })
	wg.Go(func() { st.eng.Run(ctx, events) })
	wg.Go(func() {
		(&console.Source{In: pr}).Stream(ctx, func(evs []danmu.Event) error {
			select {
			case events <- slices.Clone(evs): // a source's batch is lent
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
	})
	// Serve on 127.0.0.1, as cattease does: the Host check and the
	// connection cap are part of what the browser meets.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	st.url = "http://" + ln.Addr().String()
	webCtx, stopWeb := context.WithCancel(ctx)
	served := make(chan error, 1)
	go func() { served <- st.srv.Serve(webCtx, ln) }()
	var once sync.Once
	st.stopWeb = func() { once.Do(func() { stopWeb(); <-served }) }
	t.Cleanup(func() {
		st.stopWeb()
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

// browser is a headless Chromium for the test, closed at its end. It is
// started here, up to three times: on a loaded machine Chromium now and
// then exits before it listens (chromedp's "chrome failed to start"),
// which says nothing about the pages.
func browser(t *testing.T) context.Context {
	t.Helper()
	if testing.Short() {
		// The page runs in the same Chromium whatever CPU the server is built
		// for: make test runs these; the short ARM suite under qemu
		// (.ci/test-arm.sh) tests the server's Go without them.
		t.Skip("browser test: skipped with -short")
	}
	for attempt := 1; ; attempt++ {
		opts := []chromedp.ExecAllocatorOption{chromedp.ExecPath(chromium(t)),
			chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
			chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
			chromedp.Flag("disable-sync", true), chromedp.Flag("hide-scrollbars", true),
			chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1920, 1080)}
		actx, cancelA := chromedp.NewExecAllocator(t.Context(), opts...)
		ctx, cancelB := chromedp.NewContext(actx)
		err := chromedp.Do(ctx) // starts the browser
		if err == nil {
			t.Cleanup(func() { cancelB(); cancelA() })
			return ctx
		}
		cancelB()
		cancelA()
		if attempt == 3 || !strings.Contains(err.Error(), "chrome failed to start") {
			t.Fatalf("starting chromium: %v", err)
		}
		t.Logf("chromium did not start (attempt %d): %v", attempt, err)
	}
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
	offline(t, ctx, st)
}

// trail records, on every animation frame, where the dot is drawn while
// it is visible: the first paint must put it at its place, not glide it
// there from the map's corner across a keep-out zone.
const trail = `window.__trail = [];
(function rec() {
  const d = document.getElementById("dot");
  if (d && getComputedStyle(d).visibility !== "hidden" && getComputedStyle(d).display !== "none") {
    const r = d.querySelector(".core").getBoundingClientRect();
    window.__trail.push(Math.round(r.x + r.width / 2) + "," + Math.round(r.y + r.height / 2));
  }
  requestAnimationFrame(rec);
})();`

func overlay(t *testing.T, ctx context.Context, st *stack) {
	viewport(t, ctx, 1920, 1080, false)
	script, err := chromedp.Call(ctx, cdppage.AddScriptToEvaluateOnNewDocument, cdppage.AddScriptToEvaluateOnNewDocumentParams{Source: trail})
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(st.url+"/overlay?preview=1")); err != nil {
		t.Fatal(err)
	}
	until(t, ctx, "a first frame", `Number(document.body.dataset.seq || 0) > 0`)
	pan, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("dot").dataset.pan`))
	if err != nil || pan != "0.00" {
		t.Fatalf("the dot starts at pan %q (%v), want home", pan, err)
	}
	until(t, ctx, "the dot drawn for 20 frames", `window.__trail.length >= 20`)
	// Where the server says the dot is (nothing has moved it yet), in
	// screen pixels.
	want, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch("/api/status").then((r) => r.json()).then((f) => {
		const ax = (n) => f.rig.axes.find((a) => a.name === n), pan = ax("pan"), tilt = ax("tilt");
		const pt = new DOMPoint(4 + 92 * (pan.pos - pan.min) / (pan.max - pan.min),
			4 + 92 * (tilt.max - tilt.pos) / (tilt.max - tilt.min)).matrixTransform(document.getElementById("map").getScreenCTM());
		return Math.round(pt.x) + "," + Math.round(pt.y);
	})`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	path, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`window.__trail`))
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range path {
		if !near(p, want) {
			t.Fatalf("frame %d of the first paint drew the dot at %s, want %s (the reported position); path %q", i, p, want, path)
		}
	}
	if _, err := chromedp.Call(ctx, cdppage.RemoveScriptToEvaluateOnNewDocument,
		cdppage.RemoveScriptToEvaluateOnNewDocumentParams{Identifier: script.Identifier}); err != nil {
		t.Fatal(err)
	}
	st.say(t, "猫奴: 左")
	until(t, ctx, "the dot to move left", `document.getElementById("dot").dataset.pan === "-10.00"`)
	until(t, ctx, "猫奴 in the feed", `document.getElementById("feed").textContent.includes("猫奴")`)
	until(t, ctx, "猫奴 as the last mover", `document.getElementById("last-user").textContent === "猫奴"`)

	st.say(t, "@mod 房管: 激光")
	until(t, ctx, "the laser glow", `document.getElementById("dot").dataset.on === "1" &&
		document.getElementById("laser-state").textContent === "激光开"`)
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
	legible(t, ctx, "the overlay of the real engine", 15)
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
	st.say(t, "阿狸: 逗") // wand_tease, labelled {zh: 逗猫棒, en: Wand} in testdata/rules.yaml
	until(t, ctx, "the rule's label", `[...document.querySelectorAll("#feed .item")].some((li) =>
		li.textContent.includes("阿狸") && li.querySelector(".cmd").textContent === "Wand")`)
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
	// One language: nothing Chinese but what chat said and who said it.
	han, err := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll(
		"header h1, header #conn, header button, #controls button, #state span, #audit th, #audit td:last-child, #msg")] // #lang names the other language
		.map((e) => e.textContent).filter((s) => /\p{Script=Han}/u.test(s)).join(" | ")`))
	if err != nil || han != "" {
		t.Fatalf("the English panel shows Chinese: %q (%v)", han, err)
	}
	auditOK(t, ctx, "done")
	budget, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("budget").textContent`))
	if err != nil || !regexp.MustCompile(`^laser today \d+ s of 30 min$`).MatchString(budget) {
		t.Fatalf("budget %q (%v), want a duration like \"laser today 23 s of 30 min\"", budget, err)
	}
	screenshot(t, ctx, "panel-en.png")

	if err := chromedp.Do(ctx, chromedp.Navigate(st.url+"/panel?lang=zh")); err != nil {
		t.Fatal(err)
	}
	until(t, ctx, "the Chinese panel", `document.body.dataset.auth === "yes" && document.querySelector("#audit tbody").textContent.includes("房管")`)
	latin, err := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll(
		"header h1, #controls button:not([data-pattern]), #state span, #audit th, #audit td:last-child")]
		.map((e) => e.textContent).filter((s) => /[A-Za-z]{2,}/.test(s)).join(" | ")`))
	if err != nil || latin != "" {
		t.Fatalf("the Chinese panel shows English: %q (%v)", latin, err)
	}
	auditOK(t, ctx, "已执行")
	budget, err = chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("budget").textContent`))
	if err != nil || !regexp.MustCompile(`^今日激光 \d+秒 / 30分钟$`).MatchString(budget) {
		t.Fatalf("budget %q (%v), want a duration like \"今日激光 23秒 / 30分钟\"", budget, err)
	}
	if lang, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("lang").getAttribute("href")`)); lang != "/panel?lang=en" {
		t.Errorf("language switch links to %q", lang)
	}
	screenshot(t, ctx, "panel.png")
}

// auditOK checks the panel's log: one row per chat event, 24-hour times,
// and 房管's 激光 with its final outcome.
func auditOK(t *testing.T, ctx context.Context, done string) {
	t.Helper()
	rows, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("#audit tbody tr")]
		.map((tr) => tr.dataset.event + "\t" + [...tr.cells].map((c) => c.textContent).join("\t"))`))
	if err != nil || len(rows) == 0 {
		t.Fatalf("audit rows: %v", err)
	}
	seen := map[string]bool{}
	clock := regexp.MustCompile(`^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$`)
	laser := 0
	for _, r := range rows {
		c := strings.Split(r, "\t")
		if len(c) != 5 {
			t.Fatalf("audit row %q", r)
		}
		if seen[c[0]] {
			t.Errorf("event %s has two rows: %q", c[0], rows)
		}
		seen[c[0]] = true
		if !clock.MatchString(c[1]) {
			t.Errorf("time %q is not a 24-hour hh:mm:ss", c[1])
		}
		if strings.Contains(c[2], "房管") && c[3] == "激光" {
			laser++
			if !strings.Contains(c[4], done) {
				t.Errorf("房管's 激光: outcome %q, want %q", c[4], done)
			}
		}
	}
	if laser != 1 {
		t.Errorf("房管's 激光 has %d rows, want 1: %q", laser, rows)
	}
}

// offline: once the server is gone, the overlay greys out and says so
// within 3 s, and nothing keeps counting down.
func offline(t *testing.T, ctx context.Context, st *stack) {
	viewport(t, ctx, 1920, 1080, false)
	if err := chromedp.Do(ctx, chromedp.Navigate(st.url+"/overlay?preview=1")); err != nil {
		t.Fatal(err)
	}
	until(t, ctx, "a frame", `Number(document.body.dataset.seq || 0) > 0 && document.body.dataset.conn === "online"`)
	st.stopWeb()
	stopped := time.Now()
	within(t, ctx, 3*time.Second, "offline", `document.body.dataset.conn === "offline" &&
		document.getElementById("conn").textContent === "离线" && document.body.dataset.ticking === "0" &&
		document.getElementById("dot").dataset.on === "0" && document.getElementById("cooldowns").children.length === 0`)
	t.Logf("offline %v after the server stopped", time.Since(stopped).Round(time.Millisecond))
	screenshot(t, ctx, "overlay-offline.png")
}

// within waits at most d for a JavaScript condition on the page.
func within(t *testing.T, ctx context.Context, d time.Duration, what, js string) {
	t.Helper()
	wait, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	if _, err := chromedp.Run(wait, chromedp.Poll[bool](js, chromedp.WithPollingInterval(20*time.Millisecond))); err != nil {
		page, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText`))
		t.Fatalf("%s not within %v: %v\npage: %s", what, d, err, page)
	}
}

// near compares two "x,y" screen points to within a pixel.
func near(a, b string) bool {
	var ax, ay, bx, by int
	if _, err := fmt.Sscanf(a, "%d,%d", &ax, &ay); err != nil {
		return false
	}
	if _, err := fmt.Sscanf(b, "%d,%d", &bx, &by); err != nil {
		return false
	}
	return max(ax-bx, bx-ax) <= 1 && max(ay-by, by-ay) <= 1
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

// TestBrowserLaserPaused drives the pages with frames written by hand, in
// the form of the safety envelope's SwitchState: "on" is what the driver
// has, "requested" what play asked for, "reason" and "until" why they
// differ and until when. Then the frames stop, the connection stays open
// (a hung server): the overlay must still say offline within 3 s.
func TestBrowserLaserPaused(t *testing.T) {
	ctx := browser(t)
	s, _, _ := newTestServer(testToken)
	s.Now = time.Now
	var (
		cur     atomic.Pointer[[]byte]
		version atomic.Int64
	)
	push := func(sw map[string]any) {
		f := s.snapshotFrame()
		b, _ := json.Marshal(f)
		var m map[string]any
		json.Unmarshal(b, &m)
		rig := m["rig"].(map[string]any)
		rig["switches"] = []any{sw}
		rig["session"] = map[string]any{"phase": "play", "laser_today_ns": 23e9, "laser_budget_ns": 1200e9}
		b, _ = json.Marshal(m)
		cur.Store(&b)
		version.Add(1)
	}
	quit := make(chan struct{})
	mux := http.NewServeMux()
	mux.Handle("/", s.Handler())
	mux.HandleFunc("GET /api/events", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		sent := int64(0)
		for {
			if v := version.Load(); v != sent && v > 0 {
				sent = v
				fmt.Fprintf(w, "event: state\ndata: %s\n\n", *cur.Load())
				w.(http.Flusher).Flush()
			}
			select {
			case <-r.Context().Done():
				return
			case <-quit:
				return
			case <-tick.C:
			}
		}
	})
	ts := httptest.NewServer(mux)
	defer ts.Close() // waits for the event streams, which quit ends first
	defer close(quit)
	viewport(t, ctx, 1920, 1080, false)

	push(map[string]any{"name": "laser", "on": false, "requested": true, "reason": "dwell"})
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/overlay?preview=1")); err != nil {
		t.Fatal(err)
	}
	until(t, ctx, "the laser held dark by the dwell cap", `document.getElementById("dot").dataset.blanked === "1" &&
		document.getElementById("dot").dataset.on === "0" &&
		document.getElementById("laser-state").textContent === "激光暂停：静止太久"`)
	until(t, ctx, "the day's laser as durations", `document.getElementById("session").textContent.includes("今日激光 23秒 / 20分钟")`)
	screenshot(t, ctx, "overlay-paused.png")
	push(map[string]any{"name": "laser", "on": false, "requested": true, "reason": "resting",
		"until": time.Now().Add(30 * time.Second).Format(time.RFC3339Nano)})
	until(t, ctx, "the laser resting with its time left", `/^激光暂停：激光休息中 (30|29|28)秒$/.test(document.getElementById("laser-state").textContent)`)
	push(map[string]any{"name": "laser", "on": true}) // a server without "requested": "on" is all there is
	until(t, ctx, "the laser on", `document.getElementById("dot").dataset.on === "1" && document.getElementById("laser-state").textContent === "激光开"`)

	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/overlay?lang=en")); err != nil {
		t.Fatal(err)
	}
	push(map[string]any{"name": "laser", "on": false, "requested": true, "reason": "keep_out"})
	until(t, ctx, "English", `document.getElementById("laser-state").textContent === "laser paused: keep-out zone" &&
		document.getElementById("session").textContent.includes("laser today 23 s of 20 min")`)
	last := time.Now()
	// No more frames: the stream stays open but says nothing.
	within(t, ctx, 3500*time.Millisecond, "offline without frames", `document.body.dataset.conn === "offline" &&
		document.getElementById("conn").textContent === "offline" && document.getElementById("dot").dataset.blanked === "0"`)
	if d := time.Since(last); d > 3200*time.Millisecond {
		t.Errorf("offline %v after the last frame, want within 3 s", d)
	}

	viewport(t, ctx, 412, 900, true)
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/panel?lang=en")); err != nil {
		t.Fatal(err)
	}
	push(map[string]any{"name": "laser", "on": false, "requested": true, "reason": "max_on",
		"rest_until": time.Now().Add(90 * time.Second).Format(time.RFC3339Nano)})
	until(t, ctx, "the panel's paused laser", `document.getElementById("state").dataset.laser === "paused" &&
		/^laser paused: on-time cap 1:(30|29|28)$/.test(document.querySelector("#state [data-switch=laser]").textContent)`)
}
