package main

import (
	"strings"
	"testing"
)

// A gap line in the first of several traces no longer leaves the files
// after it unchecked: verify reads each file to its end, shows the
// violation the second file holds (the laser lit while the rig homes) and
// the third's, then each file's gap, and fails. Before, it stopped at the
// first file's gap and printed that alone, and a file after a gap with a
// violation in it passed unseen.
func TestVerifyChecksTheFilesAfterAGap(t *testing.T) {
	dir := t.TempDir()
	run1 := strings.Join(strings.SplitAfter(litTrace, "\n")[:4], "") +
		`{"kind":"output","time":"2026-11-22T10:00:05Z","target":"laser","action":"switch","value":0}` + "\n" +
		`{"kind":"gap","time":"2026-11-22T10:00:05.02Z","lost":3}` + "\n" +
		`{"kind":"output","time":"2026-11-22T10:00:30Z","target":"pan","action":"move","value":10}` + "\n"
	litHoming := func(hour string) string {
		return `{"kind":"restart","time":"2026-11-22T` + hour + `:00:00Z","keep_state":true}
{"kind":"output","time":"2026-11-22T` + hour + `:00:00Z","target":"pan","action":"move","value":0}
{"kind":"output","time":"2026-11-22T` + hour + `:00:00Z","target":"tilt","action":"move","value":20}
{"kind":"output","time":"2026-11-22T` + hour + `:00:00.1Z","target":"laser","action":"switch","value":1}
{"kind":"output","time":"2026-11-22T` + hour + `:00:02Z","target":"laser","action":"switch","value":0}
`
	}
	a := writeFile(t, dir, "a.trace", run1)
	b := writeFile(t, dir, "b.trace", litHoming("12"))
	c := writeFile(t, dir, "c.trace", litHoming("14")+
		`{"kind":"gap","time":"2026-11-22T14:00:03Z","lost":1}`+"\n")
	code, out, errs := runCLI(t, "", "verify", "-c", "../../rules.yaml", a, b, c)
	vb := strings.Index(errs, "violation: "+b+":4: 2026-11-22T12:00:00.1Z hold laser: laser lit ")
	vc := strings.Index(errs, "violation: "+c+":4: 2026-11-22T14:00:00.1Z hold laser: laser lit ")
	ga := strings.Index(errs, "cattease: "+a+": monitor: trace line 6: 3 line(s) lost from 2026-11-22T10:00:05.02Z on")
	gc := strings.Index(errs, "cattease: "+c+": monitor: trace line 6: 1 line(s) lost from 2026-11-22T14:00:03Z on")
	if code != 1 || strings.Contains(out, "ok") || vb < 0 || vc < vb || ga < vc || gc < ga ||
		strings.Count(errs, "violation: ") != 2 {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
}
