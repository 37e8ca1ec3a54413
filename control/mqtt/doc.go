// Package mqtt links cattease to an MQTT v5 broker: the Home Assistant
// bridge (retained state, discovery, command topics) and the split
// topology, where the safety envelope and the play layer run on the Pi
// (Agent) and chat, rules and decisions run elsewhere (Remote, a
// control.Rig that sends requests over the broker).
//
// Topics, under a base (default "cattease") and a rig name:
//
//	<base>/<rig>/availability    online | offline (retained; the bridge's will)
//	<base>/<rig>/state           the bridge's state, JSON (retained)
//	<base>/<rig>/set/<command>   estop, resume, chat, laser, pattern, policy
//	<base>/<rig>/agent/…         the split topology: availability, state,
//	                             req (requests), rep (reports), hb (heartbeats)
//
// Requests are never retained, never queued offline and expire: see
// Judge for how a request's age is judged across two machines' clocks.
package mqtt
