package monitor

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
)

// MaxLine caps one trace line.
const MaxLine = 64 << 10

// traceLine is the part of a trace line the monitor reads.
type traceLine struct {
	Kind       string    `json:"kind"`
	Time       time.Time `json:"time"`
	Wall       time.Time `json:"wall"`        // the wall clock's reading, where it differs from time
	WallBefore time.Time `json:"wall_before"` // its reading a tick before, at a step
	Exit       bool      `json:"exit"`        // an output of the park on the way out
	Error      *string   `json:"error"`       // the driver's write failed: not delivered
	Target     string    `json:"target"`
	Action     string    `json:"action"`
	Value      float64   `json:"value"` // noValue: none given
	KeepState  bool      `json:"keep_state"`
	Lost       int       `json:"lost"` // a gap line's lines lost
}

// noValue marks an output line without a value: JSON has no NaN.
var noValue = math.NaN()

// ReadTrace feeds a JSON-lines trace (as written by control.Trace) to m:
// "output" lines are outputs (with "wall", the wall clock's reading, where
// it differs from "time": Event.Wall; and "wall_before", its reading a
// tick before, at the tick of a step: Event.WallBefore; "exit", the
// mark of the park on the way out: Event.Exit; and "error", the driver's
// error when its write failed: Event.Failed, the output was not
// delivered), a {"kind":"restart","time":…,"keep_state":…}
// line restarts the process, {"kind":"stop","time":…} and
// {"kind":"resume","time":…} (written by the side that asked for an
// emergency stop, once the rig has taken it, and before the rig resumes)
// are m.Stop and m.Resume, "decision" lines are skipped. At the end of the
// input the stream ends at the last time read (m.End). Each violation
// found names the line it was found at (Violation.Line).
//
// What the trace cannot be trusted on is an error naming its line: an
// output to an axis or switch that m's Limits do not name; a kind the
// trace does not write; a field it does not write, or an output without
// its time, target, action or value, or a stop, resume or restart without
// its time (a hand-edited line: a misspelled "value" would read as 0,
// dark); a time (or "wall", "wall_before") outside the years 1970 to
// 2261, which the monitor's nanoseconds since 1970 cannot count, as a
// replay refuses them. A {"kind":"gap","time":…,"lost":…} line, where
// the writer lost lines (a full disk) and wrote on, is an error too, but
// not the end of the reading: what its run did from there cannot be
// checked, so that run's part of the trace ends at the gap's time (the
// first line lost: the outputs read held until then), everything off, the
// lines it wrote on after the gap (torn ones too) are skipped (but for
// whether its stop and resume lines leave a stop in force, which a
// restart that keeps the state carries over), and reading
// carries on at the next restart line, so the runs appended after it are
// checked; the first gap line's error is returned once the input is read
// (the violations found by then are in m), and warn (ReadTraceWarn) is
// told of each later one. An input with no output or restart line is
// ErrNotTrace.
func ReadTrace(r io.Reader, m *Monitor) error { return ReadTraceWarn(r, m, nil) }

// ErrNotTrace: the input has no output or restart line, or begins with a
// line of a kind a trace does not have (a recording of chat events, say).
var ErrNotTrace = errors.New("is this a trace? (--record files are for replay)")

// SetLine names n as the trace line where the violations found since the
// last SetLine were found (Violation.Line). ReadTrace calls it after each
// line; a caller that feeds m as it writes a trace may too.
func (m *Monitor) SetLine(n int) {
	for i := len(m.viol) - 1; i >= 0 && m.viol[i].Line == 0; i-- {
		m.viol[i].Line = n
	}
}

// ReadTraceWarn is ReadTrace that reads on past a line it cannot read
// (not JSON, or longer than MaxLine). A power cut can leave a partial
// line or NUL bytes at the end of a trace, and the next run appends its
// restart line after them: such a line ends that process's part of the
// trace at the last time read before it, everything off as the halt after
// a crash leaves it; warn is told, with the line's number (nil: nobody),
// and reading carries on at the next restart line (one glued to the torn
// line's end included). Each line is one write, which a killed process
// cannot tear: a torn line is the mark of a power cut or a crash of the
// system, which turned every output off at a time the trace does not
// hold; the last time read is the best it knows. Unreadable or gap lines
// and no output or restart that could be read is an error, the first of
// those lines'.
func ReadTraceWarn(r io.Reader, m *Monitor, warn func(error)) error {
	br := bufio.NewReaderSize(r, MaxLine)
	var (
		line     traceLine
		last     time.Time
		seen     bool  // an output or a restart was read
		known    bool  // a line of a trace's kinds was read
		skip     skip  // past an unreadable or a gap line, up to the next restart
		first    error // the first unreadable or gap line's error
		gap      error // the first gap line's error
		tail     []byte
		lastLine int // the last line with something on it
	)
	for n := 1; ; n++ {
		b, err := br.ReadSlice('\n')
		long := errors.Is(err, bufio.ErrBufferFull)
		if long { // keep only the end, where a restart line may be glued
			tail = keepTail(tail[:0], b)
			for errors.Is(err, bufio.ErrBufferFull) {
				b, err = br.ReadSlice('\n')
				tail = keepTail(tail, b)
			}
			b = tail
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("monitor: trace line %d: %w", n, err)
		}
		var perr error
		if b = bytes.TrimSpace(b); long {
			perr = fmt.Errorf("longer than %d bytes", MaxLine)
		} else if len(b) > 0 {
			lastLine = n
			var t time.Time
			ok := false
			switch skip {
			case skipTorn:
				t, ok, perr = readRestart(b, &line, m)
			case skipGap:
				t, ok, perr = readAfterGap(b, &line, m)
			default:
				t, ok, perr = readLine(b, &line, m)
			}
			if ok {
				last, seen, skip = t, true, skipNone
			}
			known = known || knownKind(line.Kind) && (perr == nil || errors.Is(perr, ErrLost))
		}
		var bad *unreadable
		if long || errors.As(perr, &bad) {
			if skip != skipGap { // past a gap the run's part has ended, unchecked
				if seen && skip == skipNone {
					m.End(last) // everything off from the last line read
				}
				skip = skipTorn
				if warn != nil {
					warn(fmt.Errorf("monitor: trace line %d cannot be read (%w): that run's part of the trace ends before it, everything off, and reading resumes at the next restart line", n, perr))
				}
			}
			if first == nil {
				first = fmt.Errorf("monitor: trace line %d: %w", n, perr)
			}
			if t, ok := gluedRestart(b, &line, m); ok {
				last, seen, skip = t, true, skipNone
			}
		} else if errors.Is(perr, ErrLost) {
			// The run wrote on past lines it lost: its part ends at the
			// first of them, the outputs read holding until then, and
			// what it wrote on after them is skipped, up to the next
			// run's restart line.
			if seen && skip == skipNone {
				m.End(later(last, line.Time))
			}
			skip = skipGap
			lerr := fmt.Errorf("monitor: trace line %d: %w", n, perr)
			switch {
			case gap == nil:
				gap = lerr
			case warn != nil:
				warn(lerr)
			}
			if first == nil {
				first = lerr
			}
		} else if errors.Is(perr, errBadKind) && !known {
			return fmt.Errorf("monitor: trace line %d: %w: %w", n, perr, ErrNotTrace)
		} else if perr != nil {
			m.SetLine(n)
			return fmt.Errorf("monitor: trace line %d: %w", n, perr)
		}
		m.SetLine(n)
		if err != nil { // io.EOF
			break
		}
	}
	switch {
	case seen:
		m.End(last)
		m.SetLine(lastLine)
		return gap // nil without a gap line
	case first != nil:
		return first
	default:
		return fmt.Errorf("monitor: no output or restart line: %w", ErrNotTrace)
	}
}

// skip is what ReadTraceWarn skips, up to the next restart line.
type skip int

const (
	skipNone skip = iota
	skipTorn      // past an unreadable line: the run's lines should have ended there
	skipGap       // past a gap line: the run's lines go on, unchecked
)

// later returns the later of a and b.
func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// keepTail appends b to tail and keeps the last maxTail bytes.
func keepTail(tail, b []byte) []byte {
	const maxTail = 1 << 10 // a restart line is some 80 bytes
	tail = append(tail, b[max(0, len(b)-maxTail):]...)
	if len(tail) > maxTail {
		tail = append(tail[:0], tail[len(tail)-maxTail:]...)
	}
	return tail
}

// decodeLine decodes b into line. Text that is not JSON (a line torn by a
// power cut, NUL bytes) is unreadable; JSON with a value of the wrong
// type or a bad time is an error of its own: no cut makes that; and so is
// a field the trace does not write on a line of a kind the monitor reads.
func decodeLine(b []byte, line *traceLine) error {
	*line = traceLine{Value: noValue}
	if bytes.HasPrefix(b, decisionPrefix) { // not read: only its kind matters
		return unmarshalLine(b, line)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	err := dec.Decode(line)
	if err == nil && len(bytes.TrimSpace(b[dec.InputOffset():])) == 0 {
		return nil
	}
	// Not a line of known fields alone, or more after it: Unmarshal says
	// whether it is JSON, with its words for what is not.
	*line = traceLine{Value: noValue}
	if uerr := unmarshalLine(b, line); uerr != nil {
		return uerr
	}
	if line.Kind == "decision" || !knownKind(line.Kind) || err == nil {
		return nil // readLine tells of the kind
	}
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		if s, uerr := strconv.Unquote(name); uerr == nil {
			name = s
		}
		return fmt.Errorf("%w %q", errUnknownField, name)
	}
	return err
}

// unmarshalLine is json.Unmarshal, its syntax errors unreadable.
func unmarshalLine(b []byte, line *traceLine) error {
	err := json.Unmarshal(b, line)
	if se := (*json.SyntaxError)(nil); errors.As(err, &se) {
		return &unreadable{err}
	}
	return err
}

// decisionPrefix begins every decision line control.Trace writes.
var decisionPrefix = []byte(`{"kind":"decision"`)

// knownKind reports whether kind is one a trace has.
func knownKind(kind string) bool {
	switch kind {
	case "decision", "output", "restart", "stop", "resume", "gap":
		return true
	}
	return false
}

// unreadable is a line that is not JSON.
type unreadable struct{ err error }

func (u *unreadable) Error() string { return u.err.Error() }
func (u *unreadable) Unwrap() error { return u.err }

// restartPrefix begins every restart line (--trace, tracefile.go).
var restartPrefix = []byte(`{"kind":"restart"`)

// gluedRestart reads a restart line glued to the end of an unreadable
// one: a process cut off in the middle of a line, then the next one's
// restart line appended after it.
func gluedRestart(b []byte, line *traceLine, m *Monitor) (time.Time, bool) {
	i := bytes.LastIndex(b, restartPrefix)
	if i <= 0 {
		return time.Time{}, false
	}
	t, ok, err := readRestart(b[i:], line, m)
	return t, ok && err == nil
}

// readAfterGap reads a line past a gap line: a restart is fed to m and a
// gap line is ErrLost; the run's other lines, written after it lost some,
// are skipped, unchecked, but for the state of its stop and resume lines:
// a stop taken there is kept on the hardware over a restart that keeps
// the state (Monitor.skippedStop); a kind a trace does not have is an
// error still.
func readAfterGap(b []byte, line *traceLine, m *Monitor) (time.Time, bool, error) {
	if err := decodeLine(b, line); err != nil {
		return time.Time{}, false, err
	}
	switch line.Kind {
	case "stop", "resume":
		m.skippedStop(line.Kind == "stop")
		return time.Time{}, false, nil
	case "output", "decision":
		return time.Time{}, false, nil
	}
	return readLine(b, line, m)
}

// errRunGoesOn: a line of the run that an unreadable line should have
// ended. A power cut tears only a run's last line; a full disk tears one
// in the middle and the run writes on, and what it did past the torn line
// cannot be checked from where its outputs stood.
var errRunGoesOn = errors.New("the run goes on after a line that could not be read (a full disk tears a line in the middle of a run; a power cut only its last): what it did cannot be checked")

// readRestart reads a line past an unreadable one: a restart is fed to m;
// more unreadable lines are skipped; any other line is errRunGoesOn.
func readRestart(b []byte, line *traceLine, m *Monitor) (t time.Time, ok bool, err error) {
	*line = traceLine{}
	if err := decodeLine(b, line); err != nil {
		return t, false, err
	}
	if line.Kind != "restart" && line.Kind != "gap" {
		return t, false, errRunGoesOn
	}
	return readLine(b, line, m)
}

var (
	errNoTime       = errors.New("no time")
	errBadKind      = errors.New("unknown kind")
	errUnknownField = errors.New("unknown field")
	errNoAction     = errors.New("no action")
	errNoValue      = errors.New("no value")
	errBadAction    = errors.New("unknown action")
	errNoTarget     = errors.New("no target")
	errBadSwitch    = errors.New("switch value not 0 or 1")
	errNoAxis       = errors.New("no axis of that name in the rules")
	errNoSwitch     = errors.New("no switch of that name in the rules")
)

// readLine decodes one line into line and feeds it; ok reports whether it
// was an output or a restart, at t.
func readLine(b []byte, line *traceLine, m *Monitor) (t time.Time, ok bool, err error) {
	*line = traceLine{}
	if err := decodeLine(b, line); err != nil {
		return t, false, err
	}
	switch line.Kind {
	case "output", "restart", "stop", "resume", "gap":
	case "decision":
		return t, false, nil
	default:
		return t, false, fmt.Errorf("%w %q", errBadKind, line.Kind)
	}
	if line.Time.IsZero() {
		return t, false, errNoTime
	}
	for _, f := range [...]struct {
		name string
		t    time.Time
	}{{"time", line.Time}, {"wall", line.Wall}, {"wall_before", line.WallBefore}} {
		if err := checkTime(f.name, f.t); err != nil {
			return t, false, err
		}
	}
	switch line.Kind { // neither is an output: the time read stays the outputs'
	case "gap":
		return t, false, fmt.Errorf("%d line(s) lost from %s on (the run's writes to the trace failed, on a full disk say, and it wrote on after them): %w",
			line.Lost, line.Time.UTC().Format(time.RFC3339Nano), ErrLost)
	case "stop":
		m.Stop(line.Time)
		return t, false, nil
	case "resume":
		m.Resume(line.Time)
		return t, false, nil
	}
	if line.Kind == "restart" {
		m.Restart(line.Time, line.KeepState)
		return line.Time, true, nil
	}
	if err := checkOutput(line); err != nil {
		return t, false, err
	}
	if err := m.checkTarget(line); err != nil {
		return t, false, err
	}
	m.Output(Event{Time: line.Time, Wall: line.Wall, WallBefore: line.WallBefore, Exit: line.Exit,
		Failed: line.Error != nil, Target: line.Target, Action: line.Action, Value: line.Value})
	return line.Time, true, nil
}

// The times a trace may hold, as a replay's record: from minTime to before
// maxTime, the years 1970 to 2261. The monitor counts time in int64
// nanoseconds since 1970 (UnixNano), which end on 2262-04-11: a time
// outside them would be misread, silently.
var (
	minTime = time.Unix(0, 0).UTC()
	maxTime = time.Date(2262, 1, 1, 0, 0, 0, 0, time.UTC)
)

// checkTime refuses a time t of a line's field name outside the years a
// trace may hold; the zero time is none given.
func checkTime(name string, t time.Time) error {
	if t.IsZero() || !t.Before(minTime) && t.Before(maxTime) {
		return nil
	}
	return fmt.Errorf("%s %s is outside the years 1970 to 2261", name, t.Format(time.RFC3339Nano))
}

// ErrLost is what ReadTrace's error for a gap line wraps: the writer
// lost lines there and wrote on. ReadTrace has read the trace to its end
// all the same, each run's part ended at its gap, so a reader of several
// traces can go on with the next.
var ErrLost = errors.New("what the run did from here cannot be checked")

func checkOutput(l *traceLine) error {
	switch {
	case l.Target == "":
		return errNoTarget
	case l.Action == "":
		return errNoAction
	case l.Action != "move" && l.Action != "detach" && l.Action != "switch":
		return fmt.Errorf("%w %q", errBadAction, l.Action)
	case math.IsNaN(l.Value):
		return errNoValue
	case l.Action == "switch" && l.Value != 0 && l.Value != 1:
		return fmt.Errorf("%w: %g", errBadSwitch, l.Value)
	}
	return nil
}

// checkTarget refuses an output to an axis or switch the Limits do not
// name: the Monitor would ignore it, and a trace checked against rules
// that name its outputs otherwise (a switch renamed from laser to beam)
// would pass, unchecked.
func (m *Monitor) checkTarget(l *traceLine) error {
	if l.Action == "switch" {
		if _, ok := m.swIdx[l.Target]; !ok {
			return fmt.Errorf("%w: %q (check the trace with the rules it was made with)", errNoSwitch, l.Target)
		}
		return nil
	}
	if _, ok := m.axisIdx[l.Target]; !ok {
		return fmt.Errorf("%w: %q (check the trace with the rules it was made with)", errNoAxis, l.Target)
	}
	return nil
}
