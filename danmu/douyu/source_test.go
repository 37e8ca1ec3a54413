package douyu_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/cattease/cattease/danmu"
	"github.com/cattease/cattease/danmu/douyu"
	"github.com/cattease/cattease/danmu/douyu/douyutest"
)

// safety bounds a real-socket test so a bug hangs for seconds, not forever.
// Nothing asserts on wall-clock time.
const safety = 20 * time.Second

// logBuf collects log lines for assertions.
type logBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuf) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuf) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func chat(room, uid, cid, txt string) douyu.Message {
	return douyu.Msg("type", "chatmsg", "rid", room, "ct", "0", "uid", uid, "nn", "user"+uid, "txt", txt,
		"cid", cid, "ic", "avatar@Sdefault@S08", "level", "12", "sahf", "0", "bnn", "", "bl", "0",
		"brid", "0", "hc", "", "lk", "", "dms", "8", "pdg", "26", "pdk", "86", "ext", "")
}

// fast returns a Source with short timings for real-socket tests.
func fast(srv *douyutest.Server, room, addr string, c *danmu.Counters, log *logBuf) *douyu.Source {
	return &douyu.Source{
		Room:        room,
		API:         srv.APIURL(),
		Addr:        addr,
		Counters:    c,
		Log:         slog.New(slog.NewTextHandler(log, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Heartbeat:   20 * time.Millisecond,
		BackoffMin:  5 * time.Millisecond,
		BackoffMax:  20 * time.Millisecond,
		DialTimeout: 5 * time.Second,
	}
}

func recv(t *testing.T, ctx context.Context, out <-chan danmu.Event) danmu.Event {
	t.Helper()
	select {
	case ev := <-out:
		return ev
	case <-ctx.Done():
		t.Fatalf("no event: %v", ctx.Err())
	}
	return danmu.Event{}
}

func wait(t *testing.T, ctx context.Context, srv *douyutest.Server, what string, cond func(douyutest.Stats) bool) {
	t.Helper()
	if err := srv.Wait(ctx, cond); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func start(ctx context.Context, src *douyu.Source, out chan danmu.Event) <-chan error {
	done := make(chan error, 1)
	go func() { done <- src.Run(ctx, out) }()
	return done
}

// stop cancels and checks Run returns ctx.Err() having logged out.
func stop(t *testing.T, cancel context.CancelFunc, done <-chan error, srv *douyutest.Server) {
	t.Helper()
	before := srv.Stats().Logouts
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Run returned %v, want context.Canceled", err)
		}
	case <-time.After(safety):
		t.Fatal("Run did not return after cancel")
	}
	wctx, wcancel := context.WithTimeout(context.Background(), safety)
	defer wcancel()
	wait(t, wctx, srv, "logout", func(s douyutest.Stats) bool { return s.Logouts > before })
}

func TestSourceEndToEnd(t *testing.T) {
	for _, transport := range []string{"ws", "tcp"} {
		t.Run(transport, func(t *testing.T) {
			srv := douyutest.NewServer("9999")
			defer srv.Close()
			srv.AddAlias("cat")
			srv.SetOwner("42")
			srv.SetSplit(true)
			addr := srv.URL()
			if transport == "tcp" {
				addr = srv.TCPURL()
			}
			c := &danmu.Counters{}
			var log logBuf
			src := fast(srv, "cat", addr, c, &log)

			ctx, cancel := context.WithTimeout(context.Background(), safety)
			defer cancel()
			out := make(chan danmu.Event, 16)
			done := start(ctx, src, out)

			wait(t, ctx, srv, "join", func(s douyutest.Stats) bool { return s.Joins == 1 })
			if st := srv.Stats(); st.LastRoom != "9999" || st.LastGID != "-9999" || st.Violations != 0 {
				t.Errorf("login: %+v", st)
			}

			// A scripted 左, packed in one write with other traffic and cut
			// across two writes.
			srv.Send(douyu.Msg("type", "uenter", "rid", "9999", "uid", "7", "nn", "cat fan", "level", "3"),
				chat("9999", "1001", "c0ffee01", "左"),
				douyu.Msg("type", "ranklist", "rid", "9999"),
				chat("9999", "42", "c0ffee02", "激光"))
			ev := recv(t, ctx, out)
			if ev.Kind != danmu.KindEnter || ev.User.ID != "7" {
				t.Errorf("first event %+v", ev)
			}
			ev = recv(t, ctx, out)
			want := danmu.Event{Platform: "douyu", Room: "9999", Kind: danmu.KindChat, ID: "c0ffee01", Time: ev.Time,
				Text: "左", User: danmu.User{ID: "1001", Name: "user1001", Role: danmu.RoleViewer, Level: 12}}
			if ev != want {
				t.Errorf("chat\n got %+v\nwant %+v", ev, want)
			}
			if ev = recv(t, ctx, out); ev.User.Role != danmu.RoleOwner || ev.Text != "激光" {
				t.Errorf("streamer chat %+v", ev)
			}

			wait(t, ctx, srv, "heartbeats", func(s douyutest.Stats) bool { return s.Heartbeats >= 3 })

			// Drop the connection: the source reconnects and nothing sent
			// after the rejoin is lost.
			srv.Drop()
			wait(t, ctx, srv, "rejoin", func(s douyutest.Stats) bool { return s.Joins == 2 })
			for i := range 20 {
				srv.Send(chat("9999", "1002", fmt.Sprintf("after%02d", i), "右"))
			}
			for i := range 20 {
				if ev := recv(t, ctx, out); ev.ID != fmt.Sprintf("after%02d", i) || ev.Text != "右" {
					t.Fatalf("after drop #%d: %+v", i, ev)
				}
			}
			stop(t, cancel, done, srv)
			if c.Get(douyu.CounterReconnect) < 1 || c.Get(douyu.CounterConnect) != 2 || c.Get(douyu.CounterEvents) != 23 {
				t.Errorf("counters %v", c.Snapshot())
			}
			if !strings.Contains(log.String(), "real_id=9999") {
				t.Errorf("no resolution in log:\n%s", log.String())
			}
			select {
			case ev, ok := <-out:
				t.Errorf("stray event after stop: %+v %v", ev, ok)
			default:
			}
		})
	}
}

func badHeader(n1, n2 uint32, typ uint16) []byte {
	b := binary.LittleEndian.AppendUint32(nil, n1)
	b = binary.LittleEndian.AppendUint32(b, n2)
	b = binary.LittleEndian.AppendUint16(b, typ)
	return append(b, 0, 0)
}

// Bad input never panics: each case is counted, and either the connection
// survives (the error is inside one packet) or the source reconnects (the
// stream is desynchronised).
func TestSourceBadInput(t *testing.T) {
	bigBody := bytes.Repeat([]byte("a"), 1<<20)
	cases := []struct {
		name      string
		raw       []byte
		counter   string
		reconnect bool
	}{
		{"lengths disagree", append(badHeader(30, 31, douyu.TypeServer), make([]byte, 40)...), "decode_error:length_mismatch", true},
		{"length beyond cap", badHeader(douyu.DefaultMaxLen+1, douyu.DefaultMaxLen+1, douyu.TypeServer), "decode_error:too_long", true},
		{"1 MB body", douyu.AppendPacket(nil, douyu.TypeServer, bigBody), "decode_error:too_long", true},
		{"length too short", badHeader(3, 3, douyu.TypeServer), "decode_error:too_short", true},
		{"missing NUL", append(badHeader(9+11, 9+11, douyu.TypeServer), "type@=mrkl/X"...), "decode_error:missing_nul", true},
		{"wrong type", douyu.AppendPacket(nil, 0x1234, []byte("type@=mrkl/")), "decode_error:bad_type", true},
		{"broken escape", douyu.AppendPacket(nil, douyu.TypeServer, []byte("type@=chatmsg/rid@=9999/txt@=a@xb/uid@=1/dms@=1/")), "decode_error:bad_escape", false},
		{"invalid UTF-8", douyu.AppendPacket(nil, douyu.TypeServer, []byte("type@=chatmsg/rid@=9999/txt@=\xff\xfe/uid@=1/dms@=1/")), "decode_error:bad_utf8", false},
		{"unknown type", douyu.AppendPacket(nil, douyu.TypeServer, []byte("type@=never_seen/rid@=9999/")), douyu.CounterUnknownCmd, false},
		{"empty body", douyu.AppendPacket(nil, douyu.TypeServer, nil), douyu.CounterUnknownCmd, false},
		{"server error", douyu.AppendMessage(nil, douyu.TypeServer, douyu.Msg("type", "error", "code", "52")), douyu.CounterServerError, false},
	}
	for _, transport := range []string{"ws", "tcp"} {
		t.Run(transport, func(t *testing.T) {
			srv := douyutest.NewServer("9999")
			defer srv.Close()
			addr := srv.URL()
			if transport == "tcp" {
				addr = srv.TCPURL()
			}
			c := &danmu.Counters{}
			var log logBuf
			src := fast(srv, "9999", addr, c, &log)
			src.Heartbeat = time.Hour
			ctx, cancel := context.WithTimeout(context.Background(), safety)
			defer cancel()
			out := make(chan danmu.Event, 16)
			done := start(ctx, src, out)
			joins := 1
			wait(t, ctx, srv, "join", func(s douyutest.Stats) bool { return s.Joins == joins })
			for i, tc := range cases {
				before := c.Get(tc.counter)
				srv.SendRaw(tc.raw)
				cid := fmt.Sprintf("probe%02d", i)
				if tc.reconnect {
					joins++
					wait(t, ctx, srv, tc.name+": reconnect", func(s douyutest.Stats) bool { return s.Joins == joins })
				}
				srv.Send(chat("9999", "5", cid, "上"))
				if ev := recv(t, ctx, out); ev.ID != cid {
					t.Fatalf("%s: got %+v, want the probe", tc.name, ev)
				}
				if got := c.Get(tc.counter); got != before+1 {
					t.Errorf("%s: %s = %d, want %d", tc.name, tc.counter, got, before+1)
				}
				if st := srv.Stats(); st.Joins != joins {
					t.Errorf("%s: joins %d, want %d", tc.name, st.Joins, joins)
				}
			}
			stop(t, cancel, done, srv)
			if !strings.Contains(log.String(), "server shutting down") {
				t.Errorf("server error not explained in log:\n%s", log.String())
			}
		})
	}
}

// A room id that cannot be resolved is said so and used as given.
func TestSourceUnresolvableRoom(t *testing.T) {
	srv := douyutest.NewServer("777")
	defer srv.Close()
	var log logBuf
	src := fast(srv, "777", srv.TCPURL(), nil, &log)
	src.API = srv.APIURL() + "/nothing-here"
	ctx, cancel := context.WithTimeout(context.Background(), safety)
	defer cancel()
	out := make(chan danmu.Event, 1)
	done := start(ctx, src, out)
	wait(t, ctx, srv, "join", func(s douyutest.Stats) bool { return s.Joins == 1 })
	stop(t, cancel, done, srv)
	if !strings.Contains(log.String(), "cannot resolve the room id; using it as given") {
		t.Errorf("log:\n%s", log.String())
	}
}

func TestSourceConfigErrors(t *testing.T) {
	out := make(chan danmu.Event)
	for _, src := range []*douyu.Source{
		{},
		{Room: "1", Addr: "http://example.com"},
		{Room: "1", Addr: "tcp://"},
		{Room: "1", Addr: "::bad"},
	} {
		if err := src.Run(context.Background(), out); err == nil || errors.Is(err, context.Canceled) {
			t.Errorf("%+v: err %v", src, err)
		}
	}
}

// The TLS quirk (reference/douyu.md §2.6): a server that only speaks TLS 1.2
// with RSA key exchange. Go's default client refuses it; the source's
// dialer connects, with certificate verification still on.
func TestWSSRSAKeyExchange(t *testing.T) {
	fake := douyutest.NewPipeServer("9999")
	defer fake.Close()
	ts := httptest.NewUnstartedServer(fake)
	ts.TLS = &tls.Config{
		MaxVersion:   tls.VersionTLS12,
		CipherSuites: []uint16{tls.TLS_RSA_WITH_AES_256_GCM_SHA384},
	}
	ts.StartTLS()
	defer ts.Close()
	roots := x509.NewCertPool()
	roots.AddCert(ts.Certificate())
	addr := "wss://" + ts.Listener.Addr().String()

	// The default configuration fails, as Douyu's real servers make it.
	d := websocket.Dialer{TLSClientConfig: &tls.Config{RootCAs: roots}}
	if c, _, err := d.Dial(addr+"/", nil); err == nil {
		c.Close()
		t.Fatal("default TLS config connected; the test server does not reproduce the quirk")
	}
	// Verification stays on: no RootCAs, no connection.
	d = websocket.Dialer{TLSClientConfig: douyu.TLSConfig("127.0.0.1", nil)}
	if c, _, err := d.Dial(addr+"/", nil); err == nil {
		c.Close()
		t.Fatal("connected without trusting the certificate")
	}

	c := &danmu.Counters{}
	src := &douyu.Source{Room: "9999", API: douyu.APIOff, Addr: addr, RootCAs: roots, Counters: c,
		BackoffMin: 5 * time.Millisecond, BackoffMax: 20 * time.Millisecond}
	ctx, cancel := context.WithTimeout(context.Background(), safety)
	defer cancel()
	out := make(chan danmu.Event, 1)
	done := start(ctx, src, out)
	wait(t, ctx, fake, "join", func(s douyutest.Stats) bool { return s.Joins == 1 })
	fake.Send(chat("9999", "1", "tls1", "左"))
	if ev := recv(t, ctx, out); ev.Text != "左" {
		t.Errorf("event %+v", ev)
	}
	stop(t, cancel, done, fake)
	if c.Get(douyu.CounterDialError) != 0 {
		t.Errorf("dial errors: %v", c.Snapshot())
	}
}
