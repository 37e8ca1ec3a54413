// Package web serves what people watching and running the stream see: the
// overlay (an OBS browser source showing where the dot is, who moved it,
// the queue with its ETAs, cooldowns, the cat's rest time, gift thanks,
// the vote and the policy meter, 包场), the streamer's control panel
// (emergency stop, pause, play policy, patterns, laser enable, reload,
// moderation), a small JSON and Server-Sent Events API, and Prometheus
// metrics. Commands are shown by their rules.yaml label (Server.Labels)
// when they have one.
//
// # State
//
// The package renders state; it does not own any. Every frame is built
// from control.Engine.Status and safety.Envelope.Snapshot at the time it is
// sent. What the package does keep exists only for rendering: the SSE
// subscribers, the decisions that arrived since the last frame, the last
// few accepted commands (so a flood of refusals cannot push them off the
// feed) and the refusal counts behind the feedback line ("冷却中 3s ×12").
//
// # Coalescing
//
// Decision and Output are called from the engine and motion goroutines,
// under their locks, up to thousands of times a second. They only append to
// bounded buffers and wake the broadcaster; they never block and never call
// back into the engine or the rig. The broadcaster sends at most one frame
// per MinFrameGap (10 a second) and at least one per IdleFrameGap, built
// once and shared by every client. A client that cannot keep up loses
// frames, not memory: each has a small queue, and when it is full the
// queued frames are dropped for the newest, which is a complete state on
// its own (drop and resync). The broadcaster runs only while someone
// watches.
//
// # Security
//
// Control requests need the token: an "Authorization: Bearer TOKEN" header
// or the HttpOnly, SameSite=Strict cookie the panel's login form sets
// (cookie requests must also come from the same origin). The cookie holds
// a session, its time and an HMAC of the token and that time under
// Server.SessionKey, never the token; it is checked without limits, since
// it can be neither guessed nor forged, so no guesser can keep a
// logged-in panel from its STOP, and a wrong one is cleared. A session is
// good for 30 days; one in use is issued anew once a day old, and the
// panel checks its login every minute and when its stream comes back. Without a token (Token == "") control is allowed
// only from loopback pages, and Run and Serve refuse to listen beyond
// loopback. Every token presented in a login or a bearer header is first
// charged to the client's address group (an IPv4 address, an IPv6 /64) and
// to a bound on everyone: 5 quick wrong tokens per group, then one a
// second, else 429 without comparing; right tokens, missing ones and the
// same wrong one again cost nothing (see guessLimiter). The token is never logged. Chat
// names and texts are put on the page as text, never as HTML. Scripts run
// only from the package's own files; the overlay alone allows inline
// styles, so that OBS's Custom CSS (a <style> element it adds) applies.
//
// What else Serve checks depends on who can reach it (Server.Exposure,
// by default from the listener's address):
//
//   - Bound to loopback, every request must name the server as
//     localhost, 127.0.0.1 or [::1] with its port in the Host header, or
//     it gets 421: a web page that rebinds its own DNS name to 127.0.0.1
//     cannot read the status or the event stream.
//   - Bound to any other address, every request needs the token except
//     these, which change nothing and show nothing the stream does not:
//     GET /, /overlay, /panel, /static/*, /favicon.ico (the pages and
//     their files), GET /api/events (the overlay's own data), GET
//     /api/auth, POST /api/login and /api/logout (how the panel logs in)
//     and GET /healthz ("ok", for probes). /api/status, /api/commands,
//     /metrics and every control need it.
//
// At most Server.MaxConns connections (DefaultMaxConns) are open at once;
// more wait in the kernel's backlog. A connection must send its headers
// within 3 s and may idle 10 s between requests.
//
// # Liveness
//
// The event stream carries a frame at least every IdleFrameGap (1 s)
// while anyone watches: that is the heartbeat. The overlay turns grey and
// says 离线 / offline when the stream breaks or no frame came for 2.5 s,
// and stops its countdowns until frames return. The pages reconnect by
// themselves, also after a refused stream (a 503 beyond MaxClients, a
// proxy's 502), which the browser does not retry, and from a stream that
// stays open without frames: 2 s later, then twice as long each time up
// to 30 s, back to 2 s at a frame.
//
// # Routes
//
//	GET  /, /overlay             overlay: ?lang=en, ?preview=1 (a backdrop), ?corner=br|bl|tr|tl,
//	                             ?parts=map,feed,queue,session, ?compact=1, ?scale=1.2 (docs/web.md)
//	GET  /panel                  control panel
//	GET  /api/status             engine status, rig snapshot, feed, feedback, server time
//	GET  /api/events             the same as Server-Sent Events ("state" events)
//	GET  /api/commands           commands (name, label) for the panel's buttons, and the policies
//	GET  /api/auth               204 when the request carries the token, else 401
//	POST /api/login, /api/logout set or clear the panel cookie
//	POST /api/control/{action}   stop, resume, pause, unpause, policy, pattern, laser, reload,
//	                             timeout, untimeout, exclusive, end_exclusive (501 without moderation)
//	GET  /healthz                "ok"
//	GET  /favicon.ico            the icon
//	GET  /metrics                Prometheus metrics, when Server.Metrics is set
package web
