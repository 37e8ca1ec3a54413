package main

import (
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/cattease/cattease/control"
	"github.com/cattease/cattease/danmu"
	"github.com/cattease/cattease/danmu/replay"
)

// recorder appends events to the --record file, written through (see
// logFile): each event is in the file within a second, and the file
// rotates by size.
type recorder struct {
	w    *replay.Writer
	file *logFile
}

// openRecord opens the --record file and writes this process's start line
// in it, now; "" records nothing. The run opens it once its rig is built
// and homing, a few milliseconds after: a replay of the record starts its
// rig at that line (replay.Decoder.Start), and so holds it at home where
// the live run did, and counts its ticks from there, not from the first
// event.
func openRecord(path string, opt logFileOptions, log *slog.Logger) (*recorder, error) {
	if path == "" {
		return &recorder{}, nil
	}
	opt.Name, opt.Log = "record", log
	lf, err := openLogFile(path, opt)
	if err != nil {
		return nil, err
	}
	r := &recorder{w: replay.NewLineWriter(lf), file: lf}
	if err := r.w.WriteStart(time.Now()); err != nil {
		return nil, errors.Join(fmt.Errorf("cattease: %w", err), lf.Close())
	}
	return r, nil
}

// write records ev with the time it is received: now, as the chat path
// records each event just before the engine decides its batch (at a
// time.Now() of its own, a few microseconds later). Replay decides the
// event at that time, not at the sender's timestamp (whole seconds for a
// Bilibili gift), so that it reproduces what the live run decided.
func (r *recorder) write(ev danmu.Event, received time.Time) error {
	if r.w == nil {
		return nil
	}
	return r.w.WriteReceived(ev, received)
}

// close writes what waits, fsyncs and closes the file.
func (r *recorder) close() error {
	if r.file == nil {
		return nil
	}
	return r.file.Close()
}

// recordOptions are the --record file's rotation settings: keep old
// files kept, 0 none.
func recordOptions(maxSize int64, keep int) logFileOptions {
	return logFileOptions{MaxSize: maxSize, Keep: keep}
}

// openAuditFile opens the decision log at path, written through like the
// record (mode 0600: it names viewers), rotating at the same defaults. The
// caller hands the file's panics to the run (handPanics) and closes it
// (closeAudit).
func openAuditFile(path string, log *slog.Logger) (*control.Trace, *logFile, error) {
	lf, err := openLogFile(path, logFileOptions{Name: "audit log", Log: log, Mode: 0o600,
		MaxSize: defaultLogMaxSize, Keep: defaultLogKeep, open: testHookAuditOpen})
	if err != nil {
		return nil, nil, err
	}
	return control.NewLineTrace(lf), lf, nil
}

// testHookAuditOpen, set by tests, opens the audit log's file.
var testHookAuditOpen func(path string) (logSink, int64, error)

// closeAudit closes the audit log lf (nil: none), logging a failure.
func closeAudit(lf *logFile, log *slog.Logger) {
	if lf == nil {
		return
	}
	if err := lf.Close(); err != nil {
		log.Error("audit log", "err", err)
	}
}

// openRecordFlags opens the --record file with --record-max and
// --record-keep: that many old files are kept, 0 none (each file renamed
// aside is deleted at once).
func openRecordFlags(fl *runFlags, log *slog.Logger) (*recorder, error) {
	if fl.record == "" {
		return &recorder{}, nil
	}
	size, err := recordFlags(fl) // run checked them already
	if err != nil {
		return nil, err
	}
	return openRecord(fl.record, recordOptions(size, fl.recordKeep), log)
}
