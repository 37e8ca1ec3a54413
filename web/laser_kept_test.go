package web

import (
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
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
	dir := filepath.Join(t.TempDir(), "state")
	eng, err := control.New(rules, env, control.Options{LaserFile: filepath.Join(dir, "laser-off.json"), Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
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
