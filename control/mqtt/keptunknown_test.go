package mqtt

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// A kept forbid that names a switch the rules do not have (renamed since,
// or the Pi's laser named otherwise than in the run side's rules) holds as
// kept, and every laser of the rules is forbidden by that side too, its
// stop restored as kept, and the error says why. Before 8ee5442, the old
// name alone was forbidden and the renamed laser allowed; after it, the
// kept name was replaced by the rules' names, and the Pi's laser, named
// otherwise, was no longer forbidden after a restart of the run side.
func TestRemoteKeptForbidOfAnUnknownSwitch(t *testing.T) {
	for _, c := range []struct {
		name, body string
		noDevice   bool
		dev, run   bool // the laser forbidden by the device, by the run
		held, stop bool
		say        string
		devKept    []string // the unknown names the device forbids, as kept
		runKept    []string // the unknown names the run forbids
	}{
		{"run", `{"held":false,"forbidden":null,"run_stop":true,"run_forbidden":["old"]}`, false, false, true, false, true, "the run's laser forbid kept in", nil, []string{"old"}},
		{"device", `{"held":true,"forbidden":["old"]}`, false, true, false, true, false, "the Home Assistant device's laser forbid kept in", []string{"old"}, nil},
		{"both", `{"held":false,"forbidden":["laser","old"],"run_forbidden":["older"]}`, false, true, true, false, false, "the laser forbids kept in", []string{"old"}, []string{"older"}},
		{"one of two", `{"held":false,"forbidden":["beam","laser"],"run_forbidden":["laser","old"]}`, false, true, true, false, false, "the run's laser forbid kept in", nil, []string{"old"}},
		{"control off", `{"held":false,"forbidden":["old"]}`, true, false, true, false, false, "as the run's", nil, []string{"old"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "device")
			if err := os.WriteFile(file, []byte(c.body), 0o600); err != nil {
				t.Fatal(err)
			}
			r := &Remote{Topics: Topics{Base: "cattease", Rig: "kitten"}, Lasers: []string{"beam", "laser"}, StateFile: file, NoDeviceControl: c.noDevice}
			err := r.Restore()
			if err == nil || !strings.Contains(err.Error(), c.say) || !strings.Contains(err.Error(), "which the rules do not have") {
				t.Errorf("error %v, want it to say %q and why", err, c.say)
			}
			for _, name := range []string{"beam", "laser"} {
				if r.devOff[name] != c.dev || r.runOff[name] != c.run {
					t.Errorf("%s forbidden by the device %v, by the run %v; want %v, %v", name, r.devOff[name], r.runOff[name], c.dev, c.run)
				}
			}
			for _, name := range []string{"old", "older"} {
				if r.devOff[name] != slices.Contains(c.devKept, name) || r.runOff[name] != slices.Contains(c.runKept, name) {
					t.Errorf("the unknown %s forbidden by the device %v, by the run %v; want %v, %v (as kept)",
						name, r.devOff[name], r.runOff[name], slices.Contains(c.devKept, name), slices.Contains(c.runKept, name))
				}
			}
			if r.held != c.held || r.runStop != c.stop {
				t.Errorf("held %v, the run's stop %v; want %v, %v (as kept)", r.held, r.runStop, c.held, c.stop)
			}
		})
	}
	// names the rules have are taken as they are, without a word
	file := filepath.Join(t.TempDir(), "device")
	if err := os.WriteFile(file, []byte(`{"held":false,"forbidden":["beam"]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	r := &Remote{Topics: Topics{Base: "cattease", Rig: "kitten"}, Lasers: []string{"beam", "laser"}, StateFile: file}
	if err := r.Restore(); err != nil {
		t.Fatal(err)
	}
	if !r.devOff["beam"] || r.devOff["laser"] {
		t.Errorf("forbidden by the device: %v, want beam alone", r.devOff)
	}
}
