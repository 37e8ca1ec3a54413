package i18n

import (
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
	"testing"
)

// The walker finds each kind of message the coverage test relies on.
func TestWalkerFindsEveryKind(t *testing.T) {
	const src = `package p
const help = "use a or b"
const usageLine = "usage: cattease x FILE"
func f() {
	v.add("a.b", "unknown thing %q", x)
	w.failAt(p, n, "%s: bad shape", p)
	_ = unitError(n, "allow: unknown %q: %s", v, help)
	_ = fmt.Errorf("config: read %s: %w", p, err)
	_ = errors.New("cattease: " + "nothing to do")
	_ = problem{path, "a problem literal"}
	log.Info("rules reloaded", "file", path)
	fmt.Fprintf(s.err, "%d problem(s)\n", n)
	fmt.Fprintln(s.err, "skipped:", err)
	fmt.Fprintln(s.out, usageLine)
	fmt.Fprintf(&b, " piece×%d", n)
	fs.String("c", "rules.yaml", "the ` + "`rules`" + ` file at 100%")
	_ = []command{{"run", "[-c rules.yaml]", "the show"}}
}`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	calls := append(slices.Clone(sources[0].calls), sources[len(sources)-1].calls...)
	calls = append(calls, sources[3].calls...)
	consts := stringConsts(map[string]parsed{"p.go": {fset, f}})
	var got []string
	ast.Inspect(f, func(n ast.Node) bool {
		for _, fm := range formatsIn(n, calls, consts) {
			got = append(got, keys(fm.s, fm.usage)...)
		}
		return true
	})
	want := []string{
		"unknown thing %q", "%s: bad shape", "allow: unknown %q: %s", "use a or b",
		"read %s: %w", "nothing to do", "a problem literal", "rules reloaded",
		"%d problem(s)", "skipped: %v", "usage: cattease x FILE", "the rules file at 100%%", "the show",
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("found\n%q\nwant\n%q", got, want)
	}
}
