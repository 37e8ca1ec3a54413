package open_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/cattease/cattease/danmu"
	"github.com/cattease/cattease/danmu/bilibili/open"
	"github.com/cattease/cattease/danmu/bilibili/open/opentest"
)

// pipeRun starts a pipe server and a Source with default timings inside
// the current synctest bubble; setup may prepare both first. stop
// cancels Run, waits for it and shuts everything down.
func pipeRun(t *testing.T, cfg opentest.Config, c *danmu.Counters, setup func(*opentest.Server, *open.Source)) (*opentest.Server, chan danmu.Event, func() error) {
	t.Helper()
	srv := opentest.NewPipeServer(cfg)
	client := srv.Client()
	src := source(t, srv.Config())
	src.API, src.HTTPClient, src.NetDial, src.Counters = srv.URL, client, srv.Dial, c
	if setup != nil {
		setup(srv, src)
	}
	out := make(chan danmu.Event, 16)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- src.Run(ctx, out) }()
	stop := func() error {
		cancel()
		err := <-done
		srv.Close()
		client.Transport.(*http.Transport).CloseIdleConnections()
		return err
	}
	return srv, out, stop
}

// source is a Source with the fake's credentials, the secret in a file.
func source(t *testing.T, cfg opentest.Config) *open.Source {
	secret := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(secret, []byte(cfg.AccessKeySecret+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return &open.Source{Code: cfg.Code, AppID: cfg.AppID, AccessKeyID: cfg.AccessKeyID, AccessKeySecretFile: secret,
		Log: slog.New(slog.DiscardHandler)}
}

func waitStats(t *testing.T, srv *opentest.Server, ok func(opentest.Stats) bool) {
	t.Helper()
	if err := srv.Wait(t.Context(), ok); err != nil {
		t.Fatal(err)
	}
}

func TestGameLifecycle(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var c danmu.Counters
		var logs bytes.Buffer
		srv, out, stop := pipeRun(t, opentest.Config{}, &c, func(_ *opentest.Server, s *open.Source) {
			s.Log = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
		})
		srv.Send(opentest.DM(opentest.User{OpenID: "o-9", Name: "房管", Admin: true}, "停"))
		ev := <-out
		if ev.Text != "停" || ev.User.ID != "o-9" || ev.User.Role != danmu.RoleModerator || ev.Room != "4639581" {
			t.Fatalf("event %+v", ev)
		}
		time.Sleep(65 * time.Second)
		synctest.Wait()
		st := srv.Stats()
		// Game heartbeats at 20, 40, 60 s; WebSocket ones at 0, 30, 60 s.
		if st.Starts != 1 || st.Heartbeats != 3 || st.WSHeartbeats != 3 || st.Expired != 0 || len(st.Violations) > 0 {
			t.Errorf("after 65 s: %+v", st)
		}
		if err := stop(); !errors.Is(err, context.Canceled) {
			t.Errorf("Run = %v", err)
		}
		if st := srv.Stats(); st.Ends != 1 || len(st.Active) != 0 {
			t.Errorf("game not ended on the way out: %+v", st)
		}
		if c.Get(open.CounterReconnect) != 0 || c.Get(open.CounterEvents) != 1 {
			t.Errorf("counters %v", c.Snapshot())
		}
		cfg := srv.Config()
		if l := logs.String(); strings.Contains(l, cfg.AccessKeySecret) || strings.Contains(l, cfg.Code) || !strings.Contains(l, "game started") {
			t.Errorf("the secret or the whole 身份码 was logged, or nothing was:\n%s", l)
		}
	})
}

// The platform closing the game, however it says so, starts a new one.
func TestRestartWhenThePlatformEndsTheGame(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(*opentest.Server, *open.Source)
		close func(*opentest.Server)
	}{
		{"heartbeat answered 7003", nil, func(s *opentest.Server) { s.Fail("/v2/app/heartbeat", 7003) }},
		{"INTERACTION_END", nil, func(s *opentest.Server) { s.ExpireGame(true) }},
		{"closed without a word", nil, func(s *opentest.Server) { s.ExpireGame(false) }},
		// The fake enforces the 60 s heartbeat timeout on a client that
		// heartbeats too rarely.
		{"heartbeat timeout", func(_ *opentest.Server, s *open.Source) { s.GameHeartbeat = 90 * time.Second }, func(*opentest.Server) {}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				var c danmu.Counters
				srv, out, stop := pipeRun(t, opentest.Config{}, &c, tc.setup)
				waitStats(t, srv, func(s opentest.Stats) bool { return s.Auths == 1 })
				tc.close(srv)
				waitStats(t, srv, func(s opentest.Stats) bool { return s.Auths == 2 })
				srv.Send(opentest.DM(opentest.User{OpenID: "o-1", Name: "a"}, "左"))
				if ev := <-out; ev.Text != "左" {
					t.Fatalf("event %+v", ev)
				}
				if err := stop(); !errors.Is(err, context.Canceled) {
					t.Errorf("Run = %v", err)
				}
				st := srv.Stats()
				if st.Starts != 2 || len(st.Active) != 0 || c.Get(open.CounterReconnect) != 1 {
					t.Errorf("stats %+v counters %v", st, c.Snapshot())
				}
				if tc.name == "heartbeat timeout" && st.Expired != 1 {
					t.Errorf("the fake did not expire the game: %+v", st)
				}
			})
		})
	}
}

// 7001 (cooldown) and 4009 (rate limit) wait at least 10 s; other
// failures back off exponentially from 1 s.
func TestStartRetries(t *testing.T) {
	for _, tc := range []struct {
		code     int64
		min, max time.Duration // for two refusals in a row
	}{
		{7001, 20 * time.Second, 21 * time.Second},
		{4009, 20 * time.Second, 21 * time.Second},
		{5000, 0, 3 * time.Second},
	} {
		synctest.Test(t, func(t *testing.T) {
			var c danmu.Counters
			start := time.Now()
			srv, _, stop := pipeRun(t, opentest.Config{}, &c, func(s *opentest.Server, _ *open.Source) {
				s.Fail("/v2/app/start", tc.code, tc.code)
			})
			waitStats(t, srv, func(s opentest.Stats) bool { return s.Auths == 1 })
			if d := time.Since(start); d < tc.min || d > tc.max {
				t.Errorf("code %d: started after %v, want %v–%v", tc.code, d, tc.min, tc.max)
			}
			if err := stop(); !errors.Is(err, context.Canceled) {
				t.Errorf("Run = %v", err)
			}
			if st := srv.Stats(); st.Refused[tc.code] != 2 || st.Starts != 1 || c.Get(open.CounterStartError) != 2 {
				t.Errorf("code %d: stats %+v counters %v", tc.code, st, c.Snapshot())
			}
		})
	}
}

func TestPermanentErrors(t *testing.T) {
	for _, tc := range []struct {
		name  string
		code  int64
		want  error
		tweak func(*open.Source, *opentest.Server)
	}{
		{"wrong 身份码", 7007, open.ErrInvalidCode, func(s *open.Source, _ *opentest.Server) { s.Code = "WRONG" }},
		{"wrong app", 4001, open.ErrInvalidApp, func(s *open.Source, _ *opentest.Server) { s.AppID = 7 }},
		{"wrong secret", 4002, open.ErrSignature, func(s *open.Source, _ *opentest.Server) {
			os.WriteFile(s.AccessKeySecretFile, []byte("not-the-secret"), 0o600)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				srv := opentest.NewPipeServer(opentest.Config{})
				defer srv.Close()
				src := source(t, srv.Config())
				src.API, src.HTTPClient, src.NetDial = srv.URL, srv.Client(), srv.Dial
				tc.tweak(src, srv)
				err := src.Run(t.Context(), make(chan danmu.Event))
				if !errors.Is(err, tc.want) {
					t.Fatalf("Run = %v, want %v", err, tc.want)
				}
				st := srv.Stats()
				if st.Refused[tc.code] != 1 || st.Starts != 0 {
					t.Errorf("retried or wrong code: %+v", st)
				}
				t.Log(err)
			})
		})
	}
}

// A game heartbeat that fails is retried after 5 s, without restarting
// the game: the platform allows 60 s.
func TestGameHeartbeatFailuresAreRetried(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var c danmu.Counters
		srv, _, stop := pipeRun(t, opentest.Config{}, &c, func(s *opentest.Server, _ *open.Source) {
			s.Fail("/v2/app/heartbeat", 5000, 4009)
		})
		time.Sleep(61 * time.Second)
		synctest.Wait()
		if err := stop(); !errors.Is(err, context.Canceled) {
			t.Errorf("Run = %v", err)
		}
		st := srv.Stats()
		// Refused at 20 and 25 s, accepted at 30 and 50 s.
		if st.Starts != 1 || st.Heartbeats != 2 || st.Expired != 0 || st.Ends != 1 || c.Get(open.CounterHeartbeatError) != 2 {
			t.Errorf("stats %+v counters %v", st, c.Snapshot())
		}
	})
}

// Hostile frames on the WebSocket are counted and dropped; the connection
// and the events around them carry on.
func TestBadFramesAreCounted(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var c danmu.Counters
		srv, out, stop := pipeRun(t, opentest.Config{}, &c, nil)
		u := opentest.User{OpenID: "o-1", Name: "a"}
		srv.SendFrame([]byte{0, 0, 0, 3})                                            // shorter than a header
		srv.SendFrame(append(opentest.ZlibFrame(opentest.DM(u, "左"))[:20], 1, 2, 3)) // corrupt zlib
		srv.Send([]byte(`{"cmd":"LIVE_OPEN_PLATFORM_DM","data":{"msg":`), []byte(`{"cmd":"NEW_THING"}`), opentest.DM(u, "右"))
		if ev := <-out; ev.Text != "右" {
			t.Fatalf("event %+v", ev)
		}
		if err := stop(); !errors.Is(err, context.Canceled) {
			t.Errorf("Run = %v", err)
		}
		for _, name := range []string{"decode_error:short_header", "decode_error:invalid_json", "unknown_cmd"} {
			if c.Get(name) != 1 {
				t.Errorf("%s not counted: %v", name, c.Snapshot())
			}
		}
		if c.Get("decode_error:zlib")+c.Get("decode_error:bad_length") != 1 || c.Get(open.CounterReconnect) != 0 {
			t.Errorf("counters %v", c.Snapshot())
		}
	})
}
