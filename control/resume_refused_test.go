package control

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/safety"
)

// refusingRig is an envelope whose Resume a remote side may refuse: a
// run's remote rig whose agent does not answer (link), a Pi's agent
// while the run side's stop holds (stopped). With refuse unset, it
// resumes. The engine's stop and resume are noted as the trace sees them.
type refusingRig struct {
	*safety.Envelope
	mu     sync.Mutex
	refuse *safety.Report
}

func (r *refusingRig) Resume(now time.Time) safety.Report {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.refuse != nil {
		return *r.refuse
	}
	return r.Envelope.Resume(now)
}

func (r *refusingRig) set(rep *safety.Report) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.refuse = rep
}

// A resume the rig refuses (chat's 继续, the panel's, Home Assistant's)
// leaves the engine stopped: 继续 is dropped for the rig's reason, the
// status says stopped, the trace says the stop holds, and chat's
// commands are dropped as stopped, not queued for a rig that refuses
// them. Before, 继续 was accepted (immediate) and the engine resumed
// while the rig stayed stopped.
func TestRefusedResumeKeepsTheStop(t *testing.T) {
	h := newHarness(t, testRules)
	rig := &refusingRig{Envelope: h.env}
	var marks []string
	var err error
	h.eng, err = New(compileText(t, testRules), rig, Options{OnDecision: func(d Decision) { h.decisions = append(h.decisions, d) }})
	if err != nil {
		t.Fatal(err)
	}
	h.eng.TraceStops(func(time.Time) { marks = append(marks, "stop") }, func(time.Time) { marks = append(marks, "resume") })
	if d := h.say("9", "停", mod); d.Outcome != Accepted {
		t.Fatalf("stop: %+v", d)
	}
	for _, c := range []struct {
		rep  safety.Report
		want actuators.Reason
	}{
		{safety.Refuse(actuators.ReasonLink, time.Time{}), actuators.ReasonLink},
		{safety.Refuse(actuators.ReasonStopped, time.Time{}), ReasonStopped},
		{safety.Report{Refused: true}, ReasonStopped}, // a rig that gives no reason
	} {
		rig.set(&c.rep)
		marks = nil
		if d := h.say("9", "继续", mod); d.Outcome != Dropped || d.Reason != c.want {
			t.Errorf("继续 refused by the rig (%v): %s %s, want dropped %s", c.rep.Reason, d.Outcome, d.Reason, c.want)
		}
		if strings.Join(marks, ",") != "resume,stop" {
			t.Errorf("the trace after a refused resume: %v, want resume,stop", marks)
		}
		if !h.eng.Status(h.now).Stopped {
			t.Errorf("the engine says it is not stopped after a resume the rig refused (%v)", c.rep.Reason)
		}
		if d := h.say("6", "左", nil); d.Outcome != Dropped || d.Reason != ReasonStopped {
			t.Errorf("a command after a refused resume: %s %s, want dropped stopped", d.Outcome, d.Reason)
		}
		if why := h.eng.ResumeReason(h.now); why != c.want {
			t.Errorf("ResumeReason: %q, want %q", why, c.want)
		}
		if d, err := h.eng.Inject(h.now, "resume"); err != nil || d.Outcome != Dropped || d.Reason != c.want {
			t.Errorf("the panel's resume refused by the rig: %s %s %v, want dropped %s", d.Outcome, d.Reason, err, c.want)
		}
		h.eng.Resume(h.now)
		if !h.eng.Status(h.now).Stopped {
			t.Error("Resume left the engine not stopped while the rig refused it")
		}
		h.now = h.now.Add(3 * time.Second) // past the viewer's cooldown
	}
	rig.set(nil)
	marks = nil
	if d := h.say("9", "继续", mod); d.Outcome != Accepted || d.Reason != ReasonImmediate {
		t.Fatalf("继续 the rig took: %+v", d)
	}
	if strings.Join(marks, ",") != "resume" || h.eng.Status(h.now).Stopped {
		t.Errorf("after a resume the rig took: trace %v, stopped %v", marks, h.eng.Status(h.now).Stopped)
	}
	if d := h.say("6", "左", nil); d.Outcome != Accepted {
		t.Errorf("a command after the resume: %+v", d)
	}
}

// A resume the rig refuses while the engine was not stopped (a Pi's
// panel under the run side's stop, which the Pi's engine did not take)
// leaves it not stopped, and is dropped for the rig's reason.
func TestRefusedResumeOfARunningEngine(t *testing.T) {
	h := newHarness(t, testRules)
	rig := &refusingRig{Envelope: h.env}
	rig.set(&safety.Report{Refused: true, Reason: actuators.ReasonStopped})
	var err error
	if h.eng, err = New(compileText(t, testRules), rig, Options{}); err != nil {
		t.Fatal(err)
	}
	if why := h.eng.ResumeReason(h.now); why != ReasonStopped || h.eng.Status(h.now).Stopped {
		t.Errorf("ResumeReason %q, stopped %v: want stopped, false", why, h.eng.Status(h.now).Stopped)
	}
}
