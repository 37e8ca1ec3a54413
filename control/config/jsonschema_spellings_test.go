package config

import (
	"maps"
	"slices"
	"testing"
)

// TestJSONSchemaAcceptsParsedSpellings: every spelling the parsers' own
// tests accept validates against the schema, so that an editor never
// marks a value check takes. The patterns once allowed ASCII digits and %
// only: home: ２０度, enter: 75％ and 百分之75 loaded, and were squiggled.
func TestJSONSchemaAcceptsParsedSpellings(t *testing.T) {
	for def, spellings := range map[string][]string{
		"Angle":     slices.Sorted(maps.Keys(angleSpellings)),
		"Speed":     speedSpellings,
		"Accel":     accelSpellings,
		"Duration":  slices.Sorted(maps.Keys(durationSpellings)),
		"Frequency": slices.Sorted(maps.Keys(frequencySpellings)),
		"Percent":   slices.Sorted(maps.Keys(percentSpellings)),
	} {
		s := compileSchema(t, "#/definitions/"+def)
		for _, v := range spellings {
			if err := s.Validate(v); err != nil {
				t.Errorf("%s %q: the loader takes it, the schema refuses it: %v", def, v, err)
			}
		}
	}
	s := compileSchema(t, "#/definitions/Allow")
	for src, want := range allowSpellings {
		if want == (Allow{}) {
			continue // refused by the loader
		}
		if err := s.Validate(yamlInstance(t, []byte(src))); err != nil {
			t.Errorf("allow: %s: the loader takes it, the schema refuses it: %v", src, err)
		}
	}
}
