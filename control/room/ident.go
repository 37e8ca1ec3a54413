package room

import (
	"errors"
	"hash/maphash"
	"strings"

	"github.com/cattease/cattease/control/internal/lru"
	"github.com/cattease/cattease/danmu"
)

// Target is a viewer a moderator or a gift singles out: by uid when it is
// known, else by display name.
type Target struct {
	Platform string
	UID      string // "" when only the name is known
	Name     string
}

// Label is how the target is shown: the name, else the uid.
func (t Target) Label() string {
	if t.Name != "" {
		return t.Name
	}
	return t.UID
}

// Is reports whether the sender u on platform is the target.
func (t Target) Is(platform string, u danmu.User) bool {
	if t.Platform != "" && platform != t.Platform {
		return false
	}
	if t.UID != "" {
		return !anonymous(u) && u.ID == t.UID
	}
	return !anonymous(u) && t.Name != "" && u.Name == t.Name
}

// TargetOf is the sender of an event as a target; ok is false for a
// sender the platform does not identify.
func TargetOf(platform string, u danmu.User) (Target, bool) {
	if anonymous(u) {
		return Target{}, false
	}
	return Target{Platform: platform, UID: u.ID, Name: u.Name}, true
}

func anonymous(u danmu.User) bool { return u.Masked || u.ID == "" || u.ID == "0" }

// Errors of Resolve.
var (
	// ErrMasked: Bilibili shows guests as "江***" with uid 0, so a name
	// with the mask stands for many viewers or for none: muting it would
	// hit other guests, or nobody.
	ErrMasked = errors.New("room: a masked guest cannot be singled out")
	ErrEmpty  = errors.New("room: no name or uid given")
)

// MaxNameLen caps a target name from chat.
const MaxNameLen = 64

// Directory remembers the viewers seen lately, so a moderator can name a
// viewer by display name and the mute follows their uid (a viewer who then
// renames stays muted). Bounded: the least recently seen are forgotten.
//
// Entries are found by a 64-bit hash of platform and name, the name kept
// in the entry and compared on every lookup: a busy room replaces the
// oldest entry on nearly every command, and a map of integers does that
// at a fraction of the cost of one keyed by two strings. Two names of one
// hash (odds of 2^-64 a pair) share a place: the later one evicts the
// earlier, as if it had aged out.
type Directory struct {
	seen *lru.Map[uint64, seenUser]
	seed maphash.Seed
}

type seenUser struct {
	platform string
	u        danmu.User
}

type dirKey struct{ platform, name string }

// NewDirectory returns a directory of at most max viewers.
func NewDirectory(max int) *Directory {
	return &Directory{seen: lru.New[uint64, seenUser](max), seed: maphash.MakeSeed()}
}

func (d *Directory) key(platform, name string) uint64 {
	return maphash.Comparable(d.seed, dirKey{platform, name})
}

// Seen records the sender of a chat event.
func (d *Directory) Seen(platform string, u danmu.User) {
	if u.Name == "" || len(u.Name) > MaxNameLen {
		return
	}
	d.seen.Put(d.key(platform, u.Name), seenUser{platform, u})
}

// lookup returns the viewer last seen under name on platform; touch makes
// them the most recent.
func (d *Directory) lookup(platform, name string, touch bool) (danmu.User, bool) {
	k := d.key(platform, name)
	e, ok := d.seen.Peek(k)
	if !ok || e.platform != platform || e.u.Name != name {
		return danmu.User{}, false
	}
	if touch {
		d.seen.Get(k)
	}
	return e.u, true
}

// Len returns how many viewers the directory holds.
func (d *Directory) Len() int { return d.seen.Len() }

// Resolve turns what a moderator typed (a uid, a name, "@name") into a
// target on platform. A name with Bilibili's mask (*) or one seen only as
// a masked guest is refused with ErrMasked.
func (d *Directory) Resolve(platform, s string) (Target, error) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "@")
	switch {
	case s == "":
		return Target{}, ErrEmpty
	case len(s) > MaxNameLen:
		return Target{}, errors.New("room: name too long")
	case strings.Contains(s, "*") || s == "0":
		return Target{}, ErrMasked
	}
	if u, ok := d.lookup(platform, s, true); ok {
		if anonymous(u) {
			return Target{}, ErrMasked
		}
		return Target{Platform: platform, UID: u.ID, Name: u.Name}, nil
	}
	if digits(s) {
		return Target{Platform: platform, UID: s}, nil
	}
	return Target{Platform: platform, Name: s}, nil
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// User returns what the directory saw of the target, if anything.
func (d *Directory) User(platform string, t Target) (danmu.User, bool) {
	if t.Name == "" {
		return danmu.User{}, false
	}
	u, ok := d.lookup(platform, t.Name, false)
	return u, ok && (t.UID == "" || u.ID == t.UID)
}

// PlatformOf returns the platform a name was last seen on ("" if unseen):
// the panel names viewers without a platform.
func (d *Directory) PlatformOf(name string) string {
	p := ""
	d.seen.Each(func(_ uint64, e seenUser) bool {
		if e.u.Name == name {
			p = e.platform
			return false
		}
		return true
	})
	return p
}
