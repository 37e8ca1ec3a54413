//go:build linux

package pihost

import (
	"path/filepath"
	"strings"
	"testing"

	"periph.io/x/conn/v3/driver/driverreg"
	"periph.io/x/conn/v3/gpio/gpioreg"

	"github.com/cattease/cattease/actuators/actuatortest"
)

// allowed are the only periph drivers this package may link: the GPIO
// character device and periph's sysfs package (one init registers all of
// its drivers). Never the /dev/mem register drivers (bcm283x, …).
var allowed = map[string]bool{
	"ioctl-gpio": true, "sysfs-gpio": true, "sysfs-i2c": true,
	"sysfs-spi": true, "sysfs-led": true, "sysfs-thermal": true,
}

func TestInitLinksOnlyCharDeviceAndSysfs(t *testing.T) {
	s, err := Init()
	if err != nil {
		t.Fatal(err)
	}
	s2, _ := Init()
	if s != s2 {
		t.Fatal("Init is not idempotent")
	}
	var names []string
	for _, d := range s.Loaded {
		names = append(names, d.String())
	}
	for _, fs := range [][]driverreg.DriverFailure{s.Skipped, s.Failed} {
		for _, f := range fs {
			names = append(names, f.D.String())
		}
	}
	if len(names) == 0 {
		t.Fatal("no drivers registered")
	}
	for _, n := range names {
		if !allowed[n] {
			t.Errorf("driver %q linked; only %v may be", n, allowed)
		}
	}
	if sum := Summary(s); !strings.Contains(sum, "ioctl-gpio") {
		t.Fatalf("Summary = %q", sum)
	}
	t.Log(Summary(s))
}

func TestPinMissing(t *testing.T) {
	if chips, _ := filepath.Glob("/dev/gpiochip*"); len(chips) > 0 {
		t.Skip("this machine has GPIO chips")
	}
	_, err := Pin("GPIO17")
	if err == nil || !strings.Contains(err.Error(), `"GPIO17"`) || !strings.Contains(err.Error(), "gpioinfo") {
		t.Fatalf("Pin(GPIO17) = %v", err)
	}
}

func TestPinLookup(t *testing.T) {
	if _, err := Init(); err != nil {
		t.Fatal(err)
	}
	var pins []*actuatortest.Pin
	for _, n := range []string{"TEST17", "TEST2", "TEST10"} {
		p := &actuatortest.Pin{N: n}
		if err := gpioreg.Register(p); err != nil {
			t.Fatal(err)
		}
		pins = append(pins, p)
	}
	t.Cleanup(func() {
		for _, p := range pins {
			_ = gpioreg.Unregister(p.N)
		}
	})
	if p, err := Pin("TEST17"); err != nil || p != pins[0] {
		t.Fatalf("Pin(TEST17) = %v, %v", p, err)
	}
	_, err := Pin("GPIO99")
	if err == nil || !strings.Contains(err.Error(), `"GPIO99"`) || !strings.Contains(err.Error(), "gpioinfo") {
		t.Fatalf("Pin(GPIO99) = %v", err)
	}
	if !strings.Contains(err.Error(), "TEST2, TEST10, TEST17") {
		t.Fatalf("pins not listed in natural order: %v", err)
	}
	if _, err := Pin(""); err == nil {
		t.Fatal("empty name accepted")
	}
}

func TestPinNumber(t *testing.T) {
	if _, err := Init(); err != nil {
		t.Fatal(err)
	}
	p := &actuatortest.Pin{N: "GPIO9917"}
	if err := gpioreg.Register(p); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = gpioreg.Unregister(p.N) })
	if got, err := Pin("9917"); err != nil || got != p {
		t.Fatalf("Pin(9917) = %v, %v", got, err)
	}
}

func TestOpenI2CMissing(t *testing.T) {
	if buses, _ := filepath.Glob("/dev/i2c-*"); len(buses) > 0 {
		t.Skip("this machine has I²C buses")
	}
	_, err := OpenI2C("1")
	if err == nil || !strings.Contains(err.Error(), `"1"`) || !strings.Contains(err.Error(), "raspi-config") {
		t.Fatalf("OpenI2C(1) = %v", err)
	}
	if _, err := OpenI2C(""); err == nil {
		t.Fatal("empty bus accepted")
	}
}

func TestNatLess(t *testing.T) {
	data := []struct{ a, b string }{{"GPIO2", "GPIO10"}, {"GPIO3", "GPIO27"}, {"GPIO27", "ID_SDA"}}
	for _, d := range data {
		if !natLess(d.a, d.b) || natLess(d.b, d.a) {
			t.Fatalf("natLess(%s, %s)", d.a, d.b)
		}
	}
}
