package mqtt

import (
	"context"
	"encoding/json"
	"path/filepath"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// playRig is an envRig with autoplay at its worst: the laser lights the
// moment it is allowed on a rig that is not stopped. It counts the
// lightings.
type playRig struct {
	*envRig
	lit int // the times autoplay lit the laser; envRig.mu held
}

func (r *playRig) Enable(name string, on bool) bool {
	ok := r.envRig.Enable(name, on)
	r.mu.Lock()
	defer r.mu.Unlock()
	if on && !r.stopped {
		r.laserOn = true
		r.lit++
	}
	return ok
}

func (r *playRig) lightings() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.lit
}

// heard is what an agent received of the heartbeats and the laser
// forbids, in order: "beat" and "forbid <switch>".
type heard struct {
	mu  sync.Mutex
	got []string
}

func (h *heard) add(s string) { h.mu.Lock(); h.got = append(h.got, s); h.mu.Unlock() }

func (h *heard) list() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.got...)
}

// forbidFirst fails unless a forbid of the laser came before the first
// heartbeat the agent heard.
func (h *heard) forbidFirst(t *testing.T) {
	t.Helper()
	got := h.list()
	for _, s := range got {
		switch s {
		case "forbid laser":
			return
		case "beat":
			t.Errorf("the agent heard a heartbeat before the laser forbid: %q", got)
			return
		}
	}
	t.Errorf("the agent heard no laser forbid: %q", got)
}

// startPlayAgent starts an agent on a fresh playRig (its laser allowed,
// nothing kept), its link up unless cut, and returns the rig and what the
// agent hears from then on.
func (s *memSplit) startPlayAgent(cut bool) (*playRig, *heard) {
	rig := &playRig{envRig: &envRig{}}
	s.rig, s.agentLink = rig.envRig, s.b.client()
	s.agent = &Agent{Topics: s.tp, Rig: rig, Log: s.log()}
	s.agent.attach(s.agentLink)
	h := &heard{}
	s.agentLink.mu.Lock()
	beat, req := s.agentLink.subs[s.tp.Heartbeat()], s.agentLink.subs[s.tp.Request()]
	s.agentLink.subs[s.tp.Heartbeat()] = func(m Message) { h.add("beat"); beat(m) }
	s.agentLink.subs[s.tp.Request()] = func(m Message) {
		var r Request
		if json.Unmarshal(m.Payload, &r) == nil && r.Op == OpEnable && !r.On {
			h.add("forbid " + r.Name)
		}
		req(m)
	}
	s.agentLink.cut = cut
	s.agentLink.mu.Unlock()
	ctx, cancel := context.WithCancel(s.ctx)
	if !cut {
		s.agentLink.up(ctx)
	}
	done := make(chan struct{})
	go func() { s.agent.Run(ctx); close(done) }()
	s.endAgent = func() { cancel(); <-done; s.agentLink.close() }
	return rig, h
}

// forbidBy forbids the laser as the run (the panel's switch, chat's
// 关激光) or as its Home Assistant device (Laser allowed OFF), and says
// whether the agent took it.
func forbidBy(s *memSplit, who string) bool {
	if who == "device" {
		return s.remote.Allow("laser", false) == nil
	}
	return s.remote.Enable("laser", false)
}

// A laser forbid kept from before a restart of the run side (Restore) is
// sent before the first heartbeat of the new session: the agent, which
// restarted meanwhile without it, never gives its laser back, and
// autoplay on the Pi never lights it. Before, the forbid went only once
// the agent's state had shown the laser allowed, a second at least after
// the link came up, and autoplay lit the laser meanwhile.
func TestForbidKeptReachesAFreshAgentBeforeItsHeartbeat(t *testing.T) {
	for _, who := range []string{"run", "device"} {
		t.Run(who, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				s := newMemSplitKept(t, ctx, filepath.Join(t.TempDir(), "device.json"))
				if !forbidBy(s, who) {
					t.Fatal("the forbid was not taken")
				}
				time.Sleep(time.Second)
				// both sides end (kill -9); the agent comes back first
				s.endRun()
				s.endAgent()
				rig, h := s.startPlayAgent(false)
				time.Sleep(2*time.Second + 100*time.Millisecond)
				if _, allowed, _ := rig.is(); allowed {
					t.Fatal("the agent waiting for a run side allows its laser")
				}
				s.startRun(s.remote.StateFile)
				time.Sleep(3 * time.Second)
				if !s.agent.Link() {
					t.Fatal("the link is not up")
				}
				h.forbidFirst(t)
				if n := rig.lightings(); n > 0 {
					t.Errorf("autoplay lit the laser kept forbidden %d times", n)
				}
				if _, allowed, _ := rig.is(); allowed || s.allowedHere() {
					t.Errorf("allowed on the Pi %v, on the run side %v", allowed, s.allowedHere())
				}
			})
		})
	}
}

// A laser forbid given while the Pi cannot be reached (its link cut, or
// its agent down and restarted) holds on the run side and reaches the
// agent before the heartbeat that gives it its laser back. Before, the
// agent gave back the laser it had darkened for the lost link, and
// autoplay lit it until the forbid came a second or more later.
func TestForbidGivenInAnOutageReachesTheAgentBeforeItsHeartbeat(t *testing.T) {
	for _, who := range []string{"run", "device"} {
		for _, outage := range []string{"link cut", "agent restarted"} {
			t.Run(who+"/"+outage, func(t *testing.T) {
				synctest.Test(t, func(t *testing.T) {
					ctx, cancel := context.WithCancel(context.Background())
					defer cancel()
					s := newMemSplitKept(t, ctx, filepath.Join(t.TempDir(), "device.json"))
					s.endAgent()
					rig, h := s.startPlayAgent(false)
					time.Sleep(time.Second + 100*time.Millisecond)
					if _, allowed, _ := rig.is(); !allowed || !s.agent.Link() {
						t.Fatalf("the laser is not allowed (%v) or the link not up (%v)", allowed, s.agent.Link())
					}
					if outage == "agent restarted" {
						s.endAgent()
					} else {
						s.agentLink.down()
					}
					time.Sleep(2 * time.Second)
					if forbidBy(s, who) {
						t.Fatal("a forbid with the Pi unreachable was taken")
					}
					time.Sleep(5 * time.Second)
					before := rig.lightings()
					if outage == "agent restarted" {
						rig, h = s.startPlayAgent(false)
						before = 0
					} else {
						h.mu.Lock()
						h.got = nil
						h.mu.Unlock()
						s.agentLink.up(ctx)
					}
					time.Sleep(3 * time.Second)
					if !s.agent.Link() {
						t.Fatal("the link is not back")
					}
					h.forbidFirst(t)
					if n := rig.lightings() - before; n > 0 {
						t.Errorf("autoplay lit the laser forbidden during the outage %d times when the link came back", n)
					}
					if _, allowed, _ := rig.is(); allowed || s.allowedHere() {
						t.Errorf("allowed on the Pi %v, on the run side %v", allowed, s.allowedHere())
					}
				})
			})
		}
	}
}

// A forbid the agent had taken is sent again before the heartbeat when
// the agent may have lost it since: restarted during an outage (the
// agent silent meanwhile), or restarted at once, its availability gone
// offline (its goodbye, or the broker's will for it), or the run side's
// own connection dropped meanwhile. The restarted agent never gives its
// laser back. Before, the run side sent it again only once the agent's
// state had shown the laser allowed.
func TestForbidReachesAnAgentRestartedDuringAnOutage(t *testing.T) {
	for _, how := range []string{"link cut", "silent", "at once", "run side's link"} {
		t.Run(how, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				s := newMemSplitKept(t, ctx, filepath.Join(t.TempDir(), "device.json"))
				runLink := s.b.clients[len(s.b.clients)-1]
				if !s.remote.Enable("laser", false) {
					t.Fatal("the forbid was not taken")
				}
				time.Sleep(time.Second + 100*time.Millisecond)
				var rig *playRig
				var h *heard
				switch how {
				case "link cut": // cut, restarted while cut, then back
					s.agentLink.down()
					time.Sleep(2 * time.Second)
					s.endAgent()
					rig, h = s.startPlayAgent(true)
					time.Sleep(3 * time.Second)
					s.agentLink.up(ctx)
				case "silent": // down for a while, then restarted
					s.endAgent()
					time.Sleep(3 * time.Second)
					rig, h = s.startPlayAgent(false)
				case "at once": // its will, and a new agent at once
					s.endAgent()
					s.b.client().Publish(ctx, s.tp.AgentAvailability(), []byte("offline"), true, 0)
					rig, h = s.startPlayAgent(false)
				case "run side's link": // the run side cut off while the agent restarts
					runLink.down()
					s.endAgent()
					rig, h = s.startPlayAgent(false)
					time.Sleep(100 * time.Millisecond)
					runLink.up(ctx)
				}
				time.Sleep(3 * time.Second)
				if !s.agent.Link() {
					t.Fatal("the link is not back")
				}
				h.forbidFirst(t)
				if n := rig.lightings(); n > 0 {
					t.Errorf("autoplay on the restarted agent lit the forbidden laser %d times", n)
				}
				if _, allowed, _ := rig.is(); allowed {
					t.Error("the restarted agent allows the forbidden laser")
				}
				if !s.said("forbidding it again before its next heartbeat") {
					t.Errorf("the forbid sent again is not logged:\n%s", s.logs.String())
				}
			})
		})
	}
}

// The run's stop the agent had taken is sent again before the heartbeat
// of an agent restarted during an outage, as a forbid is: the fresh
// agent, not stopped, never gives its laser back on a running rig. The
// agent comes back just before a heartbeat, before its first state could
// show the run side that it runs.
func TestRunStopReachesAnAgentRestartedDuringAnOutage(t *testing.T) {
	for _, how := range []string{"link cut", "at once"} {
		t.Run(how, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				start := time.Now() // the run side's heartbeats go every HeartbeatEvery from here
				beforeBeat := func() {
					off := time.Since(start) % HeartbeatEvery
					time.Sleep(2*HeartbeatEvery - off - 10*time.Millisecond)
				}
				s := newMemSplitKept(t, ctx, filepath.Join(t.TempDir(), "device.json"))
				if rep := s.remote.Stop(time.Now()); rep.Refused {
					t.Fatalf("the stop was not taken: %+v", rep)
				}
				time.Sleep(time.Second)
				var rig *playRig
				if how == "link cut" {
					s.agentLink.down()
					time.Sleep(2 * time.Second)
					s.endAgent()
					rig, _ = s.startPlayAgent(true)
					time.Sleep(3 * time.Second)
					beforeBeat()
					s.agentLink.up(ctx)
				} else {
					beforeBeat()
					s.endAgent()
					s.b.client().Publish(ctx, s.tp.AgentAvailability(), []byte("offline"), true, 0)
					rig, _ = s.startPlayAgent(false)
				}
				time.Sleep(3 * time.Second)
				if !s.agent.Link() {
					t.Fatal("the link is not back")
				}
				if stopped, _, _ := rig.is(); !stopped {
					t.Error("the restarted agent runs under the run's stop")
				}
				if n := rig.lightings(); n > 0 {
					t.Errorf("autoplay lit the laser under the run's stop %d times", n)
				}
			})
		})
	}
}

// A forbid the agent took while its link was down is not given back when
// the link returns: the agent drops that laser from what it gives back.
func TestAgentKeepsAForbidTakenWithItsLinkDown(t *testing.T) {
	for _, session := range []string{"s", "a new run side's"} {
		l := newLinkAgent()
		l.up()
		l.down()
		// as onRequest: admitted (it only makes things safer), carried out
		l.locked(func() {
			r := Request{Session: session, Seq: 1, Sent: l.now.UnixNano(), Op: OpEnable, Name: "laser"}
			if reason := l.j.Admit(l.now, r); reason != "" {
				t.Fatalf("a forbid with the link down refused: %s", reason)
			}
			if rep := l.do(l.now, r); rep.Refused {
				t.Fatalf("a forbid with the link down refused: %+v", rep)
			}
		})
		l.up()
		if !l.forbidden() {
			t.Errorf("%s: the agent gave back a laser forbidden while its link was down", session)
		}
	}
}
