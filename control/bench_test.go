package control

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/mock"
	"github.com/cattease/cattease/actuators/safety"
	"github.com/cattease/cattease/danmu"
)

// rules200 builds a config with 200 commands: the 4 moves plus 196 more
// with three aliases each.
func rules200(tb testing.TB) *Rules {
	var b strings.Builder
	b.WriteString(`
hardware:
  driver: mock
  axes:
    pan: {min: -45°, max: 45°, speed: 180°/s}
    tilt: {min: 5°, max: 40°, home: 20°, speed: 180°/s}
  switches:
    laser: {laser: false, max_on: 10s}  # a plain switch: the bench measures matching, not eye safety
limits: {global: {every: 100ms, burst: 10}, user_cooldown: 2s, max_users: 10000}
commands:
  - {name: left, aliases: [左, left, ←], do: {move: pan, by: -5°}}
  - {name: right, aliases: [右, right, →], do: {move: pan, by: 5°}}
  - {name: up, aliases: [上, up, ↑], do: {move: tilt, by: 3°}}
  - {name: down, aliases: [下, down, ↓], do: {move: tilt, by: -3°}}
`)
	for i := range 196 {
		fmt.Fprintf(&b, "  - {name: c%d, aliases: [命令%d, cmd%d, 动作%d], do: {move: pan, to: %d°}}\n", i, i, i, i, i%40-20)
	}
	return compileText(tb, b.String())
}

func benchRig(tb testing.TB) *safety.Envelope {
	env, err := safety.New(safety.Config{
		Axes: []safety.AxisLimits{{Name: "pan", Min: -45, Max: 45, Speed: 180},
			{Name: "tilt", Min: 5, Max: 40, Home: 20, Speed: 180}},
		Switches: []safety.SwitchLimits{{Name: "laser", MaxOn: 10 * time.Second}},
	}, map[string]actuators.Actuator{
		"pan":   mock.New("pan", actuators.KindAxis, mock.Limits{}, nil),
		"tilt":  mock.New("tilt", actuators.KindAxis, mock.Limits{}, nil),
		"laser": mock.New("laser", actuators.KindSwitch, mock.Limits{}, nil)})
	if err != nil {
		tb.Fatal(err)
	}
	return env
}

// chatMix is realistic chat: mostly talk, some commands, repeats, noise.
var chatMix = []string{"左", "右3", "哈哈哈哈哈", "上", "主播好", "ｌｅｆｔ！", "命令17", "666666",
	"下 冲冲冲", "这猫好可爱啊啊啊", "右右右", "cmd150", "？？？", "→", "[dog][dog]", "left x2"}

// BenchmarkHandle measures one chat event through normalize → match →
// permission → rate limits → play policy, with 200 rules and 100,000
// distinct senders cycling through a 10,000-user table.
func BenchmarkHandle(b *testing.B) {
	eng, err := New(rules200(b), benchRig(b), Options{})
	if err != nil {
		b.Fatal(err)
	}
	const users = 100_000
	evs := make([]danmu.Event, users)
	for i := range evs {
		evs[i] = danmu.Event{Platform: "bilibili", Kind: danmu.KindChat, ID: strconv.Itoa(i),
			User: danmu.User{ID: strconv.Itoa(1_000_000 + i), Name: "观众" + strconv.Itoa(i), Role: danmu.RoleViewer},
			Text: chatMix[i%len(chatMix)]}
	}
	now := t0
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		now = now.Add(50 * time.Microsecond) // 20,000 events per virtual second
		eng.Handle(now, evs[i%users])
		if i%400 == 0 {
			eng.Tick(now)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

type sliceEvents struct {
	evs []danmu.Event
	i   int
}

func (s *sliceEvents) Next() (danmu.Event, error) {
	if s.i == len(s.evs) {
		return danmu.Event{}, io.EOF
	}
	s.i++
	return s.evs[s.i-1], nil
}

// BenchmarkReplay1M replays one million chat events spread over one hour
// of virtual time, with the trace written to io.Discard.
func BenchmarkReplay1M(b *testing.B) {
	const n = 1_000_000
	evs := make([]danmu.Event, n)
	for i := range evs {
		evs[i] = danmu.Event{Platform: "bilibili", Kind: danmu.KindChat, ID: strconv.Itoa(i),
			Time: t0.Add(time.Duration(i) * time.Hour / n),
			User: danmu.User{ID: strconv.Itoa(i % 50_000), Role: danmu.RoleViewer}, Text: chatMix[i%len(chatMix)]}
	}
	rules := rules200(b)
	b.ReportAllocs()
	for b.Loop() {
		trace := NewTrace(io.Discard)
		env := benchRig(b)
		eng, err := New(rules, env, Options{OnDecision: trace.Decision})
		if err != nil {
			b.Fatal(err)
		}
		if err := Replay(context.Background(), &sliceEvents{evs: evs}, eng, env, ReplayOptions{}); err != nil {
			b.Fatal(err)
		}
		trace.Flush()
	}
}
