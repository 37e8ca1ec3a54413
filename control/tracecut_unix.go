//go:build unix

package control

import (
	"io/fs"
	"syscall"
)

// FileBlockSize is the file system's block for the file fi describes
// (st_blksize), between 512 bytes and 1 MiB; 4096 where the system does
// not say. A TraceCutter on a file says it (BlockSize).
func FileBlockSize(fi fs.FileInfo) int {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && st.Blksize > 0 {
		return min(max(int(st.Blksize), 512), 1<<20)
	}
	return 4096
}
