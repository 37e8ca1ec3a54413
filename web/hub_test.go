package web

import (
	"bytes"
	"encoding/json"
	"net/netip"
	"strconv"
	"testing"
	"testing/synctest"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/safety"
	"github.com/cattease/cattease/control"
)

// watch subscribes a stream outside any client's share, as on loopback.
func (h *hub) watch() (*client, bool) {
	c, err := h.subscribe(netip.Prefix{}, false)
	return c, err == nil
}

// parseMsg reads the frame out of one SSE message.
func parseMsg(t *testing.T, msg []byte) Frame {
	t.Helper()
	_, data, ok := bytes.Cut(msg, []byte("\ndata: "))
	if !ok || !bytes.HasPrefix(msg, []byte("event: state\nid: ")) || !bytes.HasSuffix(data, []byte("\n\n")) {
		t.Fatalf("not an SSE state message: %q", msg)
	}
	var f Frame
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatalf("frame: %v", err)
	}
	return f
}

// collect reads c's frames until stop is closed.
func collect(t *testing.T, c *client, stop <-chan struct{}) <-chan []Frame {
	out := make(chan []Frame, 1)
	go func() {
		var fs []Frame
		for {
			select {
			case msg := <-c.ch:
				fs = append(fs, parseMsg(t, msg))
			case <-stop:
				out <- fs
				return
			}
		}
	}()
	return out
}

// flood sends n decisions a second for d, one every 1/n s, and an output
// every 20 ms as a moving axis does; every third decision is a refusal.
func flood(s *Server, n int, d time.Duration) (sent int) {
	every := time.Second / time.Duration(n)
	start := time.Now()
	for i := 0; time.Since(start) < d; i++ {
		dec := control.Decision{Time: time.Now(), EventID: strconv.Itoa(i), Platform: "bilibili",
			UserName: "u" + strconv.Itoa(i%50), Rule: "left", Outcome: control.Accepted, Reason: control.ReasonQueued}
		if i%3 == 0 {
			dec.Outcome, dec.Reason, dec.RetryAfter = control.Dropped, control.ReasonCooldownUser, 2*time.Second
		}
		s.Decision(dec)
		sent++
		if i%int(20*time.Millisecond/every) == 0 {
			s.Output(safety.Output{Time: time.Now(), Target: "pan", Action: actuators.ActionAngle, Value: float64(i % 40)})
		}
		time.Sleep(every)
	}
	return sent
}

// TestFloodCoalesced: 1,000 decisions a second for 5 s reach a watcher as
// at most 10 frames a second, built with one engine status each, with
// every decision either carried or counted as missed.
func TestFloodCoalesced(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s, eng, _ := newTestServer("")
		s.Now = nil
		s.init()
		c, _ := s.hub.watch()
		stop := make(chan struct{})
		got := collect(t, c, stop)
		start := time.Now()
		sent := flood(s, 1000, 5*time.Second)
		time.Sleep(time.Second)
		elapsed := time.Since(start)
		close(stop)
		frames := <-got
		s.hub.unsubscribe(c)
		s.hub.wait()

		maxFrames := int(elapsed/MinFrameGap) + 1
		if len(frames) > maxFrames || len(frames) < maxFrames/2 {
			t.Fatalf("%d frames in %v; want at most %d and not far fewer", len(frames), elapsed, maxFrames)
		}
		carried, missed := 0, 0
		for i, f := range frames {
			if i > 0 && f.Time.Sub(frames[i-1].Time) < MinFrameGap {
				t.Fatalf("frames %d and %d only %v apart", i-1, i, f.Time.Sub(frames[i-1].Time))
			}
			if len(f.Decisions) > maxBatch || len(f.Feed) > FeedSize || len(f.Feedback) > maxFeedback {
				t.Fatalf("frame %d is not bounded: %d decisions, %d feed, %d feedback", i, len(f.Decisions), len(f.Feed), len(f.Feedback))
			}
			carried += len(f.Decisions)
			missed += f.Missed
		}
		if carried+missed != sent {
			t.Fatalf("sent %d decisions; frames carried %d and counted %d missed", sent, carried, missed)
		}
		if eng.statuses != len(frames) {
			t.Fatalf("engine asked for its status %d times for %d frames", eng.statuses, len(frames))
		}
		last := frames[len(frames)-1]
		if len(last.Feedback) != 1 || last.Feedback[0].Count < 300 || last.Feed[0].Reason != control.ReasonQueued {
			t.Fatalf("last frame: feedback %+v feed[0] %+v", last.Feedback, last.Feed[0])
		}
		t.Logf("%d decisions, %d frames in %v", sent, len(frames), elapsed)
	})
}

// TestSlowClientResyncs: a client that never reads costs a few queued
// frames, never blocks the broadcaster, and then gets the newest state.
func TestSlowClientResyncs(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s, _, _ := newTestServer("")
		s.Now = nil
		s.init()
		slow, _ := s.hub.watch()
		fast, _ := s.hub.watch()
		stop := make(chan struct{})
		got := collect(t, fast, stop)
		flood(s, 1000, 2*time.Second)
		time.Sleep(time.Second) // idle frames keep coming
		close(stop)
		frames := <-got
		if len(slow.ch) > clientQueue {
			t.Fatalf("slow client holds %d frames", len(slow.ch))
		}
		s.hub.mu.Lock()
		dropped := slow.dropped
		s.hub.mu.Unlock()
		if dropped == 0 || len(frames) < 20 {
			t.Fatalf("slow client dropped %d; fast client got %d frames", dropped, len(frames))
		}
		var newest Frame
		for len(slow.ch) > 0 {
			newest = parseMsg(t, <-slow.ch)
		}
		if newest.Seq != frames[len(frames)-1].Seq {
			t.Fatalf("slow client's newest frame is %d; the fast one's is %d", newest.Seq, frames[len(frames)-1].Seq)
		}
		s.hub.unsubscribe(slow)
		s.hub.unsubscribe(fast)
		s.hub.wait()
	})
}

// TestLoopOnlyWhileWatched: no broadcaster without clients; it starts with
// the first and exits after the last, and idle frames keep countdowns fresh.
func TestLoopOnlyWhileWatched(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s, eng, _ := newTestServer("")
		s.Decision(control.Decision{EventID: "1", Outcome: control.Accepted, Reason: control.ReasonQueued})
		time.Sleep(3 * time.Second)
		synctest.Wait()
		if eng.statuses != 0 {
			t.Fatalf("engine asked %d times with nobody watching", eng.statuses)
		}
		c, _ := s.hub.watch()
		time.Sleep(3*time.Second + time.Millisecond)
		if n := len(c.ch); n != clientQueue { // the first frame, then one a second: 4, queue full
			t.Fatalf("after 3 s idle: %d frames queued", n)
		}
		first := parseMsg(t, <-c.ch)
		if len(first.Decisions) != 0 {
			t.Fatalf("a new watcher got old decisions: %+v", first.Decisions)
		}
		s.hub.unsubscribe(c)
		s.hub.wait()
		synctest.Wait()
		n := eng.statuses
		time.Sleep(5 * time.Second)
		if eng.statuses != n {
			t.Fatal("the broadcaster kept running after the last client left")
		}
	})
}

func TestMaxClients(t *testing.T) {
	s, _, _ := newTestServer("")
	s.init()
	var cs []*client
	for range MaxClients {
		c, ok := s.hub.watch()
		if !ok {
			t.Fatal("refused below the limit")
		}
		cs = append(cs, c)
	}
	if w := do(t, s.Handler(), "GET", "/api/events", ""); w.Code != 503 {
		t.Fatalf("client %d: %d, want 503", MaxClients+1, w.Code)
	}
	for _, c := range cs {
		s.hub.unsubscribe(c)
	}
	s.hub.wait()
}

func TestFeedDedupes(t *testing.T) {
	var f feed
	for i := range FeedSize + 3 {
		f.add(noted{Decision: control.Decision{EventID: strconv.Itoa(i), Outcome: control.Accepted, Reason: control.ReasonQueued}})
	}
	f.add(noted{Decision: control.Decision{EventID: strconv.Itoa(FeedSize + 2), Outcome: control.Accepted, Reason: control.ReasonRan}})
	f.update(noted{Decision: control.Decision{EventID: strconv.Itoa(FeedSize + 1), Outcome: control.Dropped, Reason: control.ReasonStopped}})
	f.update(noted{Decision: control.Decision{EventID: "gone", Outcome: control.Dropped, Reason: control.ReasonStopped}})
	l := f.list()
	if len(l) != FeedSize || l[0].EventID != strconv.Itoa(FeedSize+2) || l[0].Reason != control.ReasonRan ||
		l[1].Reason != control.ReasonStopped || l[FeedSize-1].EventID != "3" {
		t.Fatalf("feed %+v", l)
	}
}

func TestFeedbackAggregates(t *testing.T) {
	var fb feedback
	at := func(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }
	for i := range 40 {
		fb.add(control.Decision{Time: at(0), Rule: "left", Outcome: control.Dropped, Reason: control.ReasonCooldownUser, RetryAfter: time.Duration(i) * time.Millisecond})
	}
	fb.add(control.Decision{Time: at(1), Rule: "laser", Outcome: control.Dropped, Reason: control.ReasonCooldownCommand, RetryAfter: 3 * time.Second})
	l := fb.list(at(2))
	if len(l) != 2 || l[0].Rule != "laser" || !l[0].Until.Equal(at(4)) || l[1].Count != 40 || l[1].Rule != "" {
		t.Fatalf("lines %+v", l)
	}
	if l := fb.list(at(7)); len(l) != 0 {
		t.Fatalf("lines outlived their time: %+v", l)
	}
	fb.add(control.Decision{Time: at(10), Rule: "right", Outcome: control.Dropped, Reason: control.ReasonCooldownUser})
	if l := fb.list(at(10)); len(l) != 1 || l[0].Count != 1 {
		t.Fatalf("a stale line must start counting again: %+v", l)
	}
	for i := range 3 * maxFeedback { // more kinds than lines: bounded
		fb.add(control.Decision{Time: at(20 + i), Rule: strconv.Itoa(i), Outcome: control.Dropped, Reason: control.ReasonCooldownCommand})
	}
	if fb.n != maxFeedback {
		t.Fatalf("%d lines", fb.n)
	}
}
