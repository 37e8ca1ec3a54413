// Package play is the play layer between the rule engine and the safety
// envelope: play sessions and rests, quiet hours, idle autoplay and the
// end-of-session ritual. It holds what is a matter of play policy rather
// than of hardware limits; everything it asks for still passes the
// envelope (actuators/safety), which it cannot bypass.
//
// Sessions are measured on what the rig actually did (the envelope's
// LastActivity: a move or a lit laser), not on requests: a session is a
// run of activity whose pauses are all shorter than the rest, so a pause
// shorter than the rest never resets the clock, and the dead man's park
// does not either. The homing every start makes is no activity: a restart
// starts no session. Nor is a restart rest: with Config.SessionFile the
// session (its first and last activity, a rest) is kept on disk, written
// at its start (ahead of the play that may start it) and end, at most
// once a second while the rig plays and at a clean exit (Close), and the
// next process goes on with it; the time it was down counts as rest only
// by the wall clock, from the last activity to the next (keep.go). A park (the dead man's, the layer's own) is activity,
// as the monitor counts every angle sent, but no play (LastPlay). After
// MaxPlay the laser goes dark, the dot parks on a catchable spot, a treat
// may drop, and chat is refused (cat_resting) until the rig has been
// still for Rest; a session in which nothing played (the rig only parked)
// and one that ends in quiet hours (which parked the rig already) end in
// the rest alone: no treat drops, none of the day's is used up.
//
// Quiet hours are wall-clock times in the streamer's time zone, so they
// hold across daylight-saving changes: the laser is dark and the rig
// parked from the tick before they begin. They are read on the wall
// clock's reading Pre is given, at once, not on the envelope's time,
// which keeps to real time across a step of the wall clock (it follows a
// step forward only once the rig has been still for a while, a step back
// never; see actuators/safety) and may be hours off. With quiet hours set
// and a clock that is not known to be right (Config.ClockSynced: a Pi
// without a real-time clock boots with fake-hwclock's time, maybe the
// afternoon at 3 a.m.), the layer keeps quiet hours, with no end time,
// until the clock is first synchronised, and the tick it hears so too
// (its reading may predate NTP's step), and counts it (clock_unsynced).
// Whatever the order of steps and answers, no tick plays on a reading
// from before the clock was known to be right.
//
// The times the layer tells (when play resumes, when a session ends), and
// the envelope's it passes on (until when a request is refused or
// clamped, its switches' times in Snapshot), are on the wall clock, which
// chat, the overlay and the gift credits read. A
// rest and quiet hours chain: a rest that ends in quiet hours is told to
// last until they end, and quiet hours that end in a rest, until it ends.
//
// Sessions, rests, autoplay's wait and the finale's pauses are real time,
// measured on the monotonic clock: when the wall clock is set back or
// forward (NTP's first answer after a Pi without a real-time clock boots,
// or a hand-set clock), they neither stretch nor end early. The jump is
// counted (clock_step) and logged. On a virtual clock (a replay, Step) the
// clock is the time: a jump forward is a silence that passed.
package play
