package bilibili

import (
	"bytes"
	"encoding/json"
	"errors"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/cattease/cattease/danmu/internal/loosejson"
)

// Bilibili's JSON is loose about types; package loosejson reads it, for
// this source and the Open Platform's.
type (
	jint   = loosejson.Int
	jfloat = loosejson.Float
	jbool  = loosejson.Bool
)

var parseInt = loosejson.ParseInt

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
