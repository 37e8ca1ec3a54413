package config

import (
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// The strict walker checks a YAML node tree against the Go type it will be
// decoded into, before decoding. It reports every unknown key and every
// value of the wrong shape with its line and column (yaml.v3's own
// KnownFields gives lines only and stops at the first problem), and it
// records where each field was written so that semantic errors found later
// can point at the right place.

var unmarshalerType = reflect.TypeFor[yaml.Unmarshaler]()

type walker struct {
	errs  []posError
	where map[string]*yaml.Node // field path → the node written there
	huge  bool                  // a mapping past MaxMapEntries: the file is not decoded
}

// MaxMapEntries bounds the names of one mapping (sequences, axes, …).
// The YAML decoder checks a mapping's keys against each other, in time
// that grows with the square of their number: 40,000 names in a 360 KB
// file take seconds, and check, a reload and halt would wait for them.
const MaxMapEntries = 2048

// tooMany refuses a mapping of more than MaxMapEntries names.
func (w *walker) tooMany(path string, n *yaml.Node) bool {
	if len(n.Content)/2 <= MaxMapEntries {
		return false
	}
	w.huge = true
	w.failAt(path, n, "%s: %d names, more than %d", display(path), len(n.Content)/2, MaxMapEntries)
	return true
}

type posError struct {
	line, col int
	msg       string
	path      string // the field that did not decode as written
}

// failAt records a problem that leaves the field at path undecoded (or
// decoded as its zero value), so checks that depend on it stay quiet.
func (w *walker) failAt(path string, n *yaml.Node, format string, args ...any) {
	w.errs = append(w.errs, posError{n.Line, n.Column, fmt.Sprintf(format, args...), path})
}

// brokenPaths lists the fields the walker found written wrongly.
func (w *walker) brokenPaths() []string {
	var ps []string
	for _, e := range w.errs {
		ps = append(ps, e.path)
	}
	return ps
}

// pathAt finds the field written at line:col or, failing that, the one
// written last before it: the innermost field around that position.
func (w *walker) pathAt(line, col int) string {
	best, bl, bc := "", -1, -1
	for p, n := range w.where {
		if n.Line > line || (n.Line == line && n.Column > col) {
			continue
		}
		later := n.Line > bl || (n.Line == bl && n.Column > bc)
		same := n.Line == bl && n.Column == bc
		if later || (same && len(p) > len(best)) {
			best, bl, bc = p, n.Line, n.Column
		}
	}
	return best
}

func (w *walker) walk(path string, n *yaml.Node, t reflect.Type) {
	if n.Kind == yaml.AliasNode {
		w.failAt(path, n, "%s: YAML aliases are not supported; write the value out", display(path))
		return
	}
	w.where[path] = n
	if reflect.PointerTo(t).Implements(unmarshalerType) {
		return // the type checks itself, with positions (see units.go)
	}
	if isNull(n) {
		return // an empty value keeps the default
	}
	switch t.Kind() {
	case reflect.Pointer:
		w.walk(path, n, t.Elem())
	case reflect.Struct:
		w.walkStruct(path, n, t)
	case reflect.Map:
		w.walkMap(path, n, t)
	case reflect.Slice:
		w.walkSlice(path, n, t)
	default:
		w.walkScalar(path, n, t)
	}
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

func (w *walker) walkStruct(path string, n *yaml.Node, t reflect.Type) {
	if n.Kind != yaml.MappingNode {
		w.failAt(path, n, "%s: expected a mapping of keys, found %s", display(path), describe(n))
		return
	}
	if w.tooMany(path, n) {
		return
	}
	fields := structFields(t)
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		f, ok := fields[k.Value]
		if !ok {
			w.failAt(join(path, k.Value), k, "%s: unknown key %q (known: %s)", display(path), k.Value, knownKeys(fields))
			continue
		}
		if seen[k.Value] {
			w.failAt(join(path, k.Value), k, "%s: key %q given twice", display(path), k.Value)
		}
		seen[k.Value] = true
		w.walk(join(path, k.Value), v, f)
	}
}

func (w *walker) walkMap(path string, n *yaml.Node, t reflect.Type) {
	if n.Kind != yaml.MappingNode {
		w.failAt(path, n, "%s: expected a mapping of names, found %s", display(path), describe(n))
		return
	}
	if w.tooMany(path, n) {
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode || k.Value == "" {
			w.failAt(path, k, "%s: names must be non-empty words", display(path))
			continue
		}
		w.walk(join(path, k.Value), v, t.Elem())
	}
}

func (w *walker) walkSlice(path string, n *yaml.Node, t reflect.Type) {
	if n.Kind != yaml.SequenceNode {
		w.failAt(path, n, "%s: expected a list, found %s", display(path), describe(n))
		return
	}
	for i, c := range n.Content {
		w.walk(fmt.Sprintf("%s[%d]", path, i), c, t.Elem())
	}
}

func (w *walker) walkScalar(path string, n *yaml.Node, t reflect.Type) {
	if n.Kind != yaml.ScalarNode {
		w.failAt(path, n, "%s: expected a single value, found %s", display(path), describe(n))
		return
	}
	var err error
	switch t.Kind() {
	case reflect.Bool:
		if n.Tag != "!!bool" {
			err = fmt.Errorf("expected true or false, found %q", n.Value)
		}
	case reflect.Int, reflect.Int64, reflect.Int32:
		// An int is 32 bits on the Pi Zero's armv6 build: every int field
		// takes what it can hold there, and an int64 (an Open Platform
		// app_id) all of its range.
		bits := 32
		if t.Kind() == reflect.Int64 {
			bits = 64
		}
		_, err = strconv.ParseInt(strings.ReplaceAll(n.Value, "_", ""), 0, bits)
		switch {
		case errors.Is(err, strconv.ErrRange): // YAML may have read it as a float
			err = fmt.Errorf("%s is out of range (%d bits)", n.Value, bits)
		case err != nil || n.Tag != "!!int":
			err = fmt.Errorf("expected a whole number, found %q", n.Value)
		}
	case reflect.Float64, reflect.Float32:
		if n.Tag != "!!int" && n.Tag != "!!float" {
			err = fmt.Errorf("expected a number, found %q", n.Value)
		}
	}
	if err != nil {
		w.failAt(path, n, "%s: %v", display(path), err)
	}
}

// structFields maps YAML keys to field types, flattening ",inline" fields
// (yamlFields, which the JSON Schema is built from too).
func structFields(t reflect.Type) map[string]reflect.Type {
	fs := yamlFields(t)
	m := make(map[string]reflect.Type, len(fs))
	for _, f := range fs {
		m[f.key] = f.typ
	}
	return m
}

func knownKeys(fields map[string]reflect.Type) string {
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sortStrings(keys)
	return strings.Join(keys, ", ")
}

func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	}
	return fmt.Sprintf("%q", n.Value)
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func display(path string) string {
	if path == "" {
		return "top level"
	}
	return path
}
