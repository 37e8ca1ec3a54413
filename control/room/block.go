package room

import (
	"bytes"
	"strings"

	"github.com/cattease/cattease/control/match"
	"github.com/cattease/cattease/danmu"
)

// Blocklist holds the users and words of rules.yaml's moderation section.
type Blocklist struct {
	users map[string]bool // uids and names
	words [][]byte        // normalized
	norm  match.Normalizer
}

// MaxWordText is how much of a message the blocked words are looked for
// in: far more than either platform lets a viewer send, and a bound on
// what a hostile message costs.
const MaxWordText = 1024

// NewBlocklist builds a blocklist; words are normalized as commands are
// (case, full-width letters, zero-width characters).
func NewBlocklist(users, words []string) *Blocklist {
	b := &Blocklist{users: map[string]bool{}}
	for _, u := range users {
		b.users[strings.TrimSpace(u)] = true
	}
	for _, w := range words {
		if n := match.Normalize(w); n != "" {
			b.words = append(b.words, []byte(n))
		}
	}
	return b
}

// User reports whether the sender is blocked, by uid or by name.
func (b *Blocklist) User(u danmu.User) bool {
	if len(b.users) == 0 {
		return false
	}
	return (!anonymous(u) && b.users[u.ID]) || (u.Name != "" && b.users[u.Name])
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
