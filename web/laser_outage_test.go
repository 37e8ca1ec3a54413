package web

import (
	"log/slog"
	"testing"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/mock"
	"github.com/cattease/cattease/actuators/safety"
	"github.com/cattease/cattease/control"
	"github.com/cattease/cattease/control/config"
)

// unconfirmedRig is a rig whose laser switch is not confirmed, as a
// remote rig's while the broker is down: a forbid holds all the same.
type unconfirmedRig struct{ *safety.Envelope }

func (r unconfirmedRig) Enable(name string, on bool) bool {
	if !on {
		r.Envelope.Enable(name, false) // held here
	}
	return false
}

// The panel's laser-off while the rig does not confirm it (a remote
// rig's link down) is kept by the engine: the panel answers 200, not 404
// "no switch", which stays the answer for a switch there is not. Before,
// it answered 404 `web: laser: no switch "laser"`.
func TestLaserControlUnconfirmedForbid(t *testing.T) {
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
	eng, err := control.New(rules, unconfirmedRig{env}, control.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{Engine: eng, Rig: env, Token: testToken, Log: slog.New(slog.DiscardHandler)}
	bearer := []string{"Authorization", "Bearer " + testToken}
	if w := do(t, s.Handler(), "POST", "/api/control/laser", `{"enabled":false}`, bearer...); w.Code != 200 {
		t.Errorf("laser off, unconfirmed: %d %s, want 200", w.Code, w.Body)
	}
	if sw := env.Snapshot().Switches; len(sw) != 1 || !sw[0].Disabled {
		t.Errorf("the laser after the panel's forbid: %+v", sw)
	}
	if w := do(t, s.Handler(), "POST", "/api/control/laser", `{"switch":"nosuch","enabled":false}`, bearer...); w.Code != 404 {
		t.Errorf("a switch there is not: %d %s, want 404", w.Code, w.Body)
	}
}
