package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"strings"
	"sync/atomic"
	"time"

	"github.com/cattease/cattease/actuators/safety"
	"github.com/cattease/cattease/control"
)

// view prints what happens on the terminal: each command's fate and the
// rig's position as it moves. It never blocks the engine: decisions go
// through a buffered channel, and a lagging terminal loses view lines
// (counted), never events.
type view struct {
	w       io.Writer
	on      bool
	ch      chan control.Decision
	dropped atomic.Uint64
}

func newView(w io.Writer, on bool) *view {
	return &view{w: w, on: on, ch: make(chan control.Decision, 256)}
}

func (v *view) decision(d control.Decision) {
	if !v.on || d.Outcome == control.Ignored || d.Reason == control.ReasonRan {
		return
	}
	select {
	case v.ch <- d:
	default:
		v.dropped.Add(1)
	}
}

// output is the envelope's OnOutput hook; the view polls state instead.
func (v *view) output(safety.Output) {}

func (v *view) run(ctx context.Context, env interface{ Snapshot() safety.State }) error {
	if !v.on {
		<-ctx.Done()
		return nil
	}
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	last := ""
	for {
		select {
		case <-ctx.Done():
			for len(v.ch) > 0 {
				fmt.Fprintln(v.w, formatDecision(<-v.ch))
			}
			if s := formatState(env.Snapshot()); s != last {
				fmt.Fprintln(v.w, s)
			}
			if n := v.dropped.Load(); n > 0 {
				fmt.Fprintf(v.w, "(%d decisions not shown: terminal too slow)\n", n)
			}
			return nil
		case d := <-v.ch:
			fmt.Fprintln(v.w, formatDecision(d))
		case <-t.C:
			if s := formatState(env.Snapshot()); s != last {
				fmt.Fprintln(v.w, s)
				last = s
			}
		}
	}
}

func formatDecision(d control.Decision) string {
	who := d.UserName
	if who == "" {
		who = "?"
	}
	rule := d.Rule
	if d.Repeat > 1 {
		rule = fmt.Sprintf("%s ×%d", rule, d.Repeat)
	}
	mark := "✔"
	if d.Outcome == control.Dropped {
		mark = "✘"
	}
	line := fmt.Sprintf("%s %s: %s → %s (%s)", mark, who, d.Text, rule, d.Reason)
	if d.RetryAfter > 0 {
		line += fmt.Sprintf(" retry in %.1fs", d.RetryAfter.Seconds())
	}
	return line
}

func formatState(st safety.State) string {
	var b strings.Builder
	b.WriteString("   ")
	for _, a := range st.Axes {
		fmt.Fprintf(&b, " %s %+.1f°", a.Name, a.Pos)
		if math.Abs(a.Pos-a.Target) >= 0.05 { // moving, as shown to 0.1°
			fmt.Fprintf(&b, "→%+.1f°", a.Target)
		}
	}
	for _, s := range st.Switches {
		state := "off"
		switch {
		case s.On:
			state = "ON"
		case s.Requested && s.Reason != "":
			state = "dark (" + string(s.Reason) + ")" // asked for, held dark: say why
		}
		fmt.Fprintf(&b, " %s %s", s.Name, state)
	}
	if st.Stopped {
		b.WriteString("  [EMERGENCY STOP]")
	}
	return b.String()
}
