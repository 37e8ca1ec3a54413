//go:build !linux

package pihost

import "periph.io/x/conn/v3/driver/driverreg"

// Outside Linux no host driver is linked: nothing to initialise.
func initDrivers() (*driverreg.State, error) { return nil, ErrUnsupported }
