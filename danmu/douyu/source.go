package douyu

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cattease/cattease/danmu"
	"github.com/cattease/cattease/danmu/internal/gopanic"
)

// Defaults for the zero values of Source's knobs.
const (
	DefaultHeartbeat    = 45 * time.Second // mrkl interval (v1.6.2 doc §1.4)
	DefaultIdleTimeout  = 90 * time.Second // silence that means a dead connection
	DefaultDialTimeout  = 10 * time.Second // connect + TLS + WebSocket handshake
	DefaultLoginTimeout = 10 * time.Second // loginreq → loginres
	DefaultWriteTimeout = 10 * time.Second
	DefaultBackoffMin   = 1 * time.Second
	DefaultBackoffMax   = 60 * time.Second
	DefaultHealthyAfter = 60 * time.Second // a session this long resets the backoff
	// The logout is best effort: never hold up a shutdown for it.
	logoutTimeout = time.Second
)

// Source receives one Douyu room's chat, gifts, entries and live state.
//
// It connects anonymously to the web player's receive proxy (WebSocket
// over TLS, danmuproxy.douyu.com:8501–8506, random start, rotating on
// failure; plain TCP only when Addr asks for it), logs in, joins the whole-room group
// (gid -9999), sends a heartbeat every 45 s and reconnects with capped,
// jittered exponential backoff whenever the connection fails or falls
// silent for 90 s. The zero value of every field is its documented default;
// Room is required.
type Source struct {
	// Room is the room id as the user typed it. Short and vanity ids are
	// resolved to the real id (and the streamer's uid learnt) over HTTP.
	// A failed lookup is logged and retried with backoff until it works;
	// meanwhile a numeric id is joined as given (the streamer's own chat
	// counts as a viewer's until their uid is known) and a non-numeric
	// one is not joined at all: the source is reconnecting, each failed
	// lookup an attempt, with its class (not_found when Douyu answers
	// that no room has the id, api for an error status, the network's
	// class when the API cannot be reached). It never ends for that.
	Room string
	// API is the base URL for room-id resolution ("" = DefaultAPI,
	// APIOff = do not resolve).
	API string
	// Addr overrides the server: "" = the danmuproxy WebSocket (TLS)
	// ports with rotation; or ws://host:port, wss://host[:port] (no port =
	// 8501–8506), tcp://host[:port] (no port = 8601/8602). ws:// and
	// tcp:// are unencrypted: anyone on the path can forge chat, with
	// moderator and owner roles; a warning says so at the start.
	Addr string
	// HTTPClient is used for room-id resolution; nil = a client with a
	// 10 s timeout.
	HTTPClient *http.Client
	// KeepRobots keeps chatmsg without dms, which the web player hides
	// (robot / invisible danmaku). False drops them (counted).
	KeepRobots bool
	// Log receives connection state and server errors; nil = discard.
	Log *slog.Logger
	// Counters receives the counts listed with CounterEvents and
	// friends, and "decode_error:<reason>"; nil is fine.
	Counters *danmu.Counters

	// Knobs, mostly for tests. Zero = the Default… constant.
	Heartbeat    time.Duration
	IdleTimeout  time.Duration
	DialTimeout  time.Duration
	LoginTimeout time.Duration
	WriteTimeout time.Duration
	BackoffMin   time.Duration
	BackoffMax   time.Duration
	HealthyAfter time.Duration
	// MaxPacket caps a packet's length field; 0 = DefaultMaxLen.
	MaxPacket int
	// NetDial replaces the network dialer (both transports; TLS and the
	// WebSocket handshake still run on top). Tests hand out net.Pipe ends.
	NetDial func(ctx context.Context, network, addr string) (net.Conn, error)
	// RootCAs verifies wss:// servers; nil = the system roots.
	RootCAs *x509.CertPool
}

var _ danmu.Source = (*Source)(nil)

// ErrIdle is how a connection ends after IdleTimeout without a byte.
var ErrIdle = errors.New("douyu: connection silent for too long")

var errLoginTimeout = errors.New("douyu: no loginres in time")

func orDefault(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

// run is one Run's private state; Source itself is never modified.
type run struct {
	s       *Source
	log     *slog.Logger
	dec     *Decoder
	dialer  dialer
	hb      time.Duration
	idle    time.Duration
	login   time.Duration
	write   time.Duration
	healthy time.Duration

	// A resolution that failed at the start goes on in the background
	// and hands its result to late (nil when none is pending). pending
	// holds a result a session took in, for the decoder once the session
	// is over; lateOwner hands the owner to the running session's reader
	// when the room stays the same.
	late      chan RoomInfo
	pending   *RoomInfo
	lateOwner atomic.Pointer[string]
}

// Run is Stream with the events sent one by one on out, which it never
// closes.
func (s *Source) Run(ctx context.Context, out chan<- danmu.Event) error {
	return s.Stream(ctx, danmu.Forward(ctx, out))
}

// Stream receives events until ctx is cancelled, reconnecting as needed,
// and hands them to emit one batch per read from the connection. It
// returns ctx.Err() after sending logout and waiting for every goroutine it
// started, or an error at once if the configuration is unusable.
func (s *Source) Stream(ctx context.Context, emit func([]danmu.Event) error) (err error) {
	s.Counters.Connecting(s.Room)
	defer func(ctx context.Context) { s.Counters.Ended(danmu.EndClass(ctx, err, errClass)) }(ctx)
	if s.Room == "" {
		return errors.New("douyu: no room id")
	}
	eps, err := endpoints(s.Addr)
	if err != nil {
		return err
	}
	log := s.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	log = log.With("source", Platform)
	if eps[0].plaintext() {
		log.Warn("douyu: unencrypted connection: anyone on the network path can read the chat and forge messages, moderators' and the streamer's commands included; use wss:// unless this network blocks it",
			"addr", s.Addr)
	}
	r := &run{
		s:       s,
		log:     log,
		dialer:  dialer{netDial: s.NetDial, roots: s.RootCAs, timeout: orDefault(s.DialTimeout, DefaultDialTimeout)},
		hb:      orDefault(s.Heartbeat, DefaultHeartbeat),
		idle:    orDefault(s.IdleTimeout, DefaultIdleTimeout),
		login:   orDefault(s.LoginTimeout, DefaultLoginTimeout),
		write:   orDefault(s.WriteTimeout, DefaultWriteTimeout),
		healthy: orDefault(s.HealthyAfter, DefaultHealthyAfter),
	}
	bmin := orDefault(s.BackoffMin, DefaultBackoffMin)
	bmax := max(orDefault(s.BackoffMax, DefaultBackoffMax), bmin)

	// The background resolution below ends with ctx: cancel it on every
	// way out, a panic included, before waiting for it. A panic there
	// cancels ctx too, and is raised again here once it has ended.
	ctx, cancel := context.WithCancel(ctx)
	var bg sync.WaitGroup
	var bgPanic *gopanic.Panic // written before bg.Done, read after bg.Wait
	defer func() {
		if bgPanic != nil {
			panic(bgPanic) // on the caller's goroutine, where its guard is
		}
	}()
	defer bg.Wait()
	defer cancel()
	info, err := r.resolve(ctx)
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if err != nil {
		// Keep trying in the background (Wi-Fi or DNS late at boot, a
		// passing 403 or 5xx): until then the streamer's uid is unknown,
		// so their own commands count as a viewer's.
		if !isRoomID(s.Room) {
			r.lookupFailed(err) // before the goroutine's next ones
		}
		r.late = make(chan RoomInfo, 1)
		bg.Add(1)
		go func() {
			defer bg.Done()
			defer func() {
				if p := recover(); p != nil {
					bgPanic = gopanic.Of("douyu: panic resolving the room id", p)
					cancel()
				}
			}()
			r.resolveLater(ctx, bmin, bmax)
		}()
		if !isRoomID(s.Room) {
			// A vanity id names no room the server knows: joining it
			// would bring nothing, forever. Wait for the real id.
			select {
			case <-ctx.Done():
				return ctx.Err()
			case info = <-r.late:
				r.late = nil
			}
		}
	}
	r.dec = &Decoder{Room: info.ID, Owner: info.Owner, KeepRobots: s.KeepRobots, Counters: s.Counters}
	failures, next := 0, 0
	for {
		r.applyLate()
		ep := eps[next]
		res := r.session(ctx, ep, emit)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if res.resolved {
			// Not a failure: join the room the id turned out to be, now.
			r.applyLate()
			continue
		}
		s.Counters.Inc(CounterReconnect)
		s.Counters.Reconnecting(errClass(res.err))
		if res.loggedIn && res.lasted >= r.healthy {
			failures = 0 // a healthy session: start the backoff afresh, same endpoint
		} else {
			failures++
			next = (next + 1) % len(eps)
		}
		delay := danmu.Backoff(failures, bmin, bmax)
		r.log.Warn("douyu: connection ended; reconnecting",
			"endpoint", ep.String(), "err", res.err, "lasted", res.lasted.Round(time.Millisecond),
			"retry_in", delay.Round(time.Millisecond), "next", eps[next].String())
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

// resolve finds the real room id. When it cannot, it says why and returns
// the id as given with the error; with resolution off, the id as given.
func (r *run) resolve(ctx context.Context) (RoomInfo, error) {
	s := r.s
	given := RoomInfo{ID: s.Room}
	if s.API == APIOff {
		r.log.Info("douyu: room id resolution off; using the id as given", "room", s.Room)
		return given, nil
	}
	info, err := r.lookup(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return given, err
		}
		if isRoomID(s.Room) {
			r.log.Warn("douyu: cannot resolve the room id; using it as given (fine if it is already the real id)",
				"room", s.Room, "err", err, "retrying", true)
		} else {
			r.log.Error("douyu: cannot resolve the room id and it is not numeric: not connecting until it resolves",
				"room", s.Room, "err", err)
		}
		if errors.Is(err, ErrRoomNotFound) {
			r.log.Error("douyu: Douyu says no room has this id: check it (the number in the room page's address); retrying meanwhile",
				"room", s.Room)
		}
		return given, err
	}
	if info.ID != s.Room {
		r.log.Info("douyu: room id resolved", "room", s.Room, "real_id", info.ID)
	}
	return info, nil
}

// lookup asks the room-info API once.
func (r *run) lookup(ctx context.Context) (RoomInfo, error) {
	client := r.s.HTTPClient
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	rctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	return ResolveRoom(rctx, client, r.s.API, r.s.Room)
}

// resolveLater retries the lookup with backoff until it succeeds, then
// hands the result to r.late (once), or until ctx ends.
func (r *run) resolveLater(ctx context.Context, bmin, bmax time.Duration) {
	delay := danmu.Backoff(1, bmin, bmax)
	for failures := 2; ; failures++ {
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
		info, err := r.lookup(ctx)
		if ctx.Err() != nil {
			return
		}
		if err == nil {
			r.log.Info("douyu: room id resolved", "room", r.s.Room, "real_id", info.ID, "owner_known", info.Owner != "")
			r.late <- info // buffered, and sent once
			return
		}
		delay = danmu.Backoff(failures, bmin, bmax)
		if isRoomID(r.s.Room) { // connected meanwhile: only the owner is missing
			r.log.Debug("douyu: room id still unresolved", "room", r.s.Room, "err", err)
		} else {
			r.lookupFailed(err)
			r.log.Warn("douyu: room id still unresolved; not connecting yet", "room", r.s.Room, "err", err,
				"retry_in", delay.Round(time.Millisecond))
		}
	}
}

// lookupFailed reports a failed lookup of a room id that is not joined
// until it resolves: the source is not connected, and will try again.
func (r *run) lookupFailed(err error) {
	r.s.Counters.Inc(CounterReconnect)
	r.s.Counters.Reconnecting(errClass(err))
}

// applyLate takes a late resolution into the decoder. Only between
// sessions: while one runs, the decoder belongs to its reader.
func (r *run) applyLate() {
	if r.pending == nil && r.late != nil {
		select {
		case info := <-r.late:
			r.late = nil
			r.pending = &info
		default:
		}
	}
	if r.pending != nil {
		r.dec.Room, r.dec.Owner = r.pending.ID, r.pending.Owner
		r.pending = nil
	}
	r.lateOwner.Store(nil)
}

type sessionResult struct {
	loggedIn bool
	lasted   time.Duration // since login
	err      error
	resolved bool // ended to join the room a late resolution named
}

// session runs one connection from dial to close.
func (r *run) session(ctx context.Context, ep endpoint, emit func([]danmu.Event) error) sessionResult {
	room := r.dec.Room
	r.log.Debug("douyu: connecting", "endpoint", ep.String(), "room", room)
	c, err := r.dialer.dial(ctx, ep)
	if err != nil {
		if ctx.Err() == nil {
			r.s.Counters.Inc(CounterDialError)
		}
		return sessionResult{err: err}
	}

	var wbuf []byte
	send := func(m Message) error {
		wbuf = AppendMessage(wbuf[:0], TypeClient, m)
		_ = c.setWriteDeadline(time.Now().Add(r.write))
		return c.write(wbuf)
	}
	loggedIn := make(chan struct{})
	readDone := make(chan error, 1)
	var wg sync.WaitGroup
	// finish says goodbye, closes and waits for the reader.
	finish := func(logout bool) {
		if logout {
			wbuf = AppendMessage(wbuf[:0], TypeClient, Msg("type", "logout"))
			_ = c.setWriteDeadline(time.Now().Add(logoutTimeout))
			_ = c.write(wbuf)
		}
		_ = c.close()
		wg.Wait()
	}

	if err := send(Msg("type", "loginreq", "roomid", room)); err != nil {
		finish(false)
		return sessionResult{err: fmt.Errorf("send loginreq: %w", err)}
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer func() {
			if p := recover(); p != nil {
				readDone <- gopanic.Of("douyu: panic reading", p)
			}
		}()
		readDone <- r.read(c, emit, loggedIn)
	}()

	var since time.Time
	lasted := func() time.Duration {
		if since.IsZero() {
			return 0
		}
		return time.Since(since)
	}
	loginTimer := time.NewTimer(r.login)
	defer loginTimer.Stop()
	var ticker *time.Ticker
	defer func() {
		if ticker != nil {
			ticker.Stop()
		}
	}()
	var tick <-chan time.Time
	for {
		select {
		case <-ctx.Done():
			finish(true)
			return sessionResult{loggedIn: !since.IsZero(), lasted: lasted(), err: ctx.Err()}
		case err := <-readDone:
			if p, ok := err.(*gopanic.Panic); ok {
				finish(false)
				panic(p) // on the caller's goroutine, where its guard is
			}
			if !since.IsZero() {
				r.s.Counters.Inc(CounterConnLost)
			}
			finish(!isEOF(err))
			return sessionResult{loggedIn: !since.IsZero(), lasted: lasted(), err: err}
		case <-loginTimer.C:
			r.s.Counters.Inc(CounterLoginTimeout)
			finish(true)
			return sessionResult{err: errLoginTimeout}
		case <-loggedIn:
			loggedIn = nil
			loginTimer.Stop()
			since = time.Now()
			if err := send(Msg("type", "joingroup", "rid", room, "gid", "-9999")); err != nil {
				finish(false)
				return sessionResult{loggedIn: true, err: fmt.Errorf("send joingroup: %w", err)}
			}
			r.s.Counters.Inc(CounterConnect)
			r.s.Counters.Connected("")
			r.log.Info("douyu: connected", "endpoint", ep.String(), "room", room)
			ticker = time.NewTicker(r.hb)
			tick = ticker.C
		case info := <-r.late:
			r.late, r.pending = nil, &info
			if info.ID != room {
				r.log.Info("douyu: reconnecting to the resolved room", "room", room, "real_id", info.ID)
				finish(true)
				return sessionResult{loggedIn: !since.IsZero(), lasted: lasted(), resolved: true}
			}
			r.lateOwner.Store(&info.Owner)
		case <-tick:
			if err := send(Msg("type", "mrkl")); err != nil {
				r.s.Counters.Inc(CounterConnLost)
				finish(false)
				return sessionResult{loggedIn: true, lasted: lasted(), err: fmt.Errorf("send heartbeat: %w", err)}
			}
		}
	}
}

// read pumps the connection: packets → messages → Events, handed to emit
// in one batch per read. It returns the error that ended the connection:
// a read error, ErrIdle, or a framing error (the stream is
// desynchronised; the caller reconnects; the events before it are handed
// on). Errors inside one packet (escapes, UTF-8) only drop that packet.
func (r *run) read(c conn, emit func([]danmu.Event) error, loggedIn chan<- struct{}) error {
	sp := Splitter{Type: TypeServer, Max: r.s.MaxPacket}
	var m Message
	counters := r.s.Counters
	var batch danmu.Batch
	flush := func() error {
		n, err := batch.Flush(emit)
		if err != nil {
			return err
		}
		counters.Add(CounterEvents, uint64(n))
		return nil
	}
	for {
		if owner := r.lateOwner.Swap(nil); owner != nil {
			r.dec.Owner = *owner
		}
		for {
			p, ok, err := sp.Next()
			if err != nil {
				if ferr := flush(); ferr != nil {
					return ferr
				}
				counters.Inc(CounterDecodeErrorPrefix + Reason(err))
				r.log.Warn("douyu: bad frame; dropping the connection", "err", err)
				return err
			}
			if !ok {
				break
			}
			if err := DecodeInto(&m, p.Body); err != nil {
				counters.Inc(CounterDecodeErrorPrefix + Reason(err))
				r.log.Debug("douyu: undecodable message dropped", "err", err, "bytes", len(p.Body))
				continue
			}
			switch m.Type() {
			case "loginres":
				if loggedIn != nil {
					close(loggedIn)
					loggedIn = nil
				}
			case "error":
				code := m.Get("code")
				counters.Inc(CounterServerError)
				r.log.Warn("douyu: server error", "code", code, "meaning", ErrorMeaning(code))
			}
			ev, ok := r.dec.Decode(m)
			if !ok {
				continue
			}
			batch.Add(ev)
		}
		if err := flush(); err != nil {
			return err
		}
		_ = c.setReadDeadline(time.Now().Add(r.idle))
		if err := c.fill(&sp); err != nil {
			if isTimeout(err) {
				counters.Inc(CounterIdleTimeout)
				return fmt.Errorf("%w (%v)", ErrIdle, r.idle)
			}
			return err
		}
	}
}

// ErrorMeaning explains a server error code (type@=error/code@=N/), from the
// v1.6.2 protocol document and later clients' tables.
func ErrorMeaning(code string) string {
	switch code {
	case "0":
		return "ok"
	case "51":
		return "data transmission error / channel closed (数据传输出错)"
	case "52":
		return "server shutting down (服务器关闭)"
	case "59":
		return "logged in to the room elsewhere (在其他地方登录直播间)"
	case "204":
		return "wrong room id (房间 id 错误)"
	case "207":
		return "parameter check failed (参数校验不通过)"
	case "252":
		return "left the room (退出直播间)"
	case "267":
		return "too many rooms open from this IP or account (同一个 ip/账号打开的房间过多)"
	case "4202":
		return "cookie expired (cookie 过期)"
	case "4207":
		return "parameter check failed or cookie expired"
	}
	if _, err := strconv.Atoi(code); err != nil {
		return "malformed error code"
	}
	return "internal server error (unlisted code)"
}
