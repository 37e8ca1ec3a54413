package main

import (
	"bufio"
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
// and talk mixed, with odd bodies that take the Bilibili decoder's other
// ways and 800 broken ones, and cuts the connection three times. As it goes it
// reads the binary's own /metrics and checks that nothing is lost (every
// message counted as received, every broken body as refused), that
// goroutines come back to their number after the reconnects, and that the
// heap and the resident set stop growing once the per-viewer tables are
// full: a leak of 13 bytes or more a message or a viewer, or a goroutine
// a connection, fails it.
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
	// The checks read the collector's goal as twice the live heap: the
	// runtime's defaults, whatever the environment running the tests says.
	cmd.Env = append(os.Environ(), "STATE_DIRECTORY="+t.TempDir(), "GOGC=100", "GOMEMLIMIT=off")
	var stderr lockedBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Every wait below ends as soon as the binary does: a binary that
	// fails at start fails the test then, not after the timeout.
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited); cancel() }()
	defer func() {
		cmd.Process.Kill()
		<-exited
	}()
	if err := room.connected(ctx, 1); err != nil {
		t.Fatalf("no connection: %v\n%s", err, stderr.String())
	}

	mon := startSoakMonitor(ctx, addr, room.platform())
	defer mon.stop()
	var samples []soakSample
	var sent soakCount
	conns := 1
	for p := range soakPhases {
		if p > 0 && p%2 == 0 && conns <= soakCuts {
			room.cut()
			conns++
			if err := room.connected(ctx, conns); err != nil {
				t.Fatalf("phase %d: no reconnect: %v\n%s", p, err, stderr.String())
			}
		}
		for range soakFrames {
			chat, refused := room.send()
			sent.chat += chat
			sent.refused += refused
		}
		s, err := mon.phaseEnd(ctx, sent)
		if err != nil {
			t.Fatalf("phase %d: %v\n%s", p, err, stderr.String())
		}
		s.phase = p
		samples = append(samples, s)
	}
	for _, s := range samples {
		t.Logf("phase %d: %6d received, %3d refused, %2d goroutines, GC goal %4.2f-%4.2f MiB, heap in use up to %4.2f MiB, resident %5.2f MiB (%3d readings)",
			s.phase, s.counted.chat, s.counted.refused, s.idleGoroutines, mib(s.minGoal), mib(s.maxGoal), mib(s.maxHeap), mib(s.maxRSS), s.readings)
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
	// it found live (twice that, under GOGC=100), so it follows the live
	// heap without catching a reading just after a collection; the median
	// of a window's readings, as one collection may find a burst in flight
	// or the stream between bursts. 2 MiB of goal is 1 MiB live: about 13
	// bytes a message (15 a new viewer) over the 80,000 messages between
	// the two windows.
	if h0, h1 := median(readings(first, goals)), median(readings(last, goals)); h1 > h0+2<<20 {
		t.Errorf("the collector's goal grew from %.2f MiB (phases 1-3) to %.2f MiB (the last three): the live heap grew",
			mib(h0), mib(h1))
	}
	// The resident set, the median of the readings too: its highest
	// readings creep up by a few hundred KiB without any leak.
	if r0, r1 := median(readings(first, rsses)), median(readings(last, rsses)); r1 > r0+2<<20 {
		t.Errorf("resident set grew from %.2f to %.2f MiB", mib(r0), mib(r1))
	}
}

type soakSample struct {
	phase, readings  int
	counted          soakCount
	idleGoroutines   int
	goals            []int64 // the heap size the next collection starts at, each reading
	rsses            []int64 // the resident set, each reading
	minGoal, maxGoal int64
	maxHeap, maxRSS  int64
}

func goals(s soakSample) []int64 { return s.goals }
func rsses(s soakSample) []int64 { return s.rsses }

// readings gathers what f picks out of the phases' readings.
func readings(ss []soakSample, f func(soakSample) []int64) []int64 {
	var all []int64
	for _, s := range ss {
		all = append(all, f(s)...)
	}
	return all
}

func mib(b int64) float64 { return float64(b) / (1 << 20) }

// A soakMonitor reads the binary's /metrics every few milliseconds, as
// the messages stream in, and keeps the extremes of each phase.
type soakMonitor struct {
	readings chan map[string]float64
	errs     chan error
	stop     func() // ends the readings and waits for the reader
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
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	m.stop = func() { cancel(); <-done }
	go func() {
		defer close(done)
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			r, err := scrape(ctx, addr)
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
// figures: the goroutines once idle, the collector's goal and the resident
// set at each reading, the highest heap in use. More than want, an
// unreadable /metrics, or no progress by ctx's end (the binary's exit
// ends it too) is an error.
func (m *soakMonitor) phaseEnd(ctx context.Context, want soakCount) (soakSample, error) {
	s := soakSample{minGoal: 1 << 62}
	var idle []int
	for {
		var r map[string]float64
		select {
		case r = <-m.readings:
		case err := <-m.errs:
			return s, fmt.Errorf("metrics: %w", err)
		case <-ctx.Done():
			return s, fmt.Errorf("counted %+v of %+v: %w", s.counted, want, ctx.Err())
		}
		goal, rss := int64(r["go_memstats_next_gc_bytes"]), int64(r["process_resident_memory_bytes"])
		s.readings++
		s.goals, s.rsses = append(s.goals, goal), append(s.rsses, rss)
		s.minGoal, s.maxGoal = min(s.minGoal, goal), max(s.maxGoal, goal)
		s.maxHeap = max(s.maxHeap, int64(r["go_memstats_heap_inuse_bytes"]))
		s.maxRSS = max(s.maxRSS, rss)
		s.counted = soakCount{chat: int(r[m.received])}
		for k, v := range r {
			if strings.HasPrefix(k, m.refused) {
				s.counted.refused += int(v)
			}
		}
		switch {
		case s.counted.chat > want.chat || s.counted.refused > want.refused:
			return s, fmt.Errorf("counted %+v, sent %+v", s.counted, want)
		case s.counted == want:
			// A reading may catch a goroutine that comes and goes (its
			// own, a timer's): the count is the commonest of the next
			// few, the stream idle.
			if idle = append(idle, int(r["go_goroutines"])); len(idle) == soakSettle {
				s.idleGoroutines = commonest(idle)
				return s, nil
			}
		}
	}
}

// commonest is the value most often in xs, the lowest of a tie.
func commonest(xs []int) int {
	slices.Sort(xs)
	best, bestN := xs[0], 0
	for i := 0; i < len(xs); {
		j := i
		for j < len(xs) && xs[j] == xs[i] {
			j++
		}
		if j-i > bestN {
			best, bestN = xs[i], j-i
		}
		i = j
	}
	return best
}

// scrape reads the binary's /metrics into name{labels} → value.
func scrape(ctx context.Context, addr string) (map[string]float64, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", "http://"+addr+"/metrics", nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
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
