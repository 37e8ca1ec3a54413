package mqtt

import (
	"log/slog"
	"testing"
	"time"
)

// linkAgent is an agent on a virtual clock with no broker: tests drive its
// link by hand.
type linkAgent struct {
	*Agent
	rig *fakeRig
	now time.Time
}

func newLinkAgent() *linkAgent {
	l := &linkAgent{rig: &fakeRig{}, now: time.Date(2026, 11, 29, 20, 0, 0, 0, time.UTC)}
	l.Agent = &Agent{Rig: l.rig, Log: slog.New(slog.DiscardHandler), Now: func() time.Time { return l.now }, lost: true}
	return l
}

// up connects and beats: the link is up.
func (l *linkAgent) up() {
	l.now = l.now.Add(10 * time.Millisecond)
	l.mu.Lock()
	l.j.Connected(l.now, true)
	l.j.Beat(l.now, Heartbeat{Session: "s", Sent: l.now.UnixNano()})
	l.mu.Unlock()
	l.check()
}

// down drops the broker connection: the link is lost.
func (l *linkAgent) down() {
	l.now = l.now.Add(10 * time.Millisecond)
	l.mu.Lock()
	l.j.Connected(l.now, false)
	l.mu.Unlock()
	l.check()
}

func (l *linkAgent) forbidden() bool { return l.rig.Snapshot().Switches[0].Disabled }

// The streamer forbids the laser on the Pi's own panel during an outage:
// it stays forbidden when the link comes back.
func TestAgentKeepsLaserForbiddenDuringOutage(t *testing.T) {
	l := newLinkAgent()
	l.up()
	if l.forbidden() {
		t.Fatal("laser forbidden with the link up")
	}
	l.down()
	if !l.forbidden() {
		t.Fatal("laser allowed with the link lost")
	}
	if !l.Enable("laser", false) {
		t.Fatal("Enable(off) during the outage refused")
	}
	l.up()
	if !l.forbidden() {
		t.Error("the laser the streamer forbade during the outage was allowed again when the link came back")
	}
}

// The streamer allows the laser on the Pi during an outage: it stays dark
// until the link is back, then it is allowed.
func TestAgentAllowsLaserOnlyWhenLinkIsBack(t *testing.T) {
	l := newLinkAgent()
	l.up()
	l.rig.Enable("laser", false) // forbidden before the outage
	l.down()
	if !l.Enable("laser", true) {
		t.Fatal("Enable(on) during the outage refused")
	}
	if !l.forbidden() {
		t.Fatal("laser allowed during the outage")
	}
	l.up()
	if l.forbidden() {
		t.Error("the laser the streamer allowed during the outage is still forbidden with the link back")
	}
	l.Enable("laser", false) // with the link up: the rig's own Enable
	if !l.forbidden() {
		t.Error("Enable(off) with the link up did not forbid the laser")
	}
}
