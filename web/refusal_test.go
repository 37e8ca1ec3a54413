package web

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/cattease/cattease/actuators"
)

// refusingEngine is an engine whose rig refuses a resume, and an allow of
// the laser, for the reasons set (another side's stop or forbid, a remote
// rig's link down), as control.Engine says them.
type refusingEngine struct {
	*fakeEngine
	resume, allow actuators.Reason
}

func (e *refusingEngine) ResumeReason(time.Time) actuators.Reason { return e.resume }

func (e *refusingEngine) SetLaserReason(name string, on bool) actuators.Reason {
	if !e.SetLaser(name, on) {
		return actuators.ReasonUnknownOutput
	}
	if on {
		return e.allow
	}
	return ""
}

// A resume or a laser allow the rig refuses is answered 409 with the
// reason, which the panel shows, not 200 "ok" while the rig stays stopped
// or dark; a forbid is always taken; an engine that says no reason
// answers as before.
func TestControlSaysWhyTheRigRefused(t *testing.T) {
	bearer := []string{"Authorization", "Bearer " + testToken}
	for _, c := range []struct {
		name, path, body string
		resume, allow    actuators.Reason
		code             int
		reason           actuators.Reason
	}{
		{"resume, link down", "/api/control/resume", "", "link", "", 409, "link"},
		{"resume under another side's stop", "/api/control/resume", "", "stopped", "", 409, "stopped"},
		{"resume taken", "/api/control/resume", "", "", "", 200, ""},
		{"allow under another side's forbid", "/api/control/laser", `{"enabled":true}`, "", "permission", 409, "permission"},
		{"allow, link down", "/api/control/laser", `{"enabled":true}`, "", "link", 409, "link"},
		{"forbid", "/api/control/laser", `{"enabled":false}`, "", "permission", 200, ""},
	} {
		s, eng, _ := newTestServer(testToken)
		s.Engine = &refusingEngine{eng, c.resume, c.allow}
		w := do(t, s.Handler(), "POST", c.path, c.body, bearer...)
		var res result
		if err := json.Unmarshal(w.Body.Bytes(), &res); err != nil {
			t.Fatalf("%s: %v: %s", c.name, err, w.Body)
		}
		if w.Code != c.code || res.Reason != c.reason || res.OK != (c.code == 200) {
			t.Errorf("%s: %d %s, want %d reason %q", c.name, w.Code, w.Body, c.code, c.reason)
		}
	}
}
