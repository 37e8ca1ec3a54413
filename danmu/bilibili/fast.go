package bilibili

import (
	"math"
	"strconv"
	"sync"

	"github.com/cattease/cattease/danmu"
	"github.com/cattease/cattease/danmu/internal/jsonesc"
)

// The DANMU_MSG fast path.
//
// DANMU_MSG is nearly all of a busy room's traffic, so it gets a decoder of
// its own: one forward scan of the body that validates every byte as the
// general decoder would, picks the fields of danmuInfo by position, finds
// id_str and is_mirror in info[0][15].extra (read where it lies, or
// unescaped into a pooled buffer: extra.go), and builds every string the
// Event keeps from a single allocation. Strings are scanned a word at a
// time to the first byte that needs a look (scan.go), values not kept
// are skipped by one loop rather than a call per value, member names
// are checked against the order Bilibili sends them in, and stretches of
// members at their usual values are compared at once (chain.go). It
// answers only when it is sure: any shape it does not know (a cmd not
// first, a duplicate or case-folded key, a number where a string was, a
// surrogate escape, an error of any kind) returns ok=false and the
// general decoder, the reference, decides. FuzzFastDanmaku checks
// that both give the same Event whenever the fast path answers.

// maxFastDepth bounds nesting the fast path follows; deeper bodies go to
// the reference decoder, which has its own limit.
const maxFastDepth = 512

// fastDanmaku decodes body if it is a DANMU_MSG of a known shape.
func (d *Decoder) fastDanmaku(body []byte) (danmu.Event, bool) {
	s := scanner{b: body}
	if !s.enter('{') {
		return danmu.Event{}, false
	}
	// cmd must come first, unescaped, DANMU_MSG with or without suffix.
	if k, ok := s.key(0); !ok || string(k) != "cmd" {
		return danmu.Event{}, false
	}
	cmd, esc, ok := s.str()
	if !ok || esc || !isDanmuCmd(cmd) {
		return danmu.Event{}, false
	}
	var (
		x        fastInfo
		haveInfo bool
	)
	defer x.release() // on every way out, a refusal included
	for n := 1; ; n++ {
		more, ok := s.more('}', n)
		if !ok {
			return danmu.Event{}, false
		}
		if !more {
			break
		}
		k, ok := s.key(n)
		if !ok {
			return danmu.Event{}, false
		}
		switch string(k) {
		case "info":
			if haveInfo || !s.info(&x) {
				return danmu.Event{}, false
			}
			haveInfo = true
		default:
			if envNames.folds(k) || !s.skip() {
				return danmu.Event{}, false
			}
		}
	}
	if !s.end() || !haveInfo || x.n < 3 {
		return danmu.Event{}, false
	}
	return d.fastEvent(&x)
}

// release gives back the buffer extra was unescaped into, if it took one.
func (x *fastInfo) release() {
	if x.buf != nil {
		extBufs.Put(x.buf)
		x.buf = nil
	}
}

func isDanmuCmd(cmd []byte) bool {
	const c = "DANMU_MSG"
	return len(cmd) >= len(c) && string(cmd[:len(c)]) == c && (len(cmd) == len(c) || cmd[len(c)] == ':')
}

// fastInfo is danmuInfo as byte ranges of the body: nothing is copied
// until the Event is built.
type fastInfo struct {
	body                        []byte
	n                           int
	sentMS, rnd                 int64
	extra                       span // info[0][15].extra, still escaped, if too long for buf
	extraLen                    int  // extra unescaped in buf[:extraLen], or -1: see extra
	id                          span // extra's id_str, in body if idInBody, else in buf
	idInBody                    bool
	userUID                     int64
	userName                    span // info[0][15].user.base.name
	haveUser, haveMedal         bool
	medalLevel, medalRUID       int64
	text, name                  span
	uid                         int64
	admin                       bool
	medal, anchorRoom, anchorID int64
	level, guard                int64
	// buf holds extra unescaped where it is not read in place: taken
	// from extBufs when needed (rarely), so that a fastInfo on the stack
	// is not 2 KB to clear for every message.
	buf *[extBufLen]byte
}

// extBufLen is the longest extra unescaped into a buffer as it is read;
// a longer one is unescaped onto the heap when the Event is built.
const extBufLen = 2048

var extBufs = sync.Pool{New: func() any { return new([extBufLen]byte) }}

// span is a string's contents in the body; esc says it has escapes.
type span struct {
	lo, hi int
	esc    bool
}

func (d *Decoder) fastEvent(x *fastInfo) (danmu.Event, bool) {
	var idSrc []byte
	switch {
	case x.idInBody:
		idSrc = x.body
	case x.extraLen < 0:
		// Too long to have been unescaped into buf as it was read.
		idSrc = jsonesc.AppendUnescaped(nil, x.bodyOf(x.extra))
		var mirror, ok bool
		x.id, mirror, ok = scanExtra(idSrc)
		if !ok || mirror {
			return danmu.Event{}, false
		}
	case x.extraLen > 0:
		idSrc = x.buf[:x.extraLen]
	}
	idStr := x.id
	uid := x.uid
	if x.haveUser && x.userUID != 0 {
		uid = x.userUID
	}
	// One allocation for every string the Event keeps: text, name, id,
	// user id, room; built on the stack (or the heap if longer).
	var stack [256]byte
	arena := stack[:0]
	text := len(arena)
	arena = x.appendSpan(arena, x.text)
	name := len(arena)
	if x.userName.hi > x.userName.lo {
		arena = x.appendSpan(arena, x.userName)
	} else {
		arena = x.appendSpan(arena, x.name)
	}
	id := len(arena)
	switch {
	case idStr.hi > idStr.lo:
		if idStr.esc {
			arena = jsonesc.AppendUnescaped(arena, idSrc[idStr.lo:idStr.hi])
		} else {
			arena = append(arena, idSrc[idStr.lo:idStr.hi]...)
		}
	case x.rnd != 0:
		arena = strconv.AppendInt(arena, x.rnd, 10)
	}
	uidAt := len(arena)
	arena = strconv.AppendInt(arena, uid, 10)
	room := len(arena)
	arena = strconv.AppendInt(arena, d.RoomID, 10)
	if name-text > MaxText || id-name > MaxText || uidAt-id > MaxText {
		return danmu.Event{}, false // the reference names the error
	}
	all := string(arena)

	medal := int64(0)
	if x.haveMedal && d.ownMedal(x.medalRUID, 0) {
		medal = x.medalLevel
	}
	if d.ownMedal(x.anchorID, x.anchorRoom) {
		medal = x.medal
	}
	ev := danmu.Event{
		Platform: Platform,
		Room:     all[room:],
		Kind:     danmu.KindChat,
		ID:       all[id:uidAt],
		Time:     unixMilli(x.sentMS),
		User:     d.userID(all[uidAt:room], uid, all[name:id], x.admin, x.guard, medal, x.level),
		Text:     all[text:name],
	}
	if ev.Time.IsZero() {
		ev.Time = d.now()
	}
	return ev, true
}

// The body the spans of a fastInfo point into lives in the scanner; the
// info keeps a reference for building the Event.
func (x *fastInfo) bodyOf(sp span) []byte { return x.body[sp.lo:sp.hi] }

func (x *fastInfo) appendSpan(dst []byte, sp span) []byte {
	if sp.esc {
		return jsonesc.AppendUnescaped(dst, x.bodyOf(sp))
	}
	return append(dst, x.bodyOf(sp)...)
}

// info reads DANMU_MSG's info array (see danmuInfo for the positions).
// The walkers of arrays ask skipTo for the next element they read, so a
// run of elements not read costs one call; those of objects ask seek for
// the next member they read.
func (s *scanner) info(x *fastInfo) bool {
	x.body = s.b
	if !s.enter('[') {
		return false
	}
	j, more, ok := 0, false, true
	for _, t := range [...]int{0, 1, 2, 3, 4, 7, noMore} {
		if j, more, ok = s.skipTo(j, t); !ok || !more {
			x.n = j
			return ok
		}
		switch t {
		case 0:
			ok = s.meta(x)
		case 1:
			x.text, ok = s.strOrNull()
		case 2:
			ok = s.sender(x)
		case 3:
			ok = s.ints(map3, &x.medal, &x.anchorRoom, &x.anchorID)
		case 4:
			ok = s.ints(map4, &x.level, nil, nil)
		case 7:
			x.guard, ok = s.int()
		}
		if !ok {
			return false
		}
		j++
	}
	return false // not reached: no array has that many elements in a body
}

// Positions read from info[3] and info[4], to the 1st, 2nd, 3rd pointer.
var (
	map3 = [3]int{0, 3, 12}
	map4 = [3]int{0, -1, -1}
)

// noMore is a position past any element: skipTo from it reads to the end.
const noMore = math.MaxInt

// ints reads the integers at positions at of an array into p0, p1, p2
// (in increasing order; -1 for none).
func (s *scanner) ints(at [3]int, p0, p1, p2 *int64) bool {
	if s.null() {
		return true // null is an empty array
	}
	if !s.enter('[') {
		return false
	}
	ps := [3]*int64{p0, p1, p2}
	j, more, ok := 0, false, true
	for k := 0; ; k++ {
		t := noMore
		if k < len(at) && at[k] >= 0 {
			t = at[k]
		}
		if j, more, ok = s.skipTo(j, t); !ok || !more {
			return ok
		}
		if *ps[k], ok = s.int(); !ok {
			return false
		}
		j++
	}
}

// meta reads info[0]: [4] send time, [5] rnd, [15] {extra, user}.
func (s *scanner) meta(x *fastInfo) bool {
	if s.null() {
		return true // null is an empty array
	}
	if !s.enter('[') {
		return false
	}
	j, more, ok := 0, false, true
	for _, t := range [...]int{4, 5, 15, noMore} {
		if j, more, ok = s.skipTo(j, t); !ok || !more {
			return ok
		}
		switch t {
		case 4:
			x.sentMS, ok = s.int()
		case 5:
			x.rnd, ok = s.int()
		case 15:
			ok = s.mode(x)
		}
		if !ok {
			return false
		}
		j++
	}
	return false
}

// sender reads info[2]: [uid, name, is_admin, …].
func (s *scanner) sender(x *fastInfo) bool {
	if s.null() {
		return true // null is an empty array
	}
	if !s.enter('[') {
		return false
	}
	j, more, ok := 0, false, true
	for _, t := range [...]int{0, 1, 2, noMore} {
		if j, more, ok = s.skipTo(j, t); !ok || !more {
			return ok
		}
		switch t {
		case 0:
			x.uid, ok = s.int()
		case 1:
			x.name, ok = s.strOrNull()
		case 2:
			x.admin, ok = s.flag()
		}
		if !ok {
			return false
		}
		j++
	}
	return false
}

// mode reads info[0][15], {"extra": "…", "user": {…}}, or null.
func (s *scanner) mode(x *fastInfo) bool {
	if s.null() {
		return true
	}
	if !s.enter('{') {
		return false
	}
	var seen [2]bool
	for n := 0; ; n++ {
		i, ok := s.seek(modeNames, nil, nil, n == 0)
		if !ok || i < 0 {
			return ok
		}
		if seen[i] {
			return false
		}
		seen[i] = true
		if i == 0 {
			ok = s.extra(x)
		} else {
			ok = s.user(x)
		}
		if !ok {
			return false
		}
	}
}

// user reads the uinfo object: uid, base.name, base.is_mystery, medal
// {level, ruid}, guard {level}.
func (s *scanner) user(x *fastInfo) bool {
	if s.null() {
		return true
	}
	if !s.enter('{') {
		return false
	}
	x.haveUser = true
	var seen [4]bool
	p := 0
	for n := 0; ; n++ {
		i, ok := s.seek(userNames, userChain, &p, n == 0)
		if !ok || i < 0 {
			return ok
		}
		if seen[i] {
			return false
		}
		seen[i] = true
		switch i {
		case 0:
			x.userUID, ok = s.int()
		case 1:
			ok = s.base(x)
		case 2:
			ok = s.medalObj(x)
		case 3:
			var lvl int64
			ok = s.fields(&lvl, nil, guardNames, nil)
		}
		if !ok {
			return false
		}
	}
}

func (s *scanner) base(x *fastInfo) bool {
	if s.null() {
		return true
	}
	if !s.enter('{') {
		return false
	}
	var seen [2]bool
	p := 0
	for n := 0; ; n++ {
		i, ok := s.seek(baseNames, baseChain, &p, n == 0)
		if !ok || i < 0 {
			return ok
		}
		if seen[i] {
			return false
		}
		seen[i] = true
		if i == 0 {
			x.userName, ok = s.strOrNull()
		} else {
			_, ok = s.flag()
		}
		if !ok {
			return false
		}
	}
}

func (s *scanner) medalObj(x *fastInfo) bool {
	if s.null() {
		return true
	}
	x.haveMedal = true
	return s.fields(&x.medalLevel, &x.medalRUID, medalNames, medalChain)
}

// fields reads an object of up to two integer members, named by names
// (in the order ch, if not nil).
func (s *scanner) fields(p0, p1 *int64, names *keyNames, ch *keyChain) bool {
	if s.null() {
		return true
	}
	if !s.enter('{') {
		return false
	}
	ps := [2]*int64{p0, p1}
	var seen [2]bool
	p := 0
	for n := 0; ; n++ {
		i, ok := s.seek(names, ch, &p, n == 0)
		if !ok || i < 0 {
			return ok
		}
		if seen[i] {
			return false
		}
		seen[i] = true
		if *ps[i], ok = s.int(); !ok {
			return false
		}
	}
}
