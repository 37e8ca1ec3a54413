package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cattease/cattease/control"
	"github.com/cattease/cattease/danmu/bilibili"
	"github.com/cattease/cattease/danmu/bilibili/bilibilitest"
)

// Decision latency: how long a chat message takes from the fake Bilibili
// server's write to the engine's decision, through everything `cattease
// run --bilibili` runs on the way (WebSocket, brotli, decode, the source
// plumbing with --record, the engine with the shipped rules.yaml and a
// dry-run rig).
const (
	latencyRate     = 2000            // messages a second
	latencyDuration = 4 * time.Second // of sending, per shape
	latencyWarmup   = 1000            // first messages left out of the figures
	latencyFixtures = "../../danmu/bilibili/testdata"
)

// latencyCaptures are the real DANMU_MSG captures the Bilibili decode
// benchmarks batch 20 to a frame (danmu/bilibili realisticFrame).
var latencyCaptures = []string{
	"danmu_msg_1.json", "danmu_msg_2_reply.json", "danmu_msg_3_emots.json", "danmu_msg_4_medal.json",
	"danmu_msg_5_sticker_empty_uname.json", "danmu_msg_6_sticker_guard.json", "danmu_msg_7_apicollect.json",
	"danmu_msg_masked_1.json", "danmu_msg_masked_3_user_object.json", "danmu_msg_suffix_2_emoticon.json",
}

// template is one capture cut around its chat text, so that each copy
// sent can carry its sequence number in the text.
type template struct {
	before, after []byte
	text          string
}

// latencyTemplates reads the captures and finds each one's text (info[1]).
func latencyTemplates(tb testing.TB) []template {
	var out []template
	for _, name := range latencyCaptures {
		body, err := os.ReadFile(filepath.Join(latencyFixtures, name))
		if err != nil {
			tb.Fatal(err)
		}
		var dec bilibili.Decoder
		ev, err := dec.Decode(body)
		if err != nil {
			tb.Fatalf("%s: %v", name, err)
		}
		quoted := quoteJSON(ev.Text)
		at := textAt(body, quoted)
		if at < 0 {
			tb.Fatalf("%s: text %s not found as info[1]", name, quoted)
		}
		out = append(out, template{
			before: body[:at+1],             // up to and with the opening quote
			after:  body[at+len(quoted)-1:], // from the closing quote
			text:   ev.Text,
		})
	}
	return out
}

// textAt is where quoted first stands as an array element in body: after
// a comma, before a comma (the copy inside extra is escaped).
func textAt(body, quoted []byte) int {
	for off := 0; ; {
		i := bytes.Index(body[off:], quoted)
		if i < 0 {
			return -1
		}
		i += off
		before := bytes.TrimRight(body[:i], " \t\r\n")
		after := bytes.TrimLeft(body[i+len(quoted):], " \t\r\n")
		if bytes.HasSuffix(before, []byte(",")) && bytes.HasPrefix(after, []byte(",")) {
			return i
		}
		off = i + 1
	}
}

// body is template t carrying sequence number seq at the end of its text.
func (t template) body(seq int) []byte { return t.with(fmt.Sprintf("%s #%07d", t.text, seq)) }

// with is template t saying text.
func (t template) with(text string) []byte {
	b := slices.Clip(t.before)
	quoted := quoteJSON(text)
	b = append(b, quoted[1:len(quoted)-1]...)
	return append(b, t.after...)
}

// quoteJSON is s as a JSON string, <, > and & left as they are.
func quoteJSON(s string) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// seqOf reads the sequence number back from a decision's text.
func seqOf(text string) (int, bool) {
	i := strings.LastIndexByte(text, '#')
	if i < 0 {
		return 0, false
	}
	n, err := strconv.Atoi(text[i+1:])
	return n, err == nil
}

// BenchmarkDecisionLatency: real DANMU_MSG captures at a steady 2,000
// messages a second from the fake Bilibili server over loopback, through
// `cattease run -q --dry-run --bilibili … --record FILE -c rules.yaml`, to
// the engine's decisions. Latency is the decision's emission minus the
// server's write of the frame that carried the message. frame20: frames
// of 20 every 10 ms, as a busy room receives them; frame1: one message
// every 0.5 ms. Fails if a message is lost or decisions come out of order.
func BenchmarkDecisionLatency(b *testing.B) {
	for _, per := range []int{20, 1} {
		b.Run(fmt.Sprintf("frame%d", per), func(b *testing.B) {
			for range b.N {
				latencyRun(b, per)
			}
		})
	}
}

func latencyRun(b *testing.B, perFrame int) {
	b.StopTimer()
	tmpl := latencyTemplates(b)
	n := latencyRate * int(latencyDuration/time.Second)
	n -= n % perFrame
	frames := make([][]byte, n/perFrame)
	for i := range frames {
		bodies := make([][]byte, perFrame)
		for k := range bodies {
			seq := i*perFrame + k
			bodies[k] = tmpl[seq%len(tmpl)].body(seq)
		}
		frames[i] = bilibilitest.BrotliFrame(bodies...)
	}
	// Each frame is checked once: the decoder reads back every sequence.
	var fd bilibili.FrameDecoder
	var dec bilibili.Decoder
	want := 0
	for _, f := range frames[:2] {
		if err := fd.Decode(f, func(p bilibili.Packet) error {
			ev, err := dec.Decode(p.Body)
			if s, ok := seqOf(ev.Text); err != nil || !ok || s != want {
				return fmt.Errorf("message %d reads back as %q, %v", want, ev.Text, err)
			}
			want++
			return nil
		}); err != nil {
			b.Fatal(err)
		}
	}

	sent := make([]atomic.Int64, n) // UnixNano of the frame's write
	lat := make([]time.Duration, 0, n)
	var outOfOrder, stray int
	var got atomic.Int64 // read by the benchmark while the engine runs
	next := 0
	done := make(chan struct{})
	testHookDecision = func(d control.Decision) { // under the engine's lock, on the source's goroutine
		now := time.Now().UnixNano()
		seq, ok := seqOf(d.Text)
		if !ok || seq < 0 || seq >= n {
			stray++
			return
		}
		if seq != next {
			outOfOrder++
		}
		next = seq + 1
		lat = append(lat, time.Duration(now-sent[seq].Load()))
		if got.Add(1) == int64(n) {
			close(done)
		}
	}
	defer func() { testHookDecision = nil }()

	srv := bilibilitest.NewServer(bilibilitest.Config{})
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var errBuf lockedBuffer
	exit := make(chan int, 1)
	go func() {
		exit <- cli(ctx, []string{"run", "-q", "--listen", "off", "--dry-run", "-c", "../../rules.yaml",
			"--record", filepath.Join(b.TempDir(), "record.jsonl"),
			"--bilibili", "21", "--bilibili-api", srv.URL}, strings.NewReader(""), io.Discard, &errBuf)
	}()
	wctx, wcancel := context.WithTimeout(ctx, 20*time.Second)
	defer wcancel()
	if err := srv.WaitAuths(wctx, 1); err != nil {
		b.Fatalf("never authenticated: %v\n%s", err, errBuf.String())
	}

	period := time.Second * time.Duration(perFrame) / latencyRate
	b.StartTimer()
	cpu0 := processCPU()
	start := time.Now().Add(10 * time.Millisecond)
	for i, f := range frames {
		if d := time.Until(start.Add(time.Duration(i) * period)); d > 0 {
			time.Sleep(d)
		}
		now := time.Now().UnixNano()
		for k := range perFrame {
			sent[i*perFrame+k].Store(now)
		}
		srv.SendFrame(f)
	}
	waitDecisions(done, &got)
	cpu := processCPU() - cpu0
	b.StopTimer()
	cancel()
	if code := <-exit; code != 0 {
		b.Fatalf("run exited %d\n%s", code, errBuf.String())
	}
	// The run and its sources have returned: the counts are ours now.
	lost := n - int(got.Load())
	b.ReportMetric(float64(lost), "lost")
	b.ReportMetric(float64(outOfOrder), "out-of-order")
	if lost != 0 || outOfOrder != 0 || stray != 0 {
		b.Fatalf("%d of %d messages lost, %d out of order, %d stray decisions", lost, n, outOfOrder, stray)
	}
	lat = lat[latencyWarmup:]
	slices.Sort(lat)
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	b.ReportMetric(ms(lat[len(lat)/2]), "p50-ms")
	b.ReportMetric(ms(lat[len(lat)*99/100]), "p99-ms")
	b.ReportMetric(ms(lat[len(lat)-1]), "max-ms")
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(n)/1e3, "cpu-µs/msg")
	b.ReportMetric(0, "ns/op")
}

// waitDecisions waits until done is closed or no decision has come for
// 5 s: a backlog on a loaded machine is slow, not lost.
func waitDecisions(done <-chan struct{}, got *atomic.Int64) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	last, idle := got.Load(), 0
	for idle < 5 {
		select {
		case <-done:
			return
		case <-t.C:
		}
		if n := got.Load(); n != last {
			last, idle = n, 0
		} else {
			idle++
		}
	}
}

// lockedBuffer is a bytes.Buffer safe for the CLI's logger and the
// benchmark to share.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
