package web

import (
	"context"
	"strconv"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/mock"
	"github.com/cattease/cattease/actuators/safety"
	"github.com/cattease/cattease/control"
	"github.com/cattease/cattease/control/config"
	"github.com/cattease/cattease/danmu"
)

// TestFloodRealEngine: 1,000 chat events a second from 300 viewers through
// the real engine and envelope (on synctest's clock) reach a watcher as at
// most 10 frames a second, each a bounded size.
func TestFloodRealEngine(t *testing.T) {
	f, err := config.Load("testdata/rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	rules, err := control.Compile(f)
	if err != nil {
		t.Fatal(err)
	}
	synctest.Test(t, func(t *testing.T) {
		srv := &Server{}
		outs := map[string]actuators.Actuator{"pan": mock.New("pan", actuators.KindAxis, mock.Limits{}, nil),
			"laser": mock.New("laser", actuators.KindSwitch, mock.Limits{}, nil)}
		env, err := safety.New(safety.Config{OnOutput: srv.Output,
			Axes:     []safety.AxisLimits{{Name: "pan", Min: -45, Max: 45, Speed: 180}},
			Switches: []safety.SwitchLimits{{Name: "laser", Laser: true, MaxOn: 20 * time.Second}}}, outs)
		if err != nil {
			t.Fatal(err)
		}
		eng, err := control.New(rules, env, control.Options{OnDecision: srv.Decision})
		if err != nil {
			t.Fatal(err)
		}
		srv.Engine, srv.Rig = eng, env
		srv.Handler()
		ctx, cancel := context.WithCancel(t.Context())
		events := make(chan []danmu.Event, 256)
		var wg sync.WaitGroup
		wg.Go(func() { env.Run(ctx, nil) })
		wg.Go(func() { eng.Run(ctx, events) })
		c, _ := srv.hub.watch()
		stop := make(chan struct{})
		got := collect(t, c, stop)

		start := time.Now()
		texts := []string{"左", "右", "左3", "激光", "hello", "右右"}
		const n = 3000
		for i := range n {
			events <- []danmu.Event{{Platform: "bilibili", Kind: danmu.KindChat, ID: strconv.Itoa(i), Text: texts[i%len(texts)],
				User: danmu.User{ID: strconv.Itoa(i % 300), Name: "u" + strconv.Itoa(i%300), Role: danmu.RoleViewer}}}
			time.Sleep(time.Millisecond)
		}
		time.Sleep(500 * time.Millisecond)
		elapsed := time.Since(start)
		close(stop)
		frames := <-got
		srv.hub.unsubscribe(c)
		cancel()
		wg.Wait()
		srv.hub.wait()

		if most := int(elapsed/MinFrameGap) + 1; len(frames) > most || len(frames) < most/2 {
			t.Fatalf("%d frames in %v, want at most %d", len(frames), elapsed, most)
		}
		var total uint64
		last := frames[len(frames)-1]
		for _, v := range last.Engine.Decisions {
			total += v
		}
		if total < n || len(last.Feed) == 0 || len(last.Feedback) == 0 || len(last.Engine.Recent) > control.RecentSize {
			t.Fatalf("last frame: %d decisions counted for %d events, feed %d, feedback %d", total, n, len(last.Feed), len(last.Feedback))
		}
		t.Logf("%d events → %d frames in %v; %d decisions by the engine", n, len(frames), elapsed, total)
	})
}
