package main

import (
	"log/slog"
	"testing"
	"time"

	"github.com/cattease/cattease/control/config"
)

// TestPlayWaitsForTheClockOnlyLive: quiet hours wait for a synchronised
// clock in a live run on hardware (where the daily laser account does),
// never in a dry run or a replay; the layer logs through the rig's logger.
func TestPlayWaitsForTheClockOnlyLive(t *testing.T) {
	f, err := config.Load("../../rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	for _, c := range []struct {
		name string
		mode rigMode
		want bool
	}{
		{"live", rigMode{ledger: true}, true},
		{"dry run", rigMode{dryRun: true}, false},
		{"replay", rigMode{replay: true, ledger: true}, false},
	} {
		pc := playConfig(f, c.mode, time.UTC, log)
		if (pc.ClockSynced != nil) != c.want || pc.Log != log {
			t.Errorf("%s: waits for the clock %v, logger set %v; want %v, true", c.name, pc.ClockSynced != nil, pc.Log == log, c.want)
		}
	}
}
