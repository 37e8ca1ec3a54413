package mqtt

import (
	"context"
	"os"
	"testing"
	"testing/synctest"
	"time"
)

// A rig the run stopped (chat's 停) stays stopped on the Pi across a
// restart of the run side, which does not keep its own stop: a device's
// Emergency stop and Resume must not then end it. Only the run's resume
// does.
func TestDeviceResumeAfterARunRestartLeavesTheRunsStop(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		s := newMemSplit(t, ctx)
		s.remote.Stop(time.Now()) // a moderator's 停
		time.Sleep(time.Second)
		s.restartRun()
		time.Sleep(time.Second)
		s.remote.Hold(time.Now())
		time.Sleep(time.Second)
		_ = s.remote.Release(time.Now())
		time.Sleep(time.Second)
		if stopped, _, _ := s.rig.is(); !stopped {
			t.Fatal("a device's Emergency stop and Resume ended the run's stop kept on the Pi across the run side's restart")
		}
		s.remote.Resume(time.Now()) // the run's resume: the panel, 继续
		time.Sleep(time.Second)
		if stopped, _, _ := s.rig.is(); stopped {
			t.Fatal("the run's resume did not end the run's stop after the restart")
		}
	})
}

// A kept file that parses but holds nothing (null, {}) is never written
// (a file with nothing kept is removed): it counts as unreadable, the safe
// side, not as free.
func TestDeviceKeptFileEmptyIsTheSafeSide(t *testing.T) {
	for _, body := range []string{"null", "{}", `{"held":false}`} {
		file := t.TempDir() + "/device"
		if err := os.WriteFile(file, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		r := &Remote{Topics: Topics{Base: "cattease", Rig: "kitten"}, Lasers: []string{"laser"}, StateFile: file}
		if err := r.Restore(); err == nil {
			t.Errorf("%s: restored without a word", body)
		}
		if !r.held || !r.devOff["laser"] {
			t.Errorf("%s: held %v, laser forbidden %v: want the safe side", body, r.held, r.devOff["laser"])
		}
	}
}
