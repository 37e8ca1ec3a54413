package gpioswitch

import (
	"context"
	"errors"
	"strings"
	"testing"

	"periph.io/x/conn/v3/gpio"
	"periph.io/x/conn/v3/gpio/gpiotest"
	"periph.io/x/conn/v3/physic"
	periphpca "periph.io/x/devices/v3/pca9685"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/actuatortest"
)

func level(p *gpiotest.Pin) gpio.Level {
	p.Lock()
	defer p.Unlock()
	return p.L
}

func sw(v float64) actuators.Command {
	return actuators.Command{Action: actuators.ActionSwitch, Value: v}
}

// TestLevels asserts the pin level at start, on, off, halt, for both
// polarities.
func TestLevels(t *testing.T) {
	for _, activeLow := range []bool{false, true} {
		off, on := gpio.Low, gpio.High
		if activeLow {
			off, on = gpio.High, gpio.Low
		}
		// Start from the active level: New must switch it off.
		p := &gpiotest.Pin{N: "GPIO17", Num: 17, L: on}
		s, err := New("laser", p, activeLow)
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		steps := []struct {
			name string
			do   func() error
			want gpio.Level
		}{
			{"new", func() error { return nil }, off},
			{"on", func() error { return s.Do(ctx, sw(1)) }, on},
			{"on again", func() error { return s.Do(ctx, sw(1)) }, on},
			{"refused 2", func() error {
				if err := s.Do(ctx, sw(2)); !errors.Is(err, actuators.ErrOutOfRange) {
					return errors.New("switch 2 not refused")
				}
				return nil
			}, on},
			{"off", func() error { return s.Do(ctx, sw(0)) }, off},
			{"on", func() error { return s.Do(ctx, sw(1)) }, on},
			{"halt", s.Halt, off},
			{"halt again", s.Halt, off},
			{"on after halt", func() error { return s.Do(ctx, sw(1)) }, on},
			{"halt", s.Halt, off},
		}
		for i, st := range steps {
			if err := st.do(); err != nil {
				t.Fatalf("activeLow=%v #%d %s: %v", activeLow, i, st.name, err)
			}
			if got := level(p); got != st.want {
				t.Fatalf("activeLow=%v #%d %s: pin %s, want %s", activeLow, i, st.name, got, st.want)
			}
			if s.On() != (st.want == on) {
				t.Fatalf("activeLow=%v #%d %s: On() = %v", activeLow, i, st.name, s.On())
			}
		}
	}
}

func TestString(t *testing.T) {
	s, _ := New("laser", &gpiotest.Pin{N: "GPIO17"}, false)
	if s.String() != "gpio:GPIO17:laser" {
		t.Fatal(s.String())
	}
	s, _ = New("treat", &gpiotest.Pin{N: "GPIO27"}, true)
	if s.String() != "gpio:GPIO27(active-low):treat" {
		t.Fatal(s.String())
	}
}

// failing is a pin whose Out fails or panics on demand.
type failing struct {
	gpiotest.Pin
	err   error
	panic bool
}

func (f *failing) Out(l gpio.Level) error {
	if f.panic {
		panic("integer divide by zero")
	}
	if f.err != nil {
		return f.err
	}
	return f.Pin.Out(l)
}

func TestPinErrors(t *testing.T) {
	if _, err := New("laser", nil, false); err == nil {
		t.Fatal("nil pin accepted")
	}
	boom := errors.New("line_request ioctl: device or resource busy")
	p := &failing{Pin: gpiotest.Pin{N: "GPIO17"}, err: boom}
	if _, err := New("laser", p, false); !errors.Is(err, boom) {
		t.Fatalf("New on a failing pin = %v", err)
	}
	p.err = nil
	s, err := New("laser", p, false)
	if err != nil {
		t.Fatal(err)
	}
	must(t, s.Do(context.Background(), sw(1)))
	p.err = boom
	if err := s.Halt(); !errors.Is(err, boom) {
		t.Fatalf("Halt = %v", err)
	}
	if !s.On() {
		t.Fatal("a failed Halt must not claim the output is off")
	}
	p.err, p.panic = nil, true
	if err := s.Halt(); err == nil || !strings.Contains(err.Error(), "panicked") {
		t.Fatalf("Halt on a panicking pin = %v", err)
	}
	p.panic = false
	must(t, s.Halt())
	if s.On() || level(&p.Pin) != gpio.Low {
		t.Fatal("not off")
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// quietBus accepts every I²C transaction, enough for periph's pca9685.NewI2C.
type quietBus struct{}

func (quietBus) String() string                    { return "quiet" }
func (quietBus) Tx(addr uint16, w, r []byte) error { return nil }
func (quietBus) SetSpeed(f physic.Frequency) error { return nil }

// TestRefusesPCA9685Pin: periph's PCA9685 pin panics in Out (and would turn
// the channel fully on); New refuses it before calling Out.
func TestRefusesPCA9685Pin(t *testing.T) {
	if testing.Short() {
		t.Skip("periph's NewI2C sleeps 0.2 s")
	}
	dev, err := periphpca.NewI2C(quietBus{}, periphpca.I2CAddr)
	if err != nil {
		t.Fatal(err)
	}
	pin, err := dev.CreatePin(0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := New("laser", pin, false); err == nil || !strings.Contains(err.Error(), "PCA9685") {
		t.Fatalf("New on a PCA9685 pin = %v", err)
	}
}

func TestConformance(t *testing.T) {
	for _, activeLow := range []bool{false, true} {
		name := map[bool]string{false: "active-high", true: "active-low"}[activeLow]
		t.Run(name, func(t *testing.T) {
			actuatortest.Run(t, actuators.KindSwitch, func(t *testing.T) actuators.Actuator {
				p := &gpiotest.Pin{N: "GPIO17", Num: 17}
				s, err := New("laser", p, activeLow)
				if err != nil {
					t.Fatal(err)
				}
				inactive := gpio.Level(activeLow)
				actuatortest.Observe(t, actuatortest.Probe{
					State: func() string { return level(p).String() },
					Inert: func() bool { return level(p) == inactive },
				})
				return s
			})
		})
	}
}
