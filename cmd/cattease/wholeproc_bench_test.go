package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
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
	wholePairs = 9       // rounds of short and long runs, in turn
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
// The four runs of a round go in turn; x-floor is the median of the
// rounds' ratios, with the lowest and highest beside it. peak-MiB is
// cattease's largest resident set (its own: see wholeRun).
func BenchmarkWholeProcessBilibili(b *testing.B) {
	// Built as `make build` builds it: static, without symbols.
	bin := filepath.Join(b.TempDir(), "cattease")
	build := exec.Command("go", "build", "-trimpath", "-ldflags", "-s -w", "-o", bin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	frame := wholeFrame(b)
	const n = wholeMore - wholeFewer
	for range b.N {
		var ratios, perMsg, floors []float64
		var peak int64
		for range wholePairs {
			short, rss1 := wholeRun(b, catteaseChild(b, bin), frame, wholeFewer)
			fshort, _ := wholeRun(b, floorChild(b), frame, wholeFewer)
			long, rss2 := wholeRun(b, catteaseChild(b, bin), frame, wholeMore)
			flong, _ := wholeRun(b, floorChild(b), frame, wholeMore)
			peak = max(peak, rss1, rss2)
			ratios = append(ratios, float64(long-short)/float64(flong-fshort))
			perMsg = append(perMsg, float64((long-short).Nanoseconds())/n/1e3)
			floors = append(floors, float64((flong-fshort).Nanoseconds())/n/1e3)
		}
		b.Logf("rounds' x-floor: %.2f\ncattease µs/msg: %.2f\nfloor µs/msg: %.2f", ratios, perMsg, floors)
		// The host's neighbours only ever add time: the least of each
		// side's rounds is its least disturbed, and their ratio a second
		// estimate beside the median of the rounds' ratios.
		b.ReportMetric(slices.Min(perMsg)/slices.Min(floors), "x-floor-least")
		b.ReportMetric(median(perMsg), "cpu-µs/msg")
		b.ReportMetric(median(floors), "floor-cpu-µs/msg")
		b.ReportMetric(median(ratios), "x-floor")
		b.ReportMetric(slices.Min(ratios), "x-floor-min")
		b.ReportMetric(slices.Max(ratios), "x-floor-max")
		b.ReportMetric(float64(peak)/1024, "peak-MiB")
		b.ReportMetric(0, "ns/op")
	}
}

// median is the middle of xs (which it sorts).
func median(xs []float64) float64 {
	slices.Sort(xs)
	return xs[len(xs)/2]
}

// A child is a process to start against a fake server: reconnects says
// it reconnects after the server's cut (cattease), rather than exiting.
type child struct {
	cmd        func(srv *bilibilitest.Server) *exec.Cmd
	reconnects bool
}

func catteaseChild(tb testing.TB, bin string) child {
	dir := tb.TempDir()
	return child{reconnects: true, cmd: func(srv *bilibilitest.Server) *exec.Cmd {
		cmd := exec.Command(bin, "run", "-q", "--dry-run", "--listen", "off", "-c", "../../rules.yaml",
			"--bilibili", "21", "--bilibili-api", srv.URL)
		cmd.Env = append(os.Environ(), "STATE_DIRECTORY="+dir)
		return cmd
	}}
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

// wholeRun starts the child against a new fake server, sends it n
// messages, and returns its CPU time once it has read them all and exited,
// and for cattease its peak RSS (KiB). The server then drops the
// connection mid-frame: the child reads every frame before the cut;
// cattease's reconnect (a second auth) says it has, and the floor client
// exits.
//
// The peak is the child's own high-water mark, read from /proc before it
// is told to stop (0 where there is no /proc). Rusage's Maxrss would not
// do: Go starts a child with vfork, and Linux folds the parent's resident
// set at that moment into the child's Maxrss, so it reported this test
// process (21-22 MiB) rather than cattease.
func wholeRun(tb testing.TB, c child, frame []byte, n int) (time.Duration, int64) {
	srv := bilibilitest.NewServer(bilibilitest.Config{})
	defer srv.Close()
	cmd := c.cmd(srv)
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stderr, &stderr
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	defer cmd.Process.Kill()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := srv.WaitAuths(ctx, 1); err != nil {
		tb.Fatalf("never authenticated: %v\n%s", err, stderr.String())
	}
	for range n / 20 {
		srv.SendFrame(frame)
	}
	srv.DropMidFrame()
	var peak int64
	if c.reconnects {
		if err := srv.WaitAuths(ctx, 2); err != nil {
			tb.Fatalf("no reconnect after the frames: %v\n%s", err, stderr.String())
		}
		peak = highWater(tb, cmd.Process.Pid)
		if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
			tb.Fatal(err)
		}
	}
	if err := cmd.Wait(); err != nil {
		tb.Fatalf("%s: %v\n%s", cmd.Path, err, stderr.String())
	}
	if got := srv.Stats().Delivered; got < n/20 {
		tb.Fatalf("delivered %d frames, want %d", got, n/20)
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		tb.Fatal("no rusage")
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), peak
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
