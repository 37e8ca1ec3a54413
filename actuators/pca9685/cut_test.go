package pca9685

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"periph.io/x/conn/v3/gpio"
	"periph.io/x/conn/v3/physic"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/servo"
)

// cutBus passes transactions to a chip model, except that the next one
// after cut is armed delivers only its first n bytes (the register
// pointer counts) and fails: a transfer broken off by a glitch. The chip
// keeps every byte it acknowledged and, at the STOP the controller sends
// after the error, applies them. After that the bus works, unless dead.
type cutBus struct {
	c *chip

	mu    sync.Mutex
	armed bool
	n     int
	dead  bool // every transaction after the cut fails too
	cuts  int
}

var errCut = errors.New("remote I/O error")

func (b *cutBus) cut(n int, dead bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.armed, b.n, b.dead = true, n, dead
}

func (b *cutBus) Tx(addr uint16, w, r []byte) error {
	b.mu.Lock()
	armed, n, dead := b.armed, b.n, b.dead && b.cuts > 0
	if armed {
		b.armed = false
		b.cuts++
	}
	b.mu.Unlock()
	switch {
	case dead:
		return errCut
	case !armed:
		return b.c.Tx(addr, w, r)
	}
	if n > 0 {
		if err := b.c.Tx(addr, w[:min(n, len(w))], nil); err != nil {
			return err
		}
	}
	return errCut
}

func (b *cutBus) String() string                  { return "cut-bus" }
func (b *cutBus) SetSpeed(physic.Frequency) error { return nil }
func (b *cutBus) SCL() gpio.PinIO                 { return gpio.INVALID }
func (b *cutBus) SDA() gpio.PinIO                 { return gpio.INVALID }

// TestCutTransfer: a move whose transfer breaks off after any number of
// bytes never leaves the chip pulsing outside the calibration. The four
// LEDn registers go in one auto-increment write and the chip keeps each
// byte it acknowledged: cut after OFF_L, the new low byte meets the old
// high nibble. From +90° (512 ticks, 0x200) to +88° (507, 0x1FB) that is
// 0x2FB = 763 ticks, 3.73 ms: past PulseMax and past any servo's end
// stop, held until the envelope's backoff or detach_after. So a failed
// write switches the channel off (full-off bit, one register) and the
// servo no longer counts as attached; the next command rewrites all four
// registers.
func TestCutTransfer(t *testing.T) {
	cal := servo.Default
	c := newChip(DefaultAddr)
	bus := &cutBus{c: c}
	b, err := open(t, bus, DefaultAddr, 0)
	if err != nil {
		t.Fatal(err)
	}
	s, err := b.Servo("tilt", 2, cal)
	if err != nil {
		t.Fatal(err)
	}
	lo, hi := Ticks(cal.PulseMin, b.osc, b.prescale), Ticks(cal.PulseMax, b.osc, b.prescale)
	ctx := context.Background()
	angle := func(deg float64) actuators.Command {
		return actuators.Command{Action: actuators.ActionAngle, Value: deg}
	}
	// safe reports whether ch2 is off or pulsing within the calibration.
	safe := func() (bool, string) {
		on, off, fOn, fOff := c.channel(2)
		if fOff {
			return true, c.state(2)
		}
		return !fOn && on == 0 && int64(off) >= lo && int64(off) <= hi, c.state(2)
	}
	moves := []struct{ from, to float64 }{
		{90, 88},        // 0x200 → 0x1FB: the review's case
		{88, 90},        // 0x1FB → 0x200
		{-45, -44.5},    // 0x100 → 0x103
		{-44.9, -45.05}, // 0x100 → 0x0FF: crossing 256 downwards
		{-45.05, -44.9}, // 0x0FF → 0x100
		{-90, 90},       // 0x066 → 0x200
		{90, -90},
		{0, 10},
	}
	for _, m := range moves {
		for n := 0; n <= 5; n++ {
			for _, dead := range []bool{false, true} {
				name := fmt.Sprintf("%g→%g cut after %d byte(s)", m.from, m.to, n)
				if dead {
					name += ", bus dead"
				}
				if err := s.Do(ctx, angle(m.from)); err != nil {
					t.Fatalf("%s: setting up: %v", name, err)
				}
				bus.cut(n, dead)
				err := s.Do(ctx, angle(m.to))
				bus.mu.Lock()
				bus.dead = false
				bus.mu.Unlock()
				if !errors.Is(err, errCut) {
					t.Fatalf("%s: Do = %v, want the bus error", name, err)
				}
				if !dead {
					if ok, st := safe(); !ok {
						t.Fatalf("%s: the chip is left pulsing outside %d..%d ticks: %s (Do = %v)", name, lo, hi, st, err)
					}
				}
				if on, _ := s.Attached(); on {
					t.Fatalf("%s: the servo counts as attached after a failed write (Do = %v)", name, err)
				}
				// Nothing reaches a dead bus's chip: all Do can do is say so.
				msg := "the channel is switched off"
				if dead {
					msg = "switching the channel off failed too"
				}
				if !strings.Contains(err.Error(), msg) {
					t.Fatalf("%s: Do = %v; want it to say %q", name, err, msg)
				}
				// The next command rewrites every register and pulses again.
				if err := s.Do(ctx, angle(m.to)); err != nil {
					t.Fatalf("%s: next command: %v", name, err)
				}
				want := Ticks(cal.PulseMin+time.Duration((m.to+90)/180*float64(cal.PulseMax-cal.PulseMin)), b.osc, b.prescale)
				if on, off, fOn, fOff := c.channel(2); fOn || fOff || on != 0 || int64(off) != want {
					t.Fatalf("%s: after the next command %s, want off=%d", name, c.state(2), want)
				}
			}
		}
	}
	if p := c.problems(); len(p) > 0 {
		t.Errorf("protocol violations: %v", p)
	}
}
