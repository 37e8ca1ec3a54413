package mqtt

import (
	"context"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/cattease/cattease/control/mqtt/mqtttest"
)

// retainedNow returns the retained messages under filters, as a fresh
// subscriber sees them.
func retainedNow(t *testing.T, url string, filters ...string) map[string][]byte {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var mu sync.Mutex
	got := map[string][]byte{}
	marked := false
	marker := "cattease/test-marker/" + randomHex(4)
	c := NewConn(Options{URL: url, ClientID: "snapshot"})
	for _, f := range filters {
		c.Handle(f, func(m Message) {
			if m.Retain {
				mu.Lock()
				got[m.Topic] = m.Payload
				mu.Unlock()
			}
		})
	}
	c.Handle(marker, func(Message) { mu.Lock(); marked = true; mu.Unlock() })
	startConn(t, ctx, c)
	// The broker sends a subscription's retained messages before anything
	// published after it: once the marker is back, every one has come.
	if err := c.Publish(ctx, marker, []byte("x"), false, 0); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 3*time.Second, "the marker", func() bool { mu.Lock(); defer mu.Unlock(); return marked })
	mu.Lock()
	defer mu.Unlock()
	return maps.Clone(got)
}

// A command left retained on the broker (a `mosquitto_pub -r`, an
// automation with retain on) is delivered again at every subscription:
// after each reconnection and each restart. The bridge ignores it: a
// retained resume no longer lifts an emergency stop, a retained laser ON
// no longer gives back the permission taken away since, a retained
// pattern no longer plays. It says once per topic how to clear it. The
// same commands sent live act.
func TestBridgeIgnoresRetainedCommands(t *testing.T) {
	br := mqtttest.Start(t)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	tp := Topics{Base: "cattease", Rig: "r1"}
	rig := &fakeRig{disabled: true}
	eng := &fakeEngine{policy: "queue", rig: rig, stopped: true}
	pub := NewConn(Options{URL: br.URL, ClientID: "pub"})
	startConn(t, ctx, pub)
	retained := map[string]string{CmdResume: "PRESS", CmdLaser: "ON", CmdPattern: "circle", CmdPolicy: "latest", CmdChat: "OFF"}
	for cmd, payload := range retained {
		if err := pub.Publish(ctx, tp.Set(cmd), []byte(payload), true, 0); err != nil {
			t.Fatal(err)
		}
	}

	var logs syncBuffer
	bc := NewConn(Options{URL: br.URL, ClientID: "bridge", Will: tp.Availability()})
	b := &Bridge{Topics: tp, Engine: eng, Rig: rig, Control: true, Log: slog.New(slog.NewTextHandler(&logs, nil))}
	b.Attach(bc)
	startConn(t, ctx, bc)
	go b.Run(ctx)
	// A live command after the retained ones, which the broker delivered
	// at the subscription: once it is carried out, they were handled.
	if err := pub.Publish(ctx, tp.Set(CmdPolicy), []byte("fair"), false, 0); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 3*time.Second, "the live policy command carried out", func() bool { return eng.Status(time.Now()).Policy == "fair" })
	if eng.isStopped() == false {
		t.Error("a retained resume lifted the emergency stop")
	}
	if !rig.Snapshot().Switches[0].Disabled {
		t.Error("a retained laser ON gave the laser permission back")
	}
	eng.mu.Lock()
	played, paused := slices.Clone(eng.played), eng.paused
	eng.mu.Unlock()
	if len(played) > 0 {
		t.Errorf("a retained pattern played: %q", played)
	}
	if paused {
		t.Error("a retained chat OFF paused chat")
	}
	for cmd := range retained {
		topic := tp.Set(cmd)
		if n := b.Retained()[topic]; n != 1 {
			t.Errorf("%s: %d retained messages counted, want 1", topic, n)
		}
		if n := strings.Count(logs.String(), "clear=\"mosquitto_pub -r -n -t "+topic+"\""); n != 1 {
			t.Errorf("%s: said %d times how to clear it, want once; log:\n%s", topic, n, logs.String())
		}
	}

	if err := pub.Publish(ctx, tp.Set(CmdResume), []byte("PRESS"), false, 0); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 3*time.Second, "a live resume carried out", func() bool { return !eng.isStopped() })
	if err := pub.Publish(ctx, tp.Set(CmdLaser), []byte("ON"), false, 0); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 3*time.Second, "a live laser ON carried out", func() bool { return !rig.Snapshot().Switches[0].Disabled })
}

// A retained emergency stop is carried out (stopping is never wrong),
// and said; a retained resume after it does not lift it. The warning for
// a topic comes again only after RetainedLogEvery, however often the
// broker replays the message.
func TestBridgeRetainedEStopAndLogEvery(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var logs syncBuffer
		tp := Topics{Base: "cattease", Rig: "t"}
		eng := &fakeEngine{policy: "queue"}
		b := &Bridge{Topics: tp, Engine: eng, Rig: &fakeRig{}, Control: true, Log: slog.New(slog.NewTextHandler(&logs, nil))}
		b.init(&heldPublisher{})
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		go b.Run(ctx)
		stop := Message{Topic: tp.Set(CmdEStop), Payload: []byte("PRESS"), Retain: true}
		resume := Message{Topic: tp.Set(CmdResume), Payload: []byte("PRESS"), Retain: true}
		said := func(m Message) int { return strings.Count(logs.String(), "mosquitto_pub -r -n -t "+m.Topic) }

		b.receive(CmdEStop, stop)
		synctest.Wait()
		if !eng.isStopped() {
			t.Fatal("a retained emergency stop was not carried out")
		}
		b.receive(CmdResume, resume)
		synctest.Wait()
		if !eng.isStopped() {
			t.Error("a retained resume lifted the stop")
		}
		if said(stop) != 1 || said(resume) != 1 {
			t.Errorf("said %d and %d times, want once each:\n%s", said(stop), said(resume), logs.String())
		}
		time.Sleep(RetainedLogEvery / 2)
		b.receive(CmdResume, resume)
		if said(resume) != 1 {
			t.Errorf("said again within %v:\n%s", RetainedLogEvery, logs.String())
		}
		time.Sleep(RetainedLogEvery / 2)
		b.receive(CmdResume, resume)
		if said(resume) != 2 {
			t.Errorf("not said again after %v:\n%s", RetainedLogEvery, logs.String())
		}
		if n := b.Retained()[resume.Topic]; n != 3 {
			t.Errorf("%d retained resumes counted, want 3", n)
		}
		synctest.Wait()
		if !eng.isStopped() {
			t.Error("a retained resume lifted the stop")
		}
	})
}

// An empty message on a command topic is the clearing of a retained one
// (`mosquitto_pub -r -n`, `cattease mqtt --unpublish`), which the broker
// passes on live: it does not resume, but still stops.
func TestBridgeEmptyCommand(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tp := Topics{Base: "cattease", Rig: "t"}
		eng := &fakeEngine{policy: "queue"}
		b := &Bridge{Topics: tp, Engine: eng, Rig: &fakeRig{}, Control: true}
		b.init(&heldPublisher{})
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		go b.Run(ctx)
		b.receive(CmdEStop, Message{Topic: tp.Set(CmdEStop)})
		synctest.Wait()
		if !eng.isStopped() {
			t.Fatal("an empty emergency stop did not stop")
		}
		b.receive(CmdResume, Message{Topic: tp.Set(CmdResume)})
		synctest.Wait()
		if !eng.isStopped() {
			t.Error("an empty message on the resume topic lifted the stop")
		}
	})
}

// payloadPublisher records the last payload published on each topic.
type payloadPublisher struct {
	mu  sync.Mutex
	got map[string][]byte
}

func (p *payloadPublisher) Publish(_ context.Context, topic string, payload []byte, _ bool, _ uint32) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.got == nil {
		p.got = map[string][]byte{}
	}
	p.got[topic] = payload
	return nil
}

// Without control the bridge shows no entity that sends commands (an
// emergency stop button that does nothing), but read-only ones with the
// same state; it clears the configs of the others. With control, the
// other way round.
func TestBridgeDiscoveryFollowsControl(t *testing.T) {
	tp := Topics{Base: "cattease", Rig: "t"}
	dev := Device{Prefix: "homeassistant", Model: "laser", Policies: []string{"queue"}}
	for _, control := range []bool{false, true} {
		p := &payloadPublisher{}
		b := &Bridge{Topics: tp, Device: dev, Engine: &fakeEngine{}, Rig: &fakeRig{}, Control: control}
		b.init(p)
		if !b.announce(context.Background()) {
			t.Fatal("announce failed")
		}
		shown := 0
		for _, c := range Discovery(tp, dev) {
			got, published := p.got[c.Topic]
			_, commands := c.Payload["command_topic"]
			switch {
			case !published:
				t.Errorf("control %v: %s neither published nor cleared", control, c.Topic)
			case commands && !control && len(got) > 0:
				t.Errorf("control off: %s published: %s", c.Topic, got)
			case commands && control && len(got) == 0:
				t.Errorf("control on: %s cleared", c.Topic)
			case len(got) > 0:
				shown++
			}
			if c.When == WithoutControl && control && len(got) > 0 {
				t.Errorf("control on: the read-only %s published", c.Topic)
			}
		}
		if want := map[bool]int{false: 9, true: 11}[control]; shown != want {
			t.Errorf("control %v: %d entities shown, want %d", control, shown, want)
		}
	}
}

// A device that once had control loses its buttons, switches and select
// in Home Assistant when cattease runs again without control: what a
// fresh subscriber (Home Assistant after a restart) finds retained has
// only read-only entities.
func TestBridgeWithoutControlClearsCommandEntities(t *testing.T) {
	br := mqtttest.Start(t)
	tp := Topics{Base: "cattease", Rig: "r2"}
	dev := Device{Prefix: "homeassistant", Model: "laser", Policies: []string{"queue"}}
	var mu sync.Mutex
	online := false
	watch := NewConn(Options{URL: br.URL, ClientID: "watch"})
	watch.Handle(tp.Availability(), func(m Message) {
		mu.Lock()
		online = string(m.Payload) == "online"
		mu.Unlock()
	})
	wctx, wcancel := context.WithCancel(context.Background())
	t.Cleanup(wcancel)
	startConn(t, wctx, watch)
	run := func(control bool) {
		mu.Lock()
		online = false
		mu.Unlock()
		ctx, cancel := context.WithCancel(context.Background())
		c := NewConn(Options{URL: br.URL, ClientID: "bridge", Will: tp.Availability()})
		b := &Bridge{Topics: tp, Device: dev, Engine: &fakeEngine{policy: "queue"}, Rig: &fakeRig{}, Control: control}
		b.Attach(c)
		done := make(chan struct{})
		go func() { runLinkedForTest(ctx, c, b.Run); close(done) }()
		waitFor(t, 5*time.Second, "the bridge announced", func() bool { mu.Lock(); defer mu.Unlock(); return online })
		cancel()
		<-done
	}
	run(true)
	if n := len(retainedNow(t, br.URL, "homeassistant/#")); n != 11 {
		t.Fatalf("%d configs retained with control, want 11", n)
	}
	run(false)
	got := retainedNow(t, br.URL, "homeassistant/#")
	for _, c := range Discovery(tp, dev) {
		if _, ok := c.Payload["command_topic"]; ok && got[c.Topic] != nil {
			t.Errorf("without control, still retained: %s", c.Topic)
		}
		if c.When == WithoutControl && got[c.Topic] == nil {
			t.Errorf("without control, no read-only %s", c.Topic)
		}
	}
}

// `cattease mqtt --unpublish` with `discovery: off` clears the configs
// under Home Assistant's default prefix, where a run with discovery on
// left them (not under "off/…"), and it clears a command left retained.
func TestUnpublishDiscoveryOffAndRetainedCommands(t *testing.T) {
	br := mqtttest.Start(t)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	tp := Topics{Base: "cattease", Rig: "r3"}
	on := Device{Prefix: DefaultPrefix, Model: "laser", Policies: []string{"queue"}}
	c := NewConn(Options{URL: br.URL, ClientID: "pub"})
	startConn(t, ctx, c)
	for _, cfg := range Discovery(tp, on) {
		p, err := cfg.JSON()
		if err == nil {
			err = c.Publish(ctx, cfg.Topic, p, true, 0)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, cmd := range []string{CmdResume, CmdLaser} {
		if err := c.Publish(ctx, tp.Set(cmd), []byte("ON"), true, 0); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(retainedNow(t, br.URL, "#")); n != 14+2 {
		t.Fatalf("%d retained before, want 16", n)
	}
	if err := Unpublish(ctx, c, tp, Device{Prefix: "off", Model: "laser", Policies: []string{"queue"}}); err != nil {
		t.Fatal(err)
	}
	if left := retainedNow(t, br.URL, "#"); len(left) > 0 {
		t.Errorf("retained after Unpublish: %q", slices.Sorted(maps.Keys(left)))
	}
}
