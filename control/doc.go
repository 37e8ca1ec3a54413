// Package control turns chat events into paced requests to the safety
// envelope. For every event it decides, and records why:
//
//	normalize → match a command → permission → rate limits → play policy
//
// and every event gets a Decision: accepted, dropped (with a reason such as
// cooldown_user or queue_full) or ignored (ordinary chat, gifts). Accepted
// commands wait in the play policy's queue and run one at a time, paced,
// against the envelope; what the envelope changes or refuses when a command
// runs (clamped at a limit, laser resting, emergency stop) is recorded as a
// second Decision for the same event.
//
// The package touches no hardware and no sockets. Subpackages: config (the
// rules.yaml schema), match (text normalization and matching), limit (rate
// limits).
//
// # Time
//
// Handle and Tick take the time as an argument. Run calls them with the wall
// clock; replay calls them with event timestamps on a virtual clock.
package control
