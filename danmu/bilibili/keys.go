package bilibili

import "unicode/utf8"

// Member names: which a walker reads, and which it must leave to the
// general decoder because its case-insensitive matching might take them
// for one it reads.

func indexOf(k []byte, names ...string) int {
	for i, n := range names {
		if string(k) == n {
			return i
		}
	}
	return -1
}

// keyNames are the member names an object walker reads, with the first
// letters of the names for a quick "cannot fold to any of them".
type keyNames struct {
	list    []string
	last    uint32    // bit c-'a' for each last letter c
	nofirst [256]bool // the letters, either case, no name starts with
}

func newKeyNames(list ...string) *keyNames {
	n := &keyNames{list: list}
	var first uint32
	for _, s := range list {
		first |= 1 << (lower(s[0]) - 'a')
		n.last |= 1 << (lower(s[len(s)-1]) - 'a')
	}
	for c := byte('a'); c <= 'z'; c++ {
		no := first>>(c-'a')&1 == 0
		n.nofirst[c], n.nofirst[c-'a'+'A'] = no, no
	}
	return n
}

// The names each walker reads.
var (
	envNames   = newKeyNames("cmd", "info")
	modeNames  = newKeyNames("extra", "user")
	userNames  = newKeyNames("uid", "base", "medal", "guard")
	baseNames  = newKeyNames("name", "is_mystery")
	medalNames = newKeyNames("level", "ruid")
	guardNames = newKeyNames("level")
	extraNames = newKeyNames("id_str", "is_mirror")
)

// folds is foldsTo(k, n.list...), answered without a call for a key that
// starts (or ends) with a letter no name starts (ends) with: folding
// ignores only case, '_' and '-', so a letter at either end must match.
//
// The first letter's test is all most keys need, and is inlined: folds is
// called for every member a walker skips.
func (n *keyNames) folds(k []byte) bool {
	if len(k) > 0 && n.nofirst[k[0]] {
		return false
	}
	return n.foldsLast(k)
}

func (n *keyNames) foldsLast(k []byte) bool {
	if len(k) > 0 {
		if c := k[len(k)-1] | 0x20; c >= 'a' && c <= 'z' && n.last>>(c-'a')&1 == 0 && ascii(k) {
			return false // (a key outside ASCII is assumed to match)
		}
	}
	return foldsTo(k, n.list...)
}

func ascii(k []byte) bool {
	for _, c := range k {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// foldsTo reports whether the general decoder might match the unknown key
// k to one of names by its case-insensitive rule (letters case-folded,
// '_' and '-' ignored). Keys outside ASCII are assumed to match.
func foldsTo(k []byte, names ...string) bool {
	// Quick reject: a key starting with a letter no name starts with.
	if len(k) > 0 && k[0] != '_' && k[0] != '-' && k[0] < utf8.RuneSelf {
		c, hit := lower(k[0]), false
		for _, n := range names {
			hit = hit || (n != "" && n[0] == c)
		}
		if !hit {
			return false
		}
	}
	for _, c := range k {
		if c >= utf8.RuneSelf {
			return true
		}
	}
	for _, n := range names {
		if n != "" && foldEq(k, n) {
			return true
		}
	}
	return false
}

func foldEq(k []byte, n string) bool {
	i, j := 0, 0
	for {
		for i < len(k) && (k[i] == '_' || k[i] == '-') {
			i++
		}
		for j < len(n) && (n[j] == '_' || n[j] == '-') {
			j++
		}
		if i == len(k) || j == len(n) {
			return i == len(k) && j == len(n)
		}
		if lower(k[i]) != lower(n[j]) {
			return false
		}
		i++
		j++
	}
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
