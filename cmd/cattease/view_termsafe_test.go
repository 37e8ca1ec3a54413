package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/cattease/cattease/cmd/cattease/internal/i18n"
	"github.com/cattease/cattease/control"
	"github.com/cattease/cattease/control/config"
)

// evilDecision carries the reviewer's name and chat in every field of a
// decision the live view prints that a viewer or moderator can fill.
func evilDecision() control.Decision {
	return control.Decision{UserName: evilName, Text: evilText, Rule: "laser", Outcome: control.Accepted,
		Reason: control.ReasonGift, Combo: "left×3+" + evilText, Target: evilName, Policy: evilText,
		Grant: &control.Grant{Gift: evilName, Count: 1, ValueCents: 100, Pattern: evilText},
		Until: time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)}
}

// A viewer's name and chat reach the streamer's terminal as text: no
// escape sequence clears, recolours or retitles it, and no line break
// forges a line of a moderator's.
func TestFormatDecisionHoldsNoControls(t *testing.T) {
	labels := map[string]config.Label{}
	for _, zh := range []bool{false, true} {
		got := formatDecision(evilDecision(), labels, zh)
		if why := terminalUnsafe(got); why != "" {
			t.Errorf("zh=%v: the view's line %q holds %s", zh, got, why)
		}
		for _, want := range []string{"evil␛]0;title␇␊name: 左␛[2J␛[31mHACK␍␊房管: 激光 → laser", "→ evil␛]0;title␇␊name", " evil␛]0;title␇␊name×1 1.00元:"} {
			if !strings.Contains(got, want) {
				t.Errorf("zh=%v: the view's line %q lacks %q", zh, got, want)
			}
		}
	}
}

// Ordinary names and chat are printed as they are.
func TestFormatDecisionKeepsOrdinaryNames(t *testing.T) {
	for _, c := range []struct{ name, text string }{{"猫奴", "激光"}, {"👨‍👩‍👧‍👦一家", "左3 😺"}, {"Alice", "left 3"}} {
		d := control.Decision{UserName: c.name, Text: c.text, Rule: "laser", Outcome: control.Accepted,
			Reason: control.ReasonModeration, Target: c.name}
		got := formatDecision(d, nil, true)
		if want := "✔ " + c.name + ": " + c.text + " → laser"; !strings.HasPrefix(got, want) || !strings.HasSuffix(got, "→ "+c.name) {
			t.Errorf("formatDecision(%q, %q) = %q", c.name, c.text, got)
		}
	}
	long := control.Decision{UserName: strings.Repeat("猫", 1000), Text: "激光", Rule: "laser", Outcome: control.Accepted}
	if got := formatDecision(long, nil, true); !strings.HasPrefix(got, "✔ "+strings.Repeat("猫", maxViewName)+"…: 激光") {
		t.Errorf("a 1000-character name printed as %q", got)
	}
}

// What the view writes to the terminal: each line's only control is its
// own newline, and the forged moderator's line is not one.
func TestViewWritesNoControls(t *testing.T) {
	for _, zh := range []bool{false, true} {
		var out bytes.Buffer
		v := newView(&out, true)
		v.zh = zh
		v.decision(evilDecision())
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if err := v.run(ctx, fixedRig{stoppedRig()}); err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
		if len(lines) != 2 { // the decision and the rig's state
			t.Errorf("zh=%v: the view wrote %d lines, want 2:\n%s", zh, len(lines), out.String())
		}
		for _, l := range lines {
			if why := terminalUnsafe(l); why != "" {
				t.Errorf("zh=%v: the view wrote %q, which holds %s", zh, l, why)
			}
			if strings.HasPrefix(l, "房管") {
				t.Errorf("zh=%v: a viewer forged the line %q", zh, l)
			}
		}
	}
}

// The log is slog's text handler below the translation of its messages:
// a name or chat text in a message or an attribute is quoted there, and
// the Chinese translation does not undo it.
func TestLogQuotesControls(t *testing.T) {
	for _, lang := range []i18n.Lang{i18n.English, i18n.Chinese} {
		var b bytes.Buffer
		log := newLogger(stdio{err: i18n.Wrap(&b, lang)}, true)
		log.Info("chat source stopped", "source", evilName, "err", evilText)
		log.Warn(evilText, "user", evilName)
		log.Error("stopped", "err", control.Decision{UserName: evilName, Text: evilText})
		lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
		if len(lines) != 3 {
			t.Errorf("%v: %d log lines, want 3:\n%s", lang, len(lines), b.String())
		}
		for _, l := range lines {
			if why := terminalUnsafe(l); why != "" {
				t.Errorf("%v: the log line %q holds %s", lang, l, why)
			}
		}
	}
}

// Whatever a viewer sends, the view's line holds nothing a terminal obeys.
func FuzzFormatDecision(f *testing.F) {
	f.Add(evilName, evilText, evilName, evilName)
	f.Add("猫奴", "激光", "", "")
	f.Add("\u202eevil", "\x9b2J\u0085", "\u2066x", "\x7f")
	f.Fuzz(func(t *testing.T, name, text, target, gift string) {
		d := control.Decision{UserName: name, Text: text, Rule: "laser", Outcome: control.Dropped, Reason: control.ReasonGift,
			Target: target, Policy: text, Combo: text, Grant: &control.Grant{Gift: gift, Pattern: target}}
		for _, zh := range []bool{false, true} {
			if got := formatDecision(d, nil, zh); terminalUnsafe(got) != "" {
				t.Fatalf("zh=%v: the view's line %q holds %s", zh, got, terminalUnsafe(got))
			}
		}
	})
}
