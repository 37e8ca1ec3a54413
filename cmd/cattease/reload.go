package main

import (
	"context"
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

// reloadRules applies the file at path and returns it, or the problems
// that made it refuse (the running rules then stay).
func reloadRules(path string, built *config.File, eng *control.Engine, log *slog.Logger) (*config.File, error) {
	f, rules, err := loadRules(path)
	if err != nil {
		log.Error("rules not reloaded; the running rules stay", "file", path, "problems", err.Error())
		return nil, err
	}
	if err := eng.Reload(time.Now(), rules); err != nil {
		log.Error("rules not reloaded; the running rules stay", "err", err)
		return nil, err
	}
	if changed := startSections(f, built); len(changed) > 0 {
		log.Warn("these sections are read at start: their changes take effect after a restart, and the running ones stay", "sections", strings.Join(changed, ", "))
	}
	log.Info("rules reloaded", "file", path, "commands", len(f.Commands))
	return f, nil
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
