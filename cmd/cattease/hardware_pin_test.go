package main

import (
	"strings"
	"testing"

	"periph.io/x/conn/v3/gpio"
)

// line is a GPIO line of a name.
type line struct {
	gpio.PinIO
	name string
}

func (l line) Name() string { return l.name }

// alias is a second name for a line, as periph registers header
// positions (P1_11 for GPIO17).
type alias struct {
	line
	real gpio.PinIO
}

func (a alias) Real() gpio.PinIO { return a.real }

// TestOneSwitchALine: the second switch on one GPIO line is refused when
// the hardware opens, whatever name reached it: its "on" would drive the
// first switch (a treat dispenser's would light the laser).
func TestOneSwitchALine(t *testing.T) {
	gpio17 := line{gpio.INVALID, "GPIO17"}
	gpio27 := line{gpio.INVALID, "GPIO27"}
	h := &hw{}
	if err := h.claimPin("laser", gpio17); err != nil {
		t.Fatal(err)
	}
	if err := h.claimPin("treat", gpio27); err != nil {
		t.Fatalf("another line: %v", err)
	}
	err := h.claimPin("fan", alias{line{gpio.INVALID, "P1_11"}, gpio17})
	if err == nil || !strings.Contains(err.Error(), `"laser" and "fan" are both on GPIO17`) {
		t.Fatalf("a second switch on GPIO17 under another name: %v", err)
	}
}
