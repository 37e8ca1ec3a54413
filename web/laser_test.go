package web

import (
	"slices"
	"testing"

	"github.com/cattease/cattease/actuators/safety"
)

// TestLaserControlFindsTheLaser: the panel's laser buttons send no switch
// name, and the server switches every switch the rig flags as a laser,
// whatever its name (pointer, 激光 beside a treat feeder), never the
// others; a rig that flags none falls back to the switch named "laser";
// a named switch is switched alone; a rig with no laser answers 404.
func TestLaserControlFindsTheLaser(t *testing.T) {
	bearer := []string{"Authorization", "Bearer " + testToken}
	for _, c := range []struct {
		name  string
		sws   []safety.SwitchState
		body  string
		code  int
		calls []string
	}{
		{"a pointer beside a feeder", []safety.SwitchState{{Name: "feeder"}, {Name: "pointer", Laser: true, On: true}},
			`{"enabled":false}`, 200, []string{"pointer=false"}},
		{"激光 beside treat", []safety.SwitchState{{Name: "treat"}, {Name: "激光", Laser: true}},
			`{"enabled":true}`, 200, []string{"激光=true"}},
		{"two lasers", []safety.SwitchState{{Name: "a", Laser: true}, {Name: "b", Laser: true}, {Name: "fan"}},
			`{"enabled":false}`, 200, []string{"a=false", "b=false"}},
		{"none flagged, one named laser", []safety.SwitchState{{Name: "fan"}, {Name: "laser"}},
			`{"enabled":false}`, 200, []string{"laser=false"}},
		{"a switch by name", []safety.SwitchState{{Name: "feeder"}, {Name: "pointer", Laser: true}},
			`{"switch":"feeder","enabled":false}`, 200, []string{"feeder=false"}},
		{"no laser", []safety.SwitchState{{Name: "feeder"}}, `{"enabled":false}`, 404, nil},
		{"no switch", nil, `{"enabled":false}`, 404, nil},
	} {
		s, _, rig := newTestServer(testToken)
		rig.setSwitches(c.sws...)
		w := do(t, s.Handler(), "POST", "/api/control/laser", c.body, bearer...)
		if w.Code != c.code || !slices.Equal(rig.Calls(), c.calls) {
			t.Errorf("%s: %s → %d %s, rig told %q; want %d, %q", c.name, c.body, w.Code, w.Body, rig.Calls(), c.code, c.calls)
		}
	}
}
