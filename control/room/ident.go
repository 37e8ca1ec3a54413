package room

import (
	"errors"
	"hash/maphash"
	"strings"
	"unicode"
	"unicode/utf8"

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
	// ErrAmbiguous: the name typed is nobody's as it stands, and cleaned
	// (invisible characters dropped, full-width folded) it is the name of
	// two viewers or more: which one was meant is not for a guess.
	ErrAmbiguous = errors.New("room: several viewers seen lately go by that name")
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
	// unplain holds the keys of the names seen that CleanName changes
	// (invisible characters, full-width letters: few), so that a
	// moderator's cleaned lookup compares those and finds a plain name by
	// its hash, rather than walking the directory. Keys whose entry has
	// gone are dropped when met, and all at once when they outnumber the
	// directory.
	unplain map[uint64]struct{}
	max     int
}

type seenUser struct {
	platform string
	u        danmu.User
	plain    bool // the name is its own CleanName: a moderator's cleaned lookup compares it as it is
}

type dirKey struct{ platform, name string }

// NewDirectory returns a directory of at most max viewers.
func NewDirectory(max int) *Directory {
	return &Directory{seen: lru.New[uint64, seenUser](max), seed: maphash.MakeSeed(), unplain: map[uint64]struct{}{}, max: max}
}

func (d *Directory) key(platform, name string) uint64 {
	return maphash.Comparable(d.seed, dirKey{platform, name})
}

// Seen records the sender of a chat event.
func (d *Directory) Seen(platform string, u danmu.User) {
	if u.Name == "" || len(u.Name) > MaxNameLen {
		return
	}
	k, plain := d.key(platform, u.Name), plainName(u.Name)
	d.seen.Put(k, seenUser{platform, u, plain})
	if !plain {
		d.unplain[k] = struct{}{}
		if len(d.unplain) > 2*max(d.max, 1) {
			d.pruneUnplain()
		}
	}
}

// pruneUnplain drops the keys of names no longer in the directory.
func (d *Directory) pruneUnplain() {
	for k := range d.unplain {
		if e, ok := d.seen.Peek(k); !ok || e.plain {
			delete(d.unplain, k)
		}
	}
}

// plainName reports whether CleanName leaves name as it is, cheaply (it
// runs for every chat message): no space at either end, nothing invisible,
// nothing that folds. CJK ideographs and printable ASCII, most names,
// need no table.
func plainName(name string) bool {
	if strings.TrimSpace(name) != name || match.Visible(name) != name {
		return false
	}
	for _, r := range name {
		if r >= utf8.RuneSelf && (r < 0x4e00 || r > 0x9fff) && folds(r) {
			return false
		}
	}
	return true
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
// target on platform. The directory holds names exactly as sent, and a
// mute or a 包场 by name compares them exactly, so a name is first looked
// up as typed: spaces trimmed, an @ or ＠ before it taken off, nothing
// else changed (捣蛋ㅤ鬼, with a Hangul filler, is not 捣蛋鬼; 小猫❤️ keeps
// its variation selector). Only when nobody seen lately has that name is
// it compared cleaned as chat is matched (invisible characters dropped,
// full-width letters and digits folded) with the names seen, also
// cleaned: a single viewer found so is the one meant (ｕ７ or u7 pasted
// with a zero-width space is u7), two or more are ErrAmbiguous rather
// than a guess. A uid (digits) is the viewer seen under it, if any. A
// name nobody seen lately has is taken as typed, not folded, with only
// the invisible formatting characters around it (a zero-width space
// pasted after it) trimmed.
//
// A name with Bilibili's mask (*) or one seen only as a masked guest is
// refused with ErrMasked, and an unseen name holding a space with
// ErrUnknown.
func (d *Directory) Resolve(platform, s string) (Target, error) {
	typed := typedName(s)
	clean := CleanName(typed)
	switch {
	case typed == "":
		return Target{}, ErrEmpty
	case len(clean) > MaxNameLen:
		return Target{}, errName
	case strings.Contains(typed, "*") || strings.Contains(clean, "*") || clean == "0":
		return Target{}, ErrMasked
	}
	u, ok, err := d.find(platform, typed, clean)
	switch {
	case err != nil:
		return Target{}, err
	case ok && anonymous(u):
		return Target{}, ErrMasked
	case ok:
		return Target{Platform: platform, UID: u.ID, Name: u.Name}, nil
	case digits(clean):
		// A uid: the viewer seen under it, if any, names it (and says
		// whether a moderator is being named).
		if u, ok := d.byUID(platform, clean); ok {
			return Target{Platform: platform, UID: u.ID, Name: u.Name}, nil
		}
	}
	name := strings.TrimFunc(typed, unseenEdge)
	switch {
	case name == "":
		return Target{}, ErrEmpty
	case len(name) > MaxNameLen:
		return Target{}, errName
	case digits(name):
		return Target{Platform: platform, UID: name}, nil
	case strings.ContainsFunc(name, unicode.IsSpace):
		return Target{}, ErrUnknown
	}
	return Target{Platform: platform, Name: name}, nil
}

var errName = errors.New("room: name too long")

// find returns the viewer seen lately on platform under the name typed,
// else the one whose name cleaned is clean; ErrAmbiguous when several
// viewers share that cleaned name. The viewer found becomes the most
// recent.
func (d *Directory) find(platform, typed, clean string) (danmu.User, bool, error) {
	if u, ok := d.lookup(platform, typed, true); ok {
		return u, true, nil
	}
	if clean == "" { // nothing visible to compare
		return danmu.User{}, false, nil
	}
	var found danmu.User
	n := 0
	add := func(u danmu.User) {
		switch {
		case n == 0:
			found, n = u, 1
		case anonymous(u) || anonymous(found) || u.ID != found.ID:
			n = 2 // two viewers (one viewer under two names is one)
		}
	}
	if u, ok := d.lookup(platform, clean, false); ok { // a plain name is its own cleaned form
		add(u)
	}
	for k := range d.unplain {
		e, ok := d.seen.Peek(k)
		switch {
		case !ok || e.plain:
			delete(d.unplain, k) // gone from the directory
		case e.platform == platform && CleanName(e.u.Name) == clean:
			add(e.u)
		}
	}
	switch n {
	case 0:
		return danmu.User{}, false, nil
	case 1:
		d.lookup(platform, found.Name, true)
		return found, true, nil
	}
	return danmu.User{}, false, ErrAmbiguous
}

// typedName is a name as a moderator typed it: spaces trimmed, an @ or ＠
// before it taken off.
func typedName(s string) string {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(strings.TrimPrefix(s, "@"), "＠")
	return strings.TrimSpace(s)
}

// CleanName is a name cleaned as chat is matched: invisible characters
// dropped (zero-width spaces, variation selectors, Hangul fillers),
// full-width letters and digits folded, spaces trimmed. Two names of one
// cleaned form look alike; they are not the same name.
func CleanName(s string) string {
	s = match.Visible(s)
	if strings.ContainsFunc(s, folds) { // most names fold to themselves: no transform, no copy
		s = width.Fold.String(s)
	}
	return strings.TrimSpace(s)
}

// folds reports whether width folding changes r (ｕ to u, ｶ to カ).
func folds(r rune) bool {
	return r >= utf8.RuneSelf && width.LookupRune(r).Folded() != 0
}

// unseenEdge reports the characters trimmed off a name nobody seen has:
// spaces and invisible formatting or control characters (a zero-width
// space, a word joiner, a bidi mark) pasted around it. Variation
// selectors and Hangul fillers, which names hold, are kept.
func unseenEdge(r rune) bool {
	return unicode.IsSpace(r) || unicode.IsControl(r) || unicode.Is(unicode.Cf, r)
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

// PlatformOf returns the platform a name (typed as Resolve takes it) was
// last seen on ("" if unseen): the panel names viewers without a
// platform. The name as typed is looked for first, then its cleaned form,
// then, for digits, the uid: a uid seen on one platform is on that one,
// and one seen on several, like one unseen, is "" (on no platform known).
func (d *Directory) PlatformOf(name string) string {
	typed := typedName(name)
	clean := CleanName(typed)
	exact, cleaned, uid := "", "", ""
	uids, isUID := 0, digits(clean) // uids: the platforms uid clean was seen on, counted to 2
	d.seen.Each(func(_ uint64, e seenUser) bool {
		switch {
		case e.u.Name == typed:
			exact = e.platform
			return false
		case cleaned == "" && clean != "" && CleanName(e.u.Name) == clean:
			cleaned = e.platform
		case isUID && e.u.ID == clean && !anonymous(e.u) && (uids == 0 || uids == 1 && e.platform != uid):
			uid, uids = e.platform, uids+1
		}
		return true
	})
	switch {
	case exact != "":
		return exact
	case cleaned != "":
		return cleaned
	case uids == 1:
		return uid
	}
	return ""
}
