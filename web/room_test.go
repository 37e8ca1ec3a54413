package web

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cattease/cattease/control"
)

// TestModeration: the panel's 禁言 / 解禁 / 包场 / 收场 reach an engine
// that can moderate, with the target and duration checked first; an
// engine without moderation answers 501 and is not called.
func TestModeration(t *testing.T) {
	bearer := []string{"Authorization", "Bearer " + testToken}
	long := strings.Repeat("喵", 30) // 90 bytes
	for _, c := range []struct {
		path, body string
		code       int
		call       string
	}{
		{"/api/control/timeout", `{"target":"猫奴","for":"10m"}`, 200, "timeout 猫奴 10m0s"},
		{"/api/control/timeout", `{"target":" 12345 "}`, 200, "timeout 12345 0s"},
		{"/api/control/untimeout", `{"target":"猫奴"}`, 200, "untimeout 猫奴 0s"},
		{"/api/control/exclusive", `{"target":"阿花","for":"5m"}`, 200, "exclusive 阿花 5m0s"},
		{"/api/control/end_exclusive", ``, 200, "end_exclusive  0s"},
		{"/api/control/timeout?target=%E7%8C%AB&for=30s", ``, 200, "timeout 猫 30s"},
		{"/api/control/timeout", `{"target":""}`, 400, ""},
		{"/api/control/timeout", `{"target":"` + long + `"}`, 400, ""},
		{"/api/control/timeout", `{"target":"a\u0007b"}`, 400, ""},
		{"/api/control/timeout", `{"target":"猫奴","for":"-1m"}`, 400, ""},
		{"/api/control/timeout", `{"target":"猫奴","for":"1000h"}`, 400, ""},
		{"/api/control/timeout", `{"target":"猫奴","for":"soon"}`, 400, ""},
		{"/api/control/timeout", `{"target":"猫奴","until":"1m"}`, 400, ""},
		{"/api/control/timeout", `{"target":"nobody"}`, 422, ""},
	} {
		s, eng, _ := newTestServer(testToken)
		s.Engine = fakeModEngine{eng}
		w := do(t, s.Handler(), "POST", c.path, c.body, bearer...)
		if w.Code != c.code {
			t.Errorf("%s %s: code %d, want %d: %s", c.path, c.body, w.Code, c.code, w.Body)
			continue
		}
		got := eng.Calls()
		if (c.call == "" && len(got) > 0) || (c.call != "" && !slices.Equal(got, []string{c.call})) {
			t.Errorf("%s %s: calls %q, want %q", c.path, c.body, got, c.call)
		}
		var res struct {
			OK       bool             `json:"ok"`
			Decision control.Decision `json:"decision"`
		}
		if err := json.Unmarshal(w.Body.Bytes(), &res); err != nil || res.OK != (c.code == 200) {
			t.Errorf("%s: reply %s (%v)", c.path, w.Body, err)
		}
		if c.code == 200 && res.Decision.Reason != "moderation" {
			t.Errorf("%s: the engine's decision is not in the reply: %s", c.path, w.Body)
		}
	}
	s, eng, _ := newTestServer(testToken)
	w := do(t, s.Handler(), "POST", "/api/control/timeout", `{"target":"猫奴"}`, bearer...)
	if w.Code != 501 || len(eng.Calls()) > 0 {
		t.Errorf("without moderation: code %d, calls %q; want 501 and none", w.Code, eng.Calls())
	}
}

// TestLabels: the labels of rules.yaml reach /api/commands and every
// frame, bounded, and the commands come with the play policies.
func TestLabels(t *testing.T) {
	s, _, _ := newTestServer("")
	huge := map[string]Label{"circle": {Zh: "画个圈", En: "Circle"}, "left": {}, "": {Zh: "无名"},
		"stop": {Zh: strings.Repeat("停", 40), En: "x\xffy"}}
	for i := range 200 {
		huge["r"+strings.Repeat("x", i)] = Label{En: "many"}
	}
	s.Labels = func() map[string]Label { return huge }
	w := do(t, s.Handler(), "GET", "/api/commands", "")
	var list commandList
	if err := json.Unmarshal(w.Body.Bytes(), &list); err != nil {
		t.Fatal(err)
	}
	want := []command{{Name: "left"}, {Name: "circle", Label: &Label{Zh: "画个圈", En: "Circle"}},
		{Name: "stop", Label: &Label{Zh: strings.Repeat("停", 32)}}}
	if len(list.Commands) != len(want) {
		t.Fatalf("commands %s", w.Body)
	}
	for i, c := range list.Commands {
		if c.Name != want[i].Name || (c.Label == nil) != (want[i].Label == nil) || (c.Label != nil && *c.Label != *want[i].Label) {
			t.Errorf("command %d: %+v, want %+v", i, c, want[i])
		}
	}
	if !slices.Equal(list.Policies, control.Policies()) {
		t.Errorf("policies %q, want %q", list.Policies, control.Policies())
	}
	f := s.snapshotFrame()
	if len(f.Labels) > maxLabels || f.Labels["circle"].En != "Circle" {
		t.Errorf("frame labels: %d, circle %+v", len(f.Labels), f.Labels["circle"])
	}
	for name, l := range f.Labels {
		if name == "" || len(name) > maxLabelLen || len(l.Zh) > maxLabelLen || len(l.En) > maxLabelLen || l == (Label{}) {
			t.Errorf("unbounded label %q: %+v", name, l)
		}
	}
	s.Labels = nil
	if f := s.snapshotFrame(); f.Labels != nil {
		t.Errorf("labels without Server.Labels: %v", f.Labels)
	}
}

// TestOverlayAllowsInlineStyle: OBS's Custom CSS is an inline <style>, so
// the overlay allows inline styles; scripts stay strict on every page,
// and the panel allows no inline style and no framing.
func TestOverlayAllowsInlineStyle(t *testing.T) {
	s, _, _ := newTestServer(testToken)
	h := s.Handler()
	directive := func(policy, name string) string {
		for _, d := range strings.Split(policy, ";") {
			if f := strings.Fields(d); len(f) > 0 && f[0] == name {
				return strings.Join(f[1:], " ")
			}
		}
		return ""
	}
	for _, c := range []struct{ path, style string }{
		{"/", "'self' 'unsafe-inline'"}, {"/overlay?parts=map", "'self' 'unsafe-inline'"},
		{"/panel", "'self'"}, {"/static/overlay.css", "'self'"}, {"/api/status", "'self'"},
	} {
		p := do(t, h, "GET", c.path, "").Header().Get("Content-Security-Policy")
		if got := directive(p, "style-src"); got != c.style {
			t.Errorf("%s: style-src %q, want %q", c.path, got, c.style)
		}
		if got := directive(p, "script-src"); got != "'self'" {
			t.Errorf("%s: script-src %q, want only 'self'", c.path, got)
		}
	}
	if p := do(t, h, "GET", "/panel", "").Header().Get("Content-Security-Policy"); directive(p, "frame-ancestors") != "'none'" {
		t.Errorf("panel CSP %q may be framed", p)
	}
}

// The engine's moderation has the shape the panel's actions assert.
var _ moderator = (*control.Engine)(nil)

// TestModerationRealEngine: the panel's 禁言 through the real engine: the
// viewer named is muted, the overlay's status counts them, and their next
// command is refused with reason timeout.
func TestModerationRealEngine(t *testing.T) {
	st := newStack(t)
	st.say(t, "猫奴: 左")
	eventually(t, "猫奴 seen", func() bool { return len(st.eng.Status(time.Now()).Recent) > 0 })
	req, _ := http.NewRequest("POST", st.url+"/api/control/timeout", strings.NewReader(`{"target":"猫奴","for":"10m"}`))
	req.Header.Set("Authorization", "Bearer "+testToken)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var r struct {
		OK       bool             `json:"ok"`
		Decision control.Decision `json:"decision"`
	}
	if err := json.NewDecoder(res.Body).Decode(&r); err != nil || !r.OK || r.Decision.Target == "" {
		t.Fatalf("timeout: %d %+v (%v)", res.StatusCode, r, err)
	}
	if n := st.eng.Status(time.Now()).Timeouts; n != 1 {
		t.Errorf("%d viewers muted, want 1 (decision %+v)", n, r.Decision)
	}
	st.say(t, "猫奴: 右")
	eventually(t, "猫奴's next command refused", func() bool {
		for _, d := range st.eng.Status(time.Now()).Recent {
			if d.UserName == "猫奴" && d.Rule == "right" {
				return d.Reason == "timeout"
			}
		}
		return false
	})
}

// With more labels than a frame carries, every frame carries the same
// ones: the first maxLabels names in order.
func TestFrameLabelsAreStable(t *testing.T) {
	in := map[string]Label{}
	for i := range maxLabels + 72 {
		in[fmt.Sprintf("c%03d", i)] = Label{Zh: "命令"}
	}
	s := &Server{Labels: func() map[string]Label { return in }}
	first := s.labels()
	if len(first) != maxLabels {
		t.Fatalf("%d labels, want %d", len(first), maxLabels)
	}
	for range 20 {
		if got := s.labels(); !maps.Equal(got, first) {
			t.Fatal("the labels changed from one frame to the next")
		}
	}
	if _, ok := first[fmt.Sprintf("c%03d", maxLabels-1)]; !ok {
		t.Fatalf("the first %d names in order are not the ones kept", maxLabels)
	}
}
