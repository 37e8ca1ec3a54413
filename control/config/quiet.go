package config

import (
	"fmt"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// QuietHours is a daily window written "23:00-08:00" (it may span
// midnight). The zero value is no quiet hours.
type QuietHours struct {
	From, To time.Duration // offsets from midnight
}

// Set reports whether a window was given.
func (q QuietHours) Set() bool { return q.From != q.To }

// ParseQuietHours parses "HH:MM-HH:MM".
func ParseQuietHours(s string) (QuietHours, error) {
	from, to, ok := strings.Cut(strings.TrimSpace(s), "-")
	f, err1 := clock(from)
	t, err2 := clock(to)
	if !ok || err1 != nil || err2 != nil || f == t {
		return QuietHours{}, fmt.Errorf("config: bad quiet hours %q: write \"23:00-08:00\"", s)
	}
	return QuietHours{From: f, To: t}, nil
}

func clock(s string) (time.Duration, error) {
	t, err := time.Parse("15:04", strings.TrimSpace(s))
	if err != nil {
		return 0, err
	}
	return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute, nil
}

// UnmarshalYAML implements yaml.Unmarshaler.
func (q *QuietHours) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode && strings.TrimSpace(n.Value) == "" {
		return nil
	}
	return decodeUnit(n, "quiet hours", ParseQuietHours, q)
}
