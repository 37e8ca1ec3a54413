package mqtt

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"
)

// memBroker is a broker in memory for the split topology's tests, run in
// a synctest bubble (virtual time): each message goes at once, on the
// publisher's goroutine, to every open client that handles its topic,
// unless the receiving client's link is cut (QoS 0: lost without a word).
type memBroker struct {
	mu      sync.Mutex
	clients []*memClient
}

// memClient is one connection to a memBroker: an agent's or a remote's.
type memClient struct {
	b *memBroker

	mu     sync.Mutex
	subs   map[string]func(Message)
	onUp   []func(context.Context)
	onDown []func()
	cut    bool // the link is down: nothing arrives, nothing leaves
	closed bool // the process ended
}

var _ link = (*memClient)(nil)

func (b *memBroker) client() *memClient {
	c := &memClient{b: b, subs: map[string]func(Message){}}
	b.mu.Lock()
	b.clients = append(b.clients, c)
	b.mu.Unlock()
	return c
}

func (c *memClient) Handle(topic string, f func(Message)) {
	c.mu.Lock()
	c.subs[topic] = f
	c.mu.Unlock()
}

func (c *memClient) OnUp(f func(context.Context)) {
	c.mu.Lock()
	c.onUp = append(c.onUp, f)
	c.mu.Unlock()
}
func (c *memClient) OnDown(f func())          { c.mu.Lock(); c.onDown = append(c.onDown, f); c.mu.Unlock() }
func (c *memClient) panicked(_ string, p any) { panic(p) }

// open reports whether c takes messages now.
func (c *memClient) open() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return !c.cut && !c.closed
}

func (c *memClient) Publish(_ context.Context, topic string, payload []byte, retain bool, _ uint32) error {
	if !c.open() {
		return errors.New("mqtt: test: not connected")
	}
	c.b.mu.Lock()
	var to []func(Message)
	for _, d := range c.b.clients {
		if !d.open() {
			continue
		}
		d.mu.Lock()
		if f := d.subs[topic]; f != nil {
			to = append(to, f)
		}
		d.mu.Unlock()
	}
	c.b.mu.Unlock()
	for _, f := range to {
		f(Message{Topic: topic, Payload: payload, Retain: retain})
	}
	return nil
}

// up connects c (again): its OnUp callbacks run.
func (c *memClient) up(ctx context.Context) {
	c.mu.Lock()
	c.cut = false
	fs := c.onUp
	c.mu.Unlock()
	for _, f := range fs {
		f(ctx)
	}
}

// down cuts c's link: its OnDown callbacks run.
func (c *memClient) down() {
	c.mu.Lock()
	c.cut = true
	fs := c.onDown
	c.mu.Unlock()
	for _, f := range fs {
		f()
	}
}

func (c *memClient) close() {
	c.mu.Lock()
	c.closed = true
	c.mu.Unlock()
}

// memSplit is one rig of a run over a memBroker: the run side's Remote,
// and an agent on the Pi driving an envRig, each running, on virtual
// time. The agent can be restarted with a fresh rig, and the run side
// with a fresh Remote (StateFile kept).
type memSplit struct {
	t      *testing.T
	ctx    context.Context
	b      *memBroker
	tp     Topics
	logs   *syncBuffer
	remote *Remote
	endRun func() // ends the run side's Remote

	rig       *envRig
	agent     *Agent
	agentLink *memClient
	endAgent  func()        // ends the agent
	agentSet  func(*Agent)  // if set, sets the fields of each agent started
	remoteSet func(*Remote) // if set, sets the fields of each run side started, before it runs
}

// newMemSplit starts a run side and an agent, and waits until the link
// is up and the agent's state has arrived. Call in a synctest bubble;
// everything ends with ctx.
func newMemSplit(t *testing.T, ctx context.Context) *memSplit {
	t.Helper()
	return newMemSplitKept(t, ctx, "")
}

// newMemSplitKept is newMemSplit with the run side's device's stop and
// forbid kept in stateFile.
func newMemSplitKept(t *testing.T, ctx context.Context, stateFile string) *memSplit {
	t.Helper()
	return newMemSplitWith(t, ctx, stateFile, nil, nil)
}

// newMemSplitWith is newMemSplitKept with agentSet and remoteSet (either
// may be nil) setting the fields of the agent and the run side before
// they run.
func newMemSplitWith(t *testing.T, ctx context.Context, stateFile string, agentSet func(*Agent), remoteSet func(*Remote)) *memSplit {
	t.Helper()
	s := &memSplit{t: t, ctx: ctx, b: &memBroker{}, tp: Topics{Base: "cattease", Rig: "kitten"}, logs: &syncBuffer{},
		agentSet: agentSet, remoteSet: remoteSet}
	s.startAgent(&envRig{})
	s.startRun(stateFile)
	time.Sleep(time.Second)
	if !s.agent.Link() || !s.remote.Online() {
		t.Fatalf("link %v, agent online %v", s.agent.Link(), s.remote.Online())
	}
	return s
}

func (s *memSplit) log() *slog.Logger { return slog.New(slog.NewTextHandler(s.logs, nil)) }

// startRun starts the run side's Remote, its device's stop and forbid
// read from stateFile ("" keeps none).
func (s *memSplit) startRun(stateFile string) {
	s.remote = &Remote{Topics: s.tp, Log: s.log(), Lasers: []string{"laser"}, StateFile: stateFile}
	if s.remoteSet != nil {
		s.remoteSet(s.remote)
	}
	if err := s.remote.Restore(); err != nil {
		s.t.Fatal(err)
	}
	s.remote.attach(s.b.client())
	ctx, cancel := context.WithCancel(s.ctx)
	done := make(chan struct{})
	go func() { s.remote.Run(ctx); close(done) }()
	s.endRun = func() { cancel(); <-done }
}

// startAgent starts an agent on rig, connected.
func (s *memSplit) startAgent(rig *envRig) {
	s.rig, s.agentLink = rig, s.b.client()
	s.agent = &Agent{Topics: s.tp, Rig: rig, Log: s.log()}
	if s.agentSet != nil {
		s.agentSet(s.agent)
	}
	s.agent.attach(s.agentLink)
	ctx, cancel := context.WithCancel(s.ctx)
	s.agentLink.up(ctx)
	done := make(chan struct{})
	go func() { s.agent.Run(ctx); close(done) }()
	s.endAgent = func() { cancel(); <-done; s.agentLink.close() }
}

// restartAgent ends the agent and starts a fresh one on a fresh rig
// (laser allowed, not stopped: nothing of the Pi's is kept in memory).
func (s *memSplit) restartAgent() {
	s.endAgent()
	s.startAgent(&envRig{})
}

// restartRun ends the run side and starts it afresh, with the same file.
func (s *memSplit) restartRun() {
	s.endRun()
	s.startRun(s.remote.StateFile)
}

// said reports whether the logs hold text.
func (s *memSplit) said(text string) bool { return strings.Contains(s.logs.String(), text) }
