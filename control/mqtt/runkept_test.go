package mqtt

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"testing/synctest"
	"time"
)

// The run's stop (chat's 停) and its device's stop both held when the run
// side restarted: the device's Resume ends the device's own alone, and the
// run's stop, kept with it, holds until the run's resume. Before, only the
// device's was kept, the run's was not taken back, and the device's Resume
// resumed the rig.
func TestDeviceResumeLeavesTheRunsStopKeptAcrossARestart(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		s := newMemSplitKept(t, ctx, filepath.Join(t.TempDir(), "device.json"))
		s.remote.Stop(time.Now()) // a moderator's 停
		time.Sleep(time.Second)
		s.remote.Hold(time.Now()) // the device's Emergency stop
		time.Sleep(time.Second)
		s.restartRun()
		time.Sleep(time.Second)
		err := s.remote.Release(time.Now())
		time.Sleep(time.Second)
		if stopped, _, _ := s.rig.is(); !stopped {
			t.Fatalf("the device's Resume ended the run's stop kept across the restart (%v)", err)
		}
		if err == nil {
			t.Error("the device's Resume under the run's stop said nothing")
		}
		s.remote.Resume(time.Now()) // the panel's resume, chat's 继续
		time.Sleep(time.Second)
		if stopped, _, _ := s.rig.is(); stopped {
			t.Fatal("the run's resume did not end the run's stop after the restart")
		}
	})
}

// The run's laser forbid (chat's 关激光, the panel's switch) outlives a
// restart of the run side: a device's Laser allowed ON does not lift it,
// and chat cannot light the laser; the run's allow (the panel's laser
// switch) does lift it.
func TestRunLaserForbidOutlivesTheRunSide(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		s := newMemSplitKept(t, ctx, filepath.Join(t.TempDir(), "device.json"))
		s.remote.Enable("laser", false) // chat's 关激光
		s.restartRun()
		time.Sleep(time.Second)
		if err := (&Bridge{Rig: s.remote}).enableLasers(true); err == nil {
			t.Error("the device's allow under the run's forbid said nothing")
		}
		time.Sleep(time.Second)
		if _, allowed, _ := s.rig.is(); allowed || s.allowedHere() {
			t.Errorf("the device's allow lifted the run's forbid kept across the restart: on the Pi %v, in Home Assistant %v", allowed, s.allowedHere())
		}
		if rep := s.lit(); !rep.Refused {
			t.Fatalf("chat lit the laser the run forbade before the restart: %+v", rep)
		}
		s.remote.Enable("laser", true) // the panel's laser switch
		time.Sleep(time.Second)
		if _, allowed, _ := s.rig.is(); !allowed {
			t.Error("the run's allow did not lift its forbid after the restart")
		}
	})
}

// The run's stop and forbid are written beside the device's, and the file
// goes once nothing is kept. A file from before they were kept reads as it
// did (the device's alone); one that cannot be read counts as both stops
// and both forbids, the safe side.
func TestRunKeptFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "device")
	r, _, _ := quickRemote()
	r.StateFile = file
	r.Stop(time.Time{})
	r.Enable("laser", false)
	r.Allow("laser", false)
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(b), `{"held":false,"forbidden":["laser"],"run_stop":true,"run_forbidden":["laser"]}`; got != want {
		t.Errorf("kept %s, want %s", got, want)
	}
	r.Resume(time.Time{})
	r.Enable("laser", true)
	r.Allow("laser", true)
	if _, err := os.Stat(file); !os.IsNotExist(err) {
		t.Errorf("nothing kept, the file is still there: %v", err)
	}

	for body, want := range map[string][4]bool{
		`{"held":true,"forbidden":["laser"]}`:                       {true, true, false, false}, // from before
		`{"held":false,"forbidden":null,"run_stop":true}`:           {false, false, true, false},
		`{"held":false,"forbidden":null,"run_forbidden":["laser"]}`: {false, false, false, true},
		`{half`: {true, true, true, true},
	} {
		os.WriteFile(file, []byte(body), 0o600)
		r := &Remote{Topics: Topics{Base: "cattease", Rig: "kitten"}, Lasers: []string{"laser"}, StateFile: file}
		err := r.Restore()
		if (err != nil) != (body == `{half`) {
			t.Errorf("%s: %v", body, err)
		}
		if got := [4]bool{r.held, r.devOff["laser"], r.runStop, r.runOff["laser"]}; got != want {
			t.Errorf("%s: held, device forbids, run's stop, run forbids: %v, want %v", body, got, want)
		}
	}
}
