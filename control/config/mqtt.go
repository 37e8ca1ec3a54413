package config

import (
	"fmt"
	"net/url"
	"regexp"
)

// MQTT is the broker link: Home Assistant discovery, state and commands
// for a rig, and the split topology (cattease agent on the Pi, cattease
// run elsewhere). An empty URL (and no --mqtt flag) leaves MQTT off.
type MQTT struct {
	// URL of the broker: mqtt://host:1883, or mqtts://host:8883 for TLS.
	URL string `yaml:"url"`
	// Rig names this rig in topics (cattease/<rig>/…) and in Home
	// Assistant; default "cat". Letters, digits, - and _ only.
	Rig string `yaml:"rig"`
	// Base is the first topic level; default "cattease".
	Base string `yaml:"base"`
	// Discovery is Home Assistant's discovery prefix; default
	// "homeassistant"; "off" publishes no discovery.
	Discovery string `yaml:"discovery"`
	// Control lets the command topics (e-stop, resume, chat on/off, laser
	// allow, pattern, policy) act. The broker's ACL decides who may
	// publish there: it is the only authentication.
	Control bool `yaml:"control"`
	// Credentials is a file holding the user name on its first line and
	// the password on its second (never logged); "" = anonymous.
	Credentials string `yaml:"credentials"`
	// CA is a PEM file of the authority that signed the broker's
	// certificate (TLS); "" = the system's roots.
	CA string `yaml:"ca"`
	// Cert and Key are a client certificate and its key (PEM), if the
	// broker asks for one.
	Cert string `yaml:"cert"`
	Key  string `yaml:"key"`
}

// Defaults of the mqtt section.
const (
	DefaultMQTTRig       = "cat"
	DefaultMQTTBase      = "cattease"
	DefaultMQTTDiscovery = "homeassistant"
)

// topicWord is a topic level cattease writes: no wildcards, no slashes.
var topicWord = regexp.MustCompile(`^[A-Za-z0-9_-]{1,32}$`)

// WithDefaults returns m with every empty field at its default.
func (m MQTT) WithDefaults() MQTT {
	if m.Rig == "" {
		m.Rig = DefaultMQTTRig
	}
	if m.Base == "" {
		m.Base = DefaultMQTTBase
	}
	if m.Discovery == "" {
		m.Discovery = DefaultMQTTDiscovery
	}
	return m
}

// CheckMQTT reports every problem of the mqtt section, positioned in the
// file, or nil.
func (f *File) CheckMQTT() error {
	var es Errors
	for _, p := range f.MQTT.problems() {
		es = append(es, f.At(p.path, p.msg))
	}
	if len(es) == 0 {
		return nil
	}
	return es
}

func (m MQTT) problems() []problem {
	var ps []problem
	add := func(path, format string, args ...any) {
		ps = append(ps, problem{"mqtt." + path, fmt.Sprintf(format, args...)})
	}
	if m.URL != "" {
		if err := CheckMQTTURL(m.URL); err != nil {
			add("url", "%v", err)
		}
	}
	for _, w := range []struct{ path, v string }{{"rig", m.Rig}, {"base", m.Base}} {
		if w.v != "" && !topicWord.MatchString(w.v) {
			add(w.path, "%q: use 1 to 32 letters, digits, - or _", w.v)
		}
	}
	if m.Discovery != "" && m.Discovery != "off" && !topicWord.MatchString(m.Discovery) {
		add("discovery", "%q: use 1 to 32 letters, digits, - or _ (or off)", m.Discovery)
	}
	if (m.Cert == "") != (m.Key == "") {
		add("cert", "cert and key go together")
	}
	return ps
}

// CheckMQTTURL checks a broker URL: mqtt:// or mqtts:// (also tcp://,
// ssl://, tls://) with a host. Messages never repeat a password.
func CheckMQTTURL(s string) error {
	u, err := url.Parse(s)
	if err != nil {
		return fmt.Errorf("not a URL (use mqtt://host:1883 or mqtts://host:8883)")
	}
	switch u.Scheme {
	case "mqtt", "tcp", "mqtts", "ssl", "tls":
	default:
		return fmt.Errorf("%q: use mqtt://host:1883 or mqtts://host:8883", u.Redacted())
	}
	if u.Host == "" {
		return fmt.Errorf("%q: no host", u.Redacted())
	}
	return nil
}

// ValidRigName reports whether name may name a rig in topics.
func ValidRigName(name string) bool { return topicWord.MatchString(name) }
