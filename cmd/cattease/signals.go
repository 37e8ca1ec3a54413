package main

import (
	"context"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

// hangups receives SIGHUP for the whole life of the process. The default
// action of SIGHUP ends a Go program at once, without a single deferred
// halt: a dropped ssh session or a `kill -HUP` meant as a reload would
// leave the laser lit. main catches it before anything is opened and never
// lets it go; watchRules reloads on it, and where nothing reloads
// (cattease agent), ignoreHangups says so in the log.
var hangups = make(chan os.Signal, 1)

// catchSignals makes the signals that would end the process without its
// halt harmless, for as long as the process lives:
//   - SIGHUP goes to hangups (see there);
//   - SIGPIPE is ignored: otherwise a write to a standard output or error
//     whose reader has gone (`cattease run | tee log` with tee ended, a
//     restarted log collector) ends the process by that signal; ignored,
//     the write fails with EPIPE, which the logger and the view tolerate.
//
// SIGINT and SIGTERM end the process the orderly way (main's context);
// SIGUSR1 is the emergency stop (lockInstance). SIGQUIT keeps Go's
// goroutine dump on purpose: it is how a stuck process is debugged.
// Windows sends none of SIGHUP, SIGPIPE and SIGUSR1 (signals_windows.go):
// Ctrl-C is os.Interrupt, closing the console window SIGTERM.
func catchSignals() {
	signal.Notify(hangups, syscall.SIGHUP)
	signal.Ignore(syscall.SIGPIPE)
}

// ignoreHangups logs each SIGHUP a process without rules reloading gets,
// so that a streamer who sent one to reload knows to restart instead.
func ignoreHangups(ctx context.Context, hup <-chan os.Signal, log *slog.Logger) error {
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-hup:
			log.Warn("SIGHUP ignored: the agent reloads nothing; restart it to apply changes to rules.yaml")
		}
	}
}
