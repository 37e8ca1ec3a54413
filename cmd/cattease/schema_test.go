package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSchemaPrintsShippedSchema(t *testing.T) {
	code, out, errs := runCLI(t, "", "schema")
	if code != 0 || errs != "" {
		t.Fatalf("code %d, stderr %q", code, errs)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if doc["$schema"] == nil || doc["properties"] == nil {
		t.Errorf("no $schema or properties: %.200s", out)
	}
	shipped, err := os.ReadFile("../../docs/rules.schema.json")
	if err != nil || string(shipped) != out {
		t.Errorf("cattease schema differs from docs/rules.schema.json (%v)", err)
	}
	if code, _, _ := runCLI(t, "", "schema", "extra"); code != 2 {
		t.Errorf("schema extra: code %d, want 2", code)
	}
}

// A rules file written the Chinese way passes check.
func TestCheckChineseSpellings(t *testing.T) {
	rules := `hardware:
  driver: mock
  axes:
    pan: {min: -10度, max: 10度, speed: 120度/秒, accel: 600度/秒², detach_after: 2秒}
  switches:
    lamp: {laser: false, max_on: 1分钟, cooldown: 500毫秒}
limits:
  user_cooldown: 1 s
  bypass: [房管, 主播]
commands:
  - name: wand
    aliases: [逗]
    label: {zh: 逗猫棒, en: Wand}
    allow: 房管
    cooldown: 3秒
    do: {move: pan, by: 5度}
  - name: lamp
    aliases: [灯]
    label: 灯
    allow: 舰长
    do: {switch: lamp, on: true, for: 2秒}
`
	path := filepath.Join(t.TempDir(), "rules.yaml")
	if err := os.WriteFile(path, []byte(rules), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCLI(t, "", "check", "--dry-run", "-c", path)
	if code != 0 || !strings.Contains(out, "ok (2 commands") {
		t.Errorf("code %d\n%s%s", code, out, errs)
	}
	bad := strings.Replace(rules, "120度/秒", "120度/分", 1)
	if err := os.WriteFile(path, []byte(bad), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errs = runCLI(t, "", "check", "--dry-run", "-c", path)
	if code != 1 || !strings.Contains(errs, "rules.yaml:4:") || !strings.Contains(errs, `bad speed "120度/分"`) {
		t.Errorf("bad speed: code %d, stderr %q", code, errs)
	}
}
