package bilibili

import (
	"github.com/go-json-experiment/json/jsontext"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/cattease/cattease/danmu"
)

// Platform is Event.Platform for every event this package produces.
const Platform = "bilibili"

// MaxText caps the text of a chat or super chat, in bytes (danmu.MaxText).
// Bilibili allows 20–40 characters for danmaku and about 100 for super
// chats; anything much longer is dropped as decode_error:text_too_long.
const MaxText = danmu.MaxText

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
	RoomID      int64            // real room id: Event.Room, medal ownership
	StreamerUID int64            // the room owner's uid: role owner, medal ownership
	Now         func() time.Time // time for commands without a timestamp; nil = time.Now
}

// Decode returns the Event for body, or an error: a *DecodeError for bad
// input (counted decode_error:<reason>) or a *SkipError for a command that
// is not an event here.
func (d *Decoder) Decode(body []byte) (danmu.Event, error) {
	ev, _, err := d.decode(body)
	return ev, err
}

// decode is Decode that also returns the cmd (without suffix). DANMU_MSG
// of the usual shapes takes the fast path (fast.go); everything else, and
// whatever the fast path is unsure of, the general decoder.
func (d *Decoder) decode(body []byte) (danmu.Event, string, error) {
	if ev, ok := d.fastDanmaku(body); ok {
		return ev, "DANMU_MSG", nil
	}
	return d.decodeGeneral(body)
}

// decodeGeneral is the general decoder: json v2 for the envelope and every
// command. It is the reference the DANMU_MSG fast path is tested against.
func (d *Decoder) decodeGeneral(body []byte) (danmu.Event, string, error) {
	var env struct {
		Cmd  *string        `json:"cmd"`
		Info jsontext.Value `json:"info"`
		Data jsontext.Value `json:"data"`
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
	// Every string an Event carries is bounded, not only chat text.
	for _, s := range []string{ev.Text, ev.ID, ev.User.Name, ev.Gift.Name} {
		if err := checkText(s); err != nil {
			return danmu.Event{}, cmd, err
		}
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
	return d.userID(strconv.FormatInt(uid, 10), uid, name, admin, guard, medal, level)
}

// userID is user with the uid's decimal form already made.
func (d *Decoder) userID(id string, uid int64, name string, admin bool, guard, medal, level int64) danmu.User {
	u := danmu.User{
		ID:     id,
		Name:   name,
		Role:   danmu.RoleViewer,
		Guard:  guardTier(guard),
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

// guardTier converts Bilibili's guard_level (1 总督, 2 提督, 3 舰长) to
// danmu.User.Guard, where higher is more (1 舰长 … 3 总督).
func guardTier(level int64) int {
	if level < 1 || level > 3 {
		return 0
	}
	return int(4 - level)
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

// The window of server times taken as given: from 2000-01-01 (before
// either Bilibili protocol existed) to 2200-01-01 UTC, in Unix seconds.
// Anything outside is not a time a real server sends (a hostile one, or a
// unit mix-up: seconds read as milliseconds land in January 1970,
// milliseconds read as seconds tens of thousands of years ahead) and is
// treated as missing, so the Event gets the decoder's clock instead. The
// window is absolute, not relative to the decoder's clock, because a Pi
// without a real-time clock may run with a wrong one until NTP has set it,
// and then the server's time is the better of the two. Its width keeps
// every Event recordable (--record writes years up to 9999 only) and keeps
// the difference of any two server times within a time.Duration (about 292
// years), which replay's virtual clock takes. The open platform decoder
// (open.Decoder) uses the same window.
const (
	minServerUnix = 946684800  // 2000-01-01T00:00:00Z
	maxServerUnix = 7258118400 // 2200-01-01T00:00:00Z, excluded
)

// unixSec is a server time in Unix seconds; zero (missing) outside the
// window.
func unixSec(s int64) time.Time {
	if s < minServerUnix || s >= maxServerUnix {
		return time.Time{}
	}
	return time.Unix(s, 0).UTC()
}

// unixMilli is a server time in Unix milliseconds; zero (missing) outside
// the window. The DANMU_MSG fast path takes its time from here too, so the
// two decoders cannot disagree on it.
func unixMilli(ms int64) time.Time {
	if ms < minServerUnix*1000 || ms >= maxServerUnix*1000 {
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
