// Package statefile writes the small files cattease keeps in its state
// directory across a restart (the laser forbids, a remote rig's stops) so
// that a power cut leaves the old file or the new one, never half of one.
package statefile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Write replaces path with b: a temporary file beside it, synced, renamed
// over it, the directory synced.
func Write(path string, b []byte) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, ".cattease-state-*")
	if err != nil {
		return fmt.Errorf("statefile: %w", err)
	}
	_, err = tmp.Write(b)
	err = errors.Join(err, tmp.Sync(), tmp.Close())
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("statefile: %s: %w", path, err)
	}
	syncDir(dir)
	return nil
}

// Remove removes path (gone already is fine) and syncs its directory.
func Remove(path string) error {
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("statefile: %w", err)
	}
	syncDir(filepath.Dir(path))
	return nil
}

// syncDir makes a rename or removal in dir survive a power cut.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
