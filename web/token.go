package web

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
)

// MinTokenLen is the shortest token LoadOrCreateToken accepts from a file.
const MinTokenLen = 16

// LoadOrCreateToken returns the control token stored at path, creating the
// file with a new random token (256 bits, URL-safe) and mode 0600 when it
// does not exist; created says so, and the caller prints the token once. A
// token file that others may read, or that holds a short token, is an
// error rather than a silent weakness.
func LoadOrCreateToken(path string) (token string, created bool, err error) {
	tok, err := readToken(path)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return tok, false, err
	}
	var b [32]byte
	rand.Read(b[:]) // never fails (crypto/rand, Go 1.24+)
	tok = base64.RawURLEncoding.EncodeToString(b[:])
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) { // another process won the race: use its token
		tok, err = readToken(path)
		return tok, false, err
	}
	if err != nil {
		return "", false, fmt.Errorf("web: token file: %w", err)
	}
	_, werr := f.WriteString(tok + "\n")
	if err := errors.Join(werr, f.Close()); err != nil {
		os.Remove(path)
		return "", false, fmt.Errorf("web: token file: %w", err)
	}
	return tok, true, nil
}

func readToken(path string) (string, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return "", fmt.Errorf("web: token file: %w", err)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return "", fmt.Errorf("web: token file %s is readable by others (mode %04o); run chmod 600 on it", path, fi.Mode().Perm())
	}
	if fi.Size() > 4096 {
		return "", fmt.Errorf("web: token file %s: too large for a token", path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("web: token file: %w", err)
	}
	tok := strings.TrimSpace(string(b))
	if len(tok) < MinTokenLen || !cookieSafe(tok) {
		return "", fmt.Errorf("web: token file %s: want one token of at least %d printable ASCII characters, none of \"\\;, or space", path, MinTokenLen)
	}
	return tok, nil
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
