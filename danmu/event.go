package danmu

import (
	"context"
	"time"
)

// Kind says what happened in the room.
type Kind string

// The kinds of Event. Only KindChat carries a command a viewer typed; the
// others are context (gifts, entries, the room going live or offline).
// MaxText caps every text an Event carries (chat, names, gift names), in
// bytes: real chat is tens of characters, so a longer one is not from a
// real server, and each source drops and counts it (text_too_long) rather
// than cut it.
const MaxText = 2048

const (
	KindChat      Kind = "chat"
	KindGift      Kind = "gift"
	KindSuperChat Kind = "superchat"
	KindGuard     Kind = "guard"
	KindEnter     Kind = "enter"
	KindFollow    Kind = "follow"
	KindLike      Kind = "like"
	KindLive      Kind = "live"
	KindOffline   Kind = "offline"
	KindNotice    Kind = "notice"
)

// Kinds lists every valid Kind, in documentation order.
var Kinds = []Kind{KindChat, KindGift, KindSuperChat, KindGuard, KindEnter,
	KindFollow, KindLike, KindLive, KindOffline, KindNotice}

// Valid reports whether k is one of the documented kinds.
func (k Kind) Valid() bool {
	for _, v := range Kinds {
		if k == v {
			return true
		}
	}
	return false
}

// Role is a sender's standing in the room.
type Role string

// The roles, from least to most trusted.
const (
	RoleViewer    Role = "viewer"
	RoleModerator Role = "moderator"
	RoleOwner     Role = "owner"
)

// Valid reports whether r is one of the documented roles.
func (r Role) Valid() bool {
	return r == RoleViewer || r == RoleModerator || r == RoleOwner
}

// Rank orders roles: viewer 0, moderator 1, owner 2; anything else is -1.
func (r Role) Rank() int {
	switch r {
	case RoleViewer:
		return 0
	case RoleModerator:
		return 1
	case RoleOwner:
		return 2
	}
	return -1
}

// User identifies the sender of an Event as the platform reported it.
type User struct {
	// ID is the platform's user id as decimal text (Bilibili uids exceed
	// 2^53, so they are never float64). "0" or "" means unknown.
	ID   string `json:"id"`
	Name string `json:"name"`
	Role Role   `json:"role"`
	// Guard is the paid membership tier in this room, higher is more:
	// Bilibili 大航海 1 舰长, 2 提督, 3 总督 (the reverse of Bilibili's own
	// guard_level numbering, so that "guard ≥ N" reads naturally); Douyu
	// 贵族 folded onto the same three: 1 游侠, 骑士, 子爵 (and tiers not
	// known), 2 伯爵, 公爵, 3 国王, 皇帝; 0 for none.
	Guard int `json:"guard"`
	// Medal is the fan-medal level, counted only when the medal belongs to
	// this room's streamer; 0 otherwise.
	Medal int `json:"medal"`
	// Level is the platform account level. A source that never carries
	// it (the Bilibili Open Platform) says LevelUnknown: 0 is a real
	// level on Bilibili's web, so a missing level is not written as 0.
	// Bilibili's web gifts and guard purchases, which leave it out, are
	// the one exception: there it is 0.
	Level int `json:"level"`
	// Masked is true when the platform hid the sender's identity (Bilibili
	// shows guests "江***" and uid 0).
	Masked bool `json:"masked"`
}

// LevelUnknown is User.Level from a source that does not carry the
// account level: nobody can be judged by a level it never saw.
const LevelUnknown = -1

// Gift describes what a gift, super chat or guard purchase was worth.
type Gift struct {
	Name  string `json:"name"`
	Count int    `json:"count"`
	// ValueCents is what the viewer paid, in CNY cents; 0 for free gifts.
	ValueCents int64 `json:"value_cents"`
}

// Event is one thing that happened in a live room. It is a plain value: it
// holds no pointers into decoder buffers and is safe to copy and keep.
//
// Its JSON form is the format of --record files and of replay input.
type Event struct {
	Platform string    `json:"platform"`
	Room     string    `json:"room"`
	Kind     Kind      `json:"kind"`
	ID       string    `json:"id"`
	Time     time.Time `json:"time"`
	User     User      `json:"user"`
	Text     string    `json:"text"`
	Gift     Gift      `json:"gift"`
}

// Source produces Events from one live room or local input.
type Source interface {
	// Stream hands events to emit until ctx is done or the source fails
	// for good: in order, one batch per frame or read (never empty), one
	// call at a time. emit may use a batch only until it returns: the
	// source reuses the slice for its next batch, so emit copies what it
	// keeps (the events themselves are plain values, safe to keep). It may
	// block, which holds the source back, and returns an error only once
	// ctx is done. Stream returns after all its goroutines exit; on
	// cancellation it returns ctx.Err().
	Stream(ctx context.Context, emit func([]Event) error) error
}

// Forward is an emit for Source.Stream that sends each event of a batch on
// out, in order, and returns ctx.Err() if ctx ends first. The sources'
// Run methods use it for callers who want one event at a time.
func Forward(ctx context.Context, out chan<- Event) func([]Event) error {
	return func(evs []Event) error {
		for _, ev := range evs {
			select {
			case out <- ev:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		return nil
	}
}

// Batch gathers the events of one frame or read for a Source's emit. It
// hands emit the same slice every time, emptied: a busy room's frames
// then allocate nothing here, where a new slice a frame was 200 bytes a
// message for the garbage collector.
type Batch struct {
	evs []Event
}

// maxKeptBatch is the most events whose slice a Batch keeps for the next
// frame; a rare bigger one is let go.
const maxKeptBatch = 1024

// Add appends ev to the batch being gathered.
func (b *Batch) Add(ev Event) { b.evs = append(b.evs, ev) }

// Flush hands the gathered events to emit, which may use them only until
// it returns, and returns how many there were; with none it does nothing.
func (b *Batch) Flush(emit func([]Event) error) (int, error) {
	evs := b.evs
	if len(evs) == 0 {
		return 0, nil
	}
	err := emit(evs)
	clear(evs) // drop the strings, which emit has used or copied
	b.evs = evs[:0]
	if cap(evs) > maxKeptBatch {
		b.evs = nil
	}
	return len(evs), err
}
