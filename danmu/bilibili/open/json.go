package open

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"strconv"
)

// The platform's JSON is loose about types (ids as numbers or strings,
// flags as 0/1 or booleans). These accept the forms seen and nothing else.

// jint is an int64 sent as a number or a decimal string; null and "" are 0.
type jint int64

var errNotInt = errors.New("not an integer")

func (n *jint) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0:
		return errNotInt
	case string(b) == "null":
		*n = 0
		return nil
	case b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		if s == "" {
			*n = 0
			return nil
		}
		b = []byte(s)
	}
	if v, err := strconv.ParseInt(string(b), 10, 64); err == nil {
		*n = jint(v)
		return nil
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil || f != math.Trunc(f) || math.Abs(f) >= 1<<63 {
		return errNotInt
	}
	*n = jint(f)
	return nil
}

// jfloat is a number sent as a number or a decimal string; null is 0.
type jfloat float64

func (n *jfloat) UnmarshalJSON(b []byte) error {
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
	*n = jfloat(f)
	return nil
}

// jbool is a flag sent as true/false or a number (0 = false); null is false.
type jbool bool

func (v *jbool) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch string(b) {
	case "true":
		*v = true
		return nil
	case "false", "null":
		*v = false
		return nil
	}
	var n jint
	if err := n.UnmarshalJSON(b); err != nil {
		return errors.New("not a flag")
	}
	*v = n != 0
	return nil
}

// jstr is an identifier sent as a string or a number.
type jstr string

func (s *jstr) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		*s = ""
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*s = jstr(v)
		return nil
	}
	var n jint
	if err := n.UnmarshalJSON(b); err != nil {
		return errors.New("not an identifier")
	}
	*s = jstr(strconv.FormatInt(int64(n), 10))
	return nil
}
