package web

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// streamLog wraps a server's handler: it counts the requests for the
// event stream, notes when each came, and can make the next one hang,
// open and silent, as a stuck server or proxy does.
type streamLog struct {
	h         http.Handler
	hangNext  atomic.Bool
	hung      atomic.Int32
	delayNext atomic.Int64 // the next stream answers this many ns late (a slow link)
	mu        sync.Mutex
	at        []time.Time
}

func (l *streamLog) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/api/events" {
		l.h.ServeHTTP(w, r)
		return
	}
	l.mu.Lock()
	l.at = append(l.at, time.Now())
	l.mu.Unlock()
	if l.hangNext.CompareAndSwap(true, false) {
		l.hung.Add(1)
		w.Header().Set("Content-Type", "text/event-stream")
		w.WriteHeader(http.StatusOK)
		w.(http.Flusher).Flush()
		<-r.Context().Done()
		return
	}
	if d := l.delayNext.Swap(0); d > 0 {
		select { // the server's side of a link slow to deliver
		case <-time.After(time.Duration(d)):
		case <-r.Context().Done():
			return
		}
	}
	l.h.ServeHTTP(w, r)
}

func (l *streamLog) times() []time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]time.Time(nil), l.at...)
}

// holdStreams opens n event streams and reads them until release is
// called; it returns once the server has taken them all.
func holdStreams(t *testing.T, url string, n int) (release func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	var wg sync.WaitGroup
	for i := range n {
		req, _ := http.NewRequestWithContext(ctx, "GET", url+"/api/events", nil)
		res, err := http.DefaultClient.Do(req)
		if err != nil || res.StatusCode != 200 {
			cancel()
			t.Fatalf("stream %d: %v %v", i, res, err)
		}
		wg.Go(func() { io.Copy(io.Discard, res.Body); res.Body.Close() })
	}
	return func() { cancel(); wg.Wait() }
}

// TestBrowserStreamComesBack: an overlay left open for hours meets a
// refused event stream (503 while the server has its MaxClients streams;
// a proxy's 502 alike), which the browser does not retry, and a stream
// that stays open but silent. It tries again 2 s later, then 4 s, then
// 8 s (not a tight loop), and is back online once the server answers.
func TestBrowserStreamComesBack(t *testing.T) {
	ctx := browser(t)
	s, _, _ := newTestServer(testToken)
	s.Now = time.Now
	log := &streamLog{h: s.Handler()}
	ts := httptest.NewServer(log)
	t.Cleanup(ts.Close)
	if err := chromedp.Do(ctx); err != nil { // the browser, whose tabs follow
		t.Fatal(err)
	}

	// A stream that opens and says nothing: offline, then a new stream.
	tab, closeTab := chromedp.NewContext(ctx)
	viewport(t, tab, 1920, 1080, false)
	log.hangNext.Store(true)
	if err := chromedp.Do(tab, chromedp.Navigate(ts.URL+"/overlay?preview=1")); err != nil {
		t.Fatal(err)
	}
	until(t, tab, "offline on a silent stream", `document.body.dataset.conn === "offline"`)
	until(t, tab, "online on a new stream", `document.body.dataset.conn === "online" && Number(document.body.dataset.seq) > 0`)
	if log.hung.Load() != 1 || len(log.times()) != 2 {
		t.Fatalf("%d hung streams, %d requests; want the first hung, the second answered", log.hung.Load(), len(log.times()))
	}
	closeTab()

	// A slow link: the first frame comes 3.5 s after the page asked. The
	// page shows offline meanwhile, then keeps the stream that delivers
	// instead of replacing it just after it started.
	tab, closeTab = chromedp.NewContext(ctx)
	viewport(t, tab, 1920, 1080, false)
	before := len(log.times())
	log.delayNext.Store(int64(3500 * time.Millisecond))
	start := time.Now()
	if err := chromedp.Do(tab, chromedp.Navigate(ts.URL+"/overlay?preview=1")); err != nil {
		t.Fatal(err)
	}
	until(t, tab, "online on the slow stream", `document.body.dataset.conn === "online"`)
	wait, cancel := context.WithTimeout(tab, time.Until(start.Add(8*time.Second)))
	chromedp.Run(wait, chromedp.Poll[bool](`document.body.dataset.conn !== "online"`, chromedp.WithPollingInterval(50*time.Millisecond)))
	cancel()
	if n := len(log.times()) - before; n != 1 {
		t.Errorf("%d requests for the stream in 8 s on a slow link, want 1: the stream that delivers is kept", n)
	}
	closeTab()

	// Every stream taken: 503s, at growing intervals.
	eventually(t, "the tab's stream closed", func() bool {
		s.hub.mu.Lock()
		defer s.hub.mu.Unlock()
		return len(s.hub.clients) == 0
	})
	release := holdStreams(t, ts.URL, MaxClients)
	before = len(log.times())
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/overlay?preview=1")); err != nil {
		t.Fatal(err)
	}
	until(t, ctx, "offline on a 503", `document.body.dataset.conn === "offline"`)
	poll := time.NewTicker(50 * time.Millisecond)
	defer poll.Stop()
	for deadline := time.After(20 * time.Second); len(log.times())-before < 3; {
		select {
		case <-poll.C:
		case <-deadline:
			t.Fatalf("%d requests for the stream after the 503, want 3 within 20 s", len(log.times())-before)
		}
	}
	at := log.times()[before:]
	gap1, gap2 := at[1].Sub(at[0]), at[2].Sub(at[1])
	t.Logf("tries after a 503: %v, then %v later", gap1.Round(time.Millisecond), gap2.Round(time.Millisecond))
	if gap1 < 1500*time.Millisecond || gap2 < 3500*time.Millisecond || gap2 > 5*time.Second {
		t.Errorf("tries %v then %v apart, want about 2 s then 4 s", gap1, gap2)
	}
	release()
	until(t, ctx, "online once the server has room", `document.body.dataset.conn === "online"`)
}
