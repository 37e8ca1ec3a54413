package control

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/synctest"
	"time"
)

// A forbid whose write fails (no state directory to write in: a full
// disk, a directory turned read-only) holds in memory, LaserKept says it
// is not kept, and the write is tried again on its own, without another
// change of the switch, until it is done: the retries do not fill the
// log, and the success is said. Before, only the next change of the
// switch tried again, and nothing told the panel.
func TestLaserFileWriteIsRetriedUntilKept(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "state")
		path := filepath.Join(dir, "laser-off.json")
		r := startKept(t, path)
		if !r.eng.LaserKept() {
			t.Fatal("nothing forbidden, nothing to keep: LaserKept false")
		}
		r.eng.SetLaser("laser", false)
		r.wantDisabled("laser")
		if r.eng.LaserKept() {
			t.Fatal("a forbid not written: LaserKept true")
		}
		if n := strings.Count(keptLog(r), "the laser forbid is not kept on disk"); n != 1 {
			t.Fatalf("the failed write logged %d times, want once:\n%s", n, keptLog(r))
		}
		time.Sleep(laserRetry + laserRetryMax*3) // several retries, all failing
		synctest.Wait()
		if n := strings.Count(keptLog(r), "level=ERROR"); n != 1 {
			t.Fatalf("the retries logged %d errors, want the first alone:\n%s", n, keptLog(r))
		}
		if err := os.Mkdir(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		time.Sleep(laserRetryMax)
		synctest.Wait()
		wantFile(t, path, `{"panel":["laser"]}`)
		if !r.eng.LaserKept() {
			t.Fatal("written by a retry: LaserKept still false")
		}
		if !strings.Contains(keptLog(r), "the laser forbid is kept on disk again") {
			t.Fatalf("no word of the forbid kept again:\n%s", keptLog(r))
		}
		r.wantDisabled("laser")
		next := startKept(t, path)
		next.wantKept("laser", "")
	})
}

// A rewrite that fails while what is on disk already says the forbid in
// force (a kept name the rules lack, the file a directory that cannot be
// replaced) says a restart would find the same forbid, and LaserKept says
// it is kept. Before, it said a restart would allow lasers again.
func TestLaserFileRewriteFailsWithTheSameForbid(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "laser-off.json")
		if err := os.MkdirAll(filepath.Join(path, "x"), 0o700); err != nil {
			t.Fatal(err)
		}
		r := startKept(t, path)
		if r.err == nil {
			t.Fatal("a directory read as a laser file")
		}
		r.wantDisabled("laser,spot")
		if msg := keptLog(r); !strings.Contains(msg, "a restart would find the same forbid as now") || strings.Contains(msg, "allow again") {
			t.Fatalf("the failed rewrite says:\n%s", msg)
		}
		if !r.eng.LaserKept() {
			t.Error("a restart finds the same forbid: LaserKept false")
		}
		next := startKept(t, path)
		next.wantKept("laser,spot", "")
	})
}

// A kept name the rules do not have (a laser renamed or removed since) is
// said as such, not as an unreadable file, which stays the word for I/O
// and JSON errors.
func TestKeptNameNotInTheRulesIsNotUnreadable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "laser-off.json")
	os.WriteFile(path, []byte(`{"panel":["pointer"]}`), 0o600)
	r := startKept(t, path)
	if r.err == nil || !errors.Is(r.err, ErrLasersNotInRules) || strings.Contains(r.err.Error(), "unreadable") ||
		!strings.Contains(r.err.Error(), "does not match the rules") || !strings.Contains(r.err.Error(), "renamed or removed since?") {
		t.Fatalf("error %v", r.err)
	}
	r.wantDisabled("laser,spot")
	os.WriteFile(path, []byte(`{"pan`), 0o600)
	bad := startKept(t, path)
	if bad.err == nil || errors.Is(bad.err, ErrLasersNotInRules) || !strings.Contains(bad.err.Error(), "is unreadable") {
		t.Fatalf("a torn file: error %v", bad.err)
	}
}

// keptLog is r's log, read under the laser file's lock, which its writes
// (a retry's among them, on a timer's goroutine) log under.
func keptLog(r *keptRun) string {
	r.eng.keep.mu.Lock()
	defer r.eng.keep.mu.Unlock()
	return r.log.String()
}
