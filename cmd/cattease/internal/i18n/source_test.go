package i18n

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// A message call: the function (or method) name and the index of its
// format argument; -1 is the last argument (a flag's usage).
type call struct {
	pkg, name string // pkg "" matches any receiver
	arg       int
	log       bool // a log call: what follows the message are attributes
}

// sources are the packages whose messages reach the terminal, and the
// calls that carry them.
var sources = []struct {
	dir   string
	calls []call
}{
	{"../../../../control/config", []call{
		{"", "unitError", 1, false}, {"", "add", 1, false}, {"", "failAt", 2, false},
		{"fmt", "Errorf", 0, false}, {"errors", "New", 0, false},
	}},
	{"../../../../control/match", []call{{"", "fail", 3, false}}},
	{"../../../../actuators/servo", []call{{"", "bad", 0, false}}},
	// what the running parts log to the streamer's terminal (not Debug)
	{"../../../../actuators/safety", logCalls},
	{"../../../../web", logCalls},
	{"../../../../danmu/bilibili", logCalls},
	{"../../../../danmu/bilibili/open", logCalls},
	{"../../../../danmu/douyu", logCalls},
	{"../../../../control/mqtt", logCalls},
	{"../../../../control/play", logCalls},
	{"../../../../control", logCalls},
	// the errors of the hardware a first Pi setup meets, and of a
	// recording's lines, printed whole by run, check, halt, jog, replay
	{"../../../../actuators/pihost", errorCalls},
	{"../../../../actuators", errorCalls},
	{"../../../../actuators/gpioswitch", errorCalls},
	{"../../../../actuators/pca9685", errorCalls},
	{"../../../../actuators/sysfspwm", errorCalls},
	{"../../../../danmu/replay", errorCalls},
	{"../..", []call{
		{"", "Info", 0, true}, {"", "Warn", 0, true}, {"", "Error", 0, true}, {"", "Debug", 0, true},
		{"fmt", "Fprintf", 1, false}, {"fmt", "Errorf", 0, false}, {"errors", "New", 0, false},
		{"", "WriteString", 0, false}, {"", "logAbout", 1, true},
		{"", "String", -1, false}, {"", "StringVar", -1, false}, {"", "Bool", -1, false}, {"", "BoolVar", -1, false},
		{"", "Int", -1, false}, {"", "IntVar", -1, false}, {"", "Duration", -1, false}, {"", "DurationVar", -1, false},
		{"", "Float64", -1, false}, {"", "Float64Var", -1, false},
	}},
}

var logCalls = []call{{"", "Info", 0, true}, {"", "Warn", 0, true}, {"", "Error", 0, true}}

var errorCalls = []call{{"fmt", "Errorf", 0, false}, {"errors", "New", 0, false}}

// message is one English message found in the source.
type message struct {
	format string
	where  string // file:line
}

// sourceMessages returns every message of the packages in sources, each
// line of a multi-line format on its own, normalized as the catalogue
// keys are (see key).
func sourceMessages(t *testing.T) []message {
	t.Helper()
	var out []message
	for _, src := range sources {
		files := parseDir(t, src.dir)
		consts := stringConsts(files)
		for name, f := range files {
			ast.Inspect(f.file, func(n ast.Node) bool {
				for _, fm := range formatsIn(n, src.calls, consts) {
					pos := f.fset.Position(n.Pos())
					for _, k := range keys(fm.s, fm.usage) {
						out = append(out, message{k, filepath.Base(name) + ":" + strconv.Itoa(pos.Line)})
					}
				}
				return true
			})
		}
	}
	return out
}

type parsed struct {
	fset *token.FileSet
	file *ast.File
}

func parseDir(t *testing.T, dir string) map[string]parsed {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil || len(names) == 0 {
		t.Fatalf("no Go files in %s: %v", dir, err)
	}
	out := map[string]parsed{}
	for _, n := range names {
		if strings.HasSuffix(n, "_test.go") {
			continue
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, n, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatalf("parse %s: %v", n, err)
		}
		out[n] = parsed{fset, f}
	}
	return out
}

// stringConsts maps the package-level constants of type string.
func stringConsts(files map[string]parsed) map[string]string {
	m := map[string]string{}
	for _, f := range files {
		for _, d := range f.file.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.CONST {
				continue
			}
			for _, s := range g.Specs {
				v, ok := s.(*ast.ValueSpec)
				if !ok || len(v.Names) != len(v.Values) {
					continue
				}
				for i, n := range v.Names {
					if s, ok := constString(v.Values[i], nil); ok {
						m[n.Name] = s
					}
				}
			}
		}
	}
	return m
}

// constString evaluates a string literal, a sum of them, or a name bound
// to one.
func constString(e ast.Expr, consts map[string]string) (string, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(e.Value)
		return s, err == nil
	case *ast.BinaryExpr:
		a, ok1 := constString(e.X, consts)
		b, ok2 := constString(e.Y, consts)
		return a + b, ok1 && ok2 && e.Op == token.ADD
	case *ast.Ident:
		s, ok := consts[e.Name]
		return s, ok
	case *ast.ParenExpr:
		return constString(e.X, consts)
	}
	return "", false
}

type found struct {
	s     string
	usage bool // a flag's usage: plain text, not a format
}

// formatsIn returns the messages node n carries: the format of a message
// call, the operands of fmt.Fprintln, the description of a command.
func formatsIn(n ast.Node, calls []call, consts map[string]string) []found {
	switch n := n.(type) {
	case *ast.CallExpr:
		return callFormats(n, calls, consts)
	case *ast.CompositeLit:
		if isIdent(n.Type, "problem") {
			return problemMsg(n, consts)
		}
		return commandWhat(n, consts)
	}
	return nil
}

// problemMsg finds the message of a config problem{path, msg} literal.
func problemMsg(l *ast.CompositeLit, consts map[string]string) []found {
	for i, e := range l.Elts {
		if kv, ok := e.(*ast.KeyValueExpr); ok && isIdent(kv.Key, "msg") {
			e = kv.Value
		} else if i != 1 {
			continue
		}
		if s, ok := constString(e, consts); ok {
			return []found{{s: s}}
		}
	}
	return nil
}

func callFormats(c *ast.CallExpr, calls []call, consts map[string]string) []found {
	pkg, name := callee(c)
	if pkg == "fmt" && strings.HasPrefix(name, "Fprint") && len(c.Args) > 0 {
		if _, ok := c.Args[0].(*ast.UnaryExpr); ok {
			return nil // a piece of a line built in a buffer (&b): never a whole line
		}
	}
	if pkg == "fmt" && (name == "Fprintln" || name == "Fprint") && len(c.Args) > 1 {
		return []found{{s: printlnFormat(c.Args[1:], consts)}}
	}
	for _, k := range calls {
		if k.name != name || (k.pkg != "" && k.pkg != pkg) {
			continue
		}
		i := k.arg
		if i < 0 {
			i = len(c.Args) - 1
		}
		if i < 0 || i >= len(c.Args) {
			continue
		}
		s, ok := constString(c.Args[i], consts)
		if !ok {
			continue
		}
		out := []found{{s: s, usage: k.arg < 0}}
		for _, a := range c.Args[i+1:] {
			if k.log {
				break
			} // constant text printed by a verb
			if s, ok := constString(a, consts); ok {
				out = append(out, found{s: strings.ReplaceAll(s, "%", "%%")})
			}
		}
		return out
	}
	return nil
}

func callee(c *ast.CallExpr) (pkg, name string) {
	switch f := c.Fun.(type) {
	case *ast.Ident:
		return "", f.Name
	case *ast.SelectorExpr:
		if id, ok := f.X.(*ast.Ident); ok {
			return id.Name, f.Sel.Name
		}
		return "", f.Sel.Name
	}
	return "", ""
}

// printlnFormat writes fmt.Fprintln's operands as the format they print:
// constants as text, anything else as %v.
func printlnFormat(args []ast.Expr, consts map[string]string) string {
	parts := make([]string, len(args))
	for i, a := range args {
		if s, ok := constString(a, consts); ok {
			parts[i] = strings.ReplaceAll(s, "%", "%%")
		} else {
			parts[i] = "%v"
		}
	}
	return strings.Join(parts, " ")
}

// commandWhat finds the descriptions in the CLI's command list: the third
// string of each {name, synopsis, what} literal.
func commandWhat(l *ast.CompositeLit, consts map[string]string) []found {
	if id, ok := l.Type.(*ast.ArrayType); !ok || !isIdent(id.Elt, "command") {
		return nil
	}
	var out []found
	for _, e := range l.Elts {
		if c, ok := e.(*ast.CompositeLit); ok && len(c.Elts) == 3 {
			if s, ok := constString(c.Elts[2], consts); ok {
				out = append(out, found{s: strings.ReplaceAll(s, "%", "%%")})
			}
		}
	}
	return out
}

func isIdent(e ast.Expr, name string) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == name
}

var (
	pkgPrefix = regexp.MustCompile(`^(?:config|servo|match|cattease|i18n|web|douyu|mqtt|bilibili|pihost|actuators|gpioswitch|pca9685|sysfspwm|replay): ?`)
	verbRe    = regexp.MustCompile(`%(?:\[\d+\])?[-+# 0]*\d*(?:\.\d*)?(?:\[\d+\])?[a-zA-Z]`)
	wordRe    = regexp.MustCompile(`[a-zA-Z]{2,}`)
)

// keys normalizes a message as the catalogue keys it: one key per line,
// without the package prefix the output keeps in English ("config: ",
// "cattease: "); a flag's usage loses the back quotes the flag package
// removes and its per cent signs are escaped. Lines with no words left
// once verbs and the program's name are removed need no translation.
func keys(s string, usage bool) []string {
	if usage {
		s = strings.ReplaceAll(strings.ReplaceAll(s, "`", ""), "%", "%%")
	}
	var out []string
	for _, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(line)
		for {
			l := pkgPrefix.ReplaceAllString(line, "")
			if l == line {
				break
			}
			line = l
		}
		words := verbRe.ReplaceAllString(strings.ReplaceAll(line, "cattease", ""), "")
		if wordRe.MatchString(words) {
			out = append(out, line)
		}
	}
	return out
}

// TestCatalogueCoversSource fails naming every message of the source that
// has no Chinese: a new message cannot ship untranslated.
func TestCatalogueCoversSource(t *testing.T) {
	table := zhTable()
	msgs := sourceMessages(t)
	if len(msgs) < 100 {
		t.Fatalf("found only %d messages in the source: is the walker broken?", len(msgs))
	}
	var missing []string
	seen := map[string]bool{}
	for _, m := range msgs {
		if _, ok := table[m.format]; !ok && !seen[m.format] {
			seen[m.format] = true
			missing = append(missing, m.where+": "+strconv.Quote(m.format))
		}
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Errorf("no Chinese for %s: add it to cmd/cattease/internal/i18n/zh_*.go", m)
	}
}
