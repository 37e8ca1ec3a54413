package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// Axis roles (Axis.Role).
const (
	RolePan  = "pan"  // left and right
	RoleTilt = "tilt" // near and far, towards the horizon
)

// CeilingMargin is how far below safety.ceiling the tilt axis stops, in
// degrees: the usable tilt maximum is min(max, ceiling − CeilingMargin).
// Validation and the envelope both use UsableTiltMax, so a file that
// passes `check` starts.
const CeilingMargin = 0.01

// UsableTiltMax is the highest tilt the envelope sends: the axis maximum,
// lowered to ceiling − CeilingMargin when a ceiling is set.
func UsableTiltMax(max float64, ceiling *float64) float64 {
	if ceiling == nil {
		return max
	}
	return min(max, *ceiling-CeilingMargin)
}

// HasLaser reports whether any switch is a laser.
func (f *File) HasLaser() bool {
	for name, s := range f.Hardware.Switches {
		if s.IsLaser(name) {
			return true
		}
	}
	return false
}

// AimAxes names the axes that aim the dot: the axes with role pan and role
// tilt. A rig without a laser and without roles falls back to safety.aim
// (default pan and tilt). Either name is "" when no axis has that role.
// The envelope, the monitor and the plot all take the aim from here.
func (f *File) AimAxes() (pan, tilt string) {
	for _, name := range sortedNames(f.Hardware.Axes) {
		switch f.Hardware.Axes[name].Role {
		case RolePan:
			if pan == "" {
				pan = name
			}
		case RoleTilt:
			if tilt == "" {
				tilt = name
			}
		}
	}
	if pan != "" || tilt != "" || f.HasLaser() {
		return pan, tilt
	}
	return f.Safety.Aim.Pan, f.Safety.Aim.Tilt
}

// TiltMax is the usable maximum of the tilt axis (see UsableTiltMax); 0
// when there is no tilt axis.
func (f *File) TiltMax() Angle {
	_, tilt := f.AimAxes()
	a, ok := f.Hardware.Axes[tilt]
	if !ok {
		return 0
	}
	var c *float64
	if f.Safety.Ceiling != nil {
		v := float64(*f.Safety.Ceiling)
		c = &v
	}
	return Angle(UsableTiltMax(float64(a.Max), c))
}

// isCeilingAxis reports whether the ceiling limits the axis called name.
func (f *File) isCeilingAxis(name string) bool {
	_, tilt := f.AimAxes()
	return f.Safety.Ceiling != nil && name == tilt
}

// LedgerPath is where the daily laser account is kept: safety.state_file
// resolved in the state directory (see StateDir and StatePath), never
// beside rules.yaml.
func (f *File) LedgerPath() (string, error) {
	if filepath.IsAbs(f.Safety.StateFile) {
		return filepath.Clean(f.Safety.StateFile), nil
	}
	dir, err := StateDir()
	if err != nil {
		return "", fmt.Errorf("config: safety.state_file: %w", err)
	}
	return StatePath(dir, f.Safety.StateFile, DefaultStateFile), nil
}

// ledger checks that a live run can keep the daily laser account: the
// directory of LedgerPath exists or is created (0700, as systemd's
// StateDirectory= would), and a file can be created and removed there.
func (v *validator) ledger(f *File) {
	if !f.HasLaser() {
		return
	}
	path, err := f.LedgerPath()
	if err != nil {
		v.add("safety.state_file", "no place for the daily laser account: %v; %s", unprefix(err), ledgerFix)
		return
	}
	if err := probeDir(filepath.Dir(path)); err != nil {
		v.add("safety.state_file", "cannot keep the daily laser account at %s: %v; %s", path, unprefix(err), ledgerFix)
	}
}

// ledgerFix says what to do when the daily laser account has no place: a
// constant of the package, so that the catalogue test sees it (cmd/cattease
// translates it with the message).
const ledgerFix = "run with --dry-run, set STATE_DIRECTORY to a writable directory, or give safety.state_file an absolute path"

// probeDir makes dir if it is missing and checks that it takes a new file.
func probeDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	fh, err := os.CreateTemp(dir, ".cattease-check-*")
	if err != nil {
		return err
	}
	name := fh.Name()
	return errors.Join(fh.Close(), os.Remove(name))
}

// unprefix drops the "config: " of an error from this package when it is
// quoted inside a positioned message.
func unprefix(err error) string {
	s := err.Error()
	for _, p := range []string{"config: safety.state_file: ", "config: "} {
		if len(s) > len(p) && s[:len(p)] == p {
			return s[len(p):]
		}
	}
	return s
}
