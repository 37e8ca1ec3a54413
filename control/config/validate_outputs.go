package config

import (
	"strconv"
	"strings"
)

// shared refuses two outputs on one line: two switches on one GPIO pin
// (the treat dispenser's "on" would light the laser, with none of a
// laser's limits), two axes on one servo channel (pan commands would
// drive the tilt servo, past the ceiling), or an axis and a switch of one
// name (run would refuse it; check says so first).
func (v *validator) shared(h Hardware) {
	pins := map[string]string{}
	for _, name := range sortedKeys(h.Switches) {
		pin := h.Switches[name].Pin
		if pin == "" {
			continue
		}
		key := PinKey(pin)
		if other, ok := pins[key]; ok {
			v.add("hardware.switches."+name+".pin", "pin %s is %q's pin too: one line cannot be two switches (a treat's \"on\" would light the laser)", pin, other)
			continue
		}
		pins[key] = name
	}
	if h.Driver == "pca9685" || h.Driver == "sysfspwm" {
		channels := map[int]string{}
		for _, name := range sortedKeys(h.Axes) {
			ch := h.Axes[name].Servo.Channel
			if other, ok := channels[ch]; ok {
				v.add("hardware.axes."+name+".servo.channel", "channel %d is %q's channel too: one servo cannot be two axes", ch, other)
				continue
			}
			channels[ch] = name
		}
	}
	for name := range h.Switches {
		if _, ok := h.Axes[name]; ok {
			v.add("hardware.switches."+name, "%q names an axis too: give the switch another name", name)
		}
	}
}

// PinKey is how the GPIO driver finds a pin by name: a bare number n is
// GPIOn; names are upper-cased ("gpio17" is GPIO17). (Aliases of one line,
// such as a header position, are only known on the Pi; run refuses those
// there.)
func PinKey(pin string) string {
	pin = strings.TrimSpace(pin)
	if _, err := strconv.Atoi(pin); err == nil {
		return "GPIO" + pin
	}
	return strings.ToUpper(pin)
}
