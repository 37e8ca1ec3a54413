package mqtt

import (
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/safety"
)

// The run's stop (chat's 停, the panel's) given while the Pi cannot be
// reached, its agent down or its link cut (the broker restarting), holds
// on the run side, and reaches the agent when it is back, before the
// heartbeat that gives it its laser back: the rig never runs under it.
// Before, the one stop sent was lost, and the agent, back, played on
// while the panel said stopped.
func TestRunStopReachesAnAgentBackFromAnOutage(t *testing.T) {
	for _, outage := range []string{"agent restarted", "link cut"} {
		t.Run(outage, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				s := newMemSplitKept(t, ctx, filepath.Join(t.TempDir(), "device.json"))
				if outage == "agent restarted" {
					s.endAgent()
				} else {
					s.agentLink.down()
				}
				time.Sleep(2 * time.Second)
				if rep := s.remote.Stop(time.Now()); !rep.Refused {
					t.Fatalf("a stop with the Pi unreachable was taken: %+v", rep)
				}
				if !s.said("did not confirm the run's stop") {
					t.Errorf("the stop not taken is not logged:\n%s", s.logs.String())
				}
				time.Sleep(5 * time.Second)
				if outage == "agent restarted" {
					s.startAgent(&envRig{})
				} else {
					s.rig.mu.Lock()
					s.rig.allowedRunning = 0
					s.rig.mu.Unlock()
					s.agentLink.up(ctx)
				}
				time.Sleep(3 * time.Second)
				if !s.agent.Link() {
					t.Fatal("the link is not back")
				}
				if stopped, _, _ := s.rig.is(); !stopped {
					t.Fatal("the run's stop holds on the run side, but the rig on the Pi runs")
				}
				s.rig.mu.Lock()
				early := s.rig.allowedRunning
				s.rig.mu.Unlock()
				if early > 0 {
					t.Error("the agent gave its laser back before the run's stop reached it")
				}
				if rep := s.remote.MoveTo(time.Now(), "pan", 10); !rep.Refused || rep.Reason != actuators.ReasonStopped {
					t.Errorf("a move under the run's stop: %+v", rep)
				}
				s.remote.Resume(time.Now()) // the panel's resume, chat's 继续
				time.Sleep(3 * time.Second)
				if stopped, _, _ := s.rig.is(); stopped {
					t.Fatal("the run's resume left the rig stopped")
				}
			})
		})
	}
}

// The run's stop holds over a resume on the Pi's own panel, as the
// device's does: the agent keeps it apart from the Pi's own and refuses
// that resume, with a warning, until the run's resume. (Before, the rig
// ran until the run side found it running and stopped it again.)
func TestRunStopHoldsOverThePisResume(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		s := newMemSplit(t, ctx)
		s.remote.Stop(time.Now())
		time.Sleep(2 * time.Second)
		s.agent.Resume(time.Now()) // the Pi's panel
		time.Sleep(3 * time.Second)
		if stopped, _, _ := s.rig.is(); !stopped {
			t.Fatal("the Pi's resume ended the run's stop")
		}
		if !s.said("the run side's stop (its panel, chat's 停, a Home Assistant device's stop) still holds the rig") {
			t.Errorf("not logged:\n%s", s.logs.String())
		}
		s.remote.Resume(time.Now())
		time.Sleep(3 * time.Second)
		if stopped, _, _ := s.rig.is(); stopped {
			t.Fatal("the run's resume left the rig stopped")
		}
	})
}

// The run's stop kept in the file across a restart of the run side
// reaches an agent that no longer has it (restarted meanwhile, a dry run
// that keeps no stop) before its first heartbeat: the rig never runs.
func TestRunStopKeptReachesAFreshAgentFirst(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		s := newMemSplitKept(t, ctx, filepath.Join(t.TempDir(), "device.json"))
		s.remote.Stop(time.Now())
		time.Sleep(time.Second)
		s.endRun()
		s.restartAgent() // without the stop
		time.Sleep(2 * time.Second)
		s.startRun(s.remote.StateFile)
		time.Sleep(3 * time.Second)
		if !s.remote.RunStopped() {
			t.Fatal("the run's stop was not restored")
		}
		if stopped, _, _ := s.rig.is(); !stopped {
			t.Fatal("the run's stop kept across the restart does not hold on the Pi")
		}
		s.rig.mu.Lock()
		early := s.rig.allowedRunning
		s.rig.mu.Unlock()
		if early > 0 {
			t.Error("the agent gave its laser back before the kept stop reached it")
		}
		if rep := s.remote.MoveTo(time.Now(), "pan", 10); !rep.Refused {
			t.Errorf("a move under the kept run's stop: %+v", rep)
		}
	})
}

// Chat's 开激光 (EnableChat) lifts the run's forbid but never a forbid
// given on the Pi's own panel, whether that came long before or just
// before: the agent refuses its allow (keep_local) and the answer is
// false. The run's panel's laser switch (Enable) does lift the Pi's
// forbid. Before, chat's 开激光 was the panel's allow, and lit a laser
// the Pi's panel forbade.
func TestChatAllowLeavesThePisForbid(t *testing.T) {
	for _, when := range []string{"long before", "just before"} {
		t.Run(when, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				s := newMemSplit(t, ctx)
				fan := Fanout{s.remote}
				fan.EnableChat("laser", false) // chat's 关激光
				s.agent.Enable("laser", false) // the Pi's panel
				if when == "long before" {
					time.Sleep(time.Second)
				}
				if fan.EnableChat("laser", true) {
					t.Error("chat's 开激光 says allowed under the Pi's forbid")
				}
				time.Sleep(2 * time.Second)
				if _, allowed, _ := s.rig.is(); allowed || s.allowedHere() {
					t.Fatalf("chat's 开激光 lifted the Pi's forbid: on the Pi %v, on the run side %v", allowed, s.allowedHere())
				}
				if rep := s.lit(); !rep.Refused {
					t.Errorf("chat lit the laser the Pi forbade: %+v", rep)
				}
				// the run's forbid is lifted all the same: the Pi's allow
				// leaves nothing forbidding it
				s.agent.Enable("laser", true)
				time.Sleep(2 * time.Second)
				if _, allowed, _ := s.rig.is(); !allowed {
					t.Fatal("after chat's 开激光 and the Pi's allow, still forbidden")
				}

				// with nothing else forbidding, chat's switch works both ways
				fan.EnableChat("laser", false)
				time.Sleep(time.Second)
				if _, allowed, _ := s.rig.is(); allowed {
					t.Fatal("chat's 关激光 left the laser allowed")
				}
				if !fan.EnableChat("laser", true) {
					t.Error("chat's 开激光 refused with nothing else forbidding")
				}
				time.Sleep(time.Second)
				if _, allowed, _ := s.rig.is(); !allowed {
					t.Fatal("chat's 开激光 left the laser forbidden")
				}

				// the run's panel's switch lifts the Pi's forbid
				s.agent.Enable("laser", false)
				s.remote.Enable("laser", true)
				time.Sleep(time.Second)
				if _, allowed, _ := s.rig.is(); !allowed {
					t.Error("the run's panel's allow did not lift the Pi's forbid")
				}
			})
		})
	}
}

// To an agent from before local_off, which would take chat's allow as a
// plain one, chat's 开激光 sends none while it shows the laser forbidden.
func TestChatAllowOfAnOldAgent(t *testing.T) {
	r, a, _ := quickRemote()
	say := func(disabled bool) {
		local := false
		b, _ := json.Marshal(agentState{State: safety.State{Switches: []safety.SwitchState{{Name: "laser", Laser: true, Disabled: disabled}}},
			Link: true, LocalStop: &local}) // no local_off
		r.onState(Message{Payload: b})
	}
	say(true)
	if r.EnableChat("laser", true) {
		t.Error("chat's allow to an old agent that shows the laser forbidden says allowed")
	}
	if got := a.ops(); got != "" {
		t.Errorf("sent %q", got)
	}
	say(false)
	if !r.EnableChat("laser", true) {
		t.Error("chat's allow to an old agent that shows the laser allowed refused")
	}
	if got := a.ops(); got != "enable" {
		t.Errorf("sent %q", got)
	}
}

// With mqtt.control off no Home Assistant device can lift the stop and
// forbid it kept: they are restored as the run's, which the panel's
// resume and laser switch lift, the log says so, and the file says so
// from then on. So is the safe side of a file that cannot be read.
// Before, they held as the device's, which nothing could lift.
func TestDeviceKeptWithoutControlIsTheRuns(t *testing.T) {
	for _, body := range []string{`{"held":true,"forbidden":["laser"]}`, `{half`} {
		t.Run(body, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "device")
			if err := os.WriteFile(file, []byte(body), 0o600); err != nil {
				t.Fatal(err)
			}
			r, a, _ := quickRemote()
			var logs syncBuffer
			r.Log = slog.New(slog.NewTextHandler(&logs, nil))
			r.StateFile, r.Lasers, r.NoDeviceControl = file, []string{"laser"}, true
			err := r.Restore()
			if body == `{half` {
				if err == nil || !strings.Contains(err.Error(), "mqtt.control off") {
					t.Errorf("unreadable: %v", err)
				}
			} else {
				if err != nil {
					t.Fatal(err)
				}
				if !strings.Contains(logs.String(), "mqtt.control off") {
					t.Errorf("not logged:\n%s", logs.String())
				}
				b, _ := os.ReadFile(file)
				if got, want := string(b), `{"held":false,"forbidden":null,"run_stop":true,"run_forbidden":["laser"]}`; got != want {
					t.Errorf("kept %s, want %s", got, want)
				}
			}
			if r.isHeld() || !r.RunStopped() || !r.Snapshot().Stopped {
				t.Errorf("held %v, the run's stop %v, stopped %v: want the run's alone", r.isHeld(), r.RunStopped(), r.Snapshot().Stopped)
			}
			if r.devOff["laser"] || !r.runOff["laser"] {
				t.Errorf("forbidden by the device %v, by the run %v: want the run's alone", r.devOff["laser"], r.runOff["laser"])
			}
			if rep := r.Switch(time.Time{}, "laser", true, time.Second); !rep.Refused {
				t.Errorf("lit: %+v", rep)
			}
			r.Resume(time.Time{})   // the panel's resume
			r.Enable("laser", true) // the panel's laser switch
			if got := a.ops(); got != "resume enable" {
				t.Errorf("the panel's resume and laser switch sent %q", got)
			}
			if _, err := os.Stat(file); !os.IsNotExist(err) {
				t.Errorf("nothing kept, the file is still there: %v", err)
			}
		})
	}
}

// A file that cannot be written or removed is logged with what a restart
// of the run side would find instead: those given since forgotten, those
// lifted since back. Before, every failure said they would be forgotten,
// where a restart brought back a stop just lifted.
func TestRemoteKeptFileFailureSaysWhatARestartFinds(t *testing.T) {
	file := filepath.Join(t.TempDir(), "device")
	r, _, _ := quickRemote()
	var logs syncBuffer
	r.Log = slog.New(slog.NewTextHandler(&logs, nil))
	r.StateFile = file
	// a directory with something in it can be neither replaced nor
	// removed, by root too
	block := func() {
		t.Helper()
		if err := os.Remove(file); err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(file, "x"), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	unblock := func() { os.RemoveAll(file) }
	said := func(want string) {
		t.Helper()
		got := logs.String()
		logs.mu.Lock()
		logs.b.Reset()
		logs.mu.Unlock()
		if strings.Count(got, "level=ERROR") != 1 || !strings.Contains(got, want) {
			t.Errorf("logged %s\nwant one error saying %q", got, want)
		}
	}

	r.Stop(time.Time{}) // kept
	block()
	r.Enable("laser", false) // not kept
	said("would forget those given since")
	unblock()
	r.Enable("laser", false) // kept now
	if _, err := os.Stat(file); err != nil {
		t.Fatal(err)
	}
	block()
	r.Enable("laser", true)
	said("would bring back those lifted since")
	r.Resume(time.Time{})
	said("cannot be removed: a restart of the run side would bring back those it holds")
	unblock()
}

// The agent tells its panel engine (LocalResumed) when the run side's
// resume ends a stop given on the Pi, and only then: not when a device's
// Resume is refused under it, nor for a resume of the run's own stop.
func TestAgentSaysWhenTheRunEndsThePisStop(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		s := newMemSplit(t, ctx)
		var told atomic.Int32
		s.agentSet = func(a *Agent) { a.LocalResumed = func(time.Time) { told.Add(1) } }
		s.restartAgent()
		time.Sleep(time.Second)
		s.agent.Stop(time.Now()) // the Pi's panel
		s.remote.Hold(time.Now())
		s.remote.Release(time.Now()) // refused: the Pi's stop holds
		time.Sleep(time.Second)
		if n := told.Load(); n != 0 {
			t.Fatalf("told %d times of a resume the agent refused", n)
		}
		s.remote.Stop(time.Now())
		s.remote.Resume(time.Now()) // the run's panel
		time.Sleep(time.Second)
		if n := told.Load(); n != 1 || s.agent.LocalStop() {
			t.Fatalf("the run's resume ended the Pi's stop (%v): told %d times, want 1", !s.agent.LocalStop(), n)
		}
		s.remote.Stop(time.Now())
		s.remote.Resume(time.Now())
		time.Sleep(time.Second)
		if n := told.Load(); n != 1 {
			t.Errorf("told %d times, want 1: the second resume ended no stop of the Pi's", n)
		}
	})
}

// While the run's stop holds, every request but the safer ones is refused
// on the run side, as under the device's, whatever the agent would do
// (one that restarted without the stop would carry it out).
func TestRemoteRunStopRefusesHere(t *testing.T) {
	r, a, _ := quickRemote() // its agent carries out anything
	r.Stop(time.Time{})
	a.forget()
	if rep := r.MoveBy(time.Time{}, "pan", 1); !rep.Refused || rep.Reason != actuators.ReasonStopped {
		t.Errorf("a move under the run's stop: %+v", rep)
	}
	if rep := r.Switch(time.Time{}, "laser", true, time.Second); !rep.Refused || rep.Reason != actuators.ReasonStopped {
		t.Errorf("a laser lit under the run's stop: %+v", rep)
	}
	r.Home(time.Time{})
	r.Switch(time.Time{}, "laser", false, 0)
	if got := a.ops(); got != "home switch" {
		t.Errorf("sent %q, want the safer requests alone", got)
	}
	if !r.Snapshot().Stopped {
		t.Error("the snapshot does not say stopped")
	}
	r.Resume(time.Time{})
	if rep := r.MoveBy(time.Time{}, "pan", 1); rep.Refused {
		t.Errorf("a move after the run's resume: %+v", rep)
	}
}
