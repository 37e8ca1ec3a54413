package bilibili

import (
	"slices"
	"strings"
	"testing"
)

// Each literal of each chain is its name quoted with the colon, matched
// exactly whatever follows it, and refused if any byte of it differs; a
// name's kind says which read name it is, and skipped names fold to none.
func TestKeyChains(t *testing.T) {
	for _, c := range []struct {
		chain *keyChain
		quote string
		reads *keyNames
		names []string
	}{
		{extraChain, `\"`, extraNames, []string{"send_from_me", "id_str", "esports_jump_url"}},
		{userChain, `"`, userNames, []string{"base", "guard", "uid", "wealth"}},
		{baseChain, `"`, baseNames, []string{"face", "name", "is_mystery", "risk_ctrl_info"}},
		{medalChain, `"`, medalNames, []string{"color", "level", "ruid", "v2_medal_color_border"}},
	} {
		for _, name := range c.names {
			p := slices.Index(c.chain.names, name)
			if p < 0 {
				t.Fatalf("%s: not in its chain", name)
			}
			l := c.chain.lits[p]
			lit := c.quote + name + c.quote + ":"
			if l.n != len(lit) {
				t.Errorf("%s: literal of %d bytes, want %d", name, l.n, len(lit))
			}
			wantKind := 0
			for x, r := range c.reads.list {
				if r == name {
					wantKind = x + 1
				}
			}
			if l.kind != wantKind {
				t.Errorf("%s: kind %d, want %d", name, l.kind, wantKind)
			}
			for _, tail := range []string{strings.Repeat(" ", chainLen), `0,"x":1` + strings.Repeat("}", chainLen)} {
				b := []byte("{" + lit + tail)
				if !l.at(b, 1) {
					t.Errorf("%s: %q not matched", name, b)
				}
				for j := 1; j <= len(lit); j++ {
					bad := []byte(string(b))
					bad[j] ^= 0x20
					if l.at(bad, 1) {
						t.Errorf("%s: matched with byte %d changed: %q", name, j-1, bad)
					}
				}
			}
		}
		for _, l := range c.chain.lits {
			if l.n > chainLen {
				t.Errorf("a literal of %d bytes", l.n)
			}
		}
	}
	// Names too long for a literal keep their place, and are read the
	// usual way.
	if p := slices.Index(extraChain.names, "objective_state_dm_color"); p < 0 || extraChain.lits[p].n != 0 {
		t.Error("a name longer than a literal has no place, or a literal")
	}
	// after finds the place after a name read the usual way, where it
	// was expected or a few later, and keeps it for a name not there.
	for _, c := range []struct {
		name    string
		at, got int
	}{
		{"not_in_it", 3, 3}, {"mode", 2, 3}, {"mode", 0, 3}, {"send_from_me", 2, 2},
		{"esports_jump_url", 0, 0}, {"master_player_hidden", 1, 2},
	} {
		if got := extraChain.after([]byte(c.name), c.at); got != c.got {
			t.Errorf("after %s expected at %d: place %d, want %d", c.name, c.at, got, c.got)
		}
	}
}

// A chain holds only plain names that do not fold to a name read.
func TestKeyChainRefuses(t *testing.T) {
	for _, names := range [][]string{{"Level"}, {"le-vel"}, {"名"}, {"le_vel"}, {"ruid_"}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%q: no panic", names)
				}
			}()
			newKeyChain(`"`, medalNames, names...)
		}()
	}
}

// extraID and extraMirror name the places of id_str and is_mirror in
// extraNames, which both walkers of extra dispatch on.
func TestExtraNamePlaces(t *testing.T) {
	if extraNames.list[extraID] != "id_str" || extraNames.list[extraMirror] != "is_mirror" {
		t.Fatalf("extraNames %q", extraNames.list)
	}
}
