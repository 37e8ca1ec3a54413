package match

import (
	"errors"
	"strings"
	"testing"
)

// testCommands is a small rules.yaml: Chinese, English, arrows, a command
// that must not repeat, a longer alias sharing a prefix, an emoji alias and
// two regex commands.
var testCommands = []Command{
	{Name: "left", Aliases: []string{"左", "left", "l", "←", "⬅", "向左"}},
	{Name: "right", Aliases: []string{"右", "right", "r", "→", "向右"}},
	{Name: "up", Aliases: []string{"上", "up", "u", "↑"}},
	{Name: "down", Aliases: []string{"下", "down", "d", "↓"}},
	{Name: "laser", Aliases: []string{"激光", "laser"}, MaxRepeat: 1},
	{Name: "circle", Aliases: []string{"画圈", "circle"}, MaxRepeat: 2},
	{Name: "stop", Aliases: []string{"停", "stop", "!stop"}, MaxRepeat: 1},
	{Name: "nudge", Aliases: []string{"左一点"}},
	{Name: "like", Aliases: []string{"👍"}},
	{Name: "meow", Regex: `喵+`},
	{Name: "wiggle", Regex: `(?:抖|Wiggle)(?P<count>\d+|[一二两三四五六七八九十])?`}, // (?i) is implied
}

func mustNew(t testing.TB, cmds []Command) *Matcher {
	t.Helper()
	m, err := New(cmds)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// want is a compact expected result: "" for ordinary chat, else
// "name×repeat", with "!" appended when the repeat was capped.
func show(r Result, ok bool) string {
	if !ok {
		return ""
	}
	s := r.Name + "×" + itoa(r.Repeat)
	if r.Capped {
		s += "!"
	}
	return s
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

var matchCases = []struct {
	in, want string
}{
	// plain, case and width
	{"左", "left×1"},
	{"left", "left×1"},
	{"LEFT", "left×1"},
	{"Left", "left×1"},
	{"ｌｅｆｔ", "left×1"},
	{"ＬＥＦＴ", "left×1"},
	{"r", "right×1"},
	{"向右", "right×1"},
	{"下", "down×1"},
	// arrows
	{"←", "left×1"},
	{"⬅️", "left×1"}, // with VARIATION SELECTOR-16
	{"↑3", "up×3"},
	{"←←←", "left×3"},
	{"→ →", "right×1"},
	// repeats
	{"左3", "left×3"},
	{"左３", "left×3"},
	{"左③", "left×3"},
	{"左²", "left×2"},
	{"Ｌｅｆｔ３", "left×3"},
	{"left3", "left×3"},
	{"左×3", "left×3"},
	{"左x3", "left×3"},
	{"左X3", "left×3"},
	{"左ｘ３", "left×3"},
	{"左*3", "left×3"},
	{"左＊3", "left×3"},
	{"左✕3", "left×3"},
	{"左 x3", "left×3"},
	{"左 × 3", "left×3"},
	{"左x 3", "left×3"},
	{"左 3", "left×3"},
	{"左　３", "left×3"},
	{"左左左", "left×3"},
	{"左左左！", "left×3"},
	{"leftleft", "left×2"},
	{"rr", "right×2"},
	{"左三", "left×3"},
	{"左两下", "left×2"},
	{"左一下", "left×1"},
	{"左3次", "left×3"},
	{"左三步", "left×3"},
	{"左×三", "left×3"},
	{"左03", "left×3"},
	{"左3️⃣", "left×3"}, // keycap
	{"左左 3", "left×2"},
	// caps
	{"左5", "left×5"},
	{"左6", "left×5!"},
	{"左十", "left×5!"},
	{"左二十五", "left×5!"},
	{"左左左左左左左左", "left×5!"},
	{"左99999999999999999999", "left×5!"},
	{"左万万万万万万万万万万万万", "left×5!"},
	{"激光", "laser×1"},
	{"激光3", "laser×1!"},
	{"停停停", "stop×1!"},
	{"画圈", "circle×1"},
	{"画圈5", "circle×2!"},
	// counts that make it ordinary chat
	{"左0", ""},
	{"左00", ""},
	{"左零", ""},
	{"左 0", ""},
	{"左x0", ""},
	{"左-1", ""},
	{"左+2", ""},
	{"左1.5", ""},
	{"左−1", ""}, // U+2212 MINUS SIGN
	{"左左3", ""},
	{"左x", ""},
	{"左 -1", "left×1"}, // the space ends the command
	{"左 x", "left×1"},
	{"左-", "left×1"},
	{"左+右", "left×1"},
	// trailing punctuation and decorations
	{"左！", "left×1"},
	{"左!!!", "left×1"},
	{"左。", "left×1"},
	{"左~~", "left×1"},
	{"左～～", "left×1"},
	{"左…", "left×1"},
	{"左？", "left×1"},
	{"左、", "left×1"},
	{"左3。", "left×3"},
	{"stop!", "stop×1"},
	{"ＳＴＯＰ！", "stop×1"},
	{"左😺", "left×1"},
	{"左3😺😺", "left×3"},
	{"左[doge]", "left×1"},
	{"左❤️", "left×1"},
	{"左\xff", "left×1"}, // invalid UTF-8 reads as U+FFFD, a symbol
	// the rest of the message is ignored
	{"左 哈哈哈", "left×1"},
	{"左3 冲", "left×3"},
	{"左，右", "left×1"},
	{"左\n右", "left×1"},
	{"left\t3", "left×3"},
	{"左 3楼好可爱", "left×1"},
	// not commands
	{"哈哈哈", ""},
	{"", ""},
	{"   ", ""},
	{"😺", ""},
	{"左边那个猫好可爱", ""},
	{"我想要左", ""},
	{"左3楼", ""},
	{"左哈哈", ""},
	{"左左左哈哈", ""},
	{"leftist", ""},
	{"lol", ""},
	{"r2d2", ""},
	{"下一个", ""},
	{"上上下下左右左右BA", ""},
	{"@主播 左", ""},
	{"！左", ""},
	{"左\u0301", ""}, // a combining mark glues on
	// zero-width and invisible characters
	{"左\u200b3", "left×3"},
	{"\u200b左", "left×1"},
	{"\ufeff左", "left×1"},
	{"左\u200d", "left×1"},
	{"l\u200de\u200bf\u2060t", "left×1"},
	{"le\u00adft", "left×1"},
	{"\u202e左", "left×1"},
	// surrounding space
	{"　左　", "left×1"},
	{"   left   ", "left×1"},
	{"\u00a0左", "left×1"},
	// longest alias wins
	{"左一点", "nudge×1"},
	{"左一点！", "nudge×1"},
	{"左一点2", "nudge×2"},
	{"左一点点", ""},
	// leading punctuation belongs to the alias
	{"!stop", "stop×1"},
	{"！stop", "stop×1"},
	// emoji alias
	{"👍", "like×1"},
	{"👍👍👍", "like×3"},
	{"👍🏻", "like×1"},
	// regex commands
	{"喵", "meow×1"},
	{"喵喵喵喵～", "meow×1"},
	{"喵喵 喵", "meow×1"},
	{"喵呜", ""},
	{"抖", "wiggle×1"},
	{"抖3", "wiggle×3"},
	{"WIGGLE２！", "wiggle×2"},
	{"抖三", "wiggle×3"},
	{"抖9", "wiggle×5!"},
	{"抖0", ""},
	{"抖 3", "wiggle×1"}, // the regex sees the first token only
	// long input
	{"左3 " + strings.Repeat("哈", 1<<20), "left×3"},
	{strings.Repeat("哈", 1<<20), ""},
	{strings.Repeat(" ", MaxExamine) + "左", ""},
	{strings.Repeat("左", 1<<18), "left×5!"},
	{strings.Repeat("\u200b", 90) + "左", ""},
	{strings.Repeat("\u200b", 20) + "左", "left×1"},
}

func TestMatch(t *testing.T) {
	m := mustNew(t, testCommands)
	for i, c := range matchCases {
		r, ok := m.Match(c.in)
		if got := show(r, ok); got != c.want {
			in := c.in
			if len(in) > 40 {
				in = in[:40] + "…"
			}
			t.Errorf("#%d Match(%q) = %q, want %q (%+v)", i, in, got, c.want, r)
		}
		if ok && (r.Repeat < 1 || r.Repeat > m.cmds[r.Command].cap || r.Capped != (r.Requested > r.Repeat)) {
			t.Errorf("#%d Match(%q): inconsistent %+v", i, c.in, r)
		}
	}
}

func TestMatchResultFields(t *testing.T) {
	m := mustNew(t, testCommands)
	r, ok := m.Match("ＬＥＦＴ99999999999999999999！")
	want := Result{Command: 0, Name: "left", Repeat: 5, Requested: 1_000_000, Capped: true, Alias: "left"}
	if !ok || r != want {
		t.Fatalf("got %+v, %v; want %+v", r, ok, want)
	}
	r, ok = m.Match("抖２")
	want = Result{Command: 10, Name: "wiggle", Repeat: 2, Requested: 2, Alias: "抖2"}
	if !ok || r != want {
		t.Fatalf("got %+v, %v; want %+v", r, ok, want)
	}
}

func TestNormalize(t *testing.T) {
	for i, c := range []struct{ in, want string }{
		{"Ｌｅｆｔ！！", "left"},
		{"　左　", "左"},
		{"左~~～～", "左"},
		{"左3。", "左3"},
		{"左 3 。 ！", "左 3"},
		{"l\u200be\u200dft", "left"},
		{"←", "←"},
		{"左←", "左←"},
		{"!!", "!!"},
		{"👍 ", "👍"},
		{"👍👍！", "👍👍!"},
		{"左  哈\t\n哈", "左 哈 哈"},
		{"ＡＢＣ", "abc"},
		{"e\u0301", "é"},
		{"Ⅻ", "xii"},
		{"㊀", "一"},
		{"ｶﾞ", "ガ"},
		{"𝐋𝐞𝐟𝐭", "left"},
		{"!stop", "!stop"},
		{"", ""},
		{"\u200b\ufeff", ""},
		{"a" + strings.Repeat("\u0301", 40), "á" + strings.Repeat("\u0301", maxMarks)},
	} {
		if got := Normalize(c.in); got != c.want {
			t.Errorf("#%d Normalize(%q) = %q, want %q", i, c.in, got, c.want)
		}
	}
}

func TestPrefix(t *testing.T) {
	s := strings.Repeat("a", MaxExamine-1) + "左"
	if p := prefix(s); p != strings.Repeat("a", MaxExamine-1) {
		t.Errorf("prefix cut inside a character: %q", p[len(p)-4:])
	}
	bad := strings.Repeat("\x80", 2*MaxExamine)
	if p := prefix(bad); len(p) != MaxExamine {
		t.Errorf("prefix of invalid UTF-8 has %d bytes", len(p))
	}
}

func TestNewErrors(t *testing.T) {
	_, err := New([]Command{
		{Name: "left", Aliases: []string{"左", "left", "Left"}},     // 0: Left = left, same command: fine
		{Name: "right", Aliases: []string{"右", "ＬＥＦＴ！"}},           // 1: alias 1 collides with 0/1
		{Name: "", Aliases: []string{"x"}},                         // 2: no name
		{Name: "left", Aliases: []string{"y"}},                     // 3: name used twice
		{Name: "none"},                                             // 4: no trigger
		{Name: "blank", Aliases: []string{"\u200b "}},              // 5: empty alias
		{Name: "long", Aliases: []string{strings.Repeat("长", 30)}}, // 6: too long
		{Name: "re", Regex: `(`},                                   // 7: bad regex
		{Name: "many", Aliases: []string{"z"}, MaxRepeat: 99},      // 8: cap too high
		{Name: "twice", Aliases: []string{"左左"}},                   // 9: reads as 左×2
	})
	var es Errors
	if !errors.As(err, &es) {
		t.Fatalf("New: %v, want Errors", err)
	}
	type key struct {
		cmd, alias, other, otherAlias int
		field                         string
	}
	want := []key{
		{1, 1, 0, 1, "aliases"},
		{2, -1, -1, -1, "name"},
		{3, -1, 0, -1, "name"},
		{4, -1, -1, -1, "aliases"},
		{5, 0, -1, -1, "aliases"},
		{6, 0, -1, -1, "aliases"},
		{7, -1, -1, -1, "regex"},
		{8, -1, -1, -1, "max_repeat"},
		{9, 0, 0, 0, "aliases"},
	}
	if len(es) != len(want) {
		t.Fatalf("got %d errors, want %d:\n%v", len(es), len(want), err)
	}
	for i, e := range es {
		if got := (key{e.Command, e.Alias, e.Other, e.OtherAlias, e.Field}); got != want[i] {
			t.Errorf("error %d = %+v (%v), want %+v", i, got, e, want[i])
		}
	}
	for _, s := range []string{`alias "ＬＥＦＴ！" (normalized "left") is also alias "left" of command "left"`,
		`alias "左左" would be read as alias "左" of command "left" written 2 times`} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error text lacks %q:\n%v", s, err)
		}
	}
	var one *Error
	if !errors.As(err, &one) || one.Command != 1 {
		t.Errorf("errors.As(*Error) = %+v", one)
	}
}

func TestMatchAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items at random under the race detector")
	}
	m := mustNew(t, testCommands)
	for _, s := range []string{"哈哈哈哈哈，猫猫好可爱！", "左", "左×3！", "ＬＥＦＴ３", "左左左", "喵呜",
		"左3 " + strings.Repeat("哈", 1<<16), "e\u0301\u0301 zalgo"} {
		if n := testing.AllocsPerRun(200, func() { m.Match(s) }); n != 0 {
			t.Errorf("Match(%.20q) allocates %v times", s, n)
		}
	}
}

func TestConcurrentMatch(t *testing.T) {
	m := mustNew(t, testCommands)
	done := make(chan bool)
	for g := 0; g < 8; g++ {
		go func() {
			defer func() { done <- true }()
			for i := 0; i < 200; i++ {
				c := matchCases[(i*7+g)%len(matchCases)]
				if got := show(m.Match(c.in)); got != c.want {
					t.Errorf("Match(%.20q) = %q, want %q", c.in, got, c.want)
					return
				}
			}
		}()
	}
	for g := 0; g < 8; g++ {
		<-done
	}
}

func TestEmptyMatchers(t *testing.T) {
	var zero Matcher
	if _, ok := zero.Match("左"); ok {
		t.Error("zero Matcher matched")
	}
	m := mustNew(t, nil)
	if _, ok := m.Match("左"); ok {
		t.Error("empty Matcher matched")
	}
	m = mustNew(t, []Command{{Name: "meow", Regex: "喵+"}})
	if got := show(m.Match("喵喵" + strings.Repeat("!", 1000))); got != "meow×1" {
		t.Errorf("regex-only Matcher: %q", got)
	}
}
