package open

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/cattease/cattease/danmu"
	"github.com/cattease/cattease/danmu/internal/gopanic"
)

// Default timings. Each has a Source field whose zero value means the
// default.
const (
	DefaultGameHeartbeat = 20 * time.Second // /v2/app/heartbeat; the platform closes a game after 60 s without
	DefaultHeartbeat     = 30 * time.Second // WebSocket op 2
	DefaultAuthTimeout   = 10 * time.Second
	DefaultBackoffMin    = time.Second
	DefaultBackoffMax    = 2 * time.Minute
	DefaultCooldownMin   = 10 * time.Second // after 7001 or 4009
	DefaultHealthyAfter  = time.Minute
	DefaultEndTimeout    = 5 * time.Second // /v2/app/end on the way out
	dialTimeout          = 10 * time.Second
	writeTimeout         = 10 * time.Second
	httpTimeout          = 15 * time.Second
	maxSecretFile        = 4 << 10
)

// A start refused with 7002 (ErrRoomBusy) is tried again at least
// RoomBusyWait later (the platform closes a game 60 s after its last
// heartbeat), for RoomBusyFor; a room still busy then has another app's
// game in it, and Stream returns the error.
const (
	RoomBusyWait = time.Minute
	RoomBusyFor  = 5 * time.Minute
)

// Source is the Open Platform chat of the room whose 身份码 is Code: it
// starts a game for the app, keeps the game and the WebSocket alive,
// restarts the game when the platform closes it, and ends it on the way
// out. Configure the fields, then call Run once; zero values are the
// documented defaults.
type Source struct {
	Code                string // the streamer's 身份码; never logged (only a 4-hex fingerprint)
	AppID               int64  // the app (项目) id
	AccessKeyID         string // the developer's access_key_id
	AccessKeySecretFile string // file holding access_key_secret; read once per Run, never logged
	API                 string // base URL; "" = DefaultAPI

	HTTPClient *http.Client    // nil = a client with a 15 s timeout
	Log        *slog.Logger    // nil = discard
	Counters   *danmu.Counters // nil = not counted

	// Timing knobs; tests shorten them.
	GameHeartbeat time.Duration // 0 = DefaultGameHeartbeat
	Heartbeat     time.Duration // 0 = DefaultHeartbeat
	ReadTimeout   time.Duration // 0 = Heartbeat + 15 s
	AuthTimeout   time.Duration // 0 = DefaultAuthTimeout
	BackoffMin    time.Duration // 0 = DefaultBackoffMin
	BackoffMax    time.Duration // 0 = DefaultBackoffMax
	CooldownMin   time.Duration // 0 = DefaultCooldownMin
	HealthyAfter  time.Duration // 0 = DefaultHealthyAfter
	EndTimeout    time.Duration // 0 = DefaultEndTimeout

	// NetDial, if set, opens the WebSocket's connections (the HTTP client
	// has its own transport). Tests use it for in-memory pipes.
	NetDial func(ctx context.Context, network, addr string) (net.Conn, error)
}

var _ danmu.Source = (*Source)(nil)

// The counter names Source uses besides decode_error:<reason> and the skip
// reasons (unknown_cmd, mirror, interaction_end, …).
const (
	CounterReconnect      = "reconnect"       // a game or connection ended and is retried
	CounterGameRestart    = "game_restart"    // the platform closed the game (7003, INTERACTION_END)
	CounterStartError     = "start_error"     // /v2/app/start failed
	CounterHeartbeatError = "heartbeat_error" // /v2/app/heartbeat failed (and was retried)
	CounterEndError       = "end_error"       // /v2/app/end failed
	CounterDialError      = "dial_error"
	CounterAuthFailed     = "auth_failed"
	CounterReadTimeout    = "read_timeout"
	CounterIgnoredOp      = "ignored_op"
	CounterEvents         = "events"
	// CounterNoPrice: a paid gift or a guard purchase (上舰) without a
	// price. It is still an event, worth 0 cents, so it buys no play time;
	// the counter shows the streamer how often that happens.
	CounterNoPrice = "gift_no_price"
)

type run struct {
	*Source
	log     *slog.Logger
	api     *api
	plainWS bool
	// unended is the id of a game of ours whose end was not confirmed:
	// it may still hold the room, so it is ended again before the next
	// start.
	unended string
	// noPriceWarning warns of the first paid gift or guard purchase
	// without a price; the rest are only counted (CounterNoPrice).
	noPriceWarning sync.Once
}

// Run is Stream with the events sent one by one on out, which it never
// closes.
func (s *Source) Run(ctx context.Context, out chan<- danmu.Event) error {
	return s.Stream(ctx, danmu.Forward(ctx, out))
}

// Stream starts the game and hands events to emit, one batch per
// WebSocket frame, until ctx is cancelled; then it ends the game and
// returns ctx.Err() after every goroutine it started has exited. It
// returns earlier for errors retrying cannot fix: a wrong 身份码
// (ErrInvalidCode), an invalid app (ErrInvalidApp), a bad signature
// (ErrSignature), another game in the room for RoomBusyFor (ErrRoomBusy),
// an incomplete configuration or an unreadable secret file.
func (s *Source) Stream(ctx context.Context, emit func([]danmu.Event) error) (err error) {
	s.Counters.Connecting("") // the 身份码 names no room, and is no one's to see
	defer func() { s.Counters.Ended(danmu.EndClass(ctx, err, errClass)) }()
	r, err := s.newRun()
	if err != nil {
		return err
	}
	failures := 0
	var busySince time.Time // the first of a run of 7002 refusals
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		authed, err := r.play(ctx, emit, failures)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if permanent(err) {
			return err
		}
		busy := errors.Is(err, ErrRoomBusy)
		switch {
		case !busy:
			busySince = time.Time{}
		case busySince.IsZero():
			busySince = time.Now()
		case time.Since(busySince) >= RoomBusyFor:
			return fmt.Errorf("bilibili/open: the room still had another game after %v of retrying: %w",
				time.Since(busySince).Round(time.Second), err)
		}
		if !authed.IsZero() && time.Since(authed) >= orDefault(s.HealthyAfter, DefaultHealthyAfter) {
			failures = 0
		}
		failures++
		delay := danmu.Backoff(failures, orDefault(s.BackoffMin, DefaultBackoffMin), orDefault(s.BackoffMax, DefaultBackoffMax))
		switch {
		case errors.Is(err, ErrGameOver):
			s.Counters.Inc(CounterGameRestart)
		case errors.Is(err, ErrCooldown):
			delay = max(delay, orDefault(s.CooldownMin, DefaultCooldownMin))
		case busy:
			delay = max(delay, RoomBusyWait)
		}
		s.Counters.Inc(CounterReconnect)
		s.Counters.Reconnecting(errClass(err))
		if busy {
			r.log.Warn("bilibili open platform: the room has a game running (our last one not yet closed, or another app's); trying again",
				"err", err, "attempt", failures, "delay", delay.Round(time.Millisecond),
				"gives_up_in", (RoomBusyFor - time.Since(busySince)).Round(time.Second))
		} else {
			r.log.Warn("bilibili open platform game ended; starting again", "err", err, "attempt", failures, "delay", delay.Round(time.Millisecond))
		}
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

// newRun checks the configuration and reads the secret.
func (s *Source) newRun() (*run, error) {
	var missing []string
	if strings.TrimSpace(s.Code) == "" {
		missing = append(missing, "the 身份码 (code)")
	}
	if s.AppID <= 0 {
		missing = append(missing, "app_id")
	}
	if s.AccessKeyID == "" {
		missing = append(missing, "access_key_id")
	}
	if s.AccessKeySecretFile == "" {
		missing = append(missing, "access_key_secret_file")
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("bilibili/open: missing %s", strings.Join(missing, ", "))
	}
	secret, err := readSecret(s.AccessKeySecretFile)
	if err != nil {
		return nil, err
	}
	r := &run{Source: s, log: s.Log}
	if r.log == nil {
		r.log = slog.New(slog.DiscardHandler)
	}
	r.log = r.log.With("platform", Platform, "mode", "open", "code_sha256", codeFingerprint(s.Code))
	client := s.HTTPClient
	if client == nil {
		client = &http.Client{Timeout: httpTimeout}
	}
	base := strings.TrimRight(s.API, "/")
	if base == "" {
		base = DefaultAPI
	}
	r.api = &api{http: client, base: base, accessKeyID: s.AccessKeyID, secret: secret}
	r.plainWS = strings.HasPrefix(strings.ToLower(base), "http://")
	return r, nil
}

// readSecret reads the access key secret: the file's content without
// surrounding white space.
func readSecret(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("bilibili/open: access key secret: %w", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxSecretFile+1))
	if err != nil {
		return nil, fmt.Errorf("bilibili/open: access key secret: %w", err)
	}
	secret := bytes.TrimSpace(b)
	switch {
	case len(b) > maxSecretFile:
		return nil, fmt.Errorf("bilibili/open: access key secret file %s is larger than %d bytes", path, maxSecretFile)
	case len(secret) == 0:
		return nil, fmt.Errorf("bilibili/open: access key secret file %s is empty", path)
	}
	return secret, nil
}

// codeFingerprint names a 身份码 in logs without any of its characters:
// the first 4 hex digits of its SHA-256. That tells two codes apart (the
// one in rules.yaml from the one on the command line, the old from the
// new) but reveals nothing of the code: 16 bits of a hash cannot be
// reversed, and against a 13-character code they leave far too many
// candidates to confirm a guess. Characters of the code itself, as logged
// before, took part of it to wherever the logs go.
func codeFingerprint(code string) string {
	sum := sha256.Sum256([]byte(code))
	return hex.EncodeToString(sum[:2])
}

func orDefault(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

// play starts a game, runs its WebSocket and its heartbeat until either
// fails or ctx ends, and ends the game. It returns when the WebSocket
// auth was accepted (zero if never) and why the game stopped.
func (r *run) play(ctx context.Context, emit func([]danmu.Event) error, attempt int) (time.Time, error) {
	if r.unended != "" {
		// Else the platform refuses the start (7002) until it closes
		// that game itself.
		r.end(ctx, &game{id: r.unended})
	}
	g, err := r.api.start(ctx, strings.TrimSpace(r.Code), r.AppID, r.plainWS)
	if err != nil {
		r.Counters.Inc(CounterStartError)
		if g != nil { // started, but unusable: do not leave it running
			r.end(ctx, g)
		}
		return time.Time{}, startError{err}
	}
	r.unended = "" // a room holds one game: whatever it was is closed
	defer func() {
		if p := recover(); p != nil {
			// A panic goes on at once to the caller's guard, which halts
			// the rig: the game is ended meanwhile, under its own
			// deadline, not before the halt.
			if _, ok := p.(*gopanic.Panic); !ok {
				p = gopanic.Of("bilibili/open: panic reading the stream", p)
			}
			go r.end(ctx, g)
			panic(p)
		}
		r.end(ctx, g)
	}()
	r.log.Info("bilibili open platform game started", "room", g.roomID, "streamer", g.uname)

	gctx, cancel := context.WithCancelCause(ctx)
	var wg sync.WaitGroup
	var beats *gopanic.Panic // the heartbeat's panic: written before wg.Done, read after wg.Wait
	// The heartbeat ends before the game on every way out, a panic on
	// the WebSocket's side included.
	defer func() {
		cancel(nil)
		wg.Wait()
	}()
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer func() {
			if p := recover(); p != nil {
				beats = gopanic.Of("bilibili/open: panic in the game heartbeat", p)
				cancel(beats) // the WebSocket ends
			}
		}()
		if err := r.heartbeats(gctx, g.id); err != nil {
			cancel(err)
		}
	}()
	c := &conn{run: r, dec: Decoder{RoomID: g.roomID, AnchorOpenID: g.anchor, GameID: g.id}}
	authed, err := c.serve(gctx, g.links[attempt%len(g.links)], g.authBody, emit)
	cancel(nil)
	wg.Wait()
	if beats != nil {
		panic(beats) // on the caller's goroutine, where its guard is (the deferred end still ends the game)
	}
	if cause := context.Cause(gctx); ctx.Err() == nil && cause != nil && !errors.Is(cause, context.Canceled) {
		err = cause // the game heartbeat failed for good
	}
	return authed, err
}

// heartbeats keeps the game alive: /v2/app/heartbeat every GameHeartbeat.
// It returns ErrGameOver (7003) or a permanent error; other failures are
// counted and retried after a quarter of the interval, so that two
// failures in a row still leave time within the platform's 60 s.
func (r *run) heartbeats(ctx context.Context, gameID string) error {
	if gameID == "" { // apps not yet listed get no game id and need no heartbeat
		<-ctx.Done()
		return nil
	}
	interval := orDefault(r.GameHeartbeat, DefaultGameHeartbeat)
	t := time.NewTimer(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
		hctx, cancel := context.WithTimeout(ctx, min(httpTimeout, interval/2))
		err := r.api.heartbeat(hctx, gameID)
		cancel()
		next := interval
		switch {
		case err == nil || ctx.Err() != nil:
		case errors.Is(err, ErrGameOver) || permanent(err):
			return err
		default:
			r.Counters.Inc(CounterHeartbeatError)
			r.log.Warn("bilibili open platform: game heartbeat failed; retrying", "err", err)
			next = interval / 4
		}
		t.Reset(next)
	}
}

// end ends the game under a fresh short context, so it also runs when ctx
// was cancelled (shutdown); otherwise the room may refuse a new start.
func (r *run) end(ctx context.Context, g *game) {
	if g.id == "" {
		return
	}
	ectx, cancel := context.WithTimeout(context.WithoutCancel(ctx), orDefault(r.EndTimeout, DefaultEndTimeout))
	defer cancel()
	if err := r.api.end(ectx, r.AppID, g.id); err != nil {
		r.Counters.Inc(CounterEndError)
		r.log.Warn("bilibili open platform: ending the game failed", "err", err)
		r.unended = g.id
		return
	}
	if r.unended == g.id {
		r.unended = ""
	}
	r.log.Debug("bilibili open platform game ended", "room", g.roomID)
}
