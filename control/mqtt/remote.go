package mqtt

import (
	"context"
	"encoding/json"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/safety"
	"github.com/cattease/cattease/control"
)

// Remote is the run side's view of one agent's rig: a control.Rig whose
// every call is a request over the broker. A call waits ReplyWait for the
// agent's report; without one it counts as refused with reason "link".
// Settled and Snapshot come from the state the agent publishes.
type Remote struct {
	Topics Topics
	Now    func() time.Time // nil = time.Now
	Log    *slog.Logger     // nil = no log

	conn    Publisher
	session string
	seq     atomic.Uint64
	sending sync.Mutex // taking a sequence number and publishing: in seq order

	mu      sync.Mutex
	waiting map[uint64]chan Reply
	moved   uint64    // the number of the last move the agent carried out
	movedAt time.Time // when it said so
	done    uint64    // the number of the last request the state was taken after
	counted bool      // the state is numbered for this session (agents from before do not)
	state   safety.State
	stateAt time.Time // when the last state arrived; zero = never
	started time.Time // when Run started; zero = not yet
	link    bool      // the agent's link as it last said
}

var _ control.Rig = (*Remote)(nil)

// Attach subscribes the remote to c's reports and the agent's state.
// Call before c.Run.
func (r *Remote) Attach(c *Conn) {
	r.conn = c
	r.session = randomHex(8)
	r.waiting = map[uint64]chan Reply{}
	c.Handle(r.Topics.Report(), r.onReply)
	c.Handle(r.Topics.AgentState(), r.onState)
}

func (r *Remote) now() time.Time { return nowOr(r.Now) }

// Run sends heartbeats every HeartbeatEvery until ctx is done, and logs
// when the agent comes and goes.
func (r *Remote) Run(ctx context.Context) error {
	log := r.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	t := time.NewTicker(HeartbeatEvery)
	defer t.Stop()
	r.mu.Lock()
	r.started = r.now()
	r.mu.Unlock()
	online, since := false, r.now()
	for {
		r.beat(ctx)
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
		up := r.Online()
		switch {
		case up && !online:
			log.Info("mqtt: agent online", "rig", r.Topics.Rig)
		case !up && online:
			log.Warn("mqtt: agent silent; its chat commands are refused (link) until it is back", "rig", r.Topics.Rig)
			since = r.now()
		case !up && r.now().Sub(since) > 5*time.Second:
			log.Warn("mqtt: no agent answers; start cattease agent on the Pi with the same broker and rig name", "rig", r.Topics.Rig, "requests", r.Topics.Request())
			since = r.now().Add(time.Minute) // again in a minute
		}
		online = up
	}
}

func (r *Remote) beat(ctx context.Context) {
	b, err := json.Marshal(Heartbeat{Session: r.session, Sent: r.now().UnixNano()})
	if err == nil {
		r.conn.Publish(ctx, r.Topics.Heartbeat(), b, false, expirySeconds)
	}
}

// call sends one request and waits for its report. Concurrent callers
// (the engine, the bridge, the panel) publish in sequence order: the
// agent refuses a request older than the last one it took.
func (r *Remote) call(req Request) safety.Report {
	if !req.Safer() && r.silent() {
		// No agent answers: refuse at once rather than wait ReplyWait
		// under the engine's lock. What can only make things safer is
		// sent all the same.
		return safety.Refuse(actuators.ReasonLink, time.Time{})
	}
	ch := make(chan Reply, 1)
	ctx, cancel := context.WithTimeout(context.Background(), ReplyWait)
	defer cancel()
	defer func() {
		r.mu.Lock()
		delete(r.waiting, req.Seq)
		r.mu.Unlock()
	}()
	if err := r.send(ctx, &req, ch); err != nil {
		return safety.Refuse(actuators.ReasonLink, time.Time{})
	}
	select {
	case rp := <-ch:
		rep := rp.report()
		if req.moves() && !rep.Refused {
			r.mu.Lock()
			r.moved, r.movedAt = max(r.moved, req.Seq), r.now()
			r.mu.Unlock()
		}
		return rep
	case <-ctx.Done():
		return safety.Refuse(actuators.ReasonLink, time.Time{})
	}
}

// send numbers req, registers ch for its reply and publishes it, one
// request at a time (the numbers go out in order). The lock is released
// by a defer: a panic in the client, handed on to the run's handler,
// must not leave the next call waiting on it.
func (r *Remote) send(ctx context.Context, req *Request, ch chan Reply) error {
	r.sending.Lock()
	defer r.sending.Unlock()
	req.Session, req.Seq, req.Sent = r.session, r.seq.Add(1), r.now().UnixNano()
	r.mu.Lock()
	r.waiting[req.Seq] = ch
	r.mu.Unlock()
	b, err := json.Marshal(req)
	if err != nil {
		return err
	}
	return r.conn.Publish(ctx, r.Topics.Request(), b, false, expirySeconds)
}

func (r *Remote) onReply(m Message) {
	var rp Reply
	if json.Unmarshal(m.Payload, &rp) != nil || rp.Session != r.session {
		return
	}
	r.mu.Lock()
	ch := r.waiting[rp.Seq]
	r.mu.Unlock()
	if ch != nil {
		select {
		case ch <- rp:
		default:
		}
	}
}

func (r *Remote) onState(m Message) {
	var st agentState
	if json.Unmarshal(m.Payload, &st) != nil {
		return
	}
	r.mu.Lock()
	r.state, r.stateAt, r.link = st.State, r.now(), st.Link
	r.done, r.counted = st.DoneSeq, st.DoneSession == r.session
	r.mu.Unlock()
}

// MoveTo implements control.Rig.
func (r *Remote) MoveTo(_ time.Time, axis string, deg float64) safety.Report {
	return r.call(Request{Op: OpMoveTo, Name: axis, Value: deg})
}

// MoveBy implements control.Rig.
func (r *Remote) MoveBy(_ time.Time, axis string, delta float64) safety.Report {
	return r.call(Request{Op: OpMoveBy, Name: axis, Value: delta})
}

// Switch implements control.Rig.
func (r *Remote) Switch(_ time.Time, name string, on bool, d time.Duration) safety.Report {
	return r.call(Request{Op: OpSwitch, Name: name, On: on, For: int64(d)})
}

// Home implements control.Rig.
func (r *Remote) Home(time.Time) safety.Report { return r.call(Request{Op: OpHome}) }

// Stop implements control.Rig.
func (r *Remote) Stop(time.Time) safety.Report { return r.call(Request{Op: OpStop}) }

// Resume implements control.Rig.
func (r *Remote) Resume(time.Time) safety.Report { return r.call(Request{Op: OpResume}) }

// Enable asks the agent to allow or forbid a switch.
func (r *Remote) Enable(name string, on bool) bool {
	return !r.call(Request{Op: OpEnable, Name: name, On: on}).Refused
}

// Settled reports whether every axis has reached its target, as the
// agent last said; with no recent state there is nothing to wait for. A
// state taken before the last move was carried out is not settled: it
// does not hold the move's target yet; for LinkTimeout at most, after
// which the state is read as it says (an agent that restarted numbers
// afresh). So is a state that is not numbered (an agent from before).
func (r *Remote) Settled() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.stateAt.IsZero() || r.now().Sub(r.stateAt) > LinkTimeout {
		return true
	}
	if r.counted && r.done < r.moved && r.now().Sub(r.movedAt) < LinkTimeout {
		return false
	}
	for _, a := range r.state.Axes {
		if a.Pos != a.Target {
			return false
		}
	}
	return true
}

// Snapshot is the agent's last published state.
func (r *Remote) Snapshot() safety.State {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.state
}

// silent reports whether the agent has said nothing for longer than a
// link may be quiet (since Run started, if it never spoke): then a request
// cannot be carried out and waiting for its report is pointless.
func (r *Remote) silent() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	last := r.stateAt
	if last.IsZero() {
		last = r.started
	}
	if last.IsZero() {
		return false // not running yet: try
	}
	return r.now().Sub(last) > LinkTimeout+time.Second/2
}

// Online reports whether the agent's state is recent and its link up.
func (r *Remote) Online() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.link && !r.stateAt.IsZero() && r.now().Sub(r.stateAt) <= LinkTimeout+time.Second/2
}
