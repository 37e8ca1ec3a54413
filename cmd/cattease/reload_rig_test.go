package main

import (
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/cattease/cattease/actuators/safety"
	"github.com/cattease/cattease/cmd/cattease/internal/i18n"
	"github.com/cattease/cattease/control"
	"github.com/cattease/cattease/control/config"
	"github.com/cattease/cattease/danmu"
)

// reloadRig is rules.yaml on a dry-run rig, with its engine, as run
// builds them: built is the file the rig was built from.
type reloadRig struct {
	path  string
	src   string
	built *config.File
	eng   *control.Engine
	env   *safety.Envelope
}

func newReloadRig(t *testing.T) *reloadRig {
	t.Helper()
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
	t.Cleanup(func() { r.halt() })
	eng, err := control.New(rules, r.env, control.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return &reloadRig{path: path, src: string(src), built: f, eng: eng, env: r.env}
}

// edit writes rules.yaml with every old text replaced by its new one.
func (rr *reloadRig) edit(t *testing.T, pairs ...string) {
	t.Helper()
	src := rr.src
	for i := 0; i+1 < len(pairs); i += 2 {
		if !strings.Contains(src, pairs[i]) {
			t.Fatalf("%q is not in rules.yaml", pairs[i])
		}
		src = strings.ReplaceAll(src, pairs[i], pairs[i+1])
	}
	os.WriteFile(rr.path, []byte(src), 0o644)
}

func (rr *reloadRig) say(user string, role danmu.Role, text string) control.Decision {
	return rr.eng.Handle(time.Now(), danmu.Event{Kind: danmu.KindChat, Text: text, User: danmu.User{ID: user, Role: role}})
}

// TestReloadKeepsTheRigsOutputs: hardware: and safety: are read at start,
// but a reload compiled the new file's names. With the laser switch
// renamed beam (and the commands with it) the reload was "rules
// reloaded", then a moderator's 关激光 was dropped unknown_output, the real
// laser stayed allowed, and 激光 was accepted and dropped; with axis pan
// renamed yaw, every 左 and 右. Such a file is now refused, saying a
// restart applies it, and the running rules stay.
func TestReloadKeepsTheRigsOutputs(t *testing.T) {
	for name, edit := range map[string][]string{
		"switch laser renamed beam": {"    laser:\n      laser: true", "    beam:\n      laser: true", "switch: laser,", "switch: beam,"},
		"axis pan renamed yaw":      {"    pan:\n      role: pan", "    yaw:\n      role: pan", "move: pan,", "move: yaw,"},
	} {
		t.Run(name, func(t *testing.T) {
			rr := newReloadRig(t)
			rr.edit(t, edit...)
			var logs strings.Builder
			res, err := reloadRules(rr.path, rr.built, rr.eng, slog.New(slog.NewTextHandler(&logs, nil)))
			if err == nil || res != nil {
				t.Fatalf("reload applied outputs the rig does not have: %+v\n%s", res, &logs)
			}
			if !strings.Contains(logs.String(), "on the running rig: restart to apply hardware changes") ||
				!strings.Contains(logs.String(), "rules not reloaded") {
				t.Errorf("the refusal does not say a restart applies it:\n%s", &logs)
			}
			if d := rr.say("m", danmu.RoleModerator, "关激光"); d.Outcome != control.Accepted || d.Reason != control.ReasonModeration {
				t.Errorf("关激光 after the refused reload: %+v", d)
			}
			forbidden := false
			for _, s := range rr.env.Snapshot().Switches {
				forbidden = forbidden || s.Name == "laser" && s.Disabled
			}
			if !forbidden {
				t.Errorf("关激光 left the laser allowed: %+v", rr.env.Snapshot().Switches)
			}
			if d := rr.say("w", danmu.RoleViewer, "左"); d.Rule != "left" || d.Outcome != control.Accepted {
				t.Errorf("左 after the refused reload: %+v", d)
			}
		})
	}
}

// TestReloadRunsOnTheBuiltHardware: a reload that changes hardware or
// safety values but names the same outputs applies the rest and runs on
// the sections the rig was built from, never half of the new ones (the
// new laser's max_on, the new time zone); it returns, and logs in its
// success line, the sections that wait for a restart.
func TestReloadRunsOnTheBuiltHardware(t *testing.T) {
	rr := newReloadRig(t)
	rr.edit(t, "speed: 90°/s", "speed: 60°/s", `timezone: ""`, `timezone: "Asia/Shanghai"`,
		"aliases: [左, 向左", "aliases: [左, 往左, 向左")
	var logs strings.Builder
	res, err := reloadRules(rr.path, rr.built, rr.eng, slog.New(slog.NewTextHandler(&logs, nil)))
	if err != nil {
		t.Fatalf("%v\n%s", err, &logs)
	}
	if want := []string{"hardware", "safety"}; !reflect.DeepEqual(res.Restart, want) {
		t.Errorf("restart %q, want %q", res.Restart, want)
	}
	if !strings.Contains(logs.String(), `msg="rules reloaded, but for the sections read at start: restart to apply them"`) ||
		!strings.Contains(logs.String(), `restart="hardware, safety"`) {
		t.Errorf("the success line does not name what waits:\n%s", &logs)
	}
	if !reflect.DeepEqual(res.File.Hardware, rr.built.Hardware) || !reflect.DeepEqual(res.File.Safety, rr.built.Safety) ||
		rr.eng.File() != res.File {
		t.Errorf("the reloaded rules do not run on the built hardware and safety")
	}
	if d := rr.say("1", danmu.RoleViewer, "往左"); d.Rule != "left" {
		t.Errorf("the commands were not applied: %+v", d)
	}

	rr.edit(t, "aliases: [左, 向左", "aliases: [左, 往左, 向左")
	logs.Reset()
	if res, err := reloadRules(rr.path, rr.built, rr.eng, slog.New(slog.NewTextHandler(&logs, nil))); err != nil || len(res.Restart) != 0 ||
		!strings.Contains(logs.String(), `msg="rules reloaded" `) {
		t.Errorf("nothing waits: %+v %v\n%s", res, err, &logs)
	}
}

// TestReloadRefusalSpeaksTheLogsLanguage: with --lang zh a refused reload
// logged its reasons in English (bad speed "fast"…) in an attribute,
// which the log does not translate; each problem is now a message of its
// own, translated as check's.
func TestReloadRefusalSpeaksTheLogsLanguage(t *testing.T) {
	rr := newReloadRig(t)
	rr.edit(t, "speed: 90°/s", "speed: fast")
	var buf bytes.Buffer
	log := newLogger(stdio{err: i18n.Wrap(&buf, i18n.Chinese)}, false)
	if _, err := reloadRules(rr.path, rr.built, rr.eng, log); err == nil {
		t.Fatal("bad edit applied")
	}
	_, _, errs := runCLI(t, "", "--lang", "zh", "check", "--dry-run", "-c", rr.path)
	line := strings.SplitN(errs, "\n", 2)[0] // rules.yaml:L:C: hardware.axes.pan.speed: 速度 "fast" 有误…
	if !strings.Contains(line, "hardware.axes.pan.speed: ") || strings.Contains(line, "bad speed") {
		t.Fatalf("check's line: %q", line)
	}
	logged := strings.ReplaceAll(buf.String(), `\"`, `"`)
	if !strings.Contains(logged, line) || strings.Contains(logged, "bad speed") ||
		!strings.Contains(logged, "规则没有重新加载") {
		t.Errorf("the log does not say it as check does (%q):\n%s", line, logged)
	}

	rr.edit(t, "    laser:\n      laser: true", "    beam:\n      laser: true", "switch: laser,", "switch: beam,")
	buf.Reset()
	reloadRules(rr.path, rr.built, rr.eng, log)
	if logged := buf.String(); !strings.Contains(logged, `没有开关 \"beam\"（正在运行的装置上如此`) {
		t.Errorf("a renamed switch in Chinese:\n%s", logged)
	}
}
