package main

import (
	"errors"
	"log/slog"

	"github.com/cattease/cattease/control/config"
	"github.com/cattease/cattease/danmu"
)

func bilibiliSource(fl *runFlags, f *config.File, room string, log *slog.Logger, c *danmu.Counters) (danmu.Source, error) {
	return nil, errors.New("cattease: the Bilibili source is not built yet")
}

func douyuSource(fl *runFlags, f *config.File, room string, log *slog.Logger, c *danmu.Counters) (danmu.Source, error) {
	return nil, errors.New("cattease: the Douyu source is not built yet")
}
