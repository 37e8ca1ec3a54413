package room

import (
	"time"

	"github.com/cattease/cattease/danmu"
)

// Mutes are the viewers muted (禁言) until a time, by uid or, for a viewer
// named before cattease saw them, by display name. At most max are held; a
// new mute on a full table replaces the one ending soonest. Muted costs two
// map lookups, whatever the table holds.
type Mutes struct {
	max    int
	byUID  map[key]mute
	byName map[key]mute
}

type key struct{ platform, v string }

type mute struct {
	until time.Time
	label string
}

// NewMutes returns a table of at most max mutes.
func NewMutes(max int) *Mutes {
	return &Mutes{max: max, byUID: map[key]mute{}, byName: map[key]mute{}}
}

// Mute mutes t until the given time, replacing an earlier mute of t.
func (ms *Mutes) Mute(now time.Time, t Target, until time.Time) {
	tbl, k := ms.byName, key{t.Platform, t.Name}
	if t.UID != "" {
		tbl, k = ms.byUID, key{t.Platform, t.UID}
	}
	if _, ok := tbl[k]; !ok && len(ms.byUID)+len(ms.byName) >= ms.max {
		ms.prune(now)
		if len(ms.byUID)+len(ms.byName) >= ms.max {
			ms.dropSoonest()
		}
	}
	tbl[k] = mute{until, t.Label()}
}

// Unmute ends t's mute, by uid and by name; false when t was not muted.
func (ms *Mutes) Unmute(t Target) bool {
	n := len(ms.byUID) + len(ms.byName)
	if t.UID != "" {
		delete(ms.byUID, key{t.Platform, t.UID})
	}
	if t.Name != "" {
		delete(ms.byName, key{t.Platform, t.Name})
		for k, m := range ms.byUID { // muted by uid, unmuted by name
			if k.platform == t.Platform && m.label == t.Name {
				delete(ms.byUID, k)
			}
		}
	}
	return len(ms.byUID)+len(ms.byName) < n
}

// Muted reports until when the sender is muted, if they are at now.
func (ms *Mutes) Muted(now time.Time, platform string, u danmu.User) (time.Time, bool) {
	if anonymous(u) || len(ms.byUID)+len(ms.byName) == 0 {
		return time.Time{}, false
	}
	// A mute from the panel may name no platform: it holds on every one.
	for _, look := range [...]struct {
		tbl map[key]mute
		k   key
	}{{ms.byUID, key{platform, u.ID}}, {ms.byName, key{platform, u.Name}},
		{ms.byUID, key{"", u.ID}}, {ms.byName, key{"", u.Name}}} {
		m, ok := look.tbl[look.k]
		switch {
		case !ok:
		case now.Before(m.until):
			return m.until, true
		default:
			delete(look.tbl, look.k)
		}
	}
	return time.Time{}, false
}

// Len returns the mutes in force at now.
func (ms *Mutes) Len(now time.Time) int {
	ms.prune(now)
	return len(ms.byUID) + len(ms.byName)
}

func (ms *Mutes) prune(now time.Time) {
	for _, tbl := range []map[key]mute{ms.byUID, ms.byName} {
		for k, m := range tbl {
			if !now.Before(m.until) {
				delete(tbl, k)
			}
		}
	}
}

// dropSoonest removes the mute that would end first.
func (ms *Mutes) dropSoonest() {
	var tbl map[key]mute
	var best key
	var at time.Time
	for _, t := range []map[key]mute{ms.byUID, ms.byName} {
		for k, m := range t {
			if tbl == nil || m.until.Before(at) {
				tbl, best, at = t, k, m.until
			}
		}
	}
	if tbl != nil {
		delete(tbl, best)
	}
}
