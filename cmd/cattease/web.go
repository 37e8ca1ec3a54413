package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"sync"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/cattease/cattease/actuators/safety"
	"github.com/cattease/cattease/control"
	"github.com/cattease/cattease/control/config"
	"github.com/cattease/cattease/danmu"
	"github.com/cattease/cattease/web"
)

// webParts is the overlay and panel server, its metrics and its listener.
// A nil *webParts means the web is off; every method then does nothing.
type webParts struct {
	srv     *web.Server
	metrics *web.Metrics
	ln      net.Listener
}

// The control token's and the login cookie's key's files in the state
// directory (web.token_file names the token's elsewhere); check tests
// them as setupWeb opens them.
const (
	tokenFileName  = "cattease-token"
	sessionKeyName = "cattease-session-key"
)

// setupWeb opens the listener and the control token before anything else
// runs, so that a taken port or an unreadable token fails the start.
func setupWeb(fl *runFlags, f *config.File, s stdio, log *slog.Logger) (*webParts, error) {
	addr := or(fl.listen, f.Web.Listen)
	if addr == "off" {
		return nil, nil
	}
	tokenPath, err := statePath(f.Web.TokenFile, tokenFileName)
	if err != nil {
		return nil, err
	}
	token, created, err := web.LoadOrCreateToken(tokenPath)
	if err != nil {
		return nil, fmt.Errorf("cattease: %w", err)
	}
	// The key the panel's login cookie is signed with, kept so that a
	// login outlives a restart; a random secret like the token, made the
	// same way.
	keyPath, err := statePath("", sessionKeyName)
	if err != nil {
		return nil, err
	}
	sessionKey, _, err := web.LoadOrCreateToken(keyPath)
	if err != nil {
		return nil, fmt.Errorf("cattease: %w", err)
	}
	metrics, err := web.NewMetrics(prometheus.NewRegistry())
	if err != nil {
		return nil, fmt.Errorf("cattease: %w", err)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("cattease: overlay: %w", err)
	}
	url := browseURL(ln.Addr(), net.InterfaceAddrs)
	showPanelLink(s, fl.quiet, created, tokenPath, url, token)
	log.Info("overlay and panel", "overlay", url+"/", "panel", url+"/panel", "metrics", url+"/metrics", "token_file", tokenPath)
	srv := &web.Server{Token: token, SessionKey: sessionKey, Metrics: metrics, Log: log.With("part", "web"), Labels: webLabels(f), ClockSynced: clockSynced}
	return &webParts{srv: srv, metrics: metrics, ln: ln}, nil
}

// webLabels gives the server the commands' labels of the rules it started
// with; attach switches it to the engine's rules, which follow reloads.
func webLabels(f *config.File) func() map[string]web.Label {
	m := labelsOf(f)
	return func() map[string]web.Label { return m }
}

func labelsOf(f *config.File) map[string]web.Label {
	m := map[string]web.Label{}
	for name, l := range f.Labels() {
		m[name] = web.Label{Zh: l.Zh, En: l.En}
	}
	return m
}

// engineLabels returns the labels of the engine's rules in force,
// recomputed only when a reload brought a new file.
func engineLabels(eng *control.Engine) func() map[string]web.Label {
	var mu sync.Mutex
	var seen *config.File
	var m map[string]web.Label
	return func() map[string]web.Label {
		mu.Lock()
		defer mu.Unlock()
		if f := eng.File(); f != seen {
			seen, m = f, labelsOf(f)
		}
		return m
	}
}

// showPanelLink prints the one-time panel link (it holds the token) to a
// terminal only: never with -q, never to the journal, a pipe or a file,
// and never to the log. Elsewhere it says where the token is instead.
func showPanelLink(s stdio, quiet, created bool, tokenPath, url, token string) {
	switch {
	case created && !quiet && mayShowSecret(s.out):
		fmt.Fprintf(s.out, "A control token was created in %s. Open the panel once with\n  %s/panel#token=%s\n", tokenPath, url, token)
	case created:
		fmt.Fprintf(s.out, "A control token was created in %s (mode 0600). Open the panel once with %s/panel#token= followed by that file's contents.\n", tokenPath, url)
	}
}

func (w *webParts) output(o safety.Output) {
	if w != nil {
		w.srv.Output(o)
		w.metrics.Output(o)
	}
}

func (w *webParts) decision(d control.Decision) {
	if w != nil {
		w.srv.Decision(d)
		w.metrics.Decision(d)
	}
}

func (w *webParts) event(ev danmu.Event) {
	if w != nil {
		w.metrics.Event(ev)
	}
}

// attach hands the server what it renders; call before serve.
func (w *webParts) attach(eng *control.Engine, env web.Rig, reload func() ([]string, error), srcs []namedSource) {
	if w == nil {
		return
	}
	w.srv.Engine, w.srv.Rig, w.srv.Reload = eng, env, reload
	w.srv.Labels = engineLabels(eng)
	w.srv.Sources = sourceStatus(srcs)
	for _, ns := range srcs {
		w.metrics.WatchSource(ns.name, ns.counters)
	}
}

// onPanic hands the server's panics to f (group.onPanic); call before
// serve.
func (w *webParts) onPanic(f func(what string, value any, stack []byte)) {
	if w != nil {
		w.srv.OnPanic = f
	}
}

// testHookServer sees the server just before it serves (tests).
var testHookServer func(*web.Server)

func (w *webParts) serve(ctx context.Context) error {
	if w == nil {
		<-ctx.Done()
		return nil
	}
	if testHookServer != nil {
		testHookServer(w.srv)
	}
	return w.srv.Serve(ctx, w.ln)
}

func (w *webParts) close() {
	if w != nil {
		w.ln.Close()
	}
}

// browseURL is the address to open the overlay and the panel at. An
// address that listens on every interface (0.0.0.0, [::]) is no place a
// browser can go: it is named by this machine's first LAN address
// (IPv4 first, as a phone on the Wi-Fi reaches it), else 127.0.0.1.
func browseURL(a net.Addr, ifaceAddrs func() ([]net.Addr, error)) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok || !tcp.IP.IsUnspecified() {
		return "http://" + a.String()
	}
	host := "127.0.0.1"
	if addrs, err := ifaceAddrs(); err == nil {
		host = lanHost(addrs, host)
	}
	return "http://" + net.JoinHostPort(host, strconv.Itoa(tcp.Port))
}

// lanHost picks the first global unicast address of addrs, IPv4 before
// IPv6, or def.
func lanHost(addrs []net.Addr, def string) string {
	var v6 string
	for _, a := range addrs {
		n, ok := a.(*net.IPNet)
		if !ok || !n.IP.IsGlobalUnicast() {
			continue
		}
		if n.IP.To4() != nil {
			return n.IP.String()
		}
		if v6 == "" {
			v6 = n.IP.String()
		}
	}
	if v6 != "" {
		return v6
	}
	return def
}
