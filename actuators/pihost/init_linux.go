//go:build linux

package pihost

import (
	"periph.io/x/conn/v3/driver/driverreg"
	_ "periph.io/x/host/v3/gpioioctl" // /dev/gpiochip*: every Pi, Pi 5 included, no root
	_ "periph.io/x/host/v3/sysfs"     // /dev/i2c-*
)

func initDrivers() (*driverreg.State, error) { return driverreg.Init() }
