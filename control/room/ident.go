package room

import (
	"errors"
	"hash/maphash"
	"strings"
	"unicode"

	"golang.org/x/text/width"

	"github.com/cattease/cattease/control/internal/lru"
	"github.com/cattease/cattease/control/match"
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
	// ErrUnknown: a name with a space in it that no viewer seen lately
	// has. Display names hold no spaces, so it is more likely words
	// glued onto a name than a viewer not seen yet.
	ErrUnknown = errors.New("room: no viewer of that name seen lately")
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
// target on platform, cleaned as chat is matched: invisible characters
// dropped, an @ or ＠ before it taken off. A name is looked up as typed,
// then with full-width letters and digits folded (ｕ７ is u7: an input
// method's full-width mode); one not seen lately is taken folded. A name
// with Bilibili's mask (*) or one seen only as a masked guest is refused
// with ErrMasked, and an unseen name holding a space with ErrUnknown.
func (d *Directory) Resolve(platform, s string) (Target, error) {
	typed, folded := CleanName(s)
	switch {
	case folded == "":
		return Target{}, ErrEmpty
	case len(folded) > MaxNameLen:
		return Target{}, errors.New("room: name too long")
	case strings.Contains(folded, "*") || folded == "0":
		return Target{}, ErrMasked
	}
	for _, name := range [...]string{typed, folded} {
		if u, ok := d.lookup(platform, name, true); ok {
			if anonymous(u) {
				return Target{}, ErrMasked
			}
			return Target{Platform: platform, UID: u.ID, Name: u.Name}, nil
		}
	}
	switch {
	case digits(folded):
		// A uid: the viewer seen under it, if any, names it (and says
		// whether a moderator is being named).
		if u, ok := d.byUID(platform, folded); ok {
			return Target{Platform: platform, UID: u.ID, Name: u.Name}, nil
		}
		return Target{Platform: platform, UID: folded}, nil
	case strings.ContainsFunc(folded, unicode.IsSpace):
		return Target{}, ErrUnknown
	}
	return Target{Platform: platform, Name: folded}, nil
}

// CleanName cleans a name a moderator typed: invisible characters
// dropped, spaces trimmed, an @ or ＠ before it taken off. It returns the
// name as typed otherwise, and with its width folded (full-width ASCII to
// ASCII).
func CleanName(s string) (typed, folded string) {
	clean := func(s string) string {
		s = strings.TrimSpace(s)
		s = strings.TrimPrefix(strings.TrimPrefix(s, "@"), "＠")
		return strings.TrimSpace(s)
	}
	typed = clean(match.Visible(s))
	return typed, clean(width.Fold.String(typed))
}

// byUID returns the viewer seen lately under uid on platform: a walk of
// the directory, for a moderator's command, not for every message.
func (d *Directory) byUID(platform, uid string) (danmu.User, bool) {
	var found danmu.User
	ok := false
	d.seen.Each(func(_ uint64, e seenUser) bool {
		if e.platform == platform && e.u.ID == uid && !anonymous(e.u) {
			found, ok = e.u, true
			return false
		}
		return true
	})
	return found, ok
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

// PlatformOf returns the platform a name (cleaned as Resolve cleans it)
// was last seen on ("" if unseen): the panel names viewers without a
// platform.
func (d *Directory) PlatformOf(name string) string {
	typed, folded := CleanName(name)
	p := ""
	d.seen.Each(func(_ uint64, e seenUser) bool {
		if e.u.Name == typed || e.u.Name == folded {
			p = e.platform
			return false
		}
		return true
	})
	return p
}
