package web

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/safety"
	"github.com/cattease/cattease/control"
	"github.com/cattease/cattease/control/match"
	"github.com/cattease/cattease/danmu"
)

// Metrics counts what flows through cattease, for Prometheus. Build it with
// NewMetrics and feed it events, decisions and outputs; every method is
// safe for concurrent use and cheap enough for the hot paths.
type Metrics struct {
	gatherer prometheus.Gatherer

	events    *counterCache          // platform, kind
	decisions *counterCache          // outcome, reason
	outputs   *counterCache          // output, action
	outErrs   *prometheus.CounterVec // output
	laserOn   *prometheus.CounterVec // switch: seconds on
	clients   prometheus.Gauge
	frames    prometheus.Counter
	dropped   prometheus.Counter
	refused   map[string]prometheus.Counter // by reason, all made at start
	refusedV  *prometheus.CounterVec

	mu      sync.Mutex
	onSince map[string]time.Time // switches now on, from outputs
	sources *sourceCollector
	state   *stateCollector
}

// NewMetrics registers cattease's metrics, and the Go runtime and process
// collectors unless reg already has them, with reg. /metrics serves reg if
// it is also a Gatherer (a *prometheus.Registry is), else the default
// gatherer.
func NewMetrics(reg prometheus.Registerer) (*Metrics, error) {
	m := &Metrics{
		events: newCounterCache(prometheus.NewCounterVec(prometheus.CounterOpts{Name: "cattease_events_total",
			Help: "Chat events received, by platform and kind."}, []string{"platform", "kind"})),
		decisions: newCounterCache(prometheus.NewCounterVec(prometheus.CounterOpts{Name: "cattease_decisions_total",
			Help: "Engine decisions, by outcome and reason."}, []string{"outcome", "reason"})),
		outputs: newCounterCache(prometheus.NewCounterVec(prometheus.CounterOpts{Name: "cattease_outputs_total",
			Help: "Commands sent to drivers by the motion loop, by output and action."}, []string{"output", "action"})),
		outErrs: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "cattease_output_errors_total",
			Help: "Driver writes that failed, by output."}, []string{"output"}),
		laserOn: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "cattease_switch_on_seconds_total",
			Help: "Time each switch (the laser) has been on, counted when it goes off."}, []string{"switch"}),
		clients: prometheus.NewGauge(prometheus.GaugeOpts{Name: "cattease_web_event_clients",
			Help: "Open overlay and panel event streams."}),
		frames: prometheus.NewCounter(prometheus.CounterOpts{Name: "cattease_web_frames_total",
			Help: "State frames broadcast to event streams."}),
		dropped: prometheus.NewCounter(prometheus.CounterOpts{Name: "cattease_web_frames_dropped_total",
			Help: "Frames dropped for event streams that could not keep up."}),
		refusedV: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "cattease_web_refused_total",
			Help: "Requests the web server refused before their route: host (421, DNS rebinding), no_token and bad_token (401), limited (429, too many wrong tokens), cross_site (403), busy (a connection closed or an event stream refused because its client holds its share)."},
			[]string{"reason"}),
		refused: map[string]prometheus.Counter{},
		onSince: map[string]time.Time{},
		sources: &sourceCollector{},
		state:   &stateCollector{},
	}
	m.gatherer = prometheus.DefaultGatherer
	if g, ok := reg.(prometheus.Gatherer); ok {
		m.gatherer = g
	}
	for _, c := range []prometheus.Collector{m.events.vec, m.decisions.vec, m.outputs.vec, m.outErrs, m.laserOn,
		m.clients, m.frames, m.dropped, m.refusedV, m.sources, m.state} {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("web: metrics: %w", err)
		}
	}
	for _, c := range []prometheus.Collector{collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{})} {
		var are prometheus.AlreadyRegisteredError
		if err := reg.Register(c); err != nil && !errors.As(err, &are) {
			return nil, fmt.Errorf("web: metrics: %w", err)
		}
	}
	for _, r := range refusedReasons { // every reason shows, at 0, from the start
		m.refused[r] = m.refusedV.WithLabelValues(r)
	}
	return m, nil
}

// refuse counts one request refused for reason (one of refusedReasons).
func (m *Metrics) refuse(reason string) {
	if c, ok := m.refused[reason]; ok {
		c.Inc()
		return
	}
	m.refusedV.WithLabelValues(label(reason)).Inc()
}

// Event counts one chat event.
func (m *Metrics) Event(ev danmu.Event) {
	kind := string(ev.Kind)
	if !ev.Kind.Valid() {
		kind = "other"
	}
	m.events.get(ev.Platform, kind).Inc()
}

// Decision counts one decision.
func (m *Metrics) Decision(d control.Decision) {
	m.decisions.get(string(d.Outcome), string(d.Reason)).Inc()
}

// Output counts one output, and the on-time of switches.
func (m *Metrics) Output(o safety.Output) {
	m.outputs.get(o.Target, string(o.Action)).Inc()
	if o.Err != nil {
		m.outErrs.WithLabelValues(label(o.Target)).Inc()
		return
	}
	if o.Action != actuators.ActionSwitch {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	since, on := m.onSince[o.Target]
	switch {
	case o.Value != 0 && !on:
		m.onSince[o.Target] = o.Time
	case o.Value == 0 && on:
		delete(m.onSince, o.Target)
		m.laserOn.WithLabelValues(label(o.Target)).Add(max(o.Time.Sub(since).Seconds(), 0))
	}
}

// WatchSource exports a source's counters, read at each scrape:
// "reconnect" as cattease_source_reconnects_total, "decode_error:REASON"
// as cattease_source_decode_errors_total{reason}, and every other name as
// cattease_source_counter_total{name}; and whether the source is
// connected (danmu.Counters.Conn) as cattease_source_connected{room}.
// Call it once per platform.
func (m *Metrics) WatchSource(platform string, c *danmu.Counters) {
	m.sources.add(label(platform), c)
}

// watchState exports the queue depth and the day's laser time from the
// engine and the rig at each scrape.
func (m *Metrics) watchState(e Engine, r Rig, now func() time.Time) {
	m.state.set(e, r, now)
}

// maxLabelValue bounds a label value, in bytes (21 Chinese characters).
const maxLabelValue = 64

// label keeps a label value short and printable: any valid UTF-8 (a
// switch called 激光), cut to maxLabelValue bytes at a character boundary;
// "" is "none", and a value with a control or other unprintable
// character, or that is not UTF-8, is "other". Platforms, outcomes,
// reasons and output names are chosen by cattease, not by the wire, but a
// bug must not put a line break in the exposition. Two values can end up
// the same (two "other"s, two long names that begin alike): whoever
// exports several at once merges them (collectCounts), or the scrape
// would fail whole.
func label(v string) string {
	if v == "" {
		return "none"
	}
	if !validLabel(v) {
		return "other"
	}
	return match.Cut(v, maxLabelValue)
}

func validLabel(v string) bool {
	return utf8.ValidString(v) && strings.IndexFunc(v, func(r rune) bool { return !unicode.IsPrint(r) }) < 0
}
