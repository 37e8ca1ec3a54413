package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A live trace whose outputs' times kept to real time across a step of the
// wall clock carries the wall clock's reading ("wall"), and `cattease
// verify` reads quiet hours on it: a laser lit at 00:01 by the wall clock
// fails, though the outputs' times say 15:01.
func TestVerifyReadsQuietHoursOnTheWallClock(t *testing.T) {
	dir := t.TempDir()
	rules, err := os.ReadFile("../../rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	quiet := strings.Replace(string(rules), `quiet_hours: ""`, `quiet_hours: "23:00-08:00"`, 1)
	quiet = strings.Replace(quiet, `timezone: ""`, `timezone: "UTC"`, 1)
	if quiet == string(rules) {
		t.Fatal("rules.yaml has no empty quiet_hours to set")
	}
	cfg := filepath.Join(dir, "rules.yaml")
	if err := os.WriteFile(cfg, []byte(quiet), 0o600); err != nil {
		t.Fatal(err)
	}
	lines := []string{
		`{"kind":"restart","time":"2026-11-28T15:00:00Z","keep_state":false}`,
		`{"kind":"output","time":"2026-11-28T15:00:00Z","target":"pan","action":"move","value":0}`, // the homing
		`{"kind":"output","time":"2026-11-28T15:00:00Z","target":"tilt","action":"move","value":20}`,
		`{"kind":"output","time":"2026-11-28T15:01:00Z","wall":"2026-11-29T00:01:00Z","target":"laser","action":"switch","value":1}`,
		`{"kind":"output","time":"2026-11-28T15:01:02Z","wall":"2026-11-29T00:01:02Z","target":"laser","action":"switch","value":0}`,
	}
	for _, c := range []struct {
		name string
		wall bool
		code int
	}{{"with the wall clock", true, 1}, {"on the outputs' times", false, 0}} {
		body := strings.Join(lines, "\n") + "\n"
		if !c.wall {
			for _, l := range lines {
				if i := strings.Index(l, `,"wall":`); i > 0 {
					body = strings.Replace(body, l, l[:i]+l[i+len(`,"wall":"2026-11-29T00:01:00Z"`):], 1)
				}
			}
		}
		trace := filepath.Join(dir, c.name+".jsonl")
		if err := os.WriteFile(trace, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		code, _, errs := runCLI(t, "", "verify", "-c", cfg, trace)
		if code != c.code || (c.code == 1) != strings.Contains(errs, "quiet_hours") {
			t.Errorf("%s: verify exit %d, want %d\n%s", c.name, code, c.code, errs)
		}
	}
}
