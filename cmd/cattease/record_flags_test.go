package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// --record-keep -1 was refused only once the rig had homed: exit 1, the
// trace already holding the restart and the homing (servos moved on
// hardware), the message English on a Chinese system. --record-keep and
// --record-max are checked with the flags now, before anything is opened,
// exit 2, in both languages, local and --rig.
func TestRunRefusesRecordFlagsFirst(t *testing.T) {
	const keepEN = "cattease: --record-keep -1: give how many old record files to keep, 0 or more (0 keeps none)\n"
	const keepZH = "--record-keep -1：请给出要保留几个旧录制文件，0 或更多（0 表示一个都不留）\n"
	for _, c := range []struct {
		lang   string
		remote bool
		flag   []string
		want   string
	}{
		{"en", false, []string{"--record-keep", "-1"}, keepEN},
		{"zh", false, []string{"--record-keep", "-1"}, keepZH},
		{"en", false, []string{"--record-max", "lots"}, `cattease: --record-max: size "lots": give bytes with a unit, e.g. 100MB` + "\n"},
		{"zh", false, []string{"--record-max", "lots"}, `大小 "lots"：请带单位，例如 100MB` + "\n"},
		{"en", false, []string{"--record-max", "100"}, "cattease: --record-max 100: under 1MB a new file would start every few lines and --record-keep would throw the rest away; give a unit, e.g. 100MB (0: never)\n"},
		{"zh", false, []string{"--record-max", "512KB"}, "--record-max 512KB：小于 1MB 时每写几行就会换一个新文件，旧文件又会被 --record-keep 删掉；请带单位，例如 100MB（0 表示从不换）\n"},
		{"en", true, []string{"--record-keep", "-1"}, keepEN},
		{"zh", true, []string{"--record-keep", "-1"}, keepZH},
	} {
		dir := t.TempDir()
		rec, trace := filepath.Join(dir, "chat.jsonl"), filepath.Join(dir, "trace.jsonl")
		args := []string{"--lang", c.lang, "run", "--listen", "off", "--stdin", "-q", "-c", "../../rules.yaml", "--record", rec}
		if c.remote {
			args = append(args, "--rig", "mqtt://127.0.0.1:1/cat")
		} else {
			args = append(args, "--dry-run", "--trace", trace)
		}
		code, _, errs := runCLI(t, "左\n", append(args, c.flag...)...)
		if code != 2 || !strings.HasSuffix(errs, c.want) || strings.Count(errs, "\n") != 1 {
			t.Errorf("%s %v (--rig %v): exit %d, stderr %q, want 2 and %q", c.lang, c.flag, c.remote, code, errs, c.want)
		}
		for _, name := range []string{rec, trace} {
			if _, err := os.Stat(name); err == nil {
				t.Errorf("%s %v (--rig %v): the refused run made %s", c.lang, c.flag, c.remote, filepath.Base(name))
			}
		}
	}
}
