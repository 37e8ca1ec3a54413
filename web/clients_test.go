package web

import (
	"context"
	"fmt"
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

// TestGuessKey: wrong tokens are charged to an IPv4 address, or to the
// /64 of an IPv6 address wherever it is, the LAN included; loopback
// clients are this machine and have no allowance.
func TestGuessKey(t *testing.T) {
	for _, c := range []struct {
		remote   string
		key      string
		loopback bool
	}{
		{"192.168.1.5:1", "192.168.1.5/32", false},
		{"[::ffff:192.168.1.5]:1", "192.168.1.5/32", false},
		{"[2408:8207:1:1::bad]:1", "2408:8207:1:1::/64", false},
		{"[2408:8207:1:1:1c2d:3e4f:5a6b:7c8d%wlan0]:1", "2408:8207:1:1::/64", false},
		{"[fe80::1%wlan0]:1", "fe80::/64", false},
		{"127.0.0.1:1", "127.0.0.1/32", true},
		{"127.0.0.9:1", "127.0.0.9/32", true},
		{"[::1]:1", "::1/128", true},
		{"[::ffff:127.0.0.1]:1", "127.0.0.1/32", true},
	} {
		k, lo := guessKey(c.remote)
		if k != netip.MustParsePrefix(c.key) || lo != c.loopback {
			t.Errorf("guessKey(%s) = %v, %v; want %s, %v", c.remote, k, lo, c.key, c.loopback)
		}
	}
	if k, lo := guessKey("garbage"); k.IsValid() || lo {
		t.Errorf("guessKey(garbage) = %v, %v; want the zero Prefix, false", k, lo)
	}
}

// TestRotatingIPv6Guesser: a guesser on the home /64 that uses 40 of its
// addresses in turn (any host may add addresses to its /64) for 5 minutes
// is one client at one guess a second: everyone's allowance never runs
// out, so the streamer logs in over IPv4 and a new IPv4 address's Bearer
// STOP goes through throughout; a Bearer STOP from this machine (loopback)
// is never limited, nor is a panel logged in before. Only the guesser's
// own /64 waits.
func TestRotatingIPv6Guesser(t *testing.T) {
	s, _, now := clockServer(t, testToken)
	eng := s.Engine.(*fakeEngine)
	h := s.Handler()
	pi := &net.TCPAddr{IP: net.ParseIP("2408:8207:1:1::50"), Port: 8080}
	pi4 := &net.TCPAddr{IP: net.IPv4(192, 168, 1, 50), Port: 8080}
	lo := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 8080}
	w := doAt(t, h, pi, "[2408:8207:1:1:aaaa::7]:5555", "POST", "/api/login", login(testToken))
	if w.Code != 204 {
		t.Fatalf("the panel's login before the guessing: %d", w.Code)
	}
	cookie := w.Result().Cookies()[0]
	codes := map[int]int{}
	stops := 0
	for i := range 6000 { // 5 minutes, a request every 50 ms
		*now = t0.Add(time.Duration(i) * 50 * time.Millisecond)
		attacker := fmt.Sprintf("[2408:8207:1:1::%x]:4444", 0x1000+i%40)
		codes[doAt(t, h, pi, attacker, "POST", "/api/login", login(guessN(i))).Code]++
		if i%500 != 237 {
			continue
		}
		if w := doAt(t, h, pi4, fmt.Sprintf("192.168.1.%d:5555", 100+i/500), "POST", "/api/login", login(testToken)); w.Code != 204 {
			t.Fatalf("after %d guesses, the streamer's login over IPv4: %d %s", i, w.Code, w.Body)
		}
		if w := doAt(t, h, lo, "127.0.0.1:6666", "POST", "/api/control/stop", "", "Authorization", "Bearer "+testToken); w.Code != 200 {
			t.Fatalf("after %d guesses, a Bearer STOP on loopback: %d %s", i, w.Code, w.Body)
		}
		if w := doAt(t, h, pi4, fmt.Sprintf("192.168.1.%d:6666", 200+i/500), "POST", "/api/control/stop", "", "Authorization", "Bearer "+testToken); w.Code != 200 {
			t.Fatalf("after %d guesses, a Bearer STOP from a new IPv4 address: %d %s", i, w.Code, w.Body)
		}
		if w := doAt(t, h, pi, "[2408:8207:1:1:aaaa::7]:5555", "POST", "/api/control/stop", "", "Cookie", cookie.Name+"="+cookie.Value); w.Code != 200 {
			t.Fatalf("after %d guesses, the logged-in panel's STOP: %d %s", i, w.Code, w.Body)
		}
		stops += 3
	}
	if n := strings.Count(strings.Join(eng.Calls(), " "), "stop"); n < stops {
		t.Fatalf("the engine stopped %d times, want %d", n, stops)
	}
	if codes[429] < 5000 || codes[401] > 320 {
		t.Fatalf("the guesser's answers %v: want about one guess a second, the rest 429", codes)
	}
	// The guesser's own /64 waits, another address of it included.
	if w := doAt(t, h, pi, "[2408:8207:1:1::beef]:1", "POST", "/api/login", login(testToken)); w.Code != 429 {
		t.Fatalf("another address of the guessing /64: %d, want 429", w.Code)
	}
}

// TestLoopbackHasNoAllowance: wrong tokens from this machine are neither
// limited nor charged to everyone's allowance.
func TestLoopbackHasNoAllowance(t *testing.T) {
	s, _, _ := clockServer(t, testToken)
	h := s.Handler()
	lo := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 8080}
	for i := range 3 * allGuessBurst {
		if w := doAt(t, h, lo, "127.0.0.1:1", "POST", "/api/login", login(guessN(i))); w.Code != 401 {
			t.Fatalf("wrong token %d on loopback: %d, want 401", i, w.Code)
		}
	}
	if w := doAt(t, h, lo, "[::1]:1", "GET", "/api/auth", "", "Authorization", "Bearer "+testToken); w.Code != 204 {
		t.Fatalf("the right token on loopback after wrong ones: %d", w.Code)
	}
	if w := doAt(t, h, lo, "192.168.1.9:1", "GET", "/api/auth", "", "Authorization", "Bearer "+testToken); w.Code != 204 {
		t.Fatalf("the right token from the LAN after wrong ones on loopback: %d", w.Code)
	}
}

// TestGuessRateHolds: a guesser asking every 50 ms gets its burst, then
// one guess a second, not two: a wait that rounded to 0 ns used to be
// taken as a guess granted, and not charged.
func TestGuessRateHolds(t *testing.T) {
	s, _, now := clockServer(t, testToken)
	h := s.Handler()
	const secs = 100
	tried := 0
	for i := range secs * 20 {
		*now = t0.Add(time.Duration(i) * 50 * time.Millisecond)
		if doFrom(t, h, "192.168.1.66:1", "POST", "/api/login", login(guessN(i))).Code == 401 {
			tried++
		}
	}
	if tried > guessBurst+secs+1 {
		t.Fatalf("%d wrong tokens compared in %d s, want at most %d", tried, secs, guessBurst+secs+1)
	}
}
