package bilibili

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"github.com/cattease/cattease/danmu"
	"github.com/cattease/cattease/danmu/internal/gopanic"
)

// authBody is the op-7 packet body (reference §2.6). uid must be the uid
// of the cookie that fetched key, or 0 for guests.
type authBody struct {
	UID      int64  `json:"uid"`
	RoomID   int64  `json:"roomid"`
	ProtoVer int    `json:"protover"`
	Buvid    string `json:"buvid"`
	Platform string `json:"platform"`
	Type     int    `json:"type"`
	Key      string `json:"key"`
}

// errAuth is an op-8 reply with a non-zero code, or one that cannot be
// read. No reply at all is an authTimeoutError.
var errAuth = errors.New("bilibili: authentication refused")

// authTimeoutError ends a connection whose auth got no reply within after:
// a half-dead server or network, not a refusal.
type authTimeoutError struct{ after time.Duration }

func (e authTimeoutError) Error() string {
	return fmt.Sprintf("bilibili: no auth reply within %v", e.after)
}

// conn is one WebSocket connection: the calling goroutine reads and
// decodes, one goroutine writes heartbeats.
type conn struct {
	*run
	dec  Decoder
	auth authBody

	frames FrameDecoder
	buf    bytes.Buffer
	ws     *websocket.Conn
	authed time.Time
	emit   func([]danmu.Event) error
	batch  danmu.Batch // the events of the frame being read
}

// serve dials u, authenticates and reads until the connection fails or ctx
// ends. It returns when the authentication was accepted (zero if never)
// and why the connection ended; the writer goroutine has exited by then.
func (c *conn) serve(ctx context.Context, u string, emit func([]danmu.Event) error) (time.Time, error) {
	ws, err := c.dial(ctx, u)
	if err != nil {
		c.Counters.Inc(CounterDialError)
		return time.Time{}, err
	}
	c.ws, c.emit = ws, emit

	// Closing the socket is what interrupts a blocked read or write, on
	// cancellation or when either side of the connection gives up.
	connCtx, cancel := context.WithCancel(ctx)
	stop := context.AfterFunc(connCtx, func() { ws.Close() })
	var wg sync.WaitGroup
	var writer *gopanic.Panic // the writer's panic: written before wg.Done, read after wg.Wait
	defer func() {
		cancel()
		wg.Wait()
		stop()
		ws.Close()
		if writer != nil {
			panic(writer) // on the caller's goroutine, where its guard is
		}
	}()

	authTimeout := orDefault(c.AuthTimeout, DefaultAuthTimeout)
	body, _ := json.Marshal(c.auth)
	_ = ws.SetWriteDeadline(time.Now().Add(authTimeout))
	if err := ws.WriteMessage(websocket.BinaryMessage, AppendPacket(nil, VerRaw, OpAuth, body)); err != nil {
		return time.Time{}, fmt.Errorf("bilibili: send auth: %w", err)
	}
	heartbeat := orDefault(c.Heartbeat, DefaultHeartbeat)
	readTimeout := c.ReadTimeout
	if readTimeout <= 0 {
		readTimeout = heartbeat + 15*time.Second
	}

	deadline := time.Now().Add(authTimeout)
	heartbeating := false
	for {
		if err := c.readFrame(deadline); err != nil {
			return c.authed, c.readError(ctx, err, authTimeout, readTimeout)
		}
		if c.authed.IsZero() {
			continue // still waiting for op 8
		}
		if !heartbeating { // the auth reply just came
			heartbeating = true
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer func() {
					if p := recover(); p != nil {
						writer = gopanic.Of("bilibili: panic writing heartbeats", p)
						cancel() // the socket closes: the read ends, and serve raises it
					}
				}()
				c.writeHeartbeats(connCtx, cancel, heartbeat)
			}()
		}
		deadline = time.Now().Add(readTimeout)
	}
}

func (c *conn) dial(ctx context.Context, u string) (*websocket.Conn, error) {
	dialer := websocket.Dialer{
		NetDialContext:   c.NetDial,
		Proxy:            http.ProxyFromEnvironment,
		HandshakeTimeout: dialTimeout,
		ReadBufferSize:   16 << 10,
		WriteBufferSize:  1 << 10,
	}
	hdr := http.Header{"User-Agent": {UserAgent}, "Origin": {"https://live.bilibili.com"}}
	dctx, cancel := context.WithTimeout(ctx, dialTimeout)
	defer cancel()
	ws, resp, err := dialer.DialContext(dctx, u, hdr)
	if resp != nil && resp.Body != nil {
		resp.Body.Close()
	}
	if err != nil {
		return nil, fmt.Errorf("bilibili: dial: %w", err)
	}
	ws.SetReadLimit(int64(c.frames.maxPacket()))
	return ws, nil
}

// readFrame reads one WebSocket message by deadline, handles its packets
// and hands their events on in one batch. A malformed frame is counted and
// dropped after the events before the fault (WebSocket messages keep the
// stream in sync); the returned error ends the connection.
func (c *conn) readFrame(deadline time.Time) error {
	if err := c.ws.SetReadDeadline(deadline); err != nil {
		return err
	}
	_, r, err := c.ws.NextReader()
	if err != nil {
		return err
	}
	if c.buf.Cap() > 1<<20 {
		c.buf = bytes.Buffer{} // let a one-off large frame's buffer go
	}
	c.buf.Reset()
	if _, err := c.buf.ReadFrom(r); err != nil {
		return err
	}
	err = c.frames.Decode(c.buf.Bytes(), c.packet)
	if ferr := c.flush(); ferr != nil {
		return ferr
	}
	if err == nil || errors.Is(err, errAuth) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	c.countErr(err)
	return nil
}

// readError counts and explains why reading ended.
func (c *conn) readError(ctx context.Context, err error, authTimeout, readTimeout time.Duration) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if errors.Is(err, errAuth) {
		return err
	}
	var ne net.Error
	switch {
	case errors.As(err, &ne) && ne.Timeout() && c.authed.IsZero():
		c.Counters.Inc(CounterAuthFailed)
		return authTimeoutError{authTimeout}
	case errors.As(err, &ne) && ne.Timeout():
		c.Counters.Inc(CounterReadTimeout)
		return silenceError{readTimeout}
	case errors.Is(err, websocket.ErrReadLimit):
		c.Counters.Inc("decode_error:" + ReasonFrameTooLarge)
	}
	return fmt.Errorf("bilibili: read: %w", err)
}

// packet handles one packet in arrival order.
func (c *conn) packet(p Packet) error {
	switch p.Op {
	case OpAuthReply:
		if !c.authed.IsZero() {
			return nil
		}
		var reply struct {
			Code *jint `json:"code"`
		}
		if err := json.Unmarshal(p.Body, &reply); err != nil || reply.Code == nil {
			c.Counters.Inc("decode_error:" + ReasonBadAuthReply)
			c.Counters.Inc(CounterAuthFailed)
			return fmt.Errorf("%w: unreadable reply", errAuth)
		}
		if *reply.Code != 0 {
			c.Counters.Inc(CounterAuthFailed)
			return fmt.Errorf("%w: code %d", errAuth, int64(*reply.Code))
		}
		c.authed = time.Now()
		c.Counters.Connected("")
		c.log.Info("bilibili connected", "real_room", c.dec.RoomID)
	case OpHeartbeatReply:
		// Liveness only; the popularity number is obsolete.
	case OpMessage:
		if c.authed.IsZero() {
			// Nothing is for us before the auth reply; counted as the
			// open platform source counts it, so a server that talks
			// out of turn is seen rather than losing chat in silence.
			c.Counters.Inc(CounterIgnoredOp)
			return nil
		}
		ev, cmd, err := c.dec.decode(p.Body)
		if err != nil {
			c.countErr(err)
			return nil
		}
		if cmd == "LOG_IN_NOTICE" {
			c.warnGuest("the server sent LOG_IN_NOTICE")
		}
		c.batch.Add(ev)
	default:
		c.Counters.Inc(CounterIgnoredOp)
	}
	return nil
}

// flush hands the frame's events to emit, which owns them from then on.
func (c *conn) flush() error {
	n, err := c.batch.Flush(c.emit)
	if err != nil {
		return err
	}
	c.Counters.Add(CounterEvents, uint64(n))
	return nil
}

// countErr counts a dropped frame or command under its fixed reason.
func (c *conn) countErr(err error) {
	var skip *SkipError
	switch {
	case errors.As(err, &skip):
		c.Counters.Inc(skip.Reason)
	case errorReason(err) != "":
		c.Counters.Inc("decode_error:" + errorReason(err))
		c.log.Debug("bilibili: dropped bad input", "reason", errorReason(err))
	default:
		c.Counters.Inc("decode_error:other")
	}
}

// writeHeartbeats owns every write after the auth packet: a heartbeat now
// (as the web client does right after the auth reply) and then every
// interval. A failed write ends the connection.
func (c *conn) writeHeartbeats(ctx context.Context, fail context.CancelFunc, interval time.Duration) {
	hb := AppendPacket(nil, VerRaw, OpHeartbeat, nil)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		_ = c.ws.SetWriteDeadline(time.Now().Add(writeTimeout))
		if err := c.ws.WriteMessage(websocket.BinaryMessage, hb); err != nil {
			if ctx.Err() == nil {
				c.log.Debug("bilibili: heartbeat failed", "err", err)
			}
			fail()
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// silenceError ends a connection that sent no frame for after.
type silenceError struct{ after time.Duration }

func (e silenceError) Error() string { return fmt.Sprintf("bilibili: no frame for %v", e.after) }

// bootstrapError is a failure of the HTTP steps before the WebSocket
// (room_init, nav, getDanmuInfo); its text is the failure's.
type bootstrapError struct{ error }

func (e bootstrapError) Unwrap() error { return e.error }

// errClass is the class of the error that ended a connection or an
// attempt, for the source's status (danmu.Conn.Err).
func errClass(err error) string {
	var (
		closed *websocket.CloseError
		boot   bootstrapError
	)
	switch {
	case errors.Is(err, ErrRoomNotFound):
		return danmu.ErrClassNotFound
	case errors.Is(err, errAuth):
		return danmu.ErrClassAuth
	case errors.As(err, new(silenceError)), errors.As(err, new(authTimeoutError)):
		return danmu.ErrClassTimeout
	case errors.As(err, &closed):
		return danmu.ErrClassClosed
	case errors.Is(err, websocket.ErrBadHandshake):
		return danmu.ErrClassProtocol
	case errors.As(err, &boot):
		if c := danmu.ErrClass(boot.error); c != danmu.ErrClassOther {
			return c // the network, not the API
		}
		return danmu.ErrClassAPI
	}
	return danmu.ErrClass(err)
}
