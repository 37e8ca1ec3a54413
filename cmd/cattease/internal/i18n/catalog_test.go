package i18n

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"unicode"
)

// Every entry has a Chinese format that prints the same arguments with
// the same verbs, and is Chinese (or says why it is not).
func TestCatalogueEntriesAreComplete(t *testing.T) {
	for _, en := range slices.Sorted(maps.Keys(zhTable())) {
		zh := zhTable()[en]
		if zh == "" {
			t.Errorf("%q: empty Chinese", en)
			continue
		}
		a, b := verbSignature(parseFormat(en)), verbSignature(parseFormat(zh))
		if !maps.Equal(a, b) {
			t.Errorf("%q → %q: verbs %s, want %s", en, zh, sig(b), sig(a))
		}
		if zh != en && !hasHan(zh) {
			t.Errorf("%q → %q: no Chinese in the translation", en, zh)
		}
	}
}

func sig(m map[int]byte) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, fmt.Sprintf("%d:%%%c", k+1, m[k]))
	}
	return strings.Join(parts, " ")
}

func hasHan(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) }) >= 0
}

// A message rendered from any English format, with any arguments, comes
// back rendered from its Chinese format with the same arguments.
func TestTranslateEveryEntry(t *testing.T) {
	c := For(Chinese)
	for en, zh := range zhTable() {
		args := sampleArgs(parseFormat(en))
		msg := fmt.Sprintf(en, args...)
		want := fmt.Sprintf(zh, args...)
		if got := c.Translate(msg); got != want && !isGeneral(en) {
			t.Errorf("%q\n got %q\nwant %q", msg, got, want)
		}
	}
}

// isGeneral tells the formats that are all verbs but a word or two: a
// sample message of them can match a more specific entry first.
func isGeneral(en string) bool {
	return len(strings.TrimSpace(literal(parseFormat(en)))) < 12
}

// sampleArgs gives each argument a value its verb prints recognizably.
func sampleArgs(ps []piece) []any {
	sig := verbSignature(ps)
	args := make([]any, len(sig))
	for i := range args {
		switch sig[i] {
		case 'd', 'x', 'X':
			args[i] = 40 + i
		case 'g', 'f', 'e':
			args[i] = 1.5 + float64(i)
		case 'q':
			args[i] = fmt.Sprintf("v%d", i)
		case 'U':
			args[i] = rune(0x7 + i)
		case 'w', 'v', 's':
			args[i] = fmt.Sprintf("arg%d", i)
		}
	}
	return args
}

func TestTranslate(t *testing.T) {
	c := For(Chinese)
	for _, tc := range []struct{ in, want string }{
		// a check line: position and path stay, the message is translated
		{`rules.yaml:32:14: hardware.axes.pan.speed: bad speed "90": write a non-negative speed with a unit, e.g. "120°/s" or "120度/秒"`,
			`rules.yaml:32:14: hardware.axes.pan.speed: 速度 "90" 有误：要写不小于 0 的速度并带单位，例如 "120°/s" 或 "120度/秒"`},
		// a verb's text that is a message itself is translated too
		{`rules.yaml:3:5: hardware.axes.pan.home: expected a number, found "x"`,
			`rules.yaml:3:5: hardware.axes.pan.home: 应是数字，写的却是 "x"`},
		{`r.yaml:2:3: hardware: expected a mapping of keys, found a list`,
			`r.yaml:2:3: hardware: 这里应是“键: 值”的映射，写的却是 列表`},
		// arguments reordered by %[n]
		{`cattease: jog: no axis "yaw" in rules.yaml (have [pan tilt])`,
			`cattease: jog: rules.yaml 里没有轴 "yaw"（现有 [pan tilt]）`},
		// %q with escapes inside
		{`commands[0].do.switch: unknown switch "a\"b"`, `commands[0].do.switch: 没有开关 "a\"b"`},
		// unknown messages stay English, whole
		{`rules.yaml:1:1: something new: with "args"`, `rules.yaml:1:1: something new: with "args"`},
		{`open rules.yaml: a new kind of trouble`, `open rules.yaml: a new kind of trouble`},
		// a system error at the end of a message
		{`cattease: config: open rules.yaml: no such file or directory`, `cattease: config: open rules.yaml: 文件或目录不存在`},
		// a general format kept English claims nothing
		{`the old one is renamed`, `the old one is renamed`},
		{"", ""},
		{"3 problem(s)", "共 3 个问题"},
	} {
		if got := c.Translate(tc.in); got != tc.want {
			t.Errorf("%q\n got %q\nwant %q", tc.in, got, tc.want)
		}
	}
}

func TestEnglishTranslatesNothing(t *testing.T) {
	var c *Catalog = For(English)
	if got := c.Translate("3 problem(s)"); got != "3 problem(s)" {
		t.Errorf("English catalogue changed a message: %q", got)
	}
}

// Hostile text costs bounded work and never panics.
func TestTranslateBounded(t *testing.T) {
	c := For(Chinese)
	for _, in := range []string{
		strings.Repeat(": ", 3000),
		strings.Repeat("a: ", 1000) + "3 problem(s)",
		"%!d(string=x) problem(s)",
		"\xff\xfe: unknown axis \"\xff\"",
		strings.Repeat("x", maxMessage+1) + " problem(s)",
	} {
		_ = c.Translate(in)
		_ = c.TranslateLine(in)
	}
	long := strings.Repeat("x", maxMessage+1)
	if got := c.Translate(long); got != long {
		t.Errorf("a message over the limit was changed")
	}
}

func FuzzTranslate(f *testing.F) {
	f.Add(`rules.yaml:3:5: hardware.axes.pan: unknown key "x" (known: a, b)`)
	f.Add(`%s: %d problem(s)`)
	c := For(Chinese)
	f.Fuzz(func(t *testing.T, s string) {
		out := c.TranslateLine(s)
		if !hasHan(out) && out != s {
			t.Errorf("%q changed into %q with no Chinese", s, out)
		}
	})
}

// A live view line the catalogue does not know: the cost every chat
// message pays on the terminal of a Chinese run.
func BenchmarkTranslateViewLine(b *testing.B) {
	c := For(Chinese)
	line := "✘ 猫奴: 右 → right (cooldown_user) retry in 2.0s"
	for b.Loop() {
		c.TranslateLine(line)
	}
}

// Text made of nested prefixes costs a bounded number of tries: a
// message deeper than the limit stays as it is.
func TestTranslateBudget(t *testing.T) {
	c := For(Chinese)
	deep := strings.Repeat("a: ", maxAttempts) + `unknown axis "x"`
	if got := c.Translate(deep); got != deep {
		t.Errorf("a message past the limit was translated: %q", got)
	}
	j := c.job()
	if _, ok := j.translate(deep, 0); ok || j.left != maxAttempts-maxPrefixes {
		t.Errorf("%d tries, want %d", maxAttempts-j.left, maxPrefixes)
	}
	if got := c.Translate(`jog: unknown axis "x"`); got != `jog: 没有轴 "x"` {
		t.Errorf("within the limit: %q", got)
	}
}
