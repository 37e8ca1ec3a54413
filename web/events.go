package web

import (
	"errors"
	"net/http"
	"net/netip"
	"time"
)

// handleEvents streams frames as Server-Sent Events until the client goes
// away or the server shuts down. The browser's EventSource reconnects by
// itself after a network error, and the pages' own code after a refusal
// (the 503 below) or a silent stream (common.js, stream); every frame is
// a full state, so there is nothing to replay.
func (s *Server) handleEvents(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // a reverse proxy must not hold frames back
	if r.Method == http.MethodHead {
		// The headers are the whole answer. Subscribed, a HEAD request
		// would hold one of the MaxClients slots for as long as its client
		// liked: net/http discards what it writes, so the write deadline
		// that drops stuck readers never fires.
		w.WriteHeader(http.StatusOK)
		return
	}
	key, shared := r.Context().Value(clientShare{}).(netip.Prefix)
	c, err := s.hub.subscribe(key, shared)
	if err != nil {
		if errors.Is(err, errStreamsShare) {
			s.refuse(refusedBusy)
			if ok, n := s.streamLog.allow(s.now()); ok {
				s.Log.Warn("web: too many event streams from one address; refusing its new ones", "remote", r.RemoteAddr, "max", streamsPerClient, unloggedAttr(n))
			}
		}
		closeAfter(w) // a refused client does not keep the connection
		http.Error(w, err.Error(), http.StatusServiceUnavailable)
		return
	}
	defer s.hub.unsubscribe(c)
	if m := s.Metrics; m != nil {
		m.clients.Inc()
		defer m.clients.Dec()
	}
	rc := http.NewResponseController(w)
	// Server.ReadTimeout would otherwise end the stream: the connection's
	// background read hits the deadline and cancels the request.
	if err := rc.SetReadDeadline(time.Time{}); err != nil && !errors.Is(err, http.ErrNotSupported) {
		return
	}
	if !s.send(w, rc, []byte("retry: 2000\n\n")) {
		return
	}
	for {
		select {
		case <-r.Context().Done():
			return
		case <-c.evicted: // a client holding fewer streams took its place
			s.refuse(refusedBusy)
			if ok, n := s.streamLog.allow(s.now()); ok {
				s.Log.Warn("web: every event stream is taken; ending the newest of the address holding the most", "remote", r.RemoteAddr, unloggedAttr(n))
			}
			return
		case msg := <-c.ch:
			if !s.send(w, rc, msg) {
				return
			}
		}
	}
}

// send writes one message and flushes it, within writeTimeout.
func (s *Server) send(w http.ResponseWriter, rc *http.ResponseController, msg []byte) bool {
	if err := rc.SetWriteDeadline(time.Now().Add(writeTimeout)); err != nil && !errors.Is(err, http.ErrNotSupported) {
		return false
	}
	if _, err := w.Write(msg); err != nil {
		s.Log.Debug("web: event stream closed", "err", err)
		return false
	}
	if err := rc.Flush(); err != nil {
		s.Log.Debug("web: event stream closed", "err", err)
		return false
	}
	return true
}
