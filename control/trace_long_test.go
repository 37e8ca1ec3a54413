package control

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/cattease/cattease/actuators/monitor"
	"github.com/cattease/cattease/danmu"
)

// A decision of an event whose every name and ID is 70 KB (a hand-made
// recording), and whose moderator's target, combo, policy, rule and
// gift are too, in characters JSON escapes six bytes long or not, makes a
// decision line well under the monitor's longest line, each string cut at
// a character and marked "…", and verify reads the trace. Before, only the
// text was clipped: replay wrote a line over 64 KiB, which replay --verify
// never reads, and verify refused the trace.
func TestDecisionLineClipsLongFields(t *testing.T) {
	for _, unit := range []string{"x", "\x01", "猫", "\xff", `"`} {
		huge := strings.Repeat(unit, 70_000/len(unit))
		ev := &danmu.Event{ID: huge, Platform: huge, Text: huge, User: danmu.User{ID: huge, Name: huge, Role: danmu.Role(huge)}}
		d := newDecision(time.Date(2026, 11, 22, 10, 0, 1, 0, time.UTC), ev)
		for name, f := range map[string]string{"event_id": d.EventID, "platform": d.Platform, "user_id": d.UserID, "user_name": d.UserName, "text": d.Text} {
			if len(f) > MaxTextInDecision+len("…") || !strings.HasSuffix(f, "…") {
				t.Errorf("%q: the decision's %s is %d bytes", unit, name, len(f))
			}
		}
		d.Target, d.Combo, d.Policy, d.Rule = huge, huge, huge, huge
		d.Outcome, d.Reason = Accepted, ReasonGift
		d.Grant = &Grant{Gift: huge, Pattern: huge, Count: 1}
		var buf bytes.Buffer
		tr := NewTrace(&buf)
		tr.Decision(d)
		if err := tr.Flush(); err != nil {
			t.Fatal(err)
		}
		line := buf.Bytes()
		if len(line) > 20_000 || len(line) >= monitor.MaxLine {
			t.Errorf("%q: a decision line of %d bytes", unit, len(line))
		}
		var got map[string]any
		if err := json.Unmarshal(line, &got); err != nil {
			t.Fatalf("%q: %v", unit, err)
		}
		for _, k := range []string{"event_id", "platform", "user_id", "user_name", "role", "text", "rule", "target", "combo", "policy"} {
			s, _ := got[k].(string)
			if !strings.HasSuffix(s, "…") || utf8.RuneCountInString(s) > MaxTextInDecision+1 {
				t.Errorf("%q: %s %q", unit, k, s[:min(len(s), 40)])
			}
			if unit != "\xff" && !strings.HasPrefix(huge, strings.TrimSuffix(s, "…")) {
				t.Errorf("%q: %s is no cut of the string at a character", unit, k)
			}
		}
		if g, _ := got["grant"].(map[string]any); g == nil || !strings.HasSuffix(g["gift"].(string), "…") || !strings.HasSuffix(g["pattern"].(string), "…") {
			t.Errorf("%q: grant %v", unit, len(line))
		}
		trace := `{"kind":"restart","time":"2026-11-22T10:00:00Z","keep_state":false}` + "\n" + buf.String() +
			`{"kind":"output","time":"2026-11-22T10:00:02Z","target":"pan","action":"move","value":0}` + "\n"
		m := monitor.New(monitor.Limits{Axes: []monitor.AxisLimits{{Name: "pan", Role: "pan", Min: -45, Max: 45, Speed: 90}}, Location: time.UTC})
		if err := monitor.ReadTrace(strings.NewReader(trace), m); err != nil {
			t.Errorf("%q: verify: %v", unit, err)
		}
	}
}

// clip cuts at a character, and a string clipped comes back as it is: the
// trace clips again what newDecision clipped, to the same bytes.
func TestClipTwice(t *testing.T) {
	for _, s := range []string{strings.Repeat("a", 300), "a" + strings.Repeat("猫", 100), "ab" + strings.Repeat("猫", 100),
		strings.Repeat("😀", 60), strings.Repeat("a", 200), strings.Repeat("a", 201)} {
		c := clip(s)
		if clip(c) != c || !utf8.ValidString(c) || len(c) > MaxTextInDecision+len("…") {
			t.Errorf("clip(%d bytes) = %d bytes %q, again %q", len(s), len(c), c, clip(c))
		}
	}
}
