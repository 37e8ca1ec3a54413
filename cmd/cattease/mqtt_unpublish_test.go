package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/cattease/cattease/control/mqtt"
	"github.com/cattease/cattease/control/mqtt/mqtttest"
)

// `cattease mqtt --unpublish` with `discovery: off` in rules.yaml clears
// what a run with discovery on left under Home Assistant's default prefix
// (before, it cleared "off/…" and said the rig was removed), says where it
// cleared, and clears a command left retained on the rig's command topics.
func TestMQTTUnpublishDiscoveryOff(t *testing.T) {
	b := mqtttest.Start(t)
	t.Setenv("STATE_DIRECTORY", t.TempDir())
	rules := rulesWithMQTT(t, "mqtt:\n  rig: cat\n  discovery: \"off\"\n")
	w := watch(t, b.URL, "homeassistant/#", "cattease/#")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	tp := mqtt.Topics{Base: "cattease", Rig: "cat"}
	for _, c := range mqtt.Discovery(tp, mqtt.Device{Prefix: mqtt.DefaultPrefix, Model: "laser"}) {
		if err := w.c.Publish(ctx, c.Topic, []byte(`{"name":"x"}`), true, 0); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.c.Publish(ctx, tp.Set(mqtt.CmdResume), []byte("PRESS"), true, 0); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCLI(t, "", "mqtt", "--unpublish", "-c", rules, "--mqtt", b.URL)
	if code != 0 {
		t.Fatalf("unpublish: %d %s %s", code, out, errs)
	}
	if !strings.Contains(out, "under homeassistant/") {
		t.Errorf("unpublish with discovery off does not say where it cleared:\n%s", out)
	}
	if left := retainedLeft(ctx, t, b.URL); len(left) > 0 {
		t.Errorf("retained after --unpublish with discovery off: %d topics: %v", len(left), keys(left))
	}
}
