package pca9685

import (
	"context"
	"errors"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"periph.io/x/conn/v3/i2c"
	"periph.io/x/conn/v3/i2c/i2ctest"
	"periph.io/x/conn/v3/physic"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/actuatortest"
	"github.com/cattease/cattease/actuators/servo"
)

const us = time.Microsecond

func TestPrescale(t *testing.T) {
	data := []struct {
		osc  int64
		want byte
	}{
		{25_000_000, 121}, // datasheet value; periph writes 122 (49.6 Hz)
		{26_000_000, 126},
		{24_000_000, 116},
		{20_000_000, 97},
		{30_000_000, 145},
		{25_600_000, 124},
	}
	for i, d := range data {
		got, err := Prescale(d.osc)
		if err != nil || got != d.want {
			t.Fatalf("#%d: Prescale(%d) = %d, %v; want %d", i, d.osc, got, err, d.want)
		}
	}
	for _, osc := range []int64{0, -25_000_000, 19_999_999, 30_000_001, 50_000_000} {
		if _, err := Prescale(osc); err == nil {
			t.Fatalf("Prescale(%d) accepted", osc)
		}
	}
}

// TestTicks pins the int64 pulse → tick math, including products that
// overflow a 32-bit int (run under qemu-arm by .ci/test-arm.sh).
func TestTicks(t *testing.T) {
	data := []struct {
		p    time.Duration
		osc  int64
		pre  byte
		want int64
	}{
		{1500 * us, 25_000_000, 121, 307},              // 307.38
		{1000 * us, 25_000_000, 121, 205},              // 204.92
		{2000 * us, 25_000_000, 121, 410},              // 409.84
		{500 * us, 25_000_000, 121, 102},               // 102.46
		{2500 * us, 25_000_000, 121, 512},              // 512.30
		{1500 * us, 26_000_000, 126, 307},              // 307.09
		{1500 * us, 25_000_000, 122, 305},              // periph's prescale
		{20 * time.Millisecond, 30_000_000, 255, 2344}, // 6e14 ns·Hz; prescale+1 = 256 must not wrap
		{3 * time.Millisecond, 30_000_000, 255, 352},
		{0, 25_000_000, 121, 0},
		{2 * time.Nanosecond, 25_000_000, 121, 0},
	}
	for i, d := range data {
		if got := Ticks(d.p, d.osc, d.pre); got != d.want {
			t.Fatalf("#%d: Ticks(%v, %d, %d) = %d; want %d", i, d.p, d.osc, d.pre, got, d.want)
		}
	}
	// Monotonic and within half a tick of the exact value over 0..20 ms.
	for p := time.Duration(0); p <= servo.Period; p += 997 * time.Nanosecond {
		got := Ticks(p, 25_000_000, 121)
		exact := float64(p) * 25e6 / 122e9
		if d := float64(got) - exact; d > 0.5 || d < -0.5 {
			t.Fatalf("Ticks(%v) = %d, exact %.3f", p, got, exact)
		}
	}
}

// initOps is what Open writes on a chip at addr with prescale pre: periph's
// NewI2C (reads answered as a freshly powered chip would), then the
// datasheet prescale and all channels full-off.
func initOps(addr uint16, pre byte) []i2ctest.IO {
	return []i2ctest.IO{
		// periph NewI2C.
		{Addr: addr, W: []byte{0xFA, 0, 0, 0, 0}},      // ALL_LED_ON/OFF = 0 (before AI: lands in 0xFA only)
		{Addr: addr, W: []byte{0x01, 0x04}},            // MODE2 = OUTDRV
		{Addr: addr, W: []byte{0x00, 0x01}},            // MODE1 = ALLCALL, wakes the oscillator
		{Addr: addr, W: []byte{0x00}, R: []byte{0x01}}, // read MODE1
		{Addr: addr, W: []byte{0x00, 0x21}},            // MODE1 = AI | ALLCALL
		{Addr: addr, W: []byte{0x00}, R: []byte{0x21}}, // SetPwmFreq(50 Hz): read MODE1
		{Addr: addr, W: []byte{0x00, 0x31}},            // sleep
		{Addr: addr, W: []byte{0xFE, 0x7A}},            // PRE_SCALE = 122 (periph, 49.6 Hz)
		{Addr: addr, W: []byte{0x00, 0x21}},            // wake
		{Addr: addr, W: []byte{0x00, 0xA1}},            // restart
		// ours: datasheet prescale.
		{Addr: addr, W: []byte{0x00}, R: []byte{0x21}}, // read MODE1
		{Addr: addr, W: []byte{0x00, 0x31}},            // SLEEP (PRE_SCALE is writable only asleep)
		{Addr: addr, W: []byte{0xFE, pre}},             // PRE_SCALE
		{Addr: addr, W: []byte{0x00, 0x21}},            // wake; 500 µs for the oscillator
		{Addr: addr, W: []byte{0x00, 0xA1}},            // RESTART
		// ours: every channel full-off (periph left ON = OFF = 0).
		{Addr: addr, W: []byte{0xFD, 0x10}},
	}
}

// open is Open in a synctest bubble: periph's init sleeps 0.2 s, in fake
// time here.
func open(t *testing.T, bus i2c.Bus, addr uint16, osc int64) (b *Board, err error) {
	t.Helper()
	synctest.Test(t, func(*testing.T) { b, err = Open(bus, addr, osc) })
	return b, err
}

func playback(t *testing.T, ops ...[]i2ctest.IO) *i2ctest.Playback {
	t.Helper()
	pb := &i2ctest.Playback{DontPanic: true}
	for _, o := range ops {
		pb.Ops = append(pb.Ops, o...)
	}
	t.Cleanup(func() {
		if err := pb.Close(); err != nil {
			t.Error(err)
		}
	})
	return pb
}

func w(addr uint16, b ...byte) i2ctest.IO { return i2ctest.IO{Addr: addr, W: b} }

func TestOpenBytes(t *testing.T) {
	pb := playback(t, initOps(0x40, 121))
	b, err := open(t, pb, 0x40, 0)
	if err != nil {
		t.Fatal(err)
	}
	if b.Prescale() != 121 || b.String() != "pca9685@0x40" {
		t.Fatalf("%s prescale %d", b, b.Prescale())
	}
	if f := b.Frequency(); f < 50.02 || f > 50.04 {
		t.Fatalf("Frequency = %g", f)
	}
}

func TestOpenOscillatorBytes(t *testing.T) {
	pb := playback(t, initOps(0x41, 126), []i2ctest.IO{w(0x41, 0x06, 0, 0, 0x33, 0x01)})
	b, err := open(t, pb, 0x41, 26_000_000)
	if err != nil {
		t.Fatal(err)
	}
	s, err := b.Servo("pan", 0, servo.Default)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Do(context.Background(), actuators.Command{Action: actuators.ActionAngle}); err != nil {
		t.Fatal(err)
	}
}

// TestServoBytes asserts the exact writes for start, move, detach, halt and
// the emergency stop.
func TestServoBytes(t *testing.T) {
	const a = 0x40
	// Channel 3: LED3_ON_L = 0x06 + 4*3 = 0x12, LED3_OFF_H = 0x15.
	pb := playback(t, initOps(a, 121), []i2ctest.IO{
		w(a, 0x12, 0x00, 0x00, 0x33, 0x01), // angle 0 → 1500 µs → 307 ticks: ON=0, OFF=0x133
		w(a, 0x12, 0x00, 0x00, 0x00, 0x02), // angle 90 → 2500 µs → 512 ticks
		w(a, 0x12, 0x00, 0x00, 0x66, 0x00), // angle -90 → 500 µs → 102 ticks
		w(a, 0x15, 0x10),                   // detach: LED3_OFF_H full-off bit
		w(a, 0x12, 0x00, 0x00, 0xCD, 0x00), // jog --pulse 1000µs → 205 ticks
		w(a, 0x15, 0x10),                   // Halt
		w(a, 0x15, 0x10),                   // Halt again: always writes
		w(a, 0xFD, 0x10),                   // AllOff: ALL_LED_OFF_H full-off
	})
	b, err := open(t, pb, a, DefaultOscillator)
	if err != nil {
		t.Fatal(err)
	}
	s, err := b.Servo("tilt", 3, servo.Default)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, deg := range []float64{0, 90, -90} {
		if err := s.Do(ctx, actuators.Command{Action: actuators.ActionAngle, Value: deg}); err != nil {
			t.Fatal(err)
		}
	}
	if on, ticks := s.Attached(); !on || ticks != 102 {
		t.Fatalf("Attached = %v %d", on, ticks)
	}
	// Refused commands write nothing (Playback would report the extra op).
	for _, c := range []actuators.Command{
		{Action: actuators.ActionAngle, Value: 91},
		{Action: actuators.ActionSwitch, Value: 1},
	} {
		if err := s.Do(ctx, c); err == nil {
			t.Fatalf("Do(%v) accepted", c)
		}
	}
	if err := s.SetPulse(ctx, 2600*us); !errors.Is(err, actuators.ErrOutOfRange) {
		t.Fatalf("SetPulse(2600µs) = %v", err)
	}
	if err := s.Do(ctx, actuators.Command{Action: actuators.ActionDetach}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetPulse(ctx, 1000*us); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		if err := s.Halt(); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.AllOff(); err != nil {
		t.Fatal(err)
	}
	if on, _ := s.Attached(); on {
		t.Fatal("attached after AllOff")
	}
}

func TestEmergencyStopBytes(t *testing.T) {
	pb := playback(t, []i2ctest.IO{w(0x41, 0xFD, 0x10)})
	if err := EmergencyStop(pb, 0x41); err != nil {
		t.Fatal(err)
	}
	if err := EmergencyStop(nil, 0x40); err == nil {
		t.Fatal("nil bus accepted")
	}
}

// openChip opens a Board on a register-level chip model.
func openChip(t *testing.T) (*Board, *chip) {
	t.Helper()
	c := newChip(DefaultAddr)
	b, err := open(t, c, DefaultAddr, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if p := c.problems(); len(p) > 0 {
			t.Errorf("protocol violations: %v", p)
		}
	})
	return b, c
}

// TestChipModel checks the effect of Open and a move on the registers, so
// the byte sequences above are also right, not just stable.
func TestChipModel(t *testing.T) {
	b, c := openChip(t)
	if got := c.reg(regPrescale); got != 121 {
		t.Fatalf("PRE_SCALE = %d", got)
	}
	if m := c.reg(regMode1); m&mode1Sleep != 0 || m&0x20 == 0 {
		t.Fatalf("MODE1 = %#x: want awake with auto-increment", m)
	}
	for ch := 0; ch < channels; ch++ {
		if c.pulsing(ch) {
			t.Fatalf("after Open: %s", c.state(ch))
		}
	}
	s, err := b.Servo("pan", 15, servo.Default)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Do(context.Background(), actuators.Command{Action: actuators.ActionAngle, Value: 45}); err != nil {
		t.Fatal(err)
	}
	// 2000 µs, within one tick (4.88 µs).
	if p := c.pulse(15, DefaultOscillator); p < 1995000 || p > 2005000 {
		t.Fatalf("pulse = %d ns; %s", p, c.state(15))
	}
	for ch := 0; ch < 15; ch++ {
		if c.pulsing(ch) {
			t.Fatalf("move on ch15 touched %s", c.state(ch))
		}
	}
	if err := b.AllOff(); err != nil {
		t.Fatal(err)
	}
	if c.pulsing(15) {
		t.Fatalf("after AllOff: %s", c.state(15))
	}
	// Re-attach after the emergency stop clears the full-off bit.
	if err := s.Do(context.Background(), actuators.Command{Action: actuators.ActionAngle, Value: 0}); err != nil {
		t.Fatal(err)
	}
	if !c.pulsing(15) {
		t.Fatalf("after re-attach: %s", c.state(15))
	}
}

func TestServoErrors(t *testing.T) {
	b, _ := openChip(t)
	if _, err := b.Servo("x", 16, servo.Default); err == nil || !strings.Contains(err.Error(), "channel 16") {
		t.Fatalf("channel 16: %v", err)
	}
	if _, err := b.Servo("x", -1, servo.Default); err == nil {
		t.Fatal("channel -1 accepted")
	}
	if _, err := b.Servo("x", 0, servo.Calibration{}); err == nil {
		t.Fatal("zero calibration accepted")
	}
	if _, err := b.Servo("pan", 0, servo.Default); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Servo("tilt", 0, servo.Default); err == nil || !strings.Contains(err.Error(), `"pan"`) {
		t.Fatalf("duplicate channel: %v", err)
	}
}

func TestOpenErrors(t *testing.T) {
	if _, err := open(t, nil, 0x40, 0); err == nil {
		t.Fatal("nil bus accepted")
	}
	if _, err := Open(newChip(0x40), 0x80, 0); err == nil {
		t.Fatal("address 0x80 accepted")
	}
	if _, err := Open(newChip(0x40), 0x40, 2_500_000); err == nil {
		t.Fatal("2.5 MHz accepted")
	}
	_, err := Open(newChip(0x40), 0x41, 0) // nobody home
	if err == nil || !strings.Contains(err.Error(), "i2cdetect") {
		t.Fatalf("wrong address: %v", err)
	}
}

// TestBusErrors: a failing bus turns into errors, never panics, and the
// servo does not believe it is attached.
func TestBusErrors(t *testing.T) {
	b, c := openChip(t)
	s, err := b.Servo("pan", 1, servo.Default)
	if err != nil {
		t.Fatal(err)
	}
	boom := errors.New("remote I/O error")
	c.setFail(boom)
	if err := s.Do(context.Background(), actuators.Command{Action: actuators.ActionAngle}); !errors.Is(err, boom) {
		t.Fatalf("Do = %v", err)
	}
	if on, _ := s.Attached(); on {
		t.Fatal("attached after a failed write")
	}
	if err := s.Halt(); !errors.Is(err, boom) {
		t.Fatalf("Halt = %v", err)
	}
	if err := b.AllOff(); !errors.Is(err, boom) {
		t.Fatalf("AllOff = %v", err)
	}
	c.setFail(nil)
	if err := s.Halt(); err != nil {
		t.Fatal(err)
	}
}

func TestConformance(t *testing.T) {
	for _, cal := range []servo.Calibration{
		servo.Default,
		{PulseMin: 600 * us, PulseMax: 2300 * us, AngleMin: -80, AngleMax: 100, Invert: true, Trim: 5},
	} {
		t.Run(cal.String(), func(t *testing.T) {
			// One board for the whole run (Open sleeps 0.2 s), a fresh
			// channel per subtest.
			b, c := openChip(t)
			ch := -1
			actuatortest.Run(t, actuators.KindAxis, func(t *testing.T) actuators.Actuator {
				ch++
				s, err := b.Servo("pan", ch, cal)
				if err != nil {
					t.Fatal(err)
				}
				n := s.Channel()
				actuatortest.Observe(t, actuatortest.Probe{
					State: func() string { return c.state(n) },
					Inert: func() bool { return !c.pulsing(n) },
				})
				return s
			})
		})
	}
}

// nopBus accepts every transaction and counts them.
type nopBus struct{ n int }

func (b *nopBus) String() string                    { return "nop" }
func (b *nopBus) Tx(addr uint16, w, r []byte) error { b.n++; return nil }
func (b *nopBus) SetSpeed(physic.Frequency) error   { return nil }

// BenchmarkServoDo is one motion-loop step on one axis: angle → ticks → one
// 5-byte I²C write (the bus itself is free here; at 100 kHz a real write
// takes ~0.6 ms).
func BenchmarkServoDo(b *testing.B) {
	bus := &nopBus{}
	board, err := Open(bus, DefaultAddr, 0) // sleeps 0.2 s once, outside the timed loop
	if err != nil {
		b.Fatal(err)
	}
	s, err := board.Servo("pan", 0, servo.Default)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if err := s.Do(ctx, actuators.Command{Action: actuators.ActionAngle, Value: float64(i%120) - 60}); err != nil {
			b.Fatal(err)
		}
	}
}
