package web

import (
	"slices"
	"testing"
)

// namedRig is a rig whose switches are not known yet (a remote rig whose
// agent has sent no state) but which names its lasers (mqtt.Fanout).
type namedRig struct {
	*fakeRig
	names []string
}

func (r namedRig) LaserNames() []string { return r.names }

// takingEngine takes every laser switch, as control.Engine does for a
// remote rig, whose forbid holds on the run side unconfirmed.
type takingEngine struct{ *fakeEngine }

func (e takingEngine) SetLaser(name string, on bool) bool {
	e.rig.Enable(name, on)
	return true
}

// The panel's laser off with a remote rig that has sent no state yet
// forbids the lasers the rig names (the rules'), where it answered 404
// "no laser switch" and forbade nothing.
func TestLaserControlBeforeTheRigsState(t *testing.T) {
	s, eng, rig := newTestServer(testToken)
	rig.setSwitches()
	s.Rig = namedRig{rig, []string{"dot", "laser"}}
	s.Engine = takingEngine{eng}
	w := do(t, s.Handler(), "POST", "/api/control/laser", `{"enabled":false}`, "Authorization", "Bearer "+testToken)
	if w.Code != 200 || !slices.Equal(rig.Calls(), []string{"dot=false", "laser=false"}) {
		t.Errorf("laser off before the rig's state: %d %s, rig told %q", w.Code, w.Body, rig.Calls())
	}
}
