package control

import (
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/safety"
)

// piRig is a Pi's rig as its panel engine sees it (the agent): the Pi's
// allow of a laser the run side forbids is refused (false), with no
// reason given, as the agent's Enable does; and a rig of one side, no
// chatSwitch.
type piRig struct {
	*safety.Envelope
	mu     sync.Mutex
	runOff map[string]bool
}

func (r *piRig) Enable(name string, on bool) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if on && r.runOff[name] {
		return false
	}
	return r.Envelope.Enable(name, on)
}

// The Pi panel's laser allow under the run side's forbid: the switch
// exists (SetLaser true: the Pi's own forbid is lifted), SetLaserReason
// says permission, and the log says the run side's forbid holds it, not
// that a link may be down. Before, the warning blamed a link and told
// the streamer to switch it on again once the rig answers.
func TestSetLaserRefusedByAnotherSide(t *testing.T) {
	path := filepath.Join(t.TempDir(), "laser-off.json")
	var rig *piRig
	r := startKeptOn(t, Options{LaserFile: path}, func(env *safety.Envelope) Rig {
		rig = &piRig{Envelope: env}
		return rig
	})
	if !r.eng.SetLaser("laser", false) {
		t.Fatal("the Pi's forbid: no such switch")
	}
	setOff(&rig.runOff, "laser", true) // the run side forbids it too
	if !r.eng.SetLaser("laser", true) {
		t.Error("SetLaser says there is no laser switch when another side's forbid holds it")
	}
	log := r.log.String()
	if strings.Contains(log, "link is down") || !strings.Contains(log, "a forbid of another side holds the laser") {
		t.Errorf("the log does not say the run side's forbid holds the laser:\n%s", log)
	}
	if why := r.eng.SetLaserReason("laser", true); why != ReasonPermission {
		t.Errorf("SetLaserReason: %q, want permission", why)
	}
	wantFile(t, path, "") // the Pi's own forbid is lifted
	if why := r.eng.SetLaserReason("nosuch", true); why != ReasonUnknownOutput {
		t.Errorf("SetLaserReason of a switch nobody has: %q, want unknown_output", why)
	}
	delete(rig.runOff, "laser")
	if why := r.eng.SetLaserReason("laser", true); why != "" {
		t.Errorf("SetLaserReason of an allow taken: %q", why)
	}
}

// reasonRig says why it did not take the laser switch, as mqtt.Fanout
// does (EnableReason).
type reasonRig struct {
	*safety.Envelope
	why actuators.Reason
}

func (r *reasonRig) EnableReason(name string, on bool) actuators.Reason {
	if !on || r.why == "" {
		r.Envelope.Enable(name, on)
		return ""
	}
	return r.why
}

// A rig that says why it refused an allow has its reason answered:
// link for an agent that did not answer (the log says so), permission
// for the Pi's own forbid (disabled); a forbid it holds is taken.
func TestSetLaserReasonOfARemoteRig(t *testing.T) {
	var rig *reasonRig
	r := startKeptOn(t, Options{}, func(env *safety.Envelope) Rig {
		rig = &reasonRig{Envelope: env}
		return rig
	})
	if why := r.eng.SetLaserReason("laser", false); why != "" {
		t.Errorf("a forbid: %q", why)
	}
	for _, c := range []struct{ rig, want actuators.Reason }{
		{actuators.ReasonLink, actuators.ReasonLink},
		{actuators.ReasonDisabled, ReasonPermission},
		{"", ""},
	} {
		rig.why = c.rig
		if why := r.eng.SetLaserReason("laser", true); why != c.want {
			t.Errorf("the rig says %q: SetLaserReason %q, want %q", c.rig, why, c.want)
		}
	}
	if !strings.Contains(r.log.String(), "did not confirm the laser switch's allow") {
		t.Errorf("a link down: no warning:\n%s", r.log)
	}
}
