package web

import (
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/cattease/cattease/actuators/safety"
	"github.com/cattease/cattease/danmu"
)

var (
	descReconnects = prometheus.NewDesc("cattease_source_reconnects_total",
		"Reconnects of a chat source.", []string{"platform"}, nil)
	descDecodeErrors = prometheus.NewDesc("cattease_source_decode_errors_total",
		"Messages a chat source could not decode, by reason.", []string{"platform", "reason"}, nil)
	descSourceCounter = prometheus.NewDesc("cattease_source_counter_total",
		"Other counters of a chat source (unknown commands, dial errors, events...).", []string{"platform", "name"}, nil)
	descConnected = prometheus.NewDesc("cattease_source_connected",
		"1 while a chat source is connected to its room; 0 while it connects, reconnects or has ended.", []string{"platform", "room"}, nil)
	descQueue    = prometheus.NewDesc("cattease_queue_depth", "Commands waiting in the play queue.", nil, nil)
	descQueueCap = prometheus.NewDesc("cattease_queue_capacity", "Capacity of the play queue.", nil, nil)
	descPaused   = prometheus.NewDesc("cattease_paused", "1 while chat control is paused.", nil, nil)
	descStopped  = prometheus.NewDesc("cattease_stopped", "1 while an emergency stop is in force.", nil, nil)
	descSwitchOn = prometheus.NewDesc("cattease_switch_on", "1 while a switch (the laser) is on.", []string{"switch"}, nil)
	descFaults   = prometheus.NewDesc("cattease_output_faults_total", "Driver write errors seen by the envelope.", nil, nil)
	descToday    = prometheus.NewDesc("cattease_laser_today_seconds", "Laser on-time today, per the session.", nil, nil)
	descBudget   = prometheus.NewDesc("cattease_laser_budget_seconds", "Daily laser on-time budget (0 = none).", nil, nil)
	descSafety   = prometheus.NewDesc("cattease_safety_actions_total",
		"Clamps, refusals and safety actions of the envelope, by reason.", []string{"reason"}, nil)
)

// maxSourceNames bounds the counter names exported per platform.
const maxSourceNames = 64

// sourceCollector reads danmu.Counters, and whether each source is
// connected, at scrape time.
type sourceCollector struct {
	mu   sync.Mutex
	srcs []watched
}

type watched struct {
	platform string
	c        *danmu.Counters
}

func (sc *sourceCollector) add(platform string, c *danmu.Counters) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	sc.srcs = append(sc.srcs, watched{platform, c})
}

func (sc *sourceCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- descReconnects
	ch <- descDecodeErrors
	ch <- descSourceCounter
	ch <- descConnected
}

type seriesKey struct {
	desc         *prometheus.Desc
	platform, lv string
}

func (sc *sourceCollector) Collect(ch chan<- prometheus.Metric) {
	sc.mu.Lock()
	srcs := append([]watched(nil), sc.srcs...)
	sc.mu.Unlock()
	sums := map[seriesKey]float64{}
	connected := map[seriesKey]float64{} // two sources labelled alike: connected while either is
	var order []seriesKey
	for _, w := range srcs {
		conn := w.c.Conn()
		k := seriesKey{descConnected, w.platform, label(conn.Room)}
		if _, ok := connected[k]; !ok {
			order = append(order, k)
		}
		connected[k] = max(connected[k], b2f(conn.State == danmu.ConnConnected))
		sums[seriesKey{descReconnects, w.platform, ""}] += 0 // present from the start
		n := 0
		for name, v := range w.c.Snapshot() {
			if n++; n > maxSourceNames {
				break
			}
			sums[sourceSeries(w.platform, name)] += float64(v)
		}
	}
	for k, v := range sums {
		lvs := []string{k.platform}
		if k.desc != descReconnects {
			lvs = append(lvs, k.lv)
		}
		ch <- prometheus.MustNewConstMetric(k.desc, prometheus.CounterValue, v, lvs...)
	}
	for _, k := range order {
		ch <- prometheus.MustNewConstMetric(descConnected, prometheus.GaugeValue, connected[k], k.platform, k.lv)
	}
}

func sourceSeries(platform, name string) seriesKey {
	if name == "reconnect" {
		return seriesKey{descReconnects, platform, ""}
	}
	if reason, ok := strings.CutPrefix(name, "decode_error:"); ok {
		return seriesKey{descDecodeErrors, platform, label(reason)}
	}
	return seriesKey{descSourceCounter, platform, label(name)}
}

// stateCollector reads the engine and the rig at scrape time.
type stateCollector struct {
	mu  sync.Mutex
	eng Engine
	rig Rig
	now func() time.Time
}

func (st *stateCollector) set(e Engine, r Rig, now func() time.Time) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.eng, st.rig, st.now = e, r, now
}

func (st *stateCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descQueue, descQueueCap, descPaused, descStopped,
		descSwitchOn, descFaults, descToday, descBudget, descSafety} {
		ch <- d
	}
}

func (st *stateCollector) Collect(ch chan<- prometheus.Metric) {
	st.mu.Lock()
	eng, rig, now := st.eng, st.rig, st.now
	st.mu.Unlock()
	gauge := func(d *prometheus.Desc, v float64, lvs ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, lvs...)
	}
	if eng != nil {
		s := eng.Status(now())
		gauge(descQueue, float64(s.QueueLen))
		gauge(descQueueCap, float64(s.QueueCap))
		gauge(descPaused, b2f(s.Paused))
		gauge(descStopped, b2f(s.Stopped))
	}
	if rig != nil {
		r := rig.Snapshot()
		collectSwitches(ch, r.Switches)
		ch <- prometheus.MustNewConstMetric(descFaults, prometheus.CounterValue, float64(r.Faults))
		gauge(descToday, r.Session.LaserToday.Seconds())
		gauge(descBudget, r.Session.LaserBudget.Seconds())
		collectCounts(ch, r.Counts)
	}
}

// collectCounts exports the envelope's counts by reason, merging any
// reason label would rename, at most maxSourceNames of them.
func collectCounts(ch chan<- prometheus.Metric, counts map[string]uint64) {
	sums := make(map[string]float64, len(counts))
	for reason, v := range counts {
		if len(sums) >= maxSourceNames {
			break
		}
		sums[label(reason)] += float64(v)
	}
	for reason, v := range sums {
		ch <- prometheus.MustNewConstMetric(descSafety, prometheus.CounterValue, v, reason)
	}
}

// collectSwitches exports whether each switch is on, by its label: two
// switches whose names label alike are one series, on while either is.
func collectSwitches(ch chan<- prometheus.Metric, sws []safety.SwitchState) {
	on := make(map[string]bool, len(sws))
	var order []string
	for _, sw := range sws {
		l := label(sw.Name)
		if _, ok := on[l]; !ok {
			order = append(order, l)
		}
		on[l] = on[l] || sw.On
	}
	for _, l := range order {
		ch <- prometheus.MustNewConstMetric(descSwitchOn, prometheus.GaugeValue, b2f(on[l]), l)
	}
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
