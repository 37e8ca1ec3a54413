package web

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/cattease/cattease/actuators/safety"
	"github.com/cattease/cattease/control"
)

// Frame is the overlay's and the panel's whole view of the rig, as sent by
// GET /api/status and in every "state" event of GET /api/events. Each frame
// stands alone: a client that missed some loses nothing but time.
type Frame struct {
	Seq  uint64    `json:"seq,omitempty"`
	Time time.Time `json:"time"` // server time: clients count down from it
	// Engine is the engine's status; Engine.Cooldowns are relative to Time.
	Engine control.Status `json:"engine"`
	Rig    safety.State   `json:"rig"`
	// Feed is the last accepted commands, newest first.
	Feed []KeyedDecision `json:"feed"`
	// Feedback is the live refusal lines, most recent first.
	Feedback []Refusal `json:"feedback"`
	// Decisions are the decisions (not ignored ones) since the previous
	// event, oldest first; Missed counts those left out of a busy batch.
	// A decision in Feed and in Decisions has the same Key.
	Decisions []KeyedDecision `json:"decisions,omitempty"`
	Missed    int             `json:"missed,omitempty"`
	// Labels are the commands' labels from rules.yaml, by rule name.
	Labels map[string]Label `json:"labels,omitempty"`
	// CommandsTag is the tag of what GET /api/commands lists now (see
	// commandsTag): it changes when a reload changes the panel's buttons.
	CommandsTag string `json:"commands_tag,omitempty"`
	// Sources are the chat sources, in the order they were started
	// (always an array, empty without Server.Sources).
	Sources []SourceStatus `json:"sources"`
	// LaserUnkept is, while the engine cannot keep the laser forbid on
	// disk (a full disk, a state directory turned read-only: it tries
	// again until it can), what a restart would lose: "forbid" (it would
	// allow again lasers forbidden since), "allow" (it would forbid again
	// lasers allowed since), "both"; absent while it is kept. The panel
	// warns of it beside its laser buttons.
	LaserUnkept string `json:"laser_unkept,omitempty"`
}

// SourceStatus is one chat source as the overlay and the panel show it:
// whether viewers' commands can reach the rig now, and since when.
type SourceStatus struct {
	// Platform is "bilibili", "bilibili-open", "douyu" or "console".
	Platform string `json:"platform"`
	// Room is the room as the streamer named it; for the Open Platform,
	// whose 身份码 is never shown, the room id the platform gave once the
	// game started ("" before).
	Room string `json:"room"`
	// State is "connecting" (started, not yet connected), "connected",
	// "reconnecting" (the connection was lost or an attempt failed; the
	// source keeps trying) or "ended" (stopped for good).
	State string `json:"state"`
	// Since is when State began: for reconnecting, when the connection
	// was lost, kept through the attempts that fail after it.
	Since time.Time `json:"since,omitzero"`
	// Attempts counts, while reconnecting, the attempts that failed
	// since the connection was lost, the loss included.
	Attempts int `json:"attempts,omitempty"`
	// Error is, while reconnecting or ended, the class of the last error:
	// timeout, refused, dns, network, tls, closed, auth, api, not_found,
	// protocol or other; never the error's text.
	Error string `json:"error,omitempty"`
	// LastEvent is when the source last handed on an event (absent before
	// the first); Events counts them.
	LastEvent time.Time `json:"last_event,omitzero"`
	Events    uint64    `json:"events"`
	// DecodeErrors counts messages the source could not decode, and
	// Reconnects the connections it lost or could not make.
	DecodeErrors uint64 `json:"decode_errors"`
	Reconnects   uint64 `json:"reconnects"`
}

// snapshotFrame gathers the current state. It calls the engine and the rig,
// so it must never run under their locks (nor under hub.mu).
func (s *Server) snapshotFrame() Frame {
	now := s.now()
	f := Frame{Time: now}
	if s.Engine != nil {
		f.Engine = s.Engine.Status(now)
	}
	if s.Rig != nil {
		f.Rig = s.Rig.Snapshot()
	}
	f.Feed, f.Feedback = s.hub.snapshot(now)
	f.Labels = s.labels()
	if s.Engine != nil {
		f.CommandsTag = commandsTag(s.Engine.Commands(), f.Labels)
	}
	if k, ok := s.Engine.(laserKeeper); ok {
		f.LaserUnkept = k.LaserUnkept()
	}
	if s.Sources != nil {
		f.Sources = s.Sources()
	}
	if f.Sources == nil {
		f.Sources = []SourceStatus{} // an array for the clients, never null
	}
	return f
}

// frame is the JSON of one event's frame.
func (s *Server) frame(seq uint64, batch []KeyedDecision, missed int) []byte {
	f := s.snapshotFrame()
	f.Seq, f.Decisions, f.Missed = seq, batch, missed
	b, err := json.Marshal(f)
	if err != nil { // only a NaN could do this; say so rather than send nothing
		s.Log.Error("web: encode frame", "err", err)
		b, _ = json.Marshal(Frame{Seq: seq, Time: f.Time})
	}
	return b
}

func (s *Server) handleStatus(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, s.snapshotFrame())
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v) // the client went away; nothing to do
}
