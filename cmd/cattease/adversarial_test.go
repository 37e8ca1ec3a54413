package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cattease/cattease/control/config"
	"github.com/cattease/cattease/danmu"
	"github.com/cattease/cattease/danmu/replay"
)

// adversarialLog writes 40 minutes of hostile chat: a flood of 上5 pushing
// the dot up towards the horizon, laser spam, rapid 左/右 reversals from
// thousands of viewers, moderators spamming too, then silence.
func adversarialLog(t *testing.T, path string) int {
	log := newChatLog(t, path, time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC))
	say := func(at time.Duration, uid int, role danmu.Role, text string) {
		log.say(at, uid, role, text, danmu.User{})
	}
	for ms := 0; ms < 30*60*1000; ms += 25 { // 40 messages a second for 30 minutes
		at := time.Duration(ms) * time.Millisecond
		uid := 1000 + (ms/25)%5000
		switch (ms / 25) % 8 {
		case 0, 1, 2:
			say(at, uid, danmu.RoleViewer, "上5")
		case 3, 4:
			say(at, uid, danmu.RoleViewer, "激光")
		case 5:
			say(at, uid, danmu.RoleViewer, "左左左左左")
		case 6:
			say(at, uid, danmu.RoleViewer, "右×5")
		case 7:
			say(at, 7, danmu.RoleModerator, []string{"上5", "激光", "画圈", "右5"}[(ms/200)%4])
		}
	}
	say(40*time.Minute, 1, danmu.RoleViewer, "左")
	return log.close()
}

// chatLog writes a recorded chat file of generated events.
type chatLog struct {
	t     *testing.T
	fh    *os.File
	w     *replay.Writer
	start time.Time
	n     int
}

func newChatLog(t *testing.T, path string, start time.Time) *chatLog {
	t.Helper()
	fh, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	return &chatLog{t: t, fh: fh, w: replay.NewWriter(fh), start: start}
}

// say writes one chat line from viewer uid at start+at; extra carries guard
// and medal levels.
func (c *chatLog) say(at time.Duration, uid int, role danmu.Role, text string, extra danmu.User) {
	c.n++
	u := extra
	u.ID, u.Name, u.Role = fmt.Sprint(uid), fmt.Sprint("u", uid), role
	c.w.Write(danmu.Event{Platform: "bilibili", Room: "1", Kind: danmu.KindChat, ID: fmt.Sprint(c.n),
		Time: c.start.Add(at), User: u, Text: text})
}

// gift writes a super chat worth cents from viewer uid at start+at.
func (c *chatLog) gift(at time.Duration, uid int, cents int64) {
	c.n++
	u := danmu.User{ID: fmt.Sprint(uid), Name: fmt.Sprint("u", uid), Role: danmu.RoleViewer}
	c.w.Write(danmu.Event{Platform: "bilibili", Room: "1", Kind: danmu.KindSuperChat, ID: fmt.Sprint(c.n),
		Time: c.start.Add(at), User: u, Gift: danmu.Gift{Name: "醒目留言", Count: 1, ValueCents: cents}})
}

// close flushes the file and returns how many events it holds.
func (c *chatLog) close() int {
	c.t.Helper()
	if err := c.w.Flush(); err != nil {
		c.t.Fatal(err)
	}
	c.fh.Close()
	return c.n
}

// TestAdversarialReplayObeysEveryLimit replays the hostile log through the
// shipped rules.yaml and checks every output line of the trace against the
// limits it names.
func TestAdversarialReplayObeysEveryLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("replays 72,000 events")
	}
	dir := t.TempDir()
	log := filepath.Join(dir, "flood.jsonl")
	n := adversarialLog(t, log)
	code, trace, errs := runCLI(t, "", "replay", "-c", "../../rules.yaml", log)
	if code != 0 {
		t.Fatalf("replay: %d %s", code, errs)
	}
	f, err := config.Load("../../rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	c := newTraceChecker(t, f)
	sc := bufio.NewScanner(strings.NewReader(trace))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		c.line(sc.Bytes())
	}
	c.finish()
	if c.decided != n {
		t.Errorf("%d events, %d with a decision", n, c.decided)
	}
	t.Logf("%d events; %d outputs; max tilt %.2f° (ceiling %v, axis max %v); longest lit %v; laser total %v; "+
		"lit ticks blanked in zones: %d", n, c.outputs, c.maxTilt, *f.Safety.Ceiling, f.Hardware.Axes["tilt"].Max,
		c.longestLit, c.total, c.zoneChecks)
}

type traceChecker struct {
	t                 *testing.T
	f                 *config.File
	pos               map[string]float64
	last              map[string]time.Time
	lit               bool
	litAt, movedAt    time.Time
	longestLit, total time.Duration
	maxTilt           float64
	outputs, decided  int
	zoneChecks        int
	seenIDs           map[string]bool
}

func newTraceChecker(t *testing.T, f *config.File) *traceChecker {
	return &traceChecker{t: t, f: f, pos: map[string]float64{"pan": 0, "tilt": float64(f.Hardware.Axes["tilt"].Home)},
		last: map[string]time.Time{}, seenIDs: map[string]bool{}}
}

type traceLine struct {
	Kind    string    `json:"kind"`
	Time    time.Time `json:"time"`
	EventID string    `json:"event_id"`
	Target  string    `json:"target"`
	Action  string    `json:"action"`
	Value   float64   `json:"value"`
}

func (c *traceChecker) line(b []byte) {
	var l traceLine
	if err := json.Unmarshal(b, &l); err != nil {
		c.t.Fatalf("bad trace line %s: %v", b, err)
	}
	if l.Kind == "decision" {
		if !c.seenIDs[l.EventID] {
			c.seenIDs[l.EventID] = true
			c.decided++
		}
		return
	}
	c.outputs++
	switch l.Action {
	case "move":
		c.move(l)
	case "switch":
		c.laser(l)
	}
}

func (c *traceChecker) move(l traceLine) {
	ax := c.f.Hardware.Axes[l.Target]
	// Limits: every angle inside the axis range (trace values are rounded
	// to 0.01°).
	if l.Value < float64(ax.Min)-0.006 || l.Value > float64(ax.Max)+0.006 {
		c.t.Fatalf("limit: %s at %v outside [%v, %v]", l.Target, l.Value, ax.Min, ax.Max)
	}
	// Ceiling: the tilt never reaches it.
	if l.Target == "tilt" {
		c.maxTilt = math.Max(c.maxTilt, l.Value)
		if l.Value >= float64(*c.f.Safety.Ceiling) {
			c.t.Fatalf("ceiling: tilt %v", l.Value)
		}
	}
	// Speed: between two consecutive outputs of one axis.
	if prev, ok := c.last[l.Target]; ok {
		dt := l.Time.Sub(prev).Seconds()
		if v := math.Abs(l.Value-c.pos[l.Target]) / dt; v > float64(ax.Speed)+0.02/dt+1e-6 {
			c.t.Fatalf("speed: %s %.2f°/s > %v", l.Target, v, ax.Speed)
		}
	}
	from := [2]float64{c.pos["pan"], c.pos["tilt"]}
	c.pos[l.Target], c.last[l.Target] = l.Value, l.Time
	// Keep-out: a lit dot never enters or crosses a zone.
	if c.lit {
		c.zoneChecks++
		for _, z := range c.f.Safety.KeepOut {
			if crosses(z, from, [2]float64{c.pos["pan"], c.pos["tilt"]}) {
				c.t.Fatalf("keep-out: lit dot crossed %s from %v to (%v, %v)", z.Name, from, c.pos["pan"], c.pos["tilt"])
			}
		}
		c.movedAt = l.Time
	}
}

func (c *traceChecker) laser(l traceLine) {
	sw := c.f.Hardware.Switches["laser"]
	switch {
	case l.Value == 1 && !c.lit:
		c.lit, c.litAt, c.movedAt = true, l.Time, l.Time
	case l.Value == 0 && c.lit:
		c.lit = false
		on := l.Time.Sub(c.litAt)
		// Max on-time per period, and the daily budget.
		if on > sw.MaxOn.D() {
			c.t.Fatalf("max_on: laser on for %v > %v", on, sw.MaxOn)
		}
		c.longestLit = max(c.longestLit, on)
		c.total += on
		if c.total > c.f.Safety.DailyLaser.D() {
			c.t.Fatalf("daily_laser: %v > %v", c.total, c.f.Safety.DailyLaser)
		}
	}
}

func (c *traceChecker) finish() {
	if c.lit {
		c.t.Fatal("laser still on at the end of the replay")
	}
	if c.outputs == 0 || c.total == 0 {
		c.t.Fatal("the flood moved nothing: the test proves nothing")
	}
	if c.maxTilt < float64(c.f.Hardware.Axes["tilt"].Max)-0.01 {
		c.t.Fatalf("the 上5 flood never reached the tilt limit (max %v): the ceiling was not tested", c.maxTilt)
	}
}

// crosses is the segment/rectangle test, written independently of safety.Zone.
func crosses(z config.Zone, a, b [2]float64) bool {
	const steps = 64
	for i := 0; i <= steps; i++ {
		p := a[0] + (b[0]-a[0])*float64(i)/steps
		q := a[1] + (b[1]-a[1])*float64(i)/steps
		if p > float64(z.Pan[0]) && p < float64(z.Pan[1]) && q > float64(z.Tilt[0]) && q < float64(z.Tilt[1]) {
			return true
		}
	}
	return false
}
