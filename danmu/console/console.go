// Package console is a chat source that reads typed lines, so a streamer
// can try the rules from a terminal with no live room: each line is one
// chat message.
//
//	左3                       an anonymous viewer says 左3
//	猫奴: 激光                viewer 猫奴 says 激光
//	@mod 房管: 停             moderator 房管 says 停
//	@owner 主播: 继续         the owner says 继续
//	@guard1 猫奴: 画圈        猫奴, a guard (舰长), says 画圈
//	@medal5 粉丝: 之字        粉丝, with this room's fan medal at level 5, says 之字
//	@mod @guard3 总督: 停     tags combine, in any order
//	猫奴 送 小心心 ×3          a gift (see gift.go for super chats and 上舰)
//
// Tags come first, each followed by a space:
//
//	@mod, @owner   the sender's role (default viewer)
//	@guardN        paid membership on danmu.User's ascending scale:
//	               1 舰长, 2 提督, 3 总督 (@guard alone is 1)
//	@medalN        this room's fan-medal level, N from 1 to 999
//	@levelN        the account level, N from 0 to 99 (without it the line
//	               carries no level: danmu.LevelUnknown)
//
// A word that merely starts with @ (@someone hi, @guard9) is not a tag: it
// stays in the text, as on a live platform.
//
// Each distinct name is a distinct user (so per-user cooldowns apply to
// it); anonymous lines all come from one viewer.
package console

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cattease/cattease/danmu"
	"github.com/cattease/cattease/danmu/internal/gopanic"
)

// MaxLine caps one typed line, in bytes; longer lines are cut to the
// whole characters in their first MaxLine bytes, the rest of the line is
// skipped, and reading goes on with the next line.
const MaxLine = 64 << 10

// Source reads chat lines from In.
type Source struct {
	In   io.Reader
	Room string           // default "console"
	Now  func() time.Time // default time.Now
	// Counters receives the source's state: connected while In is read,
	// ended when it ends; nil is fine.
	Counters *danmu.Counters
}

// Run is Stream with the events sent one by one on out, which it never
// closes.
func (s *Source) Run(ctx context.Context, out chan<- danmu.Event) error {
	return s.Stream(ctx, danmu.Forward(ctx, out))
}

// Stream hands emit one chat event per line, a batch of one, until In
// ends (then it returns nil) or ctx is done. A blocked read cannot be
// interrupted: the goroutine reading stdin is abandoned on cancel, which
// is harmless for a terminal. A panic on that goroutine (In's Read) is
// raised again by Stream, on the caller's goroutine, where its guard is.
func (s *Source) Stream(ctx context.Context, emit func([]danmu.Event) error) (err error) {
	s.Counters.Connected(s.room()) // a terminal or a pipe: nothing to connect to
	defer func() {
		class := ""
		if err != nil && ctx.Err() == nil {
			class = danmu.ErrClass(err)
		}
		s.Counters.Ended(class)
	}()
	lines := make(chan string)
	errc := make(chan error, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				errc <- gopanic.Of("console: panic reading", p)
			}
		}()
		errc <- s.read(ctx, lines)
	}()
	n := 0
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case err := <-errc:
			if p, ok := err.(*gopanic.Panic); ok {
				panic(p)
			}
			return err
		case line := <-lines:
			n++
			ev, ok := s.Parse(line, n)
			if !ok {
				continue
			}
			if err := emit([]danmu.Event{ev}); err != nil {
				return err
			}
		}
	}
}

func (s *Source) read(ctx context.Context, lines chan<- string) error {
	r := bufio.NewReaderSize(s.In, 4096)
	for {
		line, err := readLine(r)
		if err == nil || (errors.Is(err, io.EOF) && line != "") {
			select {
			case lines <- line:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		switch {
		case errors.Is(err, io.EOF):
			return nil
		case err != nil:
			return fmt.Errorf("console: read: %w", err)
		}
	}
}

// readLine returns the next line without its "\n" or "\r\n", cut to MaxLine
// bytes (on a character boundary): a longer line is read to its end and
// the rest thrown away, so that one runaway paste costs at most MaxLine
// bytes of memory and does not end the source. At the end of the input
// it returns what it has with io.EOF.
func readLine(r *bufio.Reader) (string, error) {
	var (
		line []byte
		cut  bool
	)
	for {
		frag, err := r.ReadSlice('\n')
		if !cut {
			if room := MaxLine - len(line); len(frag) > room && !(len(frag) == room+1 && frag[room] == '\n') {
				line, cut = append(line, frag[:room]...), true
			} else {
				line = append(line, frag...)
			}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if cut {
			return string(trimPartialRune(line)), err
		}
		line = bytes.TrimSuffix(line, []byte("\n"))
		line = bytes.TrimSuffix(line, []byte("\r"))
		return string(line), err
	}
}

// trimPartialRune drops the bytes of a character cut in two at the end of
// b, leaving any other invalid UTF-8 for Parse to replace.
func trimPartialRune(b []byte) []byte {
	for i := 1; i < utf8.UTFMax && i <= len(b); i++ {
		c := b[len(b)-i]
		if utf8.RuneStart(c) {
			if !utf8.FullRune(b[len(b)-i:]) {
				return b[:len(b)-i]
			}
			break
		}
	}
	return b
}

// room is Room, or its default.
func (s *Source) room() string {
	if s.Room == "" {
		return "console"
	}
	return s.Room
}

// Parse turns line number n into an event; blank lines give ok=false.
func (s *Source) Parse(line string, n int) (ev danmu.Event, ok bool) {
	line = strings.TrimSpace(strings.ToValidUTF8(line, string(utf8.RuneError)))
	if line == "" {
		return ev, false
	}
	user := danmu.User{Role: danmu.RoleViewer, Level: danmu.LevelUnknown} // unless @levelN says
	for strings.HasPrefix(line, "@") {
		tag, rest, found := strings.Cut(line, " ")
		if !found || !applyTag(&user, tag) {
			break
		}
		line = strings.TrimLeft(rest, " ")
	}
	name, text := "", line
	kind, gift := danmu.KindChat, danmu.Gift{}
	if gname, k, g, t, ok := parseGift(line); ok {
		name, text, kind, gift = gname, t, k, g
	} else if i := strings.Index(line, ": "); i > 0 && i <= 64 && !strings.ContainsAny(line[:i], " ") {
		name, text = line[:i], strings.TrimSpace(line[i+2:])
	}
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	ev = danmu.Event{Platform: "console", Room: s.room(), Kind: kind,
		ID: "console-" + strconv.Itoa(n), Time: now(), Text: text,
		User: user, Gift: gift}
	ev.User.ID, ev.User.Name = userID(name), name
	if name == "" {
		ev.User.Name = "viewer"
	}
	return ev, true
}

// userID derives a stable id from a typed name; "" is the anonymous viewer.
func userID(name string) string {
	if name == "" {
		return "1"
	}
	h := fnv.New64a()
	h.Write([]byte(name))
	return strconv.FormatUint(h.Sum64()>>1|1<<40, 10)
}

// applyTag sets what one @tag says about the sender, or reports false for
// a word that is not a tag.
func applyTag(u *danmu.User, tag string) bool {
	switch tag {
	case "@mod":
		u.Role = danmu.RoleModerator
		return true
	case "@owner":
		u.Role = danmu.RoleOwner
		return true
	case "@guard":
		u.Guard = 1
		return true
	}
	if n, ok := tagLevel(tag, "@guard", 1, 3); ok {
		u.Guard = n
		return true
	}
	if n, ok := tagLevel(tag, "@level", 0, 99); ok {
		u.Level = n
		return true
	}
	if n, ok := tagLevel(tag, "@medal", 1, 999); ok {
		u.Medal = n
		return true
	}
	return false
}

// tagLevel parses prefix followed by a level from lo to hi.
func tagLevel(tag, prefix string, lo, hi int) (int, bool) {
	digits, ok := strings.CutPrefix(tag, prefix)
	if !ok || digits == "" || len(digits) > 3 {
		return 0, false
	}
	n, err := strconv.Atoi(digits)
	if err != nil || n < lo || n > hi || digits[0] == '+' || digits[0] == '-' {
		return 0, false
	}
	return n, true
}
