package web

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// MinTokenLen is the shortest token LoadOrCreateToken accepts from a file.
const MinTokenLen = 16

// LoadOrCreateToken returns the control token stored at path, creating the
// file with a new random token (256 bits, URL-safe) and mode 0600 when it
// does not exist; created says so, and the caller prints the token once. A
// token file that others may read, or that holds a short token, is an
// error rather than a silent weakness.
//
// The file appears whole or not at all: the token is written to a
// temporary file beside it, synced, and linked into place only if nothing
// is there yet, so a second process starting at the same moment reads
// either no file (and then the first one's) or the whole token, never a
// half-written one, and a power cut cannot leave an empty file behind.
//
// An empty file (or one of blanks or zero bytes) is replaced as if it were absent. That
// is what a power cut shortly after a first start left behind before the
// file was written this way (or still can, where the file system has no
// hard links): a file created whose data never reached the disk. It holds
// no token anyone could have been given, so nothing is lost by making a
// new one, whereas refusing it left a Pi that never came back after a
// power cut until someone deleted the file by hand. The new token is
// reported as created, so the caller prints where it is, as at a first
// start. A file that holds something, even a bad token, stays an error:
// someone wrote it.
func LoadOrCreateToken(path string) (token string, created bool, err error) {
	tok, err := readToken(path)
	replace := errors.Is(err, errEmptyToken)
	if err == nil || !replace && !errors.Is(err, fs.ErrNotExist) {
		return tok, false, err
	}
	var b [32]byte
	rand.Read(b[:]) // never fails (crypto/rand, Go 1.24+)
	tok = base64.RawURLEncoding.EncodeToString(b[:])
	won, err := writeToken(path, tok, replace)
	if err != nil {
		return "", false, err
	}
	if !won { // another process got there first: use its token
		tok, err = readToken(path)
		return tok, false, err
	}
	return tok, true, nil
}

// errEmptyToken: the token file is empty or blank.
var errEmptyToken = errors.New("empty")

// writeToken puts a file holding tok at path, durably: written to a
// temporary file in the same directory, synced, then linked into place if
// path does not exist yet (won is false if it does), or renamed over it
// if replace. The directory is synced last, so the new name survives a
// power cut too.
func writeToken(path, tok string, replace bool) (won bool, err error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".new-*") // mode 0600
	if err != nil {
		return false, fmt.Errorf("web: token file: %w", err)
	}
	tmp := f.Name()
	defer os.Remove(tmp) // after a link, the spare name; after a rename, nothing
	_, werr := f.WriteString(tok + "\n")
	if err := errors.Join(werr, f.Sync(), f.Close()); err != nil {
		return false, fmt.Errorf("web: token file: %w", err)
	}
	if replace {
		err = os.Rename(tmp, path)
	} else if err = os.Link(tmp, path); errors.Is(err, fs.ErrExist) {
		return false, nil
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		// No hard links here (a FAT stick, some network file systems):
		// create the file exclusively and sync it instead.
		return createToken(path, tok)
	}
	if err != nil {
		return false, fmt.Errorf("web: token file: %w", err)
	}
	syncDir(dir)
	return true, nil
}

// createToken is writeToken where hard links do not work: the file is
// visible before its token is written, but it is synced before use.
func createToken(path, tok string) (won bool, err error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("web: token file: %w", err)
	}
	_, werr := f.WriteString(tok + "\n")
	if err := errors.Join(werr, f.Sync(), f.Close()); err != nil {
		os.Remove(path)
		return false, fmt.Errorf("web: token file: %w", err)
	}
	syncDir(filepath.Dir(path))
	return true, nil
}

// syncDir makes a new name in dir durable. Best effort: some file systems
// cannot sync a directory, and then a power cut can at worst lose the new
// file, which the next start makes again.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

func readToken(path string) (string, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return "", fmt.Errorf("web: token file: %w", err)
	}
	if fi.Size() > 4096 {
		return "", fmt.Errorf("web: token file %s: too large for a token", path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("web: token file: %w", err)
	}
	tok := strings.TrimSpace(string(b))
	// Zeros are what a power cut leaves where data was allocated but never
	// written (a FAT stick, ext4 with data=writeback): blank too.
	if strings.Trim(tok, "\x00 \t\r\n") == "" && fi.Mode().IsRegular() {
		return "", fmt.Errorf("web: token file %s: %w", path, errEmptyToken)
	}
	if err := CheckTokenFileMode(path); err != nil {
		return "", err
	}
	if len(tok) < MinTokenLen || !cookieSafe(tok) {
		return "", fmt.Errorf("web: token file %s: want one token of at least %d printable ASCII characters, none of \"\\;, or space", path, MinTokenLen)
	}
	return tok, nil
}

// CheckTokenFileMode reports, as the server would refuse to start, a
// token file at path (the token, or the session key) that others may
// read. It tests the mode only: a file that cannot be looked at (one that
// does not exist yet is created 0600) is left to whoever opens it.
// cattease check runs it so as to pass only what run starts with.
func CheckTokenFileMode(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return nil
	}
	if readableByOthers(fi.Mode().Perm(), runtime.GOOS) {
		return fmt.Errorf("web: token file %s is readable by others (mode %04o); run chmod 600 on it", path, fi.Mode().Perm())
	}
	return nil
}

// readableByOthers reports whether a file of mode perm may be read by
// other users on goos. Windows shows every writable file as 0666 (who may
// read it is in its access list, not its mode), so a mode says nothing
// there; the token lives in the user's own %LOCALAPPDATA%, which other
// users cannot open.
func readableByOthers(perm fs.FileMode, goos string) bool {
	return goos != "windows" && perm&0o077 != 0
}

// cookieSafe reports whether tok can travel in a cookie unchanged.
func cookieSafe(tok string) bool {
	for i := range len(tok) {
		if c := tok[i]; c <= ' ' || c >= 0x7f || strings.IndexByte(`";,\`, c) >= 0 {
			return false
		}
	}
	return true
}
