package bilibili

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"strings"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/cattease/cattease/danmu"
	"github.com/cattease/cattease/danmu/bilibili/internal/pb"
)

// Platform is Event.Platform for every event this package produces.
const Platform = "bilibili"

// MaxText caps the text of a chat or super chat, in bytes. Bilibili allows
// 20–40 characters for danmaku and about 100 for super chats; anything
// much longer is not from the real server and is dropped as
// decode_error:text_too_long.
const MaxText = 2048

// A SkipError says a command was read but is not an Event in this room. It
// is counted under its Reason, never as a decode error.
type SkipError struct{ Reason string }

func (e *SkipError) Error() string { return "bilibili: skipped: " + e.Reason }

// The reasons a well-formed command is skipped (counter names).
var (
	// ErrUnknownCmd: a cmd this package does not know.
	ErrUnknownCmd = &SkipError{"unknown_cmd"}
	// ErrIgnoredCmd: a known cmd with nothing for a controller (watched
	// counts, rank lists, duplicates of other cmds, share notices …).
	ErrIgnoredCmd = &SkipError{"ignored_cmd"}
	// ErrMirror: danmaku mirrored from another room (DANMU_MSG_MIRROR or
	// extra.is_mirror), which is not chat in this room.
	ErrMirror = &SkipError{"mirror"}
)

// ignoredCmds are known commands that carry nothing a controller acts on,
// or duplicate a command that is decoded (USER_TOAST_MSG duplicates
// GUARD_BUY, SUPER_CHAT_MESSAGE_JPN duplicates SUPER_CHAT_MESSAGE,
// SEND_GIFT_V2 duplicates SEND_GIFT, ENTRY_EFFECT duplicates INTERACT_WORD).
var ignoredCmds = map[string]bool{
	"WATCHED_CHANGE": true, "ONLINE_RANK_COUNT": true, "ONLINE_RANK_V2": true,
	"ONLINE_RANK_V3": true, "ONLINE_RANK_TOP3": true, "LIKE_INFO_V3_UPDATE": true,
	"ENTRY_EFFECT": true, "ENTRY_EFFECT_MUST_RECEIVE": true, "DM_INTERACTION": true,
	"RECALL_DANMU_MSG": true, "ROOM_BLOCK_MSG": true, "ROOM_SILENT_ON": true,
	"ROOM_SILENT_OFF": true, "SUPER_CHAT_MESSAGE_DELETE": true,
	"SUPER_CHAT_MESSAGE_JPN": true, "USER_TOAST_MSG": true, "USER_TOAST_MSG_V2": true,
	"COMBO_SEND": true, "SEND_GIFT_V2": true, "NOTICE_MSG": true,
	"STOP_LIVE_ROOM_LIST": true, "HOT_ROOM_NOTIFY": true, "POPULAR_RANK_CHANGED": true,
	"ROOM_REAL_TIME_MESSAGE_UPDATE": true, "ROOM_CHANGE": true, "WIDGET_BANNER": true,
	"HOT_RANK_CHANGED": true, "HOT_RANK_CHANGED_V2": true, "AREA_RANK_CHANGED": true,
	"PK_BATTLE_PROCESS": true, "PK_BATTLE_PROCESS_NEW": true, "COMMON_NOTICE_DANMAKU": true,
	"WIDGET_GIFT_STAR_PROCESS": true, "GUARD_HONOR_THOUSAND": true, "LIVE_INTERACTIVE_GAME": true,
	"UNIVERSAL_ASR_TEXT": true, "DANMU_AGGREGATION": true, "ANCHOR_LOT_START": true,
	"ANCHOR_LOT_END": true, "ANCHOR_LOT_AWARD": true, "SPREAD_SHOW_FEET_V2": true,
}

// A Decoder turns one command body (the JSON of an op-5 packet) into an
// Event for one room. The zero value decodes, but cannot tell the owner or
// whose medal a viewer wears. Safe for concurrent use.
type Decoder struct {
	RoomID      int64             // real room id: Event.Room, medal ownership
	StreamerUID int64             // the room owner's uid: role owner, medal ownership
	Now         func() time.Time // time for commands without a timestamp; nil = time.Now
}

// Decode returns the Event for body, or an error: a *DecodeError for bad
// input (counted decode_error:<reason>) or a *SkipError for a command that
// is not an event here.
func (d *Decoder) Decode(body []byte) (danmu.Event, error) {
	ev, _, err := d.decode(body)
	return ev, err
}

// decode is Decode that also returns the cmd (without suffix).
func (d *Decoder) decode(body []byte) (danmu.Event, string, error) {
	var env struct {
		Cmd  *string         `json:"cmd"`
		Info json.RawMessage `json:"info"`
		Data json.RawMessage `json:"data"`
	}
	if err := unmarshal(body, &env); err != nil {
		return danmu.Event{}, "", err
	}
	if env.Cmd == nil || *env.Cmd == "" {
		return danmu.Event{}, "", decodeErr(ReasonNoCmd, nil)
	}
	cmd := *env.Cmd
	if i := strings.IndexByte(cmd, ':'); i >= 0 {
		cmd = cmd[:i] // DANMU_MSG:4:0:2:2:2:0
	}
	var (
		ev  danmu.Event
		err error
	)
	switch cmd {
	case "DANMU_MSG":
		ev, err = d.danmaku(env.Info)
	case "DANMU_MSG_MIRROR":
		err = ErrMirror
	case "SEND_GIFT":
		ev, err = d.gift(env.Data)
	case "SUPER_CHAT_MESSAGE":
		ev, err = d.superChat(env.Data)
	case "GUARD_BUY":
		ev, err = d.guardBuy(env.Data)
	case "INTERACT_WORD":
		ev, err = d.interactWord(env.Data)
	case "INTERACT_WORD_V2":
		ev, err = d.interactWordV2(env.Data)
	case "LIKE_INFO_V3_CLICK":
		ev, err = d.likeClick(env.Data)
	case "LOG_IN_NOTICE":
		ev, err = d.loginNotice(env.Data)
	case "LIVE", "PREPARING", "CUT_OFF", "WARNING":
		ev, err = d.roomStatus(cmd, body)
	case "CUT_OFF_V2":
		ev, err = d.cutOffV2(env.Data)
	default:
		if ignoredCmds[cmd] {
			return danmu.Event{}, cmd, ErrIgnoredCmd
		}
		return danmu.Event{}, cmd, ErrUnknownCmd
	}
	if err != nil {
		return danmu.Event{}, cmd, err
	}
	ev.Platform = Platform
	ev.Room = strconv.FormatInt(d.RoomID, 10)
	if ev.Time.IsZero() {
		ev.Time = d.now()
	}
	return ev, cmd, nil
}

func (d *Decoder) now() time.Time {
	if d.Now != nil {
		return d.Now()
	}
	return time.Now()
}

// user builds the sender of an event. Bilibili masks guests' identities as
// uid 0 and names such as "江***" (real names never contain '*').
func (d *Decoder) user(uid int64, name string, admin bool, guard, medal, level int64) danmu.User {
	u := danmu.User{
		ID:     strconv.FormatInt(uid, 10),
		Name:   name,
		Role:   danmu.RoleViewer,
		Guard:  clampInt(guard, 0, 3),
		Medal:  clampInt(medal, 0, math.MaxInt32),
		Level:  clampInt(level, 0, math.MaxInt32),
		Masked: uid == 0 || strings.Contains(name, "*"),
	}
	switch {
	case uid != 0 && uid == d.StreamerUID:
		u.Role = danmu.RoleOwner
	case admin:
		u.Role = danmu.RoleModerator
	}
	return u
}

func clampInt(v, lo, hi int64) int {
	return int(min(max(v, lo), hi))
}

// ownMedal reports whether a medal of streamer anchorUID / room anchorRoom
// belongs to this room.
func (d *Decoder) ownMedal(anchorUID, anchorRoom int64) bool {
	return (anchorUID != 0 && anchorUID == d.StreamerUID) ||
		(anchorRoom != 0 && anchorRoom == d.RoomID)
}

// Shapes shared by several commands.

// uinfo is the newer user object (sender_uinfo, uinfo, info[0][15].user).
type uinfo struct {
	UID  jint `json:"uid"`
	Base *struct {
		Name      string `json:"name"`
		IsMystery jbool  `json:"is_mystery"`
	} `json:"base"`
	Medal *struct {
		Level jint `json:"level"`
		RUID  jint `json:"ruid"`
	} `json:"medal"`
	Guard *struct {
		Level jint `json:"level"`
	} `json:"guard"`
}

func (u *uinfo) name() string {
	if u == nil || u.Base == nil {
		return ""
	}
	return u.Base.Name
}

func (u *uinfo) mystery() bool { return u != nil && u.Base != nil && bool(u.Base.IsMystery) }

// medal returns the level of a medal in u that belongs to this room, else 0.
func (d *Decoder) uinfoMedal(u *uinfo) int64 {
	if u == nil || u.Medal == nil || !d.ownMedal(int64(u.Medal.RUID), 0) {
		return 0
	}
	return int64(u.Medal.Level)
}

// medalInfo is the older medal object (medal_info, fans_medal).
type medalInfo struct {
	Level        jint `json:"medal_level"`
	TargetID     jint `json:"target_id"` // the medal's streamer uid
	AnchorRoomID jint `json:"anchor_roomid"`
}

func (d *Decoder) medalInfoLevel(m *medalInfo) int64 {
	if m == nil || !d.ownMedal(int64(m.TargetID), int64(m.AnchorRoomID)) {
		return 0
	}
	return int64(m.Level)
}

func unixSec(s int64) time.Time {
	if s <= 0 {
		return time.Time{}
	}
	return time.Unix(s, 0).UTC()
}

func unixMilli(ms int64) time.Time {
	if ms <= 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}

func checkText(s string) error {
	if len(s) > MaxText {
		return decodeErr(ReasonTextTooLong, nil)
	}
	return nil
}

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
		uid, admin jint
		name       string
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
		User: d.user(int64(uid), name, admin != 0, int64(guard), medalOwn, int64(level)),
		Text: text,
	}
	if ev.ID == "" && rnd != 0 {
		ev.ID = strconv.FormatInt(int64(rnd), 10)
	}
	return ev, nil
}

// gift decodes SEND_GIFT. total_coin is what was paid (for a blind box the
// box price, not the revealed gift's), in gold: 1000 gold = ¥1, so
// cents = gold / 10. Silver gifts are free.
func (d *Decoder) gift(data json.RawMessage) (danmu.Event, error) {
	var g struct {
		UID        jint       `json:"uid"`
		Uname      string     `json:"uname"`
		GiftName   string     `json:"giftName"`
		Num        jint       `json:"num"`
		Price      jint       `json:"price"`
		TotalCoin  jint       `json:"total_coin"`
		CoinType   string     `json:"coin_type"`
		Timestamp  jint       `json:"timestamp"`
		TID        jstr       `json:"tid"`
		GuardLevel jint       `json:"guard_level"`
		Medal      *medalInfo `json:"medal_info"`
		Sender     *uinfo     `json:"sender_uinfo"`
	}
	if err := unmarshal(data, &g); err != nil {
		return danmu.Event{}, err
	}
	if g.Num < 0 || g.Price < 0 || g.TotalCoin < 0 {
		return danmu.Event{}, decodeErr(ReasonBadField, errors.New("negative gift"))
	}
	var cents int64
	if g.CoinType == "gold" {
		paid := int64(g.TotalCoin)
		if paid == 0 && g.Num > 0 && int64(g.Price) <= math.MaxInt64/int64(g.Num) {
			paid = int64(g.Price) * int64(g.Num)
		}
		cents = paid / 10
	}
	// The room's own medal: sender_uinfo.medal is the medal for this
	// streamer even when the sender pinned another one in medal_info.
	medal := d.uinfoMedal(g.Sender)
	if medal == 0 {
		medal = d.medalInfoLevel(g.Medal)
	}
	name := g.Uname
	if n := g.Sender.name(); n != "" {
		name = n
	}
	u := d.user(int64(g.UID), name, false, int64(g.GuardLevel), medal, 0)
	u.Masked = u.Masked || g.Sender.mystery()
	return danmu.Event{
		Kind: danmu.KindGift,
		ID:   string(g.TID),
		Time: unixSec(int64(g.Timestamp)),
		User: u,
		Gift: danmu.Gift{Name: g.GiftName, Count: clampInt(int64(g.Num), 0, math.MaxInt32), ValueCents: cents},
	}, nil
}

// superChat decodes SUPER_CHAT_MESSAGE; price is in yuan.
func (d *Decoder) superChat(data json.RawMessage) (danmu.Event, error) {
	var sc struct {
		ID        jstr   `json:"id"`
		UID       jint   `json:"uid"`
		Price     jfloat `json:"price"`
		Message   string `json:"message"`
		StartTime jint   `json:"start_time"`
		UserInfo  *struct {
			Uname      string `json:"uname"`
			GuardLevel jint   `json:"guard_level"`
			Manager    jint   `json:"manager"`
			UserLevel  jint   `json:"user_level"`
		} `json:"user_info"`
		Uinfo     *uinfo     `json:"uinfo"`
		Medal     *medalInfo `json:"medal_info"`
		IsMystery jbool      `json:"is_mystery"`
		Gift      *struct {
			Name string `json:"gift_name"`
			Num  jint   `json:"num"`
		} `json:"gift"`
	}
	if err := unmarshal(data, &sc); err != nil {
		return danmu.Event{}, err
	}
	if err := checkText(sc.Message); err != nil {
		return danmu.Event{}, err
	}
	if sc.Price < 0 || sc.Price > 1e9 {
		return danmu.Event{}, decodeErr(ReasonBadField, errors.New("price out of range"))
	}
	var (
		name                  = sc.Uinfo.name()
		guard, manager, level int64
	)
	if ui := sc.UserInfo; ui != nil {
		if name == "" {
			name = ui.Uname
		}
		guard, manager, level = int64(ui.GuardLevel), int64(ui.Manager), int64(ui.UserLevel)
	}
	medal := d.medalInfoLevel(sc.Medal)
	if medal == 0 {
		medal = d.uinfoMedal(sc.Uinfo)
	}
	u := d.user(int64(sc.UID), name, manager != 0, guard, medal, level)
	u.Masked = u.Masked || bool(sc.IsMystery) || sc.Uinfo.mystery()
	gift := danmu.Gift{Name: "醒目留言", Count: 1, ValueCents: int64(math.Round(float64(sc.Price) * 100))}
	if sc.Gift != nil && sc.Gift.Name != "" {
		gift.Name = sc.Gift.Name
	}
	return danmu.Event{
		Kind: danmu.KindSuperChat,
		ID:   string(sc.ID),
		Time: unixSec(int64(sc.StartTime)),
		User: u,
		Text: sc.Message,
		Gift: gift,
	}, nil
}

// guardBuy decodes GUARD_BUY: price is per unit, in gold.
func (d *Decoder) guardBuy(data json.RawMessage) (danmu.Event, error) {
	var g struct {
		UID        jint   `json:"uid"`
		Username   string `json:"username"`
		GuardLevel jint   `json:"guard_level"`
		Num        jint   `json:"num"`
		Price      jint   `json:"price"`
		GiftName   string `json:"gift_name"`
		StartTime  jint   `json:"start_time"`
	}
	if err := unmarshal(data, &g); err != nil {
		return danmu.Event{}, err
	}
	if g.Num < 0 || g.Price < 0 || (g.Num > 0 && int64(g.Price) > math.MaxInt64/int64(g.Num)) {
		return danmu.Event{}, decodeErr(ReasonBadField, errors.New("price out of range"))
	}
	return danmu.Event{
		Kind: danmu.KindGuard,
		Time: unixSec(int64(g.StartTime)),
		User: d.user(int64(g.UID), g.Username, false, int64(g.GuardLevel), 0, 0),
		Gift: danmu.Gift{
			Name:       g.GiftName,
			Count:      clampInt(int64(g.Num), 0, math.MaxInt32),
			ValueCents: int64(g.Price) * int64(g.Num) / 10,
		},
	}, nil
}

// interactKind maps INTERACT_WORD msg_type to a Kind; shares and unknown
// types are not events.
func interactKind(msgType int64) (danmu.Kind, bool) {
	switch msgType {
	case 1:
		return danmu.KindEnter, true
	case 2, 4, 5: // follow, special follow, mutual follow
		return danmu.KindFollow, true
	case 6:
		return danmu.KindLike, true
	}
	return "", false
}

// interactWord decodes the JSON INTERACT_WORD (enter, follow, share …).
func (d *Decoder) interactWord(data json.RawMessage) (danmu.Event, error) {
	var w struct {
		UID           jint       `json:"uid"`
		Uname         string     `json:"uname"`
		MsgType       jint       `json:"msg_type"`
		Timestamp     jint       `json:"timestamp"`
		PrivilegeType jint       `json:"privilege_type"`
		IsMystery     jbool      `json:"is_mystery"`
		Medal         *medalInfo `json:"fans_medal"`
		Uinfo         *uinfo     `json:"uinfo"`
	}
	if err := unmarshal(data, &w); err != nil {
		return danmu.Event{}, err
	}
	kind, ok := interactKind(int64(w.MsgType))
	if !ok {
		return danmu.Event{}, ErrIgnoredCmd
	}
	name := w.Uname
	if name == "" {
		name = w.Uinfo.name()
	}
	guard := int64(w.PrivilegeType)
	if guard == 0 && w.Uinfo != nil && w.Uinfo.Guard != nil {
		guard = int64(w.Uinfo.Guard.Level)
	}
	medal := d.medalInfoLevel(w.Medal)
	if medal == 0 {
		medal = d.uinfoMedal(w.Uinfo)
	}
	u := d.user(int64(w.UID), name, false, guard, medal, 0)
	u.Masked = u.Masked || bool(w.IsMystery)
	return danmu.Event{Kind: kind, Time: unixSec(int64(w.Timestamp)), User: u}, nil
}

// interactWordV2 decodes INTERACT_WORD_V2, whose data.pb is a base64
// protobuf (internal/pb/interact.proto).
func (d *Decoder) interactWordV2(data json.RawMessage) (danmu.Event, error) {
	var w struct {
		PB string `json:"pb"`
	}
	if err := unmarshal(data, &w); err != nil {
		return danmu.Event{}, err
	}
	raw, err := base64.StdEncoding.DecodeString(w.PB)
	if err != nil {
		return danmu.Event{}, decodeErr(ReasonBadProtobuf, err)
	}
	var m pb.InteractWordV2
	if err := proto.Unmarshal(raw, &m); err != nil {
		return danmu.Event{}, decodeErr(ReasonBadProtobuf, err)
	}
	kind, ok := interactKind(m.GetMsgType())
	if !ok {
		return danmu.Event{}, ErrIgnoredCmd
	}
	name := m.GetUname()
	if name == "" {
		name = m.GetUinfo().GetBase().GetName()
	}
	var medal int64
	if fm := m.GetFansMedal(); d.ownMedal(fm.GetTargetId(), fm.GetRoomId()) {
		medal = fm.GetMedalLevel()
	}
	return danmu.Event{
		Kind: kind,
		Time: unixSec(m.GetTimestamp()),
		User: d.user(m.GetUid(), name, false, m.GetPrivilegeType(), medal, 0),
	}, nil
}

// likeClick decodes LIKE_INFO_V3_CLICK: one viewer's like.
func (d *Decoder) likeClick(data json.RawMessage) (danmu.Event, error) {
	var l struct {
		UID      jint       `json:"uid"`
		Uname    string     `json:"uname"`
		LikeText string     `json:"like_text"`
		Medal    *medalInfo `json:"fans_medal"`
		Uinfo    *uinfo     `json:"uinfo"`
	}
	if err := unmarshal(data, &l); err != nil {
		return danmu.Event{}, err
	}
	if err := checkText(l.LikeText); err != nil {
		return danmu.Event{}, err
	}
	var guard int64
	if l.Uinfo != nil && l.Uinfo.Guard != nil {
		guard = int64(l.Uinfo.Guard.Level)
	}
	medal := d.medalInfoLevel(l.Medal)
	if medal == 0 {
		medal = d.uinfoMedal(l.Uinfo)
	}
	return danmu.Event{
		Kind: danmu.KindLike,
		User: d.user(int64(l.UID), l.Uname, false, guard, medal, 0),
		Text: l.LikeText,
	}, nil
}

// loginNotice decodes LOG_IN_NOTICE: the server tells a guest that names
// and uids will be masked.
func (d *Decoder) loginNotice(data json.RawMessage) (danmu.Event, error) {
	var n struct {
		Msg string `json:"notice_msg"`
	}
	if err := unmarshal(data, &n); err != nil {
		return danmu.Event{}, err
	}
	if err := checkText(n.Msg); err != nil {
		return danmu.Event{}, err
	}
	return danmu.Event{Kind: danmu.KindNotice, Text: n.Msg}, nil
}

// roomStatus decodes the commands whose fields sit at the top level: LIVE,
// PREPARING (live / offline) and CUT_OFF, WARNING (notices from the
// platform to the streamer).
func (d *Decoder) roomStatus(cmd string, body []byte) (danmu.Event, error) {
	var s struct {
		Msg      string `json:"msg"`
		LiveKey  jstr   `json:"live_key"`
		LiveTime jint   `json:"live_time"`
		SendTime jint   `json:"send_time"`
		MsgID    string `json:"msg_id"`
	}
	if err := unmarshal(body, &s); err != nil {
		return danmu.Event{}, err
	}
	if err := checkText(s.Msg); err != nil {
		return danmu.Event{}, err
	}
	ev := danmu.Event{ID: s.MsgID, Time: unixMilli(int64(s.SendTime))}
	switch cmd {
	case "LIVE":
		ev.Kind = danmu.KindLive
		ev.ID = string(s.LiveKey)
		if t := unixSec(int64(s.LiveTime)); !t.IsZero() {
			ev.Time = t
		}
	case "PREPARING":
		ev.Kind = danmu.KindOffline
	default:
		ev.Kind = danmu.KindNotice
		ev.Text = s.Msg
	}
	return ev, nil
}

// cutOffV2 decodes CUT_OFF_V2 (2024-11): the stream was cut by the
// platform; the notice text is the dialog's title and messages.
func (d *Decoder) cutOffV2(data json.RawMessage) (danmu.Event, error) {
	var c struct {
		Timestamp jint `json:"timestamp"`
		CutOff    *struct {
			Title    string `json:"cut_off_title"`
			Messages []struct {
				Label   string `json:"label"`
				Content string `json:"content"`
			} `json:"cut_off_message_list"`
		} `json:"cut_off_data"`
	}
	if err := unmarshal(data, &c); err != nil {
		return danmu.Event{}, err
	}
	var b strings.Builder
	if c.CutOff != nil {
		b.WriteString(c.CutOff.Title)
		for _, m := range c.CutOff.Messages {
			b.WriteString("; ")
			if m.Label != "" {
				b.WriteString(m.Label)
				b.WriteString(": ")
			}
			b.WriteString(m.Content)
		}
	}
	text := strings.TrimPrefix(b.String(), "; ")
	if err := checkText(text); err != nil {
		return danmu.Event{}, err
	}
	return danmu.Event{Kind: danmu.KindNotice, Time: unixSec(int64(c.Timestamp)), Text: text}, nil
}
