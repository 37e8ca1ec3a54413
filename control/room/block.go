package room

import (
	"strings"

	"github.com/cattease/cattease/control/match"
	"github.com/cattease/cattease/danmu"
)

// Blocklist holds the users and words of rules.yaml's moderation section.
type Blocklist struct {
	users map[string]bool // uids and names
	words []string        // normalized
}

// NewBlocklist builds a blocklist; words are normalized as commands are
// (case, full-width letters, zero-width characters).
func NewBlocklist(users, words []string) *Blocklist {
	b := &Blocklist{users: map[string]bool{}}
	for _, u := range users {
		b.users[strings.TrimSpace(u)] = true
	}
	for _, w := range words {
		if n := match.Normalize(w); n != "" {
			b.words = append(b.words, n)
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

// Word reports whether text holds a blocked word.
func (b *Blocklist) Word(text string) bool {
	if len(b.words) == 0 {
		return false
	}
	n := match.Normalize(text)
	for _, w := range b.words {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}
