package main

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// A record that spans a restart whose clock went back (a Pi has no clock
// of its own: after a power cut it boots on the time it saved last, and
// its whole run keeps that clock) replays each run on its own clock: the
// second run's events are moved on past the first's, their spacing kept,
// so its commands are decided as the live run decided them. Before, each
// of them was decided at the first run's latest time, one instant, and
// all but the first dropped for the viewer's cooldown (2 s) although the
// live run, 3 s apart, accepted every one.
func TestReplayRestartClockBack(t *testing.T) {
	var lines []string
	run := func(start time.Time, first int) {
		lines = append(lines, `{"kind":"start","time":"`+start.Format(time.RFC3339Nano)+`"}`)
		for i := range 100 {
			at := start.Add(time.Duration(i+1) * 3 * time.Second).Format(time.RFC3339Nano)
			text := "左"
			if i%2 == 1 {
				text = "右"
			}
			lines = append(lines, fmt.Sprintf(`{"platform":"bilibili","room":"1","kind":"chat","id":"%d","time":"%s","user":{"id":"u1","name":"u1","role":"viewer"},"text":"%s","received":"%s"}`,
				first+i, at, text, at))
		}
	}
	t0 := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	run(t0, 1)
	run(t0.Add(10*time.Second), 101) // the restart, on a clock 4m50s behind the first run's last event
	path := writeRecord(t, lines...)
	code, out, errs := runCLI(t, "", "replay", "-c", "../../rules.yaml", path)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errs)
	}
	if n := strings.Count(out, `"reason":"ran"`); n != 200 || strings.Contains(out, `"decision":"dropped"`) {
		t.Errorf("%d of 200 commands ran, %d dropped (cooldown_user: %d)", n, strings.Count(out, `"decision":"dropped"`),
			strings.Count(out, `"reason":"cooldown_user"`))
	}
	for _, want := range []string{
		"cattease: " + path + ": 1 start line(s) after the first event, where the live run restarted: replayed as one run",
		"cattease: " + path + ": 1 of the restarts began earlier than the latest time before them, by up to 4m50s (the clock went back",
	} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
	if strings.Contains(errs, "went back in time") {
		t.Errorf("the second run's events were decided as gone back in time:\n%s", errs)
	}
}
