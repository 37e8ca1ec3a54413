package control

import (
	"io"
	"testing"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/safety"
)

// fileLike is a writer that takes every line, as a file with room does:
// what a --trace file's line trace writes to, without the system call.
type fileLike struct{ n int64 }

func (f *fileLike) Write(p []byte) (int, error) { f.n += int64(len(p)); return len(p), nil }

// CutTo and BlockSize make fileLike a TraceCutter: the line trace keeps
// its line starts for a cut, as it does for the --trace file.
func (f *fileLike) CutTo(n int64) error { f.n = n; return nil }
func (f *fileLike) BlockSize() int      { return 4096 }

// benchTraceOutputs writes b.N output lines, a servo's move at 50 Hz.
func benchTraceOutputs(b *testing.B, tr *Trace) {
	t0 := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	o := safety.Output{Target: "pan", Action: actuators.ActionAngle}
	b.ReportAllocs()
	for i := range b.N {
		o.Time = t0.Add(time.Duration(i) * 20 * time.Millisecond)
		o.Value = float64(i%90) - 45.5
		tr.Output(o)
	}
}

// The line trace of --trace (each line a write, its starts kept for a cut
// on a full disk) and of the audit log (a plain writer), per output line.
func BenchmarkTraceLineOutput(b *testing.B) { benchTraceOutputs(b, NewLineTrace(&fileLike{})) }
func BenchmarkTraceLineOutputPlain(b *testing.B) {
	benchTraceOutputs(b, NewLineTrace(struct{ io.Writer }{io.Discard}))
}

// The buffered trace of replay, per output line.
func BenchmarkTraceBufferedOutput(b *testing.B) { benchTraceOutputs(b, NewTrace(io.Discard)) }

// A decision line of the line trace (the audit log).
func BenchmarkTraceLineDecision(b *testing.B) {
	tr := NewLineTrace(struct{ io.Writer }{io.Discard})
	d := Decision{Time: time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC), EventID: "bili-1234567", Platform: "bilibili",
		UserID: "10086", UserName: "小明", Text: "左5", Rule: "left", Outcome: Accepted, Reason: ReasonQueued}
	b.ReportAllocs()
	for i := range b.N {
		d.Time = d.Time.Add(time.Duration(i) * time.Millisecond)
		tr.Decision(d)
	}
}
