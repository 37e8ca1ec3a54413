//go:build unix

package main

import (
	"os"
	"syscall"
)

// ownFile reports whether f belongs to this process's user.
func ownFile(f *os.File) bool {
	fi, err := f.Stat()
	if err != nil {
		return false
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	return ok && int(st.Uid) == os.Geteuid()
}
