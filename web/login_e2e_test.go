package web

import (
	"context"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// servePanel serves a fake engine and rig with token and the session key
// on addr (127.0.0.1:0 for any port), as cattease does, after setup (if
// any) has set what it needs; stop ends it and waits until it has.
func servePanel(t *testing.T, addr, token string, setup func(*Server, *fakeEngine)) (url string, s *Server, eng *fakeEngine, stop func()) {
	t.Helper()
	s, eng, _ = newTestServer(token)
	s.SessionKey, s.Now = "the key kept in the state directory", time.Now
	if setup != nil {
		setup(s, eng)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, ln) }()
	var once sync.Once
	stop = func() { once.Do(func() { cancel(); <-served }) }
	t.Cleanup(stop)
	return "http://" + ln.Addr().String(), s, eng, stop
}

// quickMinutes makes the page's minute-long intervals 300 ms: what the
// panel does every minute, the test sees at once.
const quickMinutes = `(() => {
	const every = window.setInterval;
	window.setInterval = (f, ms, ...args) => every(f, ms >= 60000 ? 300 : ms, ...args);
})();`

// TestBrowserPanelLoginLapses: a panel left open whose login is lost shows
// its login box by itself, before a STOP can meet a 401: when the server
// comes back from a restart with a new token file, and when the browser
// has dropped the cookie (30 days after the login) while the page stayed
// open.
func TestBrowserPanelLoginLapses(t *testing.T) {
	ctx := browser(t)
	url, _, _, stop := servePanel(t, "127.0.0.1:0", testToken, nil)
	viewport(t, ctx, 412, 1400, true)
	if err := chromedp.Do(ctx, chromedp.Navigate(url+"/panel?lang=en#token="+testToken)); err != nil {
		t.Fatal(err)
	}
	until(t, ctx, "logged in", `document.body.dataset.auth === "yes" && document.body.dataset.conn === "online"`)

	stop()
	servePanel(t, url[len("http://"):], testToken+"-from-a-new-token-file", nil)
	until(t, ctx, "the login box after a restart with a new token", `document.body.dataset.conn === "online" &&
		document.body.dataset.auth === "no" && !document.getElementById("login").hidden`)

	if _, err := chromedp.Call(ctx, cdppage.AddScriptToEvaluateOnNewDocument,
		cdppage.AddScriptToEvaluateOnNewDocumentParams{Source: quickMinutes}); err != nil {
		t.Fatal(err)
	}
	// Another query, so that the page loads anew, with quickMinutes: a new fragment alone would not.
	if err := chromedp.Do(ctx, chromedp.Navigate(url+"/panel?lang=en&reloaded=1#token="+testToken+"-from-a-new-token-file")); err != nil {
		t.Fatal(err)
	}
	until(t, ctx, "logged in with the new token", `document.body.dataset.auth === "yes" && document.body.dataset.conn === "online"`)
	if _, err := chromedp.Call(ctx, network.ClearBrowserCookies, struct{}{}); err != nil {
		t.Fatal(err)
	}
	until(t, ctx, "the login box once the cookie is gone", `document.body.dataset.auth === "no" && !document.getElementById("login").hidden`)

	// Log in again, then "Log out": the login box, and the server says
	// the browser is logged out (the cookie was cleared, not renewed by
	// a check in flight).
	if err := chromedp.Do(ctx, chromedp.Navigate(url+"/panel?lang=en&again=1#token="+testToken+"-from-a-new-token-file")); err != nil {
		t.Fatal(err)
	}
	until(t, ctx, "logged in once more", `document.body.dataset.auth === "yes"`)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("logout"))); err != nil {
		t.Fatal(err)
	}
	until(t, ctx, "logged out", `document.body.dataset.auth === "no" && !document.getElementById("login").hidden`)
	status, err := chromedp.Run(ctx, chromedp.Evaluate[int](`fetch("/api/auth").then((r) => r.status)`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if status != 401 {
		t.Errorf("/api/auth after log-out: %d, want 401", status)
	}
}
