package douyu

import (
	"strconv"
	"strings"
	"time"

	"github.com/cattease/cattease/danmu"
)

// Platform is Event.Platform for this source.
const Platform = "douyu"

// Counter names. They are fixed: nothing from the wire ever becomes part of
// a name.
const (
	CounterDecodeErrorPrefix = "decode_error:" // + Reason(err)
	CounterUnknownCmd        = "unknown_cmd"   // a message type this package does not know
	CounterIgnoredCmd        = "ignored_cmd"   // a known type that makes no Event (rankings, broadcasts…)
	CounterOtherRoom         = "other_room"    // rid or drid of another room
	CounterRobot             = "robot_dropped" // chatmsg without dms (robot/invisible danmaku)
	CounterDuplicate         = "duplicate"     // chatmsg whose cid was already delivered
	CounterMalformed         = "malformed"     // a known type missing what it needs (no uid, bad ss…)
	CounterEvents            = "events"        // Events delivered
	CounterConnect           = "connect"       // connections that logged in
	CounterReconnect         = "reconnect"     // a connection, or the lookup of an id not yet joined, failed and is retried
	CounterDialError         = "dial_error"    // connect/handshake failures
	CounterIdleTimeout       = "idle_timeout"  // connections dropped after silence
	CounterLoginTimeout      = "login_timeout" // no loginres in time
	CounterServerError       = "server_error"  // type@=error messages
	CounterConnLost          = "conn_lost"     // established connections that ended by error
	// A message with a string beyond its cap (MaxText, MaxID).
	CounterTextTooLong = CounterDecodeErrorPrefix + "text_too_long"
	CounterIDTooLong   = CounterDecodeErrorPrefix + "id_too_long"
)

// Caps on the strings an Event carries. A packet may be 128 KiB, and every
// field of it could be that long; real ones are tiny: chat is at most a few
// dozen characters, names a few more, ids 32 hex digits (cid) or a decimal
// number (uid, gfid). A message over a cap is not from the real server (or
// was altered on the way, over a plaintext tcp:// or ws:// connection), so
// it is dropped and counted rather than cut, as the Bilibili decoders do.
const (
	// MaxText caps text and names (txt, nn, gfn), in bytes: Bilibili's cap.
	MaxText = danmu.MaxText
	// MaxID caps ids (cid, uid, gfid), in bytes. It also bounds what the
	// dedup ring keeps: 1024 ids of at most 64 bytes.
	MaxID = 64
)

// ignoredTypes are message types that are understood and deliberately not
// turned into Events (ranks, broadcasts for the whole site, room furniture).
// Anything not here and not handled is counted as unknown_cmd.
var ignoredTypes = map[string]bool{
	"upgrade": true, "rankup": true, "ranklist": true, "frank": true, "fswrank": true,
	"noble_num_info": true, "oni": true, "synexp": true, "wirt": true, "wiru": true,
	"cthn": true, "configscreen": true, "gbroadcast": true, "nlkstatus": true,
	"pandoraboxinfo": true, "tsgs": true, "tsboxb": true, "ro_game_succ": true,
	"lucky_wheel_star_pool": true, "rri": true, "qausrespond": true, "srres": true,
	"subres": true, "mapkb": true, "pdrinfo": true, "rquizisn": true, "onlinegift": true,
	"ggbb": true, "bc_buy_deserve": true, "spbc": true, "anbc": true, "rnewbc": true,
	"blab": true, "ssd": true, "comm_chatmsg": true, "newblackres": true, "blackres": true,
	"al": true, "ab": true, "rsm": true, "setmsggroup": true, "memberinfores": true,
	"msgrepeaterlist": true, "msgrepeaterproxylist": true, "keeplive": true,
	"odfbc": true, "rndfbc": true, "dfobc": true, "dfrbc": true, "loginres": true,
	"pingreq": true, "mrkl": true, "error": true,
}

// Decoder turns decoded STT messages of one room into Events. It is what
// Source uses; it is exported so recorded bodies can be replayed through the
// same rules. Not safe for concurrent use.
type Decoder struct {
	// Room is the real room id: Event.Room, and the rid a message must
	// carry (when it carries one) to count.
	Room string
	// Owner is the streamer's uid, "" when unknown: their chat gets
	// RoleOwner.
	Owner string
	// KeepRobots keeps chatmsg without dms (dropped by default).
	KeepRobots bool
	// Counters receives a count for every message that makes no Event.
	Counters *danmu.Counters
	// Now stamps Event.Time; nil means time.Now.
	Now func() time.Time

	seen dedup
}

// Decode returns the Event m stands for, or ok=false when it stands for
// none (counted in Counters with the reason).
func (d *Decoder) Decode(m Message) (ev danmu.Event, ok bool) {
	typ := m.Type()
	switch typ {
	case "chatmsg":
		return d.chat(m)
	case "dgb":
		return d.gift(m)
	case "uenter":
		return d.enter(m)
	case "rss":
		return d.liveState(m)
	}
	if ignoredTypes[typ] {
		d.Counters.Inc(CounterIgnoredCmd)
	} else {
		d.Counters.Inc(CounterUnknownCmd)
	}
	return danmu.Event{}, false
}

// thisRoom reports whether m belongs to this room: a rid, when present and
// non-empty, must equal Room.
func (d *Decoder) thisRoom(m Message) bool {
	if rid := m.Get("rid"); rid != "" && d.Room != "" && rid != d.Room {
		d.Counters.Inc(CounterOtherRoom)
		return false
	}
	return true
}

func (d *Decoder) base(kind danmu.Kind) danmu.Event {
	now := time.Now
	if d.Now != nil {
		now = d.Now
	}
	return danmu.Event{Platform: Platform, Room: d.Room, Kind: kind, Time: now()}
}

// user maps the sender fields shared by chatmsg, dgb and uenter.
func (d *Decoder) user(m Message) danmu.User {
	u := danmu.User{
		ID:    m.Get("uid"),
		Name:  m.Get("nn"),
		Role:  danmu.RoleViewer,
		Level: atoi(m.Get("level")),
		Guard: nobleGuard(m.Get("nl")),
	}
	switch {
	case d.Owner != "" && u.ID == d.Owner:
		u.Role = danmu.RoleOwner
	case m.Get("rg") == "4" || m.Get("pg") == "5":
		// rg=4 room moderator (房管), pg=5 site super admin (超管).
		u.Role = danmu.RoleModerator
	}
	// The fan badge counts only when it is this room's badge.
	if brid := m.Get("brid"); brid != "" && brid == d.Room {
		u.Medal = atoi(m.Get("bl"))
	}
	return u
}

func (d *Decoder) chat(m Message) (danmu.Event, bool) {
	if !d.thisRoom(m) {
		return danmu.Event{}, false
	}
	if _, ok := m.Lookup("dms"); !ok && !d.KeepRobots {
		d.Counters.Inc(CounterRobot)
		return danmu.Event{}, false
	}
	ev := d.base(danmu.KindChat)
	ev.User = d.user(m)
	if ev.User.ID == "" {
		d.Counters.Inc(CounterMalformed)
		return danmu.Event{}, false
	}
	ev.ID = m.Get("cid")
	ev.Text = m.Get("txt")
	// Sizes first: a message dropped for its size takes no place in the
	// dedup ring.
	if !d.sizesOK(&ev) {
		return danmu.Event{}, false
	}
	if ev.ID != "" && d.seen.seen(ev.ID) {
		d.Counters.Inc(CounterDuplicate)
		return danmu.Event{}, false
	}
	return ev, true
}

func (d *Decoder) gift(m Message) (danmu.Event, bool) {
	if !d.thisRoom(m) {
		return danmu.Event{}, false
	}
	ev := d.base(danmu.KindGift)
	ev.User = d.user(m)
	gfid := m.Get("gfid")
	if ev.User.ID == "" || gfid == "" {
		d.Counters.Inc(CounterMalformed)
		return danmu.Event{}, false
	}
	// Newer messages name the gift (gfn); older ones only give its id.
	// dgb carries no price: the value is not knowable from the message, so
	// it stays 0 rather than a guess.
	if len(gfid) > MaxID {
		d.Counters.Inc(CounterIDTooLong)
		return danmu.Event{}, false
	}
	ev.Gift.Name = m.Get("gfn")
	if ev.Gift.Name == "" {
		ev.Gift.Name = "gfid:" + gfid
	}
	if !d.sizesOK(&ev) {
		return danmu.Event{}, false
	}
	ev.Gift.Count = atoi(m.Get("gfcnt"))
	if ev.Gift.Count <= 0 {
		ev.Gift.Count = 1
	}
	return ev, true
}

func (d *Decoder) enter(m Message) (danmu.Event, bool) {
	if !d.thisRoom(m) {
		return danmu.Event{}, false
	}
	ev := d.base(danmu.KindEnter)
	ev.User = d.user(m)
	if ev.User.ID == "" {
		d.Counters.Inc(CounterMalformed)
		return danmu.Event{}, false
	}
	if !d.sizesOK(&ev) {
		return danmu.Event{}, false
	}
	return ev, true
}

func (d *Decoder) liveState(m Message) (danmu.Event, bool) {
	if !d.thisRoom(m) {
		return danmu.Event{}, false
	}
	switch m.Get("ss") {
	case "1":
		return d.base(danmu.KindLive), true
	case "0":
		return d.base(danmu.KindOffline), true
	}
	d.Counters.Inc(CounterMalformed)
	return danmu.Event{}, false
}

// sizesOK reports whether every string of ev is within its cap, and
// counts the reason when one is not.
func (d *Decoder) sizesOK(ev *danmu.Event) bool {
	switch {
	case len(ev.ID) > MaxID || len(ev.User.ID) > MaxID:
		d.Counters.Inc(CounterIDTooLong)
		return false
	case len(ev.Text) > MaxText || len(ev.User.Name) > MaxText || len(ev.Gift.Name) > MaxText:
		d.Counters.Inc(CounterTextTooLong)
		return false
	}
	return true
}

// nobleGuard maps Douyu's noble level (nl) to danmu.User.Guard, cattease's
// scale of paid membership shared with Bilibili's 大航海 (1 舰长, 2 提督,
// 3 总督; config.MaxGuard is 3). Douyu has seven tiers, numbered in the order
// they were created rather than by rank: 1 骑士, 2 子爵, 3 伯爵, 4 公爵, 5 国王,
// 6 皇帝, and 7 游侠, added later as the cheapest entry tier below 骑士. They
// fold into three, so that a rule for the top tier admits only 国王 and 皇帝:
//
//	游侠, 骑士, 子爵 → 1    伯爵, 公爵 → 2    国王, 皇帝 → 3
//
// Any other positive number (captures show nl=9; Douyu adds tiers) is a
// noble of a tier not known here: 1, the lowest rights, never the top. 0,
// an absent field and anything that is not a plain decimal number are 0.
func nobleGuard(nl string) int {
	switch nl {
	case "1", "2", "7":
		return 1
	case "3", "4":
		return 2
	case "5", "6":
		return 3
	}
	if strings.Trim(nl, "0123456789") == "" && strings.Trim(nl, "0") != "" {
		return 1
	}
	return 0
}

// atoi parses a small non-negative decimal, 0 for anything else.
func atoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0
	}
	return n
}

// dedup remembers the last dedupSize chat ids.
const dedupSize = 1024

type dedup struct {
	ring [dedupSize]string
	next int
	set  map[string]struct{}
}

// seen reports whether id was seen recently, and remembers it.
func (d *dedup) seen(id string) bool {
	if d.set == nil {
		d.set = make(map[string]struct{}, dedupSize)
	}
	if _, ok := d.set[id]; ok {
		return true
	}
	if old := d.ring[d.next]; old != "" {
		delete(d.set, old)
	}
	id = strings.Clone(id) // do not pin the whole packet
	d.ring[d.next] = id
	d.next = (d.next + 1) % dedupSize
	d.set[id] = struct{}{}
	return false
}
