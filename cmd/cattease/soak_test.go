package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cattease/cattease/danmu/bilibili"
	"github.com/cattease/cattease/danmu/bilibili/bilibilitest"
	"github.com/cattease/cattease/danmu/douyu"
	"github.com/cattease/cattease/danmu/douyu/douyutest"
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
	if r0, r1 := maxOf(first, soakRSS), maxOf(last, soakRSS); r1 > r0+2<<20 {
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

func soakRSS(s soakSample) int64 { return s.rss }

func maxOf(ss []soakSample, f func(soakSample) int64) int64 {
	m := f(ss[0])
	for _, s := range ss[1:] {
		m = max(m, f(s))
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

// bilibiliRoom is the fake Bilibili. Its frames are DANMU_MSG from viewers
// not seen before, made by filling a DanmuMsg body's uid, text and id in
// place (cheap enough for 144,000 under the race detector); every tenth
// frame is one of four brotli-compressed ones, made once, whose 80 viewers
// repeat.
type bilibiliRoom struct {
	srv    *bilibilitest.Server
	tmpl   []byte
	uid    int
	brotli [][]byte
	frames int
}

const (
	soakUID  = "987654321" // nine digits, as the uids filled in
	soakText = "TEXTPLACEHOLDER"
	soakID   = "IDPLACEHOLDER000"
)

// soakTexts are what viewers type: commands, talk, repeats, emoji.
var soakTexts = []string{"左", "右3", "激光", "上", "哈哈哈哈", "猫猫好可爱", "左3+上2", "画圈", "🐱🐱", "下2",
	"主播晚上好", "666", "停", "之字", "？？"}

func newBilibiliRoom(t *testing.T) *bilibiliRoom {
	r := &bilibiliRoom{srv: bilibilitest.NewServer(bilibilitest.Config{}), uid: 100_000_000}
	t.Cleanup(func() {
		if v := r.srv.Violations(); len(v) > 0 {
			t.Errorf("protocol violations: %v", v)
		}
		r.srv.Close()
	})
	r.tmpl = bilibilitest.DanmuMsg(bilibilitest.Chat{Text: soakText, UID: 987654321, Name: "猫奴", IDStr: soakID, Level: 12})
	for _, ph := range []string{soakUID, soakText, soakID} {
		if !bytes.Contains(r.tmpl, []byte(ph)) {
			t.Fatalf("template lacks %s", ph)
		}
	}
	for range 4 {
		bodies := make([][]byte, soakPerFrame)
		for j := range bodies {
			bodies[j] = r.body()
		}
		r.brotli = append(r.brotli, bilibilitest.BrotliFrame(bodies...))
	}
	return r
}

func (r *bilibiliRoom) args() []string {
	return []string{"--bilibili", "21", "--bilibili-api", r.srv.URL}
}

func (r *bilibiliRoom) connected(ctx context.Context, n int) error { return r.srv.WaitAuths(ctx, n) }
func (r *bilibiliRoom) cut()                                       { r.srv.DropMidFrame() }
func (r *bilibiliRoom) platform() string                           { return "bilibili" }

// body is the template filled for the next new viewer.
func (r *bilibiliRoom) body() []byte {
	r.uid++
	b := bytes.ReplaceAll(r.tmpl, []byte(soakUID), strconv.AppendInt(nil, int64(r.uid), 10))
	b = bytes.ReplaceAll(b, []byte(soakText), []byte(soakTexts[r.uid%len(soakTexts)]))
	return bytes.ReplaceAll(b, []byte(soakID), fmt.Appendf(nil, "%016x", r.uid))
}

// send writes a frame of new viewers' DANMU_MSG, every tenth one of the
// compressed frames, and every tenth plus three odd bodies that take the
// decoder's other ways: pretty-printed, extra with a \u escape (both
// chat), and one cut in half (refused).
func (r *bilibiliRoom) send() (chat, refused int) {
	if r.frames++; r.frames%10 == 0 {
		r.srv.SendFrame(r.brotli[r.frames/10%len(r.brotli)])
		return soakPerFrame, 0
	}
	var f []byte
	for range soakPerFrame {
		f = bilibili.AppendPacket(f, bilibili.VerJSON, bilibili.OpMessage, r.body())
	}
	chat = soakPerFrame
	if r.frames%10 == 5 {
		var pretty bytes.Buffer
		_ = json.Indent(&pretty, r.body(), "", "  ")
		escaped := bytes.Replace(r.body(), []byte(`\"mode\":0`), []byte(`\"mode\":\u0030`), 1)
		cut := r.body()
		for _, b := range [][]byte{pretty.Bytes(), escaped, cut[:len(cut)/2]} {
			f = bilibili.AppendPacket(f, bilibili.VerJSON, bilibili.OpMessage, b)
		}
		chat, refused = chat+2, 1
	}
	r.srv.SendFrame(f)
	return chat, refused
}

// douyuRoom is the fake Douyu: chatmsg from a new viewer each, over the
// WebSocket, twenty to a write.
type douyuRoom struct {
	srv    *douyutest.Server
	uid    int
	writes int
}

func newDouyuRoom(t *testing.T) *douyuRoom {
	r := &douyuRoom{srv: douyutest.NewServer("9999"), uid: 100_000_000}
	t.Cleanup(func() {
		if v := r.srv.Stats().Violations; v > 0 {
			t.Errorf("%d protocol violations", v)
		}
		r.srv.Close()
	})
	return r
}

func (r *douyuRoom) args() []string {
	return []string{"--douyu", "9999", "--douyu-addr", r.srv.URL(), "--douyu-api", "off"}
}

func (r *douyuRoom) connected(ctx context.Context, n int) error {
	return r.srv.Wait(ctx, func(s douyutest.Stats) bool { return s.Joins >= n })
}

func (r *douyuRoom) cut()             { r.srv.Drop() }
func (r *douyuRoom) platform() string { return "douyu" }

// send writes soakPerFrame chatmsg from new viewers, and every tenth
// write one body with a broken escape (refused).
func (r *douyuRoom) send() (chat, refused int) {
	var b []byte
	for range soakPerFrame {
		r.uid++
		uid := strconv.Itoa(r.uid)
		b = douyu.AppendMessage(b, douyu.TypeServer, douyu.Msg("type", "chatmsg", "rid", "9999", "uid", uid,
			"nn", "猫奴"+uid[6:], "txt", soakTexts[r.uid%len(soakTexts)], "cid", "c"+uid, "level", "12", "dms", "8"))
	}
	if r.writes++; r.writes%10 == 0 {
		b = douyu.AppendPacket(b, douyu.TypeServer, []byte("type@=chatmsg/rid@=9999/uid@=1/txt@=a@Xb/"))
		refused = 1
	}
	r.srv.SendRaw(b)
	return soakPerFrame, refused
}
