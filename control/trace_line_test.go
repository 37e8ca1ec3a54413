package control

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// failing records each Write and fails while fail is set.
type failing struct {
	writes []string
	fail   bool
}

func (f *failing) Write(p []byte) (int, error) {
	if f.fail {
		return 0, errors.New("no space left on device")
	}
	f.writes = append(f.writes, string(p))
	return len(p), nil
}

// A line trace writes each line whole, as it happens, counts a failed line
// and writes again once the writer recovers.
func TestLineTraceRecovers(t *testing.T) {
	f := &failing{}
	tr := NewLineTrace(f)
	d := Decision{Time: time.Unix(0, 0).UTC(), EventID: "1", Text: "左", Rule: "left", Outcome: Accepted, Reason: ReasonQueued}
	tr.Decision(d)
	if len(f.writes) != 1 || !strings.HasPrefix(f.writes[0], `{"kind":"decision"`) || !strings.HasSuffix(f.writes[0], "}\n") {
		t.Fatalf("writes %q", f.writes)
	}
	f.fail = true
	tr.Decision(d)
	f.fail = false
	d.EventID = "3"
	tr.Decision(d)
	if len(f.writes) != 2 || !strings.Contains(f.writes[1], `"event_id":"3"`) || tr.Failed() != 1 {
		t.Fatalf("after recovery: %q, failed %d", f.writes, tr.Failed())
	}
}
