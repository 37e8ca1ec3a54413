// Package monitor checks the safety invariants of actuators/safety on a
// recorded output stream, independently of the envelope that produced it.
//
// It is written from the invariants stated in the package documentation of
// actuators/safety, never from that package's code: it imports nothing of
// it and shares no geometry or motion helpers, so that one bug cannot hide
// in both. A Monitor is fed the outputs in time order (Output), told where
// processes end (Restart, End), and lists what it found (Violations).
//
// Rules checked, by name: "range", "ceiling", "keep_out", "home",
// "hold", "limp", "speed", "accel", "late", "fault", "duty",
// "light_budget", "dwell", "daily", "session", "quiet_hours" and "stop". "home" is the last sentence of
// invariant 3: where a servo is, is unknown at the start of every process,
// and again once it is detached during the hold (below); every delivered
// angle of an axis whose position is unknown (where the servo was is
// unknown, so no speed is checked) must be the axis's home. That angle is
// the axis's homing, and the axis is known from then on. Homings and the
// hold after them are no session activity: a restart is not play; nor is
// the park on the way out (Event.Exit, moving home), within a park's time
// of the process's first marked output, unless the process goes on after
// it (its moves then count as play, back to the first of them). Nor is a restart rest ("session", invariant 7 says
// nothing of processes): the session (its start, its last activity) goes
// on across a restart line that keeps the state, and the time the process
// was down counts as rest only by the wall clock between the last
// activity and the next (a process that ran on after a step of the wall
// clock wrote times off it, Event.Wall; the next one's are its readings).
// A restart that does not keep the state (keep_state false, a dry run,
// which keeps no state file) starts its session afresh, as it does the
// light budget and the daily account.
//
// "hold", on a rig with a laser (a wand has none): a homing is a jump at
// the servo's own speed from wherever it was, and the dot is not where
// the angle says until the servo has surely arrived. The hold of a
// process runs from its first homing until every axis is homed and
// settle has passed since the latest homing H. At no output instant t
// with some axis unknown, or with t < H + settle (less 1e-9 s), is a
// laser switched on (none lit earlier stays lit: a restart darkens them
// all, and after the hold no axis becomes unknown); and every delivered
// angle during the hold is its axis's home (one report an axis from its homing on). settle is the
// largest, over the axes, of the time of a rest-to-rest move over the
// axis's whole range d = max − min at its speed v and acceleration a:
// d/v without an acceleration limit; d/v + v/a if d ≥ v²/a (it reaches
// full speed); else 2·√(d/a). The shipped rules: pan's 90° at 90°/s and
// 600°/s², 1.15 s (tilt's 35° at 60°/s and 400°/s², 0.733 s). It assumes,
// as the speed and acceleration limits do, that the servo keeps up with
// them. No axis is detached during the hold but by an emergency stop
// (a stop line before it); one detached then (a stop's limp servo) may
// be pushed anywhere: it is unknown again, its next angle is a homing,
// and the hold counts again from it. A homing that failed
// (below) homed nothing: the axis stays unknown and the hold counts from
// the homing delivered.
//
// "limp", on a rig with a laser: while any servo axis of the rig is
// detached, every laser is dark. When a detached axis gets its next angle
// at time A, it holds that angle (no other angle for that axis) and every
// laser stays dark until A + settle (less 1e-9 s, as the hold reads it),
// settle being the same whole-range rest-to-rest time as the hold after a
// homing. An emergency stop's limp servos are covered by the same rule.
// A limp servo may be pushed anywhere, and its next angle jumps it back
// at its own speed, after the hold as during it. Detached is a detach
// delivered in the process with no angle of the axis since; the state at
// the end of an output instant is what the lasers light (a laser on is
// reported at once). Where the hold runs (a process's start, a detach
// during it) it keeps the lasers dark and the angles home for longer, and
// the hold reports what breaks it; "limp" reports the rest, once until
// the rule holds again (a laser), once a held angle (an axis).
//
// "late" is the stop of a moving axis that the motion loop did not send:
// after an axis's last angle, at a velocity v with |v| > accel·τ, the
// stream sent nothing at all for more than 2.5τ. No tick came: the loop
// stalled (a machine too busy), and the servo, which holds the last angle
// it was sent, stopped without braking. Software cannot brake through a
// stall, and the envelope starts again from rest after one; it is a
// violation all the same, reported apart from "accel", which is kept for
// the changes between consecutive ticks (an output within 2.5τ of the
// angle shows a tick that left the axis still). A trace cannot tell a
// stall from a move cut short with nothing else sent; a replay's ticks
// are exact, and none of them stalls.
//
// "fault" is the stop of a moving axis that its driver made: the axis's
// own write failed (Event.Failed) at the first output instant after its
// last angle (a tick, up to 2.5τ late: after a longer gap the stall
// stopped the servo first, "late"), and no angle of it came at that
// instant after all. The servo, which holds the last angle it got, never
// got the angle that would have braked it, and stopped there from its
// velocity v, whatever its next angle: with |v| > accel·τ that is a
// violation, reported at the failed write, apart from "accel" and
// "late": the wiring or the power (the servo HAT's supply, the I²C
// cable) is at fault, not the envelope nor a busy machine. A write cut
// short as the motion loop stops (which starts no backoff) is read the
// same: the servo got nothing, and stopped. Its next angle starts from
// rest; a detach before it leaves it limp, and during an emergency stop
// a next output within 2.5τ may find it stopped from accel times the
// time since its last angle (a late tick's braking). Nothing else
// is a fault: another axis's or a switch's failed write (a laser whose
// off failed holds the dot, and its axes' stop is "accel"), a failure at
// a later tick than the one the axis's stop came at, or a stop after the
// axis was driven again.
//
// "accel" reads a late tick as invariant 3 does: a move within 2.5τ of
// the one before goes on with it, and its velocity may change by accel
// times their time difference, if no output instant came between them.
// One that did is a tick that got no angle of the axis: it had velocity 0
// there, its stop is checked at it, and its next angle starts from rest
// over τ. The stop at the end of a move (the same
// angle again) is the exception: no tick's length is known ahead, so a
// move lands at a speed it can stop from within τ, accel·τ, however late
// its stop comes. An emergency stop's braking is not a landing: it brakes
// within its acceleration over the ticks as they come ("stop").
//
// "quiet_hours" reads the wall clock an output was sent at (Event.Wall, a
// trace line's "wall") where it differs from the output's time, which a
// live run keeps to real time across a step of the wall clock. A step of a millisecond or more that carries the
// wall clock into quiet hours from outside them lets the first output
// after it park, as at their start; a step inside them lets nothing move.
// A step the live run followed at once (its times jump with the wall
// clock) shows only in the wall clock's reading the tick before, on the
// outputs of the tick of the step (Event.WallBefore, "wall_before").
// The park at the start of a process (or after a step) that the hold
// delays counts from the hold's end: every angle of the hold is home. The
// park a live run makes on its way out is marked (Event.Exit,
// "exit"): in quiet hours its angles pass if each goes towards the axis's
// home (or brakes, as a park from full speed first must), within a park's
// time of its first marked output, and nothing of the process follows but
// halts (detach, switch off), the end or a restart. Speed and acceleration
// are checked on them as on any angle; a laser they light is flagged, and
// if the process goes on after them their angles count as any other.
//
// "stop" is the emergency stop as the README promises it (laser off at
// once, the servos brake within their acceleration and go limp, every
// command refused until resumed), between a stop and a resume (Stop,
// Resume: a trace's "stop" and "resume" lines, which the side that asked
// writes, not the envelope: the stop once the rig has taken it, so every
// output after it is of a tick after the stop; the resume before the rig
// is told). Until the resume: no output switches anything on; every laser
// lit at the stop is dark at the end of the first output instant after
// it, and 2.5τ after it at the latest (a tick, however late; as speed and
// accel read consecutive ticks); each angle of an axis brakes: slower
// than the one before, on the way it went, none once the axis is at rest
// or limp (a detach is allowed at any time), and none later than braking
// from its speed at the stop at its acceleration takes, plus 2.5τ; and
// each axis attached at the stop goes limp (a detach) at the tick after
// it came to rest, which may come 2.5τ late too: within 2.5τ of its stop
// angle (its first angle during the stop that does not move it), and of
// that braking time (one at rest at the stop: within it and a tick),
// unless the resume or the process's end comes first. The resume checks
// what was due by its time, whether or not an output came before it. The
// stop's time is its requester's clock, the wall clock live: it is put on
// the outputs' clock by the wall clock's offset at the latest output
// (Event.Wall), and never before that output. A stopped rig homes
// nothing: an axis whose position was unknown at the stop (never homed
// in the process, or left limp during its hold) gets no angle until the
// resume, not even its home, nor does one left limp during the hold
// since (an angle to it is sent to a servo the stop left limp). A
// restart that keeps the state keeps the stop, as the state directory
// does on the hardware ("On the hardware the stop is kept in the state
// directory"), and the process it starts gives its servos "no pulse (not
// even to go home)": every angle it sends before the resume is flagged.
// One that does not (a dry run, keep_state false) ends it. A trace
// without stop lines is checked as before.
//
// Geometry. A dot (pan p, tilt t) points the beam along u(p, t) =
// (sin t·cos p, sin t·sin p, −cos t): tilt 0° is straight down at the
// floor, 90° the horizon, pan turns about the vertical, and tilt may be
// negative. The angle between two dots is the central angle between their
// beams, 2·asin(|u1 − u2|/2), not a distance in pan/tilt degrees: near
// tilt 0° a large pan change barely moves the beam (about Δpan·sin t).
// "dwell": the dot is within dwell_radius of a spot when the angle
// between them is at most dwell_radius. "keep_out": a zone's region R is
// the beams u(p, t) with p and t in its pan and tilt ranges. A beam has
// several names, u(p, t) = u(p ± 360°, t) = u(p ± 180°, −t), and at tilt
// 0° every pan points straight down: R is its beams, whatever the name a
// dot gives them. The paths of invariant 2 are, for an instant: the
// straight line in pan/tilt degrees from the dot before it to the dot
// after it; the polyline through the dots its angle outputs leave, one
// axis after the other as the outputs came; and every path between the
// dots before and after it that moves each axis one way, as the servos
// moving together at their own speeds and accelerations may bow: they
// fill the box between the two dots (each angle between theirs), which
// is checked whole. If a laser is lit at an angle output of an instant
// or at its end, no dot of these paths points the beam into R (a dot on
// R's edge, give or take 1e-9°, does not), nor within keep_out_margin of
// R: the angle from the beam to R (0 inside; else the least angle to its
// two meridian arcs and two arcs of constant tilt) is at least the
// margin at every dot of every path and of the box, not only at their
// ends; an instant whose dot did not move checks the dot. A move is
// carried out during [t, t+τ) after its angle outputs at t: a laser lit
// at a later instant within τ of the latest instant with a pan or tilt
// angle output, dark until then, lights that instant's move, whose paths
// are checked as if it had been lit at its end. Along a
// straight move the least angle is found by branch and bound (the angle
// at the ends and at midpoints; lower bounds on the angle along a
// stretch, from how far the beam turns along it and from the ranges of
// its angles from straight down and of its azimuths): it is exact at the
// dots looked at, and a stretch is left once it is shorter than 1e-7° of
// beam angle, so a move may pass 5e-8° inside the margin unflagged
// between them. Over a box likewise, halving it across its larger side:
// the lower bound on a piece of it from those ranges is the least angle
// itself (less rounding) where the piece does not reach straight down or
// up. The envelope may keep more (it grows each zone into a
// larger pan/tilt rectangle); the monitor flags only a beam strictly
// closer than the margin (give or take 1e-9°). With a margin of 0 only R
// is kept out.
//
// Conventions. An output the driver did not take (Event.Failed: a trace
// line with an "error") was not delivered, and its target keeps its
// state for every rule: an angle not sent did not move the servo, nor
// home it; a failed switch write leaves the switch as it was (a failed
// off leaves a lit laser lit). Only time passes, and the wall clock is
// read. Angles compare with an absolute tolerance of 1e-9° (and a
// relative 1e-9 on velocities); durations are exact nanoseconds. Outputs
// at one instant form a group and are applied in arrival order. An output
// whose time is earlier than one already seen is taken to be at the latest
// time seen. A servo gets an instant's angles at once: a further angle of
// an axis at the instant of its last one (or at a time gone back, taken
// to be that instant) that differs from the instant's first by more than
// 1e-9° moved it in no time, a "speed" violation (once an instant); the
// move the first angle started goes on from it. A restart earlier than that starts the stream again at its
// own time (a process that ran on after the clock was set back wrote
// times ahead of the wall clock; the next one writes the wall clock's):
// the lasers' light carried over ends at the restart at the latest, and
// each day's laser account is that day's whenever the stream is in it
// (invariant 6: per local calendar day, across restarts): a day the
// stream left, before the restart or after it, counts on from its light
// when the stream comes back to it (the latest 8 days besides the current
// one are kept). Outputs for targets the Limits do not name, and unknown
// actions, are ignored by the Monitor; ReadTrace rejects both, naming the
// output: else a trace read with rules that name its outputs differently
// would pass unchecked.
//
// Memory is bounded: the only history kept is each switch's lit intervals
// inside its light-budget window, each duty-limited axis's angle instants
// inside its duty window, 9 days' laser accounts, and at most MaxStored
// violations.
package monitor
