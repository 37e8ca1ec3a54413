package i18n

import (
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
	"strings"
	"testing"
)

// The walker finds the monitor's messages: the format of m.report, that
// of a finding{zone, format, args} literal (held in a function's own
// constant too), and an fmt.Errorf whose %w prints a sentinel error,
// with the sentinel's text in its place ("%w %q" of errBadAction prints
// "unknown action %q") and the format as written beside it.
func TestWalkerFindsMonitorMessages(t *testing.T) {
	const src = `package p
const meets = "shadowed: never a message"
var errBadAction = errors.New("unknown action")
var (
	errBadSwitch = errors.New("switch value not 0 or 1")
	errLost      = errors.New("what the run did cannot be checked")
	errPct       = errors.New("100% lost")
)
func f() {
	m.report(t, "speed", a.Name, "moved %.4g° in %v (limit %.4g°)", d, dt, lim)
	const meets = "lit dot path %v meets the zone"
	_ = finding{name, meets, nil}
	_ = finding{format: "lit dot (%.4g°, %.4g°) near the zone", zone: name}
	_ = fmt.Errorf("%w %q", errBadAction, l.Action)
	_ = fmt.Errorf("monitor: %w: %g", errBadSwitch, l.Value)
	_ = fmt.Errorf("%d line(s) lost: %w", n, errLost)
	_ = fmt.Errorf("%[2]d at %[1]w", errLost, n)
	_ = fmt.Errorf("%w of %v", errPct, err)
	_ = fmt.Errorf("trace line %d: %w", n, perr)
}
func g() {
	meets := "a variable: never a message"
	_ = finding{name, meets, nil}
}`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]parsed{"p.go": {fset, f}}
	consts := stringConsts(files)
	sentinels := sentinelErrors(files, consts)
	var calls []call
	for _, s := range sources {
		if s.dir == "../../../../actuators/monitor" {
			calls = s.calls
		}
	}
	type got struct{ s, composed string }
	var found []got
	ast.Inspect(f, func(n ast.Node) bool {
		for _, fm := range withSentinels(formatsIn(n, calls, consts), n, sentinels) {
			found = append(found, got{fm.s, fm.composed})
		}
		return true
	})
	want := []got{
		{"unknown action", ""}, {"switch value not 0 or 1", ""}, {"what the run did cannot be checked", ""}, {"100% lost", ""},
		{"moved %.4g° in %v (limit %.4g°)", ""},
		{"lit dot path %v meets the zone", ""},
		{"lit dot (%.4g°, %.4g°) near the zone", ""},
		{"%w %q", "unknown action %q"},
		{"monitor: %w: %g", "monitor: switch value not 0 or 1: %g"},
		{"%d line(s) lost: %w", "%d line(s) lost: what the run did cannot be checked"},
		{"%[2]d at %[1]w", ""}, // explicit indexes: left as written
		{"%w of %v", "100%% lost of %v"},
		{"trace line %d: %w", ""}, // not a sentinel
	}
	less := func(a, b got) int {
		if a.s != b.s {
			return strings.Compare(a.s, b.s)
		}
		return strings.Compare(a.composed, b.composed)
	}
	slices.SortFunc(found, less)
	slices.SortFunc(want, less)
	if !slices.Equal(found, want) {
		t.Errorf("found\n%q\nwant\n%q", found, want)
	}
}

// A message is covered by its format, by the format with its sentinels'
// text, or by what follows a prefix of verbs alone, which the catalogue
// keeps as written ("%s: closed" prints "audit.log: closed").
func TestCoveredByEitherFormatOrWhatFollowsVerbs(t *testing.T) {
	table := map[string]string{"closed": "已关闭", "unknown action %q": "未知的 action %q", "%w: %q (check it)": "%w：%q（检查）"}
	for _, c := range []struct {
		m    message
		want bool
	}{
		{message{format: "%s: closed"}, true},
		{message{format: "%s: %d: closed"}, true},
		{message{format: "file %s: closed"}, false}, // "file" is a word: no prefix the catalogue keeps
		{message{format: "unknown action %q"}, true},
		{message{format: "%w: %q (check it)", alt: "no axis: %q (check it)"}, true},
		{message{format: "no axis: %q (check it)", alt: "%w: %q (check it)"}, true},
		{message{format: "no switch"}, false},
	} {
		if got := covered(table, c.m); got != c.want {
			t.Errorf("%+v: covered %v, want %v", c.m, got, c.want)
		}
	}
}
