package web

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/safety"
	"github.com/cattease/cattease/control"
	"github.com/cattease/cattease/danmu"
)

func TestMetrics(t *testing.T) {
	reg := prometheus.NewRegistry()
	m, err := NewMetrics(reg)
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		m.Event(danmu.Event{Platform: "bilibili", Kind: danmu.KindChat})
	}
	m.Event(danmu.Event{Platform: "douyu", Kind: "bogus"})
	m.Event(danmu.Event{Platform: "evil\nplatform{}", Kind: danmu.KindGift})
	m.Decision(control.Decision{Outcome: control.Dropped, Reason: control.ReasonCooldownUser})
	m.Decision(control.Decision{Outcome: control.Accepted, Reason: control.ReasonRan})
	on := func(v float64, at time.Duration) safety.Output {
		return safety.Output{Time: t0.Add(at), Target: "laser", Action: actuators.ActionSwitch, Value: v}
	}
	m.Output(on(1, 0))
	m.Output(on(1, time.Second)) // still on
	m.Output(on(0, 2500*time.Millisecond))
	m.Output(safety.Output{Time: t0, Target: "pan", Action: actuators.ActionAngle, Value: 3, Err: errors.New("i2c")})
	c := &danmu.Counters{}
	c.Add("reconnect", 2)
	c.Add("decode_error:bad_length", 5)
	c.Inc("unknown_cmd")
	m.WatchSource("bilibili", c)
	m.WatchSource("douyu", &danmu.Counters{})

	s, _, _ := newTestServer("")
	s.Metrics = m
	w := do(t, s.Handler(), "GET", "/metrics", "")
	body := w.Body.String()
	for _, want := range []string{
		`cattease_events_total{kind="chat",platform="bilibili"} 3`,
		`cattease_events_total{kind="other",platform="douyu"} 1`,
		`cattease_events_total{kind="gift",platform="other"} 1`,
		`cattease_decisions_total{outcome="dropped",reason="cooldown_user"} 1`,
		`cattease_outputs_total{action="switch",output="laser"} 3`,
		`cattease_output_errors_total{output="pan"} 1`,
		`cattease_switch_on_seconds_total{switch="laser"} 2.5`,
		`cattease_source_reconnects_total{platform="bilibili"} 2`,
		`cattease_source_reconnects_total{platform="douyu"} 0`,
		`cattease_source_decode_errors_total{platform="bilibili",reason="bad_length"} 5`,
		`cattease_source_counter_total{name="unknown_cmd",platform="bilibili"} 1`,
		`cattease_queue_depth 2`,
		`cattease_queue_capacity 16`,
		`cattease_stopped 0`,
		`cattease_switch_on{switch="laser"} 1`,
		`cattease_laser_today_seconds 0`,
		`cattease_safety_actions_total{reason="clamped"} 3`,
		`go_goroutines `,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if mfs, err := reg.Gather(); err != nil || len(mfs) == 0 {
		t.Fatalf("gather: %d families, %v", len(mfs), err)
	}
}

func TestMetricsTwiceOnOneRegistry(t *testing.T) {
	reg := prometheus.NewRegistry()
	if _, err := NewMetrics(reg); err != nil {
		t.Fatal(err)
	}
	if _, err := NewMetrics(reg); err == nil || !strings.HasPrefix(err.Error(), "web: metrics: ") {
		t.Fatalf("second registration: %v", err)
	}
}

// TestWiredLate: the engine and the envelope call Decision and Output
// while the server is still being built; Handler reads the fields then.
func TestWiredLate(t *testing.T) {
	full, eng, rig := newTestServer("")
	s := &Server{}
	s.Decision(control.Decision{EventID: "1", Outcome: control.Accepted, Reason: control.ReasonQueued})
	s.Output(safety.Output{Target: "pan", Action: actuators.ActionAngle})
	m, err := NewMetrics(prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	s.Engine, s.Rig, s.Metrics, s.Now = eng, rig, m, full.Now
	w := do(t, s.Handler(), "GET", "/metrics", "")
	if w.Code != 200 || !strings.Contains(w.Body.String(), "cattease_queue_depth 2") {
		t.Fatalf("/metrics: %d\n%s", w.Code, w.Body)
	}
	if w := do(t, s.Handler(), "GET", "/api/status", ""); !strings.Contains(w.Body.String(), `"queue_len":2`) {
		t.Fatalf("/api/status: %s", w.Body)
	}
}

// TestMetricsNamesInAnyLanguage: switches named in Chinese are exported
// under their names, and switches whose names label alike (unprintable
// ones, long ones that begin alike) are one series, on while either is:
// the scrape never fails for a duplicate.
func TestMetricsNamesInAnyLanguage(t *testing.T) {
	reg := prometheus.NewRegistry()
	m, err := NewMetrics(reg)
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("逗猫棒", 30)
	s, _, rig := newTestServer("")
	rig.setSwitches(safety.SwitchState{Name: "激光", Laser: true, On: true}, safety.SwitchState{Name: "喂食器"},
		safety.SwitchState{Name: "bad\nname"}, safety.SwitchState{Name: "bell\a", On: true}, safety.SwitchState{Name: "\xff"},
		safety.SwitchState{Name: long + "甲"}, safety.SwitchState{Name: long + "乙"})
	s.Metrics = m
	m.Output(safety.Output{Time: t0, Target: "激光", Action: actuators.ActionSwitch, Value: 1})
	m.Output(safety.Output{Time: t0.Add(time.Second), Target: "激光", Action: actuators.ActionSwitch, Value: 0})
	w := do(t, s.Handler(), "GET", "/metrics", "")
	if w.Code != 200 {
		t.Fatalf("/metrics: %d\n%.400s", w.Code, w.Body)
	}
	body := w.Body.String()
	for _, want := range []string{
		`cattease_switch_on{switch="激光"} 1`,
		`cattease_switch_on{switch="喂食器"} 0`,
		`cattease_switch_on{switch="other"} 1`,
		`cattease_switch_on{switch="` + long[:63] + `"} 0`,
		`cattease_switch_on_seconds_total{switch="激光"} 1`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if n := strings.Count(body, "cattease_switch_on{"); n != 4 {
		t.Errorf("%d cattease_switch_on series, want 4", n)
	}
	if _, err := reg.Gather(); err != nil {
		t.Fatalf("gather: %v", err)
	}
}

func TestLabel(t *testing.T) {
	for in, want := range map[string]string{
		"":                      "none",
		"laser":                 "laser",
		"激光":                    "激光",
		"a b-c.d:e_f/{}\"":      "a b-c.d:e_f/{}\"",
		"evil\nvalue":           "other",
		"tab\there":             "other",
		"rtl\u202eoverride":     "other",
		"\xffbad":               "other",
		strings.Repeat("x", 70): strings.Repeat("x", 64),
		strings.Repeat("激", 22): strings.Repeat("激", 21), // 66 bytes: cut at 63, a character's end
	} {
		if got := label(in); got != want {
			t.Errorf("label(%q) = %q, want %q", in, got, want)
		}
	}
}
