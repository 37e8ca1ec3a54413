package web

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/cattease/cattease/control"
	"github.com/cattease/cattease/control/match"
)

// moderator is the engine's moderation, when it has it: what chat
// moderators do with 禁言 / 包场 commands, done from the panel. It is
// asserted at run time, so an engine without it still serves the rest.
type moderator interface {
	Moderate(now time.Time, m control.Moderation) (control.Decision, error)
}

// Bounds on a moderation request from the panel.
const (
	maxTarget      = 64                  // bytes of a name or uid
	maxModerateFor = 30 * 24 * time.Hour // the longest 禁言 or 包场
)

// doModerate returns the action that sends one kind of moderation
// ("timeout", "untimeout", "exclusive", "end_exclusive") to the engine:
// {"target":"猫奴","for":"10m"}; "for" is optional (the configured
// default), and end_exclusive needs no target.
func doModerate(kind string) action {
	return func(s *Server, now time.Time, a controlArgs) (any, int, error) {
		mod, ok := s.Engine.(moderator)
		if !ok {
			return nil, http.StatusNotImplemented, errors.New("web: moderation is not available in this engine")
		}
		m, err := moderation(kind, a)
		if err != nil {
			return nil, http.StatusBadRequest, err
		}
		d, err := mod.Moderate(now, m)
		if err != nil {
			return nil, http.StatusUnprocessableEntity, err
		}
		return d, 0, nil
	}
}

// moderation checks a request's target and duration.
func moderation(kind string, a controlArgs) (control.Moderation, error) {
	m := control.Moderation{Action: kind, Target: strings.TrimSpace(a.Target)}
	if err := checkTarget(m.Target, kind != "end_exclusive"); err != nil {
		return m, err
	}
	if f := strings.TrimSpace(a.For); f != "" {
		d, err := time.ParseDuration(f)
		if err != nil || d < 0 || d > maxModerateFor {
			return m, fmt.Errorf("web: %s: bad duration %q: write e.g. 10m or 1h, at most 720h", kind, clip(f))
		}
		m.For = d
	}
	return m, nil
}

func checkTarget(t string, needed bool) error {
	switch {
	case t == "" && needed:
		return errors.New("web: moderation: name a viewer (name or uid)")
	case len(t) > maxTarget || !utf8.ValidString(t):
		return fmt.Errorf("web: moderation: the name or uid is too long (at most %d bytes)", maxTarget)
	case strings.ContainsFunc(t, unicode.IsControl):
		return errors.New("web: moderation: the name or uid has control characters")
	}
	return nil
}

// clip bounds a hostile argument quoted back in an error, at a rune
// boundary.
func clip(s string) string {
	if len(s) <= 32 {
		return s
	}
	return match.Cut(s, 32) + "…"
}
