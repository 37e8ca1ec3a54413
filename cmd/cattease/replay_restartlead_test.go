package main

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// A run restarted on a clock set back is replayed from the homing hold
// after the run before on (1.16 s with the shipped rules: a restarted
// rig homes and holds still before it runs a command), not from that
// run's last event: a restart takes time. A viewer's 左3 a second after
// the restart, which the live run accepted, is accepted in the replay
// too; it was put 1 s after the same viewer's last command, before the
// restart, and dropped for the viewer's cooldown (2 s). Replay says the
// cooldowns carry on into such a run all the same, and may still drop
// its first commands where the live run, begun afresh, accepted them.
func TestReplayRestartClockBackLead(t *testing.T) {
	var lines []string
	event := func(id int, at time.Time, text string) {
		ts := at.Format(time.RFC3339Nano)
		lines = append(lines, fmt.Sprintf(`{"platform":"bilibili","room":"1","kind":"chat","id":"%d","time":"%s","user":{"id":"u1","name":"u1","role":"viewer"},"text":"%s","received":"%s"}`,
			id, ts, text, ts))
	}
	t0 := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	lines = append(lines, `{"kind":"start","time":"`+t0.Format(time.RFC3339Nano)+`"}`)
	for i := range 10 {
		event(i+1, t0.Add(time.Duration(i+1)*3*time.Second), "左")
	}
	restart := t0.Add(10 * time.Second) // 20 s behind the first run's last event
	lines = append(lines, `{"kind":"start","time":"`+restart.Format(time.RFC3339Nano)+`"}`)
	event(11, restart.Add(time.Second), "左3")
	event(12, restart.Add(4*time.Second), "右")
	path := writeRecord(t, lines...)
	code, out, errs := runCLI(t, "", "replay", "-c", "../../rules.yaml", path)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errs)
	}
	first := `"time":"2026-11-22T10:00:32.16Z","event_id":"11"`
	if n := strings.Count(out, `"decision":"accepted","reason":"queued"`); n != 12 || !strings.Contains(out, first) {
		t.Errorf("%d of 12 commands accepted (cooldown_user: %d), the restart's first at 10:00:32.16: %v",
			n, strings.Count(out, `"reason":"cooldown_user"`), strings.Contains(out, first))
	}
	for _, want := range []string{
		"1 of the restarts began earlier than the latest time before them, by up to 20s (the clock went back",
		"each of those runs is replayed from 1.16s after that latest time on (the homing hold",
		"the cooldowns and the rate limit of the run before carry on into it, where the live run began them afresh",
		"commands in its first seconds can be decided otherwise than live",
	} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
}
