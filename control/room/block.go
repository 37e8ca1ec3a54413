package room

import (
	"bytes"
	"strings"

	"github.com/cattease/cattease/control/config"
	"github.com/cattease/cattease/control/match"
	"github.com/cattease/cattease/danmu"
)

// Blocklist holds the users and words of rules.yaml's moderation section.
// A user entry is for every platform, or for one when it names it
// ("bilibili:12345678"). An entry of digits is a uid, never a display
// name; any other entry is a display name, or a uid that is not digits
// (the Bilibili Open Platform's open_id). A uid and a name are looked up
// apart, so a uid entry does not block a viewer who takes it as a name.
type Blocklist struct {
	uids  map[key]bool // by platform ("" = every one) and uid
	names map[key]bool // by platform and display name
	words [][]byte     // normalized
	norm  match.Normalizer
}

// MaxWordText is how much of a message the blocked words are looked for
// in: far more than either platform lets a viewer send, and a bound on
// what a hostile message costs.
const MaxWordText = 1024

// NewBlocklist builds a blocklist; words are normalized as commands are
// (case, full-width letters, zero-width characters). A user entry naming
// a platform config does not know (check refuses it) is taken whole, as
// a name or uid for every platform.
func NewBlocklist(users, words []string) *Blocklist {
	b := &Blocklist{uids: map[key]bool{}, names: map[key]bool{}}
	for _, u := range users {
		u = strings.TrimSpace(u)
		p, v, ok := config.SplitPlatform(u)
		if !ok {
			p, v = "", u
		}
		b.uids[key{p, v}] = true
		if !digits(v) {
			b.names[key{p, v}] = true
		}
	}
	for _, w := range words {
		if n := match.Normalize(w); n != "" {
			b.words = append(b.words, []byte(n))
		}
	}
	return b
}

// User reports whether the sender on platform is blocked, by uid or by
// name, by an entry for every platform or for theirs.
func (b *Blocklist) User(platform string, u danmu.User) bool {
	if !anonymous(u) && len(b.uids) > 0 && (b.uids[key{"", u.ID}] || b.uids[key{platform, u.ID}]) {
		return true
	}
	return u.Name != "" && len(b.names) > 0 && (b.names[key{"", u.Name}] || b.names[key{platform, u.Name}])
}

// Word reports whether the first MaxWordText bytes of text hold a blocked
// word. Not safe for concurrent use (the engine calls it under its lock).
func (b *Blocklist) Word(text string) bool {
	if len(b.words) == 0 {
		return false
	}
	n := b.norm.Bytes(match.Cut(text, MaxWordText))
	for _, w := range b.words {
		if bytes.Contains(n, w) {
			return true
		}
	}
	return false
}
