package main

import (
	"context"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/cattease/cattease/control"
	"github.com/cattease/cattease/control/config"
	"github.com/cattease/cattease/control/mqtt"
)

// The run's stop and laser forbid a rig takes over from its agent's first
// state (the agent kept them over its restart; this side kept nothing)
// stop the run's engine and hold as the panel's forbid, as at a start
// under a stop kept here: the panel and overlay say stopped, chat's
// commands are dropped. Before, nothing told the engine, which played on.
func TestFollowAdoptedHoldsStopsTheEngine(t *testing.T) {
	f, err := config.Load("../../rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	rules, err := control.Compile(f)
	if err != nil {
		t.Fatal(err)
	}
	g := newGroup(context.Background())
	t.Cleanup(g.cancel)
	rigs, err := openRemotes(g, &runFlags{dryRun: true, rigs: rigList{"mqtt://127.0.0.1:1/cat"}}, f, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	fan := mqtt.Fanout{rigs[0].remote}
	eng, err := control.New(rules, fan, control.Options{})
	if err != nil {
		t.Fatal(err)
	}
	followAdoptedHolds(eng, fan, slog.New(slog.DiscardHandler))
	tell := rigs[0].remote.OnRunHoldsAdopted
	if tell == nil {
		t.Fatal("the rig does not tell the engine what it takes over")
	}
	tell(true, []string{"laser"})
	if !eng.Status(time.Now()).Stopped {
		t.Error("the run's stop taken over from the agent left the engine playing")
	}
	if again := eng.AdoptPanelForbids([]string{"laser"}); slices.Contains(again, "laser") {
		t.Error("the run's forbid taken over from the agent is not held as the panel's")
	}
}
