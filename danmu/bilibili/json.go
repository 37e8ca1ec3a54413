package bilibili

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"strconv"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// Bilibili's JSON is loose about types: uids exceed 2^53, room ids and
// transaction ids come as numbers in one command and strings in the next,
// flags are 0/1 or false/true. These small types accept every form seen in
// the captures and nothing else, so a wrong type is still an error.

// jint is an int64 sent as a JSON number or a decimal string; null and ""
// are 0.
type jint int64

func (n *jint) UnmarshalJSON(b []byte) error {
	v, err := parseInt(b)
	if err != nil {
		return err
	}
	*n = jint(v)
	return nil
}

var errNotInt = errors.New("not an integer")

func parseInt(b []byte) (int64, error) {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return 0, errNotInt
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
		return 0, errNotInt
	}
	return int64(f), nil
}

// jfloat is a number sent as a JSON number or a decimal string (super chat
// prices in yuan); null is 0.
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

// jbool is a flag sent as true/false or as a number (0 = false); null is
// false.
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
	n, err := parseInt(b)
	if err != nil {
		return errors.New("not a flag")
	}
	*v = n != 0
	return nil
}

// jstr is an identifier sent as a JSON string or a number (tid, rnd).
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
	if _, err := parseInt(b); err != nil {
		return errors.New("not an identifier")
	}
	*s = jstr(b)
	return nil
}

// allowDuplicates skips json v2's duplicate-key bookkeeping, a third of
// the decoding time: the last value wins, as in encoding/json.
var allowDuplicates = jsontext.AllowDuplicateNames(true)

// unmarshal decodes JSON and maps failures to the counted reasons:
// invalid_json for bytes that are not JSON, bad_field for JSON of the wrong
// shape.
func unmarshal(b []byte, v any) error {
	err := jsonv2.Unmarshal(b, v, allowDuplicates)
	if err == nil {
		return nil
	}
	var syn *jsontext.SyntacticError
	if errors.As(err, &syn) {
		return decodeErr(ReasonInvalidJSON, err)
	}
	return decodeErr(ReasonBadField, err)
}
