package open

import (
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/cattease/cattease/danmu"
)

// Platform is Event.Platform: the same platform as the web source, so
// rules written for Bilibili apply to both.
const Platform = "bilibili"

// Caps on what one command may carry. Real commands are 1–2 KB and chat
// is at most ~40 characters; anything beyond these is not from the real
// server.
const (
	MaxBody = 64 << 10      // one command body
	MaxText = danmu.MaxText // any string an Event carries, in bytes
	maxIDs  = 100           // message_ids of one SUPER_CHAT_DEL
)

// The reasons a body fails to decode (counter decode_error:<reason>).
const (
	ReasonTooLarge    = "too_large"
	ReasonInvalidJSON = "invalid_json"
	ReasonBadField    = "bad_field"
	ReasonNoCmd       = "no_cmd"
	ReasonTextTooLong = "text_too_long"
)

// A DecodeError is hostile or broken input, counted as
// decode_error:<Reason>.
type DecodeError struct {
	Reason string
	Err    error
}

func (e *DecodeError) Error() string {
	if e.Err != nil {
		return "bilibili/open: decode: " + e.Reason + ": " + e.Err.Error()
	}
	return "bilibili/open: decode: " + e.Reason
}

func (e *DecodeError) Unwrap() error { return e.Err }

func decodeErr(reason string, err error) error { return &DecodeError{Reason: reason, Err: err} }

// A SkipError is a well-formed command that is not an Event here, counted
// under its Reason.
type SkipError struct{ Reason string }

func (e *SkipError) Error() string { return "bilibili/open: skipped: " + e.Reason }

var (
	// ErrUnknownCmd: a cmd this package does not know.
	ErrUnknownCmd = &SkipError{"unknown_cmd"}
	// ErrMirror: chat mirrored from another room (LIVE_OPEN_PLATFORM_DM_MIRROR
	// or a room_id that is not this room's).
	ErrMirror = &SkipError{"mirror"}
	// ErrInteractionEnd: LIVE_OPEN_PLATFORM_INTERACTION_END for this game;
	// the source starts the game again.
	ErrInteractionEnd = &SkipError{"interaction_end"}
	// ErrStaleEnd: LIVE_OPEN_PLATFORM_INTERACTION_END for another game.
	ErrStaleEnd = &SkipError{"interaction_end_other_game"}
)

// A Decoder turns one command body (the JSON of an op-5 packet) into an
// Event for one game. Safe for concurrent use.
type Decoder struct {
	RoomID       int64            // the room of the game: Event.Room
	AnchorOpenID string           // the streamer's open_id: role owner
	GameID       string           // the game whose INTERACTION_END ends us
	Now          func() time.Time // for commands without a timestamp; nil = time.Now
}

// Decode returns the Event for body, or a *DecodeError (bad input) or a
// *SkipError (not an event here).
func (d *Decoder) Decode(body []byte) (danmu.Event, error) {
	ev, _, err := d.decode(body)
	return ev, err
}

// decode is Decode that also reports an Event of a paid gift or a guard
// purchase that came without a price (CounterNoPrice).
func (d *Decoder) decode(body []byte) (danmu.Event, bool, error) {
	if len(body) > MaxBody {
		return danmu.Event{}, false, decodeErr(ReasonTooLarge, nil)
	}
	var env struct {
		Cmd  *string         `json:"cmd"`
		Data json.RawMessage `json:"data"`
	}
	if err := unmarshal(body, &env); err != nil {
		return danmu.Event{}, false, err
	}
	if env.Cmd == nil || *env.Cmd == "" {
		return danmu.Event{}, false, decodeErr(ReasonNoCmd, nil)
	}
	ev, noPrice, err := d.command(*env.Cmd, env.Data)
	if err != nil {
		return danmu.Event{}, false, err
	}
	for _, s := range []string{ev.Text, ev.ID, ev.User.ID, ev.User.Name, ev.Gift.Name} {
		if len(s) > MaxText {
			return danmu.Event{}, false, decodeErr(ReasonTextTooLong, nil)
		}
	}
	ev.Platform = Platform
	if ev.Room == "" || ev.Room == "0" {
		ev.Room = strconv.FormatInt(d.RoomID, 10)
	}
	if ev.Time.IsZero() {
		ev.Time = d.now()
	}
	return ev, noPrice, nil
}

// command decodes the data of cmd; noPrice is gift's and guard's.
func (d *Decoder) command(cmd string, data []byte) (ev danmu.Event, noPrice bool, err error) {
	switch cmd {
	case "LIVE_OPEN_PLATFORM_DM":
		ev, err = d.chat(data)
	case "LIVE_OPEN_PLATFORM_SEND_GIFT":
		return d.gift(data)
	case "LIVE_OPEN_PLATFORM_SUPER_CHAT":
		ev, err = d.superChat(data)
	case "LIVE_OPEN_PLATFORM_SUPER_CHAT_DEL":
		ev, err = d.superChatDel(data)
	case "LIVE_OPEN_PLATFORM_GUARD":
		return d.guard(data)
	case "LIVE_OPEN_PLATFORM_LIKE":
		ev, err = d.simple(data, danmu.KindLike)
	case "LIVE_OPEN_PLATFORM_LIVE_ROOM_ENTER":
		ev, err = d.simple(data, danmu.KindEnter)
	case "LIVE_OPEN_PLATFORM_LIVE_START":
		ev, err = d.simple(data, danmu.KindLive)
	case "LIVE_OPEN_PLATFORM_LIVE_END":
		ev, err = d.simple(data, danmu.KindOffline)
	case "LIVE_OPEN_PLATFORM_INTERACTION_END":
		err = d.interactionEnd(data)
	case "LIVE_OPEN_PLATFORM_DM_MIRROR":
		err = ErrMirror
	default:
		err = ErrUnknownCmd
	}
	return ev, false, err
}

func (d *Decoder) now() time.Time {
	if d.Now != nil {
		return d.Now()
	}
	return time.Now()
}

// unmarshal decodes JSON and maps failures to counted reasons.
func unmarshal(b []byte, v any) error {
	err := json.Unmarshal(b, v)
	if err == nil {
		return nil
	}
	var syn *json.SyntaxError
	if errors.As(err, &syn) || !json.Valid(b) {
		return decodeErr(ReasonInvalidJSON, err)
	}
	return decodeErr(ReasonBadField, err)
}

// sender is the user fields most commands share.
type sender struct {
	OpenID     string `json:"open_id"`
	OpenIDAlt  string `json:"openid"` // briefly used without the underscore (blivedm#64)
	UID        jint   `json:"uid"`    // deprecated, 0 since 2024-03; real in older captures
	Uname      string `json:"uname"`
	GuardLevel jint   `json:"guard_level"`
	MedalLevel jint   `json:"fans_medal_level"`
	IsAdmin    jbool  `json:"is_admin"`
	RoomID     jint   `json:"room_id"`
	Timestamp  jint   `json:"timestamp"`
	MsgID      string `json:"msg_id"`
}

func (s *sender) id() string {
	switch {
	case s.OpenID != "":
		return s.OpenID
	case s.OpenIDAlt != "":
		return s.OpenIDAlt
	case s.UID > 0:
		return strconv.FormatInt(int64(s.UID), 10)
	}
	return ""
}

// user builds the sender of an event.
func (d *Decoder) user(s *sender) danmu.User {
	id := s.id()
	u := danmu.User{
		ID:     id,
		Name:   s.Uname,
		Role:   danmu.RoleViewer,
		Guard:  guardTier(int64(s.GuardLevel)),
		Medal:  clampInt(int64(s.MedalLevel), 0, math.MaxInt32),
		Level:  danmu.LevelUnknown, // the platform sends no account level
		Masked: id == "",
	}
	switch {
	case id != "" && id == d.AnchorOpenID:
		u.Role = danmu.RoleOwner
	case bool(s.IsAdmin):
		u.Role = danmu.RoleModerator
	}
	return u
}

// checkRoom skips a command for another room (a mirror).
func (d *Decoder) checkRoom(s *sender) error {
	if d.RoomID != 0 && s.RoomID != 0 && int64(s.RoomID) != d.RoomID {
		return ErrMirror
	}
	return nil
}

// base is the Event fields every user command fills.
func (d *Decoder) base(kind danmu.Kind, s *sender) danmu.Event {
	return danmu.Event{Kind: kind, ID: s.MsgID, Time: unixSec(int64(s.Timestamp)), User: d.user(s)}
}

// guardTier converts the platform's guard_level (1 总督, 2 提督, 3 舰长)
// to danmu.User.Guard, where higher is more (1 舰长 … 3 总督).
func guardTier(level int64) int {
	if level < 1 || level > 3 {
		return 0
	}
	return int(4 - level)
}

func clampInt(v, lo, hi int64) int { return int(min(max(v, lo), hi)) }

// The window of server times taken as given, in Unix seconds: the web
// decoder's (package bilibili says why these bounds), so an event's time
// does not depend on which Bilibili source brought it.
const (
	minServerUnix = 946684800  // 2000-01-01T00:00:00Z
	maxServerUnix = 7258118400 // 2200-01-01T00:00:00Z, excluded
)

// unixSec is a server time in Unix seconds; zero (missing, so the Event
// gets the decoder's clock) outside the window. Without the upper bound
// a hostile server's year 36812 passed, and the event could not be
// written to --record (years ≤ 9999).
func unixSec(s int64) time.Time {
	if s < minServerUnix || s >= maxServerUnix {
		return time.Time{}
	}
	return time.Unix(s, 0).UTC()
}

// chat decodes LIVE_OPEN_PLATFORM_DM.
func (d *Decoder) chat(data []byte) (danmu.Event, error) {
	var m struct {
		sender
		Msg string `json:"msg"`
	}
	if err := unmarshal(data, &m); err != nil {
		return danmu.Event{}, err
	}
	if err := d.checkRoom(&m.sender); err != nil {
		return danmu.Event{}, err
	}
	ev := d.base(danmu.KindChat, &m.sender)
	ev.Text = m.Msg
	return ev, nil
}

// gift decodes LIVE_OPEN_PLATFORM_SEND_GIFT. price is per unit in gold
// (1000 = ¥1, so cents = gold / 10); only paid gifts have a value, and a
// paid one without a price (missing or 0) is worth 0 and reported as
// noPrice.
//
// A blind box (盲盒, blind_gift.status true) is valued at the revealed
// gift's price, unlike on the web source (the box price paid): the
// platform documents price and r_price both as the revealed item's value
// for a box, and blind_gift carries only the box's id, not its price.
func (d *Decoder) gift(data []byte) (danmu.Event, bool, error) {
	var g struct {
		sender
		GiftName string `json:"gift_name"`
		GiftNum  jint   `json:"gift_num"`
		Price    jint   `json:"price"`
		Paid     jbool  `json:"paid"`
	}
	if err := unmarshal(data, &g); err != nil {
		return danmu.Event{}, false, err
	}
	if err := d.checkRoom(&g.sender); err != nil {
		return danmu.Event{}, false, err
	}
	if g.GiftNum < 0 || g.Price < 0 || (g.GiftNum > 0 && int64(g.Price) > math.MaxInt64/int64(g.GiftNum)) {
		return danmu.Event{}, false, decodeErr(ReasonBadField, errors.New("gift price out of range"))
	}
	var cents int64
	if g.Paid {
		cents = int64(g.Price) * int64(g.GiftNum) / 10
	}
	ev := d.base(danmu.KindGift, &g.sender)
	ev.Gift = danmu.Gift{Name: g.GiftName, Count: clampInt(int64(g.GiftNum), 0, math.MaxInt32), ValueCents: cents}
	return ev, bool(g.Paid) && g.Price == 0, nil
}

// superChat decodes LIVE_OPEN_PLATFORM_SUPER_CHAT; rmb is in yuan.
func (d *Decoder) superChat(data []byte) (danmu.Event, error) {
	var sc struct {
		sender
		MessageID jstr   `json:"message_id"`
		Message   string `json:"message"`
		RMB       jfloat `json:"rmb"`
		StartTime jint   `json:"start_time"`
	}
	if err := unmarshal(data, &sc); err != nil {
		return danmu.Event{}, err
	}
	if err := d.checkRoom(&sc.sender); err != nil {
		return danmu.Event{}, err
	}
	if sc.RMB < 0 || sc.RMB > 1e9 {
		return danmu.Event{}, decodeErr(ReasonBadField, errors.New("rmb out of range"))
	}
	ev := d.base(danmu.KindSuperChat, &sc.sender)
	if sc.MessageID != "" {
		ev.ID = string(sc.MessageID) // what SUPER_CHAT_DEL refers to
	}
	if t := unixSec(int64(sc.StartTime)); !t.IsZero() {
		ev.Time = t
	}
	ev.Text = sc.Message
	ev.Gift = danmu.Gift{Name: "醒目留言", Count: 1, ValueCents: int64(math.Round(float64(sc.RMB) * 100))}
	return ev, nil
}

// superChatDel decodes LIVE_OPEN_PLATFORM_SUPER_CHAT_DEL as a notice
// naming the withdrawn super chats (their Event.IDs).
func (d *Decoder) superChatDel(data []byte) (danmu.Event, error) {
	var del struct {
		RoomID     jint   `json:"room_id"`
		MessageIDs []jstr `json:"message_ids"`
		MsgID      string `json:"msg_id"`
	}
	if err := unmarshal(data, &del); err != nil {
		return danmu.Event{}, err
	}
	if d.RoomID != 0 && del.RoomID != 0 && int64(del.RoomID) != d.RoomID {
		return danmu.Event{}, ErrMirror
	}
	if len(del.MessageIDs) > maxIDs {
		return danmu.Event{}, decodeErr(ReasonBadField, errors.New("too many message_ids"))
	}
	ids := make([]string, len(del.MessageIDs))
	for i, id := range del.MessageIDs {
		ids[i] = string(id)
	}
	return danmu.Event{
		Kind: danmu.KindNotice,
		ID:   del.MsgID,
		User: danmu.User{Role: danmu.RoleViewer}, // from the platform, no sender
		Text: "super chat withdrawn: " + strings.Join(ids, ","),
	}, nil
}

// guard decodes LIVE_OPEN_PLATFORM_GUARD. price is in gold per unit;
// guard_num counts months only when guard_unit is 月 (otherwise, e.g.
// "*3天", the purchase is one unit). A purchase without a price (missing
// or 0, as in the one public capture) is worth 0 and reported as noPrice:
// no list price per level is documented to fill in.
func (d *Decoder) guard(data []byte) (danmu.Event, bool, error) {
	var g struct {
		sender
		UserInfo *struct {
			OpenID    string `json:"open_id"`
			OpenIDAlt string `json:"openid"`
			UID       jint   `json:"uid"`
			Uname     string `json:"uname"`
		} `json:"user_info"`
		GuardNum  jint   `json:"guard_num"`
		GuardUnit string `json:"guard_unit"`
		Price     jint   `json:"price"`
	}
	if err := unmarshal(data, &g); err != nil {
		return danmu.Event{}, false, err
	}
	if err := d.checkRoom(&g.sender); err != nil {
		return danmu.Event{}, false, err
	}
	if ui := g.UserInfo; ui != nil {
		g.OpenID, g.OpenIDAlt, g.UID, g.Uname = ui.OpenID, ui.OpenIDAlt, ui.UID, ui.Uname
	}
	num := int64(g.GuardNum)
	if g.GuardUnit != "月" || num < 1 {
		num = 1
	}
	if g.Price < 0 || int64(g.Price) > math.MaxInt64/num {
		return danmu.Event{}, false, decodeErr(ReasonBadField, errors.New("guard price out of range"))
	}
	ev := d.base(danmu.KindGuard, &g.sender)
	ev.Gift = danmu.Gift{Name: guardName(int64(g.GuardLevel)), Count: clampInt(num, 0, math.MaxInt32), ValueCents: int64(g.Price) * num / 10}
	return ev, g.Price == 0, nil
}

func guardName(level int64) string {
	switch level {
	case 1:
		return "总督"
	case 2:
		return "提督"
	case 3:
		return "舰长"
	}
	return "大航海"
}

// simple decodes the commands whose Event is the sender plus a text:
// LIKE (like_text), LIVE_ROOM_ENTER, LIVE_START and LIVE_END (title).
func (d *Decoder) simple(data []byte, kind danmu.Kind) (danmu.Event, error) {
	var s struct {
		sender
		LikeText string `json:"like_text"`
		Title    string `json:"title"`
	}
	if err := unmarshal(data, &s); err != nil {
		return danmu.Event{}, err
	}
	if err := d.checkRoom(&s.sender); err != nil {
		return danmu.Event{}, err
	}
	ev := d.base(kind, &s.sender)
	ev.Text = s.LikeText
	if kind == danmu.KindLive || kind == danmu.KindOffline {
		ev.Text = s.Title
		ev.User = danmu.User{ID: d.AnchorOpenID, Role: danmu.RoleOwner}
	}
	return ev, nil
}

// interactionEnd reports whether INTERACTION_END is for this game: its
// data names the game as game_id (blivedm) or not at all (bianka: conn_id).
func (d *Decoder) interactionEnd(data []byte) error {
	var e struct {
		GameID string `json:"game_id"`
	}
	if len(data) > 0 {
		if err := unmarshal(data, &e); err != nil {
			return err
		}
	}
	if e.GameID != "" && d.GameID != "" && e.GameID != d.GameID {
		return ErrStaleEnd
	}
	return ErrInteractionEnd
}
