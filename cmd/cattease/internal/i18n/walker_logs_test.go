package i18n

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"slices"
	"testing"
)

// The walker reads a log message built around a variable as the format
// it prints, and reports one it cannot read at all: a variable, a
// function's result, or text with no words of its own. http.Error is no
// log call.
func TestWalkerLogMessagesAroundVariables(t *testing.T) {
	const src = `package p
import "net/http"
const prefix = "bilibili: "
func f() {
	log.Warn(prefix+"not logged in ("+why+"): set a cookie file", "masked", true)
	r.log.Info("100% " + ("sure of " + what))
	log.Error(err.Error())
	log.Warn(msg, "k", v)
	log.Info(prefix + msg)
	slog.Warn(fmt.Sprintf("%d left", n))
	http.Error(w, msg, 400)
	log.Info("a constant", "k", v)
}`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	consts := stringConsts(map[string]parsed{"p.go": {fset, f}})
	imports := importNames(f)
	var got, bad []string
	ast.Inspect(f, func(n ast.Node) bool {
		for _, fm := range formatsIn(n, logCalls, consts) {
			got = append(got, keys(fm.s, fm.usage)...)
		}
		if c, ok := n.(*ast.CallExpr); ok {
			if e, ok := logMessageNotConstant(c, logCalls, consts, imports); ok {
				bad = append(bad, types.ExprString(e))
			}
		}
		return true
	})
	want := []string{"not logged in (%s): set a cookie file", "100%% sure of %s", "a constant"}
	wantBad := []string{"err.Error()", "msg", "prefix + msg", `fmt.Sprintf("%d left", n)`}
	slices.Sort(got)
	slices.Sort(want)
	slices.Sort(bad)
	slices.Sort(wantBad)
	if !slices.Equal(got, want) {
		t.Errorf("found\n%q\nwant\n%q", got, want)
	}
	if !slices.Equal(bad, wantBad) {
		t.Errorf("reported\n%q\nwant\n%q", bad, wantBad)
	}
}

// The packages whose errors run, check and jog print whole are walked
// for them: the web server's, the servo calibration's and the mock's.
func TestWalkerReadsErrorsOfWebServoMock(t *testing.T) {
	for _, dir := range []string{"../../../../web", "../../../../actuators/servo", "../../../../actuators/mock"} {
		var calls []call
		for _, s := range sources {
			if s.dir == dir {
				calls = s.calls
			}
		}
		for _, want := range errorCalls {
			if !slices.Contains(calls, want) {
				t.Errorf("%s: not walked for %s.%s", dir, want.pkg, want.name)
			}
		}
	}
}
