package control

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/mock"
	"github.com/cattease/cattease/actuators/safety"
	"github.com/cattease/cattease/control/config"
	"github.com/cattease/cattease/danmu"
)

const testRules = `
hardware:
  driver: mock
  axes:
    pan: {min: -45°, max: 45°, home: 0°, speed: 180°/s}
  switches:
    laser: {laser: false, max_on: 60s, cooldown: 10s}  # a plain switch here; the envelope below is stricter: 5 s
play: {policy: queue, queue_size: 4, pace: 100ms}
limits:
  global: {every: 200ms, burst: 5}
  user_cooldown: 2s
commands:
  - {name: left, aliases: [左, left], do: {move: pan, by: -5°}}
  - {name: right, aliases: [右, right], do: {move: pan, by: 5°}}
  - {name: laser, aliases: [激光], do: {switch: laser, on: true, for: 30s}}
  - {name: circle, aliases: [画圈], do: {sequence: circle}, allow: {guard: 1}, max_repeat: 1}
  - {name: stop, aliases: [停], do: {stop: true}, allow: moderator}
  - {name: resume, aliases: [继续], do: {resume: true}, allow: moderator}
sequences:
  circle:
    - {move: pan, to: 10°}
    - {move: pan, to: -10°, wait: 100ms}
    - {move: pan, to: 0°}
`

var t0 = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

type harness struct {
	t         *testing.T
	eng       *Engine
	env       *safety.Envelope
	pan, lz   *mock.Actuator
	now       time.Time
	decisions []Decision
	n         int
}

func newHarness(t *testing.T, yaml string) *harness {
	t.Helper()
	rules := compileText(t, yaml)
	var err error
	h := &harness{t: t, now: t0,
		pan: mock.New("pan", actuators.KindAxis, mock.Limits{}, nil),
		lz:  mock.New("laser", actuators.KindSwitch, mock.Limits{}, nil)}
	h.env, err = safety.New(safety.Config{
		Axes:     []safety.AxisLimits{{Name: "pan", Min: -45, Max: 45, Speed: 180}},
		Switches: []safety.SwitchLimits{{Name: "laser", MaxOn: 5 * time.Second, Cooldown: 10 * time.Second}},
	}, map[string]actuators.Actuator{"pan": h.pan, "laser": h.lz})
	if err != nil {
		t.Fatal(err)
	}
	h.eng, err = New(rules, h.env, Options{OnDecision: func(d Decision) { h.decisions = append(h.decisions, d) }})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func (h *harness) say(user, text string, mod func(*danmu.User)) Decision {
	h.n++
	u := danmu.User{ID: user, Name: "u" + user, Role: danmu.RoleViewer}
	if mod != nil {
		mod(&u)
	}
	return h.eng.Handle(h.now, danmu.Event{Platform: "test", Kind: danmu.KindChat, ID: fmt.Sprint(h.n),
		Time: h.now, User: u, Text: text})
}

// run advances the virtual clock by d.
func (h *harness) run(d time.Duration) {
	for end := h.now.Add(d); h.now.Before(end); {
		h.now = h.now.Add(h.env.Tick())
		h.eng.Tick(h.now)
		h.env.Step(context.Background(), h.now)
	}
}

func mod(u *danmu.User) { u.Role = danmu.RoleModerator }

func TestEveryKindOfEventGetsADecision(t *testing.T) {
	h := newHarness(t, testRules)
	cases := []struct {
		user, text string
		kind       danmu.Kind
		outcome    Outcome
		reason     actuators.Reason
	}{
		{"1", "左", danmu.KindChat, Accepted, ReasonQueued},
		{"1", "右", danmu.KindChat, Dropped, ReasonCooldownUser},
		{"2", "大家好", danmu.KindChat, Ignored, ReasonNoCommand},
		{"3", "左", danmu.KindGift, Ignored, ReasonNotChat},
		{"4", "画圈", danmu.KindChat, Dropped, ReasonPermission},
		{"5", "停", danmu.KindChat, Dropped, ReasonPermission},
	}
	for i, c := range cases {
		h.n++
		d := h.eng.Handle(h.now, danmu.Event{Kind: c.kind, ID: fmt.Sprint(i), Text: c.text,
			User: danmu.User{ID: c.user, Role: danmu.RoleViewer}})
		if d.Outcome != c.outcome || d.Reason != c.reason {
			t.Errorf("#%d %q: %s/%s, want %s/%s", i, c.text, d.Outcome, d.Reason, c.outcome, c.reason)
		}
		if d.EventID != fmt.Sprint(i) {
			t.Errorf("#%d: event id %q", i, d.EventID)
		}
	}
	if len(h.decisions) != len(cases) {
		t.Fatalf("%d decisions for %d events", len(h.decisions), len(cases))
	}
}

func TestFloodFromOneUser(t *testing.T) {
	h := newHarness(t, testRules)
	accepted := 0
	for i := range 1000 { // 1000 messages in one second
		if h.say("42", "左", nil).Outcome == Accepted {
			accepted++
		}
		if i%20 == 0 {
			h.run(20 * time.Millisecond)
		}
	}
	if accepted != 1 {
		t.Fatalf("one user flooding for 1 s got %d commands through, want 1", accepted)
	}
	counts := h.eng.Status(h.now).Decisions
	if counts["dropped:cooldown_user"] != 999 {
		t.Fatalf("counts %v", counts)
	}
}

func TestFloodFromManyUsers(t *testing.T) {
	h := newHarness(t, testRules)
	const n = 20000
	byReason := map[string]int{}
	for i := range n { // 20,000 distinct viewers within 2 s
		d := h.say(fmt.Sprint(1000+i), "右3", nil)
		byReason[string(d.Outcome)+":"+string(d.Reason)]++
		if i%200 == 0 {
			h.run(20 * time.Millisecond)
		}
	}
	total := 0
	for _, v := range byReason {
		total += v
	}
	if total != n {
		t.Fatalf("%d decisions for %d events", total, n)
	}
	// Global pacing: burst 5 + 1 per 200 ms, each 右3 costing 3 tokens; the
	// queue of 4 also caps what can wait.
	if a := byReason["accepted:queued"]; a < 2 || a > 10 {
		t.Fatalf("accepted %d of %d: %v", a, n, byReason)
	}
	if byReason["dropped:rate_global"]+byReason["dropped:queue_full"] < n-10 {
		t.Fatalf("drops %v", byReason)
	}
	if u := h.eng.Status(h.now).Users; u > 10000 {
		t.Fatalf("limiter tracks %d users, above max_users", u)
	}
	h.run(10 * time.Second)
	if p := h.pan.State().Angle; p != 45 {
		t.Fatalf("pan at %v: the accepted 右3s should have reached the +45° limit", p)
	}
}

func TestRepeatsAndClamp(t *testing.T) {
	h := newHarness(t, testRules)
	h.say("1", "右3", nil)
	h.run(time.Second)
	if p := h.pan.State().Angle; p != 15 {
		t.Fatalf("右3 moved pan to %v, want 15", p)
	}
	h.say("2", "右99", nil) // capped at 5 repeats: +25 → 40
	h.run(time.Second)
	if p := h.pan.State().Angle; p != 40 {
		t.Fatalf("右99 moved pan to %v, want 40 (repeat cap 5)", p)
	}
	h.say("3", "右5", nil) // 65 → clamped at 45
	h.run(time.Second)
	last := h.decisions[len(h.decisions)-1]
	if last.Reason != ReasonClamped || h.pan.State().Angle != 45 {
		t.Fatalf("last decision %+v, pan %v", last, h.pan.State().Angle)
	}
}

func TestEmergencyStopAndResume(t *testing.T) {
	h := newHarness(t, testRules)
	h.say("1", "激光", nil)
	h.say("2", "左", nil)
	h.say("3", "右", nil)
	h.run(40 * time.Millisecond)
	if !h.lz.State().On {
		t.Fatal("laser should be on")
	}
	if d := h.say("9", "停", mod); d.Outcome != Accepted || d.Reason != ReasonImmediate {
		t.Fatalf("stop: %+v", d)
	}
	h.run(40 * time.Millisecond)
	if h.lz.State().On {
		t.Fatal("laser on after stop")
	}
	stoppedDrops := 0
	for _, d := range h.decisions {
		if d.Outcome == Dropped && d.Reason == ReasonStopped {
			stoppedDrops++
		}
	}
	if stoppedDrops != 2 {
		t.Fatalf("the two queued moves must be dropped as stopped, got %d", stoppedDrops)
	}
	if d := h.say("4", "左", nil); d.Reason != ReasonStopped {
		t.Fatalf("during stop: %+v", d)
	}
	if d := h.say("5", "继续", nil); d.Reason != ReasonPermission {
		t.Fatalf("a viewer must not resume: %+v", d)
	}
	h.say("9", "继续", mod)
	if d := h.say("6", "左", nil); d.Outcome != Accepted {
		t.Fatalf("after resume: %+v", d)
	}
}

func TestLatestWins(t *testing.T) {
	h := newHarness(t, strings.Replace(testRules, "policy: queue", "policy: latest", 1))
	h.say("1", "左", nil) // released at the first tick
	h.run(20 * time.Millisecond)
	h.say("2", "左", nil) // waits
	h.say("3", "右", nil) // replaces it
	var superseded []string
	for _, d := range h.decisions {
		if d.Reason == ReasonSuperseded {
			superseded = append(superseded, d.EventID)
		}
	}
	if len(superseded) != 1 || superseded[0] != "2" {
		t.Fatalf("superseded %v", superseded)
	}
	h.run(time.Second)
	if p := h.pan.State().Angle; p != 0 {
		t.Fatalf("pan %v: want -5 then +5 = 0", p)
	}
}

func TestQueueFull(t *testing.T) {
	h := newHarness(t, strings.Replace(testRules, "global: {every: 200ms, burst: 5}", "global: {every: 1ms, burst: 100}", 1))
	var reasons []string
	for i := range 7 {
		reasons = append(reasons, string(h.say(fmt.Sprint(i), "左", nil).Reason))
	}
	want := "queued queued queued queued queue_full queue_full queue_full"
	if got := strings.Join(reasons, " "); got != want {
		t.Fatalf("got %s", got)
	}
}

func TestSequenceRunsInOrder(t *testing.T) {
	h := newHarness(t, testRules)
	if d := h.say("1", "画圈", func(u *danmu.User) { u.Guard = 1 }); d.Outcome != Accepted {
		t.Fatalf("guard member: %+v", d)
	}
	h.run(3 * time.Second)
	var seen []float64
	for _, c := range h.pan.History() {
		if c.Action == actuators.ActionAngle && (c.Value == 10 || c.Value == -10 || c.Value == 0) {
			if len(seen) == 0 || seen[len(seen)-1] != c.Value {
				seen = append(seen, c.Value)
			}
		}
	}
	if fmt.Sprint(seen) != "[0 10 -10 0]" {
		t.Fatalf("pan visited %v", seen)
	}
	last := h.decisions[len(h.decisions)-1]
	if last.Reason != ReasonRan || last.Rule != "circle" {
		t.Fatalf("last decision %+v", last)
	}
}

func TestSwitchRefusalIsReported(t *testing.T) {
	h := newHarness(t, testRules)
	h.say("1", "激光", nil) // asks 30 s: capped at 5 s, then 10 s cooldown
	h.run(6 * time.Second)
	h.say("2", "激光", nil)
	h.run(100 * time.Millisecond)
	var got []string
	for _, d := range h.decisions {
		got = append(got, d.EventID+":"+string(d.Reason))
	}
	if want := "1:queued 1:max_on 2:queued 2:resting"; strings.Join(got, " ") != want {
		t.Fatalf("got %v, want %s", got, want)
	}
	if r := h.decisions[len(h.decisions)-1].RetryAfter; r <= 0 || r > 10*time.Second {
		t.Fatalf("retry after %v", r)
	}
}

func TestReloadKeepsCooldowns(t *testing.T) {
	h := newHarness(t, testRules)
	h.say("1", "左", nil)
	f, _ := config.Parse("new.yaml", []byte(strings.Replace(testRules, "[左, left]", "[左, left, 向左]", 1)))
	r, err := Compile(f)
	if err != nil {
		t.Fatal(err)
	}
	if err := h.eng.Reload(h.now, r); err != nil {
		t.Fatal(err)
	}
	if d := h.say("1", "向左", nil); d.Reason != ReasonCooldownUser {
		t.Fatalf("after reload: %+v", d)
	}
	if d := h.say("2", "向左", nil); d.Outcome != Accepted {
		t.Fatalf("new alias: %+v", d)
	}
	st := h.eng.Status(h.now)
	if len(st.Recent) != 3 || st.Recent[2].EventID != "3" {
		t.Fatalf("recent feed: %+v", st.Recent)
	}
}

func TestPause(t *testing.T) {
	h := newHarness(t, testRules)
	h.eng.SetPaused(true)
	if d := h.say("1", "左", nil); d.Reason != ReasonPaused {
		t.Fatalf("%+v", d)
	}
	h.eng.SetPaused(false)
	if d := h.say("1", "左", nil); d.Outcome != Accepted {
		t.Fatalf("%+v", d)
	}
}

func TestHugeMessageIsClippedInDecision(t *testing.T) {
	h := newHarness(t, testRules)
	d := h.say("1", "左 "+strings.Repeat("喵", 1<<20), nil)
	if d.Outcome != Accepted || len(d.Text) > MaxTextInDecision+len("…") {
		t.Fatalf("outcome %s, text %d bytes", d.Outcome, len(d.Text))
	}
}

func TestRecentRingWraps(t *testing.T) {
	var r ring
	for i := range RecentSize + 5 {
		r.add(Decision{EventID: fmt.Sprint(i)})
	}
	l := r.list()
	if len(l) != RecentSize || l[0].EventID != "5" || l[RecentSize-1].EventID != fmt.Sprint(RecentSize+4) {
		t.Fatalf("ring: first %s last %s len %d", l[0].EventID, l[len(l)-1].EventID, len(l))
	}
}

func TestInjectFromPanel(t *testing.T) {
	h := newHarness(t, testRules)
	if _, err := h.eng.Inject(h.now, "dance"); err == nil {
		t.Fatal("unknown rule accepted")
	}
	d, err := h.eng.Inject(h.now, "circle") // guard-only for viewers; the panel is the owner
	if err != nil || d.Outcome != Accepted || d.Platform != "panel" {
		t.Fatalf("%+v %v", d, err)
	}
	h.eng.Inject(h.now, "stop")
	if d, _ := h.eng.Inject(h.now, "left"); d.Reason != ReasonStopped {
		t.Fatalf("during stop: %+v", d)
	}
	if got := h.eng.Commands(); len(got) != 6 || got[0] != "left" {
		t.Fatalf("commands %v", got)
	}
}
