package replay

import (
	"time"

	"github.com/cattease/cattease/danmu"
	"github.com/cattease/cattease/danmu/replay/jsonw"
)

// Record is one line of a --record file: the event, and when this
// program received it (Received, omitted when zero, as in records made
// before it was written). A live run decides each event at the time it
// received it; replay decides it then, or at the event's own Time for a
// line without one.
type Record struct {
	danmu.Event
	Received time.Time `json:"received,omitzero"`
}

// AppendStart appends a start line at t, {"kind":"start","time":…}, as
// one JSON line (Writer.WriteStart). The error is encoding/json's: a time
// it cannot encode.
func AppendStart(dst []byte, t time.Time) ([]byte, error) {
	start := len(dst)
	dst = append(dst, `{"kind":"start","time":`...)
	dst, err := jsonw.Time(dst, t)
	if err != nil {
		return dst[:start], err
	}
	return append(dst, "}\n"...), nil
}

// AppendEvent appends ev as one JSON line, byte for byte what
// encoding/json with SetEscapeHTML(false) writes for it (the form of
// --record files), without reflection. The error is encoding/json's: a
// time it cannot encode.
func AppendEvent(dst []byte, ev danmu.Event) ([]byte, error) {
	return AppendRecord(dst, ev, time.Time{})
}

// AppendRecord appends the Record of ev received at received (zero: not
// written) as one JSON line, byte for byte what encoding/json with
// SetEscapeHTML(false) writes for it, without reflection.
func AppendRecord(dst []byte, ev danmu.Event, received time.Time) ([]byte, error) {
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
	if received.IsZero() {
		return append(dst, "}}\n"...), nil
	}
	dst = append(dst, `},"received":`...)
	if dst, err = jsonw.Time(dst, received); err != nil {
		return dst[:start], err
	}
	return append(dst, "}\n"...), nil
}
