package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// replayBenchEvents is the size of the recording BenchmarkCLIReplay reads.
const replayBenchEvents = 1_000_000

// writeRecording writes n chat events spread over one hour as a --record
// file: the mix of talk and commands of control's BenchmarkReplay1M, from
// 50,000 viewers. With received, each line ends with the time it was
// received, a few milliseconds after the sender's, as --record writes it
// now; without, as records were before.
func writeRecording(tb testing.TB, n int, received bool) string {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "events.jsonl")
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	texts := []string{"左", "右3", "激光", "大家好呀", "哈哈哈哈哈", "上", "下2", "ｌｅｆｔ", "猫猫好可爱", "停"}
	t0 := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	cst := time.FixedZone("CST", 8*3600)
	for i := range n {
		t := t0.Add(time.Duration(i) * time.Hour / time.Duration(n))
		fmt.Fprintf(w, `{"platform":"bilibili","room":"21144080","kind":"chat","id":"%d","time":"%s",`+
			`"user":{"id":"%d","name":"猫奴%d","role":"viewer","guard":0,"medal":0,"level":0,"masked":false},`+
			`"text":"%s","gift":{"name":"","count":0,"value_cents":0}`,
			int64(1700000000000)+int64(i), t.Format(time.RFC3339Nano), i%50_000, i%50_000, texts[i%len(texts)])
		if received {
			fmt.Fprintf(w, `,"received":"%s"`, t.Add(3*time.Millisecond+time.Duration(i%1000)*time.Microsecond).In(cst).Format(time.RFC3339Nano))
		}
		w.WriteString("}\n")
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
	return path
}

// BenchmarkCLIReplay is `cattease replay -c rules.yaml FILE > /dev/null`
// of one million recorded events over one hour, the whole command: the
// JSONL file read and parsed, the shipped rules, the play layer, the
// envelope and the mock rig on the virtual clock, and the trace encoded
// to io.Discard. control's BenchmarkReplay1M feeds ready-made events and
// so leaves out the reading; this one does not.
func BenchmarkCLIReplay(b *testing.B) { benchReplay(b, writeRecording(b, replayBenchEvents, false)) }

// BenchmarkCLIReplayReceived is BenchmarkCLIReplay of a recording whose
// lines carry the receive time, as --record writes them: replay reads it
// and runs its clock on it.
func BenchmarkCLIReplayReceived(b *testing.B) {
	benchReplay(b, writeRecording(b, replayBenchEvents, true))
}

// benchReplay replays the recording at path with the shipped rules, the
// trace to io.Discard; nothing may come on stderr.
func benchReplay(b *testing.B, path string) {
	b.Setenv("STATE_DIRECTORY", b.TempDir())
	var errb strings.Builder
	b.ReportAllocs()
	for b.Loop() {
		errb.Reset()
		if code := cli(context.Background(), []string{"replay", "-c", "../../rules.yaml", path}, strings.NewReader(""), io.Discard, &errb); code != 0 {
			b.Fatalf("exit %d: %s", code, errb.String())
		}
		if errb.Len() > 0 {
			b.Fatalf("stderr: %.200s", errb.String())
		}
	}
	b.ReportMetric(float64(replayBenchEvents*b.N)/b.Elapsed().Seconds(), "events/s")
}

// writeRules writes the shipped rules.yaml with extra commands, three
// aliases each, for n commands in all, so that BenchmarkCLIReplayRules
// shows what the number of rules costs.
func writeRules(tb testing.TB, n int) string {
	tb.Helper()
	shipped, err := os.ReadFile("../../rules.yaml")
	if err != nil {
		tb.Fatal(err)
	}
	var extra strings.Builder
	for i := range n - shippedCommands {
		fmt.Fprintf(&extra, "  - {name: c%d, aliases: [命令%d, cmd%d, 动作%d], do: {move: pan, to: %d°}}\n", i, i, i, i, i%40-20)
	}
	text := strings.Replace(string(shipped), "\ncommands:\n", "\ncommands:\n"+extra.String(), 1)
	path := filepath.Join(tb.TempDir(), "rules.yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		tb.Fatal(err)
	}
	return path
}

// shippedCommands is how many commands rules.yaml has.
const shippedCommands = 22

// BenchmarkCLIReplayRules is BenchmarkCLIReplay with the shipped 22
// commands, 200 and 1,000: matching walks a trie of the aliases, so the
// figure should not grow with the rules.
func BenchmarkCLIReplayRules(b *testing.B) {
	b.Setenv("STATE_DIRECTORY", b.TempDir())
	path := writeRecording(b, replayBenchEvents, false)
	for _, n := range []int{shippedCommands, 200, 1000} {
		rules := writeRules(b, n)
		b.Run(fmt.Sprintf("rules=%d", n), func(b *testing.B) {
			var errb strings.Builder
			b.ReportAllocs()
			for b.Loop() {
				errb.Reset()
				if code := cli(context.Background(), []string{"replay", "-c", rules, path}, strings.NewReader(""), io.Discard, &errb); code != 0 {
					b.Fatalf("exit %d: %s", code, errb.String())
				}
			}
			b.ReportMetric(float64(replayBenchEvents*b.N)/b.Elapsed().Seconds(), "events/s")
		})
	}
}
