package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strconv"
	"time"

	"github.com/cattease/cattease/actuators/safety"
)

// The sd_notify(3) protocol, written out: one datagram of NAME=value
// lines to the unix socket named by $NOTIFY_SOCKET ("@…" is the abstract
// namespace; Go's net package maps it). Type=notify in the unit waits for
// READY=1; WatchdogSec= kills and restarts us (ExecStopPost halts the
// hardware) when WATCHDOG=1 stops coming.

// sdNotifier sends to systemd; the zero value (not started by systemd)
// sends nothing.
type sdNotifier struct {
	socket   string        // $NOTIFY_SOCKET
	watchdog time.Duration // $WATCHDOG_USEC, if meant for this process
}

func newSdNotifier() sdNotifier {
	n := sdNotifier{socket: os.Getenv("NOTIFY_SOCKET")}
	usec, err := strconv.ParseInt(os.Getenv("WATCHDOG_USEC"), 10, 64)
	if err != nil || usec <= 0 {
		return n
	}
	if p := os.Getenv("WATCHDOG_PID"); p != "" && p != strconv.Itoa(os.Getpid()) {
		return n
	}
	n.watchdog = time.Duration(usec) * time.Microsecond
	return n
}

// notify sends one datagram, e.g. "READY=1".
func (n sdNotifier) notify(state string) error {
	if n.socket == "" {
		return nil
	}
	c, err := net.DialUnix("unixgram", nil, &net.UnixAddr{Name: n.socket, Net: "unixgram"})
	if err != nil {
		return fmt.Errorf("sd_notify: %w", err)
	}
	defer c.Close()
	if _, err := c.Write([]byte(state)); err != nil {
		return fmt.Errorf("sd_notify: %w", err)
	}
	return nil
}

// stepper is what the watchdog watches: the real time since the motion
// loop's last step, false before the first. (*safety.Envelope).SinceStep
// provides it.
type stepper interface{ SinceStep() (time.Duration, bool) }

// maxStepAge is how old the motion loop's last step may be for the
// watchdog to be fed: the loop steps every tick (a few ms), so a second
// without a step means it is stuck.
const maxStepAge = time.Second

// stepping reports whether s stepped within maxStepAge.
func stepping(s stepper) bool {
	d, ok := s.SinceStep()
	return ok && d <= maxStepAge
}

// motionAlive says whether env's motion loop is stepping. Until the
// envelope reports its last step, a snapshot that returns at all (the
// envelope's lock is not stuck) stands in for it.
func motionAlive(env *safety.Envelope) func(time.Time) bool {
	if s, ok := any(env).(stepper); ok {
		return func(time.Time) bool { return stepping(s) } // real time, not the tick's
	}
	return func(time.Time) bool { env.Snapshot(); return true }
}

// notifySystemd sends READY=1 once the motion loop runs, WATCHDOG=1 every
// quarter of the watchdog period while it keeps stepping, and STOPPING=1
// when ctx ends. Outside systemd it only waits for ctx.
func notifySystemd(ctx context.Context, n sdNotifier, alive func(time.Time) bool, log *slog.Logger) error {
	if n.socket == "" {
		<-ctx.Done()
		return nil
	}
	every := 100 * time.Millisecond // until ready, without a watchdog
	if n.watchdog > 0 {
		every = min(n.watchdog/4, time.Second)
	}
	t := time.NewTicker(every)
	defer t.Stop()
	return notifyLoop(ctx, n, alive, time.Now(), t.C, log)
}

// notifyLoop is notifySystemd on explicit ticks: it checks alive at start,
// then at each tick's time.
func notifyLoop(ctx context.Context, n sdNotifier, alive func(time.Time) bool, start time.Time, ticks <-chan time.Time, log *slog.Logger) error {
	ready := false
	send := func(state string) {
		if err := n.notify(state); err != nil {
			log.Warn("systemd notification failed", "state", state, "err", err)
		}
	}
	for now := start; ; {
		if alive(now) {
			if !ready {
				send("READY=1\nSTATUS=motion loop running")
				ready = true
			}
			if n.watchdog > 0 {
				send("WATCHDOG=1")
			}
		}
		if ready && n.watchdog == 0 {
			ticks = nil // nothing left to say until the end
		}
		select {
		case <-ctx.Done():
			send("STOPPING=1\nSTATUS=stopping: parking and halting outputs")
			return nil
		case now = <-ticks:
		}
	}
}
