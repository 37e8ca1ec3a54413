package config

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	"gopkg.in/yaml.v3"
)

// The JSON Schema of rules.yaml is generated from File by reflection, so a
// section added to File appears in it without edits here. Struct fields
// become properties named by their yaml tags (unknown keys are refused, as
// `check` refuses them); the types that decode themselves (units, allow,
// label…) are described by scalarSchemas (jsonschema_types.go) or by their
// own JSONSchema method. docs/rules.schema.json is the result, kept in
// step by a test; editors with yaml-language-server (VS Code's YAML
// extension) read it from the first line of rules.yaml for completion,
// hover help and squiggles.

// SchemaDraft is the JSON Schema dialect generated: draft-07, the one
// yaml-language-server supports best.
const SchemaDraft = "http://json-schema.org/draft-07/schema#"

// schemaer is implemented by a config type that describes itself.
type schemaer interface {
	JSONSchema() map[string]any
}

type schemaGen struct {
	defs  map[string]any
	names map[reflect.Type]string
}

// JSONSchema returns the JSON Schema of rules.yaml, indented, ending in a
// newline. The output is the same for the same Go types.
func JSONSchema() ([]byte, error) {
	g := &schemaGen{defs: map[string]any{}, names: map[reflect.Type]string{}}
	doc := g.structSchema(reflect.TypeFor[File]())
	doc["$schema"] = SchemaDraft
	doc["$comment"] = "Generated from the Go types by `cattease schema`; do not edit (go test ./control/config -run JSONSchema -update rewrites it)."
	doc["title"] = "cattease rules.yaml"
	doc["description"] = "cattease 规则文件：硬件、安全限制、弹幕指令。The cattease rules: hardware, safety limits, chat commands."
	doc["definitions"] = g.defs
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("config: json schema: %w", err)
	}
	return buf.Bytes(), nil
}

var (
	schemaerType    = reflect.TypeFor[schemaer]()
	yamlUnmarshaler = reflect.TypeFor[yaml.Unmarshaler]()
)

// of returns the schema of a value of type t.
func (g *schemaGen) of(t reflect.Type) map[string]any {
	if s, ok := scalarSchemas[t]; ok {
		return g.ref(t, func() map[string]any { return s() })
	}
	if t.Implements(schemaerType) || reflect.PointerTo(t).Implements(schemaerType) {
		return g.ref(t, func() map[string]any { return reflect.New(t).Interface().(schemaer).JSONSchema() })
	}
	if reflect.PointerTo(t).Implements(yamlUnmarshaler) {
		return map[string]any{"description": "见指南 / see the guide (" + t.Name() + ")"}
	}
	switch t.Kind() {
	case reflect.Pointer:
		return g.of(t.Elem())
	case reflect.Struct:
		return g.ref(t, func() map[string]any { return g.structSchema(t) })
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": g.of(t.Elem())}
	case reflect.Slice, reflect.Array:
		return map[string]any{"type": "array", "items": g.of(t.Elem())}
	}
	return kindSchema(t.Kind())
}

func kindSchema(k reflect.Kind) map[string]any {
	switch k {
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return map[string]any{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	}
	return map[string]any{}
}

// ref puts the schema of named type t in the definitions (building it
// once, so recursive types end) and returns a reference to it.
func (g *schemaGen) ref(t reflect.Type, build func() map[string]any) map[string]any {
	name, ok := g.names[t]
	if !ok {
		name = g.defName(t)
		g.names[t] = name
		g.defs[name] = map[string]any{} // placeholder while building
		g.defs[name] = build()
	}
	return map[string]any{"$ref": "#/definitions/" + name}
}

// defName is t's name, made unique if another package uses it too.
func (g *schemaGen) defName(t reflect.Type) string {
	name := strings.NewReplacer("[", "_", "]", "_", "/", "_", ".", "_", "*", "_").Replace(t.Name())
	if name == "" {
		name = "anonymous"
	}
	for base, i := name, 2; g.defs[name] != nil; i++ {
		name = fmt.Sprintf("%s%d", base, i)
	}
	return name
}

// structSchema describes a struct as an object of its yaml keys.
func (g *schemaGen) structSchema(t reflect.Type) map[string]any {
	props := map[string]any{}
	for _, f := range yamlFields(t) {
		s := g.fieldSchema(t.Name()+"."+f.key, f.typ)
		if d, ok := fieldDocs[t.Name()+"."+f.key]; ok {
			s = withDescription(s, d)
		}
		props[f.key] = s
	}
	s := map[string]any{"type": "object", "properties": props, "additionalProperties": false}
	if d, ok := typeDocs[t.Name()]; ok {
		s["description"] = d
	}
	return s
}

func (g *schemaGen) fieldSchema(key string, t reflect.Type) map[string]any {
	if o, ok := fieldOverrides[key]; ok {
		return o()
	}
	return g.of(t)
}

// withDescription adds a description beside s's keywords (beside a $ref
// too: validators ignore it there, editors show it on hover).
func withDescription(s map[string]any, d string) map[string]any {
	out := make(map[string]any, len(s)+1)
	for k, v := range s {
		out[k] = v
	}
	out["description"] = d
	return out
}

type yamlField struct {
	key string
	typ reflect.Type
}

// yamlFields lists the keys yaml.v3 decodes into t, ",inline" fields
// flattened, in field order.
func yamlFields(t reflect.Type) []yamlField {
	var fs []yamlField
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("yaml")
		name, opts, _ := strings.Cut(tag, ",")
		switch {
		case tag == "-" || !f.IsExported():
		case strings.Contains(","+opts+",", ",inline,"):
			fs = append(fs, yamlFields(f.Type)...)
		default:
			if name == "" {
				name = strings.ToLower(f.Name)
			}
			fs = append(fs, yamlField{name, f.Type})
		}
	}
	return fs
}
