package room

import (
	"container/heap"
	"time"

	"github.com/cattease/cattease/danmu"
)

// Mutes are the viewers muted (禁言) until a time, by uid or, for a viewer
// named before cattease saw them, by display name. At most max are held;
// a new mute on a full table replaces the one ending soonest. Muted costs
// two map lookups and Mute a heap operation, whatever the table holds.
type Mutes struct {
	max    int
	byUID  map[key]*mute
	byName map[key]*mute
	ends   endHeap // every mute, soonest end first
}

type key struct{ platform, v string }

type mute struct {
	k     key
	byUID bool
	until time.Time
	label string
	at    int // index in ends
}

// NewMutes returns a table of at most max mutes.
func NewMutes(max int) *Mutes {
	return &Mutes{max: max, byUID: map[key]*mute{}, byName: map[key]*mute{}}
}

func (ms *Mutes) table(byUID bool) map[key]*mute {
	if byUID {
		return ms.byUID
	}
	return ms.byName
}

// Mute mutes t until the given time, replacing an earlier mute of t.
func (ms *Mutes) Mute(now time.Time, t Target, until time.Time) {
	ms.prune(now)
	m := &mute{k: key{t.Platform, t.Name}, byUID: t.UID != "", until: until, label: t.Label()}
	if m.byUID {
		m.k.v = t.UID
	}
	if old, ok := ms.table(m.byUID)[m.k]; ok {
		ms.remove(old)
	} else if len(ms.ends) >= ms.max {
		ms.remove(ms.ends[0])
	}
	ms.table(m.byUID)[m.k] = m
	heap.Push(&ms.ends, m)
}

// Resize bounds the table to max mutes (a reload changed
// moderation.max_timeouts): those ended by now are forgotten, then, while
// too many are left, the ones ending soonest, as a new mute on a full
// table replaces them.
func (ms *Mutes) Resize(now time.Time, max int) {
	ms.max = max
	ms.prune(now)
	for len(ms.ends) > max {
		ms.remove(ms.ends[0])
	}
}

// Unmute ends t's mute, by uid and by name; false when t was not muted.
// A moderator's unmute (t on a platform) lifts the mutes of t on that
// platform and those that name no platform (the panel's, held on every
// one): what a mute from the panel holds, chat can lift. The panel's
// (t on no platform: the owner, who sees every mute) lifts those of t on
// every platform, by uid and by name or the name shown.
func (ms *Mutes) Unmute(t Target) bool {
	n := len(ms.ends)
	for _, p := range [...]string{t.Platform, ""} {
		if m, ok := ms.byUID[key{p, t.UID}]; ok && t.UID != "" {
			ms.remove(m)
		}
		if m, ok := ms.byName[key{p, t.Name}]; ok && t.Name != "" {
			ms.remove(m)
		}
	}
	if t.Platform == "" {
		ms.unmuteEverywhere(t)
	} else if t.Name != "" {
		for _, m := range ms.byUID { // muted by uid, unmuted by name
			if (m.k.platform == t.Platform || m.k.platform == "") && m.label == t.Name {
				ms.remove(m)
			}
		}
	}
	return len(ms.ends) < n
}

// unmuteEverywhere lifts the mutes of t on every platform: by its uid,
// by its name, and those by uid shown under its name. A walk of the
// table, for a command from the panel, not for every message.
func (ms *Mutes) unmuteEverywhere(t Target) {
	for _, m := range ms.byUID {
		if (t.UID != "" && m.k.v == t.UID) || (t.Name != "" && m.label == t.Name) {
			ms.remove(m)
		}
	}
	for _, m := range ms.byName {
		if t.Name != "" && m.k.v == t.Name {
			ms.remove(m)
		}
	}
}

// Muted reports until when the sender is muted, if they are at now.
func (ms *Mutes) Muted(now time.Time, platform string, u danmu.User) (time.Time, bool) {
	if anonymous(u) || len(ms.ends) == 0 {
		return time.Time{}, false
	}
	// A mute from the panel may name no platform: it holds on every one.
	for _, look := range [...]struct {
		tbl map[key]*mute
		k   key
	}{{ms.byUID, key{platform, u.ID}}, {ms.byName, key{platform, u.Name}},
		{ms.byUID, key{"", u.ID}}, {ms.byName, key{"", u.Name}}} {
		if m, ok := look.tbl[look.k]; ok && now.Before(m.until) {
			return m.until, true
		}
	}
	return time.Time{}, false
}

// Len returns the mutes in force at now.
func (ms *Mutes) Len(now time.Time) int {
	ms.prune(now)
	return len(ms.ends)
}

// prune forgets the mutes that have ended by now, soonest first.
func (ms *Mutes) prune(now time.Time) {
	for len(ms.ends) > 0 && !now.Before(ms.ends[0].until) {
		ms.remove(ms.ends[0])
	}
}

func (ms *Mutes) remove(m *mute) {
	delete(ms.table(m.byUID), m.k)
	heap.Remove(&ms.ends, m.at)
}

// endHeap orders mutes by when they end.
type endHeap []*mute

func (h endHeap) Len() int           { return len(h) }
func (h endHeap) Less(i, j int) bool { return h[i].until.Before(h[j].until) }
func (h endHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].at, h[j].at = i, j
}
func (h *endHeap) Push(x any) {
	m := x.(*mute)
	m.at = len(*h)
	*h = append(*h, m)
}
func (h *endHeap) Pop() any {
	old := *h
	m := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	return m
}
