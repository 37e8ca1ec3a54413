//go:build unix

package main

import (
	"io"
	"os"
	"syscall"
)

// nonBlocking returns a writer of fh, a --trace that is no regular file
// (a FIFO, /dev/stdout into a pipe, a terminal), whose Write never waits:
// a pipe full, as its reader is slow or gone, fails it at once (EAGAIN),
// and the trace counts the line lost and writes a gap line before the
// next line that goes through. A line is written whole or not at all
// (up to PIPE_BUF, 4 KiB, a pipe takes a write whole), unless it is
// longer. fh is a new open file description of its own (opened by path),
// so the O_NONBLOCK set here is not the shell's stdout's.
func nonBlocking(fh *os.File) (io.Writer, error) {
	rc, err := fh.SyscallConn()
	if err != nil {
		return nil, err
	}
	var serr error
	if err := rc.Control(func(fd uintptr) { serr = syscall.SetNonblock(int(fd), true) }); err != nil {
		return nil, err
	}
	if serr != nil {
		return nil, serr
	}
	return &nonBlockingWriter{rc: rc, name: fh.Name()}, nil
}

type nonBlockingWriter struct {
	rc   syscall.RawConn
	name string
}

func (w *nonBlockingWriter) Write(p []byte) (int, error) {
	var n int
	var err error
	cerr := w.rc.Write(func(fd uintptr) bool {
		for {
			n, err = syscall.Write(int(fd), p)
			if err != syscall.EINTR {
				return true // done, or failed: never wait for the pipe to drain
			}
		}
	})
	if n < 0 {
		n = 0
	}
	switch {
	case cerr != nil:
		err = cerr
	case err != nil:
		err = &os.PathError{Op: "write", Path: w.name, Err: err}
	case n < len(p):
		err = &os.PathError{Op: "write", Path: w.name, Err: syscall.EAGAIN}
	}
	return n, err
}
