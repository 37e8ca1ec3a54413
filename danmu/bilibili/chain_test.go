package bilibili

import (
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
			p, ok := c.chain.place[name]
			if !ok {
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
	// Names too long for a literal are left to the walkers.
	if _, ok := extraChain.place["objective_state_dm_color"]; ok {
		t.Error("a name longer than a literal is in the chain")
	}
	if got := extraChain.after([]byte("not_in_it"), 3); got != 3 {
		t.Errorf("after a name not in the chain: place %d, want 3", got)
	}
	if got := extraChain.after([]byte("mode"), 0); extraChain.lits[got-1].n != len(`\"mode\":`) {
		t.Errorf("after mode: place %d", got)
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
