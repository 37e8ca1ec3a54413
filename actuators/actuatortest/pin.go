package actuatortest

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"periph.io/x/conn/v3/gpio"
	"periph.io/x/conn/v3/physic"
)

// Pin is a fake GPIO output (a gpio.PinIO) that remembers its level and
// every level it was driven to, for tests of switches and of exit paths
// ("is the laser pin low after SIGTERM?"). periph's gpiotest.Pin does the
// same but needs github.com/jonboulle/clockwork in go.mod. Safe for
// concurrent use.
type Pin struct {
	N string // name, e.g. "GPIO17"

	mu     sync.Mutex
	level  gpio.Level
	levels []gpio.Level
	err    error
	panics bool
}

// Level is the level last driven (Low if never driven).
func (p *Pin) Level() gpio.Level {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.level
}

// Levels returns every level driven so far, in order.
func (p *Pin) Levels() []gpio.Level {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]gpio.Level(nil), p.levels...)
}

// Fail makes every later Out return err (nil: succeed again).
func (p *Pin) Fail(err error) {
	p.mu.Lock()
	p.err = err
	p.mu.Unlock()
}

// Panic makes every later Out panic, like periph's PCA9685 pin does.
func (p *Pin) Panic(on bool) {
	p.mu.Lock()
	p.panics = on
	p.mu.Unlock()
}

// Out implements gpio.PinOut.
func (p *Pin) Out(l gpio.Level) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.panics {
		panic("actuatortest: Pin told to panic")
	}
	if p.err != nil {
		return p.err
	}
	p.level = l
	p.levels = append(p.levels, l)
	return nil
}

// PWM implements gpio.PinOut. A switch must never use it.
func (p *Pin) PWM(gpio.Duty, physic.Frequency) error {
	return errors.New("actuatortest: PWM on a switch pin")
}

func (p *Pin) String() string { return p.N }

// Halt implements conn.Resource; like gpiotest.Pin it changes nothing.
func (p *Pin) Halt() error { return nil }

// Name implements pin.Pin.
func (p *Pin) Name() string { return p.N }

// Number implements pin.Pin.
func (p *Pin) Number() int { return -1 }

// Function implements pin.Pin.
func (p *Pin) Function() string { return fmt.Sprintf("Out/%s", p.Level()) }

// In implements gpio.PinIn: this fake is output-only.
func (p *Pin) In(gpio.Pull, gpio.Edge) error { return errors.New("actuatortest: Pin is output-only") }

// Read implements gpio.PinIn.
func (p *Pin) Read() gpio.Level { return p.Level() }

// WaitForEdge implements gpio.PinIn.
func (p *Pin) WaitForEdge(time.Duration) bool { return false }

// Pull implements gpio.PinIn.
func (p *Pin) Pull() gpio.Pull { return gpio.PullNoChange }

// DefaultPull implements gpio.PinIn.
func (p *Pin) DefaultPull() gpio.Pull { return gpio.PullNoChange }

var _ gpio.PinIO = (*Pin)(nil)
