package sysfspwm

import (
	"path/filepath"
	"sync"
)

// claims is the table of channels open in this process: channel directory
// (the chip's symlinks resolved) → axis name. Two axes on one channel would
// each drive the other's servo: pan's commands would move the tilt servo,
// past the ceiling. The pca9685 driver refuses the same mistake per Board;
// sysfs channels belong to the whole process, so the table does too.
var claims = struct {
	mu sync.Mutex
	by map[string]string
}{by: map[string]string{}}

// claimKey names dir's channel whatever path led to it: /sys/class/pwm's
// pwmchipN entries are symlinks into /sys/devices, and a chip may be named
// by its device or as pwmchipN.
func claimKey(dir string) string {
	if chip, err := filepath.EvalSymlinks(filepath.Dir(dir)); err == nil {
		return filepath.Join(chip, filepath.Base(dir))
	}
	return filepath.Clean(dir)
}

// claim records that axis name drives the channel key, or returns the axis
// that already does.
func claim(key, name string) (other string, ok bool) {
	claims.mu.Lock()
	defer claims.mu.Unlock()
	if other, taken := claims.by[key]; taken {
		return other, false
	}
	claims.by[key] = name
	return "", true
}

// release frees the channel for another Open.
func release(key string) {
	claims.mu.Lock()
	defer claims.mu.Unlock()
	delete(claims.by, key)
}
