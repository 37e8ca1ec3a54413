package main

import (
	"context"
	"log/slog"
	"net"
	"path/filepath"
	"testing"
	"time"
)

// notifySocket listens like systemd does, on a unixgram socket at a temp
// path, and returns the datagrams it receives.
func notifySocket(t *testing.T) (string, <-chan string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "notify.sock")
	conn, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: path, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	got := make(chan string, 1024)
	go func() {
		defer close(got)
		buf := make([]byte, 4096)
		for {
			n, err := conn.Read(buf)
			if err != nil {
				return
			}
			got <- string(buf[:n])
		}
	}()
	return path, got
}

func next(t *testing.T, got <-chan string) string {
	t.Helper()
	select {
	case s := <-got:
		return s
	case <-time.After(10 * time.Second):
		t.Fatal("no datagram")
		return ""
	}
}

func TestNotifyDatagram(t *testing.T) {
	path, got := notifySocket(t)
	if err := (sdNotifier{socket: path}).notify("READY=1"); err != nil {
		t.Fatal(err)
	}
	if s := next(t, got); s != "READY=1" {
		t.Fatalf("got %q", s)
	}
	if err := (sdNotifier{}).notify("READY=1"); err != nil {
		t.Fatalf("outside systemd: %v", err)
	}
}

func TestNotifyEnvironment(t *testing.T) {
	t.Setenv("NOTIFY_SOCKET", "@cattease-test")
	t.Setenv("WATCHDOG_USEC", "4000000")
	t.Setenv("WATCHDOG_PID", "")
	if n := newSdNotifier(); n.socket != "@cattease-test" || n.watchdog != 4*time.Second {
		t.Fatalf("%+v", n)
	}
	t.Setenv("WATCHDOG_PID", "1") // the watchdog is someone else's
	if n := newSdNotifier(); n.watchdog != 0 {
		t.Fatalf("%+v", n)
	}
}

// fakeStepper last stepped at last (zero: never), seen at now.
type fakeStepper struct{ last, now time.Time }

func (f *fakeStepper) SinceStep() (time.Duration, bool) {
	return f.now.Sub(f.last), !f.last.IsZero()
}

func TestNotifyStepping(t *testing.T) {
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		last time.Time
		want bool
	}{
		{time.Time{}, false},
		{now, true},
		{now.Add(-time.Second), true},
		{now.Add(-1001 * time.Millisecond), false},
		{now.Add(-time.Hour), false},
	} {
		if got := stepping(&fakeStepper{c.last, now}); got != c.want {
			t.Errorf("last step %v: %v, want %v", c.last, got, c.want)
		}
	}
}

// TestNotifyWatchdogFollowsMotion: READY=1 once the motion loop steps,
// WATCHDOG=1 only on ticks where it has stepped within a second,
// STOPPING=1 at the end.
func TestNotifyWatchdogFollowsMotion(t *testing.T) {
	path, got := notifySocket(t)
	t0 := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	at := func(d time.Duration) time.Time { return t0.Add(d) }
	steps := []time.Time{at(2 * time.Second), at(4 * time.Second)} // when the motion loop stepped
	alive := func(now time.Time) bool {
		var last time.Time
		for _, s := range steps {
			if !s.After(now) {
				last = s
			}
		}
		return stepping(&fakeStepper{last, now})
	}
	ticks := make(chan time.Time)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	n := sdNotifier{socket: path, watchdog: 4 * time.Second}
	go func() { done <- notifyLoop(ctx, n, alive, t0, ticks, slog.New(slog.DiscardHandler)) }()

	ticks <- at(1 * time.Second) // not stepped yet: nothing
	ticks <- at(2 * time.Second) // stepping: ready, fed
	ticks <- at(2500 * time.Millisecond)
	ticks <- at(3500 * time.Millisecond) // 1.5 s without a step: not fed
	ticks <- at(4 * time.Second)         // stepping again: fed
	ticks <- at(6 * time.Second)         // stuck
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{"READY=1\nSTATUS=motion loop running", "WATCHDOG=1", "WATCHDOG=1", "WATCHDOG=1",
		"STOPPING=1\nSTATUS=stopping: parking and halting outputs"} {
		if s := next(t, got); s != want {
			t.Fatalf("datagram %d: %q, want %q", i, s, want)
		}
	}
	select {
	case s := <-got:
		t.Fatalf("extra datagram %q", s)
	default:
	}
}
