package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestServiceInstallReplaceRulesAsksWhetherTheServiceRuns: after
// --replace-rules the installer says to restart the service only when
// systemd says it is active. `systemctl restart` starts a unit that is not
// running, so a streamer who follows the terminal on a first install would
// start the real rig before the guide's dry run (which then refuses to run
// beside it): a service that is not running gets the guide's steps, the
// check and the dry run as its user, then one watched start. A staging
// (DESTDIR) does not ask this machine's systemd about another machine's
// service, and says both. A stand-in systemctl on PATH answers; the
// installer asks it under DESTDIR when CATTEASE_SYSTEMCTL names it.
func TestServiceInstallReplaceRulesAsksWhetherTheServiceRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := catteaseBinary(t)
	fake := t.TempDir()
	calls := filepath.Join(fake, "calls")
	// is-active exits 0 for an active unit and 3 for an inactive one.
	script := "#!/bin/sh\necho \"$*\" >>" + calls + "\ncase \"$*\" in\n\"is-active --quiet cattease\") exit ${FAKE_ACTIVE_RC:-3} ;;\nesac\nexit 1\n"
	if err := os.WriteFile(filepath.Join(fake, "systemctl"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	path := "PATH=" + fake + string(os.PathListSeparator) + os.Getenv("PATH")

	const (
		restart   = "sudo systemctl restart cattease"
		start     = "sudo systemctl start cattease"
		checkStep = "sudo -u cattease env STATE_DIRECTORY=/var/lib/cattease cattease check -c /etc/cattease/rules.yaml"
		dryStep   = "sudo -u cattease env STATE_DIRECTORY=/var/lib/cattease cattease run --dry-run --stdin -c /etc/cattease/rules.yaml"
	)
	for _, c := range []struct {
		name string
		env  []string
		// what the closing lines say
		restart, steps, asked bool
		says                  []string
	}{
		{name: "active", env: []string{"CATTEASE_SYSTEMCTL=systemctl", "FAKE_ACTIVE_RC=0"},
			restart: true, asked: true, says: []string{"Restart it now:"}},
		{name: "active, Chinese", env: []string{"CATTEASE_SYSTEMCTL=systemctl", "FAKE_ACTIVE_RC=0", "LANG=zh_CN.UTF-8"},
			restart: true, asked: true, says: []string{"现在重启它："}},
		{name: "inactive", env: []string{"CATTEASE_SYSTEMCTL=systemctl", "FAKE_ACTIVE_RC=3"},
			steps: true, asked: true, says: []string{"The service is not running. Do not start it yet", "must print ok"}},
		{name: "inactive, Chinese", env: []string{"CATTEASE_SYSTEMCTL=systemctl", "FAKE_ACTIVE_RC=3", "LANG=zh_CN.UTF-8"},
			steps: true, asked: true, says: []string{"服务没有在运行。先别启动它", "必须输出“没问题”", "第一次真机运行，要有人看着"}},
		{name: "no systemctl", env: []string{"CATTEASE_SYSTEMCTL=" + filepath.Join(fake, "none")},
			steps: true, says: []string{"The service is not running."}},
		// A staging: this machine's systemd, active here, is not asked.
		{name: "staged", env: []string{"FAKE_ACTIVE_RC=0"},
			restart: true, steps: true, says: []string{"Staged: the machine these files are for was not asked", "If it does not: Do not start it yet"}},
		{name: "staged, Chinese", env: []string{"FAKE_ACTIVE_RC=0", "LANG=zh_CN.UTF-8"},
			restart: true, steps: true, says: []string{"这是装进目录，没有问过那台机器上的服务在不在运行。在运行的话：", "没在运行的话：先别启动它"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			os.Remove(calls)
			root := t.TempDir()
			if out, err := installIn(t, root, []string{path}, "--binary", bin); err != nil {
				t.Fatalf("first install: %v\n%s", err, out)
			}
			installed, _ := os.ReadFile(filepath.Join(root, "etc/cattease/rules.yaml"))
			mine := filepath.Join(t.TempDir(), "my-rules.yaml")
			os.WriteFile(mine, bytes.Replace(installed, []byte("ceiling: 42°"), []byte("ceiling: 30°"), 1), 0o644)
			out, err := installIn(t, root, append([]string{path}, c.env...), "--binary", bin, "--rules", mine, "--replace-rules")
			if err != nil {
				t.Fatalf("--replace-rules: %v\n%s", err, out)
			}
			if got := strings.Contains(out, restart); got != c.restart {
				t.Errorf("says %q: %v, want %v\n%s", restart, got, c.restart, out)
			}
			for _, step := range []string{checkStep, dryStep, start} {
				if got := strings.Contains(out, step); got != c.steps {
					t.Errorf("says %q: %v, want %v\n%s", step, got, c.steps, out)
				}
			}
			if c.steps && !(strings.Index(out, checkStep) < strings.Index(out, dryStep) && strings.Index(out, dryStep) < strings.Index(out, start)) {
				t.Errorf("the steps are not check, dry run, start, in that order:\n%s", out)
			}
			for _, s := range c.says {
				if !strings.Contains(out, s) {
					t.Errorf("does not say %q:\n%s", s, out)
				}
			}
			if strings.Contains(c.name, "Chinese") {
				leftEnglish(t, c.name, out)
			}
			asked, _ := os.ReadFile(calls)
			if got := strings.Contains(string(asked), "is-active --quiet cattease"); got != c.asked {
				t.Errorf("asked systemctl is-active: %v, want %v (calls: %q)", got, c.asked, asked)
			}
		})
	}
}
