package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cattease/cattease/danmu/bilibili"
	"github.com/cattease/cattease/danmu/bilibili/bilibilitest"
	"github.com/gorilla/websocket"
)

// Whole-process Bilibili figures: the binary a user runs, as its own
// process, against the fake server in this one.
const (
	wholeFewer = 20_000  // messages in the shorter run
	wholeMore  = 200_000 // and in the longer one, as in issue 12's table
	wholePairs = 9       // rounds of a short and a long run
	wholeBurst = 50      // frames (1,000 messages) to one child before the other's turn
)

// BenchmarkWholeProcessBilibili runs `cattease run -q --dry-run --listen
// off -c rules.yaml --bilibili 21` (the shipped rules, which keep no audit
// log; a state directory of its own) as a child process and sends it
// frames of 20 real DANMU_MSG captures, compact as the server sends them.
// The floor is a client process that does only what no client can skip:
// it reads the same frames from the same server over its own WebSocket and
// inflates and splits them, the bodies unread (TestWholeProcessFloorClient,
// this test binary run again). For each, the marginal CPU per message is
// the user+system CPU of a long run minus that of a short one, over the
// difference in messages, so that start-up, the connection and shutdown
// cancel out.
//
// The two take turns: bursts of wholeBurst frames go to one, and when it
// has gone idle, to the other. This host's speed swings by a factor of
// two within seconds (other machines share it), and a process's CPU time
// swings with it: run one after the other, as before, one side could get
// a fast minute and the other a slow one, and single rounds' ratios
// ranged 1.1-5.5. Run at the same time, the three processes (the server
// too) crowd two cores and both sides' figures swell. Taking turns a few
// milliseconds long, both see the same minute and never each other.
// x-floor is the median of the rounds' ratios, with the lowest and
// highest beside it; WholeProcessFloorPair measures the floor against
// itself this way, which should be 1. peak-MiB is cattease's largest
// resident set (its own: see wholeRun).
func BenchmarkWholeProcessBilibili(b *testing.B) {
	bin := buildStatic(b)
	frame := wholeFrame(b)
	for range b.N {
		ratios, perMsg, floors, peak := wholeRounds(b, catteaseChild(b, bin), floorChild(b), frame)
		b.Logf("rounds' x-floor: %.2f\ncattease µs/msg: %.2f\nfloor µs/msg: %.2f", ratios, perMsg, floors)
		b.ReportMetric(median(perMsg), "cpu-µs/msg")
		b.ReportMetric(median(floors), "floor-cpu-µs/msg")
		reportRatios(b, "x-floor", ratios)
		b.ReportMetric(float64(peak)/1024, "peak-MiB")
	}
}

// buildStatic builds cattease as `make build` builds it: static, without
// symbols.
func buildStatic(tb testing.TB) string {
	bin := filepath.Join(tb.TempDir(), "cattease")
	build := exec.Command("go", "build", "-trimpath", "-ldflags", "-s -w", "-o", bin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		tb.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

// wholeRounds runs a and the floor f taking turns, a short and a long run
// a round, and returns each round's ratio of a's marginal CPU per message
// to f's, both per message (µs), and a's peak RSS (KiB).
func wholeRounds(tb testing.TB, a, f child, frame []byte) (ratios, perMsg, floors []float64, peak int64) {
	const n = wholeMore - wholeFewer
	for range wholePairs {
		short, rss1 := wholeRun(tb, []child{a, f}, frame, wholeFewer)
		long, rss2 := wholeRun(tb, []child{a, f}, frame, wholeMore)
		peak = max(peak, rss1, rss2)
		da, df := long[0]-short[0], long[1]-short[1]
		ratios = append(ratios, float64(da)/float64(df))
		perMsg = append(perMsg, float64(da.Nanoseconds())/n/1e3)
		floors = append(floors, float64(df.Nanoseconds())/n/1e3)
	}
	return ratios, perMsg, floors, peak
}

// BenchmarkWholeProcessOverlay is what the overlay costs a message in the
// binary: cattease with the overlay, panel and metrics on and the overlay
// open, against cattease with them off, taking turns as
// WholeProcessBilibili does, on frames where one message in four is a
// command (overlayFrame). x-off is the median of the rounds' ratios;
// peak-MiB is the resident set with the overlay on.
func BenchmarkWholeProcessOverlay(b *testing.B) {
	bin := buildStatic(b)
	comparePair(b, catteaseOverlayChild(b, bin), catteaseChild(b, bin), overlayFrame(b), "x-off", "overlay on", "off")
}

// comparePair takes turns between two ways of running cattease, a and
// other, on frame, and reports a's CPU per message, the median of the
// rounds' ratios of a to other as unit, and a's peak resident set.
func comparePair(b *testing.B, a, other child, frame []byte, unit, aName, otherName string) {
	for range b.N {
		ratios, x, y, peak := wholeRounds(b, a, other, frame)
		b.Logf("rounds' ratio: %.2f\n%s µs/msg: %.2f\n%s µs/msg: %.2f", ratios, aName, x, otherName, y)
		b.ReportMetric(median(x), "cpu-µs/msg")
		reportRatios(b, unit, ratios)
		b.ReportMetric(float64(peak)/1024, "peak-MiB")
	}
}

// BenchmarkWholeProcessFloorPair checks WholeProcessBilibili's way of
// measuring: the floor client against itself, taking turns, should come
// out at 1.
func BenchmarkWholeProcessFloorPair(b *testing.B) {
	frame := wholeFrame(b)
	for range b.N {
		ratios, first, second, _ := wholeRounds(b, floorChild(b), floorChild(b), frame)
		b.Logf("rounds' ratio: %.2f\nfirst µs/msg: %.2f\nsecond µs/msg: %.2f", ratios, first, second)
		reportRatios(b, "x-floor", ratios)
	}
}

// reportRatios reports the rounds' ratios as unit (their median), and
// their lowest and highest; ns/op, the time of the whole benchmark, means
// nothing here and is reported as 0.
func reportRatios(b *testing.B, unit string, ratios []float64) {
	b.ReportMetric(median(ratios), unit)
	b.ReportMetric(slices.Min(ratios), unit+"-min")
	b.ReportMetric(slices.Max(ratios), unit+"-max")
	b.ReportMetric(0, "ns/op")
}

// median is the middle of xs (which it sorts).
func median[T cmp.Ordered](xs []T) T {
	slices.Sort(xs)
	return xs[len(xs)/2]
}

// A child is a process to start against a fake server: reconnects says
// it reconnects after the server's cut (cattease), rather than exiting.
type child struct {
	cmd        func(srv *bilibilitest.Server) *exec.Cmd
	reconnects bool
	// watch, if set, runs beside the child once it is connected, until
	// ctx ends, as a viewer of its overlay would, and says how many bytes
	// it was sent.
	watch func(ctx context.Context) int64
}

func catteaseChild(tb testing.TB, bin string) child { return catteaseListening(tb, bin, false) }

// catteaseOverlayChild is catteaseChild as a streamer runs it: the overlay,
// panel and metrics on, and the overlay open (its event stream read, as
// OBS's browser source reads it).
func catteaseOverlayChild(tb testing.TB, bin string) child { return catteaseListening(tb, bin, true) }

// catteaseListening is catteaseChild with the overlay on (a port of its
// own at each start, watched) or off.
func catteaseListening(tb testing.TB, bin string, overlay bool) child {
	dir := tb.TempDir()
	addr := "off"
	c := child{reconnects: true, cmd: func(srv *bilibilitest.Server) *exec.Cmd {
		if overlay {
			addr = freePort(tb)
		}
		cmd := exec.Command(bin, "run", "-q", "--dry-run", "--listen", addr, "-c", "../../rules.yaml",
			"--bilibili", "21", "--bilibili-api", srv.URL)
		cmd.Env = append(os.Environ(), "STATE_DIRECTORY="+dir)
		return cmd
	}}
	if overlay {
		c.watch = func(ctx context.Context) int64 { return watchOverlay(ctx, addr) }
	}
	return c
}

// watchOverlay reads the overlay's event stream at addr until ctx ends,
// connecting again whenever the stream ends, and returns how many bytes
// of it were read: 0 if it was never served.
func watchOverlay(ctx context.Context, addr string) int64 {
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	var read int64
	for ctx.Err() == nil {
		req, _ := http.NewRequestWithContext(ctx, "GET", "http://"+addr+"/api/events", nil)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			if resp.StatusCode == http.StatusOK {
				n, _ := io.Copy(io.Discard, resp.Body)
				read += n
			}
			resp.Body.Close()
		}
		select {
		case <-ctx.Done():
		case <-tick.C:
		}
	}
	return read
}

func floorChild(tb testing.TB) child {
	return child{cmd: func(srv *bilibilitest.Server) *exec.Cmd {
		cmd := exec.Command(os.Args[0], "-test.run", "^TestWholeProcessFloorClient$")
		cmd.Env = append(os.Environ(), "CATTEASE_FLOOR_WS="+srv.WebSocketURL(), "CATTEASE_FLOOR_KEY="+srv.Key())
		return cmd
	}}
}

// TestWholeProcessFloorClient is the floor of BenchmarkWholeProcessBilibili
// when that runs it as a process of its own (and skipped otherwise): it
// authenticates with the key it is given, then reads frames, inflating
// and splitting each, until the server cuts the connection.
func TestWholeProcessFloorClient(t *testing.T) {
	url, key := os.Getenv("CATTEASE_FLOOR_WS"), os.Getenv("CATTEASE_FLOOR_KEY")
	if url == "" {
		t.Skip("the floor client of BenchmarkWholeProcessBilibili")
	}
	ws, _, err := websocket.DefaultDialer.Dial(url, http.Header{"User-Agent": {"Mozilla/5.0 Chrome/131.0"}})
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	auth := fmt.Sprintf(`{"uid":0,"roomid":21144080,"protover":3,"buvid":"floor","platform":"web","type":2,"key":%q}`, key)
	if err := ws.WriteMessage(websocket.BinaryMessage, bilibili.AppendPacket(nil, bilibili.VerRaw, bilibili.OpAuth, []byte(auth))); err != nil {
		t.Fatal(err)
	}
	var fd bilibili.FrameDecoder
	msgs := 0
	count := func(p bilibili.Packet) error {
		if p.Op == bilibili.OpMessage {
			msgs++
		}
		return nil
	}
	var buf bytes.Buffer // read as cattease reads: into one buffer, reused
	for {
		_, r, err := ws.NextReader()
		if err != nil {
			break // the server's cut after the last frame
		}
		buf.Reset()
		if _, err := buf.ReadFrom(r); err != nil {
			break
		}
		if err := fd.Decode(buf.Bytes(), count); err != nil {
			t.Fatal(err)
		}
	}
	if msgs == 0 {
		t.Fatal("no messages")
	}
}

// wholeFrame is one brotli frame of 20 captures, compacted.
func wholeFrame(tb testing.TB) []byte {
	var bodies [][]byte
	for len(bodies) < 20 {
		raw, err := os.ReadFile(filepath.Join(latencyFixtures, latencyCaptures[len(bodies)%len(latencyCaptures)]))
		if err != nil {
			tb.Fatal(err)
		}
		var buf bytes.Buffer
		if err := json.Compact(&buf, raw); err != nil {
			tb.Fatal(err)
		}
		bodies = append(bodies, buf.Bytes())
	}
	return bilibilitest.BrotliFrame(bodies...)
}

// overlayFrame is wholeFrame with every fourth message a command (the
// rest the captures' own talk), so that the overlay has decisions to show:
// a few accepted, most refused by the rate limits, as in a busy room.
func overlayFrame(tb testing.TB) []byte {
	commands := []string{"左", "右3", "激光", "上", "画圈"}
	tmpls := latencyTemplates(tb)
	var bodies [][]byte
	for i := range 20 {
		t, text := tmpls[i%len(tmpls)], tmpls[i%len(tmpls)].text
		if i%4 == 0 {
			text = commands[i/4%len(commands)]
		}
		var buf bytes.Buffer
		if err := json.Compact(&buf, t.with(text)); err != nil {
			tb.Fatal(err)
		}
		bodies = append(bodies, buf.Bytes())
	}
	return bilibilitest.BrotliFrame(bodies...)
}

// wholeRun starts the children against a new fake server, sends them n
// messages each (every frame to all), and returns each one's CPU time
// once it has read them all and exited, and the peak RSS (KiB) of the
// first that reconnects (cattease). The server then drops the connections
// mid-frame: each child reads every frame before the cut; cattease's
// reconnect (a second auth) says it has, and the floor client exits.
//
// The peak is the child's own high-water mark, read from /proc before it
// is told to stop (0 where there is no /proc). Rusage's Maxrss would not
// do: Go starts a child with vfork, and Linux folds the parent's resident
// set at that moment into the child's Maxrss, so it reported this test
// process (21-22 MiB) rather than cattease.
func wholeRun(tb testing.TB, children []child, frame []byte, n int) ([]time.Duration, int64) {
	srv := bilibilitest.NewServer(bilibilitest.Config{})
	defer srv.Close()
	cmds := make([]*exec.Cmd, len(children))
	outs := make([]bytes.Buffer, len(children))
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	reconnects := 0
	var watched []func() int64 // stop child i's watcher, and what it read: at i
	for i, c := range children {
		cmds[i] = c.cmd(srv)
		cmds[i].Stdout, cmds[i].Stderr = &outs[i], &outs[i]
		if err := cmds[i].Start(); err != nil {
			tb.Fatal(err)
		}
		defer cmds[i].Process.Kill()
		if c.reconnects {
			reconnects++
		}
		// One at a time, so that the i-th to authenticate is children[i].
		if err := srv.WaitAuths(ctx, i+1); err != nil {
			tb.Fatalf("never authenticated: %v\n%s", err, outs[i].String())
		}
		if c.watch != nil {
			wctx, stop := context.WithCancel(ctx)
			read := make(chan int64, 1)
			go func() { read <- c.watch(wctx) }()
			watched = append(watched, func() int64 { stop(); return <-read })
			defer stop()
		} else {
			watched = append(watched, nil)
		}
	}
	for sent := 0; sent < n/20; sent += wholeBurst {
		for i, cmd := range cmds {
			for range min(wholeBurst, n/20-sent) {
				srv.SendFrameTo(i, frame)
			}
			waitIdle(cmd.Process.Pid)
		}
	}
	for i, stop := range watched {
		if stop != nil && stop() == 0 {
			tb.Fatalf("the overlay's event stream was never served\n%s", outs[i].String())
		}
	}
	srv.DropMidFrame()
	if err := srv.WaitAuths(ctx, len(children)+reconnects); err != nil {
		tb.Fatalf("no reconnect after the frames: %v\n%s", err, outs[0].String())
	}
	var peak int64
	for i, c := range children {
		if c.reconnects {
			if peak == 0 {
				peak = highWater(tb, cmds[i].Process.Pid)
			}
			if err := cmds[i].Process.Signal(syscall.SIGTERM); err != nil {
				tb.Fatal(err)
			}
		}
	}
	cpu := make([]time.Duration, len(children))
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			tb.Fatalf("%s: %v\n%s", cmd.Path, err, outs[i].String())
		}
		cpu[i] = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	if got := srv.Stats().Delivered; got < len(children)*n/20 {
		tb.Fatalf("delivered %d frames, want %d", got, len(children)*n/20)
	}
	return cpu, peak
}

// waitIdle returns once the process pid has used less than 0.1 ms of CPU
// in 2 ms (it has read what it was sent), or after 10 s; at once where
// /proc has no per-thread run time (/proc/PID/task/TID/sched). Polled,
// not waited on: nothing in the child says when it is done.
func waitIdle(pid int) {
	last, ok := ranNS(pid)
	for deadline := time.Now().Add(10 * time.Second); ok && time.Now().Before(deadline); {
		time.Sleep(2 * time.Millisecond)
		now, ok := ranNS(pid)
		if !ok || now-last < 100_000 {
			return
		}
		last = now
	}
}

// ranNS is the CPU time (ns) the threads of process pid have run, their
// se.sum_exec_runtime (ms) in /proc/PID/task/*/sched.
func ranNS(pid int) (int64, bool) {
	dir := fmt.Sprintf("/proc/%d/task", pid)
	tasks, err := os.ReadDir(dir)
	if err != nil {
		return 0, false
	}
	var sum float64
	for _, t := range tasks {
		b, err := os.ReadFile(filepath.Join(dir, t.Name(), "sched"))
		if err != nil {
			continue // a thread gone
		}
		_, rest, found := strings.Cut(string(b), "se.sum_exec_runtime")
		_, rest, colon := strings.Cut(rest, ":")
		fields := strings.Fields(rest)
		if !found || !colon || len(fields) == 0 {
			return 0, false
		}
		ms, err := strconv.ParseFloat(fields[0], 64)
		if err != nil {
			return 0, false
		}
		sum += ms
	}
	return int64(sum * 1e6), true
}

// highWater is the peak resident set (KiB) of the running process pid, its
// VmHWM, or 0 without /proc.
func highWater(tb testing.TB, pid int) int64 {
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(status)) {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kib, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			if err != nil {
				tb.Fatalf("VmHWM: %v", err)
			}
			return kib
		}
	}
	tb.Fatal("no VmHWM in /proc/PID/status")
	return 0
}

// BenchmarkWholeProcessAgainst compares this build with another binary of
// cattease, named by CATTEASE_OLD_BIN (skipped without it), as
// WholeProcessOverlay compares two ways of running one: the same frames,
// taking turns. x-old is the median of the rounds' ratios of this build's
// CPU per message to the other's; peak-MiB is this build's.
func BenchmarkWholeProcessAgainst(b *testing.B) {
	old := os.Getenv("CATTEASE_OLD_BIN")
	if old == "" {
		b.Skip("set CATTEASE_OLD_BIN to a cattease binary to compare with")
	}
	bin := buildStatic(b)
	comparePair(b, catteaseChild(b, bin), catteaseChild(b, old), wholeFrame(b), "x-old", "this build", "old")
}
