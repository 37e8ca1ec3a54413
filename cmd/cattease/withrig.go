package main

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/cattease/cattease/actuators/safety"
	"github.com/cattease/cattease/control"
	"github.com/cattease/cattease/control/config"
)

// withRig builds the rig, runs use with it, and halts the outputs on every
// exit path, a panic in this goroutine included: laser off, servos parked.
// run and agent both drive hardware through it. It returns the exit code.
func withRig(f *config.File, mode rigMode, s stdio, log *slog.Logger, onOutput func(safety.Output), use func(*rig) error) (code int) {
	if testHookOutput != nil {
		inner := onOutput
		onOutput = func(o safety.Output) { inner(o); testHookOutput(o) }
	}
	r, err := buildRig(f, mode, time.Now(), log, onOutput)
	if err != nil {
		fmt.Fprintln(s.err, err)
		return 1
	}
	if testHookRig != nil {
		testHookRig(r)
	}
	defer func() {
		p := recover()
		if err := r.halt(); err != nil {
			log.Error("halt failed", "err", err)
			code = 1 // the outputs may not be safe: say so to systemd and the shell
		}
		if p != nil {
			log.Error("panic; outputs halted", "panic", p)
			code = 1
		}
	}()
	if err := use(r); err != nil {
		log.Error("stopped", "err", err)
		return 1
	}
	return 0
}

// decisionOutputs is where every decision goes on the chat side: the
// terminal view, the overlay and panel, the test hook and the audit log
// named in the config, which it returns (nil: none).
func decisionOutputs(f *config.File, view *view, wp *webParts, log *slog.Logger) (out func(control.Decision), audit *logFile, err error) {
	outs := []func(control.Decision){view.decision, wp.decision}
	if testHookDecision != nil {
		outs = append(outs, testHookDecision)
	}
	trace, audit, err := openAudit(f, log)
	if err != nil {
		return nil, nil, err
	}
	if trace != nil {
		outs = append(outs, trace.Decision)
	}
	return fanout(outs), audit, nil
}
