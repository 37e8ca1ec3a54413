package douyu

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/gorilla/websocket"

	"github.com/cattease/cattease/danmu"
)

// The real endpoints (reference/douyu.md §0, §2.3): the web player's
// anonymous receive proxy on six WebSocket ports, and the same framing over
// plain TCP on two ports. Only the WebSocket ports (TLS) are in the default
// rotation: on plain TCP anyone on the path can forge chat, with a
// moderator's rg@=4 or the streamer's uid, so it is used only when asked
// for (tcp://).
const (
	DefaultHost = "danmuproxy.douyu.com"
)

var (
	defaultWSPorts  = []int{8501, 8502, 8503, 8504, 8505, 8506}
	defaultTCPPorts = []int{8601, 8602}
)

// endpoint is one place to connect to.
type endpoint struct {
	scheme string // "ws", "wss" or "tcp"
	host   string // host:port
}

func (e endpoint) String() string { return e.scheme + "://" + e.host }

// plaintext reports whether the endpoint is unencrypted and not on this
// machine: chat on it can be read and forged on the way.
func (e endpoint) plaintext() bool {
	if e.scheme == "wss" {
		return false
	}
	host, _, err := net.SplitHostPort(e.host)
	if err != nil {
		host = e.host
	}
	if host == "localhost" {
		return false
	}
	ip := net.ParseIP(host)
	return ip == nil || !ip.IsLoopback()
}

// endpoints turns Source.Addr into the rotation list. "" gives every
// danmuproxy WebSocket port (wss) from a random start, and nothing
// unencrypted.
func endpoints(addr string) ([]endpoint, error) {
	if addr == "" {
		start := rand.IntN(len(defaultWSPorts))
		var eps []endpoint
		for i := range defaultWSPorts {
			p := defaultWSPorts[(start+i)%len(defaultWSPorts)]
			eps = append(eps, endpoint{"wss", net.JoinHostPort(DefaultHost, strconv.Itoa(p))})
		}
		return eps, nil
	}
	u, err := url.Parse(addr)
	if err != nil {
		return nil, fmt.Errorf("douyu: address %q: %v", addr, err)
	}
	if u.Host == "" || u.Hostname() == "" {
		return nil, fmt.Errorf("douyu: address %q: want ws://, wss:// or tcp://host[:port]", addr)
	}
	var ports []int
	switch u.Scheme {
	case "ws":
		ports = []int{80}
	case "wss":
		ports = defaultWSPorts
	case "tcp":
		ports = defaultTCPPorts
	default:
		return nil, fmt.Errorf("douyu: address %q: scheme must be ws, wss or tcp", addr)
	}
	if u.Port() != "" {
		return []endpoint{{u.Scheme, u.Host}}, nil
	}
	var eps []endpoint
	start := rand.IntN(len(ports))
	for i := range ports {
		p := ports[(start+i)%len(ports)]
		eps = append(eps, endpoint{u.Scheme, net.JoinHostPort(u.Hostname(), strconv.Itoa(p))})
	}
	return eps, nil
}

// TLSConfig returns the client TLS configuration for the Douyu WebSocket
// endpoints (reference/douyu.md §2.6). The servers were seen negotiating
// only TLS 1.2 with RSA key exchange (TLS_RSA_WITH_AES_256_GCM_SHA384),
// which Go ≥ 1.22 no longer offers by default. Listing the suites
// explicitly re-enables them for this dialer only — no process-wide GODEBUG
// — while keeping certificate and host name verification on. The secure
// ECDHE suites come first; TLS 1.3 stays available.
func TLSConfig(serverName string, roots *x509.CertPool) *tls.Config {
	return &tls.Config{
		ServerName: serverName,
		RootCAs:    roots,
		MinVersion: tls.VersionTLS12,
		CipherSuites: []uint16{
			tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
			tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
			tls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
			tls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
			tls.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
			tls.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
			// The Douyu quirk: RSA key exchange, no forward secrecy.
			tls.TLS_RSA_WITH_AES_256_GCM_SHA384,
			tls.TLS_RSA_WITH_AES_128_GCM_SHA256,
		},
	}
}

// conn is one established connection, either transport.
type conn interface {
	// fill reads the next bytes of the packet stream into sp.
	fill(sp *Splitter) error
	// write sends one framed packet.
	write(pkt []byte) error
	setReadDeadline(t time.Time) error
	setWriteDeadline(t time.Time) error
	// close closes the connection (politely for WebSocket, best effort).
	close() error
}

type dialer struct {
	netDial func(ctx context.Context, network, addr string) (net.Conn, error)
	roots   *x509.CertPool
	timeout time.Duration
}

func (d *dialer) dial(ctx context.Context, ep endpoint) (conn, error) {
	ctx, cancel := context.WithTimeout(ctx, d.timeout)
	defer cancel()
	netDial := d.netDial
	if netDial == nil {
		nd := &net.Dialer{KeepAlive: 30 * time.Second}
		netDial = nd.DialContext
	}
	switch ep.scheme {
	case "tcp":
		c, err := netDial(ctx, "tcp", ep.host)
		if err != nil {
			return nil, err
		}
		return &tcpConn{c: c}, nil
	case "ws", "wss":
		host, _, _ := net.SplitHostPort(ep.host)
		wd := websocket.Dialer{
			NetDialContext:   netDial,
			TLSClientConfig:  TLSConfig(host, d.roots),
			HandshakeTimeout: d.timeout,
			ReadBufferSize:   16 << 10,
			WriteBufferSize:  1 << 10,
		}
		h := http.Header{}
		h.Set("Origin", "https://www.douyu.com")
		h.Set("User-Agent", userAgent)
		c, resp, err := wd.DialContext(ctx, ep.scheme+"://"+ep.host+"/", h)
		if resp != nil && resp.Body != nil {
			resp.Body.Close()
		}
		if err != nil {
			return nil, err
		}
		return &wsConn{c: c}, nil
	}
	return nil, fmt.Errorf("douyu: unknown scheme %q", ep.scheme)
}

const userAgent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"

type tcpConn struct{ c net.Conn }

func (t *tcpConn) fill(sp *Splitter) error {
	n, err := sp.Fill(t.c)
	if n > 0 && err == io.EOF {
		return nil // deliver what came; EOF again on the next read
	}
	return err
}
func (t *tcpConn) write(p []byte) error {
	_, err := t.c.Write(p)
	return err
}
func (t *tcpConn) setReadDeadline(d time.Time) error  { return t.c.SetReadDeadline(d) }
func (t *tcpConn) setWriteDeadline(d time.Time) error { return t.c.SetWriteDeadline(d) }
func (t *tcpConn) close() error                       { return t.c.Close() }

// wsConn treats the concatenated payloads of the server's messages as one
// byte stream: a message may carry several packets, and a packet that
// straddles two messages is carried over.
type wsConn struct {
	c   *websocket.Conn
	cur io.Reader // the message being read
}

func (w *wsConn) fill(sp *Splitter) error {
	for {
		if w.cur == nil {
			_, r, err := w.c.NextReader()
			if err != nil {
				return err
			}
			w.cur = r
		}
		n, err := sp.Fill(w.cur)
		if errors.Is(err, io.EOF) {
			w.cur = nil
			err = nil
		}
		if n > 0 || err != nil {
			return err
		}
	}
}
func (w *wsConn) write(p []byte) error               { return w.c.WriteMessage(websocket.BinaryMessage, p) }
func (w *wsConn) setReadDeadline(d time.Time) error  { return w.c.SetReadDeadline(d) }
func (w *wsConn) setWriteDeadline(d time.Time) error { return w.c.SetWriteDeadline(d) }
func (w *wsConn) close() error {
	_ = w.c.WriteControl(websocket.CloseMessage,
		websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(time.Second))
	return w.c.Close()
}

// isTimeout reports whether err is a read/write deadline expiry.
func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// isEOF reports whether err is the peer closing.
func isEOF(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || websocket.IsCloseError(err,
		websocket.CloseNormalClosure, websocket.CloseGoingAway, websocket.CloseAbnormalClosure, websocket.CloseNoStatusReceived)
}

// errClass is the class of the error that ended a connection, an
// attempt or a room-id lookup, for the source's status (danmu.Conn.Err).
func errClass(err error) string {
	var (
		closed *websocket.CloseError
		api    *apiError
	)
	switch {
	case errors.Is(err, ErrRoomNotFound):
		return danmu.ErrClassNotFound
	case errors.As(err, &api):
		return danmu.ErrClassAPI
	case errors.Is(err, ErrIdle), errors.Is(err, errLoginTimeout):
		return danmu.ErrClassTimeout
	case Reason(err) != "", errors.Is(err, websocket.ErrBadHandshake):
		return danmu.ErrClassProtocol
	case errors.As(err, &closed):
		return danmu.ErrClassClosed
	}
	return danmu.ErrClass(err)
}
