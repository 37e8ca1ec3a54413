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

// writeReceivedRecording is writeRecording as --record writes it now: each
// line ends with the time it was received, a few milliseconds after the
// sender's.
func writeReceivedRecording(tb testing.TB, n int) string {
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
			`"text":"%s","gift":{"name":"","count":0,"value_cents":0},"received":"%s"}`+"\n",
			int64(1700000000000)+int64(i), t.Format(time.RFC3339Nano), i%50_000, i%50_000, texts[i%len(texts)],
			t.Add(3*time.Millisecond+time.Duration(i%1000)*time.Microsecond).In(cst).Format(time.RFC3339Nano))
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
	return path
}

// BenchmarkCLIReplayReceived is BenchmarkCLIReplay of a recording whose
// lines carry the receive time, as --record writes them: replay reads it
// and runs its clock on it.
func BenchmarkCLIReplayReceived(b *testing.B) {
	b.Setenv("STATE_DIRECTORY", b.TempDir())
	path := writeReceivedRecording(b, replayBenchEvents)
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
