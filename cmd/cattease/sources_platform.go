package main

import (
	"log/slog"

	"github.com/cattease/cattease/control/config"
	"github.com/cattease/cattease/danmu"
	"github.com/cattease/cattease/danmu/bilibili"
	"github.com/cattease/cattease/danmu/douyu"
)

func bilibiliSource(fl *runFlags, f *config.File, room string, log *slog.Logger, c *danmu.Counters) (danmu.Source, error) {
	cfg := f.Sources.Bilibili
	return &bilibili.Source{
		Room:       room,
		API:        or(fl.bilibiliAPI, cfg.API),
		CookieFile: or(fl.bilibiliCookie, cfg.CookieFile),
		Log:        log.With("source", "bilibili"),
		Counters:   c,
	}, nil
}

func douyuSource(fl *runFlags, f *config.File, room string, log *slog.Logger, c *danmu.Counters) (danmu.Source, error) {
	cfg := f.Sources.Douyu
	return &douyu.Source{
		Room:       room,
		API:        or(fl.douyuAPI, cfg.API),
		Addr:       or(fl.douyuAddr, cfg.Addr),
		KeepRobots: cfg.KeepRobots,
		Log:        log, // the source adds source=douyu itself
		Counters:   c,
	}, nil
}
