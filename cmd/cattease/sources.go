package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/cattease/cattease/control/config"
	"github.com/cattease/cattease/danmu"
	"github.com/cattease/cattease/danmu/bilibili/open"
	"github.com/cattease/cattease/danmu/console"
	"github.com/cattease/cattease/web"
)

type namedSource struct {
	name     string
	src      danmu.Source
	counters *danmu.Counters // what the source dropped and how its connection fared
}

// buildSources picks the chat sources from flags, then rules.yaml.
func buildSources(fl *runFlags, f *config.File, s stdio, log *slog.Logger) ([]namedSource, error) {
	var out []namedSource
	if fl.stdin {
		c := &danmu.Counters{}
		out = append(out, namedSource{"console", &console.Source{In: s.in, Counters: c}, c})
	}
	if room := or(fl.bilibili, f.Sources.Bilibili.Room); room != "" {
		c := &danmu.Counters{}
		src, err := bilibiliSource(fl, f, room, log, c)
		if err != nil {
			return nil, err
		}
		out = append(out, namedSource{"bilibili", src, c})
	}
	if code := or(fl.bilibiliCode, f.Sources.BilibiliOpen.Code); code != "" {
		c := &danmu.Counters{}
		src, err := bilibiliOpenSource(fl, f, code, log, c)
		if err != nil {
			return nil, err
		}
		out = append(out, namedSource{"bilibili-open", src, c})
		if or(fl.bilibili, f.Sources.Bilibili.Room) != "" {
			log.Warn("both Bilibili sources are on: if they are the same room, every message arrives twice; " +
				"the Open Platform alone carries chat, gifts and who moderates")
		}
	}
	if room := or(fl.douyu, f.Sources.Douyu.Room); room != "" {
		c := &danmu.Counters{}
		src, err := douyuSource(fl, f, room, log, c)
		if err != nil {
			return nil, err
		}
		out = append(out, namedSource{"douyu", src, c})
	}
	if len(out) == 0 {
		return nil, errNoSource
	}
	return out, nil
}

// errNoSource: run was given nothing to listen to. cmdRun checks with
// hasSource before it opens anything.
var errNoSource = errors.New("cattease: run: no chat source: add --stdin, --bilibili ROOM, --bilibili-code CODE or --douyu ROOM (or set sources: in rules.yaml)")

// ruleSources names the chat sources rules.yaml sets (the flags aside).
func ruleSources(f *config.File) []string {
	var names []string
	for _, s := range []struct{ name, set string }{
		{"bilibili", f.Sources.Bilibili.Room}, {"bilibili_open", f.Sources.BilibiliOpen.Code}, {"douyu", f.Sources.Douyu.Room},
	} {
		if s.set != "" {
			names = append(names, s.name)
		}
	}
	return names
}

// hasSource reports whether the flags or rules.yaml name a chat source.
func hasSource(fl *runFlags, f *config.File) bool {
	return fl.stdin || fl.bilibili != "" || fl.douyu != "" || fl.bilibiliCode != "" || len(ruleSources(f)) > 0
}

// bilibiliOpenSource is the Open Platform source for the 身份码 code.
// The app credentials come from rules.yaml, else from the environment
// (CATTEASE_BILIBILI_APP_ID, _ACCESS_KEY_ID, _ACCESS_KEY_SECRET_FILE: a
// systemd EnvironmentFile, or tests); the secret only ever from a file.
func bilibiliOpenSource(fl *runFlags, f *config.File, code string, log *slog.Logger, c *danmu.Counters) (danmu.Source, error) {
	cfg := f.Sources.BilibiliOpen
	appID := cfg.AppID
	if s := os.Getenv("CATTEASE_BILIBILI_APP_ID"); appID == 0 && s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			return nil, fmt.Errorf("cattease: CATTEASE_BILIBILI_APP_ID %q is not an app id", s)
		}
		appID = id
	}
	secret := os.Getenv("CATTEASE_BILIBILI_ACCESS_KEY_SECRET_FILE") // the environment's path is the shell's
	if cfg.AccessKeySecretFile != "" {
		var err error
		if secret, err = configFile(cfg.AccessKeySecretFile); err != nil {
			return nil, err
		}
	}
	src := &open.Source{
		Code:                code,
		AppID:               appID,
		AccessKeyID:         or(cfg.AccessKeyID, os.Getenv("CATTEASE_BILIBILI_ACCESS_KEY_ID")),
		AccessKeySecretFile: secret,
		API:                 or(fl.bilibiliOpenAPI, cfg.API),
		Log:                 log.With("source", "bilibili-open"),
		Counters:            c,
	}
	if src.AppID == 0 || src.AccessKeyID == "" || src.AccessKeySecretFile == "" {
		return nil, errors.New("cattease: run: the Bilibili Open Platform needs app credentials: set sources.bilibili_open " +
			"app_id, access_key_id and access_key_secret_file in rules.yaml (see docs/bilibili-open.md)")
	}
	return src, nil
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// runSources runs every source into decide, one call per batch a source
// hands on (a frame, a read), counting each event with seen and recording
// it on the source's own goroutine: a message is decided on the goroutine
// that read it, with no hop to wait for (each hop can wait for the host
// to wake an idle CPU). Batches are recorded and decided in one order,
// one at a time. It returns when every source has returned; a source that
// fails for good is logged and the others carry on, and if none is left
// the failures are returned. A panic while deciding, or on a source's own
// goroutine, calls abort at once with where it was and its value (run
// halts every output and cancels everything, the engine's ticks
// included), stops every source and is returned as an error, joined to
// abort's, so that the run ends and leaves the rig safe as after any
// crash. A batch that comes once ctx has ended is neither recorded nor
// decided, so the record holds exactly what was decided.
func runSources(parent context.Context, srcs []namedSource, decide func(time.Time, []danmu.Event), abort func(what string, value any) error, rec *recorder, seen func(danmu.Event), log *slog.Logger) error {
	ctx, stop := context.WithCancel(parent)
	defer stop()
	var mu sync.Mutex // one batch at a time: the record's order is the engine's
	clock := recordClock{base: time.Now()}
	var recErr, failed error
	fail := func(what string, value any, err error) { // a panic: the run ends at once; caller holds mu
		herr := abort(what, value)
		if failed == nil {
			failed = err
		}
		if herr != nil {
			failed = errors.Join(failed, herr)
		}
		stop()
	}
	emit := func(c *danmu.Counters, evs []danmu.Event) error {
		mu.Lock()
		defer mu.Unlock()
		if err := ctx.Err(); err != nil {
			return err
		}
		now := time.Now()    // the batch's: all are decided at once
		c.Got(len(evs), now) // the source's last event, for the panel: two atomics a batch
		received := clock.at(now)
		for _, ev := range evs {
			seen(ev)
			if err := rec.write(ev, received); err != nil && recErr == nil {
				recErr = err
				log.Error("recording failed; events still flow", "err", err)
			}
		}
		if p, err := decideSafely(decide, now, evs); err != nil {
			fail("deciding a chat message", p, err)
			return err
		}
		return nil
	}
	var wg sync.WaitGroup
	var ended []error // sources that failed for good
	for _, ns := range srcs {
		wg.Go(func() {
			err := streamSafely(ns, ctx, func(evs []danmu.Event) error { return emit(ns.counters, evs) })
			ns.counters.Ended(endClass(err)) // a source that did not say so itself
			mu.Lock()
			defer mu.Unlock()
			var p *sourcePanic
			switch {
			case errors.As(err, &p):
				fail("chat source "+p.source, p.value, err)
			case err != nil && failed == nil && !errors.Is(err, context.Canceled):
				log.Error("chat source stopped", "source", ns.name, "err", err)
				ended = append(ended, fmt.Errorf("chat source %s: %w", ns.name, err))
			}
		})
	}
	wg.Wait()
	if failed != nil {
		return failed
	}
	if err := parent.Err(); err != nil {
		return err
	}
	// Every source has returned by itself. One that failed for good (a
	// room that does not exist, an unreadable cookie file) ends the run
	// with an error, so that the exit code and systemd say so.
	if err := errors.Join(append(ended, recErr)...); err != nil {
		return fmt.Errorf("cattease: %w", err)
	}
	return nil
}

// endClass is the class of the error a source's Stream returned, for
// its state: none when it was cancelled or ended cleanly.
func endClass(err error) string {
	if err == nil || errors.Is(err, context.Canceled) {
		return ""
	}
	return danmu.ErrClass(err)
}

// sourceStatus reads the sources' state for the overlay and the panel
// (web.Server.Sources), in the order they were started.
func sourceStatus(srcs []namedSource) func() []web.SourceStatus {
	return func() []web.SourceStatus {
		out := make([]web.SourceStatus, 0, len(srcs))
		for _, ns := range srcs {
			conn := ns.counters.Conn()
			st := web.SourceStatus{Platform: ns.name, Room: conn.Room, State: string(conn.State), Since: conn.Since,
				Attempts: conn.Attempts, Error: conn.Err, LastEvent: conn.LastEvent, Events: conn.Events}
			for name, n := range ns.counters.Snapshot() {
				switch {
				case strings.HasPrefix(name, "decode_error:"):
					st.DecodeErrors += n
				case name == "reconnect":
					st.Reconnects += n
				}
			}
			out = append(out, st)
		}
		return out
	}
}

// sourcePanic is a panic on a source's own goroutine, where the group's
// guard does not reach: decoding a hostile frame runs there.
type sourcePanic struct {
	source string
	value  any
	stack  []byte
}

func (p *sourcePanic) Error() string {
	return fmt.Sprintf("panic in chat source %s: %v\n%s", p.source, p.value, p.stack)
}

// streamSafely runs one source, turning a panic on its goroutine into a
// *sourcePanic: runSources then ends the run as after a panic deciding,
// and the deferred halt leaves the rig safe.
func streamSafely(ns namedSource, ctx context.Context, emit func([]danmu.Event) error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = &sourcePanic{source: ns.name, value: p, stack: debug.Stack()}
		}
	}()
	return ns.src.Stream(ctx, emit)
}

// recordClock is the time the record keeps with each event: the wall
// clock at the start plus the monotonic time since, the clock the engine
// measures its limits on. The wall clock steps when NTP sets it (a Pi
// without a real-time clock starts before it syncs): a recorded step of
// hours would make a replay wait out rests and budgets and start new days
// the live run never saw.
type recordClock struct{ base time.Time }

// at is now on the record's clock.
func (c recordClock) at(now time.Time) time.Time { return c.base.Add(now.Sub(c.base)) }

// decideSafely calls decide, turning a panic into an error; value is
// the panic's.
func decideSafely(decide func(time.Time, []danmu.Event), now time.Time, evs []danmu.Event) (value any, err error) {
	defer func() {
		if p := recover(); p != nil {
			value, err = p, fmt.Errorf("panic deciding a chat message: %v\n%s", p, debug.Stack())
		}
	}()
	decide(now, evs)
	return nil, nil
}
