//go:build unix

package main

import (
	"errors"
	"os"
	"syscall"
)

// tryLock takes an flock on f, exclusive or shared, without waiting:
// errLocked if another open file holds a conflicting one. The lock goes
// with the last descriptor of f, however the process ends.
func tryLock(f *os.File, exclusive bool) error {
	how := syscall.LOCK_SH
	if exclusive {
		how = syscall.LOCK_EX
	}
	err := syscall.Flock(int(f.Fd()), how|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return errLocked
	}
	return err
}

// removeLocked removes the pid file at path, then closes (and so
// unlocks) f: whoever opens the name from then on finds no file or a new
// one, never ours unlocked.
func removeLocked(f *os.File, path string) {
	os.Remove(path)
	f.Close()
}
