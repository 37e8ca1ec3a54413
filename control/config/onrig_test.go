package config

import (
	"reflect"
	"strings"
	"testing"
)

// TestOnRig: a new file runs on the hardware and safety of the file the
// rig was built from; its commands are checked against them, and a
// problem is positioned in the new file and says a restart applies it.
func TestOnRig(t *testing.T) {
	rig, err := Parse("built.yaml", []byte(minimal))
	if err != nil {
		t.Fatal(err)
	}
	faster := strings.Replace(minimal, "90°/s", "120°/s", 1) + "  - {name: right, aliases: [右], do: {move: pan, by: 5°}}\n"
	f, err := Parse("new.yaml", []byte(faster))
	if err != nil {
		t.Fatal(err)
	}
	g, err := f.OnRig(rig)
	if err != nil || g.Hardware.Axes["pan"].Speed != 90 || len(g.Commands) != 2 || f.Hardware.Axes["pan"].Speed != 120 {
		t.Fatalf("OnRig: %v %+v", err, g)
	}
	if !reflect.DeepEqual(g.Safety, rig.Safety) {
		t.Errorf("safety is the new file's: %+v", g.Safety)
	}

	renamed := strings.NewReplacer("lamp:", "beam:", "pan:", "yaw:", "move: pan", "move: yaw").Replace(minimal) +
		"  - {name: on, aliases: [开], do: {switch: beam, on: true}}\n"
	f, err = Parse("new.yaml", []byte(renamed))
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.OnRig(rig)
	for _, want := range []string{
		`new.yaml:11:16: commands[0].do.move: unknown axis "yaw" on the running rig: restart to apply hardware changes`,
		`new.yaml:12:43: commands[1].do.switch: unknown switch "beam" on the running rig: restart to apply hardware changes`,
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("want %s, got:\n%v", want, err)
		}
	}
}
