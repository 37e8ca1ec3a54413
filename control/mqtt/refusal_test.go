package mqtt

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/safety"
	"github.com/cattease/cattease/control"
)

// The engine asks a remote rig, as it asks the play layer, whether chat
// may play before it spends anything paid.
var _ interface {
	Refusal(time.Time) (actuators.Reason, time.Time)
} = (*Remote)(nil)

var _ control.Rig = Fanout(nil)

// TestRemoteRefusalFollowsTheAgentsSession: a remote rig refuses chat
// while its agent says it rests or keeps quiet hours, with their end;
// not while it plays, nor on a state too old to say anything; several
// rigs refuse only when all of them do.
func TestRemoteRefusalFollowsTheAgentsSession(t *testing.T) {
	now := time.Unix(1000, 0)
	remote := func(phase string, until time.Time) *Remote {
		r := &Remote{Now: func() time.Time { return now }}
		b, _ := json.Marshal(agentState{State: safety.State{Session: safety.Session{Phase: phase, Until: until}}, Link: true})
		r.onState(Message{Payload: b})
		return r
	}
	quietEnd, restEnd := now.Add(8*time.Hour), now.Add(10*time.Minute)
	for _, c := range []struct {
		name string
		rig  interface {
			Refusal(time.Time) (actuators.Reason, time.Time)
		}
		want  actuators.Reason
		until time.Time
	}{
		{"quiet hours", remote("quiet", quietEnd), actuators.ReasonQuietHours, quietEnd},
		{"resting", remote("rest", restEnd), actuators.ReasonCatResting, restEnd},
		{"playing", remote("play", now.Add(time.Minute)), "", time.Time{}},
		{"every rig rests", Fanout{remote("rest", restEnd), remote("quiet", quietEnd)}, actuators.ReasonCatResting, restEnd},
		{"one rig plays", Fanout{remote("rest", restEnd), remote("play", time.Time{})}, "", time.Time{}},
	} {
		if r, u := c.rig.Refusal(now); r != c.want || !u.Equal(c.until) {
			t.Errorf("%s: %q until %v, want %q until %v", c.name, r, u, c.want, c.until)
		}
	}
	old := remote("quiet", quietEnd)
	now = now.Add(LinkTimeout + time.Second)
	if r, _ := old.Refusal(now); r != "" {
		t.Errorf("a state older than the link's timeout: %q, want nothing said", r)
	}
}
