package web

import (
	"net"
	"net/http"
	"net/netip"
)

// Shares of one client on a network listener (ExposureNetwork), where
// anyone on the LAN may connect without the token, as the overlay needs
// none: no client may take every connection or every event stream, so a
// stranger on the Wi-Fi cannot keep the streamer's phone from its STOP,
// nor OBS's overlay from its stream. DefaultMaxConns and MaxClients stay
// as the bounds of everyone together (the Pi's file descriptors and
// memory). On loopback every client is this machine, one address, and only
// those bounds apply.
const (
	// connsPerClient: a browser opens at most 6 connections to one server
	// (Chromium, whose engine OBS's browser sources share, and Firefox), so
	// 8 lets one browser open every connection it would, with 2 left for
	// another program on the same PC (curl, a scraper); a 64-connection
	// cap then takes 8 addresses to fill.
	connsPerClient = 8
	// streamsPerClient: several overlay sources in OBS, or a few and the
	// panel in a browser on the same PC. A fifth stream would leave a
	// browser one of its 6 connections for the pages' own requests.
	streamsPerClient = 4
)

// clientKey is who a client is, for its share of the connections and the
// event streams, from its address (remote) and the address it reached this
// server at (local):
//   - an IPv4 address is a client by itself;
//   - an IPv6 address on the same /64 as local is a neighbour on the LAN,
//     and a client by itself too: a home network has one /64, so grouping
//     there would put a stranger's connections with the streamer's phone.
//     A neighbour that adds addresses gets no more than anyone by it: when
//     everything is taken, the client holding the most gives way to one
//     holding fewer (fair-share eviction, guard.go and hub.go);
//   - any other IPv6 address is grouped by its /64, since one host
//     chooses freely among the 2^64 addresses of its network: a remote
//     customer's prefix is one client. So is an IPv6 address when local
//     is unknown (not an address).
//
// Anything unparsable is one client, the zero Prefix. Wrong tokens are
// charged by guessKey instead.
func clientKey(remote string, local net.Addr) netip.Prefix {
	ap, err := netip.ParseAddrPort(remote)
	if err != nil {
		return netip.Prefix{}
	}
	a := ap.Addr().Unmap().WithZone("")
	if a.Is4() {
		return netip.PrefixFrom(a, 32)
	}
	p, _ := a.Prefix(64) // cannot fail for an IPv6 address
	if l := localAddr(local); l.Is6() && p.Contains(l) {
		return netip.PrefixFrom(a, 128)
	}
	return p
}

// guessKey is who a client is for its allowance of wrong tokens
// (guesses.go): an IPv4 address by itself, every IPv6 address by its /64,
// on the LAN too, since any host may add addresses to its /64 at will
// (SLAAC, ip -6 addr add) and would otherwise get a fresh allowance with
// each, emptying the allowance of everyone together within seconds. An
// IPv6 device on the same /64 as a guesser may thus wait while the
// guessing lasts; a panel logged in (its cookie is no guess) and IPv4
// clients never do. loopback reports a client on this machine (127.0.0.0/8,
// ::1), which no host on the LAN can send from: it has no allowance to
// keep, so a curl or Home Assistant on the Pi is never refused for others'
// guesses. Anything unparsable is one client, the zero Prefix.
func guessKey(remote string) (key netip.Prefix, loopback bool) {
	if ap, err := netip.ParseAddrPort(remote); err == nil {
		if a := ap.Addr().Unmap().WithZone(""); a.IsLoopback() {
			return netip.PrefixFrom(a, a.BitLen()), true
		}
	}
	return clientKey(remote, nil), false // no local address: every IPv6 by its /64
}

// localAddr is the IP address of a connection's local end, or the zero
// Addr.
func localAddr(local net.Addr) netip.Addr {
	switch l := local.(type) {
	case nil:
		return netip.Addr{}
	case *net.TCPAddr:
		return l.AddrPort().Addr().Unmap().WithZone("")
	}
	ap, err := netip.ParseAddrPort(local.String())
	if err != nil {
		return netip.Addr{}
	}
	return ap.Addr().Unmap().WithZone("")
}

// requestClient is clientKey of the client that sent r.
func requestClient(r *http.Request) netip.Prefix {
	local, _ := r.Context().Value(http.LocalAddrContextKey).(net.Addr)
	return clientKey(r.RemoteAddr, local)
}

// clientShare is the context key under which the network guard puts the
// requestClient of a request: its event stream counts in that client's
// share. A request without it (on loopback) has no share to keep to.
type clientShare struct{}
