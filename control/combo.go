package control

import (
	"strconv"
	"strings"
	"unicode"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/control/config"
)

// match finds the command a message asks for. A first word holding the
// combo separator (左3+上2) is a combo: every part must be a playable
// command (one the rig plays through the queue: a move, a switch, a
// sequence), within the caps on parts and steps, and no command may
// repeat in it more than its max_repeat allows one message. ok is false for ordinary
// chat; a non-empty reason refuses a request that did match.
// The request is filled in place: it is large, and this runs for every
// chat message. It reads only the compiled rules r, never the engine's
// state, so replay's reader runs it ahead of the engine (prematch).
func matchText(r *Rules, text string, req *request) (actuators.Reason, bool) {
	if reason, ok := matchCombo(r, text, req); ok {
		return reason, true
	}
	*req = request{}
	res, ok := r.matcher.Match(text)
	if !ok {
		return "", false
	}
	req.rule = res.Name
	req.add(res.Command, res.Repeat)
	return "", true
}

// MaxComboText caps the first word a combo is looked for in.
const MaxComboText = 256

func matchCombo(r *Rules, text string, req *request) (actuators.Reason, bool) {
	c := &r.room.combo
	if c.Separator == "off" {
		return "", false
	}
	// Only the first word counts: look no further than a combo can be, so
	// a megabyte of chat costs no more than a line. The separator is
	// looked for with its width folded: an input method types ＋ for +.
	head, sep := text[:min(len(text), 2*MaxComboText)], r.room.sep
	more := len(head) < len(text)
	if wide := r.room.sepWide; wide != sep && strings.Contains(head, wide) {
		head = strings.ReplaceAll(head, wide, sep)
	}
	if !strings.Contains(head, sep) {
		return "", false // the word is within head: no separator, no combo
	}
	word := strings.TrimLeftFunc(head, unicode.IsSpace)
	if i := strings.IndexFunc(word, unicode.IsSpace); i >= 0 {
		word = word[:i]
	} else if more {
		return "", false // the first word runs past the cap
	}
	if len(word) > MaxComboText || !strings.Contains(word, sep) {
		return "", false
	}
	parts := strings.Split(strings.Trim(word, sep), sep)
	if len(parts) < 2 {
		return "", false
	}
	tooMany := len(parts) > c.MaxParts
	parts = parts[:min(len(parts), config.MaxComboParts)]
	*req = request{}
	var names, spelled []string
	for _, p := range parts {
		res, ok := r.matcher.Match(p)
		if !ok {
			return "", false // not a combo after all: ordinary chat
		}
		req.add(res.Command, res.Repeat)
		names = append(names, res.Name)
		spelled = append(spelled, res.Name+"×"+strconv.Itoa(res.Repeat))
		if !r.commands[res.Command].playable() {
			req.rule, req.combo = strings.Join(names, "+"), strings.Join(spelled, "+")
			return ReasonCombo, true
		}
	}
	req.rule, req.combo = strings.Join(names, "+"), strings.Join(spelled, "+")
	if tooMany || req.repeat > c.MaxSteps || req.overRepeats(r) {
		return ReasonCombo, true
	}
	return "", true
}

// overRepeats reports whether a command repeats across the parts more
// than its max_repeat: 画圈+画圈+画圈 is 画圈3, and a command capped at one
// run a message runs once, under one cooldown, combo or not.
func (req *request) overRepeats(r *Rules) bool {
	for i := range req.n {
		total := 0
		for k := range req.n {
			if req.cmd[k] == req.cmd[i] {
				total += req.rep[k]
			}
		}
		if total > r.commands[req.cmd[i]].maxRepeat {
			return true
		}
	}
	return false
}
