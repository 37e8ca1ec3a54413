package web

import (
	"embed"
	"io/fs"
	"net/http"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

//go:embed assets
var assetFS embed.FS

// assets is the embedded page files, rooted at assets/.
var assets = func() fs.FS {
	sub, err := fs.Sub(assetFS, "assets")
	if err != nil {
		panic(err) // the embed pattern above guarantees the directory
	}
	return sub
}()

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	files := http.FileServerFS(assets)
	mux.Handle("GET /{$}", page("overlay.html", overlayCSP))
	mux.Handle("GET /overlay", page("overlay.html", overlayCSP))
	mux.Handle("GET /panel", page("panel.html", panelCSP))
	mux.Handle("GET /static/", http.StripPrefix("/static", static(files)))
	mux.HandleFunc("GET /favicon.ico", serveFavicon)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /api/status", s.handleStatus)
	mux.HandleFunc("GET /api/events", s.handleEvents)
	mux.HandleFunc("GET /api/commands", s.handleCommands)
	mux.HandleFunc("GET /api/auth", s.handleAuth)
	mux.HandleFunc("POST /api/login", s.handleLogin)
	mux.HandleFunc("POST /api/logout", s.handleLogout)
	mux.HandleFunc("POST /api/control/{action}", s.requireToken(s.handleControl))
	if s.Metrics != nil {
		mux.Handle("GET /metrics", promhttp.HandlerFor(s.Metrics.gatherer, promhttp.HandlerOpts{
			ErrorLog: slogPrinter{s}, MaxRequestsInFlight: 2}))
	}
	return secure(mux)
}

// page serves one embedded HTML page under its own policy.
func page(name, policy string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if policy == panelCSP {
			w.Header().Set("X-Frame-Options", "DENY")
		}
		w.Header().Set("Content-Security-Policy", policy)
		w.Header().Set("Cache-Control", "no-cache")
		http.ServeFileFS(w, r, assets, name)
	})
}

func static(files http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-cache")
		files.ServeHTTP(w, r)
	})
}

// csp allows the page's own files and API only: no inline script, no CDN.
const csp = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'"

// overlayCSP is csp with inline styles allowed: OBS's "Custom CSS" box
// works by adding a <style> element to the page after it loads. Scripts
// stay our own files only, so a style cannot bring code with it.
const overlayCSP = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'"

// panelCSP is csp, and the panel may not be framed: its buttons must not
// be clickjacked.
const panelCSP = csp + "; frame-ancestors 'none'"

// secure sets the headers every response carries.
func secure(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "no-referrer")
		hd.Set("Content-Security-Policy", csp)
		h.ServeHTTP(w, r)
	})
}

// slogPrinter adapts the server's logger to promhttp's error log.
type slogPrinter struct{ s *Server }

func (p slogPrinter) Println(v ...any) { p.s.Log.Warn("web: metrics", "err", v) }
