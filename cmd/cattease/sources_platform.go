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
	cookie := fl.bilibiliCookie // a flag's path is the shell's
	if cookie == "" && cfg.CookieFile != "" {
		var err error
		if cookie, err = configFile(cfg.CookieFile); err != nil {
			return nil, err
		}
	}
	return &bilibili.Source{
		Room:       room,
		API:        or(fl.bilibiliAPI, cfg.API),
		CookieFile: cookie,
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
