package replay

import (
	"github.com/cattease/cattease/danmu"
	"github.com/cattease/cattease/danmu/replay/jsonw"
)

// AppendEvent appends ev as one JSON line, byte for byte what
// encoding/json with SetEscapeHTML(false) writes for it (the form of
// --record files), without reflection. The error is encoding/json's: a
// time it cannot encode.
func AppendEvent(dst []byte, ev danmu.Event) ([]byte, error) {
	start := len(dst)
	dst = append(dst, `{"platform":`...)
	dst = jsonw.String(dst, ev.Platform)
	dst = append(dst, `,"room":`...)
	dst = jsonw.String(dst, ev.Room)
	dst = append(dst, `,"kind":`...)
	dst = jsonw.String(dst, string(ev.Kind))
	dst = append(dst, `,"id":`...)
	dst = jsonw.String(dst, ev.ID)
	dst = append(dst, `,"time":`...)
	dst, err := jsonw.Time(dst, ev.Time)
	if err != nil {
		return dst[:start], err
	}
	u := &ev.User
	dst = append(dst, `,"user":{"id":`...)
	dst = jsonw.String(dst, u.ID)
	dst = append(dst, `,"name":`...)
	dst = jsonw.String(dst, u.Name)
	dst = append(dst, `,"role":`...)
	dst = jsonw.String(dst, string(u.Role))
	dst = append(dst, `,"guard":`...)
	dst = jsonw.Int(dst, int64(u.Guard))
	dst = append(dst, `,"medal":`...)
	dst = jsonw.Int(dst, int64(u.Medal))
	dst = append(dst, `,"level":`...)
	dst = jsonw.Int(dst, int64(u.Level))
	dst = append(dst, `,"masked":`...)
	dst = jsonw.Bool(dst, u.Masked)
	dst = append(dst, `},"text":`...)
	dst = jsonw.String(dst, ev.Text)
	dst = append(dst, `,"gift":{"name":`...)
	dst = jsonw.String(dst, ev.Gift.Name)
	dst = append(dst, `,"count":`...)
	dst = jsonw.Int(dst, int64(ev.Gift.Count))
	dst = append(dst, `,"value_cents":`...)
	dst = jsonw.Int(dst, ev.Gift.ValueCents)
	return append(dst, "}}\n"...), nil
}
