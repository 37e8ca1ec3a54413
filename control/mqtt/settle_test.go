package mqtt

import (
	"context"
	"encoding/json"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/cattease/cattease/actuators/safety"
	"github.com/cattease/cattease/control"
	"github.com/cattease/cattease/control/config"
)

// quickAgent answers every request at once, carried out, and publishes
// its state only when the test says (an agent does every 100 ms).
type quickAgent struct {
	mu    sync.Mutex
	r     *Remote
	last  uint64   // the last request carried out
	sent  []string // the requests, in order
	local bool     // a stop given on the Pi holds: a keep_local resume is refused
}

func (a *quickAgent) Publish(_ context.Context, _ string, b []byte, _ bool, _ uint32) error {
	var req Request
	if json.Unmarshal(b, &req) != nil || req.Op == "" {
		return nil // a heartbeat
	}
	a.mu.Lock()
	a.sent = append(a.sent, req.Op)
	a.last = max(a.last, req.Seq)
	rp := Reply{Session: req.Session, Seq: req.Seq}
	if req.Op == OpResume && req.KeepLocal && a.local {
		rp.Refused, rp.Reason = true, "stopped"
	}
	a.mu.Unlock()
	b, _ = json.Marshal(rp)
	a.r.onReply(Message{Payload: b})
	return nil
}

// state publishes a settled state, numbered or not.
func (a *quickAgent) state(numbered bool) {
	st := agentState{State: safety.State{Axes: []safety.AxisState{{Name: "pan"}, {Name: "tilt"}}}, Link: true}
	if numbered {
		a.mu.Lock()
		st.DoneSession, st.DoneSeq = a.r.session, a.last
		a.mu.Unlock()
	}
	b, _ := json.Marshal(st)
	a.r.onState(Message{Payload: b})
}

func (a *quickAgent) moves() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.sent)
}

// A pattern on a rig behind an agent goes a step at a time: the engine
// waits for each move to settle, and the agent's state taken before the
// move was carried out does not count as settled. Before, every step went
// out in one Tick (the circle became one straight move to its last
// point). An agent that does not number its state is read as it says.
func TestRemotePatternWaitsForEachMove(t *testing.T) {
	f, err := config.Load("../../rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	rules, err := control.Compile(f)
	if err != nil {
		t.Fatal(err)
	}
	for _, numbered := range []bool{true, false} {
		now := time.Unix(1000, 0)
		r := &Remote{session: "s", waiting: map[uint64]chan Reply{}, Now: func() time.Time { return now }, started: now}
		a := &quickAgent{r: r}
		r.conn = a
		a.state(numbered)
		eng, err := control.New(rules, r, control.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := eng.Inject(now, "circle"); err != nil {
			t.Fatal(err)
		}
		var per []int // moves sent by each Tick
		for range 4 {
			now = now.Add(100 * time.Millisecond)
			before := a.moves()
			eng.Tick(now)
			per = append(per, a.moves()-before)
			a.state(numbered) // every axis at its target: settled, once the state counts
		}
		if numbered && !slices.Equal(per, []int{1, 1, 1, 1}) {
			t.Errorf("moves sent by each Tick: %v, want one each", per)
		}
		if !numbered && per[0] < 2 {
			t.Errorf("an agent that does not number its state: moves sent by each Tick %v; it used to be read as it says", per)
		}
	}
}

// An agent that restarted numbers its state afresh, below the last move:
// that state counts after LinkTimeout, so that a pattern never waits for
// ever for a number that will not come. Home is a move too.
func TestRemoteRestartedAgentSettlesAfterLinkTimeout(t *testing.T) {
	for _, op := range []string{OpMoveTo, OpMoveBy, OpHome} {
		now := time.Unix(1000, 0)
		r := &Remote{session: "s", waiting: map[uint64]chan Reply{}, Now: func() time.Time { return now }, started: now}
		a := &quickAgent{r: r}
		r.conn = a
		a.state(true)
		var rep safety.Report
		switch op {
		case OpMoveTo:
			rep = r.MoveTo(now, "pan", 10)
		case OpMoveBy:
			rep = r.MoveBy(now, "pan", 10)
		case OpHome:
			rep = r.Home(now)
		}
		if rep.Refused {
			t.Fatalf("%s refused: %v", op, rep)
		}
		restarted := func() {
			b, _ := json.Marshal(agentState{State: safety.State{Axes: []safety.AxisState{{Name: "pan"}}}, Link: true, DoneSession: "s"})
			r.onState(Message{Payload: b}) // numbered 0: nothing carried out since it started
		}
		restarted()
		if r.Settled() {
			t.Errorf("%s: settled on a state numbered before it", op)
		}
		now = now.Add(LinkTimeout)
		restarted()
		if !r.Settled() {
			t.Errorf("%s: still waiting LinkTimeout after it for a number a restarted agent will not send", op)
		}
	}
}

// The agent's state keeps the play session (the embedded state's
// "session") beside the numbers, and an agent and a run side of different
// versions read each other: an older agent's state is taken as it is,
// unnumbered, and an older run side ignores the numbers.
func TestAgentStateAcrossVersions(t *testing.T) {
	// What an agent before the numbers published.
	old := []byte(`{"axes":[{"name":"pan","pos":3,"target":3,"min":-45,"max":45,"home":0,"attached":true}],` +
		`"session":{"phase":"play","autoplay":false,"laser_today_ns":6000000000,"laser_budget_ns":1200000000000},"link":true}`)
	now := time.Unix(1000, 0)
	r := &Remote{session: "s", waiting: map[uint64]chan Reply{}, Now: func() time.Time { return now }, started: now}
	r.onState(Message{Payload: old})
	if got := r.Snapshot(); got.Session.Phase != "play" || got.Session.LaserToday != 6*time.Second || len(got.Axes) != 1 {
		t.Errorf("an older agent's state read as %+v", got)
	}
	if r.counted {
		t.Error("an older agent's state counted as numbered")
	}

	st := agentState{State: safety.State{Session: safety.Session{Phase: "rest"}}, Link: true, DoneSession: "s", DoneSeq: 7}
	b, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	r.onState(Message{Payload: b})
	if got := r.Snapshot(); got.Session.Phase != "rest" || !r.counted || r.done != 7 {
		t.Errorf("a numbered state read as phase %q, counted %v, done %d", got.Session.Phase, r.counted, r.done)
	}
	var older struct { // the run side before the numbers
		safety.State
		Link bool `json:"link"`
	}
	if err := json.Unmarshal(b, &older); err != nil || older.Session.Phase != "rest" || !older.Link {
		t.Errorf("an older run side reads %+v, %v", older, err)
	}
}
