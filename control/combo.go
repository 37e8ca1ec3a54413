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
// command, within the caps on parts and steps. ok is false for ordinary
// chat; a non-empty reason refuses a request that did match.
func (e *Engine) match(text string) (request, actuators.Reason, bool) {
	if req, reason, ok := e.matchCombo(text); ok {
		return req, reason, true
	}
	res, ok := e.rules.matcher.Match(text)
	if !ok {
		return request{}, "", false
	}
	req := request{rule: res.Name}
	req.add(res.Command, res.Repeat)
	return req, "", true
}

// MaxComboText caps the first word a combo is looked for in.
const MaxComboText = 256

func (e *Engine) matchCombo(text string) (request, actuators.Reason, bool) {
	c := e.rules.room.combo
	if c.Separator == "off" || !strings.Contains(text, c.Separator) {
		return request{}, "", false
	}
	word := strings.TrimLeftFunc(text, unicode.IsSpace)
	if i := strings.IndexFunc(word, unicode.IsSpace); i >= 0 {
		word = word[:i]
	}
	if len(word) > MaxComboText || !strings.Contains(word, c.Separator) {
		return request{}, "", false
	}
	parts := strings.Split(strings.Trim(word, c.Separator), c.Separator)
	if len(parts) < 2 {
		return request{}, "", false
	}
	tooMany := len(parts) > c.MaxParts
	parts = parts[:min(len(parts), config.MaxComboParts)]
	var req request
	var names, spelled []string
	for _, p := range parts {
		res, ok := e.rules.matcher.Match(p)
		if !ok {
			return request{}, "", false // not a combo after all: ordinary chat
		}
		req.add(res.Command, res.Repeat)
		names = append(names, res.Name)
		spelled = append(spelled, res.Name+"×"+strconv.Itoa(res.Repeat))
		if !e.rules.commands[res.Command].playable() {
			req.rule, req.combo = strings.Join(names, "+"), strings.Join(spelled, "+")
			return req, ReasonCombo, true
		}
	}
	req.rule, req.combo = strings.Join(names, "+"), strings.Join(spelled, "+")
	if tooMany || req.repeat > c.MaxSteps {
		return req, ReasonCombo, true
	}
	return req, "", true
}
