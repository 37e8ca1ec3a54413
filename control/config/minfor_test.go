package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// loadEdited loads the shipped rules.yaml with each old replaced by new.
func loadEdited(t *testing.T, edits ...string) error {
	t.Helper()
	b, err := os.ReadFile("../../rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for i := 0; i < len(edits); i += 2 {
		e := strings.Replace(s, edits[i], edits[i+1], 1)
		if e == s {
			t.Fatalf("no %q in rules.yaml", edits[i])
		}
		s = e
	}
	p := filepath.Join(t.TempDir(), "rules.yaml")
	if err := os.WriteFile(p, []byte(s), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = Load(p)
	return err
}

// The review's repro: a switch asked for less than two and a half motion
// ticks (MinLit) is answered ok and never turns on; a 30 ms treat_for
// counts a treat never given. check refuses both.
func TestCheckRefusesSwitchTimesUnderMinLit(t *testing.T) {
	err := loadEdited(t, "do: {switch: laser, on: true, for: 10s}", "do: {switch: laser, on: true, for: 30ms}")
	if err == nil || !strings.Contains(err.Error(), "for 30ms under 50ms") {
		t.Errorf("for: 30ms: %v", err)
	}
	if err := loadEdited(t, "do: {switch: laser, on: true, for: 10s}", "do: {switch: laser, on: true, for: 50ms}"); err != nil {
		t.Errorf("for: 50ms, MinLit itself, refused: %v", err)
	}
	feeder := "\n    treat:\n      laser: false\n      pin: GPIO22\n      max_on: 1s\n#"
	err = loadEdited(t, "treat_for: 500ms", "treat_for: 30ms", `treat: ""`, "treat: treat",
		"      cooldown: 10s       # however", "      cooldown: 10s       # however"+feeder)
	if err == nil || !strings.Contains(err.Error(), "treat_for 30ms under 50ms") {
		t.Errorf("treat_for: 30ms: %v", err)
	}
}

// Two lasers lit together lease two and a half ticks each from the day's
// budget ahead: a daily_laser under twice MinLit never lights both.
func TestCheckRefusesADailyBudgetTooSmallForEveryLaser(t *testing.T) {
	second := "\n    laser2:\n      laser: true\n      pin: GPIO27\n      max_on: 20s\n      cooldown: 10s\n"
	err := loadEdited(t, "daily_laser: 20m", "daily_laser: 80ms", "      cooldown: 10s       # however", "      cooldown: 10s       # however"+second+"#")
	if err == nil || !strings.Contains(err.Error(), "daily_laser 80ms under 100ms: 2 lasers") {
		t.Errorf("two lasers, daily_laser 80ms: %v", err)
	}
	if err := loadEdited(t, "daily_laser: 20m", "daily_laser: 80ms"); err != nil && strings.Contains(err.Error(), "daily_laser") {
		t.Errorf("one laser, daily_laser 80ms: %v", err)
	}
}
