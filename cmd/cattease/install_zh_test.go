package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// installIn runs deploy/install.sh with the locale env (and CATTEASE_LANG
// unset unless env sets it), staged into root.
func installIn(t *testing.T, root string, env []string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command("../../deploy/install.sh", args...)
	cmd.Env = append(os.Environ(), "DESTDIR="+root, "HOME="+t.TempDir(), "XDG_STATE_HOME=", "STATE_DIRECTORY=",
		"CATTEASE_LANG=", "LC_ALL=", "LC_MESSAGES=", "LANG=")
	cmd.Env = append(cmd.Env, env...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// installEnglish are sentences of install.sh that a Chinese run must not
// print.
var installEnglish = []string{
	"Installed", "Next, on the Pi", "Before enabling", "must succeed", "servo to centre", "The panel token",
	"The rules name no chat source", "DESTDIR set", "note: no group", "keeping", "Dry run", "nothing was changed",
	"as you:", "is installed and differs", "Nothing was changed", "needs --rules", "no such file", "unknown argument",
	"Install cattease as a systemd service", "A running service", "Restart it now", "The service is not running",
	"Do not start it yet", "Staged:", "If it does", "When it is right",
}

func leftEnglish(t *testing.T, what, out string) {
	t.Helper()
	for _, en := range installEnglish {
		if strings.Contains(out, en) {
			t.Errorf("%s: %q left in English:\n%s", what, en, out)
		}
	}
}

// The installer speaks Chinese where cattease does (LANG=zh_CN.UTF-8, or
// CATTEASE_LANG=zh): every message of a first install, an upgrade, a dry
// run and its refusals.
func TestServiceInstallScriptInChinese(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := catteaseBinary(t)
	zh := []string{"LANG=zh_CN.UTF-8"}
	root := t.TempDir()

	out, err := installIn(t, root, zh, "--binary", bin)
	if err != nil || !strings.Contains(out, "已安装。接下来在树莓派上：") || !strings.Contains(out, "规则里还没有写弹幕来源") ||
		!strings.Contains(out, "sudo -u cattease env STATE_DIRECTORY=/var/lib/cattease cattease halt -c /etc/cattease/rules.yaml      # 必须成功") {
		t.Errorf("first install: %v\n%s", err, out)
	}
	leftEnglish(t, "first install", out)
	if !strings.Contains(out, "面板的令牌在第一次启动时生成") || strings.Contains(out, "口令") {
		t.Errorf("first install: the panel's token is 令牌, as everywhere else:\n%s", out)
	}

	out, err = installIn(t, root, zh, "--binary", bin)
	if err != nil || !strings.Contains(out, "保留 "+root+"/etc/cattease/rules.yaml") {
		t.Errorf("upgrade: %v\n%s", err, out)
	}
	leftEnglish(t, "upgrade", out)

	installed, _ := os.ReadFile(filepath.Join(root, "etc/cattease/rules.yaml"))
	mine := filepath.Join(t.TempDir(), "my-rules.yaml")
	os.WriteFile(mine, bytes.Replace(installed, []byte("ceiling: 42°"), []byte("ceiling: 30°"), 1), 0o644)
	out, err = installIn(t, root, zh, "--binary", bin, "--rules", mine)
	if err == nil || !strings.Contains(out, "什么都没改。要装 "+mine+"，请加上 --replace-rules") {
		t.Errorf("fitted rules without --replace-rules: %v\n%s", err, out)
	}
	leftEnglish(t, "refusal", out)
	out, err = installIn(t, root, zh, "--binary", bin, "--replace-rules")
	if err == nil || !strings.Contains(out, "--replace-rules 要和 --rules 文件 一起用") {
		t.Errorf("--replace-rules alone: %v\n%s", err, out)
	}
	out, err = installIn(t, root, zh, "--binary", bin, "--rules", mine, "--replace-rules")
	if err != nil || !strings.Contains(out, "已安装：") || !strings.Contains(out, "在运行的话：正在运行的服务") || !strings.Contains(out, "没在运行的话：先别启动它") {
		t.Errorf("--replace-rules: %v\n%s", err, out)
	}
	leftEnglish(t, "--replace-rules", out)

	for _, env := range [][]string{zh, {"LC_ALL=zh_CN.UTF-8", "LANG=en_US.UTF-8"}, {"CATTEASE_LANG=zh", "LANG=C"}} {
		dry := t.TempDir()
		out, err := installIn(t, dry, env, "--dry-run", "--binary", bin)
		if err != nil || !strings.Contains(out, "演练（--dry-run）：什么都没改。") {
			t.Errorf("dry run with %v: %v\n%s", env, err, out)
		}
		leftEnglish(t, "dry run", out)
	}
	// English where the locale or CATTEASE_LANG says so.
	for _, env := range [][]string{{"LANG=C.UTF-8"}, {"CATTEASE_LANG=en", "LANG=zh_CN.UTF-8"}, {"LC_ALL=C", "LANG=zh_CN.UTF-8"}} {
		out, err := installIn(t, t.TempDir(), env, "--dry-run", "--binary", bin)
		if err != nil || !strings.Contains(out, "Dry run: nothing was changed") || strings.Contains(out, "演练") {
			t.Errorf("dry run with %v: %v\n%s", env, err, out)
		}
	}

	out, err = installIn(t, t.TempDir(), zh, "--bogus")
	if err == nil || !strings.Contains(out, "install.sh：不认识的参数 --bogus") || !strings.Contains(out, "把 cattease 安装为 systemd 服务") {
		t.Errorf("an unknown argument: %v\n%s", err, out)
	}
	leftEnglish(t, "usage", out)
}

// The architecture refusal on an amd64 Debian system, in Chinese.
func TestServiceInstallRefusesAnotherArchitectureInChinese(t *testing.T) {
	if _, err := exec.LookPath("dpkg"); err != nil {
		t.Skip("no dpkg here")
	}
	sys, err := exec.Command("dpkg", "--print-architecture").Output()
	if err != nil || strings.TrimSpace(string(sys)) != "amd64" {
		t.Skipf("written for an amd64 Debian system (dpkg says %q)", sys)
	}
	head := []byte{0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0xb7, 0}
	arm64 := filepath.Join(t.TempDir(), "cattease-linux-arm64")
	if err := os.WriteFile(arm64, append(head, make([]byte, 64)...), 0o755); err != nil {
		t.Fatal(err)
	}
	out, err := installIn(t, "", []string{"LANG=zh_CN.UTF-8"}, "--dry-run", "--binary", arm64)
	if err == nil || !strings.Contains(out, "是 arm64 程序，但这个系统的程序是 amd64 的（dpkg --print-architecture）：请用 amd64 版（make build）") {
		t.Fatalf("an arm64 binary on amd64: %v\n%s", err, out)
	}
}
