package mqtt

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/eclipse/paho.golang/autopaho"
	"github.com/eclipse/paho.golang/paho"
)

// Message is one message received on a subscribed topic.
type Message struct {
	Topic   string
	Payload []byte
	Retain  bool
}

// MaxPayload caps what a handler is given; longer messages are dropped.
const MaxPayload = 64 << 10

// Options say how to reach the broker.
type Options struct {
	URL      string
	Username string
	Password []byte // never logged
	TLS      *tls.Config
	// ClientID prefix; a random suffix is added, so that two runs never
	// take over each other's session.
	ClientID string
	// Will is published retained with payload "offline" if the link dies
	// without a clean goodbye (the availability topic); "" = none.
	Will string
	Log  *slog.Logger
	// OnPanic, if set, is told of a panic in the code the client runs on
	// goroutines of its own (the handlers, the OnUp and OnDown functions,
	// the connection's callbacks): what names where, value is the panic's,
	// stack its goroutine's. The program is expected to halt its outputs
	// and end (cmd/cattease does). nil = the panic goes on: it ends the
	// program, as it did.
	OnPanic func(what string, value any, stack []byte)
}

// Conn is one broker connection that reconnects by itself, starting
// clean every time: nothing is queued while it is down. Failed attempts
// are spaced out and warned about (retry.go).
type Conn struct {
	opts Options

	mu       sync.Mutex
	cm       sender
	up       bool
	gen      uint64             // counts connections and drops: a stale connected does nothing
	link     context.Context    // the connection's: ends at its drop or at Run's end; set while up
	upCancel context.CancelFunc // ends link (and so the OnUp functions' context)
	closing  bool               // Run is saying goodbye: no publication starts
	sending  sync.WaitGroup     // the publications under way
	handlers map[string]func(Message)
	onUp     []func(context.Context)
	onDown   []func()
	events   sync.Mutex // the OnUp and OnDown functions run one at a time, in order
	retry    retry      // the failed attempts since the last connection (retry.go)
}

// NewConn returns a connection that Run opens. It starts nothing.
func NewConn(o Options) *Conn {
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.ClientID == "" {
		o.ClientID = "cattease"
	}
	return &Conn{opts: o, handlers: map[string]func(Message){}}
}

// Handle subscribes f to a topic filter (wildcards + and # allowed), from
// the next connection on; call before Run.
func (c *Conn) Handle(topic string, f func(Message)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.handlers[topic] = f
}

// OnUp adds f, run in its own goroutine after every (re)connection and
// subscription; OnDown adds f, run when the connection drops. They run in
// the order of the events, never at once: a drop cancels the context of
// the OnUp functions still running and waits for them, then runs the
// OnDown functions; a connection dropped before its subscriptions are
// made runs no OnUp. Call before Run.
func (c *Conn) OnUp(f func(context.Context)) { c.mu.Lock(); c.onUp = append(c.onUp, f); c.mu.Unlock() }

// OnDown: see OnUp.
func (c *Conn) OnDown(f func()) { c.mu.Lock(); c.onDown = append(c.onDown, f); c.mu.Unlock() }

// Up reports whether the connection is up now.
func (c *Conn) Up() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.up
}

// Run connects, reconnects after every loss, and returns when ctx is done,
// after publishing goodbye (if not "", retained on the will topic) and a
// clean disconnect.
func (c *Conn) Run(ctx context.Context, goodbye []byte) error {
	u, err := url.Parse(c.opts.URL)
	if err != nil {
		return errors.New("mqtt: the broker URL does not parse") // never repeated: it may hold a password
	}
	// The connection outlives ctx by the goodbye: it gets its own context,
	// cancelled once the goodbye is sent.
	live, kill := context.WithCancel(context.WithoutCancel(ctx))
	defer kill()
	if u.User != nil { // user:password@ goes to CONNECT, never into the client's error texts
		if c.opts.Username == "" {
			c.opts.Username = u.User.Username()
			if pw, ok := u.User.Password(); ok {
				c.opts.Password = []byte(pw)
			}
		}
		u.User = nil
	}
	cfg := c.config(ctx, u)
	cm, err := autopaho.NewConnection(live, cfg)
	if err != nil {
		return fmt.Errorf("mqtt: connect %s: %w", u.Redacted(), err)
	}
	c.mu.Lock()
	c.cm = cm
	c.mu.Unlock()
	<-ctx.Done()
	bye, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	c.closeSending(bye)
	if c.opts.Will != "" && goodbye != nil && c.Up() {
		cm.Publish(bye, &paho.Publish{Topic: c.opts.Will, Payload: goodbye, Retain: true, QoS: 1})
	}
	cm.Disconnect(bye)
	kill()
	select { // the client's goroutines end: nothing runs after Run returns
	case <-cm.Done():
	case <-bye.Done():
	}
	return nil
}

// closeSending stops new publications and waits (until ctx ends) for
// those under way, so that the goodbye is the last word on the will
// topic: a retained "online" after it would show a stopped cattease as
// available, with buttons that nothing carries out.
func (c *Conn) closeSending(ctx context.Context) {
	c.mu.Lock()
	c.closing = true
	c.mu.Unlock()
	done := make(chan struct{})
	go func() { c.sending.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
	}
}

func (c *Conn) config(ctx context.Context, u *url.URL) autopaho.ClientConfig {
	cfg := autopaho.ClientConfig{
		ServerUrls: []*url.URL{u}, TlsCfg: c.opts.TLS, KeepAlive: 5,
		CleanStartOnInitialConnection: true, SessionExpiryInterval: 0,
		ConnectTimeout:  5 * time.Second,
		ConnectUsername: c.opts.Username, ConnectPassword: c.opts.Password,
		OnConnectionUp: func(cm *autopaho.ConnectionManager, _ *paho.Connack) {
			defer c.recoverPanic("the MQTT client's connection callback")
			// This can run before NewConnection has returned to Run, and
			// the OnUp functions publish at once: Publish needs cm now.
			c.retry.up()
			c.mu.Lock()
			c.cm = cm
			c.mu.Unlock()
			go func(gen uint64) {
				defer c.recoverPanic("the MQTT client's subscriptions and OnUp functions")
				c.connected(ctx, cm, gen)
			}(c.nextGen())
		},
		OnConnectionDown: func() (again bool) {
			defer c.recoverPanic("the MQTT client's OnDown functions") // false after a panic: no reconnection
			c.disconnected()
			return true
		},
		OnConnectError: func(err error) {
			defer c.recoverPanic("the MQTT client's connection callback")
			c.retry.failed(c.opts.Log, u, err)
		},
		ReconnectBackoff: func(attempt int) (d time.Duration) {
			d = 5 * time.Second // after a panic: the program is ending
			defer c.recoverPanic("the MQTT client's connection callback")
			return c.retry.delay(attempt)
		},
		ClientConfig: paho.ClientConfig{ClientID: c.opts.ClientID + "-" + randomHex(4),
			OnPublishReceived: []func(paho.PublishReceived) (bool, error){c.receive}},
	}
	if c.opts.Will != "" {
		cfg.WillMessage = &paho.WillMessage{Topic: c.opts.Will, Payload: []byte("offline"), Retain: true, QoS: 1}
	}
	return cfg
}

// sender is what Publish needs of the connection manager.
type sender interface {
	Publish(ctx context.Context, p *paho.Publish) (*paho.PublishResponse, error)
}

// subscriber is what connected needs of the connection manager.
type subscriber interface {
	Subscribe(ctx context.Context, s *paho.Subscribe) (*paho.Suback, error)
}

// nextGen starts a new connection's generation.
func (c *Conn) nextGen() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	return c.gen
}

// current reports whether gen is still the connection's generation (no
// drop since).
func (c *Conn) current(gen uint64) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen == gen
}

// connected subscribes every handled topic (the session starts clean),
// then runs the OnUp functions. A failed subscription is a failed
// connection: the connection does not count as up, and the subscription
// is tried again until it succeeds or the connection drops.
func (c *Conn) connected(ctx context.Context, cm subscriber, gen uint64) {
	c.mu.Lock()
	var subs []paho.SubscribeOptions
	for t := range c.handlers {
		subs = append(subs, paho.SubscribeOptions{Topic: t, QoS: 0})
	}
	ups := slices.Clone(c.onUp)
	c.mu.Unlock()
	wait := 300 * time.Millisecond
	for tries := 0; len(subs) > 0; tries++ {
		if !c.current(gen) || ctx.Err() != nil {
			return
		}
		sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		_, err := cm.Subscribe(sctx, &paho.Subscribe{Subscriptions: subs})
		cancel()
		if err == nil {
			break
		}
		lvl := slog.LevelDebug
		if tries == 0 {
			lvl = slog.LevelWarn
		}
		c.opts.Log.Log(ctx, lvl, "mqtt: subscribe failed; not connected until it succeeds", "err", err)
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		wait = min(2*wait, 5*time.Second)
	}
	c.events.Lock()
	defer c.events.Unlock()
	c.mu.Lock()
	if c.gen != gen { // dropped meanwhile: its OnDown has run
		c.mu.Unlock()
		return
	}
	c.up = true
	uctx, cancel := context.WithCancel(ctx)
	c.link, c.upCancel = uctx, cancel
	c.mu.Unlock()
	c.opts.Log.Info("mqtt: connected", "broker", redact(c.opts.URL))
	for _, f := range ups {
		f(uctx)
	}
}

func (c *Conn) disconnected() {
	c.mu.Lock()
	was := c.up
	c.up = false
	c.gen++
	if c.upCancel != nil {
		c.upCancel()
		c.link, c.upCancel = nil, nil
	}
	downs := slices.Clone(c.onDown)
	c.mu.Unlock()
	if was {
		c.opts.Log.Warn("mqtt: link lost; reconnecting", "broker", redact(c.opts.URL))
	}
	c.events.Lock()
	defer c.events.Unlock()
	for _, f := range downs {
		f()
	}
}

// recoverPanic is deferred first thing in every goroutine and callback
// of the client that runs this package's code or the caller's: a panic
// goes to OnPanic, or on.
func (c *Conn) recoverPanic(what string) {
	if p := recover(); p != nil {
		c.panicked(what, p)
	}
}

// recoverTo is deferred first thing in a goroutine this package starts
// for a part attached to a Conn (the agent's and the bridge's state
// publishers): a panic there goes to panicked, the Conn's, or on when the
// part was never attached (nil).
func recoverTo(panicked func(what string, p any), what string) {
	if p := recover(); p != nil {
		if panicked == nil {
			panic(p)
		}
		panicked(what, p)
	}
}

func (c *Conn) panicked(what string, p any) {
	if c.opts.OnPanic == nil {
		panic(p)
	}
	c.opts.OnPanic(what, p, debug.Stack())
}

// receive hands a message to the handlers of its topic, on the client's
// goroutine.
func (c *Conn) receive(pr paho.PublishReceived) (bool, error) {
	p := pr.Packet
	if p == nil || len(p.Payload) > MaxPayload {
		return true, nil
	}
	defer func() {
		if v := recover(); v != nil {
			c.panicked("the MQTT handler of "+limitTopic(p.Topic), v)
		}
	}()
	c.mu.Lock()
	var fs []func(Message)
	for filter, f := range c.handlers {
		if Match(filter, p.Topic) {
			fs = append(fs, f)
		}
	}
	c.mu.Unlock()
	for _, f := range fs {
		f(Message{Topic: p.Topic, Payload: p.Payload, Retain: p.Retain})
	}
	return true, nil
}

// limitTopic cuts a topic to at most 128 bytes (and valid UTF-8) for a
// message.
func limitTopic(t string) string {
	if len(t) > 128 {
		return strings.ToValidUTF8(t[:128], "") + "…"
	}
	return t
}

// Match reports whether topic matches the subscription filter, which may
// hold the wildcards + (one level) and # (the rest, last).
func Match(filter, topic string) bool {
	fl, tl := strings.Split(filter, "/"), strings.Split(topic, "/")
	for i, f := range fl {
		switch {
		case f == "#":
			return i == len(fl)-1
		case i >= len(tl):
			return false
		case f != "+" && f != tl[i]:
			return false
		}
	}
	return len(fl) == len(tl)
}

// Publish sends one message: a retained one (state, discovery) at QoS 1,
// waiting for the broker's acknowledgement, so that none is lost on a
// clean disconnect; any other (requests, heartbeats, reports) at QoS 0,
// never resent. The acknowledgement is awaited while the connection the
// message went out on lasts, no longer: at its drop the client would
// wait out its packet timeout (10 s). The bridge and the agent publish
// their retained messages again on the next connection; Unpublish
// returns the error at the drop. expiry > 0 sets the MQTT v5 message expiry interval
// (whole seconds): the broker drops the message rather than deliver it
// later. An error means the link is down: nothing is queued.
func (c *Conn) Publish(ctx context.Context, topic string, payload []byte, retain bool, expiry uint32) error {
	c.mu.Lock()
	cm, link := c.cm, c.link
	up := cm != nil && c.up && !c.closing // link is set while up
	if up {
		c.sending.Add(1)
	}
	c.mu.Unlock()
	if !up {
		return errors.New("mqtt: not connected")
	}
	defer c.sending.Done()
	p := &paho.Publish{Topic: topic, Payload: payload, Retain: retain}
	if retain {
		p.QoS = 1
		var cancel context.CancelFunc
		ctx, cancel = context.WithCancel(ctx)
		defer cancel()
		defer context.AfterFunc(link, cancel)()
	}
	if expiry > 0 {
		p.Properties = &paho.PublishProperties{MessageExpiry: &expiry}
	}
	if _, err := cm.Publish(ctx, p); err != nil {
		return fmt.Errorf("mqtt: publish: %w", err)
	}
	return nil
}

func redact(s string) string {
	if u, err := url.Parse(s); err == nil {
		return u.Redacted()
	}
	return "(unparsable URL)"
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// LoadCredentials reads a credentials file: the user name on the first
// line, the password on the second.
func LoadCredentials(path string) (user string, pass []byte, err error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", nil, fmt.Errorf("mqtt: credentials: %w", err)
	}
	if len(b) > 4096 {
		return "", nil, fmt.Errorf("mqtt: credentials: %s is larger than 4 KiB", path)
	}
	lines := strings.SplitN(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n", 3)
	if len(lines) < 2 || lines[0] == "" {
		return "", nil, fmt.Errorf("mqtt: credentials: %s: want the user on line 1 and the password on line 2", path)
	}
	return lines[0], []byte(lines[1]), nil
}

// TLSConfig builds the client's TLS settings from PEM files; ca "" uses
// the system's roots, cert and key "" send no client certificate.
func TLSConfig(ca, cert, key string) (*tls.Config, error) {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if ca != "" {
		pem, err := os.ReadFile(ca)
		if err != nil {
			return nil, fmt.Errorf("mqtt: ca: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("mqtt: ca: no certificate in %s", ca)
		}
		cfg.RootCAs = pool
	}
	if cert != "" {
		kp, err := tls.LoadX509KeyPair(cert, key)
		if err != nil {
			return nil, fmt.Errorf("mqtt: client certificate: %w", err)
		}
		cfg.Certificates = []tls.Certificate{kp}
	}
	return cfg, nil
}
