package mqtt

import (
	"math"
	"time"

	"github.com/cattease/cattease/actuators/safety"
	"github.com/cattease/cattease/control"
)

// State is what the bridge publishes, retained, on the state topic; Home
// Assistant's entities read their fields with value templates.
type State struct {
	Position     map[string]float64 `json:"position"`      // axis → degrees
	LaserOn      bool               `json:"laser_on"`      // a laser emits now
	LaserAllowed bool               `json:"laser_allowed"` // the streamer's permission
	Stopped      bool               `json:"stopped"`       // emergency stop in force
	Paused       bool               `json:"paused"`        // chat control paused
	Chat         bool               `json:"chat"`          // chat control on (= !paused)
	Policy       string             `json:"policy"`
	QueueLen     int                `json:"queue_len"`
	Session      string             `json:"session"`        // play, rest, quiet, off
	SessionLeft  float64            `json:"session_left_s"` // until the phase ends; 0 = not by the clock
	LaserToday   float64            `json:"laser_today_s"`  // laser on-time today
	LastCommand  string             `json:"last_command"`   // rule of the latest decision
	LastUser     string             `json:"last_user"`      // who sent it
	LastOutcome  string             `json:"last_outcome"`   // accepted, dropped
	LastReason   string             `json:"last_reason"`    // why
	Link         string             `json:"link,omitempty"` // split topology: "up" or "lost"
}

// MakeState builds the published state from the engine's status and the
// rig's snapshot at now.
func MakeState(now time.Time, st control.Status, rig safety.State) State {
	s := State{Position: map[string]float64{}, Stopped: st.Stopped || rig.Stopped, Paused: st.Paused,
		Chat: !st.Paused, Policy: st.Policy, QueueLen: st.QueueLen, Session: rig.Session.Phase,
		LaserToday: round(rig.Session.LaserToday.Seconds(), 1)}
	for _, a := range rig.Axes {
		s.Position[a.Name] = round(a.Pos, 1)
	}
	for _, sw := range rig.Switches {
		if !sw.Laser {
			continue
		}
		s.LaserOn = s.LaserOn || sw.On
		s.LaserAllowed = s.LaserAllowed || !sw.Disabled
	}
	if u := rig.Session.Until; !u.IsZero() && u.After(now) {
		s.SessionLeft = math.Ceil(u.Sub(now).Seconds())
	}
	if n := len(st.Recent); n > 0 {
		d := st.Recent[n-1]
		s.LastCommand, s.LastUser, s.LastOutcome, s.LastReason = d.Rule, d.UserName, string(d.Outcome), string(d.Reason)
	}
	return s
}

func round(v float64, places int) float64 {
	p := math.Pow(10, float64(places))
	return math.Round(v*p) / p
}
