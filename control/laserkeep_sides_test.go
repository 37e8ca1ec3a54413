package control

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/cattease/cattease/actuators/safety"
)

// sidedRig is a rig whose laser is forbidden from several sides, as
// mqtt.Fanout's remote rigs are: the run's forbid kept apart (runOff),
// chat's allow (EnableChat) lifting it as the panel's (Enable) does, and
// RunForbidden saying what the run forbids, some of it perhaps kept from
// before the start. With down, the rig's link is down: nothing is
// confirmed, a forbid holds here all the same, an allow goes nowhere.
type sidedRig struct {
	*safety.Envelope
	mu     sync.Mutex
	runOff map[string]bool
	down   bool
	calls  []string
}

// startSided starts a keptRun on a sidedRig that holds runOff forbidden by
// the run from before the start, as a remote rig's kept file does.
func startSided(t *testing.T, path string, runOff ...string) (*keptRun, *sidedRig) {
	t.Helper()
	var rig *sidedRig
	r := startKeptOn(t, Options{LaserFile: path}, func(env *safety.Envelope) Rig {
		rig = &sidedRig{Envelope: env}
		for _, name := range runOff {
			setOff(&rig.runOff, name, true)
			env.Enable(name, false)
		}
		return rig
	})
	return r, rig
}

func (r *sidedRig) Enable(name string, on bool) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, fmt.Sprintf("%s=%v", name, on))
	setOff(&r.runOff, name, !on)
	if !on || !r.down {
		r.Envelope.Enable(name, on)
	}
	return !r.down
}

func (r *sidedRig) EnableChat(name string, on bool) bool { return r.Enable(name, on) }

func (r *sidedRig) RunForbidden() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for name := range r.runOff {
		out = append(out, name)
	}
	slices.Sort(out)
	return out
}

func (r *sidedRig) told() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	defer func() { r.calls = nil }()
	return r.calls
}

// A forbid of the run's that a remote rig kept from before the start,
// which the engine did not give (a Home Assistant device's kept as the
// run's with mqtt.control off, the run's kept without the engine's own
// file): chat's 关激光 does not take it for its own, so 开激光 does not
// lift it. Before, 关激光 noted it as chat's and 开激光 lit the laser.
func TestChatForbidLeavesARigsKeptRunForbid(t *testing.T) {
	r, rig := startSided(t, "", "laser")
	r.wantDisabled("laser")
	want(t, r.say("开激光"), Dropped, ReasonPermission)
	want(t, r.say("关激光"), Accepted, ReasonModeration)
	r.wantDisabled("laser,spot")
	want(t, r.say("开激光"), Dropped, ReasonPermission)
	r.wantDisabled("laser,spot")
	if !slices.Contains(rig.RunForbidden(), "laser") {
		t.Fatal("开激光 lifted the rig's kept forbid")
	}
	// the streamer's switch lifts it; chat's forbid of spot is chat's
	r.eng.SetLaser("laser", true)
	want(t, r.say("开激光"), Accepted, ReasonModeration)
	r.wantDisabled("")
	// chat's own forbid, said twice, stays chat's
	want(t, r.say("关激光"), Accepted, ReasonModeration)
	want(t, r.say("关激光"), Accepted, ReasonModeration)
	want(t, r.say("开激光"), Accepted, ReasonModeration)
	r.wantDisabled("")
}

// The engine takes what a rig kept forbidden by the run as the
// streamer's, but for what its own file says chat forbade: the file
// says so at once, 开激光 is refused, the panel's switch lifts it. Chat's
// 关激光 still reaches the rig (on another rig the laser may be allowed).
func TestAdoptPanelForbids(t *testing.T) {
	path := filepath.Join(t.TempDir(), "laser-off.json")
	os.WriteFile(path, []byte(`{"chat":["spot"]}`), 0o600)
	r, rig := startSided(t, path, "laser", "spot")
	r.wantKept("", "spot")
	got := r.eng.AdoptPanelForbids([]string{"gone", "laser", "spot"})
	if !slices.Equal(got, []string{"laser"}) {
		t.Fatalf("adopted %q, want laser alone (spot is chat's, gone is no switch)", got)
	}
	wantFile(t, path, `{"panel":["laser"],"chat":["spot"]}`)
	if again := r.eng.AdoptPanelForbids([]string{"laser"}); len(again) > 0 {
		t.Errorf("adopted %q again", again)
	}
	rig.told()
	want(t, r.say("关激光"), Accepted, ReasonModeration)
	if calls := rig.told(); !slices.Contains(calls, "laser=false") {
		t.Errorf("关激光 told the rig %q: the forbid of laser reaches every rig whatever the engine holds", calls)
	}
	want(t, r.say("开激光"), Dropped, ReasonPermission)
	r.wantDisabled("laser,spot")
	r.eng.SetLaser("laser", true)
	wantFile(t, path, `{"chat":["spot"]}`)
	want(t, r.say("开激光"), Accepted, ReasonModeration)
	r.wantDisabled("")
	wantFile(t, path, "")
}

// The streamer's laser switch-off while the rig does not confirm it (a
// remote rig's link down) is kept, and SetLaser says the switch exists:
// the panel does not answer "no switch". A switch the rules do not have
// is none.
func TestSetLaserUnconfirmedForbidHolds(t *testing.T) {
	path := filepath.Join(t.TempDir(), "laser-off.json")
	r, rig := startSided(t, path)
	rig.down = true
	if !r.eng.SetLaser("laser", false) {
		t.Fatal("SetLaser says there is no laser switch while the rig's link is down")
	}
	r.wantDisabled("laser")
	wantFile(t, path, `{"panel":["laser"]}`)
	if !strings.Contains(r.log.String(), "did not confirm the laser switch's forbid") {
		t.Errorf("no warning logged:\n%s", r.log)
	}
	if !r.eng.SetLaser("laser", true) || !strings.Contains(r.log.String(), "did not confirm the laser switch's allow") {
		t.Errorf("an unconfirmed allow: no warning logged:\n%s", r.log)
	}
	wantFile(t, path, "")
	if r.eng.SetLaser("nosuch", false) {
		t.Error("SetLaser says a switch the rules do not have exists")
	}
}
