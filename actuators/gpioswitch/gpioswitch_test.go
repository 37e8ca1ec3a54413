package gpioswitch

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"testing/synctest"

	"periph.io/x/conn/v3/gpio"
	"periph.io/x/conn/v3/physic"
	periphpca "periph.io/x/devices/v3/pca9685"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/actuatortest"
)

func sw(v float64) actuators.Command {
	return actuators.Command{Action: actuators.ActionSwitch, Value: v}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestLevels asserts every level written to the pin for start, on, off,
// refused commands, halt and re-arm, for both polarities.
func TestLevels(t *testing.T) {
	for _, activeLow := range []bool{false, true} {
		off, on := gpio.Low, gpio.High
		if activeLow {
			off, on = gpio.High, gpio.Low
		}
		p := &actuatortest.Pin{N: "GPIO17"}
		s, err := New("laser", p, activeLow)
		must(t, err)
		ctx := context.Background()
		must(t, s.Do(ctx, sw(1)))
		must(t, s.Do(ctx, sw(1)))
		for _, bad := range []actuators.Command{sw(2), sw(-1), {Action: actuators.ActionAngle}} {
			if err := s.Do(ctx, bad); err == nil {
				t.Fatalf("Do(%v) accepted", bad)
			}
		}
		if !s.On() {
			t.Fatal("refused commands switched it off")
		}
		must(t, s.Do(ctx, sw(0)))
		must(t, s.Do(ctx, sw(1)))
		must(t, s.Halt())
		must(t, s.Halt())
		must(t, s.Do(ctx, sw(1))) // re-arms after Halt, like the mock
		must(t, s.Halt())
		want := []gpio.Level{
			off,    // New: inactive straight away
			on, on, // switch 1 twice; refused commands write nothing
			off, on, // switch 0, 1
			off, off, // Halt always writes
			on, off, // re-arm, Halt
		}
		if got := p.Levels(); !reflect.DeepEqual(got, want) {
			t.Fatalf("activeLow=%v: levels\n got %v\nwant %v", activeLow, got, want)
		}
		if s.On() {
			t.Fatal("On after Halt")
		}
	}
}

func TestString(t *testing.T) {
	s, err := New("laser", &actuatortest.Pin{N: "GPIO17"}, false)
	must(t, err)
	if s.String() != "gpio:GPIO17:laser" {
		t.Fatal(s.String())
	}
	s, err = New("treat", &actuatortest.Pin{N: "GPIO27"}, true)
	must(t, err)
	if s.String() != "gpio:GPIO27(active-low):treat" {
		t.Fatal(s.String())
	}
}

func TestPinErrors(t *testing.T) {
	if _, err := New("laser", nil, false); err == nil {
		t.Fatal("nil pin accepted")
	}
	boom := errors.New("line_request ioctl: device or resource busy")
	p := &actuatortest.Pin{N: "GPIO17"}
	p.Fail(boom)
	if _, err := New("laser", p, false); !errors.Is(err, boom) {
		t.Fatalf("New on a failing pin = %v", err)
	}
	p.Fail(nil)
	s, err := New("laser", p, false)
	must(t, err)
	must(t, s.Do(context.Background(), sw(1)))
	p.Fail(boom)
	if err := s.Halt(); !errors.Is(err, boom) {
		t.Fatalf("Halt = %v", err)
	}
	if !s.On() {
		t.Fatal("a failed Halt must not claim the output is off")
	}
	p.Fail(nil)
	p.Panic(true)
	if err := s.Halt(); err == nil || !strings.Contains(err.Error(), "panicked") {
		t.Fatalf("Halt on a panicking pin = %v", err)
	}
	p.Panic(false)
	must(t, s.Halt())
	if s.On() || p.Level() != gpio.Low {
		t.Fatal("not off")
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
	var pin gpio.PinIO
	synctest.Test(t, func(t *testing.T) { // NewI2C sleeps 0.2 s: fake time
		dev, err := periphpca.NewI2C(quietBus{}, periphpca.I2CAddr)
		must(t, err)
		pin, err = dev.CreatePin(0)
		must(t, err)
	})
	if _, err := New("laser", pin, false); err == nil || !strings.Contains(err.Error(), "PCA9685") {
		t.Fatalf("New on a PCA9685 pin = %v", err)
	}
}

func TestConformance(t *testing.T) {
	for _, activeLow := range []bool{false, true} {
		name := map[bool]string{false: "active-high", true: "active-low"}[activeLow]
		t.Run(name, func(t *testing.T) {
			actuatortest.Run(t, actuators.KindSwitch, func(t *testing.T) actuators.Actuator {
				p := &actuatortest.Pin{N: "GPIO17"}
				s, err := New("laser", p, activeLow)
				must(t, err)
				inactive := gpio.Level(activeLow)
				actuatortest.Observe(t, actuatortest.Probe{
					State: func() string { return p.Level().String() },
					Inert: func() bool { return p.Level() == inactive },
				})
				return s
			})
		})
	}
}

// BenchmarkDo is one switch command on a fake pin: the driver's own cost.
func BenchmarkDo(b *testing.B) {
	s, err := New("laser", &actuatortest.Pin{N: "GPIO17"}, false)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if err := s.Do(ctx, sw(float64(i&1))); err != nil {
			b.Fatal(err)
		}
	}
}
