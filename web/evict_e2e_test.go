package web

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"slices"
	"testing"
	"time"
)

// TestFewAddressesCannotStarveTheStreamer: 8 hostile addresses
// (127.0.0.2-9) each hold their share of 8 connections, together all 64,
// slow logins with a cookie (each held for the 10 s ReadTimeout), and 4 of
// them 4 event streams each, together all 16. The overlay from .50 still
// gets its stream, and a Bearer STOP from .20 is served: each takes the
// place of the newest of an address holding the most. Before, Accept
// waited for a free connection and the stream was refused 503. No hostile
// address drops below its fair share.
func TestFewAddressesCannotStarveTheStreamer(t *testing.T) {
	_, eng, pl, addr := networkServer(t)
	streams := 0
	for i := range 8 {
		ip := fmt.Sprintf("127.0.0.%d", 2+i)
		n := 0
		if i < 4 {
			for range streamsPerClient {
				c := from(t, ip, addr)
				fmt.Fprintf(c, "GET /api/events HTTP/1.1\r\nHost: %s\r\n\r\n", addr)
				c.SetReadDeadline(time.Now().Add(5 * time.Second))
				if res, err := http.ReadResponse(bufio.NewReader(c), nil); err == nil && res.StatusCode == 200 {
					streams++
				}
				n++
			}
		}
		for ; n < connsPerClient; n++ {
			c := from(t, ip, addr)
			fmt.Fprintf(c, "POST /api/login HTTP/1.1\r\nHost: %s\r\nCookie: %s=x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{", addr, CookieName)
		}
	}
	if streams != MaxClients {
		t.Fatalf("the hostile addresses hold %d streams, want all %d", streams, MaxClients)
	}
	held := func() (all int, least int) {
		least = DefaultMaxConns
		for i := range 8 {
			open, _ := pl.counts(fmt.Sprintf("127.0.0.%d", 2+i))
			all += open
			least = min(least, open)
		}
		return all, least
	}
	poll(t, 5*time.Second, "the hostile addresses to hold every connection", func() bool {
		all, _ := held()
		return all == DefaultMaxConns
	})

	overlay := clientFrom("127.0.0.50")
	overlay.Timeout = 5 * time.Second // only to tell a hang
	res, err := overlay.Get("http://" + addr + "/api/events")
	if err != nil {
		t.Fatalf("the overlay's stream with every connection and stream taken: %v", err)
	}
	defer res.Body.Close()
	if line, _ := bufio.NewReader(res.Body).ReadString('\n'); res.StatusCode != 200 || line != "retry: 2000\n" {
		t.Fatalf("the overlay's stream with every stream taken: %d %q", res.StatusCode, line)
	}

	stop := clientFrom("127.0.0.20")
	stop.Timeout = 5 * time.Second // only to tell a hang: the ReadTimeout is 10 s
	req, _ := http.NewRequest("POST", "http://"+addr+"/api/control/stop", nil)
	req.Header.Set("Authorization", "Bearer "+testToken)
	res2, err := stop.Do(req)
	if err != nil {
		t.Fatalf("a Bearer STOP with every connection taken: %v", err)
	}
	res2.Body.Close()
	if res2.StatusCode != 200 || !slices.Contains(eng.Calls(), "stop") {
		t.Fatalf("a Bearer STOP with every connection taken: %d, engine %v", res2.StatusCode, eng.Calls())
	}
	if all, least := held(); least < connsPerClient-2 || all > DefaultMaxConns {
		t.Errorf("hostile addresses hold %d connections, the least %d: want at most %d, none below %d", all, least, DefaultMaxConns, connsPerClient-2)
	}
}

// TestSlowBodyWithoutToken: on the network a request without the token or
// the cookie has bodyTimeout to send its body, not the ReadTimeout of 10 s.
func TestSlowBodyWithoutToken(t *testing.T) {
	defer func(d time.Duration) { bodyTimeout = d }(bodyTimeout)
	bodyTimeout = 50 * time.Millisecond
	_, _, _, addr := networkServer(t)
	c := from(t, "127.0.0.2", addr)
	fmt.Fprintf(c, "POST /api/login HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{", addr)
	c.SetReadDeadline(time.Now().Add(5 * time.Second)) // only to tell a hang: the ReadTimeout is 10 s
	_, err := bufio.NewReader(c).ReadString(0)
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Fatal("a slow login without the token still held its connection after 5 s")
	}
}
