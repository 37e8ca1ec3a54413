package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/cattease/cattease/danmu/bilibili"
	"github.com/cattease/cattease/danmu/bilibili/bilibilitest"
)

// Whole-process Bilibili figures: the binary a user runs, as its own
// process, against the fake server in this one.
const (
	wholeFewer = 20_000  // messages in the shorter run
	wholeMore  = 200_000 // and in the longer one, as in issue 12's table
	wholePairs = 5       // short and long runs, in turn
)

// BenchmarkWholeProcessBilibili runs `cattease run -q --dry-run --listen
// off -c rules.yaml --bilibili 21` (the shipped rules, the audit log in a
// state directory) as a child process and sends it frames of 20 real
// DANMU_MSG captures, compact as the server sends them. The marginal CPU
// per message is the child's user+system CPU of a long run minus that of a
// short one, over the difference in messages, so that start-up, the
// connection and shutdown cancel out. The floor is brotli inflate and
// packet split of as many messages of the same frame, timed in this
// process in two halves, just before the short run and just after the
// long one, so that the machine's drift moves both alike. Each pair gives
// a ratio; x-floor is their median, with the lowest and highest beside it.
// peak-MiB is the children's largest resident set.
func BenchmarkWholeProcessBilibili(b *testing.B) {
	bin := filepath.Join(b.TempDir(), "cattease")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	frame := wholeFrame(b)
	const n = wholeMore - wholeFewer
	for range b.N {
		var ratios, perMsg, floors []float64
		var peak int64
		for range wholePairs {
			before := floorCPU(b, frame, n/2)
			short, rss1 := wholeRun(b, bin, frame, wholeFewer)
			long, rss2 := wholeRun(b, bin, frame, wholeMore)
			after := floorCPU(b, frame, n/2)
			peak = max(peak, rss1, rss2)
			ratios = append(ratios, float64(long-short)/float64(before+after))
			perMsg = append(perMsg, float64((long-short).Nanoseconds())/n/1e3)
			floors = append(floors, float64((before+after).Nanoseconds())/n/1e3)
		}
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

// wholeRun starts the child, sends it n messages, and returns its CPU
// time and peak RSS (KiB) once it has read them all and exited. The
// server then drops the connection mid-frame: the child reads every frame
// before the cut, and its reconnect (a second auth) says it has.
func wholeRun(tb testing.TB, bin string, frame []byte, n int) (time.Duration, int64) {
	srv := bilibilitest.NewServer(bilibilitest.Config{})
	defer srv.Close()
	cmd := exec.Command(bin, "run", "-q", "--dry-run", "--listen", "off", "-c", "../../rules.yaml",
		"--bilibili", "21", "--bilibili-api", srv.URL)
	cmd.Env = append(os.Environ(), "STATE_DIRECTORY="+tb.TempDir())
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
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
	if err := srv.WaitAuths(ctx, 2); err != nil {
		tb.Fatalf("no reconnect after the frames: %v\n%s", err, stderr.String())
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		tb.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		tb.Fatalf("run: %v\n%s", err, stderr.String())
	}
	if got := srv.Stats().Delivered; got < n/20 {
		tb.Fatalf("delivered %d frames, want %d", got, n/20)
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		tb.Fatal("no rusage")
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), ru.Maxrss
}

// floorCPU is the CPU time of inflating and splitting n messages' worth
// of frame, bodies unread, on one locked thread and timed by that thread's
// own clock: the process's clock would count the collector still sweeping
// up after the fake server's sends.
func floorCPU(tb testing.TB, frame []byte, n int) time.Duration {
	runtime.GC()
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var fd bilibili.FrameDecoder
	visit := func(bilibili.Packet) error { return nil }
	if err := fd.Decode(frame, visit); err != nil { // warm the buffers
		tb.Fatal(err)
	}
	t0 := threadCPU()
	for range n / 20 {
		if err := fd.Decode(frame, visit); err != nil {
			tb.Fatal(err)
		}
	}
	return threadCPU() - t0
}

// threadCPU is the calling thread's user+system CPU time so far.
func threadCPU() time.Duration {
	const rusageThread = 1 // RUSAGE_THREAD
	var ru syscall.Rusage
	_ = syscall.Getrusage(rusageThread, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
