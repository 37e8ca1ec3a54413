package mqtt

import (
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/safety"
)

// Timing of the split topology.
const (
	// HeartbeatEvery is how often the run side says it is there.
	HeartbeatEvery = 250 * time.Millisecond
	// LinkTimeout: the agent counts the link lost after this long without
	// a heartbeat (or at once when the broker connection drops).
	LinkTimeout = time.Second
	// MaxAge: a request older than this when it reaches the agent is
	// refused, never carried out late.
	MaxAge = time.Second
	// ReplyWait is how long the run side waits for a report before it
	// counts the request refused with reason "link".
	ReplyWait = 250 * time.Millisecond
	// expirySeconds is the MQTT v5 message expiry of requests and
	// heartbeats: the broker drops them rather than deliver them late.
	expirySeconds = 1
)

// Operations a request asks for: the methods of control.Rig, and the
// laser permission.
const (
	OpMoveTo = "move_to"
	OpMoveBy = "move_by"
	OpSwitch = "switch"
	OpHome   = "home"
	OpStop   = "stop"
	OpResume = "resume"
	OpEnable = "enable"
)

// Request is one call from the run side, as sent. Seq grows by one per
// request within a Session (a random id per run); Sent is the sender's
// clock, in Unix nanoseconds.
type Request struct {
	Session string  `json:"s"`
	Seq     uint64  `json:"n"`
	Sent    int64   `json:"t"`
	Op      string  `json:"op"`
	Name    string  `json:"name,omitempty"` // axis or switch
	Value   float64 `json:"v,omitempty"`    // degrees
	On      bool    `json:"on,omitempty"`
	For     int64   `json:"for,omitempty"` // switch on-time, ns
	// KeepLocal marks a resume that must not end a stop given on the Pi
	// (its panel, a signal, one kept on disk), or an allow that must not
	// lift a forbid given on the Pi (its panel): a Home Assistant
	// device's, which ends that device's stop or forbid only. The agent
	// refuses it (stopped, disabled) while such a stop or forbid holds; an
	// agent from before ignores the field.
	KeepLocal bool `json:"keep_local,omitempty"`
}

// Reply is the agent's report on a request.
type Reply struct {
	Session string           `json:"s"`
	Seq     uint64           `json:"n"`
	Refused bool             `json:"refused,omitempty"`
	Clamped bool             `json:"clamped,omitempty"`
	Reason  actuators.Reason `json:"reason,omitempty"`
	Until   int64            `json:"until,omitempty"` // Unix ns
}

// Heartbeat is the run side's sign of life.
type Heartbeat struct {
	Session string `json:"s"`
	Sent    int64  `json:"t"`
	// Lasers are the lasers the run side knows of (its rules' and those
	// the agent's state named to it), its forbids of them sent before
	// this heartbeat: the agent gives back, when its link comes up, only
	// a laser named here, so that one the run side learns of only from
	// its state gets the run's forbid first. Nil from a run side from
	// before, or one whose rules name no laser: it does not say, and the
	// agent gives every laser back.
	Lasers []string `json:"lasers,omitempty"`
	// Stop: the run side holds a stop (the run's or a device's) the
	// agent has not confirmed taking. The agent takes it with the
	// heartbeat, before a link come back gives any laser back: the stop
	// sent again just before may have been lost while the link came up.
	// False from a run side from before: it does not say.
	Stop bool `json:"stop,omitempty"`
}

func replyOf(req Request, r safety.Report) Reply {
	rp := Reply{Session: req.Session, Seq: req.Seq, Refused: r.Refused, Clamped: r.Clamped, Reason: r.Reason}
	if !r.Until.IsZero() {
		rp.Until = r.Until.UnixNano()
	}
	return rp
}

func (rp Reply) report() safety.Report {
	r := safety.Report{Refused: rp.Refused, Clamped: rp.Clamped, Reason: rp.Reason}
	if rp.Until != 0 {
		r.Until = time.Unix(0, rp.Until)
	}
	return r
}

// Judge decides, on the agent, whether the link is up and whether a
// request may run. Two machines' clocks differ, so a request's age is not
// the receiver's clock minus the sender's: the judge keeps the smallest
// (receive time - send time) over the recent heartbeats, which is the
// clock offset plus the fastest transit seen, and counts a request's age
// as its own (receive - send) minus that. A request delayed by more than
// MaxAge beyond the fastest recent transit is refused, whatever the
// clocks' offset. A clock stepped back on the run side makes requests look
// older for up to offsetWindow (refused: the safe side); one stepped
// forward is taken in at the next heartbeat. Sequence numbers must grow:
// a duplicate or an older request is refused, unless it is Safer. The broker's message expiry
// (one second, whole seconds only) drops what would be delivered later
// still. Not safe for concurrent use.
type Judge struct {
	session   string
	lastSeq   uint64
	lastBeat  time.Time // receive time of the last heartbeat
	connected bool
	offsets   []offsetAt
	gone      string    // the session that said goodbye
	goneAt    time.Time // when
}

type offsetAt struct {
	at  time.Time
	off time.Duration
}

// offsetWindow is how long a heartbeat's offset counts.
const offsetWindow = 10 * time.Second

// Connected records the broker connection's state.
func (j *Judge) Connected(up bool) {
	j.connected = up
	if !up {
		j.lastBeat = time.Time{}
	}
}

// Gone records that the run side said goodbye (its availability went
// "offline": a clean exit, or its will): the link is down at once. A
// heartbeat of the same session still in flight is ignored for
// LinkTimeout; a new session's is taken at once.
func (j *Judge) Gone(now time.Time) {
	j.lastBeat, j.gone, j.goneAt = time.Time{}, j.session, now
}

// Beat records a heartbeat received at now. A new session (the run side
// restarted) starts its sequence numbers afresh.
func (j *Judge) Beat(now time.Time, h Heartbeat) {
	if h.Session == j.gone && now.Sub(j.goneAt) < LinkTimeout {
		return
	}
	if h.Session != j.session {
		j.session, j.lastSeq, j.offsets = h.Session, 0, nil
	}
	j.lastBeat = now
	keep := j.offsets[:0]
	for _, o := range j.offsets {
		if now.Sub(o.at) < offsetWindow {
			keep = append(keep, o)
		}
	}
	j.offsets = append(keep, offsetAt{now, now.Sub(time.Unix(0, h.Sent))})
}

// Up reports whether the link counts as up at now: connected, with a
// heartbeat less than LinkTimeout old.
func (j *Judge) Up(now time.Time) bool {
	return j.connected && !j.lastBeat.IsZero() && now.Sub(j.lastBeat) < LinkTimeout
}

// Admit says whether the request received at now may run: "" if so,
// actuators.ReasonLink if not (link down, another session, not newer than
// the last one, or too old). A request that can only make things safer
// (Safer) is admitted whatever its age, order or session, and with the
// link down: carried out late it still stops, darkens or parks.
func (j *Judge) Admit(now time.Time, r Request) actuators.Reason {
	fresh := j.Up(now) && r.Session == j.session && r.Seq > j.lastSeq && len(j.offsets) > 0
	if fresh {
		j.lastSeq = r.Seq
		fresh = j.Age(now, r.Sent) <= MaxAge
	}
	if fresh || r.Safer() {
		return ""
	}
	return actuators.ReasonLink
}

// moves reports whether the request sets an axis's target (home sets all
// of them), which the engine then waits to be reached.
func (r Request) moves() bool { return r.Op == OpMoveTo || r.Op == OpMoveBy || r.Op == OpHome }

// Safer reports whether the request can only make the rig safer, however
// late or out of order it comes: stop, home (park), a switch off, a
// switch forbidden. Anyone who may publish requests may move the rig
// anyway (the broker's ACL decides), so a stop from another session is
// taken too.
func (r Request) Safer() bool {
	switch r.Op {
	case OpStop, OpHome:
		return true
	case OpSwitch, OpEnable:
		return !r.On
	}
	return false
}

// Age is how much longer than the fastest recent transit a message sent
// at sent (the sender's Unix ns) took to arrive at now; without a
// heartbeat to compare with, it is too old.
func (j *Judge) Age(now time.Time, sent int64) time.Duration {
	if len(j.offsets) == 0 {
		return MaxAge + time.Nanosecond
	}
	minOff := j.offsets[0].off
	for _, o := range j.offsets[1:] {
		minOff = min(minOff, o.off)
	}
	return now.Sub(time.Unix(0, sent)) - minOff
}

// nowOr is clock(), or the time now when no clock is set (tests set one).
func nowOr(clock func() time.Time) time.Time {
	if clock != nil {
		return clock()
	}
	return time.Now()
}
