package main

import (
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/cattease/cattease/control/config"
	"gopkg.in/yaml.v3"
)

// rules.zh.yaml is rules.yaml for Chinese streamers: the same settings and
// commands, with Chinese comments, units (10度, 3秒), roles (房管, 舰长) and
// command labels. These tests keep the two files from drifting apart.

func TestRulesZhCheck(t *testing.T) {
	for _, args := range [][]string{
		{"check", "--dry-run", "-c", "../../rules.zh.yaml"},
		{"check", "-c", "../../rules.zh.yaml"},
	} {
		t.Setenv("STATE_DIRECTORY", t.TempDir()) // a live check probes the state directory
		code, out, errs := runCLI(t, "", args...)
		if code != 0 || !strings.Contains(out, "ok") {
			t.Fatalf("%v: code %d\n%s%s", args, code, out, errs)
		}
	}
}

// TestRulesZhReplaySameTrace: same settings, same decisions and outputs.
func TestRulesZhReplaySameTrace(t *testing.T) {
	const log = "../../testdata/replay/basic.jsonl"
	code, en, errs := runCLI(t, "", "replay", "-c", "../../rules.yaml", log)
	if code != 0 {
		t.Fatalf("rules.yaml: code %d: %s", code, errs)
	}
	code, zh, errs := runCLI(t, "", "replay", "-c", "../../rules.zh.yaml", log)
	if code != 0 {
		t.Fatalf("rules.zh.yaml: code %d: %s", code, errs)
	}
	if en == "" {
		t.Fatal("empty trace")
	}
	if err := sameTrace(zh, en); err != nil {
		t.Fatalf("rules.zh.yaml's trace differs from rules.yaml's: %v", err)
	}
}

// TestRulesZhSameShape: the same top-level sections in the same order, the
// same command names in the same order, and, once loaded, the same
// settings: only comments, spellings and labels differ.
func TestRulesZhSameShape(t *testing.T) {
	sections := func(name string) []string {
		src, err := os.ReadFile("../../" + name)
		if err != nil {
			t.Fatal(err)
		}
		var doc yaml.Node
		if err := yaml.Unmarshal(src, &doc); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		root := doc.Content[0]
		var keys []string
		for i := 0; i < len(root.Content); i += 2 {
			keys = append(keys, root.Content[i].Value)
		}
		return keys
	}
	if en, zh := sections("rules.yaml"), sections("rules.zh.yaml"); !slices.Equal(en, zh) {
		t.Errorf("top-level sections differ:\nrules.yaml:    %v\nrules.zh.yaml: %v", en, zh)
	}

	en, err := config.Load("../../rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	zh, err := config.Load("../../rules.zh.yaml")
	if err != nil {
		t.Fatal(err)
	}
	names := func(f *config.File) []string {
		var out []string
		for _, c := range f.Commands {
			out = append(out, c.Name)
		}
		return out
	}
	if a, b := names(en), names(zh); !slices.Equal(a, b) {
		t.Errorf("command names differ:\nrules.yaml:    %v\nrules.zh.yaml: %v", a, b)
	}
	for _, c := range zh.Commands {
		if c.Label.Zh == "" || c.Label.En == "" {
			t.Errorf("rules.zh.yaml: command %s needs label: {zh: …, en: …}, has %+v", c.Name, c.Label)
		}
	}

	// The settings themselves, labels aside: every exported field of the
	// loaded files (the unexported ones hold the file name and positions).
	for i := range zh.Commands {
		zh.Commands[i].Label = config.Label{}
	}
	for i := range en.Commands {
		en.Commands[i].Label = config.Label{}
	}
	ev, zv := reflect.ValueOf(en).Elem(), reflect.ValueOf(zh).Elem()
	for i := 0; i < ev.NumField(); i++ {
		f := ev.Type().Field(i)
		if !f.IsExported() {
			continue
		}
		if !reflect.DeepEqual(ev.Field(i).Interface(), zv.Field(i).Interface()) {
			t.Errorf("%s differs:\nrules.yaml:    %+v\nrules.zh.yaml: %+v", f.Name, ev.Field(i).Interface(), zv.Field(i).Interface())
		}
	}
}
