package pca9685

import (
	"fmt"
	"sync"
	"time"

	"periph.io/x/conn/v3/gpio"
	"periph.io/x/conn/v3/i2c"
	periph "periph.io/x/devices/v3/pca9685"

	"github.com/cattease/cattease/actuators/servo"
)

// DefaultAddr is the chip's I²C address with no address jumpers bridged
// (Adafruit HAT/Bonnet default).
const DefaultAddr = periph.I2CAddr

// DefaultOscillator is the nominal internal oscillator frequency. Real
// chips run a few percent off; measure the frame with a scope or calibrate
// with `cattease jog` and set hardware.pca9685.oscillator.
const DefaultOscillator int64 = 25_000_000

// Accepted oscillator calibrations. The internal oscillator is nominally
// 25 MHz; outside this band the value is a typo, not a calibration.
const (
	MinOscillator int64 = 20_000_000
	MaxOscillator int64 = 30_000_000
)

// Registers and bits this package writes itself (NXP PCA9685 datasheet
// §7.3); periph keeps its own copies unexported.
const (
	regMode1     byte = 0x00
	regLED0OnL   byte = 0x06 // LEDn_ON_L = 0x06 + 4n; ON_H, OFF_L, OFF_H follow
	regAllLEDOff byte = 0xFD // ALL_LED_OFF_H
	regPrescale  byte = 0xFE // PRE_SCALE, writable only while SLEEP is set

	mode1Restart byte = 0x80
	mode1Sleep   byte = 0x10
	fullOff      byte = 0x10 // bit 4 of LEDn_OFF_H / ALL_LED_OFF_H

	channels = 16
	maxTicks = 4095 // 12-bit counter; OFF must differ from ON (0)
)

// oscillatorSettle is how long the oscillator needs after leaving SLEEP
// before RESTART (datasheet §7.3.1.1: 500 µs).
const oscillatorSettle = 500 * time.Microsecond

// Prescale is the datasheet PRE_SCALE value for a 50 Hz servo frame:
// round(osc / (4096 × 50)) − 1. It is 121 for 25 MHz.
func Prescale(oscillatorHz int64) (byte, error) {
	if oscillatorHz < MinOscillator || oscillatorHz > MaxOscillator {
		return 0, fmt.Errorf("pca9685: oscillator %d Hz outside %d..%d Hz (nominal %d)", oscillatorHz, MinOscillator, MaxOscillator, DefaultOscillator)
	}
	const div = 4096 * int64(time.Second/servo.Period) // 4096 × 50
	p := (oscillatorHz+div/2)/div - 1
	return byte(p), nil // 97..145 for the accepted band: within the chip's 3..255
}

// Ticks is the 12-bit OFF count for a pulse of width p, counting from ON at
// 0: round(p × osc / (prescale+1)) with p in seconds. All in int64.
func Ticks(p time.Duration, oscillatorHz int64, prescale byte) int64 {
	num := int64(p) * oscillatorHz                    // ≤ 20e6 ns × 30e6 Hz = 6e14
	den := (int64(prescale) + 1) * int64(time.Second) // prescale+1 in int64: 255+1 must not wrap
	return (num + den/2) / den
}

// Board is one PCA9685. Safe for concurrent use: every bus transaction
// happens under the Board's lock.
type Board struct {
	addr     uint16
	osc      int64
	prescale byte

	mu     sync.Mutex
	dev    *periph.Dev // bus protocol: init, SetPwm, SetFullOff
	raw    i2c.Dev     // registers periph does not expose: MODE1, PRE_SCALE, ALL_LED_OFF
	servos [channels]*Servo
}

// Open initialises the chip at addr on bus and leaves every channel fully
// off (servos limp). oscillatorHz 0 means DefaultOscillator.
//
// It takes about 0.2 s: periph's init sleeps while the oscillator starts.
// Open zeroes all channels, so the first command afterwards moves a servo
// from wherever it rests at full speed; the motion layer should park at
// home gently.
func Open(bus i2c.Bus, addr uint16, oscillatorHz int64) (*Board, error) {
	if bus == nil {
		return nil, fmt.Errorf("pca9685: nil I²C bus")
	}
	if addr > 0x7F {
		return nil, fmt.Errorf("pca9685: I²C address %#x is not 7-bit", addr)
	}
	if oscillatorHz == 0 {
		oscillatorHz = DefaultOscillator
	}
	p, err := Prescale(oscillatorHz)
	if err != nil {
		return nil, err
	}
	dev, err := periph.NewI2C(bus, addr)
	if err != nil {
		return nil, fmt.Errorf("pca9685: init at %#x on %s: %w (is the HAT powered, I²C enabled, the address right? try i2cdetect -y 1)", addr, bus, err)
	}
	b := &Board{addr: addr, osc: oscillatorHz, prescale: p, dev: dev, raw: i2c.Dev{Bus: bus, Addr: addr}}
	b.mu.Lock()
	defer b.mu.Unlock()
	if err := b.writePrescale(); err != nil {
		return nil, err
	}
	if err := b.allOff(); err != nil {
		return nil, err
	}
	return b, nil
}

// writePrescale replaces periph's prescale with the datasheet value
// (§7.3.1.1 and §7.3.5): sleep, write PRE_SCALE, wake, wait, restart.
func (b *Board) writePrescale() error {
	var m [1]byte
	if err := b.raw.Tx([]byte{regMode1}, m[:]); err != nil {
		return fmt.Errorf("pca9685: read MODE1: %w", err)
	}
	awake := m[0] &^ (mode1Restart | mode1Sleep)
	for _, w := range [][]byte{
		{regMode1, awake | mode1Sleep},
		{regPrescale, b.prescale},
		{regMode1, awake},
	} {
		if _, err := b.raw.Write(w); err != nil {
			return fmt.Errorf("pca9685: set prescale: %w", err)
		}
	}
	time.Sleep(oscillatorSettle)
	if _, err := b.raw.Write([]byte{regMode1, awake | mode1Restart}); err != nil {
		return fmt.Errorf("pca9685: restart: %w", err)
	}
	return nil
}

// AllOff stops the pulses on all 16 channels with one write to ALL_LED_OFF_H
// (full-off bit): the emergency stop. Servos created on b re-attach on
// their next ActionAngle.
func (b *Board) AllOff() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.allOff()
}

func (b *Board) allOff() error {
	if _, err := b.raw.Write([]byte{regAllLEDOff, fullOff}); err != nil {
		return fmt.Errorf("pca9685: all off at %#x: %w", b.addr, err)
	}
	for _, s := range b.servos {
		if s != nil {
			s.attached = false
		}
	}
	return nil
}

// EmergencyStop stops the pulses on all channels of the PCA9685 at addr
// without initialising it: one write of the full-off bit to ALL_LED_OFF_H.
// For `cattease halt` in a fresh process (systemd ExecStopPost), where a
// full Open would be slow and pointless. It works whether or not the chip's
// register auto-increment is on.
func EmergencyStop(bus i2c.Bus, addr uint16) error {
	if bus == nil {
		return fmt.Errorf("pca9685: nil I²C bus")
	}
	d := i2c.Dev{Bus: bus, Addr: addr}
	if _, err := d.Write([]byte{regAllLEDOff, fullOff}); err != nil {
		return fmt.Errorf("pca9685: emergency stop at %#x on %s: %w", addr, bus, err)
	}
	return nil
}

// Frequency is the real frame rate the chip runs at, from the configured
// oscillator and the prescale: osc / (4096 × (prescale+1)). 50.03 Hz for
// 25 MHz.
func (b *Board) Frequency() float64 {
	return float64(b.osc) / (4096 * (float64(b.prescale) + 1))
}

// Prescale is the PRE_SCALE value written at Open.
func (b *Board) Prescale() byte { return b.prescale }

func (b *Board) String() string { return fmt.Sprintf("pca9685@%#02x", b.addr) }

// Servo claims channel (0–15) for a servo axis calibrated by cal. The
// channel stays off until the first ActionAngle. Each channel can be
// claimed once per Board.
func (b *Board) Servo(name string, channel int, cal servo.Calibration) (*Servo, error) {
	if channel < 0 || channel >= channels {
		return nil, fmt.Errorf("pca9685: %s: channel %d outside 0..%d", name, channel, channels-1)
	}
	if err := cal.Validate(); err != nil {
		return nil, fmt.Errorf("pca9685: %s: %w", name, err)
	}
	lo, hi := cal.JogRange() // covers [PulseMin, PulseMax] too
	if tl, th := Ticks(lo, b.osc, b.prescale), Ticks(hi, b.osc, b.prescale); tl < 1 || th > maxTicks {
		return nil, fmt.Errorf("pca9685: %s: pulses %v..%v are %d..%d ticks, outside 1..%d", name, lo, hi, tl, th, maxTicks)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if other := b.servos[channel]; other != nil {
		return nil, fmt.Errorf("pca9685: %s: channel %d already drives %q", name, channel, other.name)
	}
	s := &Servo{b: b, ch: channel, name: name, cal: cal}
	b.servos[channel] = s
	return s, nil
}

// setTicks starts (or changes) the pulses on ch: ON at 0, OFF at ticks.
// Writing OFF_H with bit 4 clear also ends a full-off. Callers hold b.mu.
func (b *Board) setTicks(ch int, ticks int64) error {
	if ticks < 1 || ticks > maxTicks {
		return fmt.Errorf("pca9685: channel %d: %d ticks outside 1..%d", ch, ticks, maxTicks)
	}
	return b.dev.SetPwm(ch, 0, gpio.Duty(ticks))
}

// fullOff sets ch's full-off bit: constant low, no pulses. Callers hold b.mu.
func (b *Board) fullOff(ch int) error {
	return b.dev.SetFullOff(ch)
}
