//go:build plotexample

package plot_test

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"testing"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/mock"
	"github.com/cattease/cattease/actuators/safety"
	"github.com/cattease/cattease/actuators/safety/plot"
	"github.com/cattease/cattease/control"
	"github.com/cattease/cattease/control/config"
	"github.com/cattease/cattease/danmu"
)

// TestRenderExample regenerates docs/plot-example.svg: ten minutes of
// generated chat replayed through the shipped rules.yaml (plus a ceiling,
// two keep-out zones and a dwell cap), the envelope and mock outputs, the
// way `cattease replay --plot` does. Run it with
//
//	go test -tags plotexample -run TestRenderExample ./actuators/safety/plot
func TestRenderExample(t *testing.T) {
	f, err := config.Load("../../../rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	rules, err := control.Compile(f)
	if err != nil {
		t.Fatal(err)
	}
	var rec plot.Recorder
	env, err := safety.New(envelopeConfig(f, rec.Add), mockOutputs(f))
	if err != nil {
		t.Fatal(err)
	}
	eng, err := control.New(rules, env, control.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := control.Replay(context.Background(), &chat{events: generateChat()}, eng, env, control.ReplayOptions{}); err != nil {
		t.Fatal(err)
	}
	geo := env.Snapshot()
	out, err := os.Create("../../../docs/plot-example.svg")
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	if err := rec.WriteSVG(out, geo, plot.Options{Title: "rules.yaml against 10 minutes of chat"}); err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v", rec.Stats())
}

// generateChat makes ten minutes of a lively room: viewers who push the
// dot one way for a while, laser spam, a 舰长 asking for a circle, a
// medal-5 fan for a zigzag, and the owner's 停 … 继续.
func generateChat() []danmu.Event {
	rng := rand.New(rand.NewPCG(22, 11))
	start := time.Date(2026, 11, 21, 20, 0, 0, 0, time.UTC)
	moods := [][]string{{"左", "上", "左3", "激光"}, {"右", "右", "上", "激光", "右2"}, {"下", "左", "下2"},
		{"右", "下", "激光", "中"}, {"上", "上2", "右", "激光"}, {"左", "下", "左2", "激光", "关灯"}}
	var evs []danmu.Event
	at := time.Duration(0)
	for i := 0; at < 10*time.Minute; i++ {
		at += time.Duration(rng.ExpFloat64() * float64(700*time.Millisecond))
		mood := moods[int(at/(100*time.Second))%len(moods)]
		text := mood[rng.IntN(len(mood))]
		if rng.IntN(5) == 0 {
			text = "哈哈哈"
		}
		u := danmu.User{ID: fmt.Sprint(1000 + rng.IntN(40)), Name: "viewer", Role: danmu.RoleViewer}
		evs = append(evs, event(start.Add(at), i, u, text))
	}
	owner := danmu.User{ID: "1", Name: "owner", Role: danmu.RoleOwner}
	guard := danmu.User{ID: "2", Name: "captain", Role: danmu.RoleViewer, Guard: 1}
	fan := danmu.User{ID: "3", Name: "fan", Role: danmu.RoleViewer, Medal: 6}
	extra := []danmu.Event{event(start.Add(150*time.Second), -1, guard, "画圈"), event(start.Add(330*time.Second), -2, fan, "之字"),
		event(start.Add(420*time.Second), -3, owner, "停"), event(start.Add(450*time.Second), -4, owner, "继续")}
	return merge(evs, extra)
}

func event(at time.Time, i int, u danmu.User, text string) danmu.Event {
	return danmu.Event{Platform: "bilibili", Room: "1", Kind: danmu.KindChat, ID: fmt.Sprint(i), Time: at, User: u, Text: text}
}

// merge inserts extra events (in time order) into evs.
func merge(evs, extra []danmu.Event) []danmu.Event {
	var out []danmu.Event
	for _, e := range evs {
		for len(extra) > 0 && extra[0].Time.Before(e.Time) {
			out, extra = append(out, extra[0]), extra[1:]
		}
		out = append(out, e)
	}
	return append(out, extra...)
}

type chat struct{ events []danmu.Event }

func (c *chat) Next() (danmu.Event, error) {
	if len(c.events) == 0 {
		return danmu.Event{}, io.EOF
	}
	e := c.events[0]
	c.events = c.events[1:]
	return e, nil
}

// mockOutputs and envelopeConfig mirror cmd/cattease's rig for a dry run.
func mockOutputs(f *config.File) map[string]actuators.Actuator {
	outs := map[string]actuators.Actuator{}
	for name := range f.Hardware.Axes {
		outs[name] = mock.New(name, actuators.KindAxis, mock.Limits{}, nil)
	}
	for name := range f.Hardware.Switches {
		outs[name] = mock.New(name, actuators.KindSwitch, mock.Limits{}, nil)
	}
	return outs
}

func envelopeConfig(f *config.File, onOutput func(safety.Output)) safety.Config {
	c := safety.Config{DeadMan: f.Safety.DeadMan.D(), OnOutput: onOutput}
	for _, name := range []string{"pan", "tilt"} {
		a := f.Hardware.Axes[name]
		c.Axes = append(c.Axes, safety.AxisLimits{Name: name, Min: float64(a.Min), Max: float64(a.Max),
			Home: float64(a.Home), Speed: float64(a.Speed), Accel: float64(a.Accel), DetachAfter: a.DetachAfter.D()})
	}
	// The geometry a streamer would add under safety: in rules.yaml.
	ceiling := 44.0
	c.PanAxis, c.TiltAxis, c.Ceiling, c.DwellCap = "pan", "tilt", &ceiling, 5*time.Second
	c.Zones = []safety.Zone{
		{Name: "window", PanMin: 28, PanMax: 45, TiltMin: 30, TiltMax: 40},
		{Name: "TV", PanMin: -40, PanMax: -28, TiltMin: 8, TiltMax: 15},
	}
	s := f.Hardware.Switches["laser"]
	c.Switches = append(c.Switches, safety.SwitchLimits{Name: "laser", MaxOn: s.MaxOn.D(), Cooldown: s.Cooldown.D()})
	return c
}
