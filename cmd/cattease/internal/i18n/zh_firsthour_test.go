package i18n

import (
	"errors"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cattease/cattease/actuators/pihost"
	"github.com/cattease/cattease/danmu/replay"
)

// english returns the phrases still in got.
func english(got string, phrases ...string) []string {
	var left []string
	for _, p := range phrases {
		if strings.Contains(got, p) {
			left = append(left, p)
		}
	}
	return left
}

// A Pi's first setup: the GPIO and I²C errors, as cattease prints them
// when a rig's outputs open (run) or halt drives them, read in Chinese.
// On a machine without GPIO chips and I²C buses, as the tests run.
func TestFirstPiSetupMessagesTranslate(t *testing.T) {
	chips, _ := filepath.Glob("/dev/gpiochip*")
	buses, _ := filepath.Glob("/dev/i2c-*")
	if len(chips) > 0 || len(buses) > 0 {
		t.Skip("this machine has GPIO chips or I²C buses")
	}
	_, pinErr := pihost.Pin("GPIO17")
	_, busErr := pihost.OpenI2C("1")
	if errors.Is(pinErr, pihost.ErrUnsupported) {
		t.Skip("no Linux GPIO here")
	}
	cat := For(Chinese)
	for _, c := range []struct {
		msg     string
		english []string
	}{
		{"cattease: actuators: open switch \"laser\" with gpio: " + pinErr.Error() + "; to try without the hardware, add --dry-run (mock outputs, same limits)",
			[]string{"open switch", "no GPIO pin", "no GPIO chips", "Raspberry Pi?", "list the names", "Debian package", "they are", "to try"}},
		{"cattease: halt laser: " + pinErr.Error(),
			[]string{"halt laser", "no GPIO pin", "Raspberry Pi?", "list the names"}},
		{"cattease: halt pca9685: " + busErr.Error(),
			[]string{"halt", "open I²C bus", "no I²C bus found", "enable I²C", "and reboot", "must exist", "i2c group"}},
		{"cattease: pca9685: " + busErr.Error(),
			[]string{"open I²C bus", "enable I²C", "i2c group"}},
	} {
		got := cat.Translate(c.msg)
		if left := english(got, c.english...); len(left) > 0 || !hasHan(got) {
			t.Errorf("%s\n\tread %s\n\tstill English: %q", c.msg, got, left)
		}
		if !strings.Contains(got, "GPIO17") && strings.Contains(c.msg, "GPIO17") {
			t.Errorf("the pin's name lost: %s", got)
		}
	}
}

// replay's skipped lines: the reason as well as the line number.
func TestReplaySkippedLinesTranslate(t *testing.T) {
	const good = `{"kind":"chat","time":"2026-11-22T20:00:00Z","user":{"id":"1","name":"a"},"text":"左"}`
	in := strings.Join([]string{
		good,
		`{"kind":"chat","time":"2026-11-22T20:00:01Z","user":{"id":"1","name":"a"},"te`,
		`{"kind":"nap","time":"2026-11-22T20:00:02Z"}`,
		`{"kind":"chat","user":{"id":"1","name":"a"},"text":"左"}`,
		`{"kind":"chat","time":"2026-11-22T20:00:03Z","mood":"grumpy"}`,
		`{"kind":"chat","time":"2300-01-01T00:00:00Z","user":{"id":"1","name":"a"},"text":"左"}`,
		good + good,
		strings.Repeat("x", replay.MaxLine+10),
	}, "\n") + "\n"
	d := replay.NewDecoder(strings.NewReader(in))
	var skipped []string
	for {
		_, err := d.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if !errors.Is(err, replay.ErrBadEvent) {
				t.Fatal(err)
			}
			skipped = append(skipped, "skipped: "+err.Error()) // as replay prints them
		}
	}
	if len(skipped) != 7 {
		t.Fatalf("%d lines skipped, want 7: %q", len(skipped), skipped)
	}
	c := For(Chinese)
	for _, msg := range skipped {
		got := c.Translate(msg)
		if left := english(got, "skipped", "line ", "bad event", "unexpected EOF", "unknown kind", "no time", "unknown field", "outside the years", "more after", "longer than"); len(left) > 0 &&
			!(len(left) == 1 && left[0] == "unexpected EOF" && strings.Contains(got, "（unexpected EOF）")) {
			t.Errorf("%s\n\tread %s\n\tstill English: %q", msg, got, left)
		}
		if !strings.HasPrefix(got, "已跳过：replay: 第 ") {
			t.Errorf("%s\n\tread %s", msg, got)
		}
	}
}

// The coverage test sees the messages of a first hour that it once
// missed: built by concatenation (the --record file's and the audit
// log's), in a constant local to a function (check's advice for the
// laser account), or in packages it did not read (the Pi's GPIO and I²C,
// the output drivers, replay's skipped lines). A message it cannot see
// can ship untranslated.
func TestCoverageSeesFirstHourMessages(t *testing.T) {
	seen := map[string]bool{}
	for _, m := range sourceMessages(t) {
		seen[m.format] = true
	}
	for _, want := range []string{
		"%s: write failed; keeping events in memory and retrying",
		"%s: writing again",
		"run with --dry-run, set STATE_DIRECTORY to a writable directory, or give safety.state_file an absolute path",
		"no GPIO pin %q: %s; is this a Raspberry Pi?; %s",
		"no GPIO pin %q (have %s and %d more); %s",
		"no GPIO lines registered",
		"list the names with `gpioinfo` (Debian package gpiod) or `pinctrl get`; on Raspberry Pi OS they are GPIO0..GPIO27",
		"open I²C bus %q (have %s); %s",
		"enable I²C with `sudo raspi-config nonint do_i2c 0` (or dtparam=i2c_arm=on in /boot/firmware/config.txt) and reboot; /dev/i2c-1 must exist and the user must be in the i2c group",
		"open %s %q with %s: %w",
		"init at %#x on %s: %w (is the HAT powered, I²C enabled, the address right? try i2cdetect -y 1)",
		"no PWM chips in %s: add dtoverlay=pwm-2chan to /boot/firmware/config.txt and reboot",
		"%s: set %s %s: %w",
		"line %d: %w",
		"%w: unknown kind %q",
	} {
		if !seen[want] {
			t.Errorf("the coverage test does not see %q", want)
		}
	}
}
