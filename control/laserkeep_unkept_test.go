package control

import (
	"os"
	"path/filepath"
	"testing"
	"testing/synctest"
	"time"
)

// LaserUnkept says which way a restart would go while the laser forbid is
// not kept: "forbid" when a forbid could not be written (a restart would
// light the laser again), "allow" when the file of an allowed laser
// could not be removed (a restart would forbid it again, the safe side),
// "both" when it would do each to a laser; "" once a retry keeps it. The
// panel's warning says it, and LaserKept alone could not tell an allow
// from a forbid.
func TestLaserUnkeptSaysWhichWayARestartWouldGo(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "state")
		path := filepath.Join(dir, "laser-off.json")
		r := startKept(t, path)
		want := func(what, lost string) {
			t.Helper()
			if got := r.eng.LaserUnkept(); got != lost {
				t.Fatalf("%s: LaserUnkept %q, want %q", what, got, lost)
			}
			if kept := r.eng.LaserKept(); kept != (lost == "") {
				t.Fatalf("%s: LaserKept %v with LaserUnkept %q", what, kept, lost)
			}
		}
		want("nothing forbidden", "")
		r.eng.SetLaser("laser", false) // no state directory: the write fails
		want("a forbid not written", "forbid")
		if err := os.Mkdir(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		time.Sleep(laserRetry)
		synctest.Wait()
		wantFile(t, path, `{"panel":["laser"]}`)
		want("the forbid written by the retry", "")

		// The file replaced by a directory that cannot be removed: the
		// allow is not kept, and a restart would forbid the laser again.
		if err := os.Remove(path); err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(path, "x"), 0o700); err != nil {
			t.Fatal(err)
		}
		r.eng.SetLaser("laser", true)
		want("an allow whose file is not removed", "allow")
		r.eng.SetLaser("spot", false)
		want("spot forbidden since, laser allowed since", "both")
		if err := os.RemoveAll(path); err != nil {
			t.Fatal(err)
		}
		time.Sleep(laserRetryMax)
		synctest.Wait()
		wantFile(t, path, `{"panel":["spot"]}`)
		want("written by the retry", "")
	})
}
