// Package pihost is the one place that initialises periph.io for the
// Raspberry Pi: GPIO through the Linux GPIO character device (periph's
// gpioioctl driver, every Pi including the Pi 5's RP1) and I²C through
// /dev/i2c-* (periph's sysfs drivers).
//
// It deliberately does not link periph.io/x/host/v3 (host.Init) and so
// never the bcm283x, allwinner or rpi register drivers: those map /dev/mem
// or /dev/gpiomem, need root for PWM, and on a Pi 5 would map the wrong
// address (reference/hardware.md §1.1, §1.5). Linking periph's sysfs
// package for I²C also registers its sysfs-gpio, -spi, -led and thermal
// drivers (one Go package, one init); none of them changes an output when
// initialised, and sysfs-gpio waits for ioctl-gpio, so pins named GPIOn
// come from the character device.
//
// On other operating systems (a streamer's laptop running --dry-run) the
// package compiles to stubs that return ErrUnsupported without linking
// periph's host drivers at all.
//
// Drivers borrow what this package opens: cmd/cattease closes the I²C bus
// after halting every actuator.
package pihost

import "errors"

// ErrUnsupported is returned on operating systems without Linux GPIO/I²C.
var ErrUnsupported = errors.New("pihost: GPIO and I²C need Linux (use --dry-run on this machine)")

// ListPinsHint says how to list valid pin names on a Pi.
const ListPinsHint = "list the names with `gpioinfo` (Debian package gpiod) or `pinctrl get`; on Raspberry Pi OS they are GPIO0..GPIO27"

// I2CHint says how to enable I²C on a Pi.
const I2CHint = "enable I²C with `sudo raspi-config nonint do_i2c 0` (or dtparam=i2c_arm=on in /boot/firmware/config.txt) and reboot; /dev/i2c-1 must exist and the user must be in the i2c group"
