package config

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"
)

func TestCheckMQTT(t *testing.T) {
	base, err := os.ReadFile("../../rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		section string
		want    []string // substrings of the problems, in order; none = fine
	}{
		{"mqtt:\n  url: mqtt://broker.lan:1883\n  rig: cat-2\n  control: true\n", nil},
		{"mqtt:\n  url: mqtts://user:hunter2@broker.lan:8883\n", nil},
		{"mqtt:\n  url: http://broker.lan\n", []string{"{line 2}:8: mqtt.url", "use mqtt://"}},
		{"mqtt:\n  url: mqtt://\n", []string{"no host"}},
		{"mqtt:\n  rig: living/room\n", []string{"mqtt.rig", "letters, digits"}},
		{"mqtt:\n  base: '#'\n", []string{"mqtt.base"}},
		{"mqtt:\n  discovery: ha/+\n", []string{"mqtt.discovery"}},
		{"mqtt:\n  cert: c.pem\n", []string{"cert and key go together"}},
		{"mqtt:\n  url: ftp://user:hunter2@x\n", []string{"xxxxx"}},
	}
	for _, c := range cases {
		// check refuses a bad section as it loads the file (validate.go);
		// CheckMQTT says the same of a file loaded by other means.
		f, err := Parse("rules.yaml", append(append([]byte(nil), base...), []byte("\n"+c.section)...))
		if err == nil {
			err = f.CheckMQTT()
		}
		if len(c.want) == 0 {
			if err != nil {
				t.Errorf("%q: %v", c.section, err)
			}
			continue
		}
		if err == nil {
			t.Errorf("%q: accepted", c.section)
			continue
		}
		for _, w := range c.want {
			// positions count from the section's first line
			w = strings.ReplaceAll(w, "{line 2}", fmt.Sprintf("rules.yaml:%d", bytes.Count(base, []byte("\n"))+3))
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%q: %v, want %q in it", c.section, err, w)
			}
		}
		if strings.Contains(err.Error(), "hunter2") {
			t.Errorf("%q: the password is in the message: %v", c.section, err)
		}
	}
}

func TestMQTTDefaults(t *testing.T) {
	m := MQTT{}.WithDefaults()
	if m.Rig != DefaultMQTTRig || m.Base != DefaultMQTTBase || m.Discovery != DefaultMQTTDiscovery || m.Control {
		t.Errorf("defaults %+v", m)
	}
}
