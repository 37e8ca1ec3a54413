package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"
)

var update = flag.Bool("update", false, "rewrite docs/rules.schema.json from the Go types")

const schemaPath = "../../docs/rules.schema.json"

func TestJSONSchemaUpToDate(t *testing.T) {
	got, err := JSONSchema()
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(schemaPath, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(schemaPath)
	if err != nil {
		t.Fatalf("%v (run: go test ./control/config -run JSONSchema -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is stale: run go test ./control/config -run JSONSchema -update", schemaPath)
	}
}

// compileSchema compiles the generated schema, or the definition at
// fragment ("#/definitions/Angle"), with a real draft-07 validator (which
// also checks the schema against the draft's meta-schema).
func compileSchema(t *testing.T, fragment string) *jsonschema.Schema {
	t.Helper()
	b, err := JSONSchema()
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("file:///rules.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("file:///rules.schema.json" + fragment)
	if err != nil {
		t.Fatalf("schema does not compile: %v", err)
	}
	return s
}

// yamlInstance turns YAML into the JSON value an editor validates.
func yamlInstance(t *testing.T, src []byte) any {
	t.Helper()
	var v any
	if err := yaml.Unmarshal(src, &v); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return inst
}

func TestShippedRulesMatchJSONSchema(t *testing.T) {
	s := compileSchema(t, "")
	for _, name := range []string{"rules.yaml", "rules.wand.yaml", "rules.zh.yaml"} {
		src, err := os.ReadFile("../../" + name)
		if errors.Is(err, os.ErrNotExist) && name == "rules.zh.yaml" {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if first, _, _ := strings.Cut(string(src), "\n"); first != "# yaml-language-server: $schema=./docs/rules.schema.json" {
			t.Errorf("%s: first line %q does not name the schema", name, first)
		}
		if err := s.Validate(yamlInstance(t, src)); err != nil {
			t.Errorf("%s does not match the schema: %v", name, err)
		}
		if _, err := Parse(name, src); err != nil {
			t.Errorf("%s does not load: %v", name, err)
		}
	}
}

const chineseRule = `  - name: wand
    aliases: [逗]
    label: {zh: 逗猫棒, en: Wand}
    allow: 房管
    cooldown: 3秒
    do: {move: pan, by: 10度}
`

func TestJSONSchemaAcceptsChineseSpellings(t *testing.T) {
	src := strings.Replace(minimal, "90°/s", "120度/秒", 1) + chineseRule
	if _, err := Parse("zh.yaml", []byte(src)); err != nil {
		t.Fatalf("check refuses it: %v", err)
	}
	if err := compileSchema(t, "").Validate(yamlInstance(t, []byte(src))); err != nil {
		t.Errorf("schema refuses it: %v", err)
	}
}

func TestJSONSchemaRefusesBadValues(t *testing.T) {
	s := compileSchema(t, "")
	cases := map[string]string{
		"speed: fast":      strings.Replace(minimal, "90°/s", "fast", 1),
		"allow: admin":     minimal + "    allow: admin\n",
		"long label":       minimal + "    label: " + strings.Repeat("猫", MaxLabelLen+1) + "\n",
		"label: {fr: x}":   minimal + "    label: {fr: x}\n",
		"unknown key":      minimal + "    colour: red\n",
		"cooldown: 3":      minimal + "    cooldown: 3\n",
		"bypass: [房东]":     minimal + "limits: {bypass: [房东]}\n",
		"guard: 4":         minimal + "    allow: {guard: 4}\n",
		"max_repeat: many": minimal + "    max_repeat: many\n",
	}
	for name, src := range cases {
		if err := s.Validate(yamlInstance(t, []byte(src))); err == nil {
			t.Errorf("%s: the schema accepts it", name)
		}
		if _, err := Parse("bad.yaml", []byte(src)); err == nil {
			t.Errorf("%s: check accepts it", name)
		}
	}
}

// TestJSONSchemaAgreesWithParsers checks that an editor and `check` agree
// on every spelling: the schema's patterns accept exactly what the parsers
// accept.
func TestJSONSchemaAgreesWithParsers(t *testing.T) {
	extra := []string{"10", "fast", "-1s", "1.5", "3 sex", "120°", "600°/s", "10 degrees", "0Hz5", "1小时30分", "1 5s", "NaN°",
		"２０度", "３０ｓ", "－５ｓ", "－５°", "10 d e g", "1 0°", "１２０度／秒", "3 s ec", "５０Ｈｚ", "5 0Hz", "1ｅ1°", "1e°", "０", "３", "1.2.3°"}
	parsers := map[string]func(string) error{
		"Angle":     func(s string) error { _, err := ParseAngle(s); return err },
		"Speed":     func(s string) error { _, err := ParseSpeed(s); return err },
		"Accel":     func(s string) error { _, err := ParseAccel(s); return err },
		"Duration":  func(s string) error { _, err := ParseDuration(s); return err },
		"Frequency": func(s string) error { _, err := ParseFrequency(s); return err },
	}
	for def, parse := range parsers {
		s := compileSchema(t, "#/definitions/"+def)
		for _, v := range append(unitSeeds, extra...) {
			if strings.Contains(v, "1e308") || (def == "Duration" && strings.HasPrefix(v, "9223")) {
				continue // range checks a pattern cannot make
			}
			perr, serr := parse(v), s.Validate(v)
			if (perr == nil) != (serr == nil) {
				t.Errorf("%s %q: parser says %v, schema says %v", def, v, perr, serr)
			}
		}
	}
}
