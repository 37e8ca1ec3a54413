package main

import (
	"errors"
	"log/slog"

	"github.com/cattease/cattease/control/config"
	"github.com/cattease/cattease/danmu"
	"github.com/cattease/cattease/danmu/douyu"
)

func bilibiliSource(fl *runFlags, f *config.File, room string, log *slog.Logger, c *danmu.Counters) (danmu.Source, error) {
	return nil, errors.New("cattease: the Bilibili source is not built yet")
}

func douyuSource(fl *runFlags, f *config.File, room string, log *slog.Logger, c *danmu.Counters) (danmu.Source, error) {
	cfg := f.Sources.Douyu
	return &douyu.Source{
		Room:       room,
		API:        or(fl.douyuAPI, cfg.API),
		Addr:       or(fl.douyuAddr, cfg.Addr),
		KeepRobots: cfg.KeepRobots,
		Log:        log.With("source", "douyu"),
		Counters:   c,
	}, nil
}
