package main

import (
	"errors"
	"log/slog"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/control/config"
)

// openHardware opens the real drivers named in the config.
var openHardware = func(f *config.File, log *slog.Logger) (map[string]actuators.Actuator, func() error, error) {
	return nil, nil, errors.New("cattease: real hardware drivers are not built into this binary; use --dry-run or driver: mock")
}
