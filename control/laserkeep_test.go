package control

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/cattease/cattease/actuators/safety"
	"github.com/cattease/cattease/danmu"
)

// keepYAML has two lasers and a treat dispenser, and chat's laser switch.
const keepYAML = `
hardware:
  driver: mock
  axes:
    pan: {role: pan, min: -45°, max: 45°, home: 0°, speed: 180°/s}
    tilt: {role: tilt, min: 5°, max: 40°, home: 20°, speed: 60°/s}
  switches:
    laser: {laser: true, max_on: 20s, cooldown: 10s}
    spot: {laser: true, max_on: 20s, cooldown: 10s}
    treat: {laser: false, max_on: 1s, cooldown: 10s}
safety:
  ceiling: 42°
  dwell_cap: 4s
  daily_laser: 20m
commands:
  - {name: left, aliases: [左], do: {move: pan, by: -5°}}
  - {name: laseroff, aliases: [关激光], do: {moderate: laser_forbid}, allow: moderator}
  - {name: laseron, aliases: [开激光], do: {moderate: laser_allow}, allow: moderator}
`

// keptRun is one start of a run that keeps its laser forbid in a file:
// a fresh envelope and engine, as after a crash or a reboot.
type keptRun struct {
	t    *testing.T
	env  *safety.Envelope
	eng  *Engine
	log  *lockedLog // the retry's goroutine logs too
	kept KeptLasers
	err  error // RestoreLasers'
	n    int
}

func startKept(t *testing.T, path string) *keptRun {
	t.Helper()
	return startKeptOn(t, Options{LaserFile: path}, nil)
}

// say is a moderator's chat line.
func (r *keptRun) say(text string) Decision {
	r.n++
	return r.eng.Handle(t0, danmu.Event{Platform: "test", Kind: danmu.KindChat, ID: fmt.Sprint(r.n), Time: t0,
		User: danmu.User{ID: "9", Name: "房管", Role: danmu.RoleModerator}, Text: text})
}

// disabled names the switches the rig holds disabled, sorted.
func (r *keptRun) disabled() string {
	var out []string
	for _, s := range r.env.Snapshot().Switches {
		if s.Disabled {
			out = append(out, s.Name)
		}
	}
	slices.Sort(out)
	return strings.Join(out, ",")
}

func (r *keptRun) wantDisabled(want string) {
	r.t.Helper()
	if got := r.disabled(); got != want {
		r.t.Fatalf("disabled %q, want %q", got, want)
	}
}

func (r *keptRun) wantKept(panel, chat string) {
	r.t.Helper()
	if p, c := strings.Join(r.kept.Panel, ","), strings.Join(r.kept.Chat, ","); p != panel || c != chat {
		r.t.Fatalf("restored panel %q chat %q, want %q and %q", p, c, panel, chat)
	}
}

// wantFile checks what the file keeps: "" no file.
func wantFile(t *testing.T, path, want string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) && want == "" {
		return
	}
	if err != nil || string(b) != want {
		t.Fatalf("%s holds %q (%v), want %q", path, b, err, want)
	}
}

// TestChatLaserForbidSurvivesARestart: 关激光, a restart, and the lasers
// are still forbidden; 开激光 lifts chat's forbid as before the restart.
func TestChatLaserForbidSurvivesARestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "laser-off.json")
	first := startKept(t, path)
	if first.err != nil || !first.kept.Empty() {
		t.Fatalf("no file: restored %+v, %v", first.kept, first.err)
	}
	want(t, first.say("关激光"), Accepted, ReasonModeration)
	first.wantDisabled("laser,spot")
	wantFile(t, path, `{"chat":["laser","spot"]}`)

	next := startKept(t, path)
	if next.err != nil {
		t.Fatal(next.err)
	}
	next.wantKept("", "laser,spot")
	next.wantDisabled("laser,spot")
	want(t, next.say("开激光"), Accepted, ReasonModeration)
	next.wantDisabled("")
	wantFile(t, path, "")
}

// TestPanelLaserForbidSurvivesARestart: the streamer's switch-off holds
// after a restart: a moderator's 开激光 cannot lift it, the streamer's
// switch can.
func TestPanelLaserForbidSurvivesARestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "laser-off.json")
	first := startKept(t, path)
	if !first.eng.SetLaser("laser", false) {
		t.Fatal("SetLaser refused")
	}
	wantFile(t, path, `{"panel":["laser"]}`)

	next := startKept(t, path)
	next.wantKept("laser", "")
	next.wantDisabled("laser")
	want(t, next.say("开激光"), Dropped, ReasonPermission)
	next.wantDisabled("laser")
	next.eng.SetLaser("laser", true)
	next.wantDisabled("")
	wantFile(t, path, "")
	// chat's switch works again
	want(t, next.say("关激光"), Accepted, ReasonModeration)
	want(t, next.say("开激光"), Accepted, ReasonModeration)
	next.wantDisabled("")
}

// TestChatThenPanelLaserForbidSurvivesARestart: chat forbids, then the
// streamer switches a laser off too: after a restart the streamer's
// choice still holds over 开激光, and chat's forbid of the other laser is
// still chat's.
func TestChatThenPanelLaserForbidSurvivesARestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "laser-off.json")
	first := startKept(t, path)
	want(t, first.say("关激光"), Accepted, ReasonModeration)
	first.eng.SetLaser("laser", false)
	wantFile(t, path, `{"panel":["laser"],"chat":["spot"]}`)

	next := startKept(t, path)
	next.wantKept("laser", "spot")
	next.wantDisabled("laser,spot")
	want(t, next.say("开激光"), Dropped, ReasonPermission)
	next.wantDisabled("laser,spot")
	next.eng.SetLaser("laser", true)
	next.wantDisabled("spot")
	wantFile(t, path, `{"chat":["spot"]}`)
	want(t, next.say("开激光"), Accepted, ReasonModeration)
	next.wantDisabled("")
	wantFile(t, path, "")
}

// TestUnreadableLaserFileForbidsEveryLaser: a file that cannot be read,
// or keeps nothing, counts as every laser forbidden by the streamer's
// switch, which lifts it and writes the file anew.
func TestUnreadableLaserFileForbidsEveryLaser(t *testing.T) {
	for _, bad := range []string{`{"panel":["las`, `{}`, `{"panel":[],"chat":[]}`, ``} {
		t.Run(bad, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "laser-off.json")
			os.WriteFile(path, []byte(bad), 0o600)
			r := startKept(t, path)
			if r.err == nil || !strings.Contains(r.err.Error(), "is unreadable: every laser is forbidden") {
				t.Fatalf("error %v", r.err)
			}
			r.wantKept("laser,spot", "")
			r.wantDisabled("laser,spot") // not the treat dispenser
			want(t, r.say("开激光"), Dropped, ReasonPermission)
			r.eng.SetLaser("laser", true)
			r.wantDisabled("spot")
			wantFile(t, path, `{"panel":["spot"]}`)
			next := startKept(t, path)
			if next.err != nil {
				t.Fatal(next.err)
			}
			next.wantKept("spot", "")
		})
	}
}

// TestKeptLaserNotInTheRules: a name the rules do not have (a laser since
// removed; chat's forbid of a switch that is no laser) makes the file
// count as unreadable: every laser forbidden as the streamer's, with
// every switch of the rules it names, and the file says so at once.
// Before, the name was dropped and the laser allowed.
func TestKeptLaserNotInTheRules(t *testing.T) {
	path := filepath.Join(t.TempDir(), "laser-off.json")
	os.WriteFile(path, []byte(`{"panel":["gone","treat"],"chat":["treat","spot","laser"]}`), 0o600)
	r := startKept(t, path)
	if r.err == nil || !strings.Contains(r.err.Error(), `it names ["gone" "treat"]`) {
		t.Fatalf("error %v", r.err)
	}
	r.wantKept("laser,spot,treat", "")
	r.wantDisabled("laser,spot,treat")
	wantFile(t, path, `{"panel":["laser","spot","treat"]}`)
}

// TestLaserFileWriteFailsThenHolds: a write that fails is logged, and the
// next change writes the whole forbid, what the failed write held too.
func TestLaserFileWriteFailsThenHolds(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state")
	path := filepath.Join(dir, "laser-off.json")
	first := startKept(t, path)
	want(t, first.say("关激光"), Accepted, ReasonModeration)
	if !strings.Contains(first.log.String(), "the laser forbid is not kept on disk") {
		t.Fatalf("no error logged:\n%s", first.log)
	}
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	first.eng.SetLaser("treat", false)
	wantFile(t, path, `{"panel":["treat"],"chat":["laser","spot"]}`)

	next := startKept(t, path)
	next.wantKept("treat", "laser,spot")
	want(t, next.say("开激光"), Accepted, ReasonModeration)
	next.wantDisabled("treat")
}

// TestLaserFileKeepsTheNewest: switches changed from many goroutines at
// once leave the file saying what the engine holds at the end.
func TestLaserFileKeepsTheNewest(t *testing.T) {
	path := filepath.Join(t.TempDir(), "laser-off.json")
	r := startKept(t, path)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for j := range 20 {
				r.eng.SetLaser([]string{"laser", "spot", "treat"}[(i+j)%3], (i+j)%2 == 0)
			}
		})
	}
	wg.Wait()
	r.eng.mu.Lock()
	var k KeptLasers
	for _, name := range []string{"laser", "spot", "treat"} {
		if r.eng.panelOff[name] {
			k.Panel = append(k.Panel, name)
		}
	}
	r.eng.mu.Unlock()
	if k.Empty() {
		wantFile(t, path, "")
		return
	}
	b, _ := json.Marshal(k)
	wantFile(t, path, string(b))
}

// lockedLog is a log buffer the engine's goroutines (the laser file's
// retry) write while the test reads it.
type lockedLog struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func (l *lockedLog) Reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.b.Reset()
}
