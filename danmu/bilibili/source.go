package bilibili

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/cattease/cattease/danmu"
)

// Default timings. Each has a Source field whose zero value means the
// default.
const (
	DefaultHeartbeat    = 30 * time.Second // the web client's interval; the server drops a silent client after ~60 s
	DefaultAuthTimeout  = 5 * time.Second  // Bilibili closes a connection that has not authenticated within 5 s
	DefaultBackoffMin   = time.Second
	DefaultBackoffMax   = 2 * time.Minute
	DefaultHealthyAfter = time.Minute // a connection up this long resets the backoff
	dialTimeout         = 10 * time.Second
	writeTimeout        = 10 * time.Second
	httpTimeout         = 15 * time.Second
)

// Source is the Bilibili web chat of one live room: it resolves the room,
// fetches a fresh token for every connection, keeps the WebSocket alive and
// reconnects with backoff until its context is cancelled. Configure the
// fields, then call Run once; zero values are the documented defaults.
type Source struct {
	Room       string          // short or real room id, e.g. "21" or "21144080"
	API        string          // base URL of every HTTP endpoint; "" = the real hosts (see package doc)
	CookieFile string          // optional browser cookie (SESSDATA …); read once per Run, never logged
	HTTPClient *http.Client    // nil = a client with a 15 s timeout
	Log        *slog.Logger    // nil = discard
	Counters   *danmu.Counters // nil = not counted

	// Timing knobs; tests shorten them.
	Heartbeat    time.Duration // 0 = DefaultHeartbeat
	ReadTimeout  time.Duration // no frame for this long = dead connection; 0 = Heartbeat + 15 s
	AuthTimeout  time.Duration // dial to auth reply; 0 = DefaultAuthTimeout (plus dialing)
	BackoffMin   time.Duration // first retry delay; 0 = DefaultBackoffMin
	BackoffMax   time.Duration // cap of the exponential backoff; 0 = DefaultBackoffMax
	HealthyAfter time.Duration // 0 = DefaultHealthyAfter

	// NetDial, if set, opens the WebSocket's network connections (the HTTP
	// client has its own transport). Tests use it for in-memory pipes.
	NetDial func(ctx context.Context, network, addr string) (net.Conn, error)
}

var _ danmu.Source = (*Source)(nil)

// The counter names Source uses besides decode_error:<reason> and the skip
// reasons (unknown_cmd, ignored_cmd, mirror).
const (
	CounterReconnect      = "reconnect"       // a connection ended or failed and is retried
	CounterBootstrapError = "bootstrap_error" // room_init, nav or getDanmuInfo failed
	CounterDialError      = "dial_error"      // WebSocket handshake failed
	CounterAuthFailed     = "auth_failed"     // op 8 with a non-zero code, or no op 8 in time
	CounterReadTimeout    = "read_timeout"    // no frame within ReadTimeout
	CounterIgnoredOp      = "ignored_op"      // a packet with an operation clients do not handle, or a command before the auth reply
	CounterEvents         = "events"          // events handed on
)

// run is the per-Run state: defaults resolved, caches, counters.
type run struct {
	*Source
	log      *slog.Logger
	api      *api
	guest    bool // no usable login: names are masked
	warnOnce sync.Once
	plainWS  bool // API base is http://: ws:// and ws_port
}

// Run is Stream with the events sent one by one on out, which it never
// closes.
func (s *Source) Run(ctx context.Context, out chan<- danmu.Event) error {
	return s.Stream(ctx, danmu.Forward(ctx, out))
}

// Stream connects and hands events to emit, one batch per WebSocket frame,
// until ctx is cancelled; then it returns ctx.Err() after every goroutine
// it started has exited. It returns earlier only for errors retrying
// cannot fix: a room that does not exist, an unreadable cookie file.
func (s *Source) Stream(ctx context.Context, emit func([]danmu.Event) error) (err error) {
	s.Counters.Connecting(strings.TrimSpace(s.Room))
	defer func() { s.Counters.Ended(danmu.EndClass(ctx, err, errClass)) }()
	r, err := s.newRun()
	if err != nil {
		return err
	}
	failures := 0
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		authed, err := r.connect(ctx, emit, failures)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if errors.Is(err, ErrRoomNotFound) {
			return err
		}
		if !authed.IsZero() && time.Since(authed) >= orDefault(s.HealthyAfter, DefaultHealthyAfter) {
			failures = 0
		}
		failures++
		s.Counters.Inc(CounterReconnect)
		s.Counters.Reconnecting(errClass(err))
		// Re-bootstrap (room_init, nav, buvid3) after repeated failures:
		// stale keys or a blocked buvid look the same as a bad network.
		if failures%rebootstrapAfter == 0 {
			r.api.forget()
		}
		delay := danmu.Backoff(failures, orDefault(s.BackoffMin, DefaultBackoffMin), orDefault(s.BackoffMax, DefaultBackoffMax))
		r.log.Warn("bilibili connection ended; reconnecting", "err", err, "attempt", failures, "delay", delay.Round(time.Millisecond))
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

// rebootstrapAfter is how many failures in a row drop every cached
// bootstrap result.
const rebootstrapAfter = 3

// newRun checks the configuration and resolves its defaults.
func (s *Source) newRun() (*run, error) {
	if strings.TrimSpace(s.Room) == "" {
		return nil, errors.New("bilibili: no room")
	}
	r := &run{Source: s, log: s.Log}
	if r.log == nil {
		r.log = slog.New(slog.DiscardHandler)
	}
	r.log = r.log.With("platform", Platform, "room", s.Room)
	var cookies []*http.Cookie
	if s.CookieFile != "" {
		var err error
		if cookies, err = loadCookieFile(s.CookieFile); err != nil {
			return nil, err
		}
	}
	client := s.HTTPClient
	if client == nil {
		client = &http.Client{Timeout: httpTimeout}
	}
	r.api = newAPI(client, s.API, cookies)
	r.plainWS = strings.HasPrefix(strings.ToLower(s.API), "http://")
	r.guest = !hasSESSDATA(cookies)
	if r.guest {
		r.warnGuest("no cookie file with SESSDATA")
	}
	return r, nil
}

func orDefault(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

func (r *run) warnGuest(why string) {
	r.warnOnce.Do(func() {
		r.log.Warn("bilibili: not logged in ("+why+"): Bilibili masks viewers' names and uids for guests, so per-user rules, "+
			"owner and moderator roles will not work; set a cookie file with SESSDATA", "masked", true)
	})
}

// connect bootstraps over HTTP, then runs one WebSocket connection until it
// fails or ctx ends. It returns when the server accepted the auth (zero if
// it never did).
func (r *run) connect(ctx context.Context, emit func([]danmu.Event) error, attempt int) (time.Time, error) {
	rm, err := r.api.resolveRoom(ctx, strings.TrimSpace(r.Room))
	if err != nil {
		r.Counters.Inc(CounterBootstrapError)
		return time.Time{}, bootstrapError{err}
	}
	now := time.Now()
	if err := r.api.refreshNav(ctx, now); err != nil {
		r.Counters.Inc(CounterBootstrapError)
		return time.Time{}, bootstrapError{err}
	}
	if !r.guest && !r.api.loggedIn() {
		r.warnGuest("the cookie file's SESSDATA was not accepted; it may have expired")
	}
	r.api.ensureBuvid(ctx)
	token, hosts, err := r.api.danmuInfo(ctx, rm.id, now)
	if err != nil {
		r.Counters.Inc(CounterBootstrapError)
		return time.Time{}, bootstrapError{err}
	}
	h := hosts[attempt%len(hosts)]
	u, ok := wsURL(h, r.plainWS)
	if !ok {
		r.Counters.Inc(CounterBootstrapError)
		return time.Time{}, fmt.Errorf("bilibili: host %q has no usable port", h.Host)
	}
	c := &conn{
		run:  r,
		dec:  Decoder{RoomID: rm.id, StreamerUID: rm.streamerUID},
		auth: authBody{UID: r.api.uid, RoomID: rm.id, ProtoVer: 3, Buvid: r.api.buvid, Platform: "web", Type: 2, Key: token},
	}
	r.log.Debug("bilibili connecting", "host", h.Host, "real_room", rm.id, "logged_in", r.api.loggedIn())
	return c.serve(ctx, u, emit)
}
