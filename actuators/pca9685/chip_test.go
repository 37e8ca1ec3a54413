package pca9685

import (
	"errors"
	"fmt"
	"sync"

	"periph.io/x/conn/v3/gpio"
	"periph.io/x/conn/v3/physic"
)

// chip is a register-level model of a PCA9685 on its own I²C bus: MODE1
// auto-increment, ALL_LED registers fanning out to every channel, PRE_SCALE
// only writable while asleep, RESTART cleared by writing 1. It records
// protocol violations instead of silently accepting them.
type chip struct {
	mu         sync.Mutex
	addr       uint16
	regs       [256]byte
	violations []string
	fail       error // when set, every Tx fails with it
	txs        int
}

func newChip(addr uint16) *chip {
	c := &chip{addr: addr}
	// Power-on reset values (datasheet table 4).
	c.regs[regMode1] = 0x11 // SLEEP | ALLCALL
	c.regs[0x01] = 0x04     // MODE2 OUTDRV
	c.regs[regPrescale] = 0x1E
	for ch := 0; ch < channels; ch++ {
		c.regs[regLED0OnL+byte(4*ch)+3] = fullOff
	}
	return c
}

func (c *chip) String() string { return "chip-model" }

func (c *chip) SetSpeed(physic.Frequency) error { return nil }

func (c *chip) Tx(addr uint16, w, r []byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.txs++
	if c.fail != nil {
		return c.fail
	}
	if addr != c.addr {
		return errors.New("chip-model: NACK")
	}
	if len(w) == 0 {
		return errors.New("chip-model: no register pointer")
	}
	ptr := w[0]
	ai := c.regs[regMode1]&0x20 != 0
	for _, b := range w[1:] {
		c.write(ptr, b)
		if ai {
			ptr++
		}
	}
	for i := range r {
		r[i] = c.regs[ptr]
		if ai {
			ptr++
		}
	}
	return nil
}

func (c *chip) write(reg, b byte) {
	switch {
	case reg == regPrescale:
		if c.regs[regMode1]&mode1Sleep == 0 {
			c.violations = append(c.violations, fmt.Sprintf("PRE_SCALE=%d written while awake (ignored by the chip)", b))
			return
		}
		if b < 3 {
			c.violations = append(c.violations, fmt.Sprintf("PRE_SCALE=%d below 3", b))
		}
		c.regs[reg] = b
	case reg >= 0xFA && reg <= 0xFD:
		for ch := 0; ch < channels; ch++ {
			c.regs[regLED0OnL+byte(4*ch)+(reg-0xFA)] = b
		}
	case reg == regMode1:
		c.regs[reg] = b &^ mode1Restart // writing 1 clears RESTART
	default:
		c.regs[reg] = b
	}
}

// channel returns ON and OFF counts and the full-on/full-off bits of ch.
func (c *chip) channel(ch int) (on, off int, fullOn, fullOffBit bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	r := c.regs[regLED0OnL+byte(4*ch):]
	on = int(r[0]) | int(r[1]&0x0F)<<8
	off = int(r[2]) | int(r[3]&0x0F)<<8
	return on, off, r[1]&0x10 != 0, r[3]&0x10 != 0
}

// pulsing reports whether ch outputs pulses (not constant low or high).
func (c *chip) pulsing(ch int) bool {
	on, off, fOn, fOff := c.channel(ch)
	return !fOff && !fOn && on != off
}

// pulse is the pulse width on ch in ns, given the oscillator.
func (c *chip) pulse(ch int, osc int64) int64 {
	on, off, _, _ := c.channel(ch)
	c.mu.Lock()
	pre := int64(c.regs[regPrescale]) + 1
	c.mu.Unlock()
	return int64((off-on+4096)%4096) * pre * 1e9 / osc
}

func (c *chip) state(ch int) string {
	on, off, fOn, fOff := c.channel(ch)
	return fmt.Sprintf("ch%d on=%d off=%d fullOn=%v fullOff=%v", ch, on, off, fOn, fOff)
}

func (c *chip) reg(r byte) byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.regs[r]
}

func (c *chip) problems() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.violations...)
}

func (c *chip) setFail(err error) {
	c.mu.Lock()
	c.fail = err
	c.mu.Unlock()
}

// SCL and SDA satisfy i2c.Pins for completeness.
func (c *chip) SCL() gpio.PinIO { return gpio.INVALID }
func (c *chip) SDA() gpio.PinIO { return gpio.INVALID }
