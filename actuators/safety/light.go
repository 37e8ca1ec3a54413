package safety

import "time"

// lightLog remembers when one switch was lit during the last window of
// max_on + cooldown, so the light budget holds over any window however the
// switch is toggled: off+on within a tick, a sequence, a restart (the
// ledger seeds it) all count the same light.
//
// It keeps at most lightLogCap closed intervals; when full, the two oldest
// merge, counting the gap between them as lit. That can only overcount,
// which darkens the laser early and never lights it late.
type lightLog struct {
	iv    [lightLogCap][2]time.Time // closed lit intervals [start, end), oldest first
	head  int                       // index of the oldest
	n     int
	open  bool      // lit now
	since time.Time // start of the open interval
}

const lightLogCap = 64

// on starts an interval at t (no-op if already lit).
func (l *lightLog) on(t time.Time) {
	if !l.open {
		l.open, l.since = true, t
	}
}

// off closes the open interval at t.
func (l *lightLog) off(t time.Time) {
	if !l.open {
		return
	}
	l.open = false
	if !t.After(l.since) {
		return
	}
	if l.n == lightLogCap {
		a, b := l.head, (l.head+1)%lightLogCap
		l.iv[b][0] = l.iv[a][0]
		l.head, l.n = b, l.n-1
	}
	l.iv[(l.head+l.n)%lightLogCap] = [2]time.Time{l.since, t}
	l.n++
}

// lastEnd is when the switch was last lit: the end of the newest closed
// interval (zero if none). Check open first.
func (l *lightLog) lastEnd() time.Time {
	if l.n == 0 {
		return time.Time{}
	}
	return l.iv[(l.head+l.n-1)%lightLogCap][1]
}

// seed records [from, to) as lit (from a previous process's ledger).
func (l *lightLog) seed(from, to time.Time) {
	if to.After(from) {
		l.on(from)
		l.off(to)
	}
}

// prune forgets intervals that ended before t.
func (l *lightLog) prune(t time.Time) {
	for l.n > 0 && !l.iv[l.head][1].After(t) {
		l.head, l.n = (l.head+1)%lightLogCap, l.n-1
	}
}

// litIn is the lit time within [from, to), the open interval lit until to.
func (l *lightLog) litIn(from, to time.Time) time.Duration {
	var d time.Duration
	for i := range l.n {
		v := l.iv[(l.head+i)%lightLogCap]
		d += overlap(v[0], v[1], from, to)
	}
	if l.open {
		d += overlap(l.since, to, from, to)
	}
	return d
}

func overlap(a0, a1, b0, b1 time.Time) time.Duration {
	lo, hi := a0, a1
	if b0.After(lo) {
		lo = b0
	}
	if b1.Before(hi) {
		hi = b1
	}
	if hi.After(lo) {
		return hi.Sub(lo)
	}
	return 0
}

// mayLight reports whether the switch may be lit during [now, now+tick)
// with at most maxOn lit in every window of length w; if not, it says from
// when it may (the earliest time the window has room for a tick again,
// assuming it stays dark until then). It only reads: a request's time
// must not forget light (Step prunes, on the envelope's own clock).
func (l *lightLog) mayLight(now time.Time, tick, maxOn, w time.Duration) (bool, time.Time) {
	end := now.Add(tick)
	used := l.litIn(end.Add(-w), now)
	if used+tick <= maxOn {
		return true, time.Time{}
	}
	// Slide the window start forward until enough lit time has left it.
	excess := used + tick - maxOn
	start := end.Add(-w)
	for i := range l.n {
		v := l.iv[(l.head+i)%lightLogCap]
		if o := overlap(v[0], v[1], start, now); o > 0 {
			if o >= excess {
				lo := v[0]
				if start.After(lo) {
					lo = start
				}
				return false, lo.Add(excess).Add(w - tick)
			}
			excess -= o
		}
	}
	if l.open {
		lo := l.since
		if start.After(lo) {
			lo = start
		}
		return false, lo.Add(excess).Add(w - tick)
	}
	return false, now.Add(w)
}
