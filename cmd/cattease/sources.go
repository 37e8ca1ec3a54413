package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"

	"github.com/cattease/cattease/control/config"
	"github.com/cattease/cattease/danmu"
	"github.com/cattease/cattease/danmu/console"
)

type namedSource struct {
	name     string
	src      danmu.Source
	counters *danmu.Counters // what the source dropped and how its connection fared
}

// buildSources picks the chat sources from flags, then rules.yaml.
func buildSources(fl *runFlags, f *config.File, s stdio, log *slog.Logger) ([]namedSource, error) {
	var out []namedSource
	if fl.stdin {
		out = append(out, namedSource{"console", &console.Source{In: s.in}, &danmu.Counters{}})
	}
	if room := or(fl.bilibili, f.Sources.Bilibili.Room); room != "" {
		c := &danmu.Counters{}
		src, err := bilibiliSource(fl, f, room, log, c)
		if err != nil {
			return nil, err
		}
		out = append(out, namedSource{"bilibili", src, c})
	}
	if room := or(fl.douyu, f.Sources.Douyu.Room); room != "" {
		c := &danmu.Counters{}
		src, err := douyuSource(fl, f, room, log, c)
		if err != nil {
			return nil, err
		}
		out = append(out, namedSource{"douyu", src, c})
	}
	if len(out) == 0 {
		return nil, errNoSource
	}
	return out, nil
}

// errNoSource: run was given nothing to listen to. cmdRun checks with
// hasSource before it opens anything.
var errNoSource = errors.New("cattease: run: no chat source: add --stdin, --bilibili ROOM or --douyu ROOM (or set sources: in rules.yaml)")

// hasSource reports whether the flags or rules.yaml name a chat source.
func hasSource(fl *runFlags, f *config.File) bool {
	return fl.stdin || or(fl.bilibili, f.Sources.Bilibili.Room) != "" || or(fl.douyu, f.Sources.Douyu.Room) != ""
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// runSources runs every source into one channel, recording each event on
// the way. It returns when every source has returned; a source that fails
// for good is logged and the others carry on.
func runSources(ctx context.Context, srcs []namedSource, out chan<- danmu.Event, rec *recorder, seen func(danmu.Event), log *slog.Logger) error {
	raw := make(chan danmu.Event, 256)
	var wg sync.WaitGroup
	for _, ns := range srcs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := ns.src.Run(ctx, raw)
			if err != nil && !errors.Is(err, context.Canceled) {
				log.Error("chat source stopped", "source", ns.name, "err", err)
			}
		}()
	}
	go func() { wg.Wait(); close(raw) }()
	var recErr error
	for ev := range raw {
		seen(ev)
		if err := rec.write(ev); err != nil && recErr == nil {
			recErr = err
			log.Error("recording failed; events still flow", "err", err)
		}
		select {
		case out <- ev:
		case <-ctx.Done():
			for range raw { // let the sources finish
			}
			return ctx.Err()
		}
	}
	if recErr != nil {
		return fmt.Errorf("cattease: %w", recErr)
	}
	return nil
}
