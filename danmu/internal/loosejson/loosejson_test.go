package loosejson

import (
	"encoding/json"
	"testing"
)

func TestLooseForms(t *testing.T) {
	var v struct {
		I Int
		F Float
		B Bool
	}
	for in, want := range map[string][3]any{
		`{"I":"9007199254740993","F":"30.5","B":1}`: {Int(9007199254740993), Float(30.5), Bool(true)},
		`{"I":1e3,"F":2,"B":false}`:                 {Int(1000), Float(2), Bool(false)},
		`{"I":"","F":null,"B":null}`:                {Int(0), Float(0), Bool(false)},
	} {
		v.I, v.F, v.B = -1, -1, true
		if err := json.Unmarshal([]byte(in), &v); err != nil || v.I != want[0] || v.F != want[1] || v.B != want[2] {
			t.Errorf("%s: %+v %v", in, v, err)
		}
	}
	for _, in := range []string{`{"I":1.5}`, `{"I":"x"}`, `{"I":true}`, `{"F":"NaN"}`, `{"B":"yes"}`, `{"I":1e19}`} {
		if json.Unmarshal([]byte(in), &v) == nil {
			t.Errorf("%s accepted", in)
		}
	}
}
