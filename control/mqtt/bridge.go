package mqtt

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cattease/cattease/actuators/safety"
	"github.com/cattease/cattease/control"
)

// Engine is what the bridge needs of control.Engine.
type Engine interface {
	Status(now time.Time) control.Status
	Stop(now time.Time)
	Resume(now time.Time)
	SetPaused(paused bool)
	SetPolicy(policy string) error
	Inject(now time.Time, rule string) (control.Decision, error)
	SetLaser(switchName string, on bool) bool // the streamer's laser switch
}

// Rig is what the bridge needs of the rig (the play layer, or a Remote).
type Rig interface {
	Snapshot() safety.State
	Enable(switchName string, on bool) bool
}

// DeviceRig is a rig that takes its own Home Assistant device's emergency
// stop, resume and laser switch: one of the rigs that one engine drives
// (a Remote). The engine's stop, resume and laser switch act on every rig
// of the run; a device's act on its own rig alone, and a device's Resume
// ends only the stop that device began. A bridge whose Rig is not one
// hands them to its Engine, whose one rig it is.
type DeviceRig interface {
	Hold(now time.Time)                     // the device's emergency stop
	Release(now time.Time) error            // the device's resume: its own stop only
	Allow(switchName string, on bool) error // the device's laser switch
	LaserNames() []string                   // the rig's lasers, known before its state names them
}

// Publisher is what the bridge and the split topology need of Conn.
type Publisher interface {
	Publish(ctx context.Context, topic string, payload []byte, retain bool, expiry uint32) error
}

var _ Publisher = (*Conn)(nil)

// link is what the agent and a remote rig attach to: a Conn, or a test's
// broker in memory.
type link interface {
	Publisher
	Handle(topic string, f func(Message))
	OnUp(f func(context.Context))
	OnDown(f func())
	panicked(what string, p any)
}

var _ link = (*Conn)(nil)

// Bridge publishes one rig's state and discovery and carries out its
// command topics. Set the fields, call Attach, then Run.
type Bridge struct {
	Topics  Topics
	Device  Device // Prefix "" publishes no discovery
	Engine  Engine
	Rig     Rig
	Control bool // act on the command topics
	Log     *slog.Logger
	Now     func() time.Time // nil = time.Now
	// Every is how often the state is compared and published if it
	// changed; default 200ms.
	Every time.Duration

	// onPanic is the Conn's: it is told of a panic on the goroutine that
	// publishes the state.
	onPanic func(what string, p any)

	conn  Publisher
	wake  chan struct{} // the publisher: publish now
	kick  chan struct{} // the command loop: an emergency stop arrived
	cmds  chan command  // carried out by Run, off the client's receiving goroutine
	n     atomic.Uint64 // numbers the commands as they arrive
	estop atomic.Uint64 // the number of the latest emergency stop: never queued, never dropped
	mu    sync.Mutex    // guards ups and done
	ups   uint64        // counts the connections made
	done  uint64        // the count whose discovery, availability and state are out
	last  []byte        // the state last published; the publisher's own

	rmu      sync.Mutex              // guards retained
	retained map[string]retainedSeen // per command topic: the retained messages received
}

// retainedSeen counts the retained messages received on one command
// topic, and says when one was last logged.
type retainedSeen struct {
	n      uint64
	logged time.Time
}

// RetainedLogEvery is how often a retained command is logged again on one
// topic: the broker delivers it again at every reconnection.
const RetainedLogEvery = time.Minute

// Attach subscribes the bridge to c's commands and republishes its
// discovery and state after every reconnection. Call before c.Run.
func (b *Bridge) Attach(c *Conn) {
	b.init(c)
	b.onPanic = c.panicked
	if b.Control {
		for _, cmd := range Commands() {
			c.Handle(b.Topics.Set(cmd), func(m Message) { b.receive(cmd, m) })
		}
	}
	c.OnUp(func(context.Context) { b.connected() })
}

func (b *Bridge) init(p Publisher) {
	b.conn = p
	b.wake = make(chan struct{}, 1)
	b.kick = make(chan struct{}, 1)
	b.cmds = make(chan command, 16)
	b.retained = map[string]retainedSeen{}
	if b.Log == nil {
		b.Log = slog.New(slog.DiscardHandler)
	}
}

// connected makes the next publication send everything again: a new
// connection starts without the bridge's discovery, availability and
// state (the broker restarted, or sent the will).
func (b *Bridge) connected() {
	b.mu.Lock()
	b.ups++
	b.mu.Unlock()
	signal(b.wake)
}

func signal(c chan struct{}) {
	select {
	case c <- struct{}{}:
	default:
	}
}

func (b *Bridge) now() time.Time { return nowOr(b.Now) }

// Run carries out the commands and publishes until ctx is done. The two
// run apart: a publication waits for the broker's acknowledgement, until
// the connection is seen to drop or, with a broker that hangs, the
// client's packet timeout (10 s), and that never holds back a command,
// least of all an emergency stop.
func (b *Bridge) Run(ctx context.Context) error {
	every := b.Every
	if every <= 0 {
		every = 200 * time.Millisecond
	}
	pctx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer wg.Wait()
	// Stopped first, in a panic too: a bridge that no longer carries out
	// commands does not go on publishing a state that says all is well.
	defer stop()
	wg.Go(func() {
		defer recoverTo(b.onPanic, "the Home Assistant bridge's state publisher")
		repeat(pctx, every, b.wake, func() { b.publish(pctx) })
	})
	var stopped uint64 // the number of the last emergency stop carried out
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-b.kick:
		case c := <-b.cmds:
			stopped = b.estopFirst(stopped)
			if c.name == CmdResume && c.n < stopped {
				b.Log.Warn("mqtt: resume sent before an emergency stop; ignored", "command", c.name)
				break
			}
			b.command(c.name, c.arg)
		}
		stopped = b.estopFirst(stopped)
	}
}

// repeat calls f every period and whenever wake fires (nil: never) until
// ctx is done, and not after: a tick that wins the select over the end is
// not acted on.
func repeat(ctx context.Context, every time.Duration, wake <-chan struct{}, f func()) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-wake:
		}
		if ctx.Err() != nil {
			return
		}
		f()
	}
}

// estopFirst carries out an emergency stop that arrived since the one
// numbered stopped, before anything queued.
func (b *Bridge) estopFirst(stopped uint64) uint64 {
	if n := b.estop.Load(); n > stopped {
		b.command(CmdEStop, "")
		return n
	}
	return stopped
}

// state is what the bridge publishes at now; for a rig on an agent, with
// whether the agent answers.
func (b *Bridge) state(now time.Time) State {
	s := MakeState(now, b.Engine.Status(now), b.Rig.Snapshot())
	if r, ok := b.Rig.(interface{ Online() bool }); ok {
		s.Link = "lost"
		if r.Online() {
			s.Link = "up"
		}
	}
	return s
}

// publish sends discovery and availability after a (re)connection, and
// the state when it changed. A connection made while it publishes counts
// for the next round: what went out may have gone to the connection before.
func (b *Bridge) publish(ctx context.Context) {
	b.mu.Lock()
	ups := b.ups
	fresh := ups != b.done
	b.mu.Unlock()
	if fresh && !b.announce(ctx) {
		return
	}
	st, err := json.Marshal(b.state(b.now()))
	if err != nil {
		b.Log.Error("mqtt: state", "err", err)
		return
	}
	if !fresh && bytes.Equal(st, b.last) {
		return
	}
	if err := b.conn.Publish(ctx, b.Topics.State(), st, true, 0); err != nil {
		return // the link is down: the next connection publishes afresh
	}
	b.last = st
	b.mu.Lock()
	b.done = ups
	b.mu.Unlock()
}

// announce publishes the discovery configs and "online". Without
// Control the entities that send commands are not shown (their buttons
// would do nothing) but read-only ones with their state; with it, the
// other way round. The configs not shown are cleared (an empty retained
// message), so that Home Assistant removes what an earlier run, with
// control the other way, published.
func (b *Bridge) announce(ctx context.Context) bool {
	if b.Device.Prefix != "" && b.Device.Prefix != "off" {
		for _, c := range Discovery(b.Topics, b.Device) {
			var p []byte
			var err error
			if c.Shown(b.Control) {
				p, err = c.JSON()
			}
			if err == nil {
				err = b.conn.Publish(ctx, c.Topic, p, true, 0)
			}
			if err != nil {
				return false
			}
		}
	}
	return b.conn.Publish(ctx, b.Topics.Availability(), []byte("online"), true, 0) == nil
}

// MaxCommand caps a command's payload.
const MaxCommand = 256

// command is one command-topic message, numbered as it arrived.
type command struct {
	name, arg string
	n         uint64
}

// receive takes one message from a command topic. A retained one was
// sent before this connection, perhaps long before: the broker hands it
// to every new subscription, at each reconnection and each restart of
// either side, and carrying it out again would lift an emergency stop or
// give back a laser permission taken away since. It is ignored, and
// logged with how to clear it. The emergency stop alone is carried out
// even so: stopping is never wrong.
func (b *Bridge) receive(cmd string, m Message) {
	if m.Retain {
		b.noteRetained(cmd, m.Topic)
		if cmd != CmdEStop {
			return
		}
	}
	b.queue(cmd, m.Payload)
}

// noteRetained counts a retained command and logs it, at most once every
// RetainedLogEvery on each topic.
func (b *Bridge) noteRetained(cmd, topic string) {
	now := b.now()
	b.rmu.Lock()
	r := b.retained[topic]
	r.n++
	say := r.logged.IsZero() || now.Sub(r.logged) >= RetainedLogEvery
	if say {
		r.logged = now
	}
	b.retained[topic] = r
	b.rmu.Unlock()
	if !say {
		return
	}
	hint := "mosquitto_pub -r -n -t " + topic
	if cmd == CmdEStop {
		b.Log.Warn("mqtt: retained emergency stop on the broker: it stops the rig at every reconnection until cleared (clearing it stops the rig once more; then resume)",
			"topic", topic, "received", r.n, "clear", hint)
		return
	}
	b.Log.Warn("mqtt: retained command ignored: a command acts when it is sent, never again when the broker replays it",
		"command", cmd, "topic", topic, "received", r.n, "clear", hint)
}

// Retained returns how many retained messages each command topic brought
// (ignored, but an emergency stop's).
func (b *Bridge) Retained() map[string]uint64 {
	b.rmu.Lock()
	defer b.rmu.Unlock()
	out := make(map[string]uint64, len(b.retained))
	for t, r := range b.retained {
		out[t] = r.n
	}
	return out
}

// queue hands a command to Run. A command may wait for the rig (a remote
// rig's report arrives on this same connection), so it never runs on the
// client's receiving goroutine; a flood beyond the queue is dropped. An
// emergency stop is never queued nor dropped: Run carries it out before
// anything queued, and a resume that arrived before it is ignored. An
// empty message is no command but the clearing of a retained one
// (mosquitto_pub -r -n, cattease mqtt --unpublish), which the broker
// passes on to the subscribers: only an emergency stop takes it.
func (b *Bridge) queue(cmd string, payload []byte) {
	if cmd == CmdEStop { // any payload, even a long or an empty one
		b.estop.Store(b.n.Add(1))
		signal(b.kick)
		return
	}
	if len(payload) == 0 {
		b.Log.Debug("mqtt: empty command ignored", "command", cmd)
		return
	}
	if len(payload) > MaxCommand {
		b.Log.Warn("mqtt: command too long; ignored", "command", cmd, "bytes", len(payload))
		return
	}
	select {
	case b.cmds <- command{cmd, strings.TrimSpace(string(payload)), b.n.Add(1)}:
	default:
		b.Log.Warn("mqtt: commands arrive faster than they run; dropped", "command", cmd)
	}
}

// command carries out one command.
func (b *Bridge) command(cmd, arg string) {
	now := b.now()
	var err error
	dev, own := b.Rig.(DeviceRig)
	switch cmd {
	case CmdEStop:
		if own {
			dev.Hold(now)
		} else {
			b.Engine.Stop(now)
		}
	case CmdResume:
		if own {
			err = dev.Release(now)
		} else {
			b.Engine.Resume(now)
		}
	case CmdChat:
		var on bool
		if on, err = onOff(arg); err == nil {
			b.Engine.SetPaused(!on)
		}
	case CmdLaser:
		var on bool
		if on, err = onOff(arg); err == nil {
			err = b.enableLasers(on)
		}
	case CmdPattern:
		_, err = b.Engine.Inject(now, arg)
	case CmdPolicy:
		err = b.Engine.SetPolicy(arg)
	}
	if err != nil {
		b.Log.Warn("mqtt: command refused", "command", cmd, "err", err)
	} else {
		b.Log.Info("mqtt: command", "command", cmd, "arg", arg)
	}
	signal(b.wake)
}

// enableLasers allows or forbids every laser of the rig: through the
// engine, as the streamer's switch, or on a DeviceRig through the rig
// itself, on it alone, every laser it knows of (the rules', before its
// agent has said which it has). An error names those the rig refused (a
// remote rig's agent unreachable, say), or says that the rig has no laser.
func (b *Bridge) enableLasers(on bool) error {
	if dev, own := b.Rig.(DeviceRig); own {
		names := dev.LaserNames()
		if len(names) == 0 {
			return errors.New("mqtt: no laser on this rig")
		}
		var errs []error
		for _, name := range names {
			errs = append(errs, dev.Allow(name, on))
		}
		return errors.Join(errs...)
	}
	var refused []string
	lasers := 0
	for _, sw := range b.Rig.Snapshot().Switches {
		if !sw.Laser {
			continue
		}
		lasers++
		if !b.Engine.SetLaser(sw.Name, on) {
			refused = append(refused, sw.Name)
		}
	}
	if lasers == 0 {
		return errors.New("mqtt: no laser on this rig")
	}
	if len(refused) > 0 {
		return fmt.Errorf("mqtt: laser permission refused for %s", strings.Join(refused, ", "))
	}
	return nil
}

// onOff reads Home Assistant's switch payloads (and a few spellings).
func onOff(s string) (bool, error) {
	switch strings.ToLower(s) {
	case "on", "1", "true", "yes":
		return true, nil
	case "off", "0", "false", "no":
		return false, nil
	}
	return false, fmt.Errorf("mqtt: want ON or OFF, got %q", s)
}

// Unpublish clears a rig's retained discovery configs (with control and
// without), state and availability, and any retained command left on its
// command topics: Home Assistant then removes the device. With discovery
// off (Prefix "" or "off") it clears the configs under DefaultPrefix,
// where an earlier run with discovery on published them.
func Unpublish(ctx context.Context, p Publisher, t Topics, d Device) error {
	if d.Prefix == "" || d.Prefix == "off" {
		d.Prefix = DefaultPrefix
	}
	topics := []string{t.State(), t.Availability(), t.AgentAvailability()}
	for _, cmd := range Commands() {
		topics = append(topics, t.Set(cmd))
	}
	for _, c := range Discovery(t, d) {
		topics = append(topics, c.Topic)
	}
	for _, tp := range topics {
		if err := p.Publish(ctx, tp, nil, true, 0); err != nil {
			return err
		}
	}
	return nil
}
