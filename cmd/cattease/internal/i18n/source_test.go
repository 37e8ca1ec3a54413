package i18n

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"maps"
	"path/filepath"
	"regexp"
	"slices"
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
	// a calibration's problems, and the errors jog prints of a pulse or
	// an angle outside it (on the hardware and on --dry-run's mock)
	{"../../../../actuators/servo", append([]call{{"", "bad", 0, false}}, errorCalls...)},
	{"../../../../actuators/mock", errorCalls},
	// what the running parts log to the streamer's terminal (not Debug)
	{"../../../../actuators/safety", logCalls},
	// and the errors run and check print of the web server: a token file
	// others can read, no token on the network, a moderation's duration
	{"../../../../web", append(slices.Clone(logCalls), errorCalls...)},
	// warnGuest's reason fills the guest warning's "not logged in (%s)"
	{"../../../../danmu/bilibili", append([]call{{"", "warnGuest", 0, false}}, logCalls...)},
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
	// what verify and replay --verify print of each violation (its
	// detail: m.report's format, or a keep-out finding{zone, format,
	// args}) and of a trace they cannot read
	{"../../../../actuators/monitor", append([]call{{"", "report", 3, false}}, errorCalls...)},
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
	alt    string // the format with the text of the sentinel errors its %w print: a key for it covers it too
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
		sentinels := sentinelErrors(files, consts)
		for name, f := range files {
			ast.Inspect(f.file, func(n ast.Node) bool {
				for _, fm := range withSentinels(formatsIn(n, src.calls, consts), n, sentinels) {
					pos := f.fset.Position(n.Pos())
					where := filepath.Base(name) + ":" + strconv.Itoa(pos.Line)
					ks, alts := keys(fm.s, fm.usage), keys(fm.composed, fm.usage)
					if len(ks) == 0 { // all verbs as written: "%w %q"
						ks, alts = alts, nil
					}
					for i, k := range ks {
						m := message{format: k, where: where}
						if len(alts) == len(ks) {
							m.alt = alts[i]
						}
						out = append(out, m)
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
		f, err := parser.ParseFile(fset, n, nil, 0) // objects: a function's own constants
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
// to one: a constant of the file, a function's own included, or of the
// package (consts).
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
		if e.Obj == nil { // declared in another file
			s, ok := consts[e.Name]
			return s, ok
		}
		v, ok := e.Obj.Decl.(*ast.ValueSpec)
		if e.Obj.Kind != ast.Con || !ok || len(v.Names) != len(v.Values) {
			return "", false
		}
		for i, n := range v.Names {
			if n.Name == e.Name {
				return constString(v.Values[i], consts)
			}
		}
		return "", false
	case *ast.ParenExpr:
		return constString(e.X, consts)
	}
	return "", false
}

type found struct {
	s        string
	usage    bool   // a flag's usage: plain text, not a format
	composed string // s with the text of the sentinel errors its %w print ("" if none)
}

// formatsIn returns the messages node n carries: the format of a message
// call, the operands of fmt.Fprintln, the description of a command.
func formatsIn(n ast.Node, calls []call, consts map[string]string) []found {
	switch n := n.(type) {
	case *ast.CallExpr:
		return callFormats(n, calls, consts)
	case *ast.CompositeLit:
		for _, f := range literals {
			if isIdent(n.Type, f.typ) {
				return literalMsg(n, f, consts)
			}
		}
		return commandWhat(n, consts)
	}
	return nil
}

// A struct literal that carries a message: its type, and the field
// that holds the message, by name and by position.
type field struct {
	typ, name string
	i         int
}

var literals = []field{
	{"problem", "msg", 1},    // config: problem{path, msg}
	{"finding", "format", 1}, // monitor: finding{zone, format, args}
}

// literalMsg finds the message of a literal of a type in literals.
func literalMsg(l *ast.CompositeLit, f field, consts map[string]string) []found {
	for i, e := range l.Elts {
		if kv, ok := e.(*ast.KeyValueExpr); ok && isIdent(kv.Key, f.name) {
			e = kv.Value
		} else if i != f.i {
			continue
		}
		if s, ok := constString(e, consts); ok {
			return []found{{s: s}}
		}
	}
	return nil
}

// sentinelErrors maps the package-level errors made by errors.New with
// a constant text: var errX = errors.New("text").
func sentinelErrors(files map[string]parsed, consts map[string]string) map[string]string {
	m := map[string]string{}
	for _, f := range files {
		for _, d := range f.file.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.VAR {
				continue
			}
			for _, s := range g.Specs {
				v, ok := s.(*ast.ValueSpec)
				if !ok || len(v.Names) != len(v.Values) {
					continue
				}
				for i, n := range v.Names {
					c, ok := v.Values[i].(*ast.CallExpr)
					if !ok || len(c.Args) != 1 {
						continue
					}
					if pkg, name := callee(c); pkg != "errors" || name != "New" {
						continue
					}
					if s, ok := constString(c.Args[0], consts); ok {
						m[n.Name] = s
					}
				}
			}
		}
	}
	return m
}

// withSentinels gives the format of an fmt.Errorf call whose %w prints a
// sentinel error the format with the error's text in its place:
// fmt.Errorf("%w %q", errBadKind, k) prints "unknown kind %q". The
// catalogue translates the message with either: the format as written
// translates the sentinel's text through its %w.
func withSentinels(fs []found, n ast.Node, sentinels map[string]string) []found {
	c, ok := n.(*ast.CallExpr)
	if !ok || len(fs) == 0 || len(c.Args) == 0 {
		return fs
	}
	if pkg, name := callee(c); pkg != "fmt" || name != "Errorf" {
		return fs
	}
	if s, ok := composeSentinels(fs[0].s, c.Args[1:], sentinels); ok {
		fs[0].composed = s
	}
	return fs
}

// composeSentinels returns format with each %w whose argument is a
// sentinel error replaced by the error's text, and whether it has one.
// A format with explicit argument indexes is left alone.
func composeSentinels(format string, args []ast.Expr, sentinels map[string]string) (string, bool) {
	if strings.Contains(format, "%[") {
		return format, false
	}
	var b strings.Builder
	next, did := 0, false
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			b.WriteByte(format[i])
			continue
		}
		if i+1 < len(format) && format[i+1] == '%' {
			b.WriteString("%%")
			i++
			continue
		}
		verb, arg, end := parseVerb(format, i+1, next)
		if verb == 0 {
			b.WriteString(format[i:])
			break
		}
		text, ok := "", false
		if verb == 'w' && arg < len(args) {
			if id, isID := args[arg].(*ast.Ident); isID {
				text, ok = sentinels[id.Name]
			}
		}
		if ok {
			b.WriteString(strings.ReplaceAll(text, "%", "%%"))
			did = true
		} else {
			b.WriteString(format[i : end+1])
		}
		next, i = arg+1, end
	}
	return b.String(), did
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
		if !ok && k.log {
			s, ok = concatFormat(c.Args[i], consts)
		}
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

// concatFormat writes a log message built around variables, "not logged
// in (" + why + "): …", as the format it prints: its constant pieces as
// text, each other operand as %s. A message with no constant piece is
// not one (see logMessageNotConstant).
func concatFormat(e ast.Expr, consts map[string]string) (string, bool) {
	if s, ok := constString(e, consts); ok {
		return strings.ReplaceAll(s, "%", "%%"), true
	}
	switch e := e.(type) {
	case *ast.ParenExpr:
		return concatFormat(e.X, consts)
	case *ast.BinaryExpr:
		if e.Op != token.ADD {
			return "", false
		}
		a, okA := concatFormat(e.X, consts)
		b, okB := concatFormat(e.Y, consts)
		if !okA && !okB {
			return "", false
		}
		if !okA {
			a = "%s"
		}
		if !okB {
			b = "%s"
		}
		return a + b, true
	}
	return "", false
}

// logMessageNotConstant returns the message of a log call of calls that
// the walker cannot read: neither a constant nor built around one
// (concatFormat), such as a variable or a function's result. The
// catalogue cannot be checked for it. A call on an imported package
// other than slog (http.Error(w, msg, code)) is no log call.
func logMessageNotConstant(c *ast.CallExpr, calls []call, consts map[string]string, imports map[string]bool) (ast.Expr, bool) {
	pkg, name := callee(c)
	if sel, ok := c.Fun.(*ast.SelectorExpr); ok {
		if id, ok := sel.X.(*ast.Ident); ok && imports[id.Name] && id.Name != "slog" {
			return nil, false
		}
	}
	for _, k := range calls {
		if !k.log || k.name != name || (k.pkg != "" && k.pkg != pkg) || k.arg < 0 || k.arg >= len(c.Args) {
			continue
		}
		if _, ok := constString(c.Args[k.arg], consts); ok {
			return nil, false
		}
		if f, ok := concatFormat(c.Args[k.arg], consts); ok && len(keys(f, false)) > 0 {
			return nil, false // words of its own the catalogue is checked for
		}
		return c.Args[k.arg], true
	}
	return nil, false
}

// importNames are the names a file's imports are used by.
func importNames(f *ast.File) map[string]bool {
	m := map[string]bool{}
	for _, im := range f.Imports {
		p, err := strconv.Unquote(im.Path.Value)
		if err != nil {
			continue
		}
		name := p[strings.LastIndexByte(p, '/')+1:]
		if im.Name != nil {
			name = im.Name.Name
		}
		m[name] = true
	}
	return m
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
	pkgPrefix = regexp.MustCompile(`^(?:config|servo|match|cattease|i18n|web|douyu|mqtt|bilibili|pihost|actuators|gpioswitch|pca9685|sysfspwm|replay|monitor|mock): ?`)
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

// covered reports whether the catalogue translates message m: its format,
// or the format with its sentinel errors' text (alt), is a key; or one of
// them is a prefix of verbs alone ("%s: ", kept as written) and a key:
// "%s: %w" of a sentinel error "closed" prints "audit.log: closed".
func covered(table map[string]string, m message) bool {
	for _, k := range []string{m.format, m.alt} {
		if k == "" {
			continue
		}
		if _, ok := table[k]; ok {
			return true
		}
		for off := 0; ; {
			i := strings.Index(k[off:], ": ")
			if i < 0 || wordRe.MatchString(verbRe.ReplaceAllString(k[:off+i], "")) {
				break
			}
			off += i + 2
			if _, ok := table[k[off:]]; ok {
				return true
			}
		}
	}
	return false
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
		if !covered(table, m) && !seen[m.format] {
			seen[m.format] = true
			say := strconv.Quote(m.format)
			if m.alt != "" {
				say = strconv.Quote(m.alt) + " (or " + say + ")"
			}
			missing = append(missing, m.where+": "+say)
		}
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Errorf("no Chinese for %s: add it to cmd/cattease/internal/i18n/zh_*.go", m)
	}
}

// notConstantAllowed are the log calls whose message the walker cannot
// read, by file and message expression, each with what covers it. Add
// one only with its reason and its catalogue entries.
var notConstantAllowed = map[string]string{
	// a refused reload logs each problem as its own message, as check
	// prints it: the errors of control/config, which sources covers
	"reload.go: err.Error()": "control/config's errors",
	"reload.go: e.Error()":   "control/config's errors",
}

// TestLogMessagesAreConstant fails naming each log call of the sources
// whose message is neither a constant nor built around one, and not on
// notConstantAllowed: the coverage test cannot see it, so it could ship
// in English.
func TestLogMessagesAreConstant(t *testing.T) {
	for _, src := range sources {
		files := parseDir(t, src.dir)
		consts := stringConsts(files)
		for _, name := range slices.Sorted(maps.Keys(files)) {
			f := files[name]
			imports := importNames(f.file)
			ast.Inspect(f.file, func(n ast.Node) bool {
				c, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				e, bad := logMessageNotConstant(c, src.calls, consts, imports)
				if !bad {
					return true
				}
				key := filepath.Base(name) + ": " + types.ExprString(e)
				if _, ok := notConstantAllowed[key]; !ok {
					t.Errorf("%s:%d: log message %s is not a constant: the catalogue cannot be checked for it; write it as one, or add %q to notConstantAllowed with what covers it",
						filepath.Base(name), f.fset.Position(c.Pos()).Line, types.ExprString(e), key)
				}
				return true
			})
		}
	}
}
