// Package actuators is the shared vocabulary between the motion layer and the
// hardware: the Actuator interface every driver implements, the Command it
// receives, the sentinel errors callers branch on, and a Registry that maps
// driver names to factories.
//
// An Actuator drives exactly one output: one servo axis or one switch (a
// laser, a relay). It is deliberately dumb. It never decides where to go,
// how fast, or for how long: the safety envelope and motion loop in
// actuators/safety sit in front of every driver, the mock included, and only
// ever hand a driver an already-safe Command.
//
// # Ownership
//
// Drivers borrow hardware: cmd/cattease opens buses and pins, hands them to
// the drivers, and closes them after every driver has been halted.
//
// # Halt
//
// Halt puts the output into its inert state: a switch off, a servo's pulses
// stopped. It is idempotent and safe to call from any goroutine, including
// concurrently with Do; after Halt, Do may return ErrHalted until the driver
// is used again through a fresh Command that the driver documents as
// re-arming it.
package actuators
