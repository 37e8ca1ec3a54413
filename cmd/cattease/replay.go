package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/monitor"
	"github.com/cattease/cattease/actuators/safety"
	"github.com/cattease/cattease/actuators/safety/plot"
	"github.com/cattease/cattease/cmd/cattease/internal/i18n"
	"github.com/cattease/cattease/control/config"

	"github.com/cattease/cattease/control"
	"github.com/cattease/cattease/danmu"
	"github.com/cattease/cattease/danmu/replay"
)

// cmdReplay runs recorded events through the same rules, envelope and mock
// outputs on a virtual clock and prints the JSON-lines trace.
func cmdReplay(ctx context.Context, args []string, s stdio) int {
	fs, path := newFlags("replay", s)
	strict := fs.Bool("strict", false, "stop at the first bad line instead of skipping it")
	plotPath := fs.String("plot", "", "also draw the dot's path, the limits and the keep-out zones to this SVG file")
	verify := fs.Bool("verify", false, "check every output against the safety invariants with the independent monitor; print each violation and exit 1 if any")
	state := fs.Bool("state", false, "keep the daily laser account in a file as a live run does, starting from safety.state_file's, which is read but never written (default: in memory)")
	if fs.Parse(args) != nil || fs.NArg() != 1 {
		fmt.Fprintln(s.err, "usage: cattease replay [-c rules.yaml] [--strict] [--verify] [--state] [--plot path.svg] FILE")
		return 2
	}
	f, rules, err := loadRules(*path)
	if err != nil {
		printErrors(s, err)
		return 1
	}
	if *state {
		done, err := replayLedger(f, s.err)
		if err != nil {
			fmt.Fprintln(s.err, err)
			return 1
		}
		defer done()
	}
	in, err := os.Open(fs.Arg(0))
	if err != nil {
		fmt.Fprintln(s.err, "cattease:", err)
		return 1
	}
	defer in.Close()
	bad := 0
	opts := control.ReplayOptions{}
	if !*strict {
		opts.OnBadEvent = func(err error) {
			bad++
			switch {
			case bad <= maxShownBad:
				fmt.Fprintln(s.err, "skipped:", err)
			case bad == maxShownBad+1:
				fmt.Fprintf(s.err, "more bad lines: counted, not shown\n")
			}
		}
	}
	// The trace is JSON lines for machines: write it below the translating
	// writer, which would copy and split a million lines for nothing.
	// Its lines are built on a goroutine of their own, beside the engine's.
	// The first error writing it (stdout closed: `replay … | head`) ends
	// the replay at once, instead of a replay to the end for nothing.
	raw, _ := i18n.Unwrap(s.out)
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	trace := control.NewPipedTrace(&stopOnError{w: raw, stop: stop})
	defer trace.Close()
	log := newLogger(s, false)
	rec := &plot.Recorder{}
	var mon *monitor.Monitor
	if *verify {
		lim, err := monitor.FromConfig(f)
		if err != nil {
			fmt.Fprintln(s.err, err)
			return 1
		}
		mon = monitor.New(lim)
	}
	onOutput := func(o safety.Output) {
		trace.Output(o)
		if *plotPath != "" {
			rec.Add(o)
		}
		if mon != nil { // an output the driver did not take too: the monitor holds it as not delivered
			mon.Output(monitorEvent(o))
			mon.SetLine(trace.Lines())
		}
	}
	// The rig starts where the live run's did, at the record's start line
	// before the first event (the live rig homed then, and held still a
	// settle time), or in a record made before start lines were written
	// far enough before the first event that the rig is there as a live
	// one left alone (startLead); its day (for the daily budget) is
	// the recording's. The first event is read here and handed to the
	// replay after the start: the input is read once, and a pipe replays
	// whole.
	events, err := peekEvents(replay.NewDecoder(in), opts.OnBadEvent)
	if err != nil {
		fmt.Fprintln(s.err, err)
		return 1
	}
	if events == nil {
		if bad == 0 {
			fmt.Fprintf(s.err, "cattease: %s: no event to replay\n", fs.Arg(0))
		} else {
			fmt.Fprintf(s.err, "cattease: %s: no event to replay, only %d bad line(s): replay reads a file of run --record (a --trace file is checked with cattease verify)\n", fs.Arg(0), bad)
		}
		return 1
	}
	lead := startLead(f, safety.DefaultTick)
	switch start := events.begin(lead.start); {
	case start.After(events.firstAt) && lead.limp:
		fmt.Fprintf(s.err, "cattease: %s: its start line is later than its first event (the clock was set back): the rig starts %v before the first event, homed, still and its servos limp (detach_after) by then, as a live rig left alone\n", fs.Arg(0), lead.start)
	case start.After(events.firstAt):
		fmt.Fprintf(s.err, "cattease: %s: its start line is later than its first event (the clock was set back): the rig starts %v before the first event, homed and still by then\n", fs.Arg(0), lead.start)
	case !start.IsZero():
	case lead.start == 0: // a rig without a laser: no hold after homing
		fmt.Fprintf(s.err, "cattease: %s has no start line (recorded by an older cattease, or begun by --record-max's rotation: replay the files in order): the rig starts at the first event\n", fs.Arg(0))
	case lead.limp:
		fmt.Fprintf(s.err, "cattease: %s has no start line (recorded by an older cattease, or begun by --record-max's rotation: replay the files in order): the rig starts %v before the first event, homed, still and its servos limp (detach_after) by then, as a live rig left alone\n", fs.Arg(0), lead.start)
	default:
		fmt.Fprintf(s.err, "cattease: %s has no start line (recorded by an older cattease, or begun by --record-max's rotation: replay the files in order): the rig starts %v before the first event, homed and still by then\n", fs.Arg(0), lead.start)
	}
	r, err := buildRig(f, rigMode{dryRun: true, replay: true, ledger: *state, rulesPath: *path}, events.start, log, onOutput)
	if err != nil {
		fmt.Fprintln(s.err, err)
		return 1
	}
	defer r.halt()
	eng, err := control.New(rules, r.play, control.Options{OnDecision: trace.Decision})
	if err != nil {
		fmt.Fprintln(s.err, err)
		return 1
	}
	// The emergency stops in the record (a moderator's 停) reach the trace
	// and the check, as a live run's do.
	eng.TraceStops(func(t time.Time) {
		trace.Stop(t)
		if mon != nil {
			mon.Stop(t)
			mon.SetLine(trace.Lines())
		}
	}, func(t time.Time) {
		trace.Resume(t)
		if mon != nil {
			mon.Resume(t)
			mon.SetLine(trace.Lines())
		}
	})
	var back struct {
		n     int
		max   time.Duration
		lines []string // the first maxShownBack
	}
	opts.OnBackInTime = func(at, latest time.Time, line int) {
		back.n++
		back.max = max(back.max, latest.Sub(at))
		if len(back.lines) < maxShownBack {
			back.lines = append(back.lines, strconv.Itoa(line))
		}
	}
	var clockBack struct {
		n   int
		max time.Duration
	}
	opts.OnClockBack = func(start, latest time.Time, _ int) {
		clockBack.n++
		clockBack.max = max(clockBack.max, latest.Sub(start))
	}
	// A run restarted on a clock set back begins the homing hold after
	// the latest time before it, at the soonest: a restart homes the rig
	// and holds it still before it runs any command.
	opts.RestartLead = lead.hold
	// The restarts the engine got to: the decoder reads ahead of it.
	reached := events.firstStarts
	opts.OnRestart = func(starts int) { reached = starts }
	// The live rig's first step, which homes it, is at its start, and the
	// replay's clock counts its ticks from there, as the live motion loop
	// counted them.
	eng.Tick(events.start)
	r.play.Step(ctx, events.start)
	opts.Start = events.start
	end, err := control.ReplayUntil(ctx, events, eng, r.play, opts)
	if n := events.restarts(reached, err == nil); n > 0 {
		fmt.Fprintf(s.err, "cattease: %s: %d start line(s) after the first event, where the live run restarted: replayed as one run (cooldowns, the queue, votes and sessions carry on, the rig is not homed again)\n", fs.Arg(0), n)
	}
	switch {
	case clockBack.n == 0:
	case lead.hold > 0:
		fmt.Fprintf(s.err, "cattease: %s: %d of the restarts began earlier than the latest time before them, by up to %v (the clock went back: a Raspberry Pi has no clock of its own and boots on the time it saved last): each of those runs is replayed from %v after that latest time on (the homing hold, the soonest a restarted rig runs a command), its events moved on with it, their spacing kept; how long the live restart really took is not in the record, and the cooldowns and the rate limit of the run before carry on into it, where the live run began them afresh (so does the laser's light budget, which only a --dry-run began afresh): commands in its first seconds can be decided otherwise than live (dropped for a cooldown where live accepted them), and the decisions after them with them\n",
			fs.Arg(0), clockBack.n, clockBack.max, lead.hold)
	default:
		fmt.Fprintf(s.err, "cattease: %s: %d of the restarts began earlier than the latest time before them, by up to %v (the clock went back: a Raspberry Pi has no clock of its own and boots on the time it saved last): each of those runs is replayed from that latest time on, its events moved on with it, their spacing kept; how long the live restart really took is not in the record, and the cooldowns and the rate limit of the run before carry on into it, where the live run began them afresh (so does the laser's light budget, which only a --dry-run began afresh): commands in its first seconds can be decided otherwise than live (dropped for a cooldown where live accepted them), and the decisions after them with them\n",
			fs.Arg(0), clockBack.n, clockBack.max)
	}
	if back.n > 0 {
		lines := strings.Join(back.lines, ", ")
		if back.n > len(back.lines) {
			lines += ", …"
		}
		fmt.Fprintf(s.err, "%d event(s) went back in time, by up to %v, on line(s) %s: each was decided at the latest time before it\n", back.n, back.max, lines)
	}
	// The exit's park, as the Pi's at a clean exit: every switch off, the
	// axes home within their park time, so the trace ends as the live one
	// would ("dry-run shows what the Pi would do"); with --state the
	// account is then saved as at a clean exit.
	r.env.ParkForExit()
	for i := 0; i == 0 || !r.env.Settled() && time.Duration(i)*r.env.Tick() <= safety.MaxParkTime; i++ {
		end = end.Add(r.env.Tick())
		r.play.Step(context.WithoutCancel(ctx), end)
	}
	if *state {
		if serr := r.env.SaveState(); serr != nil && err == nil {
			err = serr
		}
	}
	// A trace that failed ended the replay (stopOnError): its error is
	// the one to tell, not the replay's cancelled context.
	if ferr := trace.Close(); err == nil || ferr != nil && errors.Is(err, context.Canceled) {
		err = ferr
	}
	if err != nil {
		fmt.Fprintln(s.err, err)
		return 1
	}
	if bad > 0 {
		fmt.Fprintf(s.err, "%d bad line(s) skipped\n", bad)
	}
	if mon != nil {
		mon.End(end)
		mon.SetLine(trace.Lines())
		if n := mon.Count(); n > 0 {
			for _, v := range mon.Violations() {
				if v.Line > 0 { // the line of the trace printed where it was found
					fmt.Fprintf(s.err, "violation: trace line %d: %v\n", v.Line, v)
				} else {
					fmt.Fprintln(s.err, "violation:", v)
				}
			}
			fmt.Fprintf(s.err, "%d safety violation(s)\n", n)
			return 1
		}
	}
	if *plotPath != "" {
		if err := writePlot(*plotPath, rec, r.play.Snapshot(), f, fs.Arg(0)); err != nil {
			fmt.Fprintln(s.err, err)
			return 1
		}
	}
	return 0
}

// replayLedger points f's safety.state_file at a copy of the live daily
// laser account, in a directory of its own that done removes. The replay
// keeps that account as a live run does (read at the start, saved as the
// laser is lit), but never in the live file: replayed light is no real
// light, and would be charged to today's real budget, and a live run may
// be keeping that file at the same time, whose larger amount the replay's
// last save would overwrite. It tells stderr which file it copied, and
// warns when there is none: a login user's state directory is not the
// service's, and a replay from an empty account looks like one from the
// day's real one.
func replayLedger(f *config.File, stderr io.Writer) (done func(), err error) {
	live, err := f.LedgerPath()
	if err != nil {
		return nil, fmt.Errorf("cattease: --state: %w", err)
	}
	b, err := os.ReadFile(live)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		fmt.Fprintf(stderr, "cattease: --state: warning: %s does not exist: the replay starts from an empty laser account\n", live)
		fmt.Fprintf(stderr, "cattease: --state: to start from the service's account, run: sudo -u cattease env STATE_DIRECTORY=/var/lib/cattease cattease replay --state …\n")
	case err != nil:
		return nil, fmt.Errorf("cattease: --state: %w", err)
	default:
		fmt.Fprintf(stderr, "cattease: --state: the replay starts from a copy of the laser account %s\n", live)
	}
	dir, err := os.MkdirTemp("", "cattease-replay-")
	if err != nil {
		return nil, fmt.Errorf("cattease: --state: %w", err)
	}
	done = func() { os.RemoveAll(dir) }
	cp := filepath.Join(dir, filepath.Base(live))
	if b != nil {
		if err := os.WriteFile(cp, b, 0o600); err != nil {
			done()
			return nil, fmt.Errorf("cattease: --state: %w", err)
		}
	}
	f.Safety.StateFile = cp
	return done, nil
}

// stopOnError is the replay's trace writer w that calls stop at its first
// error: the trace stops at that error anyway, and the replay, which would
// run on to its end for nothing (hours of virtual time are seconds of
// CPU), stops with it.
type stopOnError struct {
	w    io.Writer
	stop context.CancelFunc
}

func (s *stopOnError) Write(p []byte) (int, error) {
	n, err := s.w.Write(p)
	if err != nil {
		s.stop()
	}
	return n, err
}

// maxShownBad is how many skipped lines replay names on stderr; the rest
// are counted. A file that is no recording at all (a trace, say) would
// otherwise print a line of stderr for each of its lines.
const maxShownBad = 100

// maxShownBack is how many lines of events that went back in time replay
// names; it counts them all.
const maxShownBack = 5

func writePlot(path string, rec *plot.Recorder, geo safety.State, f *config.File, input string) error {
	laser := ""
	for _, name := range sortedKeys(f.Hardware.Switches) {
		if f.Hardware.Switches[name].IsLaser(name) && laser == "" {
			laser = name
		}
	}
	out, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("cattease: plot: %w", err)
	}
	err = rec.WriteSVG(out, geo, plot.Options{Title: "cattease replay: " + filepath.Base(input), Laser: laser})
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("cattease: plot: %w", err)
	}
	return nil
}

// monitorEvent is an output in the monitor's terms (the trace's words):
// one the driver did not take (an error) is Failed, not delivered.
func monitorEvent(o safety.Output) monitor.Event {
	action := string(o.Action)
	if o.Action == actuators.ActionAngle {
		action = "move"
	}
	return monitor.Event{Time: o.Time, Wall: o.Wall, WallBefore: o.WallBefore, Exit: o.Exit, Failed: o.Err != nil,
		Target: o.Target, Action: action, Value: o.Value}
}

// peekedEvents are a recording's events, the first of them read already.
type peekedEvents struct {
	dec         *replay.Decoder
	first       danmu.Event
	firstRecv   time.Time // when first was received, if recorded
	firstAt     time.Time // when the replay decides first: firstRecv, or first's time
	firstLine   int       // first's line
	firstStarts int       // the start lines up to first
	start       time.Time // the rig's start (begin)
	pending     bool      // first is still to be handed out
	firstProc   time.Time // the start line before first (zero: none)
	recv        time.Time // when the event handed out last was received
	line        int       // the line of the event handed out last
	proc        time.Time // the start line before the event handed out last
	procs       int       // the start lines up to the event handed out last
}

// peekEvents reads dec up to its first event and returns the events from
// that one on, or nil if the input ends with none. Bad lines before it go
// to onBad; with onBad nil the first of them is returned as the error.
// Call begin before the first Next.
func peekEvents(dec *replay.Decoder, onBad func(error)) (*peekedEvents, error) {
	p := &peekedEvents{dec: dec}
	for {
		err := dec.NextInto(&p.first)
		switch {
		case err == nil:
			p.pending, p.firstRecv, p.firstLine, p.firstAt = true, dec.Received(), dec.Line(), p.first.Time
			if !p.firstRecv.IsZero() {
				p.firstAt = p.firstRecv
			}
			p.firstStarts, p.firstProc = dec.Starts(), dec.Start()
			return p, nil
		case errors.Is(err, io.EOF):
			return nil, nil
		case onBad != nil && errors.Is(err, replay.ErrBadEvent):
			onBad(err)
		default:
			return nil, fmt.Errorf("cattease: %w", err)
		}
	}
}

// begin sets the rig's start: the start line before the first event, the
// start of the process that received it, or where there is none (a record
// made before start lines were written) or it is later than the first
// event, lead before the first event (as the replay decides it, never
// later than control.MaxDecideTime). It returns the start line's time,
// zero for none.
func (p *peekedEvents) begin(lead time.Duration) time.Time {
	recorded := p.dec.Start()
	p.start = recorded
	first := p.firstAt // as the replay decides it: one in the last minute of 2261 a minute before 2262
	if first.After(control.MaxDecideTime) {
		first = control.MaxDecideTime
	}
	if recorded.IsZero() || recorded.After(first) {
		p.start = first.Add(-lead)
		if p.start.Before(replay.MinTime) {
			p.start = replay.MinTime
		}
	}
	return recorded
}

// restarts is how many start lines came after the first event: all of
// them for a replay that read its input to the end (whole), else those up
// to the last event decided, which came after reached start lines
// (control.ReplayOptions.OnRestart): the decoder has read further, up to
// its read-ahead, and those restarts were not replayed.
func (p *peekedEvents) restarts(reached int, whole bool) int {
	if whole {
		return p.dec.Starts() - p.firstStarts
	}
	return reached - p.firstStarts
}

// replayLead is where a replay starts its rig, relative to the first
// event, when the record does not say (startLead).
type replayLead struct {
	// hold is the envelope's hold after homing (safety.Config.SettleTime:
	// none on a rig without a laser), in whole ticks: the soonest a
	// restarted rig runs a command (control.ReplayOptions.RestartLead).
	hold time.Duration
	// start is how long before the first event a replay of a record
	// without a usable start line starts its rig: the hold, and on a
	// laser rig whose servos detach, their longest detach_after too, in
	// whole ticks.
	start time.Duration
	// limp: the rig's servos are limp by the first event (rule limp: its
	// first move or light waits for the re-attach's hold).
	limp bool
}

// startLead is where a replay starts its rig when the record does not
// say: the first event then finds the rig as it finds a live rig started
// long before it and left alone, homed and still, and on a laser rig
// (rule limp) its servos gone limp after detach_after, so the first move
// waits the re-attach's hold as it did live. Started only the hold before
// it, the rig is still driven there, and moves at once: a command the
// live run held was run, and under play.policy latest the next one was
// not superseded. A wand's servos go limp too, but it moves at once
// from there all the same: it starts at the first event. Each is at
// most a day; rules the envelope cannot take give none: building the
// rig says why.
func startLead(f *config.File, tick time.Duration) replayLead {
	c, err := envelopeConfig(f, rigMode{dryRun: true, replay: true}, slog.New(slog.DiscardHandler), nil)
	if err != nil {
		return replayLead{}
	}
	const most = 24 * time.Hour // far beyond any servo: a rig that slow never lights its laser anyway
	ticks := func(d time.Duration) time.Duration { return (min(d, most) + tick - 1) / tick * tick }
	l := replayLead{hold: ticks(c.SettleTime())}
	l.start = l.hold
	if l.hold == 0 {
		return l
	}
	for _, a := range c.Axes {
		if a.DetachAfter > 0 { // it detaches once at rest that long, and not within the hold
			l.limp = true
			l.start = max(l.start, ticks(a.DetachAfter))
		}
	}
	return l
}

// NextInto is the decoder's, the peeked event first; the replay's
// read-ahead takes events through it in place.
func (p *peekedEvents) NextInto(ev *danmu.Event) error {
	if p.pending {
		*ev, p.first, p.pending, p.recv, p.line = p.first, danmu.Event{}, false, p.firstRecv, p.firstLine
		p.proc, p.procs = p.firstProc, p.firstStarts
		return nil
	}
	err := p.dec.NextInto(ev)
	p.recv, p.line = p.dec.Received(), p.dec.Line()
	p.proc, p.procs = p.dec.Start(), p.dec.Starts()
	return err
}

// Start is the start line before the event handed out last (zero: none),
// and Starts how many came before it: the process that received it, whose
// clock may have been set back (control.ReplayOptions.OnClockBack).
func (p *peekedEvents) Start() time.Time { return p.proc }

func (p *peekedEvents) Starts() int { return p.procs }

// Line is the line of the event handed out last, for the events that go
// back in time.
func (p *peekedEvents) Line() int { return p.line }

// Received is when the event handed out last was received live (zero: not
// recorded): the replay decides it then.
func (p *peekedEvents) Received() time.Time { return p.recv }

func (p *peekedEvents) Next() (danmu.Event, error) {
	var ev danmu.Event
	err := p.NextInto(&ev)
	return ev, err
}
