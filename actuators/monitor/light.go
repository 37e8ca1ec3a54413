package monitor

// switchState is one switch: whether it is lit and, for the light budget,
// its lit intervals that still fall inside one window.
type switchState struct {
	SwitchLimits
	window  int64 // max_on + cooldown, ns
	lit     bool
	since   int64      // start of the current lit interval
	hist    [][2]int64 // closed lit intervals [start, end), oldest first, from head, each moved on by shift
	shift   int64      // how far the restarts on a clock set back moved the stream back (rebase)
	head    int
	sum     int64 // total length of hist[head:]
	flagged bool  // over the budget at the last check: reported once until back within
}

func (s *switchState) clearHistory() {
	s.hist, s.head, s.sum, s.flagged, s.shift = s.hist[:0], 0, 0, false, 0
}

// switchTo applies a switch output of switch i at t.
func (m *Monitor) switchTo(t int64, i int, on bool) {
	s := &m.sws[i]
	m.group.has = true
	if on == s.lit {
		return
	}
	s.lit = on
	if on {
		m.lightOn(t, s)
		return
	}
	if t > s.since && s.MaxOn > 0 {
		s.hist = append(s.hist, [2]int64{s.since + s.shift, t + s.shift})
		s.sum += t - s.since
	}
	m.checkBudget(i, t)
	m.nLit--
	if s.Laser {
		m.nLasers--
	}
}

// lightOn starts a lit interval at t; one that starts where the previous
// one ended (off and on at one instant) continues it.
func (m *Monitor) lightOn(t int64, s *switchState) {
	s.since = t
	if n := len(s.hist); n > s.head && s.hist[n-1][1]-s.shift == t {
		s.since = s.hist[n-1][0] - s.shift
		s.sum -= t - s.since
		s.hist = s.hist[:n-1]
	}
	m.nLit++
	if !s.Laser {
		return
	}
	m.nLasers++
	m.holdLight(t, s.Name)
	m.limpLight(t)
	m.activity(t, t)
	m.quietOn(t, s.Name)
}

// checkBudget checks the window ending at t of switch i: its lit measure
// is at most max_on.
func (m *Monitor) checkBudget(i int, t int64) {
	s := &m.sws[i]
	if s.MaxOn <= 0 {
		return
	}
	// The intervals are moved on by shift: only their differences are
	// read, which wrap back exactly (int64 arithmetic wraps, and every
	// time of a trace is within 2^63 ns of every other).
	from := t - s.window + s.shift
	for s.head < len(s.hist) && s.hist[s.head][1]-from <= 0 {
		s.sum -= s.hist[s.head][1] - s.hist[s.head][0]
		s.head++
	}
	if s.head > 64 && s.head*2 > len(s.hist) {
		s.hist = s.hist[:copy(s.hist, s.hist[s.head:])]
		s.head = 0
	}
	lit := s.sum
	if s.head < len(s.hist) && s.hist[s.head][0]-from < 0 {
		lit -= from - s.hist[s.head][0]
	}
	if s.lit {
		lit += min(t-s.since, s.window)
	}
	if lit <= int64(s.MaxOn)+int64(m.l.Slack) {
		s.flagged = false
	} else if !s.flagged {
		s.flagged = true
		m.report(t, "light_budget", s.Name, "lit %v in the %v before (limit %v)", fmtNs(lit), fmtNs(s.window), s.MaxOn)
	}
}

// litLaser names a lit laser, for reports.
func (m *Monitor) litLaser() string {
	for i := range m.sws {
		if m.sws[i].lit && m.sws[i].Laser {
			return m.sws[i].Name
		}
	}
	return "laser"
}
