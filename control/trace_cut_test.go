package control

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/monitor"
	"github.com/cattease/cattease/actuators/safety"
)

// fullDisk is a file on a disk with room for size bytes in all (negative:
// no limit), as a full disk or a file size limit has: a write past it
// writes what fits if torn, else nothing, and fails. Cutting the file
// back frees room; steal makes the disk full again at once (another
// writer took the room).
type fullDisk struct {
	b      []byte
	size   int
	torn   bool
	steal  bool
	block  int
	cutErr error
	cuts   int
	failOn int // a write to fail, as a transient error (1: the next)
}

func (d *fullDisk) Write(p []byte) (int, error) {
	if d.failOn > 0 {
		if d.failOn--; d.failOn == 0 {
			n := len(p) / 2
			d.b = append(d.b, p[:n]...)
			return n, errors.New("input/output error")
		}
	}
	if d.size < 0 || len(d.b)+len(p) <= d.size {
		d.b = append(d.b, p...)
		return len(p), nil
	}
	n := 0
	if d.torn {
		n = max(0, d.size-len(d.b))
		d.b = append(d.b, p[:n]...)
	}
	return n, errors.New("no space left on device")
}

func (d *fullDisk) CutTo(n int64) error {
	if d.cutErr != nil {
		return d.cutErr
	}
	if n > int64(len(d.b)) {
		return fmt.Errorf("cut to %d past the end %d", n, len(d.b))
	}
	d.b = d.b[:n]
	d.cuts++
	if d.steal {
		d.size = len(d.b)
	}
	return nil
}

func (d *fullDisk) BlockSize() int { return d.block }

var cutT0 = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

// cutLine gives tr line i: an output, a stop or resume, or a decision
// with a text of some length; each line's time is its own, t0 + 20 ms·i.
func cutLine(tr *Trace, i int, r *rand.Rand) {
	at := cutT0.Add(time.Duration(i) * 20 * time.Millisecond)
	switch k := r.IntN(10); {
	case k == 0:
		tr.Stop(at)
	case k == 1:
		tr.Resume(at)
	case k < 4:
		tr.Decision(Decision{Time: at, EventID: fmt.Sprint(i), Platform: "bilibili", UserID: "10086", UserName: "猫奴",
			Text: strings.Repeat("左", r.IntN(60)), Rule: "left", Outcome: Accepted, Reason: ReasonQueued})
	default:
		tr.Output(safety.Output{Time: at, Target: "pan", Action: actuators.ActionAngle, Value: float64(i%90) - 44.5})
	}
}

// checkCutTrace reads what a line trace of given lines (cutLine) wrote:
// whole JSON lines, each a line given, in order, or a gap line that
// stands for the next lines given, from its time on, as many as it says.
// It returns the lines in the file (gap lines apart), the lines the gap
// lines stand for, and the number of the first gap line (0: none).
func checkCutTrace(t *testing.T, b []byte, given int) (kept, lost, firstGap int) {
	t.Helper()
	if len(b) > 0 && b[len(b)-1] != '\n' {
		t.Fatalf("a torn last line: %q", b[max(0, len(b)-200):])
	}
	next := 0
	for n, l := range bytes.SplitAfter(b, []byte("\n")) {
		if len(l) == 0 {
			continue
		}
		var line struct {
			Kind string    `json:"kind"`
			Time time.Time `json:"time"`
			Lost int       `json:"lost"`
		}
		if err := json.Unmarshal(l, &line); err != nil {
			t.Fatalf("line %d: %v: %q", n+1, err, l)
		}
		i := int(line.Time.Sub(cutT0) / (20 * time.Millisecond))
		if i != next {
			t.Fatalf("line %d (%s) is line %d given, want %d:\n%s", n+1, line.Kind, i, next, b)
		}
		if line.Kind != "gap" {
			kept++
			next++
			continue
		}
		if line.Lost <= 0 {
			t.Fatalf("line %d: a gap of %d lines", n+1, line.Lost)
		}
		if firstGap == 0 {
			firstGap = n + 1
		}
		lost += line.Lost
		next += line.Lost
	}
	if next > given {
		t.Fatalf("the file stands for %d lines, %d given", next, given)
	}
	return kept, lost, firstGap
}

// The --trace file on a disk that stays full to the end of the run: a line
// trace on a TraceCutter cuts back a block's worth of whole lines and
// writes its gap line there, which counts the lines cut off with those
// lost, from the time of the first line cut; the lines after it fill the
// room freed, and so on. Every line given is in the file, whole, or
// counted by a gap line before where it would be, a torn write or not,
// so the file ends in a gap line when the last lines were lost; and the
// monitor stops at the first gap line and says so. Before, the gap line waited for a write that worked, which never
// came: the file ended in the last line written (or half of one) and read
// as a whole trace.
func TestLineTraceFullToTheEnd(t *testing.T) {
	for _, torn := range []bool{false, true} {
		d := &fullDisk{size: 10_000, torn: torn, block: 4096}
		tr := NewLineTrace(d)
		r := rand.New(rand.NewPCG(1, 2))
		const given = 400
		for i := range given {
			cutLine(tr, i, r)
		}
		err := tr.Close()
		kept, lost, gap := checkCutTrace(t, d.b, given)
		if kept+lost != given || tr.Failed() != lost || err == nil || !strings.Contains(err.Error(), fmt.Sprintf("%d line(s) could not be written", lost)) {
			t.Errorf("torn %v: %d lines kept, %d lost, of %d; Failed %d; Close %v", torn, kept, lost, given, tr.Failed(), err)
		}
		// The first gap frees at least a block, but not many more.
		if off := bytes.Index(d.b, []byte(`{"kind":"gap",`)); off > d.size-d.block || off < d.size-2*d.block {
			t.Errorf("torn %v: the first gap at byte %d of %d", torn, off, d.size)
		}
		m := monitor.New(monitor.Limits{Axes: []monitor.AxisLimits{{Name: "pan", Role: "pan", Min: -45, Max: 45, Speed: 1e6, Accel: 1e9}},
			Location: time.UTC})
		err = monitor.ReadTrace(bytes.NewReader(d.b), m)
		if want := fmt.Sprintf("monitor: trace line %d: ", gap); err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "line(s) lost from") {
			t.Errorf("torn %v: the monitor reads %v, want %q", torn, err, want)
		}
	}
}

// A write that fails once (a transient error, or a disk that had room
// for the gap line) has its gap line written in the place of its line at
// once, the part of it written cut off: no line written before it is
// lost.
func TestLineTraceGapInPlace(t *testing.T) {
	d := &fullDisk{size: -1, block: 4096}
	tr := NewLineTrace(d)
	out := func(ms int) safety.Output {
		return safety.Output{Time: cutT0.Add(time.Duration(ms) * time.Millisecond), Target: "laser", Action: actuators.ActionSwitch, Value: 1}
	}
	tr.Output(out(0))
	d.failOn = 1
	tr.Output(out(20))
	got := string(d.b)
	tr.Output(out(40))
	line := func(ms string) string {
		return `{"kind":"output","time":"2026-11-22T10:00:00` + ms + `Z","target":"laser","action":"switch","value":1}` + "\n"
	}
	gap := `{"kind":"gap","time":"2026-11-22T10:00:00.02Z","lost":1}` + "\n"
	if want := line("") + gap; got != want {
		t.Errorf("after the failed write:\n got %q\nwant %q", got, want)
	}
	if want := line("") + gap + line(".04"); string(d.b) != want {
		t.Errorf("after the next:\n got %q\nwant %q", d.b, want)
	}
	if err := tr.Close(); err == nil || tr.Failed() != 1 {
		t.Errorf("Close %v, %d failed", err, tr.Failed())
	}
}

// A disk whose room another writer takes as soon as the trace frees it:
// no gap line can be written, and the trace cuts back a block once after
// each line written, and once more at Close, not a block for each line
// lost. It says how many lines it lost.
func TestLineTraceCutsBackOnce(t *testing.T) {
	d := &fullDisk{size: 20_000, torn: true, steal: true, block: 4096}
	tr := NewLineTrace(d)
	r := rand.New(rand.NewPCG(3, 4))
	const given = 600
	for i := range given {
		cutLine(tr, i, r)
	}
	before := len(d.b)
	err := tr.Close()
	if len(d.b) < 20_000-3*4096 || before < 20_000-2*4096 || d.cuts > 3 {
		t.Errorf("cut back to %d, then %d bytes at Close, of 20000, in %d cuts", before, len(d.b), d.cuts)
	}
	kept, lost, _ := checkCutTrace(t, d.b, given)
	if lost != 0 || tr.Failed() != given-kept || err == nil {
		t.Errorf("%d kept, %d in gaps, Failed %d, Close %v", kept, lost, tr.Failed(), err)
	}
}

// A writer that cannot cut: the trace writes on as on any writer, its gap
// line on a line of its own after the part of a line written.
func TestLineTraceCannotCut(t *testing.T) {
	d := &fullDisk{size: 150, torn: true, block: 4096, cutErr: errors.New("read-only")}
	tr := NewLineTrace(d)
	out := func(ms int) safety.Output {
		return safety.Output{Time: cutT0.Add(time.Duration(ms) * time.Millisecond), Target: "laser", Action: actuators.ActionSwitch, Value: 1}
	}
	tr.Output(out(0))
	tr.Output(out(20))
	d.size = -1
	tr.Output(out(40))
	want := `{"kind":"output","time":"2026-11-22T10:00:00Z","target":"laser","action":"switch","value":1}` + "\n" +
		`{"kind":"output","time":"2026-11-22T10:00:00.02Z","target` + "\n" +
		`{"kind":"gap","time":"2026-11-22T10:00:00.02Z","lost":1}` + "\n" +
		`{"kind":"output","time":"2026-11-22T10:00:00.04Z","target":"laser","action":"switch","value":1}` + "\n"
	if string(d.b) != want {
		t.Errorf("\n got %q\nwant %q", d.b, want)
	}
	tr.Close()
}

// On a disk that fills and frees at random, torn writes or not, blocks of
// several sizes, lines of every kind and length: the trace is whole JSON
// lines, each given line in order or stood for by a gap line before it,
// and every line lost is counted; when the last lines were lost, the file
// ends in their gap line.
func TestLineTraceCutRandom(t *testing.T) {
	for seed := range uint64(300) {
		r := rand.New(rand.NewPCG(seed, 7))
		d := &fullDisk{size: -1, torn: r.IntN(2) == 0, block: 128 << r.IntN(4)}
		tr := NewLineTrace(d)
		given := 50 + r.IntN(500)
		for i := range given {
			switch r.IntN(40) {
			case 0:
				d.size = max(len(d.b)+r.IntN(3*d.block), 128)
			case 1:
				d.size = -1
			case 2:
				d.failOn = 1
			}
			cutLine(tr, i, r)
		}
		tr.Close()
		kept, lost, _ := checkCutTrace(t, d.b, given)
		if kept+lost != given || tr.Failed() != lost {
			t.Fatalf("seed %d: %d kept, %d lost, of %d; Failed %d", seed, kept, lost, given, tr.Failed())
		}
	}
}
