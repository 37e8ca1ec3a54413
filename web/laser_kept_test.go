package web

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/mock"
	"github.com/cattease/cattease/actuators/safety"
	"github.com/cattease/cattease/control"
	"github.com/cattease/cattease/control/config"
)

// The panel's laser switch whose forbid cannot be kept on disk (here no
// state directory to write in: a full disk, a directory turned
// read-only) answers that it holds but is not kept ("kept": false),
// which the panel shows as a warning; once the file can be written it
// answers kept again. Before, it answered {"ok":true} alone and only a
// journal line said the forbid would not survive a restart.
func TestLaserControlSaysWhenTheForbidIsNotKept(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state")
	eng, env := keptEngine(t, filepath.Join(dir, "laser-off.json"))
	s := &Server{Engine: eng, Rig: env, Token: testToken, Log: slog.New(slog.DiscardHandler)}
	bearer := []string{"Authorization", "Bearer " + testToken}
	laserOff := func() (ok bool, kept *bool) {
		t.Helper()
		w := do(t, s.Handler(), "POST", "/api/control/laser", `{"enabled":false}`, bearer...)
		var res struct {
			OK   bool  `json:"ok"`
			Kept *bool `json:"kept"`
		}
		if w.Code != 200 || json.Unmarshal(w.Body.Bytes(), &res) != nil {
			t.Fatalf("laser off: %d %s", w.Code, w.Body)
		}
		return res.OK, res.Kept
	}
	if ok, kept := laserOff(); !ok || kept == nil || *kept {
		t.Errorf("laser off, not written: ok %v, kept %v; want ok, kept false", ok, kept)
	}
	if sw := env.Snapshot().Switches; len(sw) != 1 || !sw[0].Disabled {
		t.Errorf("the laser after a forbid not kept: %+v, want it forbidden all the same", sw)
	}
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if ok, kept := laserOff(); !ok || kept == nil || !*kept {
		t.Errorf("laser off, written: ok %v, kept %v; want kept true", ok, kept)
	}
}

// keptEngine is an engine with the testdata rules on a mock rig with a
// laser, keeping its laser forbid in path.
func keptEngine(t *testing.T, path string) (*control.Engine, *safety.Envelope) {
	t.Helper()
	f, err := config.Load("testdata/rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	rules, err := control.Compile(f)
	if err != nil {
		t.Fatal(err)
	}
	outs := map[string]actuators.Actuator{"laser": mock.New("laser", actuators.KindSwitch, mock.Limits{}, nil),
		"pan": mock.New("pan", actuators.KindAxis, mock.Limits{}, nil), "tilt": mock.New("tilt", actuators.KindAxis, mock.Limits{}, nil)}
	cfg := safety.Config{Switches: []safety.SwitchLimits{{Name: "laser", Laser: true, MaxOn: 20 * time.Second, Cooldown: time.Second}}}
	for _, name := range []string{"pan", "tilt"} {
		cfg.Axes = append(cfg.Axes, safety.AxisLimits{Name: name, Min: -45, Max: 45, Speed: 180})
	}
	env, err := safety.New(cfg, outs)
	if err != nil {
		t.Fatal(err)
	}
	eng, err := control.New(rules, env, control.Options{LaserFile: path, Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	return eng, env
}

// Every frame (GET /api/status, each event of GET /api/events) says
// while the laser forbid is not kept on disk, and which way a restart
// would go: "forbid" (it would light the laser again), "allow" (it would
// forbid it again); once the engine's retry writes the file, the next
// frame no longer says it. Before, only the laser button's answer said
// "kept": false, so the panel's warning stayed after the retry had kept
// the forbid, went at a reload, and said a restart would lose an allow
// whose file could not be removed, which a restart forbids again.
func TestFrameSaysWhileTheLaserForbidIsNotKept(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "state")
		path := filepath.Join(dir, "laser-off.json")
		eng, _ := keptEngine(t, path)
		s := &Server{Engine: eng, Token: testToken, Log: slog.New(slog.DiscardHandler)}
		h := s.Handler()
		want := func(what, lost string) {
			t.Helper()
			var f Frame
			w := do(t, h, "GET", "/api/status", "")
			if err := json.Unmarshal(w.Body.Bytes(), &f); err != nil || f.LaserUnkept != lost {
				t.Fatalf("%s: /api/status laser_unkept %q (%v), want %q", what, f.LaserUnkept, err, lost)
			}
			ev := string(s.frame(1, nil, 0))
			if has := strings.Contains(ev, `"laser_unkept"`); has != (lost != "") || lost != "" && !strings.Contains(ev, `"laser_unkept":"`+lost+`"`) {
				t.Fatalf("%s: the event's frame %s, want laser_unkept %q", what, ev, lost)
			}
		}
		laser := func(on bool) {
			t.Helper()
			if w := do(t, h, "POST", "/api/control/laser", fmt.Sprintf(`{"enabled":%v}`, on), "Authorization", "Bearer "+testToken); w.Code != 200 {
				t.Fatalf("laser %v: %d %s", on, w.Code, w.Body)
			}
		}
		want("at start", "")
		laser(false) // no state directory: the write fails
		want("a forbid not written", "forbid")
		if err := os.Mkdir(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Minute) // the engine's retry, 5 s on
		synctest.Wait()
		want("the forbid written by the retry", "")

		// The file a directory that cannot be removed: the allow is not
		// kept, and a restart would forbid the laser again.
		if err := os.Remove(path); err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(path, "x"), 0o700); err != nil {
			t.Fatal(err)
		}
		laser(true)
		want("an allow whose file is not removed", "allow")
		if err := os.RemoveAll(path); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Minute)
		synctest.Wait()
		want("the file removed by the retry", "")
	})
}
