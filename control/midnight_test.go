package control

import (
	"strings"
	"testing"
	"time"

	"github.com/cattease/cattease/actuators/safety"
)

// refuseFirstMove is a rig that refuses the first move it is sent, as the
// envelope does for a rest that begins with commands queued.
type refuseFirstMove struct {
	Rig
	refused bool
}

func (r *refuseFirstMove) MoveTo(now time.Time, axis string, deg float64) safety.Report {
	if !r.refused {
		r.refused = true
		return safety.Refuse(ReasonResting, time.Time{})
	}
	return r.Rig.MoveTo(now, axis, deg)
}

// TestPatternFromYesterdayIsNotRefundedIntoToday: a pattern bought just
// before midnight that does not run is not given back into today's caps,
// which never counted it, so the room's patterns a day hold after
// midnight.
func TestPatternFromYesterdayIsNotRefundedIntoToday(t *testing.T) {
	yaml := strings.Replace(paidYAML, "per_sender: {priority: 6, patterns: 1}",
		"per_sender: {priority: 6, patterns: 1}\n  per_day: {patterns: 1}", 1)
	h := newHarness(t, yaml)
	var err error
	h.eng, err = New(compileText(t, yaml), &refuseFirstMove{Rig: h.env},
		Options{OnDecision: func(d Decision) { h.decisions = append(h.decisions, d) }})
	if err != nil {
		t.Fatal(err)
	}
	h.now = time.Date(2026, 11, 22, 23, 59, 59, 0, time.UTC)
	h.holdQueue()
	yesterday := h.gift("8", 10000)
	if yesterday.Grant == nil || yesterday.Grant.Pattern != "circle" {
		t.Fatalf("yesterday's gift bought %+v", yesterday.Grant)
	}
	h.now = h.now.Add(2 * time.Second) // 00:00:01
	if d := h.gift("7", 10000); d.Grant == nil || d.Grant.Pattern != "circle" {
		t.Fatalf("today's first gift bought %+v", d.Grant)
	}
	h.eng.mu.Lock()
	h.eng.exec.pace = 0
	h.eng.mu.Unlock()
	h.run(100 * time.Millisecond) // yesterday's circle is first: the rig refuses it
	var refused bool
	for _, d := range h.decisions {
		refused = refused || d.EventID == yesterday.EventID && d.Rule == "circle" && d.Outcome == Dropped
	}
	if !refused {
		t.Fatalf("yesterday's circle was not refused: %+v", h.decisions)
	}
	if d := h.gift("6", 10000); d.Grant != nil && d.Grant.Pattern != "" {
		t.Fatalf("a second pattern sold today under per_day patterns: 1 (%+v)", d.Grant)
	}
}
