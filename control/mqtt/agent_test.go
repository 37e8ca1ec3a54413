package mqtt

import (
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
	"testing/synctest"
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
	l.j.Connected(true)
	l.j.Beat(l.now, Heartbeat{Session: "s", Sent: l.now.UnixNano()})
	l.mu.Unlock()
	l.check()
}

// down drops the broker connection: the link is lost.
func (l *linkAgent) down() {
	l.now = l.now.Add(10 * time.Millisecond)
	l.mu.Lock()
	l.j.Connected(false)
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

// racyRig loses the link the moment the agent allows the laser, if the
// agent lets it: between the judge's admission and the rig's action.
type racyRig struct {
	*fakeRig
	l      *linkAgent
	raced  bool
	racing bool
}

func (r *racyRig) Enable(name string, on bool) bool {
	if on && !r.racing && r.l.mu.TryLock() { // the agent does not hold its lock
		r.raced, r.racing = true, true
		r.l.j.Connected(false)
		r.l.mu.Unlock()
		r.l.check()
		r.racing = false
	}
	return r.fakeRig.Enable(name, on)
}

// A laser request admitted just before the link is lost never runs after
// the agent darkened the rig for the loss.
func TestAgentRequestCannotOvertakeLinkLoss(t *testing.T) {
	l := newLinkAgent()
	rr := &racyRig{fakeRig: l.rig, l: l}
	l.Rig = rr
	l.conn = &nopPublisher{}
	l.up()
	l.rig.Enable("laser", false) // the run side had forbidden it
	req, _ := json.Marshal(Request{Session: "s", Seq: 1, Sent: l.now.UnixNano(), Op: OpEnable, Name: "laser", On: true})
	l.onRequest(Message{Payload: req})
	if !rr.raced {
		l.down() // the loss comes right after the request, as it must
	}
	if !l.forbidden() {
		t.Errorf("laser allowed with the link lost (the request ran after the loss: %v)", rr.raced)
	}
	if l.Link() {
		t.Error("link up")
	}
}

func (l *linkAgent) beat(session string) {
	l.mu.Lock()
	l.j.Beat(l.now, Heartbeat{Session: session, Sent: l.now.UnixNano()})
	l.mu.Unlock()
	l.check()
}

// The run side says goodbye (a clean exit, or its will): the laser goes
// dark and the rig parks at once, not after LinkTimeout; a heartbeat of
// that run still in flight does not bring the link back, a new run does.
func TestAgentDarkensOnRunSideGoodbye(t *testing.T) {
	l := newLinkAgent()
	l.up()
	l.rig.Switch(l.now, "laser", true, 0)
	l.onRunSide(Message{Payload: []byte("offline")})
	if l.rig.lit() || !l.forbidden() || l.Link() {
		t.Fatalf("after the goodbye: lit %v, forbidden %v, link %v", l.rig.lit(), l.forbidden(), l.Link())
	}
	l.rig.mu.Lock()
	calls := strings.Join(l.rig.calls, " ")
	l.rig.mu.Unlock()
	if !strings.HasSuffix(calls, "home") {
		t.Errorf("rig not parked after the goodbye: %s", calls)
	}
	l.now = l.now.Add(5 * time.Millisecond)
	l.beat("s") // the old run's last heartbeat, in flight
	if l.Link() || !l.forbidden() {
		t.Error("a heartbeat sent before the goodbye brought the link back")
	}
	l.now = l.now.Add(time.Millisecond)
	l.beat("s2") // a new run side
	if !l.Link() || l.forbidden() {
		t.Error("a new run side's heartbeat did not bring the link back")
	}
	l.onRunSide(Message{Payload: []byte("online")})
	if !l.Link() {
		t.Error("\"online\" took the link down")
	}
}

// The link check darkens the laser within LinkTimeout even while the
// agent's state publication is stuck (a broker that stopped reading: the
// connection's buffer full, the write waiting).
func TestAgentDarkensWhilePublishingIsStuck(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rig := &fakeRig{}
		a := &Agent{Rig: rig, Log: slog.New(slog.DiscardHandler), lost: true}
		a.conn = &heldPublisher{held: "#", release: make(chan struct{})}
		a.mu.Lock()
		a.j.Connected(true)
		a.j.Beat(time.Now(), Heartbeat{Session: "s", Sent: time.Now().UnixNano()})
		a.mu.Unlock()
		a.check()
		rig.Switch(time.Now(), "laser", true, time.Minute)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { a.Run(ctx); close(done) }()
		time.Sleep(LinkTimeout + time.Second/2) // no heartbeat since; the publication stuck from the first tick
		if rig.lit() {
			t.Errorf("laser lit %v after the last heartbeat", LinkTimeout+time.Second/2)
		}
		cancel()
		<-done
	})
}
