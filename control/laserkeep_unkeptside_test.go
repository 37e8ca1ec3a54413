package control

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/synctest"
	"time"
)

// While the laser file cannot be written, a forbid that only moved from
// one side to the other (chat's 关激光, then the streamer's switch, of the
// same lasers; or the other way round) is no laser allowed or forbidden
// again by a restart: LaserUnkept said "both" ("allowing some lasers
// again and forbidding others"). Whether a laser is forbidden is now told
// by either side's forbid, and the side apart: "as_chat" when a restart
// would hold the streamer's forbid as chat's, which a moderator's 开激光
// lifts; "as_panel" the other way, the safe side.
func TestLaserUnkeptSideMovedOnly(t *testing.T) {
	unwritable := func(t *testing.T, path string) {
		t.Helper()
		if err := os.Remove(path); err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(path, "x"), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	want := func(t *testing.T, r *keptRun, lost, logs string) {
		t.Helper()
		if got := r.eng.LaserUnkept(); got != lost {
			t.Errorf("LaserUnkept %q, want %q", got, lost)
		}
		if !strings.Contains(r.log.String(), logs) {
			t.Errorf("the log does not say %q:\n%s", logs, r.log)
		}
	}
	t.Run("chat's, then the streamer's", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "laser-off.json")
			r := startKept(t, path)
			r.say("关激光")
			wantFile(t, path, `{"chat":["laser","spot"]}`)
			unwritable(t, path)
			r.eng.SetLaser("laser", false)
			r.eng.SetLaser("spot", false)
			r.wantDisabled("laser,spot")
			want(t, r, "as_chat", "a restart would find lasers the streamer's switch forbade forbidden by chat's 关激光 alone")
			// and a laser allowed since as well: both ways
			r.eng.SetLaser("spot", true)
			want(t, r, "both", "")
			os.RemoveAll(path)
			time.Sleep(laserRetryMax)
			synctest.Wait()
			want(t, r, "", "")
		})
	})
	t.Run("the streamer's, then chat's", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "laser-off.json")
			r := startKept(t, path)
			r.eng.SetLaser("laser", false)
			r.eng.SetLaser("spot", false)
			wantFile(t, path, `{"panel":["laser","spot"]}`)
			unwritable(t, path)
			r.eng.SetLaser("laser", true)
			r.eng.SetLaser("spot", true)
			r.say("关激光")
			r.wantDisabled("laser,spot")
			want(t, r, "as_panel", "a restart would find lasers chat's 关激光 forbade forbidden by the streamer's switch")
			os.RemoveAll(path)
			time.Sleep(laserRetryMax)
			synctest.Wait()
			want(t, r, "", "")
		})
	})
}
