// Package safety is the envelope that stands between every request and
// every driver, the mock included. Whatever the rules say and whatever the
// chat does, what reaches an actuators.Actuator has been clamped to the
// axis limits, moved no faster and accelerated no harder than each axis
// allows, and every switch has been kept within its on-time cap and
// cooldown. So --dry-run shows exactly what the Pi would do.
//
// # Time
//
// The Envelope is a state machine stepped with explicit times: Step(now)
// advances the motion loop by one tick, and every request carries the time
// it was made. Run drives Step from a real 50 Hz ticker; replay drives it
// from a virtual clock, so an hour of recorded chat replays in well under a
// second and tests need no sleeps.
//
// # Concurrency
//
// Requests, Step and Snapshot may be called from different goroutines; an
// internal mutex serialises them. Halt may be called at any time and does
// not wait for that mutex: it goes straight to the drivers.
package safety
