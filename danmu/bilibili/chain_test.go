package bilibili

import (
	"bytes"
	"encoding/json"
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

// Each run of usual values is its members in chain order, each a name
// the walker skips, with values that make it valid JSON; runs start at
// every place of a stretch and end where it ends.
func TestChainRuns(t *testing.T) {
	for _, c := range []struct {
		chain *keyChain
		quote string
	}{{extraChain, `\"`}, {userChain, `"`}, {baseChain, `"`}, {medalChain, `"`}} {
		if len(c.chain.runs) != len(c.chain.names) {
			t.Fatalf("%d runs for %d names", len(c.chain.runs), len(c.chain.names))
		}
		for p, r := range c.chain.runs {
			if r.n == 0 {
				continue
			}
			if p+r.n > len(c.chain.names) || p+r.n < len(c.chain.names) && c.chain.runs[p+r.n].n != 0 {
				t.Errorf("run at %s: %d members, not to the end of its stretch", c.chain.names[p], r.n)
			}
			doc := "{" + strings.ReplaceAll(r.lit, `\"`, `"`) + "}"
			var m map[string]any
			dec := json.NewDecoder(strings.NewReader(doc))
			if err := dec.Decode(&m); err != nil || len(m) != r.n {
				t.Errorf("run at %s: %q: %v, %d members", c.chain.names[p], doc, err, len(m))
			}
			at := 0
			for q := p; q < p+r.n; q++ {
				if k := []byte(c.chain.names[q]); c.chain.reads.index(k) >= 0 || c.chain.reads.folds(k) {
					t.Errorf("run at %s holds %s, a name read", c.chain.names[p], c.chain.names[q])
				}
				k := c.quote + c.chain.names[q] + c.quote + ":"
				if i := strings.Index(r.lit[at:], k); i < 0 || i > 0 && r.lit[at+i-1] != ',' {
					t.Errorf("run at %s: %s not in order", c.chain.names[p], c.chain.names[q])
				} else {
					at += i + len(k)
				}
			}
		}
	}
	// A run is matched exactly, at its place, whatever follows; a byte
	// changed or one missing, and it is not.
	p := slices.Index(extraChain.names, "main_state_dm_color")
	r := extraChain.runs[p]
	if r.n < 2 {
		t.Fatalf("no run at main_state_dm_color: %+v", r)
	}
	b := []byte("," + r.lit + ",")
	if end, n := extraChain.run(b, 1, p); n != r.n || end != len(b)-1 {
		t.Errorf("run not matched: %d %d", end, n)
	}
	if _, n := extraChain.run(b, 0, p); n != 0 {
		t.Error("run matched off its place")
	}
	if _, n := extraChain.run(b[:len(b)-2], 1, p); n != 0 {
		t.Error("run matched past the body's end")
	}
	for j := 1; j < len(b)-1; j++ {
		bad := slices.Clone(b)
		bad[j] ^= 0x01
		if _, n := extraChain.run(bad, 1, p); n != 0 {
			t.Errorf("run matched with byte %d changed: %q", j, bad)
		}
	}
}

// A message whose usual values differ in one member, anywhere in a run,
// is read member by member, and as the reference reads it: each value of
// each run found in the captures is replaced by other values, valid and
// not, and the fast path's answer compared with the reference's.
func TestChainRunsDiffer(t *testing.T) {
	chains := []struct {
		chain *keyChain
		quote string
	}{{extraChain, `\"`}, {userChain, `"`}, {baseChain, `"`}, {medalChain, `"`}}
	answered := map[string]int{} // by stretch: changed bodies the fast path answered
	for _, body := range fastSeeds(t) {
		var buf bytes.Buffer
		if json.Compact(&buf, body) != nil {
			continue
		}
		compact := buf.String()
		for _, c := range chains {
			for p, r := range c.chain.runs {
				if r.n == 0 || (p > 0 && c.chain.runs[p-1].n != 0) {
					continue // inside a stretch: the run at its start holds this one
				}
				at := strings.Index(compact, r.lit)
				if at < 0 {
					continue
				}
				stretch := c.chain.names[p]
				answered[stretch] += 0
				for q := p; q < p+r.n; q++ {
					key, val := runMember(c.chain, c.quote, q)
					k := at + strings.Index(r.lit, key) + len(key)
					for _, w := range []string{"1", "0.5", "true", "null", "[]", "{}", c.quote + "x" + c.quote, val + "0", val[:len(val)-1]} {
						changed := compact[:k] + w + compact[k+len(val):]
						for _, d := range fastRooms {
							if sameAsReference(t, d, []byte(changed)) {
								answered[stretch]++
							}
						}
					}
				}
			}
		}
	}
	t.Logf("changed bodies the fast path answered, by stretch: %v", answered)
	if len(answered) == 0 {
		t.Fatal("no capture holds a run")
	}
	for stretch, n := range answered {
		if n == 0 {
			t.Errorf("stretch from %s: no changed body answered by the fast path", stretch)
		}
	}
}

// runMember is the member at place q of a run: its name quoted with the
// colon, and its usual value.
func runMember(ch *keyChain, quote string, q int) (key, val string) {
	seg := ch.runs[q].lit
	if q+1 < len(ch.runs) && ch.runs[q+1].n > 0 {
		seg = strings.TrimSuffix(seg, ","+ch.runs[q+1].lit)
	}
	key = quote + ch.names[q] + quote + ":"
	return key, strings.TrimPrefix(seg, key)
}
