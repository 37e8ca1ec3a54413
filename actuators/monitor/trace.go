package monitor

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"
)

// MaxLine caps one trace line.
const MaxLine = 64 << 10

// traceLine is the part of a trace line the monitor reads.
type traceLine struct {
	Kind      string    `json:"kind"`
	Time      time.Time `json:"time"`
	Target    string    `json:"target"`
	Action    string    `json:"action"`
	Value     float64   `json:"value"`
	KeepState bool      `json:"keep_state"`
}

// ReadTrace feeds a JSON-lines trace (as written by control.Trace) to m:
// "output" lines are outputs, a {"kind":"restart","time":…,"keep_state":…}
// line restarts the process, other kinds are skipped. At the end of the
// input the stream ends at the last time read (m.End). An output to an
// axis or switch that m's Limits do not name is an error naming it.
func ReadTrace(r io.Reader, m *Monitor) error {
	br := bufio.NewReaderSize(r, MaxLine)
	var (
		line traceLine
		last time.Time
		seen bool
	)
	for n := 1; ; n++ {
		b, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			return fmt.Errorf("monitor: trace line %d: longer than %d bytes", n, MaxLine)
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("monitor: trace line %d: %w", n, err)
		}
		if b = bytes.TrimSpace(b); len(b) > 0 {
			t, ok, perr := readLine(b, &line, m)
			if perr != nil {
				return fmt.Errorf("monitor: trace line %d: %w", n, perr)
			}
			if ok {
				last, seen = t, true
			}
		}
		if err != nil { // io.EOF
			break
		}
	}
	if seen {
		m.End(last)
	}
	return nil
}

var (
	errNoTime    = errors.New("no time")
	errBadAction = errors.New("unknown action")
	errNoTarget  = errors.New("no target")
	errBadSwitch = errors.New("switch value not 0 or 1")
	errNoAxis    = errors.New("no axis of that name in the rules")
	errNoSwitch  = errors.New("no switch of that name in the rules")
)

// readLine decodes one line into line and feeds it; ok reports whether it
// was an output or a restart, at t.
func readLine(b []byte, line *traceLine, m *Monitor) (t time.Time, ok bool, err error) {
	*line = traceLine{}
	if err := json.Unmarshal(b, line); err != nil {
		return t, false, err
	}
	if line.Kind != "output" && line.Kind != "restart" {
		return t, false, nil
	}
	if line.Time.IsZero() {
		return t, false, errNoTime
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
	m.Output(Event{Time: line.Time, Target: line.Target, Action: line.Action, Value: line.Value})
	return line.Time, true, nil
}

func checkOutput(l *traceLine) error {
	switch {
	case l.Target == "":
		return errNoTarget
	case l.Action != "move" && l.Action != "detach" && l.Action != "switch":
		return fmt.Errorf("%w %q", errBadAction, l.Action)
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
