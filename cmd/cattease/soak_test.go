package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The soak: what a streamer's Pi does over an evening, compressed.
const (
	soakPhases   = 8
	soakFrames   = 1_000 // frames (Bilibili) or writes (Douyu) a phase
	soakPerFrame = 20    // messages in each, as the servers batch them
	soakCuts     = 3     // connection cuts, before phases 2, 4 and 6
	soakSettle   = 10    // readings of /metrics once a phase's messages are in
)

// A soakRoom is a fake live server the soak talks to.
type soakRoom interface {
	args() []string                             // the run flags that connect to it
	connected(ctx context.Context, n int) error // n connections made so far
	cut()                                       // drop the connection
	send() (chat, refused int)                  // new messages, one write: how many are chat, how many bad
	platform() string                           // the events' platform label
}

// TestLiveSoak runs the binary as a streamer leaves it running, with the
// overlay, panel and metrics on and the shipped rules, against each
// platform's fake server. It sends 160,000 chat messages, nearly all from
// viewers not seen before (14-16 times rules.yaml's max_users), commands
// and talk mixed, with a few odd bodies that take the decoders' other ways
// and 800 broken ones, and cuts the connection three times. As it goes it
// reads the binary's own /metrics and checks that nothing is lost (every
// message counted as received, every broken body as refused), that
// goroutines come back to their number after the reconnects, and that the
// heap and the resident set stop growing once the per-viewer tables are
// full: a leak of a few bytes a viewer or a message, or a goroutine a
// connection, fails it.
func TestLiveSoak(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and soaks the binary")
	}
	t.Run("bilibili", func(t *testing.T) { soak(t, newBilibiliRoom(t)) })
	t.Run("douyu", func(t *testing.T) { soak(t, newDouyuRoom(t)) })
}

func soak(t *testing.T, room soakRoom) {
	bin := catteaseBinary(t)
	addr := freePort(t)
	cmd := exec.Command(bin, append([]string{"run", "-q", "--dry-run", "--listen", addr, "-c", "../../rules.yaml"}, room.args()...)...)
	cmd.Env = append(os.Environ(), "STATE_DIRECTORY="+t.TempDir())
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cmd.Process.Kill()
		cmd.Wait()
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	if err := room.connected(ctx, 1); err != nil {
		t.Fatalf("no connection: %v\n%s", err, &stderr)
	}

	mon := startSoakMonitor(ctx, addr, room.platform())
	var samples []soakSample
	var sent soakCount
	conns := 1
	for p := range soakPhases {
		if p > 0 && p%2 == 0 && conns <= soakCuts {
			room.cut()
			conns++
			if err := room.connected(ctx, conns); err != nil {
				t.Fatalf("phase %d: no reconnect: %v\n%s", p, err, &stderr)
			}
		}
		for range soakFrames {
			chat, refused := room.send()
			sent.chat += chat
			sent.refused += refused
		}
		s := mon.phaseEnd(ctx, t, sent)
		s.phase = p
		samples = append(samples, s)
	}
	for _, s := range samples {
		t.Logf("phase %d: %6d received, %3d refused, %2d goroutines, GC goal %4.2f-%4.2f MiB, heap in use up to %4.2f MiB, resident %5.2f MiB (%3d readings)",
			s.phase, s.counted.chat, s.counted.refused, s.idleGoroutines, mib(s.minGoal), mib(s.maxGoal), mib(s.maxHeap), mib(s.rss), s.readings)
	}
	checkSoak(t, samples)
}

// checkSoak holds the samples of the last phases to those of the first
// ones, once the per-viewer tables are full (after phase 0).
func checkSoak(t *testing.T, samples []soakSample) {
	t.Helper()
	first, last := samples[1:4], samples[len(samples)-3:]
	// Goroutines are counted once the stream is idle and the connection
	// up, before the first cut and after the last: one left behind by each
	// connection is three more.
	if g0, g1 := samples[1].idleGoroutines, samples[len(samples)-1].idleGoroutines; g1 > g0+1 {
		t.Errorf("goroutines grew from %d to %d over %d reconnects", g0, g1, soakCuts)
	}
	// The collector's goal is set at the end of each collection from what
	// it found live (about twice that, under GOGC=100), so it follows the
	// live heap without catching a reading just after a collection; the
	// median of a window's readings, as one collection may find a burst
	// in flight or the stream between bursts. 2 MiB of slack is about 13
	// bytes a message (15 a new viewer) over the 80,000 messages between
	// the two windows.
	if h0, h1 := medianGoal(first), medianGoal(last); h1 > h0+2<<20 {
		t.Errorf("the collector's goal grew from %.2f MiB (phases 1-3) to %.2f MiB (the last three): the live heap grew",
			mib(h0), mib(h1))
	}
	if r0, r1 := maxRSS(first), maxRSS(last); r1 > r0+2<<20 {
		t.Errorf("resident set grew from %.2f to %.2f MiB", mib(r0), mib(r1))
	}
}

type soakSample struct {
	phase, readings  int
	counted          soakCount
	idleGoroutines   int
	goals            []int64 // the heap size the next collection starts at, each reading
	minGoal, maxGoal int64
	maxHeap, rss     int64
}

// maxRSS is the highest resident set of the phases.
func maxRSS(ss []soakSample) int64 {
	var m int64
	for _, s := range ss {
		m = max(m, s.rss)
	}
	return m
}

// medianGoal is the median of the collector's goal over the phases' readings.
func medianGoal(ss []soakSample) int64 {
	var all []int64
	for _, s := range ss {
		all = append(all, s.goals...)
	}
	slices.Sort(all)
	return all[len(all)/2]
}

func mib(b int64) float64 { return float64(b) / (1 << 20) }

// A soakMonitor reads the binary's /metrics every few milliseconds, as
// the messages stream in, and keeps the extremes of each phase.
type soakMonitor struct {
	readings chan map[string]float64
	errs     chan error
	received string // the metric that counts chat events in
	refused  string // the start of the series that count decode errors
}

// soakCount is chat messages, and bodies refused as not valid.
type soakCount struct{ chat, refused int }

func startSoakMonitor(ctx context.Context, addr, platform string) *soakMonitor {
	// Buffered, so that readings go on while the frames of a phase are
	// being sent, and phaseEnd finds them all.
	m := &soakMonitor{readings: make(chan map[string]float64, 1<<12), errs: make(chan error, 1),
		received: `cattease_events_total{kind="chat",platform="` + platform + `"}`,
		refused:  `cattease_source_decode_errors_total{platform="` + platform + `",`}
	go func() {
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			r, err := scrape(addr)
			if err != nil {
				m.errs <- err
				return
			}
			select {
			case m.readings <- r:
			case <-ctx.Done():
				return
			}
		}
	}()
	return m
}

// phaseEnd takes readings until the binary has counted want chat events
// and refused bodies, and a few readings more, and returns the phase's
// figures: the goroutines once idle, the collector's lowest and highest
// goal, the highest heap in use and resident set seen. More than want, an
// unreadable /metrics, or no progress by ctx's end, fails.
func (m *soakMonitor) phaseEnd(ctx context.Context, t *testing.T, want soakCount) soakSample {
	t.Helper()
	s := soakSample{minGoal: 1 << 62, idleGoroutines: 1 << 30}
	settled := 0
	for {
		var r map[string]float64
		select {
		case r = <-m.readings:
		case err := <-m.errs:
			t.Fatalf("metrics: %v", err)
		case <-ctx.Done():
			t.Fatalf("counted %+v of %+v", s.counted, want)
		}
		goal := int64(r["go_memstats_next_gc_bytes"])
		s.readings++
		s.goals = append(s.goals, goal)
		s.minGoal, s.maxGoal = min(s.minGoal, goal), max(s.maxGoal, goal)
		s.maxHeap = max(s.maxHeap, int64(r["go_memstats_heap_inuse_bytes"]))
		s.rss = max(s.rss, int64(r["process_resident_memory_bytes"]))
		s.counted = soakCount{chat: int(r[m.received])}
		for k, v := range r {
			if strings.HasPrefix(k, m.refused) {
				s.counted.refused += int(v)
			}
		}
		switch {
		case s.counted.chat > want.chat || s.counted.refused > want.refused:
			t.Fatalf("counted %+v, sent %+v", s.counted, want)
		case s.counted == want:
			// A reading has a goroutine of its own for a moment: the
			// fewest of the next few, the stream idle, is the count.
			s.idleGoroutines = min(s.idleGoroutines, int(r["go_goroutines"]))
			if settled++; settled == soakSettle {
				return s
			}
		}
	}
}

// scrape reads the binary's /metrics into name{labels} → value.
func scrape(addr string) (map[string]float64, error) {
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	m := make(map[string]float64)
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		if i < 0 {
			continue
		}
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			return nil, fmt.Errorf("%q: %w", line, err)
		}
		m[line[:i]] = v
	}
	return m, sc.Err()
}
