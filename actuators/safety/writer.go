package safety

import "sync"

// ledgerWriter hands ledger writes from the motion loop to a goroutine,
// so an fsync on a slow SD card never holds the loop (or its lock). Only
// the newest pending write matters: each one supersedes the last. Without
// a running writer (replay, tests), submit writes at once, still outside
// the envelope's lock.
type ledgerWriter struct {
	mu      sync.Mutex
	next    *ledgerFile
	running bool
	wake    chan struct{}
}

func newLedgerWriter() ledgerWriter { return ledgerWriter{wake: make(chan struct{}, 1)} }

func (w *ledgerWriter) submit(f ledgerFile, e *Envelope) {
	w.mu.Lock()
	if !w.running {
		w.mu.Unlock()
		e.writeLedger(f)
		return
	}
	w.next = &f
	w.mu.Unlock()
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

func (w *ledgerWriter) take() *ledgerFile {
	w.mu.Lock()
	defer w.mu.Unlock()
	f := w.next
	w.next = nil
	return f
}

func (w *ledgerWriter) setRunning(on bool) {
	w.mu.Lock()
	w.running = on
	w.mu.Unlock()
}

// writeLedger writes f and reports a failure: logged and counted, and the
// laser stays dark until a write succeeds (the reservation is not durable).
func (e *Envelope) writeLedger(f ledgerFile) {
	if err := e.ledger.write(f); err != nil {
		e.log.Error("laser ledger not saved: laser refused until it is", "err", err)
	}
}

// runWriter writes ledger updates until stop is closed, then the last one.
func (e *Envelope) runWriter(stop <-chan struct{}) {
	for {
		select {
		case <-e.writer.wake:
			if f := e.writer.take(); f != nil {
				e.writeLedger(*f)
			}
		case <-stop:
			if f := e.writer.take(); f != nil {
				e.writeLedger(*f)
			}
			return
		}
	}
}
