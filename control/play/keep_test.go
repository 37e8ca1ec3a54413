package play

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/monitor"
	"github.com/cattease/cattease/actuators/safety"
)

var keepT0 = time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)

func keepConfig(file string) Config {
	return Config{MaxPlay: 10 * time.Minute, Rest: 20 * time.Minute, Location: time.UTC, SessionFile: file}
}

// chat asks for a move every second from b.now until until, or until a
// request is refused: it returns the first refusal's time (zero: none)
// and the first accepted request's.
func chat(t *testing.T, b *bench, until time.Time) (refused, first time.Time) {
	t.Helper()
	to := 10.0
	for b.now.Before(until) {
		to = -to
		r := b.play.MoveTo(b.now, "pan", to)
		if r.Refused {
			if r.Reason != actuators.ReasonCatResting {
				t.Fatalf("refused at %v: %+v", b.now.Format("15:04:05"), r)
			}
			return b.now, first
		}
		if first.IsZero() {
			first = b.now
		}
		b.step(50)
	}
	return time.Time{}, first
}

// restsUntil asks for a move every second until until: every one must be
// refused, the cat resting.
func restsUntil(t *testing.T, b *bench, until time.Time) {
	t.Helper()
	for ; b.now.Before(until); b.step(50) {
		if r := b.play.MoveTo(b.now, "pan", 5); !r.Refused || r.Reason != actuators.ReasonCatResting {
			t.Fatalf("at %v, in the rest: %+v", b.now.Format("15:04:05"), r)
		}
	}
}

// monitored feeds the processes' outputs to the independent monitor, a
// restart line (keeping the state) before each process but the first,
// at its start (its homing), and returns what it found by end.
func monitored(pc Config, end time.Time, procs ...*bench) []monitor.Violation {
	mon := monitor.New(limitsFor(procs[0].cfg(), pc))
	for i, b := range procs {
		if i > 0 && len(b.outs) > 0 {
			mon.Restart(b.outs[0].Time, true) // the start's homing
		}
		for _, o := range b.outs {
			action := string(o.Action)
			if o.Action == actuators.ActionAngle {
				action = "move"
			}
			mon.Output(monitor.Event{Time: o.Time, Wall: o.Wall, WallBefore: o.WallBefore, Exit: o.Exit,
				Failed: o.Err != nil, Target: o.Target, Action: action, Value: o.Value})
		}
	}
	mon.End(end)
	return mon.Violations()
}

// A restart is no rest (the monitor's rule "session"): 8 minutes of play,
// a crash (or a clean exit) and a start 2 s later, play on: the session
// ends at its limit, counted from the first process's first play, and
// the cat rests. The independent monitor, told of the restart as the
// trace tells it, finds nothing. Without the kept session the second
// process played a whole session more, and the monitor said "session".
func TestASessionGoesOnAcrossARestart(t *testing.T) {
	for _, clean := range []bool{false, true} {
		name := map[bool]string{false: "killed", true: "clean exit"}[clean]
		t.Run(name, func(t *testing.T) {
			pc := keepConfig(filepath.Join(t.TempDir(), "session.json"))
			a := newBench(t, keepT0, pc, driven)
			a.step(a.ticks(2 * time.Second)) // the homing and its hold
			if refused, _ := chat(t, a, a.now.Add(8*time.Minute)); !refused.IsZero() {
				t.Fatalf("refused at %v", refused)
			}
			played := a.play.Snapshot().Session.Until // the session's end, on the wall clock
			if played.IsZero() {
				t.Fatal("no session after 8 minutes of play")
			}
			if clean {
				a.play.Close()
			}
			b := newBench(t, a.now.Add(2*time.Second), pc, driven)
			if until := b.play.Snapshot().Session.Until; until.After(played) {
				t.Errorf("after the restart the session ends at %v, before it at %v", until.Format("15:04:05"), played.Format("15:04:05"))
			}
			b.step(b.ticks(2 * time.Second))
			switch refused, _ := chat(t, b, b.now.Add(10*time.Minute)); {
			case refused.IsZero():
				t.Errorf("played on 10 minutes after the restart (max_play 10m, 8 minutes played before it)")
			case refused.After(played):
				t.Errorf("the session ran until %v, past its end at %v", refused.Format("15:04:05"), played.Format("15:04:05"))
			default:
				if st := b.play.Snapshot().Session; st.Phase != PhaseRest {
					t.Errorf("after the session: %+v, want rest", st)
				}
				restsUntil(t, b, refused.Add(pc.Rest-time.Second)) // chat asking all the while
			}
			b.step(b.ticks(10 * time.Second))
			for _, v := range monitored(pc, b.now, a, b) {
				t.Errorf("monitor: %v", v)
			}
		})
	}
}

// Down for longer than the rest: the next process starts a session of
// its own, as long as any.
func TestARestartAfterARestStartsANewSession(t *testing.T) {
	pc := keepConfig(filepath.Join(t.TempDir(), "session.json"))
	a := newBench(t, keepT0, pc, driven)
	a.step(a.ticks(2 * time.Second))
	chat(t, a, a.now.Add(8*time.Minute))
	b := newBench(t, a.now.Add(pc.Rest), pc, driven)
	b.step(b.ticks(2 * time.Second))
	refused, first := chat(t, b, b.now.Add(11*time.Minute))
	if refused.IsZero() || refused.Sub(first) < pc.MaxPlay-time.Second {
		t.Errorf("after a rest while down, the session ran from %v to %v, want %v", first.Format("15:04:05"), refused.Format("15:04:05"), pc.MaxPlay)
	}
	b.step(b.ticks(time.Minute))
	for _, v := range monitored(pc, b.now, a, b) {
		t.Errorf("monitor: %v", v)
	}
}

// The session is written once a second while the rig plays: a process
// killed just before its next write played on after the last one. Half
// a second short of the rest from its real last play to the next is no
// rest, so
// the next process rests (the session reached its limit while down), and
// the monitor, which reads the last play from the outputs, agrees. Read
// from the file as it stood, the rest looked whole.
func TestAKillBetweenWritesCountsNoRest(t *testing.T) {
	path := filepath.Join(t.TempDir(), "session.json")
	pc := keepConfig(path)
	a := newBench(t, keepT0, pc, driven)
	a.step(a.ticks(2 * time.Second))
	chat(t, a, a.now.Add(8*time.Minute))
	to := 40.0
	for a.play.lastAct.Sub(readSession(t, path).Written) < 900*time.Millisecond { // playing, to just before the next write
		if a.env.Settled() {
			to = -to
			a.play.MoveTo(a.now, "pan", to)
		}
		a.step(1)
	}
	last := a.outs[len(a.outs)-1].Time // the real last play: the layer sees it a tick later
	b := newBench(t, last.Add(pc.Rest-2500*time.Millisecond), pc, driven)
	b.step(b.ticks(2 * time.Second)) // the homing and its hold: the next play is 0.5 s short of the rest
	if r := b.play.MoveTo(b.now, "pan", 5); !r.Refused {
		t.Errorf("half a second short of the rest after %v of play: chat accepted", 8*time.Minute)
	}
	chat(t, b, b.now.Add(time.Minute))
	b.step(b.ticks(10 * time.Second))
	for _, v := range monitored(pc, b.now, a, b) {
		t.Errorf("monitor: %v", v)
	}
}

// The envelope acts on a request at its next Step, and the layer sees
// the play a tick after that: a kill in between must not hide a session
// that began there. Its start is written before the play (aheadOfPlay),
// so the next process goes on with it, and the monitor, which counts
// from that first move, finds nothing. Without it the next process began
// its own session a hold and a restart later, and played past the limit.
func TestAKillOnTheFirstTickOfPlayKeepsItsSession(t *testing.T) {
	pc := keepConfig(filepath.Join(t.TempDir(), "session.json"))
	a := newBench(t, keepT0, pc, driven)
	a.step(a.ticks(2 * time.Second))
	if r := a.play.MoveTo(a.now, "pan", 30); r.Refused {
		t.Fatal(r)
	}
	n := len(a.outs)
	a.step(1) // the first move; killed before the next tick
	if len(a.outs) == n {
		t.Fatal("no move: the test tests nothing")
	}
	b := newBench(t, a.now.Add(time.Second), pc, driven)
	b.step(b.ticks(2 * time.Second))
	refused, _ := chat(t, b, b.now.Add(11*time.Minute))
	if limit := a.outs[n].Time.Add(pc.MaxPlay); refused.IsZero() || refused.After(limit) {
		t.Errorf("the session ran until %v, past its end at %v", refused.Format("15:04:05"), limit.Format("15:04:05"))
	}
	b.step(b.ticks(10 * time.Second))
	for _, v := range monitored(pc, b.now, a, b) {
		t.Errorf("monitor: %v", v)
	}
}

// The same after a pause shorter than the rest: the move that ends it
// goes on with the session, and a kill before the layer sees it must not
// leave the pause looking like a rest to the next process.
func TestAKillOnTheFirstTickAfterAPauseKeepsItsSession(t *testing.T) {
	pc := keepConfig(filepath.Join(t.TempDir(), "session.json"))
	pc.MaxPlay, pc.Rest = 30*time.Minute, 5*time.Minute
	a := newBench(t, keepT0, pc, driven)
	a.step(a.ticks(2 * time.Second))
	_, first := chat(t, a, a.now.Add(3*time.Minute))
	a.step(a.ticks(30 * time.Second)) // the dead man's park
	for a.now.Before(a.outs[len(a.outs)-1].Time.Add(pc.Rest - 10*time.Second)) {
		a.step(1) // a pause, shorter than the rest
	}
	if r := a.play.MoveTo(a.now, "pan", 30); r.Refused {
		t.Fatal(r)
	}
	n := len(a.outs)
	a.step(1) // the move that ends the pause; killed before the next tick
	if len(a.outs) == n {
		t.Fatal("no move: the test tests nothing")
	}
	b := newBench(t, a.now.Add(15*time.Second), pc, driven)
	b.step(b.ticks(2 * time.Second))
	refused, _ := chat(t, b, b.now.Add(31*time.Minute))
	if limit := first.Add(pc.MaxPlay + time.Second); refused.IsZero() || refused.After(limit) { // the first move is a tick or so after the request
		t.Errorf("the session ran until %v, past its end at %v", refused.Format("15:04:05"), limit.Format("15:04:05"))
	}
	b.step(b.ticks(10 * time.Second))
	for _, v := range monitored(pc, b.now, a, b) {
		t.Errorf("monitor: %v", v)
	}
}

// A restart in the rest: the rest goes on, from the last activity.
func TestARestartInTheRestRestsOn(t *testing.T) {
	pc := keepConfig(filepath.Join(t.TempDir(), "session.json"))
	a := newBench(t, keepT0, pc, driven)
	a.step(a.ticks(2 * time.Second))
	refused, _ := chat(t, a, a.now.Add(11*time.Minute))
	if refused.IsZero() {
		t.Fatal("no rest")
	}
	a.step(a.ticks(time.Minute))
	b := newBench(t, a.now.Add(time.Second), pc, driven)
	b.step(b.ticks(2 * time.Second))
	if r := b.play.MoveTo(b.now, "pan", 5); !r.Refused || r.Reason != actuators.ReasonCatResting {
		t.Fatalf("a minute into the rest, restarted: %+v", r)
	}
	restsUntil(t, b, refused.Add(pc.Rest-time.Second))
	b.step(b.ticks(10 * time.Second)) // the park at the session's end, the time after the last write
	if r := b.play.MoveTo(b.now, "pan", 5); r.Refused {
		t.Errorf("after the rest: %+v", r)
	}
	b.step(b.ticks(5 * time.Second))
	for _, v := range monitored(pc, b.now, a, b) {
		t.Errorf("monitor: %v", v)
	}
}

// A clock set back while the rig was down (a Pi without a real-time
// clock boots on the time it saved last) gives no more play: the
// session keeps the length it had, and the time down counts as none.
func TestAClockSetBackAcrossARestartGivesNoPlay(t *testing.T) {
	pc := keepConfig(filepath.Join(t.TempDir(), "session.json"))
	a := newBench(t, keepT0, pc, driven)
	a.step(a.ticks(2 * time.Second))
	_, first := chat(t, a, a.now.Add(8*time.Minute))
	before := a.now.Sub(first)
	b := newBench(t, a.now.Add(-time.Hour), pc, driven)
	b.step(b.ticks(2 * time.Second))
	refused, again := chat(t, b, b.now.Add(11*time.Minute))
	if refused.IsZero() {
		t.Fatal("played 11 minutes after the restart")
	}
	if total := before + refused.Sub(again); total > pc.MaxPlay {
		t.Errorf("played %v before the restart and %v after it: %v in all (max_play %v)", before, refused.Sub(again), total, pc.MaxPlay)
	}
}

// A kept session that cannot be read, or makes no sense, is taken for
// one that has just reached its limit: the cat rests first, and a
// restart during that rest does not start it again.
func TestAnUnreadableSessionRestsFirst(t *testing.T) {
	for _, c := range []struct {
		name string
		file func(path string) error
	}{
		{"torn", func(p string) error { return os.WriteFile(p, []byte(`{"start":"2026-12-01T11:5`), 0o600) }},
		{"a directory", func(p string) error { return os.Mkdir(p, 0o700) }},
		{"starts after its end", func(p string) error {
			return os.WriteFile(p, []byte(`{"start":"2026-12-01T11:59:00Z","last":"2026-12-01T11:58:00Z","written":"2026-12-01T11:59:00Z"}`), 0o600)
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "session.json")
			if err := c.file(path); err != nil {
				t.Fatal(err)
			}
			pc := keepConfig(path)
			a := newBench(t, keepT0, pc, driven)
			a.step(a.ticks(2 * time.Second))
			if st := a.play.Snapshot(); st.Session.Phase != PhaseRest || st.Counts["session_unreadable"] != 1 {
				t.Fatalf("after an unreadable session: %+v, counts %v; want rest", st.Session, st.Counts)
			}
			if c.name == "a directory" {
				return // nothing can be written there: the rest is this start's
			}
			a.step(a.ticks(time.Minute))
			b := newBench(t, a.now, pc, driven) // a crash loop: the rest is the first start's
			restsUntil(t, b, keepT0.Add(pc.Rest-time.Second))
			b.step(b.ticks(5 * time.Second))
			if r := b.play.MoveTo(b.now, "pan", 5); r.Refused {
				t.Errorf("after the rest: %+v", r)
			}
		})
	}
}

// The kept times are on the wall clock: a process that ran on after
// the clock was set back an hour (the envelope keeps to real time)
// writes the wall clock's reading, the next one's clock.
func TestTheSessionIsKeptOnTheWallClock(t *testing.T) {
	path := filepath.Join(t.TempDir(), "session.json")
	pc := keepConfig(path)
	a := newBench(t, keepT0, pc, driven)
	a.step(a.ticks(2 * time.Second))
	chat(t, a, a.now.Add(time.Minute))
	tick := a.env.Tick()
	a.play.mu.Lock()
	a.play.tick(a.now, a.now.Add(-time.Hour), tick)
	last := a.play.lastAct
	a.play.mu.Unlock()
	a.play.Close()
	f := readSession(t, path)
	if d := last.Add(-time.Hour).Sub(f.Last); d < -time.Millisecond || d > time.Millisecond || !f.Clean {
		t.Errorf("kept %+v, want the last activity %v an hour back, clean", f, last.Format("15:04:05"))
	}
}

func readSession(t *testing.T, path string) sessionFile {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var f sessionFile
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	return f
}

// busyEnv is an envelope whose rig is active at every tick.
type busyEnv struct {
	*safety.Envelope
	at time.Time
}

func (e *busyEnv) LastActivity() time.Time { return e.at }

// The live loop (Pre) hands the session to the keeper's goroutine: a
// tick, one that hands it over included, allocates nothing; the write
// happens off the loop, and Close writes it as at a clean exit.
func TestKeepingTheSessionAllocatesNothingPerTick(t *testing.T) {
	if keepRace {
		t.Skip("the race detector allocates")
	}
	path := filepath.Join(t.TempDir(), "session.json")
	b := newBench(t, keepT0, keepConfig(path), driven)
	env := &busyEnv{Envelope: b.env}
	l := New(keepConfig(path), env, keepT0)
	var mono time.Duration
	l.clock.mono = func() time.Duration { return mono }
	now := keepT0
	run := func() {
		mono += keepEvery // every tick is due: each hands the session over
		now = now.Add(keepEvery)
		env.at = now.Add(-time.Millisecond)
		l.Pre(now, now)
	}
	run()
	if n := testing.AllocsPerRun(100, run); n != 0 {
		t.Errorf("%v allocations a tick", n)
	}
	l.mu.Lock()
	start, last := l.start, l.lastAct
	l.mu.Unlock()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if f := readSession(t, path); !f.Start.Equal(start) || !f.Clean || !f.Last.Equal(last) {
		t.Errorf("kept %+v, want the session from %v to %v, clean", f, start, last)
	}
}
