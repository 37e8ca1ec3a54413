package sysfspwm

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/cattease/cattease/actuators/servo"
)

// kernel fakes the kernel's (and udev's) side of a sysfs PWM tree in a temp
// dir: export creates pwmN/ on the next tick, files appear udevLag ticks
// later, unexport removes it. Its hook sees every write first, in order,
// and refuses the ones the kernel would (EINVAL, EBUSY), recording them as
// violations.
type kernel struct {
	t    *testing.T
	root string

	mu         sync.Mutex
	writes     []string // "pwmchip0/pwm2/duty_cycle=1500000", relative to root
	violations []string
	udevLag    int              // ticks between pwmN/ and its files
	pending    map[string]int   // channel dir → ticks until its files appear
	fail       map[string]error // relative path → error to return on write
	mode       os.FileMode      // mode of new channel files
	chmodAfter map[string]int   // channel dir → ticks until files become 0664
	ticks      int
}

type chipSpec struct {
	name   string // pwmchip0
	device string // 1f00098000.pwm
	npwm   int
}

func newKernel(t *testing.T, chips ...chipSpec) *kernel {
	t.Helper()
	tmp := t.TempDir()
	k := &kernel{t: t, root: filepath.Join(tmp, "class", "pwm"), pending: map[string]int{},
		fail: map[string]error{}, mode: 0o664, chmodAfter: map[string]int{}}
	must(t, os.MkdirAll(k.root, 0o755))
	for _, c := range chips {
		dev := filepath.Join(tmp, "devices", "platform", "axi", c.device)
		dir := filepath.Join(k.root, c.name)
		must(t, os.MkdirAll(dev, 0o755))
		must(t, os.MkdirAll(dir, 0o755))
		rel, err := filepath.Rel(dir, dev)
		must(t, err)
		must(t, os.Symlink(rel, filepath.Join(dir, "device")))
		must(t, os.WriteFile(filepath.Join(dir, "npwm"), []byte(strconv.Itoa(c.npwm)+"\n"), 0o444))
		must(t, os.WriteFile(filepath.Join(dir, "export"), nil, 0o660))
		must(t, os.WriteFile(filepath.Join(dir, "unexport"), nil, 0o660))
	}
	t.Cleanup(func() {
		if v := k.problems(); len(v) > 0 {
			t.Errorf("writes the kernel would refuse: %v", v)
		}
	})
	return k
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// mustOpen opens channel ch of the Pi 5's PWM as the axis name, at the
// default calibration, and fails the test if it cannot.
func (k *kernel) mustOpen(ch int, name string) *Servo {
	k.t.Helper()
	s, err := k.opener().Open(k.root, Pi5PWM, ch, name, servo.Default)
	if err != nil {
		k.t.Fatalf("open channel %d as %s: %v", ch, name, err)
	}
	return s
}

func (k *kernel) opener() Opener {
	return Opener{Wait: k.wait, hook: k.hook}
}

func (k *kernel) wait(attempt int) error {
	if attempt > 20 {
		return errors.New("fake timeout")
	}
	k.tick()
	return nil
}

// exportChannel makes chip/pwmN exist with its files, as after an earlier
// export, with the given contents.
func (k *kernel) exportChannel(chip string, n int, period, duty, enable, polarity string) {
	dir := filepath.Join(k.root, chip, "pwm"+strconv.Itoa(n))
	must(k.t, os.MkdirAll(dir, 0o755))
	for f, v := range map[string]string{"period": period, "duty_cycle": duty, "enable": enable, "polarity": polarity} {
		must(k.t, os.WriteFile(filepath.Join(dir, f), []byte(v+"\n"), 0o664))
	}
}

// tick plays the kernel and udev for one poll interval.
func (k *kernel) tick() {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.ticks++
	chips, _ := filepath.Glob(filepath.Join(k.root, "pwmchip*"))
	for _, chip := range chips {
		for _, f := range []string{"export", "unexport"} {
			p := filepath.Join(chip, f)
			b, _ := os.ReadFile(p)
			if len(b) == 0 {
				continue
			}
			must(k.t, os.WriteFile(p, nil, 0o660))
			dir := filepath.Join(chip, "pwm"+strings.TrimSpace(string(b)))
			if f == "unexport" {
				must(k.t, os.RemoveAll(dir))
				continue
			}
			must(k.t, os.MkdirAll(dir, 0o755))
			k.pending[dir] = k.udevLag
		}
	}
	for dir, left := range k.pending {
		if left > 0 {
			k.pending[dir] = left - 1
			continue
		}
		delete(k.pending, dir)
		for f, v := range map[string]string{"period": "0", "duty_cycle": "0", "enable": "0", "polarity": "normal"} {
			must(k.t, os.WriteFile(filepath.Join(dir, f), []byte(v+"\n"), k.mode))
		}
	}
	for dir, left := range k.chmodAfter {
		if left > 0 {
			k.chmodAfter[dir] = left - 1
			continue
		}
		delete(k.chmodAfter, dir)
		for _, f := range []string{"period", "duty_cycle", "enable", "polarity"} {
			_ = os.Chmod(filepath.Join(dir, f), 0o664)
		}
	}
}

func readNum(path string) int64 {
	b, err := os.ReadFile(path)
	if err != nil {
		return -1
	}
	n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
	if err != nil {
		return -1
	}
	return n
}

// hook checks a write against the kernel's rules before it lands.
func (k *kernel) hook(path, value string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	rel, err := filepath.Rel(k.root, path)
	if err != nil {
		return err
	}
	k.writes = append(k.writes, rel+"="+value)
	if err := k.fail[rel]; err != nil {
		return err
	}
	dir, file := filepath.Dir(path), filepath.Base(path)
	refuse := func(errno syscall.Errno, why string) error {
		k.violations = append(k.violations, fmt.Sprintf("%s=%s: %s", rel, value, why))
		return errno
	}
	var n int64
	if file != "polarity" {
		n, err = strconv.ParseInt(value, 10, 64)
		if err != nil || n < 0 {
			return refuse(syscall.EINVAL, "not a non-negative decimal")
		}
	}
	period, duty, enabled := readNum(filepath.Join(dir, "period")), readNum(filepath.Join(dir, "duty_cycle")), readNum(filepath.Join(dir, "enable")) == 1
	switch file {
	case "export":
		if _, err := os.Stat(filepath.Join(dir, "pwm"+value)); err == nil {
			return refuse(syscall.EBUSY, "already exported")
		}
	case "duty_cycle", "enable", "polarity":
		// Linux 6.x: each of these stores copies the channel's state,
		// changes one field and applies the whole state, and the apply
		// refuses a zero period before anything else (drivers/pwm/core.c:
		// "if (!pwm || !state || !state->period || state->duty_cycle >
		// state->period) return -EINVAL"). A channel freshly exported
		// after a reboot has period 0 (pwm-bcm2835 has no get_state;
		// pwm-rp1 reads 0 while disabled), so only period is writable.
		if period <= 0 {
			return refuse(syscall.EINVAL, "period is 0")
		}
	}
	switch file {
	case "duty_cycle":
		if n > period {
			return refuse(syscall.EINVAL, fmt.Sprintf("duty above period %d", period))
		}
	case "period":
		if n == 0 {
			return refuse(syscall.EINVAL, "period 0")
		}
		if n < duty {
			return refuse(syscall.EINVAL, fmt.Sprintf("period below duty %d", duty))
		}
	case "enable":
		if n > 1 {
			return refuse(syscall.EINVAL, "enable not 0/1")
		}
	case "polarity":
		if enabled {
			return refuse(syscall.EBUSY, "polarity while enabled")
		}
		if value != "normal" && value != "inversed" {
			return refuse(syscall.EINVAL, "bad polarity")
		}
	}
	return nil
}

// take returns and forgets the writes so far.
func (k *kernel) take() []string {
	k.mu.Lock()
	defer k.mu.Unlock()
	w := k.writes
	k.writes = nil
	return w
}

func (k *kernel) problems() []string {
	k.mu.Lock()
	defer k.mu.Unlock()
	return append([]string(nil), k.violations...)
}

func (k *kernel) setFail(rel string, err error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if err == nil {
		delete(k.fail, rel)
	} else {
		k.fail[rel] = err
	}
}

// channel reads back a channel's files.
func (k *kernel) channel(chip string, n int) (period, duty, enable int64) {
	dir := filepath.Join(k.root, chip, "pwm"+strconv.Itoa(n))
	return readNum(filepath.Join(dir, "period")), readNum(filepath.Join(dir, "duty_cycle")), readNum(filepath.Join(dir, "enable"))
}

func (k *kernel) state(chip string, n int) string {
	p, d, e := k.channel(chip, n)
	return fmt.Sprintf("period=%d duty_cycle=%d enable=%d", p, d, e)
}
