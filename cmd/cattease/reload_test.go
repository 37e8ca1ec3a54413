package main

import (
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cattease/cattease/control"
	"github.com/cattease/cattease/danmu"
)

// TestReloadKeepsOldRulesOnBadEdit: a good edit takes effect, a bad one is
// logged with its position and the running rules stay.
func TestReloadKeepsOldRulesOnBadEdit(t *testing.T) {
	src, err := os.ReadFile("../../rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "rules.yaml")
	os.WriteFile(path, src, 0o644)
	f, rules, err := loadRules(path)
	if err != nil {
		t.Fatal(err)
	}
	r, err := buildRig(f, rigMode{dryRun: true, rulesPath: path}, time.Now(), slog.New(slog.DiscardHandler), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer r.halt()
	eng, err := control.New(rules, r.env, control.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var logs strings.Builder
	log := slog.New(slog.NewTextHandler(&logs, nil))
	say := func(user, text string) control.Decision {
		return eng.Handle(time.Now(), danmu.Event{Kind: danmu.KindChat, Text: text, User: danmu.User{ID: user, Role: danmu.RoleViewer}})
	}

	// A good edit: a new alias works at once.
	os.WriteFile(path, []byte(strings.Replace(string(src), "aliases: [左, 向左", "aliases: [左, 往左, 向左", 1)), 0o644)
	if _, err := reloadRules(path, f, eng, log); err != nil {
		t.Fatalf("good edit refused: %s", logs.String())
	}
	if d := say("1", "往左"); d.Rule != "left" {
		t.Fatalf("new alias: %+v", d)
	}

	// A bad edit: refused with its position; 往左 still works.
	os.WriteFile(path, []byte(strings.Replace(string(src), "speed: 90°/s", "speed: fast", 1)), 0o644)
	if _, err := reloadRules(path, f, eng, log); err == nil {
		t.Fatal("bad edit applied")
	}
	line := 1 + strings.Count(string(src[:strings.Index(string(src), "speed: 90°/s")]), "\n")
	if !strings.Contains(logs.String(), fmt.Sprintf(`rules.yaml:%d:14: hardware.axes.pan.speed: bad speed \"fast\"`, line)) {
		t.Fatalf("log lacks the position: %s", logs.String())
	}
	if d := say("2", "往左"); d.Rule != "left" {
		t.Fatalf("after a bad edit the old rules must stay: %+v", d)
	}
}

// TestReloadNamesWhatWaitsForARestart: a reload that changes a section
// read only at start (the room in sources, web.listen) takes the rest and
// says which sections wait for a restart; before, it said only "rules
// reloaded", and the streamer waited for a room that never came.
func TestReloadNamesWhatWaitsForARestart(t *testing.T) {
	src, err := os.ReadFile("../../rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "rules.yaml")
	os.WriteFile(path, src, 0o644)
	f, rules, err := loadRules(path)
	if err != nil {
		t.Fatal(err)
	}
	eng, err := control.New(rules, nil, control.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for edit, want := range map[[2]string]string{
		{"  douyu:\n    room: \"\"", "  douyu:\n    room: \"9999\""}: "restart=sources",
		{"aliases: [左, 向左", "aliases: [左, 往左, 向左"}:                   "",
		{"ceiling: 42°", "ceiling: 40°"}:                             "restart=safety",
	} {
		edited := strings.Replace(string(src), edit[0], edit[1], 1)
		if edited == string(src) {
			t.Fatalf("%q is not in rules.yaml", edit[0])
		}
		os.WriteFile(path, []byte(edited), 0o644)
		var logs strings.Builder
		if _, err := reloadRules(path, f, eng, slog.New(slog.NewTextHandler(&logs, nil))); err != nil {
			t.Fatalf("%q: %v\n%s", edit[1], err, &logs)
		}
		warned := strings.Contains(logs.String(), "level=WARN") && strings.Contains(logs.String(), "restart to apply them")
		if want == "" && warned || want != "" && (!warned || !strings.Contains(logs.String(), want)) {
			t.Errorf("%q: want %q in the warning:\n%s", edit[1], want, &logs)
		}
	}
}
