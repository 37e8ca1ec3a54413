// Package safety is the limit filter that stands between every request and
// every driver, the mock included, with the motion loop, the dead man and
// the watchdog. Whatever the rules, the play layer or the chat ask for,
// what reaches an actuators.Actuator obeys the invariants below, so
// --dry-run shows exactly what the Pi would do.
//
// # The invariants
//
// Every limit is a property of the stream of outputs the drivers receive,
// (t, output, action, value), not of requests or on-periods. An independent
// monitor (package actuators/monitor) checks them on recorded streams; it
// calls no code of this package (control/config, which it reads, uses
// Zone's geometry only so that check refuses what New would).
//
// Terms. τ is the motion tick (20 ms). A switch is lit from an "on" output
// until the next "off" output, or until the process ends (a crash, a kill
// or a clean exit: the halt that follows turns it off). The dot is the
// pair of the last angles sent to the axes whose roles are pan and tilt.
// An angle output at t commands the move from the previous angle to the
// new one, carried out during [t, t+τ); outputs at one instant reach the
// drivers in order: switch offs, then angles, then switch ons. The beam
// of a dot (pan p, tilt t) is its direction u(p, t) = (sin t·cos p,
// sin t·sin p, −cos t): tilt 0° points straight down, 90° at the horizon,
// and a negative tilt leans back past straight down. The angle between
// two dots is the angle between their beams, 2·asin(|u1 − u2| / 2): near
// straight down a large pan turn is a small angle (about Δpan·sin t).
// dwell_radius and keep_out_margin are such angles.
//
//  1. Range. Every angle is within its axis's [min, max]; every tilt angle
//     is strictly below the ceiling.
//  2. Keep-out. A zone's region is the beams u(p, t) of its pan range and
//     tilt range. A beam has many names, u(p, t) = u(p ± 360°, t) =
//     u(p ± 180°, −t), and so has a zone: its open pan/tilt rectangle, the
//     same a full turn of pan away, and its mirror leaning back past
//     straight down (pan half a turn away, tilt range negated). Straight
//     down, u(p, 0°), is the beam of every pan: a zone whose tilt range
//     holds 0° strictly inside has every dot at tilt 0° too (and likewise
//     straight up, 180°). Its reach is every dot inside one of those
//     rectangles, at such a tilt, or whose beam is nearer
//     than keep_out_margin to the region (with a margin of 0, the
//     rectangles alone). While a laser is lit, the dot is never in a
//     zone's reach, and no move carried out while a laser is lit (a laser
//     lit at any angle output of the instant, or after its last output)
//     meets a zone's reach: neither the straight segment from the dot
//     before the instant to the dot after it, nor the path through the
//     intermediate dots in output order, nor any path between the two that
//     moves each axis one way (the servos move together, each at its own
//     speed and acceleration, and may bow anywhere in the box between the
//     two dots). The envelope keeps the dot out of a pan/tilt rectangle
//     that holds the reach on the zone's side (Zone.Grow), and out of that
//     rectangle's other names that the axes reach (Zone.Aliases); a lit
//     move whose box meets one is dark (Zone.Sweeps). A move is carried
//     out during the τ after its angles: a laser lit at a real-time tick
//     that comes before that has passed lights the rest of the last
//     tick's move too, so that move's box must be clear as well.
//  3. Motion. For every axis, |Δ| ≤ speed·τ for every angle output, where Δ
//     is the change from the axis's previous angle; the velocity of a move
//     is Δ/τ, and an axis that got no angle output at the previous tick
//     (t−τ, within τ/2) had velocity 0 there. With accel > 0, consecutive
//     velocities differ by at most accel·τ, including the stop at the end of
//     a move (the tick after the last angle output, velocity 0) — unless that
//     tick detaches the servo, which leaves it limp. The first angle after a
//     detach starts from velocity 0 at the last angle sent. An angle of an
//     axis whose position is unknown is exempt; it is home (10). An angle
//     its driver did not take (Output.Err) moved nothing: the stop it
//     leaves at its tick is the hardware's, which nothing can brake, as a
//     stall's is (Driver faults, below); every other axis keeps to all of
//     this through the fault.
//     In real time a tick comes early or late, and the motion keeps to the
//     times the outputs were sent at: an angle within 2.5τ of the axis's
//     previous one, which moved it, goes on with that move, which lasted
//     their time difference g: |Δ| ≤ speed·g, its velocity is Δ/g, and it
//     differs from the one before by at most accel·g. An angle after one
//     that did not move the axis, after a detach or more than 2.5τ later
//     (the loop stalled, and the servo stopped) starts from rest over τ.
//     No tick's length is known ahead: the axis keeps room to brake onto
//     its target however the ticks fall, lands on it at a speed it can
//     stop from within τ, and sends the stop (the same angle again) at
//     the first tick that leaves time for it; a tick that comes earlier
//     gets no angle of that axis, and it starts no other move meanwhile.
//     With ticks of exactly τ, as in a replay, both readings agree.
//  4. Light budget. For every switch, in every time window of length
//     max_on + cooldown, the switch is lit for at most max_on: toggling, a
//     sequence, off+on within one tick or a restart changes nothing. With a
//     state file, restarts are part of the same stream for the lasers (the
//     ledger remembers their light; a treat dispenser starts afresh).
//  5. Dwell, on the dot at the end of each instant. A spot is the dot
//     where a laser lit while it was more than dwell_radius (default 1°,
//     the angle between beams) from every spot remembered; a spot is remembered while it has light
//     in the window below, within one process. On each spot, in every time
//     window of length 2·dwell_cap, a laser is lit with the dot within
//     dwell_radius of the spot for at most dwell_cap: a still dot is lit
//     dwell_cap (less the margin for a late tick, below), then dark as
//     long; toggling it, or sending it away and back, gets no more light
//     on the spot.
//  6. Daily. The laser switches' total lit time in each local calendar day
//     (safety.timezone, DST-correct) is at most daily_laser, across
//     restarts, crashes and crash loops of processes that share a state
//     file. The budget is leased on disk before light is emitted, so a
//     crash can only waste a reservation, never grant light twice. A lit
//     tick is charged the time until the next tick, however long it was.
//  7. Sessions (the play layer). Activity is an angle output or a lit
//     laser, except the homings (10): the homing every process starts with
//     is no play; nor is the park on the way out, home (Output.Exit), as
//     a stop during a session's rest makes it. A session is a run of activity
//     whose gaps are all shorter than rest; its span, first to last
//     activity, is at most max_play + park, where park is the longest a
//     park can take: braking from full speed, then any axis's whole range
//     at its speed and acceleration (range/speed + 2·speed/accel), plus 4τ.
//     So a pause shorter than rest does not reset the clock, nor does a
//     restart that keeps its state: the session goes on across it, the
//     time the process was down rest only by the wall clock from the last
//     activity to the next (the play layer keeps the session on disk).
//  8. Quiet hours (the play layer). Inside quiet hours, by local wall-clock
//     time (DST-correct; a start or end the clocks skip that night is the
//     first instant after the gap), no laser is lit and no angle is sent
//     after the first park of the quiet period (park as above). The wall
//     clock is the output's Wall where set: Run keeps t to real time
//     across a step of the wall clock (see Time), and says what the wall
//     clock read. A step of the wall clock into quiet hours is like their
//     start: one park may follow the first output after it. Run's park on
//     its way out (every switch off, the axes home, before it halts every
//     output) is no play: its outputs are marked (Output.Exit), and in
//     quiet hours they may bring the axes home, within a park's time.
//  9. Duty. An axis with a duty limit (max, window) counts τ of motion for
//     every instant at which it gets an angle output (several at one
//     instant count once); within any time window of length window, its
//     motion time is at most max. The count is per process: a new process
//     starts afresh. Before the cap is reached the axis brakes within its
//     acceleration and rests, refusing moves (reason resting) until its
//     window has room again; the envelope keeps one whole-range park in
//     reserve, so sessions, quiet hours and the dead man still park in
//     time (7, 8), and a brake always fits.
//  10. Homing and the hold (rigs with a laser). An axis's position is
//     unknown at the start of every process, and again once it goes limp
//     (a detach) before the hold below has ended, or while it was unknown.
//     It is known again at its next delivered angle, which is its home:
//     its homing. An output whose driver failed (Output.Err, the
//     trace's "error") was not delivered: a failed homing leaves the
//     axis unknown (it is tried again after the fault's backoff, at the
//     next request), a failed switch write leaves the switch as it was.
//     settle is the longest time any axis takes to cross its whole range
//     d = max − min from rest to rest at its speed v and acceleration a:
//     d/v with no acceleration limit, d/v + v/a if d ≥ v²/a, else
//     2·√(d/a) (the shipped rules: 1.15 s). Like every speed limit here,
//     it assumes the servo keeps up with its speed and acceleration. The
//     hold runs from the process's first homing until H + settle, H the
//     latest homing of any axis, and for as long as any axis is unknown.
//     No laser is lit while an axis is unknown or at t < H + settle: a
//     servo jumps home at its own speed from wherever it was left (a
//     crash, a braked stop), and the beam would sweep across the room lit.
//     During the hold every angle sent is the axis's home: moves and parks
//     asked meanwhile wait, then start from home at rest; and no axis is
//     detached but by an emergency stop. A process started under a stop
//     kept from before sends no angle until the resume; its homing comes
//     with the first move, light, Home or park asked after it. A rule that
//     allows something within some time of a process's start counts that
//     time from the end of the hold where the hold delays it. A rig
//     without a laser is not held.
//  11. Limp (rigs with a laser). While any servo axis of the rig is
//     detached, every laser is dark. When a detached axis gets its next
//     angle at time A, it holds that angle (no other angle for that axis)
//     and every laser stays dark until A + settle, settle being the same
//     whole-range rest-to-rest time as the hold after a homing. An
//     emergency stop's limp servos are covered by the same rule. A limp
//     servo goes wherever it is pushed, and its next angle snaps it back
//     at its own speed. So no servo is detached while a laser is lit or
//     asked for (detach_after waits; it stays driven); a limp one asked
//     to move, or under a laser asked for, is re-attached at its last
//     angle and held there for settle, the lasers dark, before it moves
//     and a laser lights (a laser asked for lights as long as it was
//     asked from then on); a park leaves a limp servo where it is.
//
// Emergency stop: every laser off at the next output instant, every axis
// brakes within its acceleration and then detaches; requests other than
// Resume are refused until Resume, which starts from where the axes are
// (an axis that went limp during the hold, or was never homed, is homed
// first, 10).
//
// Driver faults: an output whose write fails (Output.Err) was not
// delivered, and starts a backoff of 100 ms, doubled by each new failure
// up to 10 s (failures at one instant, such as a shared I²C bus failing
// every servo's write, are one). Every laser goes off at the next tick,
// and none is lit until the backoff has passed; the axes head
// home (under an emergency stop they brake, and stay; a parked rig, at
// a session's end or in quiet hours, stays at its park spot). An axis whose write
// failed gets no angle until the backoff has passed. The envelope assumes
// its servo holds its last delivered angle (or, limp, stays where that
// angle took it: a PCA9685 switches off a channel whose write failed), on
// the move that angle started until it gets there: its velocity at the
// fault is the one its delivered angles imply, and once the backoff has
// passed (more than 2.5τ) it is at rest there, where its next angle starts
// from (3). Every other axis is driven on, from its speed, within its
// limits: a fault stops no servo that its failure did not. But a laser
// whose off failed may be lit still, and a lit dot that cannot be darkened
// must not move (2): the dot's axes then get no angle either until the
// backoff has passed, a hard stop as a failed axis's. Offs and detaches go
// out whatever the backoff. A write cut short because the motion loop is
// stopping (its context is done) starts no backoff, but its servo got
// nothing at that tick all the same: it stopped at its last delivered
// angle, the hardware's stop (3), and the axis's next angle starts from
// rest there, not on the move. Run's halt on its way out goes straight to every driver, the
// lasers first, and returns the halts that failed (a dead bus).
//
// The dead man: with no request for dead_man, every switch goes off and
// every axis goes home within its limits, then detaches. The watchdog: if
// the motion loop stalls, every switch is halted from an independent timer.
//
// A time-based limit holds until the next tick, however late it comes: a
// switch is lit at t only if every limit (the light budget, the dwell cap,
// the daily budget and the midnight it starts again at, the duration a
// request asked for) allows it until t+2.5τ. A real-time tick comes by
// then unless the motion loop stalls (3): a tick that comes late, up to
// that, stretches none of them. A stall longer than that may, until the
// watchdog switches everything off. With ticks of exactly τ the limits
// are 1.5τ stricter than they need be.
//
// # Time
//
// The Envelope is a state machine stepped with explicit times: Step(now)
// advances the motion loop by one tick, and every request carries the time
// it was made. Run drives Step from a real 50 Hz ticker; replay drives it
// from a virtual clock, so an hour of recorded chat replays in well under a
// second and tests need no sleeps. Run's time is the wall clock kept to
// real time: when the wall clock is stepped, it follows a step forward
// only once the rig is quiet and a step back never (clock.go); meanwhile
// each output carries the wall clock's reading too (Output.Wall), and the
// outputs of the tick at which either clock jumps carry the wall clock's
// reading the tick before (Output.WallBefore): a step followed at once
// moves both together, which Output.Wall cannot show.
//
// # Concurrency
//
// Requests, Step and Snapshot may be called from different goroutines; an
// internal mutex serialises them. Halt may be called at any time and does
// not wait for that mutex: it goes straight to the drivers. The daily
// ledger is written outside that mutex, by its own goroutine (Run) or at
// the end of Step (replay).
package safety
