package config

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// MaxFileSize caps rules.yaml; a config is hand-written, never megabytes.
const MaxFileSize = 1 << 20

// Error is one problem in a config file, with its position.
type Error struct {
	File      string
	Line, Col int // 1-based; 0 when unknown
	Msg       string
}

func (e Error) Error() string {
	switch {
	case e.Line == 0:
		return fmt.Sprintf("%s: %s", e.File, e.Msg)
	case e.Col == 0:
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
}

// Errors is every problem found in one config file, in file order. Each
// line of its Error text is "file:line:col: message".
type Errors []Error

func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// LoadOptions add checks of the machine a file will run on to the checks
// of the file itself. The zero value checks the file alone, with no I/O.
type LoadOptions struct {
	// Ledger checks, for a rig with a laser, that the daily laser account
	// can be kept: the directory of LedgerPath exists or can be created,
	// and a file can be written there. A live run sets it; a dry run keeps
	// the account in memory and leaves it false.
	Ledger bool
}

// Load reads and validates the config file at path, the file alone.
func Load(path string) (*File, error) { return LoadWith(path, LoadOptions{}) }

// LoadWith reads and validates the config file at path, and checks what
// opts asks for. `cattease check` and `cattease run` both come here, so a
// file that passes check starts. On failure the error is an Errors listing
// every problem, the machine's included, sorted by position.
func LoadWith(path string, opts LoadOptions) (*File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	defer f.Close()
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(&limitedReader{f, MaxFileSize + 1}); err != nil {
		return nil, fmt.Errorf("config: read %s: %w", path, err)
	}
	return ParseWith(path, buf.Bytes(), opts)
}

type limitedReader struct {
	r interface{ Read([]byte) (int, error) }
	n int64
}

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.n <= 0 {
		return 0, errors.New("file larger than 1 MiB")
	}
	if int64(len(p)) > l.n {
		p = p[:l.n]
	}
	n, err := l.r.Read(p)
	l.n -= int64(n)
	return n, err
}

// Parse decodes and validates a config, the file alone. name is used in
// error positions. On failure the error is an Errors listing every problem
// found.
func Parse(name string, data []byte) (*File, error) { return ParseWith(name, data, LoadOptions{}) }

// ParseWith is Parse with the checks opts asks for.
//
// Every problem is reported in one pass: the strict walker's (unknown keys,
// values of the wrong shape), the units', and then the semantic checks of
// everything that did decode. A semantic problem that a decoding problem
// may have caused (a check of a field whose sibling or reference did not
// decode) is left out, so each mistake is reported once, where it is.
func ParseWith(name string, data []byte, opts LoadOptions) (*File, error) {
	if len(data) > MaxFileSize {
		return nil, Errors{{File: name, Msg: "file larger than 1 MiB"}}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, Errors{yamlError(name, err.Error())}
	}
	if len(doc.Content) == 0 {
		return nil, Errors{{File: name, Msg: "empty config"}}
	}
	root := doc.Content[0]
	w := &walker{where: map[string]*yaml.Node{}}
	w.walk("", root, reflect.TypeFor[File]())
	var raw File
	errs := w.errors(name)
	if w.huge {
		return nil, errs // decoding would take the square of its size
	}
	broken := w.brokenPaths()
	if err := root.Decode(&raw); err != nil {
		if te := (*yaml.TypeError)(nil); !errors.As(err, &te) {
			errs = append(errs, yamlError(name, err.Error()))
			sortErrors(errs)
			return nil, errs // nothing decoded to check further
		}
		for _, e := range decodeErrors(name, err, len(w.errs) > 0) {
			p := w.pathAt(e.Line, e.Col)
			if e.Col > 0 && p != "" {
				e.Msg = p + ": " + e.Msg // a unit's error knows its node, not its field
			}
			errs = append(errs, e)
			broken = append(broken, p)
		}
	}
	f := raw.withDefaults()
	f.name, f.where, f.raw = name, make(map[string][2]int, len(w.where)), &raw
	for p, n := range w.where {
		f.where[p] = [2]int{n.Line, n.Column}
	}
	v := &validator{broken: broken, raw: &raw}
	f.validate(v)
	if opts.Ledger {
		v.ledger(&f)
	}
	for _, p := range v.probs {
		errs = append(errs, w.locate(name, p))
	}
	if len(errs) > 0 {
		sortErrors(errs)
		return nil, errs
	}
	return &f, nil
}

func (w *walker) errors(name string) Errors {
	var es Errors
	for _, e := range w.errs {
		es = append(es, Error{File: name, Line: e.line, Col: e.col, Msg: e.msg})
	}
	return es
}

var (
	posPrefix  = regexp.MustCompile(`^(\d+):(\d+): `)
	linePrefix = regexp.MustCompile(`^(?:yaml: )?line (\d+): `)
)

// yamlError turns a yaml.v3 message into a positioned Error.
func yamlError(name, msg string) Error {
	msg = strings.TrimPrefix(msg, "yaml: ")
	if m := posPrefix.FindStringSubmatch(msg); m != nil {
		l, _ := strconv.Atoi(m[1])
		c, _ := strconv.Atoi(m[2])
		return Error{File: name, Line: l, Col: c, Msg: msg[len(m[0]):]}
	}
	if m := linePrefix.FindStringSubmatch(msg); m != nil {
		l, _ := strconv.Atoi(m[1])
		return Error{File: name, Line: l, Msg: msg[len(m[0]):]}
	}
	return Error{File: name, Msg: msg}
}

func decodeErrors(name string, err error, walkerFailed bool) Errors {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		return Errors{yamlError(name, err.Error())}
	}
	var es Errors
	for _, m := range te.Errors {
		if walkerFailed && strings.Contains(m, "cannot unmarshal") {
			continue // already reported with a column by the walker
		}
		es = append(es, yamlError(name, m))
	}
	return es
}

// problem is a semantic error at a field path such as "commands[2].do".
type problem struct {
	path string
	msg  string
}

// locate finds the node written at p.path, or the closest parent written.
func (w *walker) locate(name string, p problem) Error {
	for path := p.path; ; {
		if n, ok := w.where[path]; ok {
			return Error{File: name, Line: n.Line, Col: n.Column, Msg: display(p.path) + ": " + p.msg}
		}
		i := strings.LastIndexAny(path, ".[")
		if i < 0 {
			if n, ok := w.where[""]; ok && path != "" {
				return Error{File: name, Line: n.Line, Col: n.Column, Msg: display(p.path) + ": " + p.msg}
			}
			return Error{File: name, Msg: display(p.path) + ": " + p.msg}
		}
		path = path[:i]
	}
}

func sortErrors(es Errors) {
	sort.SliceStable(es, func(i, j int) bool {
		if es[i].Line != es[j].Line {
			return es[i].Line < es[j].Line
		}
		return es[i].Col < es[j].Col
	})
}

func sortStrings(s []string) { sort.Strings(s) }

// LoadHardware reads only the hardware section of the config at path, as
// leniently as it can: unknown keys and problems elsewhere in the file are
// ignored. It exists for `cattease halt`, which must switch the hardware
// off even when a bad edit broke the rest of the rules.
func LoadHardware(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	var doc struct {
		Hardware yaml.Node `yaml:"hardware"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("config: %s: %w", path, err)
	}
	var f File
	if err := doc.Hardware.Decode(&f.Hardware); err != nil && doc.Hardware.Kind != 0 {
		var te *yaml.TypeError
		if !errors.As(err, &te) {
			return nil, fmt.Errorf("config: %s: hardware: %w", path, err)
		}
	}
	f = f.withDefaults()
	return &f, nil
}
