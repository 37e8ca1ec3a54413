package main

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestRunningInstances(t *testing.T) {
	root := t.TempDir()
	procs := map[string]string{
		"101":  "/usr/local/bin/cattease\x00run\x00-c\x00/etc/cattease/rules.yaml\x00",
		"102":  "cattease\x00halt\x00",
		"103":  "/usr/bin/bash\x00-c\x00cattease run\x00",
		"104":  "./cattease\x00run\x00--dry-run\x00",
		"self": "cattease\x00run\x00",
	}
	for pid, cmdline := range procs {
		os.MkdirAll(filepath.Join(root, pid), 0o755)
		os.WriteFile(filepath.Join(root, pid, "cmdline"), []byte(cmdline), 0o644)
	}
	got := runningInstances(root)
	slices.Sort(got)
	if !slices.Equal(got, []int{101, 104}) {
		t.Fatalf("found %v", got)
	}
}
