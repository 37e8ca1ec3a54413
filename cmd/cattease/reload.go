package main

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"reflect"
	"strings"
	"time"

	"github.com/cattease/cattease/control"
	"github.com/cattease/cattease/control/config"
)

// watchRules reloads the rules on every signal from hup (SIGHUP: main
// catches it for the whole process, see hangups) and when the file changes
// (polled every 2 s: no extra dependency, works on every filesystem). A
// bad edit is logged with its positions and the running rules stay.
// built is the config the rig was built from: hardware and safety changes
// need a restart, and every reload that makes one says so.
func watchRules(ctx context.Context, hup <-chan os.Signal, path string, built *config.File, eng *control.Engine, log *slog.Logger) error {
	t := time.NewTicker(2 * time.Second)
	defer t.Stop()
	stamp := fileStamp(path)
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-hup:
		case <-t.C:
			s := fileStamp(path)
			if s == stamp {
				continue
			}
			stamp = s
		}
		reloadRules(path, built, eng, log) // logged; nothing else to do with the error
	}
}

type stamp struct {
	mod  time.Time
	size int64
}

func fileStamp(path string) stamp {
	fi, err := os.Stat(path)
	if err != nil {
		return stamp{}
	}
	return stamp{fi.ModTime(), fi.Size()}
}

// reloaded is what a reload applied: the rules as they now run, and the
// sections read only at start that the file changed, which wait for a
// restart (the panel may show them).
type reloaded struct {
	File    *config.File // the new file's rules on the running rig's hardware and safety
	Restart []string     // "hardware", "web"…; none when nothing waits
}

// reloadRules applies the file at path to the running rig and returns
// what it applied, or the problems that made it refuse (the running rules
// then stay). The rules are compiled against built's hardware and safety,
// the ones the rig runs: a file whose commands name an output the rig
// does not have (a switch renamed, an axis renamed) is refused, rather
// than applied with every such command accepted and then dropped, and a
// moderator's 关激光 forbidding no switch while the laser stays allowed.
func reloadRules(path string, built *config.File, eng *control.Engine, log *slog.Logger) (*reloaded, error) {
	f, err := config.Load(path) // the file alone, as check --dry-run
	var run *config.File
	if err == nil {
		run, err = f.OnRig(built)
	}
	var rules *control.Rules
	if err == nil {
		if rules, err = control.Compile(run); err != nil {
			err = compileErrors(run, err)
		}
	}
	if err == nil {
		err = eng.Reload(time.Now(), rules)
	}
	if err != nil {
		logRefusal(log, path, err)
		return nil, err
	}
	changed := startSections(f, built)
	if len(changed) > 0 {
		log.Warn("rules reloaded, but for the sections read at start: restart to apply them", "file", path, "commands", len(f.Commands), "restart", strings.Join(changed, ", "))
	} else {
		log.Info("rules reloaded", "file", path, "commands", len(f.Commands))
	}
	return &reloaded{File: run, Restart: changed}, nil
}

// logRefusal logs a refused reload: a line, then each problem as its own
// message, so that it reads as check prints it, in the same language
// (the log translates messages, never attributes).
func logRefusal(log *slog.Logger, path string, err error) {
	var es config.Errors
	if !errors.As(err, &es) {
		log.Error("rules not reloaded; the running rules stay", "file", path)
		log.Error(err.Error())
		return
	}
	log.Error("rules not reloaded; the running rules stay", "file", path, "problems", len(es))
	for _, e := range es {
		log.Error(e.Error())
	}
}

// startSections names the sections of rules.yaml read only at start (the
// rig, its limits, the chat sources, the web server, the audit log, the
// MQTT bridge) that differ between f and built.
func startSections(f, built *config.File) []string {
	var changed []string
	for _, s := range []struct {
		name      string
		now, then any
	}{
		{"hardware", f.Hardware, built.Hardware}, {"safety", f.Safety, built.Safety}, {"sources", f.Sources, built.Sources},
		{"web", f.Web, built.Web}, {"audit", f.Audit, built.Audit}, {"mqtt", f.MQTT, built.MQTT},
	} {
		if !reflect.DeepEqual(s.now, s.then) {
			changed = append(changed, s.name)
		}
	}
	return changed
}
