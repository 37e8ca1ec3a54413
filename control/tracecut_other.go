//go:build !unix

package control

import "io/fs"

// FileBlockSize is the file system's block for the file fi describes:
// 4096, the system does not say.
func FileBlockSize(fs.FileInfo) int { return 4096 }
