package control

import (
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/mock"
	"github.com/cattease/cattease/actuators/safety"
)

// startKeptOn is startKept with the engine's options (LaserFile among
// them) as given and the engine on wrap's rig around the envelope (nil:
// the envelope itself).
func startKeptOn(t *testing.T, opts Options, wrap func(*safety.Envelope) Rig) *keptRun {
	t.Helper()
	r := &keptRun{t: t, log: &lockedLog{}}
	outs := map[string]actuators.Actuator{}
	cfg := safety.Config{}
	for _, name := range []string{"pan", "tilt"} {
		outs[name] = mock.New(name, actuators.KindAxis, mock.Limits{}, nil)
		cfg.Axes = append(cfg.Axes, safety.AxisLimits{Name: name, Min: -45, Max: 45, Speed: 180})
	}
	for _, name := range []string{"laser", "spot", "treat"} {
		outs[name] = mock.New(name, actuators.KindSwitch, mock.Limits{}, nil)
		cfg.Switches = append(cfg.Switches, safety.SwitchLimits{Name: name, MaxOn: 5 * time.Second, Cooldown: 10 * time.Second})
	}
	var err error
	if r.env, err = safety.New(cfg, outs); err != nil {
		t.Fatal(err)
	}
	var rig Rig = r.env
	if wrap != nil {
		rig = wrap(r.env)
	}
	opts.Log = slog.New(slog.NewTextHandler(r.log, nil))
	if r.eng, err = New(compileText(t, keepYAML), rig, opts); err != nil {
		t.Fatal(err)
	}
	r.kept, r.err = r.eng.RestoreLasers()
	return r
}

// A laser renamed in rules.yaml (laser: to pointer:, here the file's
// "pointer" the rules no longer have), a typo in a hand-edited file, or
// chat's forbid of a switch that is no laser: the file counts as
// unreadable, every laser is forbidden as the streamer's, the error
// names what the rules lack, and the file is written anew. Before, the
// name was dropped and the laser allowed.
func TestKeptUnknownNameForbidsEveryLaser(t *testing.T) {
	for _, c := range []struct{ file, names, panel string }{
		{`{"panel":["lazer"]}`, `["lazer"]`, "laser,spot"},
		{`{"panel":["pointer","treat"]}`, `["pointer"]`, "laser,spot,treat"},
		{`{"chat":["pointer"]}`, `["pointer"]`, "laser,spot"},
		{`{"chat":["laser","treat"]}`, `["treat"]`, "laser,spot,treat"},
	} {
		t.Run(c.file, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "laser-off.json")
			os.WriteFile(path, []byte(c.file), 0o600)
			r := startKept(t, path)
			if r.err == nil || !strings.Contains(r.err.Error(), "does not match the rules: every laser is forbidden") ||
				!strings.Contains(r.err.Error(), "it names "+c.names) {
				t.Fatalf("error %v", r.err)
			}
			r.wantKept(c.panel, "")
			r.wantDisabled(c.panel)
			wantFile(t, path, `{"panel":["`+strings.ReplaceAll(c.panel, ",", `","`)+`"]}`)
			want(t, r.say("开激光"), Dropped, ReasonPermission)
			r.wantDisabled(c.panel)
			next := startKept(t, path)
			if next.err != nil {
				t.Fatal(next.err)
			}
			next.wantKept(c.panel, "")
		})
	}
}

// A file under the name an older cattease used (LaserFileBefore) is read
// when LaserFile is not there, written to LaserFile and removed: it is
// read once. A start that finds LaserFile reads it alone.
func TestLaserFileTakenOverFromTheOldName(t *testing.T) {
	dir := t.TempDir()
	path, old := filepath.Join(dir, "laser-off.keyed.json"), filepath.Join(dir, "laser-off.json")
	os.WriteFile(old, []byte(`{"panel":["laser"],"chat":["spot"]}`), 0o600)
	first := startKeptOn(t, Options{LaserFile: path, LaserFileBefore: old}, nil)
	if first.err != nil {
		t.Fatal(first.err)
	}
	first.wantKept("laser", "spot")
	first.wantDisabled("laser,spot")
	wantFile(t, path, `{"panel":["laser"],"chat":["spot"]}`)
	if _, err := os.Stat(old); !os.IsNotExist(err) {
		t.Fatalf("the old file is still there: %v", err)
	}
	want(t, first.say("开激光"), Dropped, ReasonPermission)

	// another's, under the old name: left alone, not read
	os.WriteFile(old, []byte(`{"panel":["treat"]}`), 0o600)
	next := startKeptOn(t, Options{LaserFile: path, LaserFileBefore: old}, nil)
	next.wantKept("laser", "spot")
	next.wantDisabled("laser,spot")
	wantFile(t, old, `{"panel":["treat"]}`)

	// an unreadable old file counts as unreadable
	os.Remove(path)
	os.WriteFile(old, []byte(`{"pan`), 0o600)
	bad := startKeptOn(t, Options{LaserFile: path, LaserFileBefore: old}, nil)
	if bad.err == nil || !strings.Contains(bad.err.Error(), old) {
		t.Fatalf("error %v", bad.err)
	}
	bad.wantKept("laser,spot", "")
	wantFile(t, path, `{"panel":["laser","spot"]}`)
	wantFile(t, old, "")
}

// A write that fails says what a restart would find: a forbid not
// written is allowed again; a lift whose file cannot be rewritten or
// removed brings the forbid back; the lasers forbidden again by chat's
// 关激光 after the streamer's were lifted are found forbidden, as the
// streamer's, which a moderator's 开激光 does not lift. Before, every
// failure said the laser would be allowed again.
func TestLaserFileWriteFailureSaysWhatARestartFinds(t *testing.T) {
	wantLog := func(r *keptRun, what, msg string) {
		t.Helper()
		if !strings.Contains(r.log.String(), msg) {
			t.Fatalf("%s: the log has no %q:\n%s", what, msg, r.log)
		}
		r.log.Reset()
	}
	// no directory to write in
	none := startKept(t, filepath.Join(t.TempDir(), "state", "laser-off.json"))
	want(t, none.say("关激光"), Accepted, ReasonModeration)
	wantLog(none, "a forbid", "the laser forbid is not kept on disk: a restart would allow again the lasers forbidden since it was last kept")

	path := filepath.Join(t.TempDir(), "laser-off.json")
	os.WriteFile(path, []byte(`{"panel":["laser","spot"]}`), 0o600)
	r := startKept(t, path)
	if r.err != nil {
		t.Fatal(r.err)
	}
	// the file can be neither replaced nor removed: a directory, not empty
	os.Remove(path)
	if err := os.MkdirAll(filepath.Join(path, "x"), 0o700); err != nil {
		t.Fatal(err)
	}
	r.eng.SetLaser("laser", true)
	wantLog(r, "a lift", "the laser forbid is not kept on disk: a restart would forbid again the lasers allowed since it was last kept")
	r.eng.SetLaser("spot", true)
	wantLog(r, "the last lift", "the laser forbid is lifted, but the file that kept it cannot be removed: a restart would forbid again what it holds")
	want(t, r.say("关激光"), Accepted, ReasonModeration)
	wantLog(r, "chat's forbid", "the laser forbid is not kept on disk: a restart would find lasers chat's 关激光 forbade forbidden by the streamer's switch, which a moderator's 开激光 does not lift")
}
