package config

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// Platforms are the chat platforms an entry of rules.yaml may name before
// a colon ("bilibili:12345678"), as the chat sources call them: bilibili
// (its web chat and the Open Platform alike) and douyu.
var Platforms = []string{"bilibili", "douyu"}

// SplitPlatform reads an entry that may name a platform: "douyu:12345678"
// is ("douyu", "12345678"), the prefix in any case, the colon half- or
// full-width (：, as a Chinese input method types it). An entry with no
// such prefix (no colon, or something other than ASCII letters before
// it) is for every platform: ("", the entry). ok is false when the
// prefix is no platform of Platforms (returned lower-cased), or nothing
// follows it.
func SplitPlatform(s string) (platform, rest string, ok bool) {
	i := strings.IndexAny(s, ":：")
	if i <= 0 || strings.ContainsFunc(s[:i], notASCIILetter) {
		return "", s, true
	}
	platform = strings.ToLower(s[:i])
	_, size := utf8.DecodeRuneInString(s[i:])
	rest = strings.TrimSpace(s[i+size:])
	return platform, rest, rest != "" && slices.Contains(Platforms, platform)
}

func notASCIILetter(r rune) bool { return (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') }
