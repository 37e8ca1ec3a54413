package web

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"
)

// TestClientKey: IPv4 addresses are clients by themselves; so are IPv6
// addresses on the /64 of the address they reached the server at (LAN
// neighbours); other IPv6 addresses, or any when that address is unknown,
// are grouped by /64.
func TestClientKey(t *testing.T) {
	lan := &net.TCPAddr{IP: net.ParseIP("2408:8207:1:1::50"), Port: 8080} // the Pi, on the home /64
	v4 := &net.TCPAddr{IP: net.IPv4(192, 168, 1, 50), Port: 8080}
	mapped := &net.TCPAddr{IP: net.ParseIP("::ffff:192.168.1.50"), Port: 8080} // a dual-stack [::] listener
	ll := &net.TCPAddr{IP: net.ParseIP("fe80::50"), Port: 8080, Zone: "wlan0"}
	unix := &net.UnixAddr{Name: "/run/x", Net: "unix"}
	same := []struct {
		a, b  string
		local net.Addr
	}{
		{"192.168.1.5:1", "192.168.1.5:2", v4},
		{"[::ffff:192.168.1.5]:1", "192.168.1.5:2", mapped},
		{"[2001:db8:1:2:aaaa::1]:1", "[2001:db8:1:2:bbbb::9]:2", lan}, // off-link: its /64
		{"[2001:db8:1:2:aaaa::1]:1", "[2001:db8:1:2:bbbb::9]:2", nil}, // local unknown: /64
		{"[2408:8207:1:1::bad]:1", "[2408:8207:1:1::bad]:2", unix},    // local not an IP: /64
		{"[2408:8207:1:1::bad]:1", "[2408:8207:1:1::beef]:2", v4},     // IPv6 client, IPv4 local: /64
		{"garbage", "@", lan},
	}
	for _, c := range same {
		if ka, kb := clientKey(c.a, c.local), clientKey(c.b, c.local); ka != kb {
			t.Errorf("%s and %s (local %v): keys %v and %v, want one", c.a, c.b, c.local, ka, kb)
		}
	}
	apart := []struct {
		a, b  string
		local net.Addr
	}{
		{"192.168.1.5:1", "192.168.1.6:1", v4},
		{"[2001:db8:1:2::1]:1", "[2001:db8:1:3::1]:1", lan},
		{"[2408:8207:1:1::bad]:1", "[2408:8207:1:1:1c2d:3e4f:5a6b:7c8d]:2", lan}, // neighbours
		{"[2408:8207:1:1::bad]:1", "[2408:8207:1:1::beef]:2", &net.TCPAddr{IP: net.ParseIP("2408:8207:1:1::50")}},
		{"[fe80::1%wlan0]:1", "[fe80::2%wlan0]:1", ll}, // link-local neighbours
		{"127.0.0.1:1", "garbage", v4},
	}
	for _, c := range apart {
		if k := clientKey(c.a, c.local); k == clientKey(c.b, c.local) {
			t.Errorf("%s and %s (local %v) share key %v", c.a, c.b, c.local, k)
		}
	}
	if k, want := clientKey("[2408:8207:1:1::bad%wlan0]:1", lan), netip.MustParsePrefix("2408:8207:1:1::bad/128"); k != want {
		t.Errorf("a neighbour: key %v, want %v", k, want)
	}
	if k, want := clientKey("[2001:db8:1:2:aaaa::1]:1", lan), netip.MustParsePrefix("2001:db8:1:2::/64"); k != want {
		t.Errorf("off-link: key %v, want %v", k, want)
	}
}

// doAt is doFrom on a connection that reached the server at local, as
// net/http tells a handler.
func doAt(t *testing.T, h http.Handler, local net.Addr, remote, method, path, body string, hdr ...string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	r = r.WithContext(context.WithValue(r.Context(), http.LocalAddrContextKey, local))
	r.RemoteAddr = remote
	if body != "" {
		r.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		r.Header.Set(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// TestIPv6GuesserOnTheLAN: a home network has one IPv6 /64; a guesser on
// it, trying tokens for 5 minutes as fast as it is let, never keeps the
// streamer's phone on the same /64 from logging in, while one client's
// addresses off the LAN (its /64) still share one allowance.
func TestIPv6GuesserOnTheLAN(t *testing.T) {
	s, _, now := clockServer(t, testToken)
	h := s.Handler()
	pi := &net.TCPAddr{IP: net.ParseIP("2408:8207:1:1::50"), Port: 8080}
	const attacker, phone = "[2408:8207:1:1::bad]:4444", "[2408:8207:1:1:1c2d:3e4f:5a6b:7c8d]:5555"
	codes := map[int]int{}
	for i := range 6000 {
		*now = t0.Add(time.Duration(i) * 50 * time.Millisecond)
		codes[doAt(t, h, pi, attacker, "POST", "/api/login", login(guessN(i))).Code]++
		if i%1000 == 537 {
			if w := doAt(t, h, pi, phone, "POST", "/api/login", login(testToken)); w.Code != 204 {
				t.Fatalf("the streamer's login after %d guesses on the same /64: %d %s", i, w.Code, w.Body)
			}
		}
	}
	if codes[429] < 4000 {
		t.Fatalf("the guesser's answers %v: want mostly 429", codes)
	}
	// Off the LAN, a host chooses among its /64's addresses: one allowance.
	const far1, far2 = "[2001:db8:77:1::1]:1", "[2001:db8:77:1::2]:1"
	for i := range 2 * guessBurst {
		doAt(t, h, pi, far1, "POST", "/api/login", login(guessN(100000+i)))
	}
	if w := doAt(t, h, pi, far2, "POST", "/api/login", login(testToken)); w.Code != 429 {
		t.Fatalf("another address of the guessing /64 off the LAN: %d, want 429", w.Code)
	}
}
