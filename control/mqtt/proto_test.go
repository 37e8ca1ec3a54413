package mqtt

import (
	"testing"
	"time"

	"github.com/cattease/cattease/actuators"
)

// The run side's clock is an hour and a bit ahead of the agent's: ages are
// judged from the transit times, never from the clocks' difference.
func TestJudgeAgeAcrossSkewedClocks(t *testing.T) {
	agent := time.Date(2026, 11, 29, 20, 0, 0, 0, time.UTC)
	skew := time.Hour + 1234*time.Millisecond
	transit := 3 * time.Millisecond
	var j Judge
	j.Connected(true)
	for range 4 { // heartbeats, each taking transit
		sent := agent.Add(skew)
		agent = agent.Add(transit)
		j.Beat(agent, Heartbeat{Session: "a", Sent: sent.UnixNano()})
		agent = agent.Add(HeartbeatEvery - transit)
	}
	cases := []struct {
		name  string
		seq   uint64
		delay time.Duration
		want  actuators.Reason
	}{
		{"on time", 1, transit, ""},
		{"slow but inside a second", 2, 900 * time.Millisecond, ""},
		{"older than a second", 3, 1100*time.Millisecond + transit, actuators.ReasonLink},
		{"duplicate sequence number", 3, transit, actuators.ReasonLink},
		{"older sequence number", 2, transit, actuators.ReasonLink},
		{"next one on time", 4, transit, ""},
	}
	now := agent
	for _, c := range cases {
		sent := now.Add(skew)
		arrive := now.Add(c.delay)
		// heartbeats keep coming on time meanwhile: only this request is late
		hbAt := arrive.Add(-10 * time.Millisecond)
		j.Beat(hbAt, Heartbeat{Session: "a", Sent: hbAt.Add(-transit).Add(skew).UnixNano()})
		r := Request{Session: "a", Seq: c.seq, Sent: sent.UnixNano(), Op: OpMoveBy, Value: 1}
		if got := j.Admit(arrive, r); got != c.want {
			t.Errorf("%s: Admit = %q, want %q", c.name, got, c.want)
		}
		now = arrive.Add(time.Second)
	}
}

func TestJudgeLink(t *testing.T) {
	t0 := time.Date(2026, 11, 29, 20, 0, 0, 0, time.UTC)
	var j Judge
	beat := func(at time.Time, s string) { j.Beat(at, Heartbeat{Session: s, Sent: at.UnixNano()}) }
	if j.Up(t0) {
		t.Fatal("up before any connection")
	}
	j.Connected(true)
	if j.Up(t0) {
		t.Fatal("up before any heartbeat")
	}
	beat(t0, "a")
	if !j.Up(t0.Add(LinkTimeout - time.Millisecond)) {
		t.Error("down within LinkTimeout of a heartbeat")
	}
	if j.Up(t0.Add(LinkTimeout)) {
		t.Error("up LinkTimeout after the last heartbeat")
	}
	if r := j.Admit(t0.Add(LinkTimeout), Request{Session: "a", Seq: 1, Sent: t0.UnixNano()}); r != actuators.ReasonLink {
		t.Errorf("request on a silent link: %q, want link", r)
	}
	t1 := t0.Add(2 * time.Second)
	beat(t1, "a")
	j.Connected(false)
	if j.Up(t1) {
		t.Error("up after the broker connection dropped")
	}
	j.Connected(true)
	beat(t1, "b") // the run side restarted: its numbers start again
	if r := j.Admit(t1, Request{Session: "b", Seq: 1, Sent: t1.UnixNano()}); r != "" {
		t.Errorf("first request of a new session: %q", r)
	}
	if r := j.Admit(t1, Request{Session: "a", Seq: 9, Sent: t1.UnixNano()}); r != actuators.ReasonLink {
		t.Errorf("request of the old session: %q, want link", r)
	}
}

func TestJudgeAgeWithoutHeartbeat(t *testing.T) {
	var j Judge
	if j.Age(time.Now(), 0) <= MaxAge {
		t.Error("a message with nothing to compare counts as fresh")
	}
}

func TestMatch(t *testing.T) {
	cases := []struct {
		filter, topic string
		want          bool
	}{
		{"a/b", "a/b", true},
		{"a/b", "a/c", false},
		{"a/+/c", "a/x/c", true},
		{"a/+", "a/x/c", false},
		{"a/#", "a/x/c", true},
		{"a/#", "a", true}, // # also matches the parent level (MQTT 4.7.1.2)
		{"#", "a/b", true},
		{"a/b/c", "a/b", false},
		{"a/#/c", "a/b/c", false},
	}
	for _, c := range cases {
		if got := Match(c.filter, c.topic); got != c.want {
			t.Errorf("Match(%q, %q) = %v, want %v", c.filter, c.topic, got, c.want)
		}
	}
}

// Stop, home, a switch off and a switch forbidden are admitted however
// late, out of order, from whichever session and with the link down;
// anything else is refused then.
func TestJudgeAdmitsSaferRequestsLate(t *testing.T) {
	t0 := time.Date(2026, 11, 29, 20, 0, 0, 0, time.UTC)
	var j Judge
	j.Connected(true)
	j.Beat(t0, Heartbeat{Session: "a", Sent: t0.UnixNano()})
	if got := j.Admit(t0, Request{Session: "a", Seq: 5, Sent: t0.UnixNano(), Op: OpMoveBy}); got != "" {
		t.Fatalf("fresh request: %q", got)
	}
	safer := []Request{{Op: OpStop}, {Op: OpHome}, {Op: OpSwitch, Name: "laser"}, {Op: OpEnable, Name: "laser"}}
	riskier := []Request{{Op: OpMoveBy, Value: 1}, {Op: OpMoveTo}, {Op: OpResume},
		{Op: OpSwitch, Name: "laser", On: true}, {Op: OpEnable, Name: "laser", On: true}}
	late := t0.Add(-2 * MaxAge).UnixNano()
	for name, how := range map[string]Request{
		"older sequence number": {Session: "a", Seq: 4, Sent: t0.UnixNano()},
		"duplicate":             {Session: "a", Seq: 5, Sent: t0.UnixNano()},
		"too old":               {Session: "a", Seq: 6, Sent: late},
		"other session":         {Session: "b", Seq: 1, Sent: t0.UnixNano()},
	} {
		for _, r := range safer {
			r.Session, r.Seq, r.Sent = how.Session, how.Seq, how.Sent
			if got := j.Admit(t0, r); got != "" {
				t.Errorf("%s %s (on %v): refused %q, want admitted", name, r.Op, r.On, got)
			}
		}
		for i, r := range riskier {
			r.Session, r.Seq, r.Sent = how.Session, how.Seq, how.Sent
			if how.Seq == 6 {
				r.Seq = 100 + uint64(i) // newer each time: refused for its age only
			}
			if got := j.Admit(t0, r); got != actuators.ReasonLink {
				t.Errorf("%s %s (on %v): %q, want refused (link)", name, r.Op, r.On, got)
			}
		}
	}
	j.Connected(false)
	if got := j.Admit(t0, Request{Session: "a", Seq: 200, Sent: t0.UnixNano(), Op: OpStop}); got != "" {
		t.Errorf("stop with the link down: %q, want admitted", got)
	}
	if got := j.Admit(t0, Request{Session: "a", Seq: 201, Sent: t0.UnixNano(), Op: OpMoveBy}); got != actuators.ReasonLink {
		t.Errorf("move with the link down: %q, want refused (link)", got)
	}
}
