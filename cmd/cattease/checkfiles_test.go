package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// rulesEdited writes ../../rules.yaml with each old text replaced by its
// new one, in a temporary directory, and returns the file and the line
// where the first replacement ends.
func rulesEdited(t *testing.T, edits ...string) (path string, line int) {
	t.Helper()
	b, err := os.ReadFile("../../rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	src := string(b)
	for i := 0; i+1 < len(edits); i += 2 {
		at := strings.Index(src, edits[i])
		if at < 0 {
			t.Fatalf("%q is not in rules.yaml", edits[i])
		}
		if i == 0 {
			line = 1 + strings.Count(src[:at]+edits[i], "\n")
		}
		src = src[:at] + edits[i+1] + src[at+len(edits[i]):]
	}
	path = filepath.Join(t.TempDir(), "rules.yaml")
	if err := os.WriteFile(path, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	return path, line
}

// TestCheckRefusesWhatRunCannotOpen: check said ok to a web.listen with
// no port or a port past 65535, and to a token or audit file in a
// directory that does not exist, and run then refused to start: under
// systemd, which runs check as ExecStartPre, a restart every 5 s. Check
// now refuses each, positioned at its setting, and run refuses before
// building the rig; a file in an existing directory passes.
func TestCheckRefusesWhatRunCannotOpen(t *testing.T) {
	state := t.TempDir()
	t.Setenv("STATE_DIRECTORY", state)
	missing := filepath.Join(state, "no-such-dir")
	for _, c := range []struct {
		old, new, want string
	}{
		{"listen: 127.0.0.1:8080", "listen: 0.0.0.0", `web.listen: "0.0.0.0" is not an address to listen on (address 0.0.0.0: missing port in address)`},
		{"listen: 127.0.0.1:8080", "listen: localhost", `web.listen: "localhost" is not an address to listen on`},
		{"listen: 127.0.0.1:8080", "listen: 127.0.0.1:99999", `web.listen: "127.0.0.1:99999" is not an address to listen on (address 99999: invalid port)`},
		{`token_file: ""`, fmt.Sprintf("token_file: %q", filepath.Join(missing, "token")), "web.token_file: directory " + missing + " does not exist"},
		{`token_file: ""`, `token_file: "sub/token"`, "web.token_file: directory " + filepath.Join(state, "sub") + " does not exist"},
		{"audit:\n  file: \"\"", fmt.Sprintf("audit:\n  file: %q", filepath.Join(missing, "audit.jsonl")), "audit.file: directory " + missing + " does not exist"},
	} {
		path, line := rulesEdited(t, c.old, c.new)
		for _, args := range [][]string{{"check", "-c", path}, {"check", "--dry-run", "-c", path}} {
			code, out, errs := runCLI(t, "", args...)
			want := fmt.Sprintf("%s:%d:", path, line)
			if code != 1 || strings.Contains(out, "ok") || !strings.Contains(errs, want) || !strings.Contains(errs, c.want) {
				t.Errorf("%s %q: code %d, want 1 with %s… %s:\n%s%s", c.new, args, code, want, c.want, out, errs)
			}
		}
		built := false
		testHookRig = func(*rig) { built = true }
		code, _, errs := runCLI(t, "", "run", "--dry-run", "--stdin", "-q", "-c", path)
		testHookRig = nil
		if code != 1 || built || !strings.Contains(errs, c.want) {
			t.Errorf("run with %s: code %d, rig built %v:\n%s", c.new, code, built, errs)
		}
	}
	if code, _, errs := runCLI(t, "", "--lang", "zh", "check", "-c", must(rulesEdited(t, "listen: 127.0.0.1:8080", "listen: 0.0.0.0"))); code != 1 ||
		!strings.Contains(errs, `web.listen: "0.0.0.0" 不是能监听的地址`) {
		t.Errorf("in Chinese: code %d\n%s", code, errs)
	}

	// In existing directories, and listening off (no token then), all pass.
	os.Mkdir(missing, 0o700)
	path, _ := rulesEdited(t, "listen: 127.0.0.1:8080", "listen: off", "audit:\n  file: \"\"", "audit:\n  file: no-such-dir/audit.jsonl",
		`token_file: ""`, `token_file: "/no/such/dir/token"`)
	if code, out, errs := runCLI(t, "", "check", "-c", path); code != 0 {
		t.Errorf("listen off, audit in an existing directory: code %d\n%s%s", code, out, errs)
	}
	path, _ = rulesEdited(t, "listen: 127.0.0.1:8080", "listen: localhost:0", `token_file: ""`, `token_file: "no-such-dir/token"`)
	if code, out, errs := runCLI(t, "", "check", "-c", path); code != 0 {
		t.Errorf("token in an existing directory: code %d\n%s%s", code, out, errs)
	}
}

func must[T any](v T, _ int) T { return v }
