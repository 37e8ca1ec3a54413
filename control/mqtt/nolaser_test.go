package mqtt

import (
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/cattease/cattease/actuators/safety"
)

// wandRig is a feather wand's rig: axes, no laser.
type wandRig struct{ *fakeRig }

func (wandRig) Snapshot() safety.State {
	return safety.State{Axes: []safety.AxisState{{Name: "pan"}}}
}

// A rig without a laser shows no laser entity in Home Assistant, with
// control or without, and clears those an earlier run published; its
// other entities are as a laser rig's. A laser command to it is refused,
// not logged as carried out.
func TestDiscoveryOfARigWithoutALaser(t *testing.T) {
	tp := Topics{Base: "cattease", Rig: "wand"}
	dev := Device{Prefix: "homeassistant", Model: "wand", Policies: []string{"queue"}, NoLaser: true}
	laser := func(c Config) bool { return strings.Contains(c.Topic, "/laser") }
	for _, control := range []bool{false, true} {
		p := &payloadPublisher{}
		b := &Bridge{Topics: tp, Device: dev, Engine: &fakeEngine{}, Rig: wandRig{&fakeRig{}}, Control: control}
		b.init(p)
		if !b.announce(context.Background()) {
			t.Fatal("announce failed")
		}
		shown, lasers := 0, 0
		for _, c := range Discovery(tp, dev) {
			got, published := p.got[c.Topic]
			if !published {
				t.Errorf("control %v: %s neither published nor cleared", control, c.Topic)
			}
			if laser(c) {
				lasers++
				if len(got) > 0 {
					t.Errorf("control %v: %s published on a rig without a laser", control, c.Topic)
				}
			} else if len(got) > 0 {
				shown++
			}
		}
		if lasers != 4 {
			t.Errorf("%d laser configs to clear, want 4 (the switch, its read-only stand-in, lit, today)", lasers)
		}
		if want := map[bool]int{false: 6, true: 8}[control]; shown != want {
			t.Errorf("control %v: %d entities shown, want %d", control, shown, want)
		}
	}
	var logs syncBuffer
	b := &Bridge{Engine: &fakeEngine{}, Rig: wandRig{&fakeRig{}}, Log: slog.New(slog.NewTextHandler(&logs, nil))}
	b.wake = make(chan struct{}, 1)
	b.command(CmdLaser, "ON")
	if got := logs.String(); !strings.Contains(got, "level=WARN") || !strings.Contains(got, "no laser") {
		t.Errorf("a laser command to a rig without one: logged\n%s", got)
	}
}
