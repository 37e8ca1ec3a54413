package bilibili

import (
	"errors"
	"strconv"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/cattease/cattease/danmu"
)

// danmuInfo is what cattease reads from DANMU_MSG's info array (reference
// §3.1), decoded by position in one pass, skipping everything else:
//
//	info[0]  metadata: [4] send time ms, [5] rnd, [15] {extra, user}
//	info[1]  text
//	info[2]  [uid, name, is_admin, …]
//	info[3]  medal [level, name, anchor name, anchor room, …, [12] anchor uid], or []
//	info[4]  [user level, …]
//	info[7]  guard level
type danmuInfo struct {
	n           int // elements in info
	sentMS, rnd int64
	mode        struct {
		Extra string `json:"extra"` // a JSON object in a string
		User  *uinfo `json:"user"`
	}
	text                        string
	uid                         int64
	name                        string
	admin                       bool
	medal, anchorRoom, anchorID int64
	level, guard                int64
}

var errShape = errors.New("wrong JSON type")

func (x *danmuInfo) UnmarshalJSONFrom(d *jsontext.Decoder) error {
	return eachElem(d, func(i int) error {
		x.n = i + 1
		switch i {
		case 0:
			return eachElem(d, func(j int) error {
				switch j {
				case 4:
					return readInt(d, &x.sentMS)
				case 5:
					return readInt(d, &x.rnd)
				case 15:
					return jsonv2.UnmarshalDecode(d, &x.mode)
				}
				return d.SkipValue()
			})
		case 1:
			return readString(d, &x.text)
		case 2:
			return eachElem(d, func(j int) error {
				switch j {
				case 0:
					return readInt(d, &x.uid)
				case 1:
					return readString(d, &x.name)
				case 2:
					var b jbool
					err := readRaw(d, b.UnmarshalJSON)
					x.admin = bool(b)
					return err
				}
				return d.SkipValue()
			})
		case 3:
			return eachElem(d, func(j int) error {
				switch j {
				case 0:
					return readInt(d, &x.medal)
				case 3:
					return readInt(d, &x.anchorRoom)
				case 12:
					return readInt(d, &x.anchorID)
				}
				return d.SkipValue()
			})
		case 4:
			return eachElem(d, func(j int) error {
				if j == 0 {
					return readInt(d, &x.level)
				}
				return d.SkipValue()
			})
		case 7:
			return readInt(d, &x.guard)
		}
		return d.SkipValue()
	})
}

// eachElem calls fn(i) for every element of the array at d; fn consumes
// the element. null is an empty array.
func eachElem(d *jsontext.Decoder, fn func(int) error) error {
	switch d.PeekKind() {
	case 'n':
		_, err := d.ReadToken()
		return err
	case '[':
	default:
		return errShape
	}
	if _, err := d.ReadToken(); err != nil {
		return err
	}
	for i := 0; d.PeekKind() != ']'; i++ {
		if err := fn(i); err != nil {
			return err
		}
	}
	_, err := d.ReadToken()
	return err
}

// readRaw hands the next value's bytes (valid until the next read) to f.
func readRaw(d *jsontext.Decoder, f func([]byte) error) error {
	v, err := d.ReadValue()
	if err != nil {
		return err
	}
	return f(v)
}

func readInt(d *jsontext.Decoder, p *int64) error {
	return readRaw(d, func(b []byte) (err error) {
		*p, err = parseInt(b)
		return err
	})
}

func readString(d *jsontext.Decoder, p *string) error {
	switch d.PeekKind() {
	case '"':
		tok, err := d.ReadToken()
		*p = tok.String()
		return err
	case 'n':
		_, err := d.ReadToken()
		return err
	}
	return errShape
}

// danmaku decodes a DANMU_MSG into a chat event.
func (d *Decoder) danmaku(info []byte) (danmu.Event, error) {
	var x danmuInfo
	if err := unmarshal(info, &x); err != nil {
		return danmu.Event{}, err
	}
	if x.n < 3 {
		return danmu.Event{}, decodeErr(ReasonBadField, errors.New("info too short"))
	}
	if err := checkText(x.text); err != nil {
		return danmu.Event{}, err
	}
	var extra struct {
		IDStr    string `json:"id_str"`
		IsMirror jbool  `json:"is_mirror"`
	}
	if x.mode.Extra != "" {
		if err := unmarshal([]byte(x.mode.Extra), &extra); err != nil {
			return danmu.Event{}, err
		}
	}
	if extra.IsMirror {
		return danmu.Event{}, ErrMirror
	}
	// Identity: the newer user object first (it has at times identified
	// senders that info[2] masked), info[2] as the fallback.
	uid, name := x.uid, x.name
	if u := x.mode.User; u != nil {
		if u.UID != 0 {
			uid = int64(u.UID)
		}
		if n := u.name(); n != "" {
			name = n
		}
	}
	medal := d.uinfoMedal(x.mode.User)
	if d.ownMedal(x.anchorID, x.anchorRoom) {
		medal = x.medal
	}
	ev := danmu.Event{
		Kind: danmu.KindChat,
		ID:   extra.IDStr,
		Time: unixMilli(x.sentMS),
		User: d.user(uid, name, x.admin, x.guard, medal, x.level),
		Text: x.text,
	}
	if ev.ID == "" && x.rnd != 0 {
		ev.ID = strconv.FormatInt(x.rnd, 10)
	}
	return ev, nil
}
