package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The review's repro: a pan at 5°/s parks across its range in far longer
// than the way out waits (safety.MaxParkTime): check refuses it.
func TestCheckRefusesAServoTooSlowToPark(t *testing.T) {
	b, err := os.ReadFile("../../rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s := strings.Replace(string(b), "    speed: 90°/s", "    speed: 5°/s", 1)
	if s == string(b) {
		t.Fatal("no pan speed in rules.yaml to slow down")
	}
	p := filepath.Join(t.TempDir(), "rules.yaml")
	if err := os.WriteFile(p, []byte(s), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = Load(p)
	if err == nil || !strings.Contains(err.Error(), "to park across") {
		t.Fatalf("a pan at 5°/s: %v", err)
	}
}
