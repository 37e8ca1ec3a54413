package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cattease/cattease/danmu/bilibili"
	"github.com/cattease/cattease/danmu/bilibili/bilibilitest"
)

// The soak: what a streamer's Pi does over an evening, compressed.
const (
	soakPhases   = 8
	soakFrames   = 1_000 // frames a phase
	soakPerFrame = 20    // DANMU_MSG a frame, as Bilibili batches them
	soakBrotli   = 10    // every tenth frame comes brotli-compressed
	soakCuts     = 3     // connection cuts, before phases 2, 4 and 6
	soakSettle   = 10    // readings of /metrics once a phase's messages are in
)

// TestLiveSoakBilibili runs the binary as a streamer leaves it running:
// `cattease run --bilibili` with the overlay, panel and metrics on, and the
// shipped rules. It sends 160,000 DANMU_MSG, 144,000 of them from viewers
// not seen before (14 times rules.yaml's max_users), commands and talk
// mixed, and cuts the connection three times. After every phase it reads the binary's own
// /metrics and checks that nothing is lost (every message counted as
// received), that goroutines come back to their number after each
// reconnect, and that the heap and the resident set stop growing once the
// per-viewer tables are full: a leak of a few bytes per viewer or per
// message, or a goroutine per connection, fails it.
func TestLiveSoakBilibili(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and soaks the binary")
	}
	bin := catteaseBinary(t)
	srv := bilibilitest.NewServer(bilibilitest.Config{})
	defer srv.Close()
	addr := freePort(t)
	cmd := exec.Command(bin, "run", "-q", "--dry-run", "--listen", addr, "-c", "../../rules.yaml",
		"--bilibili", "21", "--bilibili-api", srv.URL)
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
	if err := srv.WaitAuths(ctx, 1); err != nil {
		t.Fatalf("no connection: %v\n%s", err, &stderr)
	}

	gen := newSoakStream(t)
	mon := startSoakMonitor(ctx, addr)
	var samples []soakSample
	sent, auths := 0, 1
	for p := range soakPhases {
		if p > 0 && p%2 == 0 && auths <= soakCuts {
			srv.DropMidFrame()
			auths++
			if err := srv.WaitAuths(ctx, auths); err != nil {
				t.Fatalf("phase %d: no reconnect: %v\n%s", p, err, &stderr)
			}
		}
		for f := range soakFrames {
			frame, n := gen.frame(f%soakBrotli == soakBrotli-1)
			srv.SendFrame(frame)
			sent += n
		}
		s := mon.phaseEnd(ctx, t, sent)
		s.phase = p
		samples = append(samples, s)
	}
	for _, s := range samples {
		t.Logf("phase %d: %6d received, %2d goroutines, heap in use %4.2f-%4.2f MiB (%3d readings), resident %5.2f MiB",
			s.phase, s.received, s.idleGoroutines, mib(s.minHeap), mib(s.maxHeap), s.readings, mib(s.rss))
	}
	checkSoak(t, samples)
	if v := srv.Violations(); len(v) > 0 {
		t.Errorf("protocol violations: %v", v)
	}
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
	// The lowest readings are taken just after a collection: what is
	// live, and what a leak adds to. 1 MiB of slack is about 13 bytes a
	// message (15 a new viewer) over the 80,000 messages between the two
	// windows.
	if h0, h1 := minOf(first, soakMinHeap), minOf(last, soakMinHeap); h1 > h0+1<<20 {
		t.Errorf("live heap grew from %.2f MiB (phases 1-3) to %.2f MiB (the last three)", mib(h0), mib(h1))
	}
	if r0, r1 := maxOf(first, soakRSS), maxOf(last, soakRSS); r1 > r0+2<<20 {
		t.Errorf("resident set grew from %.2f to %.2f MiB", mib(r0), mib(r1))
	}
}

type soakSample struct {
	phase, received, readings int
	idleGoroutines            int
	minHeap, maxHeap, rss     int64
}

func soakMinHeap(s soakSample) int64 { return s.minHeap }
func soakRSS(s soakSample) int64     { return s.rss }

func maxOf(ss []soakSample, f func(soakSample) int64) int64 {
	m := f(ss[0])
	for _, s := range ss[1:] {
		m = max(m, f(s))
	}
	return m
}

func minOf(ss []soakSample, f func(soakSample) int64) int64 {
	m := f(ss[0])
	for _, s := range ss[1:] {
		m = min(m, f(s))
	}
	return m
}

func mib(b int64) float64 { return float64(b) / (1 << 20) }

// A soakMonitor reads the binary's /metrics every few milliseconds, as
// the messages stream in, and keeps the extremes of each phase.
type soakMonitor struct {
	readings chan map[string]float64
	errs     chan error
}

func startSoakMonitor(ctx context.Context, addr string) *soakMonitor {
	// Buffered, so that readings go on while the frames of a phase are
	// being sent, and phaseEnd finds them all.
	m := &soakMonitor{readings: make(chan map[string]float64, 1<<12), errs: make(chan error, 1)}
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

// phaseEnd takes readings until the binary has counted want chat events,
// and a few readings more, and returns the phase's figures: the goroutines
// once idle, the lowest and highest heap in use and the highest resident
// set seen. More events
// than want, an unreadable /metrics, or no progress by ctx's end, fails.
func (m *soakMonitor) phaseEnd(ctx context.Context, t *testing.T, want int) soakSample {
	t.Helper()
	s := soakSample{minHeap: 1 << 62, idleGoroutines: 1 << 30}
	settled := 0
	for {
		var r map[string]float64
		select {
		case r = <-m.readings:
		case err := <-m.errs:
			t.Fatalf("metrics: %v", err)
		case <-ctx.Done():
			t.Fatalf("received %d of %d chat events", s.received, want)
		}
		heap := int64(r["go_memstats_heap_inuse_bytes"])
		s.readings++
		s.minHeap, s.maxHeap = min(s.minHeap, heap), max(s.maxHeap, heap)
		s.rss = max(s.rss, int64(r["process_resident_memory_bytes"]))
		s.received = int(r[`cattease_events_total{kind="chat",platform="bilibili"}`])
		switch {
		case s.received > want:
			t.Fatalf("received %d chat events, sent %d", s.received, want)
		case s.received == want:
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

// soakStream makes frames of DANMU_MSG, each from a viewer not seen
// before, by filling a DanmuMsg body's uid, text and id in place (cheap
// enough for 144,000 under the race detector). Compressed frames are
// made once and reused: their 80 viewers repeat.
type soakStream struct {
	tmpl   []byte
	uid    int
	brotli [][]byte
	next   int
}

const (
	soakUID  = "987654321" // nine digits, as the uids filled in
	soakText = "TEXTPLACEHOLDER"
	soakID   = "IDPLACEHOLDER000"
)

// soakTexts are what viewers type: commands, talk, repeats, emoji.
var soakTexts = []string{"左", "右3", "激光", "上", "哈哈哈哈", "猫猫好可爱", "左3+上2", "画圈", "🐱🐱", "下2",
	"主播晚上好", "666", "停", "之字", "？？"}

func newSoakStream(t *testing.T) *soakStream {
	g := &soakStream{uid: 100_000_000}
	g.tmpl = bilibilitest.DanmuMsg(bilibilitest.Chat{Text: soakText, UID: 987654321, Name: "猫奴", IDStr: soakID, Level: 12})
	for _, ph := range []string{soakUID, soakText, soakID} {
		if !bytes.Contains(g.tmpl, []byte(ph)) {
			t.Fatalf("template lacks %s", ph)
		}
	}
	for range 4 {
		bodies := make([][]byte, soakPerFrame)
		for j := range bodies {
			bodies[j] = g.body()
		}
		g.brotli = append(g.brotli, bilibilitest.BrotliFrame(bodies...))
	}
	return g
}

// body is the template filled for the next new viewer.
func (g *soakStream) body() []byte {
	g.uid++
	b := bytes.ReplaceAll(g.tmpl, []byte(soakUID), strconv.AppendInt(nil, int64(g.uid), 10))
	b = bytes.ReplaceAll(b, []byte(soakText), []byte(soakTexts[g.uid%len(soakTexts)]))
	return bytes.ReplaceAll(b, []byte(soakID), fmt.Appendf(nil, "%016x", g.uid))
}

// frame returns the next frame and how many messages it holds: plain
// packets from new viewers, or one of the compressed frames.
func (g *soakStream) frame(compressed bool) ([]byte, int) {
	if compressed {
		g.next++
		return g.brotli[g.next%len(g.brotli)], soakPerFrame
	}
	var f []byte
	for range soakPerFrame {
		f = bilibili.AppendPacket(f, bilibili.VerJSON, bilibili.OpMessage, g.body())
	}
	return f, soakPerFrame
}
