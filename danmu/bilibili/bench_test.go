package bilibili_test

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/cattease/cattease/danmu"
	"github.com/cattease/cattease/danmu/bilibili"
	"github.com/cattease/cattease/danmu/bilibili/bilibilitest"
)

// realisticFrame is one brotli op-5 frame of 20 real DANMU_MSG captures,
// as a busy room receives them: compact JSON, as the server sends it
// (every capture taken off the wire is one line; two of the ten come
// from documentation, pretty-printed, and are compacted here).
func realisticFrame(tb testing.TB) []byte { return captureFrame(tb, true) }

// captureFrame is realisticFrame with the bodies compacted or as stored.
func captureFrame(tb testing.TB, compact bool) []byte {
	names := []string{
		"danmu_msg_1.json", "danmu_msg_2_reply.json", "danmu_msg_3_emots.json", "danmu_msg_4_medal.json",
		"danmu_msg_5_sticker_empty_uname.json", "danmu_msg_6_sticker_guard.json", "danmu_msg_7_apicollect.json",
		"danmu_msg_masked_1.json", "danmu_msg_masked_3_user_object.json", "danmu_msg_suffix_2_emoticon.json",
	}
	var bodies [][]byte
	for len(bodies) < 20 {
		b := fixture(tb, names[len(bodies)%len(names)])
		if compact {
			var buf bytes.Buffer
			if err := json.Compact(&buf, b); err != nil {
				tb.Fatal(err)
			}
			b = buf.Bytes()
		}
		bodies = append(bodies, b)
	}
	return bilibilitest.BrotliFrame(bodies...)
}

const perFrame = 20

// BenchmarkDecodeBrotliFrame20: inflate, split and decode to Events one
// frame of 20 DANMU_MSG. Reports decoded messages per second and
// allocations per message, and CPU time per message.
//
// wire: the bodies compact, as the server sends them; stored: as the
// fixtures hold them, two pretty-printed.
func BenchmarkDecodeBrotliFrame20(b *testing.B) {
	b.Run("wire", func(b *testing.B) { benchDecodeFrame(b, captureFrame(b, true)) })
	b.Run("stored", func(b *testing.B) { benchDecodeFrame(b, captureFrame(b, false)) })
}

func benchDecodeFrame(b *testing.B, frame []byte) {
	var fd bilibili.FrameDecoder
	dec := bilibili.Decoder{RoomID: 5561470, StreamerUID: 780791}
	n := 0
	visit := func(p bilibili.Packet) error {
		if _, err := dec.Decode(p.Body); err != nil {
			b.Fatal(err)
		}
		n++
		return nil
	}
	decodeOnce := func() {
		if err := fd.Decode(frame, visit); err != nil {
			b.Fatal(err)
		}
	}
	allocs := testing.AllocsPerRun(20, decodeOnce)
	n = 0
	b.SetBytes(int64(len(frame)))
	b.ResetTimer()
	cpu0 := cpuTime()
	for b.Loop() {
		decodeOnce()
	}
	cpu := cpuTime() - cpu0
	if n != perFrame*b.N {
		b.Fatalf("decoded %d messages, want %d", n, perFrame*b.N)
	}
	b.StopTimer()
	perMsg := float64(cpu.Nanoseconds()) / float64(n)
	// Wall-clock rates swing with machine load; CPU time per message is
	// the steadier figure, and its ratio to the floor the one that carries
	// across machines. The ratio is taken from rounds that alternate a few
	// decoded frames with a few floor frames, so that a machine whose
	// speed drifts (other work, frequency) moves both sides alike.
	ratio, floor := pairedRatio(b, frame, decodeOnce, max(b.N/16, 100))
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "msgs/s")
	b.ReportMetric(perMsg, "cpu-ns/msg")
	b.ReportMetric(floor, "floor-cpu-ns/msg")
	b.ReportMetric(ratio, "x-floor")
	b.ReportMetric(allocs/perFrame, "allocs/msg")
}

// pairedRatio alternates 8 frames through decode with 8 through the floor
// (inflate and split only), rounds times, and returns the ratio of their
// CPU times and the floor's CPU time per message.
func pairedRatio(tb testing.TB, frame []byte, decode func(), rounds int) (ratio, floorPerMsg float64) {
	var fd bilibili.FrameDecoder
	visit := func(bilibili.Packet) error { return nil }
	floorOnce := func() {
		if err := fd.Decode(frame, visit); err != nil {
			tb.Fatal(err)
		}
	}
	floorOnce() // warm the buffers
	var dec, flo time.Duration
	for range rounds {
		t0 := cpuTime()
		for range 8 {
			decode()
		}
		t1 := cpuTime()
		for range 8 {
			floorOnce()
		}
		t2 := cpuTime()
		dec += t1 - t0
		flo += t2 - t1
	}
	return float64(dec) / float64(flo), float64(flo.Nanoseconds()) / float64(rounds*8*perFrame)
}

// BenchmarkFloorBrotliFrame20: what no decoder can go below, brotli
// inflate and packet split of the frames DecodeBrotliFrame20 decodes, with
// the bodies left unread. DecodeBrotliFrame20 reports its ratio to this.
func BenchmarkFloorBrotliFrame20(b *testing.B) {
	frame := realisticFrame(b)
	var fd bilibili.FrameDecoder
	n := 0
	visit := func(bilibili.Packet) error { n++; return nil }
	allocs := testing.AllocsPerRun(20, func() { _ = fd.Decode(frame, visit) })
	n = 0
	b.SetBytes(int64(len(frame)))
	b.ResetTimer()
	cpu0 := cpuTime()
	for b.Loop() {
		if err := fd.Decode(frame, visit); err != nil {
			b.Fatal(err)
		}
	}
	cpu := cpuTime() - cpu0
	if n != perFrame*b.N {
		b.Fatalf("split %d messages, want %d", n, perFrame*b.N)
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "msgs/s")
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(n), "cpu-ns/msg")
	b.ReportMetric(allocs/perFrame, "allocs/msg")
}

// BenchmarkEndToEndLoopback: frames of 20 DANMU_MSG from the fake server
// over a loopback WebSocket to Events on the channel. cpu-ns/msg is the
// process's user+system CPU time per message, the fake server's writes
// included (its frames are pre-compressed).
func BenchmarkEndToEndLoopback(b *testing.B) {
	srv := bilibilitest.NewServer(bilibilitest.Config{})
	defer srv.Close()
	src := &bilibili.Source{Room: "21", API: srv.URL, HTTPClient: srv.Client()}
	out := make(chan danmu.Event, 1024)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- src.Run(ctx, out) }()
	defer func() { cancel(); <-done }()
	if err := srv.WaitAuths(ctx, 1); err != nil {
		b.Fatal(err)
	}
	frame := realisticFrame(b)
	frames := (b.N + perFrame - 1) / perFrame
	b.ResetTimer()
	cpu0, wall0 := cpuTime(), time.Now()
	go func() {
		for range frames {
			srv.SendFrame(frame)
		}
	}()
	for range frames * perFrame {
		<-out
	}
	cpu, wall := cpuTime()-cpu0, time.Since(wall0)
	b.StopTimer()
	msgs := float64(frames * perFrame)
	b.ReportMetric(float64(cpu.Nanoseconds())/msgs, "cpu-ns/msg")
	b.ReportMetric(msgs/wall.Seconds(), "msgs/s")
}
