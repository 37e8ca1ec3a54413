package main

import (
	"regexp"
	"strings"
	"testing"

	"github.com/cattease/cattease/actuators/safety"
)

// zhTrace breaks the core safety rules of the shipped rules.yaml: a jump
// of pan (speed, accel), a lit jump across the window zone (keep_out), and
// the dot left lit and still for half a minute (dwell, light_budget).
const zhTrace = `{"kind":"restart","time":"2026-11-22T10:00:00Z","keep_state":false}
{"kind":"output","time":"2026-11-22T10:00:00Z","target":"pan","action":"move","value":0}
{"kind":"output","time":"2026-11-22T10:00:00Z","target":"tilt","action":"move","value":20}
{"kind":"output","time":"2026-11-22T10:00:02Z","target":"pan","action":"move","value":10}
{"kind":"output","time":"2026-11-22T10:00:02.02Z","target":"tilt","action":"move","value":20}
{"kind":"output","time":"2026-11-22T10:00:03Z","target":"laser","action":"switch","value":1}
{"kind":"output","time":"2026-11-22T10:00:04Z","target":"pan","action":"move","value":-40}
{"kind":"output","time":"2026-11-22T10:00:04Z","target":"tilt","action":"move","value":30}
{"kind":"output","time":"2026-11-22T10:00:34Z","target":"laser","action":"switch","value":0}
`

// zhViolation is a violation line of verify or replay --verify on a
// Chinese terminal: the prefix, the time, the rule and its target, the
// detail.
var zhViolation = regexp.MustCompile(`^违规：(?:\S+:\d+|轨迹第 \d+ 行)：\S+ (\w+) \S+: (.*)$`)

// zhCheckViolations checks that stderr ends with the count of the
// violations and that each violation's detail is in Chinese; it returns
// the rules seen.
func zhCheckViolations(t *testing.T, errs string) map[string]bool {
	t.Helper()
	rules := map[string]bool{}
	lines := strings.Split(strings.TrimSuffix(errs, "\n"), "\n")
	if len(lines) < 2 || !regexp.MustCompile(`^共 \d+ 处违反安全规则$`).MatchString(lines[len(lines)-1]) {
		t.Errorf("no count of the violations in Chinese:\n%s", errs)
	}
	for _, l := range lines[:len(lines)-1] {
		if !strings.HasPrefix(l, "违规") && !strings.HasPrefix(l, "violation") {
			continue // a note of replay's, not of the monitor's
		}
		m := zhViolation.FindStringSubmatch(l)
		if m == nil {
			t.Errorf("not a violation in Chinese: %q", l)
			continue
		}
		rules[m[1]] = true
		for _, w := range regexp.MustCompile(`\b[a-zA-Z]{2,}\b`).FindAllString(m[2], -1) {
			if w != "pan" && w != "tilt" && w != "ceiling" {
				t.Errorf("English %q left in %q", w, l)
			}
		}
	}
	return rules
}

// verify on a Chinese terminal: each violation's detail reads in Chinese,
// as does the count, the all-clear and a trace line it cannot read.
func TestVerifyViolationsInChinese(t *testing.T) {
	dir := t.TempDir()
	bad := writeFile(t, dir, "bad.jsonl", zhTrace)
	code, _, errs := runCLI(t, "", "--lang", "zh", "verify", "-c", "../../rules.yaml", bad)
	if code != 1 {
		t.Fatalf("exit %d\n%s", code, errs)
	}
	rules := zhCheckViolations(t, errs)
	for _, r := range []string{"speed", "accel", "keep_out", "dwell", "light_budget"} {
		if !rules[r] {
			t.Errorf("no %s violation in\n%s", r, errs)
		}
	}
	for _, want := range []string{
		"keep_out window: 亮着的光点从 (10°, 20°) 移到 (-40°, 30°) 的路上碰到了禁区",
		"light_budget laser: 此前 30s 内亮了 30s（亮灯额度 20s）",
	} {
		if !strings.Contains(errs, want) {
			t.Errorf("no %q in\n%s", want, errs)
		}
	}

	ok := writeFile(t, dir, "ok.jsonl", strings.Join(strings.SplitAfter(zhTrace, "\n")[:3], ""))
	if code, out, errs := runCLI(t, "", "--lang", "zh", "verify", "-c", "../../rules.yaml", ok); code != 0 || out != "没问题：没有违反安全规则\n" {
		t.Errorf("exit %d\n%s%s", code, out, errs)
	}

	spin := writeFile(t, dir, "spin.jsonl", strings.Join(strings.SplitAfter(zhTrace, "\n")[:3], "")+
		`{"kind":"output","time":"2026-11-22T10:00:01Z","target":"pan","action":"spin","value":1}`+"\n")
	code, _, errs = runCLI(t, "", "--lang", "zh", "verify", "-c", "../../rules.yaml", spin)
	if want := "cattease: " + spin + `: monitor: 轨迹第 4 行：未知的 action "spin"` + "\n"; code != 1 || errs != want {
		t.Errorf("exit %d\n%q\nwant\n%q", code, errs, want)
	}
}

// replay --verify on a Chinese terminal, with an envelope that lets the
// dot out too fast and too far: each violation reads in Chinese.
func TestReplayVerifyViolationsInChinese(t *testing.T) {
	testHookEnvelope = func(c *safety.Config) {
		for i := range c.Axes {
			c.Axes[i].Speed *= 4
			c.Axes[i].Max += 30
		}
	}
	defer func() { testHookEnvelope = nil }()
	code, _, errs := runCLI(t, "", "--lang", "zh", "replay", "--verify", "-c", "../../rules.yaml", "../../testdata/replay/basic.jsonl")
	if code != 1 {
		t.Fatalf("exit %d\n%s", code, firstLines(errs, 5))
	}
	if rules := zhCheckViolations(t, errs); !rules["speed"] {
		t.Errorf("no speed violation in\n%s", firstLines(errs, 5))
	}
}
