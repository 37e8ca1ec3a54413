package open

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"

	"github.com/cattease/cattease/danmu/internal/loosejson"
)

// The platform's JSON is as loose about types as the web stream's; the
// same types read it (package loosejson).
type (
	jint   = loosejson.Int
	jfloat = loosejson.Float
	jbool  = loosejson.Bool
)

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
