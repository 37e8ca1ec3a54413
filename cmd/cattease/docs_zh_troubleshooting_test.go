package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/cattease/cattease/cmd/cattease/internal/i18n"
)

// troubleshootingMessages are the messages the hardware guides'
// troubleshooting tables quote, whole, as the source words them (with
// example values).
var troubleshootingMessages = []string{
	`pihost: no GPIO pin "GPIO71" (have GPIO0, GPIO1, GPIO2, GPIO3, GPIO4, GPIO5, GPIO6, GPIO7, GPIO8, GPIO9, GPIO10, GPIO11 and 42 more); list the names with ` + "`gpioinfo`" + ` (Debian package gpiod) or ` + "`pinctrl get`" + `; on Raspberry Pi OS they are GPIO0..GPIO27`,
	`pihost: no GPIO pin "GPIO17": ioctl-gpio: no GPIO chips found; is this a Raspberry Pi?; list the names with ` + "`gpioinfo`" + ` (Debian package gpiod) or ` + "`pinctrl get`" + `; on Raspberry Pi OS they are GPIO0..GPIO27`,
	`GPIOLine.Out(): line_request ioctl: device or resource busy`,
	`cattease: switch laser (GPIO17) is held by the running cattease (pid 1234), so halt could not drive it itself, and that instance has not recorded an emergency stop: make sure the output is off, or stop the service (sudo systemctl stop cattease)`,
	`pihost: open I²C bus "1": sysfs-i2c: no I²C bus found; enable I²C with ` + "`sudo raspi-config nonint do_i2c 0`" + ` (or dtparam=i2c_arm=on in /boot/firmware/config.txt) and reboot; /dev/i2c-1 must exist and the user must be in the i2c group`,
	`pca9685: init at 0x40 on I2C1: write /dev/i2c-1: remote I/O error (is the HAT powered, I²C enabled, the address right? try i2cdetect -y 1)`,
	`pca9685@0x40/ch1:tilt: pulse 2.48ms: remote I/O error (the channel is switched off until the next command)`,
	`sysfspwm: pan: no PWM chip "1f00098000.pwm" in /sys/class/pwm (have pwmchip0 = fe20c000.pwm)`,
	`actuators: open axis "pan" with sysfspwm: sysfspwm: pan: no PWM chips in /sys/class/pwm: add dtoverlay=pwm-2chan to /boot/firmware/config.txt and reboot`,
	`sysfspwm: tilt: /sys/class/pwm/pwmchip0/pwm2 not ready (open /sys/class/pwm/pwmchip0/pwm2/period: permission denied): gave up after 2s; is the user in the gpio group, or does a udev rule for the pwm subsystem exist?`,
	`rules.yaml:57:18: hardware.axes.tilt.servo.channel: channel 0 is "pan"'s channel too: one servo cannot be two axes`,
	`rules.yaml:41:9: hardware.axes.pan.servo: servo: pulse_min 1.5µs outside the plausible servo range [100µs, 3ms]`,
	`servo: angle 95° outside calibrated -90°..90°: actuators: value out of range`,
}

// quotes matches in order: each piece of quote between "…" is in text,
// after the piece before it.
func quotes(quote, text string) bool {
	at := 0
	for _, piece := range strings.Split(quote, "…") {
		piece = strings.TrimSpace(piece)
		i := strings.Index(text[at:], piece)
		if i < 0 {
			return false
		}
		at += i + len(piece)
	}
	return true
}

// TestDocsZhTroubleshootingQuotesTheChineseBinary: the Chinese guide's
// troubleshooting table quotes what the binary prints on a Chinese system
// (the catalogue's translation), with the English a journal on an
// English-locale Pi shows under it (英文界面). The table quoted the English
// messages alone, which a streamer reading zh output could not find.
func TestDocsZhTroubleshootingQuotesTheChineseBinary(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(repoRoot, "docs/zh/hardware.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, table, ok := strings.Cut(string(b), "\n## 排错\n")
	if !ok {
		t.Fatal("docs/zh/hardware.md: no ## 排错 section")
	}
	table, _, _ = strings.Cut(table, "\n## ")
	zh := i18n.For(i18n.Chinese)
	code := regexp.MustCompile("`([^`]+)`")
	rows := 0
	for _, line := range strings.Split(table, "\n") {
		if !strings.HasPrefix(line, "| `") {
			continue
		}
		rows++
		cell := strings.Split(line, " | ")[0]
		zhPart, enPart, hasEN := strings.Cut(cell, "英文界面：")
		zq := code.FindStringSubmatch(zhPart)
		var eq []string
		if hasEN {
			eq = code.FindStringSubmatch(enPart)
		}
		found := false
		for _, en := range troubleshootingMessages {
			if hasEN && (eq == nil || !quotes(eq[1], en)) {
				continue
			}
			if zq != nil && quotes(zq[1], zh.TranslateLine(en)) && (hasEN || zh.TranslateLine(en) == en) {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("docs/zh/hardware.md troubleshooting row quotes what the Chinese binary does not print (or lacks the English under it):\n\t%s", line)
		}
	}
	if rows < len(troubleshootingMessages) {
		t.Errorf("%d rows in the troubleshooting table, want %d", rows, len(troubleshootingMessages))
	}
	// The English guide quotes the same messages.
	en, err := os.ReadFile(filepath.Join(repoRoot, "docs/hardware.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, entable, _ := strings.Cut(string(en), "\n## Troubleshooting\n")
	entable, _, _ = strings.Cut(entable, "\n## ")
	for _, line := range strings.Split(entable, "\n") {
		if !strings.HasPrefix(line, "| `") {
			continue
		}
		q := code.FindStringSubmatch(line)
		found := false
		for _, m := range troubleshootingMessages {
			if quotes(q[1], m) {
				found = true
			}
		}
		if !found {
			t.Errorf("docs/hardware.md troubleshooting row quotes what the binary does not print:\n\t%s", line)
		}
	}
}

// TestDocsZhTokenIsLingpai: the Chinese guides, the panel and the binary
// call the panel's token 令牌; the installer and the hardware guide said
// 口令 (a spoken password) for the same file.
func TestDocsZhTokenIsLingpai(t *testing.T) {
	files := append(chineseDocs(t), filepath.Join(repoRoot, "deploy/install.sh"))
	for _, path := range files {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(b), "\n") {
			if strings.Contains(line, "口令") {
				t.Errorf("%s:%d: the panel's token is 令牌, not 口令:\n\t%s", path, i+1, line)
			}
		}
	}
}
