package mqtt

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/safety"
)

// lit asks the rig's laser to light for a while, as chat's 激光 does
// through the engine (Fanout.Switch on each rig).
func (s *memSplit) lit() safety.Report {
	return s.remote.Switch(time.Now(), "laser", true, 10*time.Second)
}

// shining reports whether the rig's laser is lit.
func (r *envRig) shining() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.laserOn
}

// allowedHere is what Home Assistant's Laser allowed shows: the rig's
// snapshot on the run side.
func (s *memSplit) allowedHere() bool {
	return !s.remote.Snapshot().Switches[0].Disabled
}

// A laser a device forbade stays dark after the agent restarts with a
// fresh rig (the permission lives on the Pi, which starts with it
// allowed), after a forbid sent while the Pi was unreachable, and after
// one sent before the agent said which lasers it has: a request to light
// it is refused on the run side, and the agent is told to forbid it again
// as soon as its state shows it allowed. The reviewer's sequence: the
// device's Laser allowed OFF, the agent restarted, chat's 激光 lit the
// fresh rig's laser and Laser allowed flipped back on.
func TestDeviceLaserForbidOutlivesTheAgent(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		s := newMemSplit(t, ctx)
		dev := &Bridge{Rig: s.remote}
		if err := dev.enableLasers(false); err != nil {
			t.Fatal(err)
		}
		if _, allowed, _ := s.rig.is(); allowed {
			t.Fatal("the device's forbid did not reach the agent")
		}

		// the agent restarts: a fresh rig, its laser allowed
		s.restartAgent()
		time.Sleep(time.Second)
		if rep := s.lit(); !rep.Refused || rep.Reason != actuators.ReasonDisabled {
			t.Errorf("chat lit the laser the device forbade, after the agent restarted: %+v", rep)
		}
		if s.rig.shining() {
			t.Error("the fresh rig's laser is lit")
		}
		time.Sleep(time.Second)
		if _, allowed, _ := s.rig.is(); allowed || s.allowedHere() {
			t.Errorf("after the agent restarted: allowed on the Pi %v, in Home Assistant %v", allowed, s.allowedHere())
		}
		if !s.said("forbidding it again") {
			t.Errorf("the forbid sent again is not logged:\n%s", s.logs.String())
		}

		// the device allows it, then forbids it while the Pi is cut off
		if err := dev.enableLasers(true); err != nil {
			t.Fatal(err)
		}
		s.agentLink.down()
		err := dev.enableLasers(false)
		if err == nil || !strings.Contains(err.Error(), "sent again") {
			t.Errorf("a forbid the agent did not take: %v", err)
		}
		time.Sleep(2 * time.Second) // the agent darkens for the outage
		s.agentLink.up(ctx)         // and gives back what it took
		time.Sleep(time.Second)
		if rep := s.lit(); !rep.Refused {
			t.Errorf("chat lit the laser the device forbade during the outage: %+v", rep)
		}
		time.Sleep(time.Second)
		if _, allowed, _ := s.rig.is(); allowed {
			t.Error("the laser forbidden during the outage is allowed on the Pi")
		}
	})
}

// A forbid sent before the agent has published its state (no switch known
// yet) is recorded by the rules' lasers, and reaches the agent when it
// comes: not refused as "no laser on this rig".
func TestDeviceLaserForbidBeforeTheAgentSpeaks(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		s := &memSplit{t: t, ctx: ctx, b: &memBroker{}, tp: Topics{Base: "cattease", Rig: "kitten"}, logs: &syncBuffer{}}
		s.startRun("")
		err := (&Bridge{Rig: s.remote}).enableLasers(false)
		if err != nil && strings.Contains(err.Error(), "no laser") {
			t.Fatalf("the forbid before the agent's state: %v", err)
		}
		s.startAgent(&envRig{})
		time.Sleep(2 * time.Second)
		if _, allowed, _ := s.rig.is(); allowed {
			t.Error("the forbid sent before the agent spoke never reached it")
		}
		if rep := s.lit(); !rep.Refused {
			t.Errorf("lit: %+v", rep)
		}
	})
}

// A device's Resume never ends a stop given on the Pi (its panel, SIGUSR1,
// cattease halt), whether that came after the device's stop or just
// before it, when the run side could not know of it yet: the agent
// refuses the resume. The device's own stop is over all the same: the
// Pi's resume then lets the rig play.
func TestDeviceResumeLeavesThePisStop(t *testing.T) {
	for _, order := range []string{"after", "just before"} {
		t.Run(order, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				s := newMemSplit(t, ctx)
				if order == "after" {
					s.remote.Hold(time.Now())
					time.Sleep(time.Second)  // published: stopped
					s.agent.Stop(time.Now()) // the Pi's panel
				} else {
					s.agent.Stop(time.Now()) // not published yet
					s.remote.Hold(time.Now())
				}
				time.Sleep(time.Second)
				err := s.remote.Release(time.Now())
				if err == nil || !strings.Contains(err.Error(), "given on the Pi") {
					t.Errorf("the device's Resume: %v", err)
				}
				if stopped, _, _ := s.rig.is(); !stopped {
					t.Fatal("the device's Resume ended the Pi's stop")
				}
				if s.remote.isHeld() {
					t.Error("the device's own stop holds after its Resume")
				}
				s.agent.Resume(time.Now()) // the Pi's panel
				time.Sleep(2 * time.Second)
				if stopped, _, _ := s.rig.is(); stopped {
					t.Error("the rig is stopped after the Pi's resume")
				}
			})
		})
	}
}

// An agent from before local_stop cannot say whether a stop given on the
// Pi holds: a device's Resume lifts the device's own stop but sends it no
// resume, which would end the Pi's too; the panel's resume does.
func TestDeviceResumeOfAnOldAgent(t *testing.T) {
	r, a, _ := quickRemote()
	b, _ := json.Marshal(agentState{Link: true}) // no local_stop
	r.onState(Message{Payload: b})
	r.Hold(time.Time{})
	a.forget()
	err := r.Release(time.Time{})
	if err == nil || !strings.Contains(err.Error(), "older cattease") {
		t.Errorf("an old agent's device Resume: %v", err)
	}
	if got := a.ops(); got != "" || r.isHeld() {
		t.Errorf("sent %q, held %v", got, r.isHeld())
	}
	r.Resume(time.Time{})
	if got := a.ops(); got != "resume" {
		t.Errorf("the panel's resume sent %q", got)
	}
}

// A device's stop right after its confirmed resume, before the agent has
// published that it runs again (a door sensor's automation that flaps),
// is the device's own: its next Resume ends it. Before, the stale
// "stopped" counted as a stop from before the device's, the Resume was
// refused, and the rig stayed stopped for good.
func TestDeviceStopRightAfterItsResume(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		s := newMemSplit(t, ctx)
		s.remote.Hold(time.Now())
		time.Sleep(time.Second) // the agent says stopped
		if err := s.remote.Release(time.Now()); err != nil {
			t.Fatal(err)
		}
		s.remote.Hold(time.Now()) // the state still says stopped
		time.Sleep(time.Second)
		if err := s.remote.Release(time.Now()); err != nil {
			t.Errorf("the device's Resume of its second stop: %v", err)
		}
		time.Sleep(time.Second)
		if stopped, _, _ := s.rig.is(); stopped || s.remote.Snapshot().Stopped {
			t.Errorf("the rig stays stopped: on the Pi %v", stopped)
		}
	})
}

// The device's stop and laser forbid outlive a restart of the run side
// (kept in its state directory): chat's 继续 does not end the stop, the
// device's Resume does, and the laser stays forbidden until the device
// allows it. Before, after a restart the device's Resume was refused for
// good and a moderator's 继续 resumed the rig.
func TestDeviceHoldOutlivesTheRunSide(t *testing.T) {
	file := filepath.Join(t.TempDir(), "device")
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		s := newMemSplitKept(t, ctx, file)
		s.remote.Hold(time.Now())
		if err := s.remote.Allow("laser", false); err != nil {
			t.Fatal(err)
		}
		s.restartRun()
		time.Sleep(time.Second)
		s.remote.Resume(time.Now()) // a moderator's 继续, the panel's resume
		time.Sleep(time.Second)
		if stopped, _, _ := s.rig.is(); !stopped {
			t.Fatal("the run's resume ended the device's stop kept across the restart")
		}
		if err := s.remote.Release(time.Now()); err != nil {
			t.Errorf("the device's Resume after the restart: %v", err)
		}
		time.Sleep(time.Second)
		stopped, allowed, _ := s.rig.is()
		if stopped || allowed {
			t.Errorf("after the device's Resume: stopped %v, laser allowed %v", stopped, allowed)
		}
		if rep := s.lit(); !rep.Refused {
			t.Errorf("the laser the device forbade lit after the restart: %+v", rep)
		}
		if err := s.remote.Allow("laser", true); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(file); !os.IsNotExist(err) {
			t.Errorf("nothing kept, the file is still there: %v", err)
		}
	})
}

// A kept file that cannot be read counts as the device's stop and its
// forbid, and the run's, the safe side; their resumes and allows clear
// them, each its own.
func TestDeviceKeptFileUnreadable(t *testing.T) {
	file := filepath.Join(t.TempDir(), "device")
	os.WriteFile(file, []byte("{half"), 0o600)
	r, a, _ := quickRemote()
	r.StateFile, r.Lasers = file, []string{"laser"}
	if err := r.Restore(); err == nil {
		t.Error("an unreadable file restored without a word")
	}
	if !r.isHeld() || !r.Snapshot().Stopped {
		t.Error("not held")
	}
	if rep := r.Switch(time.Time{}, "laser", true, time.Second); !rep.Refused {
		t.Errorf("lit: %+v", rep)
	}
	if err := r.Release(time.Time{}); err == nil || !strings.Contains(err.Error(), "the run's stop") {
		t.Fatalf("the device's Resume: %v", err)
	}
	r.Resume(time.Time{})
	if err := r.Allow("laser", true); err == nil || !strings.Contains(err.Error(), "run's laser switch") {
		t.Fatalf("the device's Laser allowed: %v", err)
	}
	r.Enable("laser", true)
	if got := a.ops(); got != "resume enable" {
		t.Errorf("sent %q", got)
	}
	if _, err := os.Stat(file); !os.IsNotExist(err) {
		t.Errorf("the file is still there: %v", err)
	}
}

// The run's resume (the panel's, chat's 继续) that leaves a rig stopped
// under its device's stop says so: the panel's resume does nothing
// visible on that rig otherwise.
func TestRunResumeUnderTheDevicesStopIsLogged(t *testing.T) {
	r, a, _ := quickRemote()
	var logs syncBuffer
	r.Log = (&memSplit{logs: &logs}).log()
	r.Hold(time.Time{})
	a.forget()
	r.Resume(time.Time{})
	if got := a.ops(); got != "" {
		t.Errorf("sent %q", got)
	}
	if got := logs.String(); !strings.Contains(got, "level=WARN") || !strings.Contains(got, "held by Home Assistant's Emergency stop") || !strings.Contains(got, "rig=cat") {
		t.Errorf("logged:\n%s", got)
	}
}

// The run's laser forbid (the panel's switch, chat's 关激光) holds over a
// device's Laser allowed ON, as a device's forbid holds over the panel's:
// the laser lights only when neither forbids it.
func TestRunLaserForbidHoldsOverTheDevice(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		s := newMemSplit(t, ctx)
		s.remote.Enable("laser", false) // the panel
		if err := (&Bridge{Rig: s.remote}).enableLasers(true); err == nil {
			t.Error("the device's allow under the run's forbid said nothing")
		}
		time.Sleep(time.Second)
		if _, allowed, _ := s.rig.is(); allowed || s.allowedHere() {
			t.Errorf("the device's allow lifted the panel's forbid: on the Pi %v, in Home Assistant %v", allowed, s.allowedHere())
		}
		if rep := s.lit(); !rep.Refused {
			t.Errorf("lit: %+v", rep)
		}
		s.remote.Enable("laser", true)
		time.Sleep(time.Second)
		if _, allowed, _ := s.rig.is(); !allowed {
			t.Error("neither forbids it, and it is forbidden")
		}
	})
}
