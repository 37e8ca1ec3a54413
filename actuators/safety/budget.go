package safety

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// ledger is the day's laser on-time and treats, persisted so that a restart
// or a crash cannot reset them. It is written atomically (a temporary file
// renamed over the old one) whenever it changes by more than a second of
// laser time, at every treat, and on close.
type ledger struct {
	path     string
	loc      *time.Location
	Day      string        `json:"day"` // YYYY-MM-DD in loc
	Laser    time.Duration `json:"laser_ns"`
	Treats   int           `json:"treats"`
	savedAt  time.Duration // Laser when last written
	writeErr error
}

func loadLedger(path string, loc *time.Location, now time.Time) (*ledger, error) {
	l := &ledger{path: path, loc: loc}
	if path == "" {
		l.roll(now)
		return l, nil
	}
	b, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return nil, fmt.Errorf("safety: laser state %s: %w", path, err)
	default:
		if err := json.Unmarshal(b, l); err != nil || l.Laser < 0 || l.Treats < 0 {
			// A corrupt ledger must not hand out a fresh budget: assume
			// the day is spent, and say so.
			return nil, fmt.Errorf("safety: laser state %s is unreadable (%v); fix or delete it deliberately", path, err)
		}
	}
	l.savedAt = l.Laser
	l.roll(now)
	return l, nil
}

func (l *ledger) day(now time.Time) string { return now.In(l.loc).Format(time.DateOnly) }

// roll starts a new day's account when the date changed.
func (l *ledger) roll(now time.Time) {
	if d := l.day(now); d != l.Day {
		l.Day, l.Laser, l.Treats, l.savedAt = d, 0, 0, -1
	}
}

// nextDay is the start of the day after now, in loc.
func (l *ledger) nextDay(now time.Time) time.Time {
	t := now.In(l.loc)
	return time.Date(t.Year(), t.Month(), t.Day()+1, 0, 0, 0, 0, l.loc)
}

func (l *ledger) addLaser(d time.Duration) {
	l.Laser += d
	if l.Laser-l.savedAt >= time.Second {
		l.save()
	}
}

// save writes the ledger atomically. A failure is kept and reported, and
// the in-memory account stays authoritative.
func (l *ledger) save() {
	if l.path == "" {
		return
	}
	b, _ := json.Marshal(l)
	tmp, err := os.CreateTemp(filepath.Dir(l.path), ".cattease-state-*")
	if err == nil {
		_, err = tmp.Write(b)
		err = errors.Join(err, tmp.Sync(), tmp.Close())
		if err == nil {
			err = os.Rename(tmp.Name(), l.path)
		} else {
			os.Remove(tmp.Name())
		}
	}
	l.writeErr = err
	if err == nil {
		l.savedAt = l.Laser
	}
}
