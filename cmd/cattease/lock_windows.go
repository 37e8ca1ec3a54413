package main

import (
	"errors"
	"os"

	"golang.org/x/sys/windows"
)

// lockOffset is where the lock lies: one byte far past any content.
// Windows's locks are mandatory, so a lock on the content would keep a
// second `cattease run` from reading the pid it reports.
const lockOffset = 1 << 62

// tryLock takes a LockFileEx lock on f, exclusive or shared, without
// waiting: errLocked if another open file holds a conflicting one.
// Windows drops the lock with the handle, however the process ends.
func tryLock(f *os.File, exclusive bool) error {
	flags := uint32(windows.LOCKFILE_FAIL_IMMEDIATELY)
	if exclusive {
		flags |= windows.LOCKFILE_EXCLUSIVE_LOCK
	}
	ol := windows.Overlapped{Offset: uint32(lockOffset & 0xffffffff), OffsetHigh: uint32(lockOffset >> 32)}
	err := windows.LockFileEx(windows.Handle(f.Fd()), flags, 0, 1, 0, &ol)
	if errors.Is(err, windows.ERROR_LOCK_VIOLATION) {
		return errLocked
	}
	return err
}

// removeLocked closes (and so unlocks) f, then removes the pid file at
// path. The other order is not possible here: Windows deletes no file
// that is open (Go opens files without FILE_SHARE_DELETE). Nor is it
// needed: a second instance that opened the name in between holds it
// open, so the removal fails and its pid file stays.
func removeLocked(f *os.File, path string) {
	f.Close()
	os.Remove(path)
}
