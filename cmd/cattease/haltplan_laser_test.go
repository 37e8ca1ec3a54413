package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cattease/cattease/control/config"
)

// A pid file written by a cattease from before the switches' laser flag
// (the service still on the old binary at an upgrade) names the same
// hardware as the rules do now: halt switches it off once and says no
// difference, where it said the run drove other hardware and halted it
// twice.
func TestHaltPlanOfAPidFileFromBeforeTheLaserFlag(t *testing.T) {
	dir := t.TempDir()
	rules, err := filepath.Abs("../../rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	key, err := configKey(rules)
	if err != nil {
		t.Fatal(err)
	}
	f, err := config.Load(rules)
	if err != nil {
		t.Fatal(err)
	}
	line := strings.ReplaceAll(planFor(f, false).encode(), `,"laser":true`, "")
	if strings.Contains(line, `"laser":true`) || !strings.Contains(line, `"pin"`) {
		t.Fatalf("the old line: %s", line)
	}
	if err := os.WriteFile(pidFilePath(dir, key), []byte("4194305\n"+key+"\n"+line+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var said bytes.Buffer
	plans, err := haltPlans(rules, []string{dir}, &said)
	if err != nil {
		t.Fatal(err)
	}
	if len(plans) != 1 || said.Len() > 0 {
		t.Errorf("%d plans, said %q: want one plan and nothing said", len(plans), said.String())
	}
}
