// Package loosejson decodes the loosely typed numbers and flags of
// Bilibili's JSON (the web stream and the Open Platform alike): uids
// beyond 2^53, ids as numbers in one command and strings in the next,
// flags as 0/1 or false/true. The types accept every form seen in the
// captures and nothing else, so a wrong type is still an error.
package loosejson

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"strconv"
)

// Int is an int64 sent as a JSON number or a decimal string; null and ""
// are 0.
type Int int64

func (n *Int) UnmarshalJSON(b []byte) error {
	v, err := ParseInt(b)
	if err != nil {
		return err
	}
	*n = Int(v)
	return nil
}

// ErrNotInt: the value is not an integer in any form Int accepts.
var ErrNotInt = errors.New("not an integer")

// ParseInt reads what Int accepts.
func ParseInt(b []byte) (int64, error) {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return 0, ErrNotInt
	}
	if b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return 0, err
		}
		if s == "" {
			return 0, nil
		}
		b = []byte(s)
	} else if string(b) == "null" {
		return 0, nil
	}
	if v, err := strconv.ParseInt(string(b), 10, 64); err == nil {
		return v, nil
	}
	// 1.0 or 1e3: integral floats only, within int64.
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil || f != math.Trunc(f) || math.Abs(f) >= 1<<63 {
		return 0, ErrNotInt
	}
	return int64(f), nil
}

// Float is a number sent as a JSON number or a decimal string (super chat
// prices in yuan); null is 0.
type Float float64

func (n *Float) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		*n = 0
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		b = []byte(s)
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return errors.New("not a number")
	}
	*n = Float(f)
	return nil
}

// Bool is a flag sent as true/false or as a number (0 = false); null is
// false.
type Bool bool

func (v *Bool) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch string(b) {
	case "true":
		*v = true
		return nil
	case "false", "null":
		*v = false
		return nil
	}
	n, err := ParseInt(b)
	if err != nil {
		return errors.New("not a flag")
	}
	*v = n != 0
	return nil
}
