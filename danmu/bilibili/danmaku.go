package bilibili

import (
	"encoding/json"
	"errors"
	"strconv"

	"github.com/cattease/cattease/danmu"
)

// danmaku decodes the DANMU_MSG info array. Layout (reference §3.1):
// info[0] metadata (…[4] send time ms, [5] rnd, [15] {extra, user}),
// info[1] text, info[2] [uid, name, is_admin, …], info[3] medal
// [level, name, anchor name, anchor room, …, [12] anchor uid] or [],
// info[4] [user level, …], info[7] guard level.
func (d *Decoder) danmaku(info json.RawMessage) (danmu.Event, error) {
	var f []json.RawMessage
	if err := unmarshal(info, &f); err != nil {
		return danmu.Event{}, err
	}
	if len(f) < 3 {
		return danmu.Event{}, decodeErr(ReasonBadField, errors.New("info too short"))
	}
	var text string
	if err := field(f, 1, &text); err != nil {
		return danmu.Event{}, err
	}
	if err := checkText(text); err != nil {
		return danmu.Event{}, err
	}

	var (
		meta, sender, medal, ul []json.RawMessage
		guard                   jint
	)
	for _, x := range []struct {
		i int
		v any
	}{{0, &meta}, {2, &sender}, {3, &medal}, {4, &ul}, {7, &guard}} {
		if err := field(f, x.i, x.v); err != nil {
			return danmu.Event{}, err
		}
	}

	var (
		sentMS, rnd jint
		mode        struct {
			Extra string `json:"extra"`
			User  *uinfo `json:"user"`
		}
	)
	for _, x := range []struct {
		i int
		v any
	}{{4, &sentMS}, {5, &rnd}, {15, &mode}} {
		if err := field(meta, x.i, x.v); err != nil {
			return danmu.Event{}, err
		}
	}
	var extra struct {
		IDStr    string `json:"id_str"`
		IsMirror jbool  `json:"is_mirror"`
	}
	if mode.Extra != "" {
		if err := unmarshal([]byte(mode.Extra), &extra); err != nil {
			return danmu.Event{}, err
		}
	}
	if extra.IsMirror {
		return danmu.Event{}, ErrMirror
	}

	var (
		uid   jint
		admin jbool
		name  string
	)
	if err := field(sender, 0, &uid); err != nil {
		return danmu.Event{}, err
	}
	if err := field(sender, 1, &name); err != nil {
		return danmu.Event{}, err
	}
	if err := field(sender, 2, &admin); err != nil {
		return danmu.Event{}, err
	}
	// Identity: the newer user object first (it has at times identified
	// senders that info[2] masked), info[2] as the fallback.
	if u := mode.User; u != nil {
		if u.UID != 0 {
			uid = u.UID
		}
		if n := u.name(); n != "" {
			name = n
		}
	}

	var medalLevel, anchorRoom, anchorUID, level jint
	for _, x := range []struct {
		i int
		v *jint
	}{{0, &medalLevel}, {3, &anchorRoom}, {12, &anchorUID}} {
		if err := field(medal, x.i, x.v); err != nil {
			return danmu.Event{}, err
		}
	}
	if err := field(ul, 0, &level); err != nil {
		return danmu.Event{}, err
	}
	medalOwn := int64(0)
	if d.ownMedal(int64(anchorUID), int64(anchorRoom)) {
		medalOwn = int64(medalLevel)
	} else {
		medalOwn = d.uinfoMedal(mode.User)
	}

	ev := danmu.Event{
		Kind: danmu.KindChat,
		ID:   extra.IDStr,
		Time: unixMilli(int64(sentMS)),
		User: d.user(int64(uid), name, bool(admin), int64(guard), medalOwn, int64(level)),
		Text: text,
	}
	if ev.ID == "" && rnd != 0 {
		ev.ID = strconv.FormatInt(int64(rnd), 10)
	}
	return ev, nil
}
