package main

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestCheckRefusesATokenOthersCanRead: a token file or session key that
// others may read (mode 0644, as `echo … | sudo tee` leaves it) passed
// check, and run refused to start: under systemd, which runs check as
// ExecStartPre, a restart every 5 s. Check now refuses each as run does;
// at 0600 both pass.
func TestCheckRefusesATokenOthersCanRead(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("a mode says nothing of who may read a file on Windows")
	}
	const tok = "0123456789abcdef0123456789abcdef"
	for _, name := range []string{"cattease-token", "cattease-session-key"} {
		state := t.TempDir()
		t.Setenv("STATE_DIRECTORY", state)
		for _, n := range []string{"cattease-token", "cattease-session-key"} {
			if err := os.WriteFile(filepath.Join(state, n), []byte(tok+"\n"), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		path, _ := rulesEdited(t, "listen: 127.0.0.1:8080", "listen: 127.0.0.1:0")
		if code, out, errs := runCLI(t, "", "check", "-c", path); code != 0 {
			t.Fatalf("both at 0600: code %d\n%s%s", code, out, errs)
		}
		file := filepath.Join(state, name)
		if err := os.Chmod(file, 0o644); err != nil {
			t.Fatal(err)
		}
		want := file + " is readable by others (mode 0644)"
		code, out, errs := runCLI(t, "", "check", "-c", path)
		if code != 1 || strings.Contains(out, "ok") || !strings.Contains(errs, want) {
			t.Errorf("%s at 0644: check code %d, want 1 with %q:\n%s%s", name, code, want, out, errs)
		}
		code, _, errs = runCLI(t, "", "run", "--dry-run", "--stdin", "-q", "-c", path)
		if code != 1 || !strings.Contains(errs, want) {
			t.Errorf("%s at 0644: run code %d, want 1 with %q:\n%s", name, code, want, errs)
		}
	}
}
