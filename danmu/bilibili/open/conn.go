package open

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"github.com/cattease/cattease/danmu"
	"github.com/cattease/cattease/danmu/bilibili"
	"github.com/cattease/cattease/danmu/internal/gopanic"
)

// errAuth is an op-8 reply with a non-zero code, or one that cannot be
// read. No reply at all is an authTimeoutError.
var errAuth = errors.New("bilibili/open: WebSocket authentication refused")

// authTimeoutError ends a connection whose auth got no reply within after:
// a half-dead server or network, not a refusal.
type authTimeoutError struct{ after time.Duration }

func (e authTimeoutError) Error() string {
	return fmt.Sprintf("bilibili/open: no WebSocket auth reply within %v", e.after)
}

// conn is one WebSocket connection of a game: the calling goroutine reads
// and decodes, one goroutine writes heartbeats.
type conn struct {
	*run
	dec    Decoder
	frames bilibili.FrameDecoder
	buf    bytes.Buffer
	ws     *websocket.Conn
	authed time.Time
	emit   func([]danmu.Event) error
	batch  danmu.Batch // the events of the frame being read
}

// serve dials u, sends authBody verbatim and reads until the connection
// fails, the game ends (ErrGameOver) or ctx ends. It returns when the auth
// was accepted (zero if never); the writer goroutine has exited by then.
func (c *conn) serve(ctx context.Context, u, authBody string, emit func([]danmu.Event) error) (time.Time, error) {
	ws, err := c.dial(ctx, u)
	if err != nil {
		c.Counters.Inc(CounterDialError)
		return time.Time{}, err
	}
	c.ws, c.emit = ws, emit
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
	_ = ws.SetWriteDeadline(time.Now().Add(authTimeout))
	if err := ws.WriteMessage(websocket.BinaryMessage, bilibili.AppendPacket(nil, bilibili.VerRaw, bilibili.OpAuth, []byte(authBody))); err != nil {
		return time.Time{}, fmt.Errorf("bilibili/open: send auth: %w", err)
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
			continue
		}
		if !heartbeating { // the auth reply just came
			heartbeating = true
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer func() {
					if p := recover(); p != nil {
						writer = gopanic.Of("bilibili/open: panic writing WebSocket heartbeats", p)
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
	dctx, cancel := context.WithTimeout(ctx, dialTimeout)
	defer cancel()
	ws, resp, err := dialer.DialContext(dctx, u, nil)
	if resp != nil && resp.Body != nil {
		resp.Body.Close()
	}
	if err != nil {
		return nil, fmt.Errorf("bilibili/open: dial: %w", err)
	}
	ws.SetReadLimit(bilibili.DefaultMaxPacket)
	return ws, nil
}

// readFrame reads one WebSocket message by deadline, handles its packets
// and hands their events on in one batch. A malformed frame is counted and
// dropped after the events before the fault; the returned error ends the
// connection.
func (c *conn) readFrame(deadline time.Time) error {
	if err := c.ws.SetReadDeadline(deadline); err != nil {
		return err
	}
	_, r, err := c.ws.NextReader()
	if err != nil {
		return err
	}
	if c.buf.Cap() > 1<<20 {
		c.buf = bytes.Buffer{}
	}
	c.buf.Reset()
	if _, err := c.buf.ReadFrom(r); err != nil {
		return err
	}
	err = c.frames.Decode(c.buf.Bytes(), c.packet)
	if ferr := c.flush(); ferr != nil {
		return ferr
	}
	var de *bilibili.DecodeError
	if errors.As(err, &de) {
		c.Counters.Inc("decode_error:" + de.Reason)
		return nil
	}
	return err
}

func (c *conn) readError(ctx context.Context, err error, authTimeout, readTimeout time.Duration) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if errors.Is(err, errAuth) || errors.Is(err, ErrGameOver) {
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
		c.Counters.Inc("decode_error:" + bilibili.ReasonFrameTooLarge)
	}
	return fmt.Errorf("bilibili/open: read: %w", err)
}

// packet handles one packet in arrival order.
func (c *conn) packet(p bilibili.Packet) error {
	switch p.Op {
	case bilibili.OpAuthReply:
		if !c.authed.IsZero() {
			return nil
		}
		var reply struct {
			Code *jint `json:"code"`
		}
		if err := json.Unmarshal(p.Body, &reply); err != nil || reply.Code == nil {
			c.Counters.Inc("decode_error:" + bilibili.ReasonBadAuthReply)
			c.Counters.Inc(CounterAuthFailed)
			return fmt.Errorf("%w: unreadable reply", errAuth)
		}
		if *reply.Code != 0 {
			c.Counters.Inc(CounterAuthFailed)
			return fmt.Errorf("%w: code %d", errAuth, int64(*reply.Code))
		}
		c.authed = time.Now()
		c.Counters.Connected(strconv.FormatInt(c.dec.RoomID, 10))
		c.log.Info("bilibili open platform connected", "room", c.dec.RoomID)
	case bilibili.OpHeartbeatReply:
	case bilibili.OpMessage:
		if c.authed.IsZero() {
			c.Counters.Inc(CounterIgnoredOp)
			return nil
		}
		return c.message(p.Body)
	default:
		c.Counters.Inc(CounterIgnoredOp)
	}
	return nil
}

// message decodes one command and adds its Event to the frame's batch.
func (c *conn) message(body []byte) error {
	ev, noPrice, err := c.dec.decode(body)
	var skip *SkipError
	var de *DecodeError
	switch {
	case errors.Is(err, ErrInteractionEnd):
		c.Counters.Inc(ErrInteractionEnd.Reason)
		return fmt.Errorf("%w: LIVE_OPEN_PLATFORM_INTERACTION_END", ErrGameOver)
	case errors.As(err, &skip):
		c.Counters.Inc(skip.Reason)
		return nil
	case errors.As(err, &de):
		c.Counters.Inc("decode_error:" + de.Reason)
		c.log.Debug("bilibili open: dropped bad input", "reason", de.Reason)
		return nil
	case err != nil:
		c.Counters.Inc("decode_error:other")
		return nil
	}
	if noPrice {
		c.Counters.Inc(CounterNoPrice)
		c.noPriceWarning.Do(func() {
			c.log.Warn("bilibili open platform: a paid gift or guard purchase came without a price: it is worth nothing to the rules (counted as gift_no_price; warned once)",
				"kind", ev.Kind, "gift", ev.Gift.Name)
		})
	}
	c.batch.Add(ev)
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

// writeHeartbeats owns every write after the auth packet: a heartbeat now
// and then every interval. A failed write ends the connection.
func (c *conn) writeHeartbeats(ctx context.Context, fail context.CancelFunc, interval time.Duration) {
	hb := bilibili.AppendPacket(nil, bilibili.VerRaw, bilibili.OpHeartbeat, nil)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		_ = c.ws.SetWriteDeadline(time.Now().Add(writeTimeout))
		if err := c.ws.WriteMessage(websocket.BinaryMessage, hb); err != nil {
			if ctx.Err() == nil {
				c.log.Debug("bilibili open: heartbeat failed", "err", err)
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

func (e silenceError) Error() string { return fmt.Sprintf("bilibili/open: no frame for %v", e.after) }

// startError is a failed /v2/app/start; its text is the failure's.
type startError struct{ error }

func (e startError) Unwrap() error { return e.error }

// errClass is the class of the error that ended a game, a connection or
// an attempt, for the source's status (danmu.Conn.Err).
func errClass(err error) string {
	var (
		closed *websocket.CloseError
		apiErr *APIError
		start  startError
	)
	switch {
	case permanent(err), errors.Is(err, errAuth):
		return danmu.ErrClassAuth
	case errors.Is(err, ErrGameOver):
		return danmu.ErrClassClosed
	case errors.As(err, &apiErr):
		return danmu.ErrClassAPI
	case errors.As(err, new(silenceError)), errors.As(err, new(authTimeoutError)):
		return danmu.ErrClassTimeout
	case errors.As(err, &closed):
		return danmu.ErrClassClosed
	case errors.Is(err, websocket.ErrBadHandshake):
		return danmu.ErrClassProtocol
	case errors.As(err, &start):
		if c := danmu.ErrClass(start.error); c != danmu.ErrClassOther {
			return c // the network, not the API
		}
		return danmu.ErrClassAPI
	}
	return danmu.ErrClass(err)
}
