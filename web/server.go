package web

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/cattease/cattease/actuators/safety"
	"github.com/cattease/cattease/control"
)

// Engine is what the web package needs of control.Engine.
type Engine interface {
	Status(now time.Time) control.Status
	Stop(now time.Time)
	Resume(now time.Time)
	SetPaused(paused bool)
	SetPolicy(policy string) error
	Inject(now time.Time, rule string) (control.Decision, error)
	Commands() []string
	SetLaser(switchName string, on bool) bool // the streamer's laser switch
}

// Rig is what the web package needs of safety.Envelope: the panel's
// laser switch goes through Engine.SetLaser.
type Rig interface {
	Snapshot() safety.State
}

var (
	_ Engine = (*control.Engine)(nil)
	_ Rig    = (*safety.Envelope)(nil)
)

// Server serves the overlay, the panel, the API and the metrics. Set the
// fields, then call Handler, Run or Serve; the fields must not change
// afterwards. Decision and Output may be called before that.
// The zero value of every optional field is a documented default.
type Server struct {
	Engine Engine
	Rig    Rig
	// Reload re-reads rules.yaml and returns the sections read only at
	// start whose changes wait for a restart; nil means the panel cannot
	// reload.
	Reload func() (restart []string, err error)
	// Labels returns the commands' labels (rules.yaml label:) by rule
	// name, for the overlay, the panel and /api/commands; nil = none. It
	// is called for every frame, so it must be cheap and never block.
	Labels func() map[string]Label
	// Sources returns the chat sources' state for the overlay, the panel
	// and GET /api/status; nil = none. Called for every frame, like
	// Labels: it must be cheap and never block.
	Sources func() []SourceStatus
	// Token guards every control request. "" allows control only from
	// loopback pages, and Run then refuses non-loopback addresses.
	Token string
	// SessionKey signs the panel's login cookie: a random secret kept
	// beside the token (cmd keeps it in the state directory, so that a
	// login outlives a restart). The cookie holds a time and an HMAC of
	// the token and that time under this key, never the token: it can be neither forged nor
	// guessed, so checking it costs no guess (guesses.go), and a guesser
	// on the network cannot keep a logged-in panel from its STOP. "" = a
	// random key for this process only: logins end with it.
	SessionKey string
	// Metrics, if set, is served at /metrics and counts SSE traffic.
	Metrics *Metrics
	Log     *slog.Logger
	// Now is the clock for status and control requests; nil = time.Now.
	Now func() time.Time
	// ClockSynced reports whether Now is known to be right (NTP has
	// answered); nil = always. A login's session from a clock ahead of
	// this one is dated anew only on a clock known to be right.
	ClockSynced func() bool
	// Exposure decides the checks Serve makes (a Host check on loopback,
	// the token for everything but the overlay's data on a network);
	// ExposureAuto (the zero value) decides from the listener's address.
	Exposure Exposure
	// MaxConns caps the connections open at once (0 = DefaultMaxConns);
	// on loopback more wait in the kernel's backlog until one closes. On
	// the network each client (clientKey) may also have at most
	// connsPerClient open (its next ones are closed) and streamsPerClient
	// event streams, and when every connection or stream is taken, a
	// client holding fewer than the one holding the most takes that one's
	// newest (fair-share eviction; see limitListener).
	MaxConns int
	// OnPanic, if set, is told of a panic on a goroutine the server runs
	// (the event broadcaster, the accept loop, a request's handler): what
	// names where, value is the panic's, stack its goroutine's. The
	// program is expected to halt its outputs and end (cmd/cattease does);
	// the request is aborted. nil = the panic goes on, as it did: it ends
	// the program, or for a request net/http logs it and drops the
	// connection.
	OnPanic func(what string, value any, stack []byte)

	once       sync.Once // hub, guess limiter, default logger
	muxOnce    sync.Once // routes, built from the fields at the first Handler
	hub        *hub
	mux        http.Handler
	guesses    *guessLimiter // wrong tokens, per address group
	sessionKey []byte        // SessionKey, or this process's own
	hostLog    logEvery      // refusals of the loopback Host check
	badLog     logEvery      // wrong tokens
	limitLog   logEvery      // requests refused for too many wrong tokens
	connLog    logEvery      // connections closed over a client's share
	streamLog  logEvery      // event streams refused over a client's share
}

// Timing of the server.
const (
	MinFrameGap  = 100 * time.Millisecond // at most 10 frames a second
	IdleFrameGap = time.Second            // at least one frame a second while watched
	writeTimeout = 10 * time.Second       // a client that takes longer to read is dropped
	// shutdownGrace is how long a stop lets requests in progress finish;
	// then their connections are closed, and forceCloseWait is how long
	// it waits for their handlers to return.
	shutdownGrace  = 5 * time.Second
	forceCloseWait = time.Second
	// DefaultMaxConns is the connection cap: the event streams
	// (MaxClients), a few panels and browsers' parallel fetches, and a
	// scraper, with room to spare; 64 idle connections cost under 1 MiB.
	DefaultMaxConns = 64
	// A connection that has not sent its request headers within
	// readHeaderTimeout, or stays idle between requests for idleTimeout,
	// is closed, so idle connections cannot keep the cap's slots. On the
	// network only a request with the token leaves its connection open
	// for the next (closeAfter).
	readHeaderTimeout = 3 * time.Second
	idleTimeout       = 10 * time.Second
)

func (s *Server) init() {
	s.once.Do(func() {
		if s.Log == nil {
			s.Log = slog.New(slog.DiscardHandler)
		}
		s.hub = newHub(s)
		s.guesses = newGuessLimiter()
		s.sessionKey = []byte(s.SessionKey)
		if len(s.sessionKey) == 0 {
			s.sessionKey = make([]byte, 32)
			rand.Read(s.sessionKey) // never fails (crypto/rand, Go 1.24+)
		}
	})
}

func (s *Server) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// Decision receives every decision from the engine (control.Options
// OnDecision). It is called under the engine's lock: it never blocks and
// never calls back into the engine.
func (s *Server) Decision(d control.Decision) {
	s.init()
	s.hub.decision(d)
}

// Output receives every output from the motion loop (safety.Config
// OnOutput). It is called under the envelope's lock: it only wakes the
// broadcaster.
func (s *Server) Output(safety.Output) {
	s.init()
	s.hub.wake()
}

// Handler returns the HTTP handler for every route. The fields are read
// at the first call (Decision and Output may come earlier: the engine and
// the envelope are built before the server is complete).
func (s *Server) Handler() http.Handler {
	s.init()
	s.muxOnce.Do(func() {
		s.mux = s.routes()
		if s.Metrics != nil {
			s.Metrics.watchState(s.Engine, s.Rig, s.now)
		}
	})
	return s.mux
}

// Run listens on addr and serves until ctx is done, then shuts down
// gracefully and returns ctx.Err() once every goroutine it started has
// exited. Without a Token it refuses any address that is not loopback.
func (s *Server) Run(ctx context.Context, addr string) error {
	if s.Token == "" && !LoopbackAddr(addr) {
		return fmt.Errorf("web: refusing to listen on %q without a token: control would be open to the network", addr)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("web: listen: %w", err)
	}
	return s.Serve(ctx, ln)
}

// Serve is Run on a listener the caller opened; it closes ln. On a
// loopback listener (see Exposure) it answers only requests whose Host is
// localhost, 127.0.0.1 or [::1] with the listener's port; on any other it
// requires the token for all but the overlay's own read-only data, and
// refuses to start without a token.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	exp := exposureOf(s.Exposure, ln.Addr())
	if exp == ExposureNetwork && s.Token == "" {
		ln.Close()
		return fmt.Errorf("web: refusing to serve on %s without a token: control would be open to the network", ln.Addr())
	}
	var reqs inflight
	h := s.recovering(reqs.track(s.guard(s.Handler(), exp, ln.Addr())))
	maxConns := s.MaxConns
	if maxConns <= 0 {
		maxConns = DefaultMaxConns
	}
	perClient := 0
	if exp == ExposureNetwork {
		perClient = connsPerClient
	}
	ln = newLimitListener(ln, maxConns, perClient, s.connRefused)
	base, cancelBase := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelBase()
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       10 * time.Second,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    16 << 10,
		BaseContext:       func(net.Listener) context.Context { return base },
		ErrorLog:          slog.NewLogLogger(s.Log.Handler(), slog.LevelDebug),
	}
	errc := make(chan error, 1)
	go func() {
		err := errServePanicked
		defer func() { errc <- err }()
		defer s.recoverPanic("the web server's accept loop")
		err = srv.Serve(ln)
	}()
	s.Log.Info("web: listening", "addr", ln.Addr().String(), "exposure", exp.String(), "max_conns", maxConns, perClientAttr(perClient))
	select {
	case err := <-errc:
		cancelBase()
		s.hub.wait()
		return fmt.Errorf("web: serve: %w", err)
	case <-ctx.Done():
	}
	cancelBase() // event streams end, so Shutdown need not wait for them
	err := s.shutdown(srv, errc, &reqs)
	s.hub.wait()
	if err != nil {
		return err
	}
	return ctx.Err()
}

// perClientAttr is the log attribute of the connections a client may
// have open, none without such a cap (slog drops an empty Attr).
func perClientAttr(n int) slog.Attr {
	if n <= 0 {
		return slog.Attr{}
	}
	return slog.Int("max_conns_per_client", n)
}

// connRefused counts a connection closed over its client's share, or
// evicted (held, and closed for a client holding fewer while every
// connection was taken), and logs it sparingly. It runs on the accept
// loop: it never blocks.
func (s *Server) connRefused(remote net.Addr, evicted bool) {
	s.refuse(refusedBusy)
	if ok, n := s.connLog.allow(s.now()); ok {
		if evicted {
			s.Log.Warn("web: every connection is taken; closing the newest of the address holding the most", "remote", remote.String(), "max", connsPerClient, unloggedAttr(n))
			return
		}
		s.Log.Warn("web: too many connections from one address; closing its new ones", "remote", remote.String(), "max", connsPerClient, unloggedAttr(n))
	}
}

// errServePanicked is what the accept loop returns after a panic.
var errServePanicked = errors.New("web: the accept loop panicked")

// recoverPanic is deferred first thing on each goroutine the server
// starts: a panic goes to OnPanic, or on.
func (s *Server) recoverPanic(what string) {
	if p := recover(); p != nil {
		s.panicked(what, p)
	}
}

func (s *Server) panicked(what string, p any) {
	if s.OnPanic == nil {
		panic(p)
	}
	s.OnPanic(what, p, debug.Stack())
}

// recovering hands a panic in h to OnPanic, then aborts the request
// (http.ErrAbortHandler: net/http drops the connection quietly). Without
// OnPanic, and for an abort, the panic goes on to net/http.
func (s *Server) recovering(h http.Handler) http.Handler {
	if s.OnPanic == nil {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if p := recover(); p != nil {
				if p != http.ErrAbortHandler {
					s.OnPanic("a web request to "+limitText(r.URL.Path, 64), p, debug.Stack())
				}
				panic(http.ErrAbortHandler)
			}
		}()
		h.ServeHTTP(w, r)
	})
}

// limitText cuts s to at most n bytes (and valid UTF-8).
func limitText(s string, n int) string {
	if len(s) > n {
		return strings.ToValidUTF8(s[:n], "") + "…"
	}
	return s
}

// shutdown stops srv: it lets the requests in progress finish for up to
// shutdownGrace, then closes the connections still busy (a client sending
// its body slowly, or not reading its answer) instead of failing the stop,
// which would make systemd mark the unit failed at every stop; it then
// waits up to forceCloseWait for their handlers to return.
func (s *Server) shutdown(srv *http.Server, errc <-chan error, reqs *inflight) error {
	ctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	err := srv.Shutdown(ctx)
	if errors.Is(err, context.DeadlineExceeded) {
		s.Log.Debug("web: connections still busy after the grace period; closing them", "grace", shutdownGrace)
		_ = srv.Close() // its error is the listener's, which Shutdown closed already
		err = nil
		t := time.NewTimer(forceCloseWait)
		defer t.Stop()
		select {
		case <-reqs.done():
		case <-t.C:
			s.Log.Debug("web: requests still being handled after their connections closed")
		}
	}
	if serr := <-errc; !errors.Is(serr, http.ErrServerClosed) {
		err = errors.Join(err, serr)
	}
	if err != nil {
		return fmt.Errorf("web: shutdown: %w", err)
	}
	return nil
}

// inflight counts the requests being handled, so that Serve can wait for
// them after closing their connections: http.Server.Close does not.
type inflight struct {
	mu   sync.Mutex
	n    int
	idle chan struct{} // closed when n is back to 0 while someone waits
}

func (f *inflight) track(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.add(1)
		defer f.add(-1)
		h.ServeHTTP(w, r)
	})
}

func (f *inflight) add(d int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.n += d
	if f.n == 0 && f.idle != nil {
		close(f.idle)
		f.idle = nil
	}
}

// done returns a channel that is closed once no request is being handled.
func (f *inflight) done() <-chan struct{} {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.idle
	if c == nil {
		c = make(chan struct{})
	}
	if f.n == 0 {
		close(c)
		f.idle = nil
		return c
	}
	f.idle = c
	return c
}

// LoopbackAddr reports whether a listen address (host:port) can only be
// reached from this machine: localhost or a loopback IP. An empty host
// ("":8080) means every interface and is not loopback.
func LoopbackAddr(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	return loopbackHost(host)
}

func loopbackHost(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
