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

// killScan reads what a line trace of lines given by cutLine wrote, as a
// kill -9 now would leave it: the lines it accounts for (a line given, or
// as many as a gap line counts, each from its time on, in order), the
// number of its first gap line (0: none), and whether it ends in a torn
// line. A kill -9 loses nothing written: when lines given are not
// accounted for, or the last is torn, verify must find a gap line.
func killScan(t *testing.T, b []byte) (next, firstGap int, torn bool) {
	t.Helper()
	torn = len(b) > 0 && b[len(b)-1] != '\n'
	for n, l := range bytes.SplitAfter(b, []byte("\n")) {
		if len(l) == 0 || l[len(l)-1] != '\n' {
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
		if i := int(line.Time.Sub(cutT0) / (20 * time.Millisecond)); i != next {
			t.Fatalf("line %d (%s) is line %d given, want %d:\n%s", n+1, line.Kind, i, next, b[max(0, len(b)-600):])
		}
		if line.Kind != "gap" {
			next++
			continue
		}
		if firstGap == 0 {
			firstGap = n + 1
		}
		next += line.Lost
	}
	return next, firstGap, torn
}

// killSafe is a quick look at what killScan reads: whether b holds a gap
// line, or given lines whole.
func killSafe(b []byte, given int) bool {
	return bytes.Contains(b, []byte(`{"kind":"gap",`)) || bytes.HasSuffix(b, []byte("\n")) && bytes.Count(b, []byte("\n")) >= given
}

// After a cut of a block on a full disk, another writer takes the room
// the cut freed. Each line lost after that has the gap line written again
// in its place, counting it too; when the count gains a digit (99 to
// 100), the longer gap line does not fit where the old one was, which
// the trace had cut off: it writes the old one back (it fits in the room
// it took), and the lines since wait for the next gap line. Before, the
// file then ended in whole lines, no gap line, and no cut followed: a
// kill -9 from then on left a trace verify read as whole. Once the disk
// has room again, the next line follows the gap line of the lines since,
// and at the end every line given is in the file or counted.
func TestLineTraceGapLineGrowsADigit(t *testing.T) {
	d := &fullDisk{size: -1, block: 4096}
	tr := NewLineTrace(d)
	i := 0
	line := func() {
		at := cutT0.Add(time.Duration(i) * 20 * time.Millisecond)
		tr.Output(safety.Output{Time: at, Target: "pan", Action: actuators.ActionAngle, Value: float64(i%90) - 44.5})
		i++
	}
	for range 150 {
		line()
	}
	d.size = len(d.b) // the disk is full
	line()            // no room in place: a cut of a block, the gap line there
	if _, gap, _ := killScan(t, d.b); gap == 0 {
		t.Fatalf("no gap line after the cut:\n%s", d.b)
	}
	d.size = len(d.b) // another writer takes the room the cut freed
	grew := false
	for n := range 200 {
		line()
		next, gap, torn := killScan(t, d.b)
		if gap == 0 || torn {
			t.Fatalf("after %d lines given, %d more lost: the file accounts for %d, no gap line, torn %v:\n...%s", i, n+1, next, torn, d.b[max(0, len(d.b)-300):])
		}
		grew = grew || next < i
	}
	if !grew {
		t.Fatal("the gap line's count never outgrew its room: the test tests nothing")
	}
	d.size = -1 // room again
	for range 5 {
		line()
	}
	err := tr.Close()
	kept, lost, _ := checkCutTrace(t, d.b, i)
	if kept+lost != i || tr.Failed() != lost || err == nil {
		t.Errorf("%d kept, %d lost, of %d; Failed %d; Close %v", kept, lost, i, tr.Failed(), err)
	}
}

// blockDisk is a file on a file system of blocks of block bytes, some
// of which another writer holds (other): a write past the file's blocks
// and the free ones writes what fits if torn, else nothing, and fails;
// a cut frees the file's blocks past its end.
type blockDisk struct {
	b      []byte
	block  int
	blocks int // of the file system
	other  int // blocks another writer holds
	torn   bool
}

func (d *blockDisk) fileBlocks() int { return (len(d.b) + d.block - 1) / d.block }
func (d *blockDisk) free() int       { return d.blocks - d.fileBlocks() - d.other }

func (d *blockDisk) Write(p []byte) (int, error) {
	room := (d.fileBlocks()+d.free())*d.block - len(d.b)
	if len(p) <= room {
		d.b = append(d.b, p...)
		return len(p), nil
	}
	n := 0
	if d.torn {
		n = room
		d.b = append(d.b, p[:n]...)
	}
	return n, errors.New("no space left on device")
}

func (d *blockDisk) CutTo(n int64) error { d.b = d.b[:n]; return nil }
func (d *blockDisk) BlockSize() int      { return d.block }

// On a file system that another writer fills and frees between lines, a
// torn write or not: whenever lines given are not in the file (a kill
// -9 now), the file holds a gap line before where they would be. Before,
// a gap line written again in place with a longer count, or across a
// block the other writer then took, left none, and no cut followed (seed
// 37 of 2000, say).
func TestLineTraceCutOtherWriter(t *testing.T) {
	seeds := uint64(400)
	if testing.Short() {
		seeds = 60
	}
	for seed := range seeds {
		r := rand.New(rand.NewPCG(seed, 13))
		d := &blockDisk{torn: r.IntN(2) == 0, block: 256 << r.IntN(3), blocks: 1 << 20}
		tr := NewLineTrace(d)
		given := 50 + r.IntN(400)
		for i := range given {
			switch k := r.IntN(25); {
			case i < 30 && k < 2: // not yet
			case k < 2: // the other writer fills the disk
				d.other += d.free()
			case k == 2: // and frees some of it
				d.other -= min(d.other, r.IntN(3))
			}
			cutLine(tr, i, r)
			if killSafe(d.b, i+1) && i%50 != 0 {
				continue // a gap line, or every line given (read whole now and then, and at the end)
			}
			if next, gap, torn := killScan(t, d.b); gap == 0 && (next < i+1 || torn) {
				t.Fatalf("seed %d (torn %v, block %d), line %d given: the file accounts for %d lines, no gap line, torn %v:\n...%s",
					seed, d.torn, d.block, i, next, torn, d.b[max(0, len(d.b)-400):])
			}
		}
		tr.Close()
		if next, gap, _ := killScan(t, d.b); gap == 0 && next < given {
			t.Fatalf("seed %d: after Close the file accounts for %d lines of %d, no gap line", seed, next, given)
		}
	}
}

// headDisk is a fullDisk that holds, before the trace, lines of the runs
// before and the run's own head line (a restart line): the trace may cut
// back over the head line, not before it.
type headDisk struct {
	*fullDisk
	base int // where the head line begins
	head int
}

func (d headDisk) CutTo(n int64) error { return d.fullDisk.CutTo(int64(d.base) + n) }
func (d headDisk) Head() int64         { return int64(d.head) }

// A trace whose disk has room for its head line (the --trace file's
// restart line) but not for a gap line after it, or after its first
// lines: it cuts back over the head line too and writes its gap line
// there, which a line as long as a gap line fitted; the lines of the runs
// before stay whole, and verify reads them and fails at the gap line.
// Before, the trace could not cut back past its head: the file ended in
// the run's restart line, whole, and verify said ok.
func TestLineTraceCutsOverItsHead(t *testing.T) {
	before := `{"kind":"restart","time":"2026-11-22T09:00:00Z","keep_state":false}` + "\n" +
		`{"kind":"output","time":"2026-11-22T09:00:00.02Z","target":"pan","action":"move","value":1}` + "\n"
	restart := `{"kind":"restart","time":"2026-11-22T09:59:59.123456789Z","keep_state":false}` + "\n"
	lim := monitor.Limits{Axes: []monitor.AxisLimits{{Name: "pan", Role: "pan", Min: -45, Max: 45, Speed: 1e6, Accel: 1e9}}, Location: time.UTC}
	for room := 0; room < 300; room += 7 {
		for _, torn := range []bool{false, true} {
			d := &fullDisk{b: []byte(before + restart), size: len(before) + len(restart) + room, torn: torn, block: 4096}
			tr := NewLineTrace(headDisk{fullDisk: d, base: len(before), head: len(restart)})
			r := rand.New(rand.NewPCG(uint64(room), 5))
			const given = 6
			for i := range given {
				cutLine(tr, i, r)
				if !bytes.HasPrefix(d.b, []byte(before)) {
					t.Fatalf("room %d, torn %v: the runs before are cut:\n%s", room, torn, d.b)
				}
				run := bytes.TrimPrefix(d.b[len(before):], []byte(restart))
				if next, gap, tail := killScan(t, run); gap == 0 && (next < i+1 || tail) {
					t.Fatalf("room %d, torn %v, line %d given: the run's part accounts for %d lines, no gap line:\n%s", room, torn, i, next, d.b)
				}
			}
			err := tr.Close()
			run := d.b[len(before):]
			head := bytes.HasPrefix(run, []byte(restart))
			kept, lost, gap := checkCutTrace(t, bytes.TrimPrefix(run, []byte(restart)), given)
			if kept+lost != given || tr.Failed() != lost || (lost > 0) != (err != nil) {
				t.Fatalf("room %d, torn %v: %d kept, %d lost of %d; Failed %d; Close %v:\n%s", room, torn, kept, lost, given, tr.Failed(), err, d.b)
			}
			if !head && lost == 0 {
				t.Errorf("room %d, torn %v: the head line is cut, no line lost:\n%s", room, torn, d.b)
			}
			if lost == 0 {
				continue
			}
			gap += strings.Count(before, "\n")
			if head {
				gap++
			}
			err = monitor.ReadTrace(bytes.NewReader(d.b), monitor.New(lim))
			if want := fmt.Sprintf("monitor: trace line %d: ", gap); err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "line(s) lost from") {
				t.Errorf("room %d, torn %v: the monitor reads %v, want %q:\n%s", room, torn, err, want, d.b)
			}
		}
	}
}
