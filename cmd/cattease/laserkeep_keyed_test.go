package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/control"
	"github.com/cattease/cattease/control/mqtt"
	"github.com/cattease/cattease/control/mqtt/mqtttest"
	"github.com/cattease/cattease/web"
)

// runLaserPath is where a run with the configuration cfg on a mock rig
// (rigs: run --rig's, by base topic "cattease") keeps its laser forbid
// in dir.
func runLaserPath(t *testing.T, dir, cfg string, rigs ...string) string {
	t.Helper()
	var rig chatRig
	if len(rigs) > 0 {
		fan := mqtt.Fanout{}
		for _, name := range rigs {
			fan = append(fan, &mqtt.Remote{Topics: mqtt.Topics{Base: "cattease", Rig: name}})
		}
		rig = fan
	}
	key, err := runLaserKey(cfg, haltPlan{Driver: "mock"}, rig)
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, keyedName(laserFile, key))
}

// Each run keeps its laser forbid in a file of its own: runs on this
// machine's rig by the pins of their switches (on the mock, which lights
// nothing, by their configuration: the hash of their pid file), run
// --rig by the rigs it drives, whatever their order; an agent the same,
// under a name of its own. Before, every run of a state directory shared
// cattease-laser-off.json: one run's chat forbid turned another's panel
// forbid into one chat could lift, and two runs lost each other's.
func TestRunLaserFilesAreKeyed(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("STATE_DIRECTORY", dir)
	cfgA, cfgB := filepath.Join(t.TempDir(), "a.yaml"), filepath.Join(t.TempDir(), "b.yaml")
	mock := haltPlan{Driver: "mock"}
	on := func(pins ...string) haltPlan {
		hw := haltPlan{Driver: "pca9685", I2CBus: "1", Address: 0x40, Channels: []int{0, 1}}
		for i, pin := range pins {
			hw.Switches = append(hw.Switches, haltSwitch{Name: fmt.Sprint("laser", i), Pin: pin, Laser: true})
		}
		return hw
	}
	files := map[string]string{}
	one := func(what, cfg string, hw haltPlan, rig chatRig) string {
		t.Helper()
		file, before, err := runLaserFiles(cfg, hw, rig)
		if err != nil {
			t.Fatal(err)
		}
		if before != filepath.Join(dir, laserFile) || filepath.Dir(file) != dir {
			t.Fatalf("%s: %s, before %s", what, file, before)
		}
		if other, dup := files[file]; dup {
			t.Errorf("%s and %s share %s", what, other, file)
		}
		files[file] = what
		return file
	}
	a := one("the mock run of a.yaml", cfgA, mock, nil)
	one("the mock run of b.yaml", cfgB, mock, nil)
	key, _ := configKey(cfgA)
	pid := filepath.Base(pidFilePath(dir, key))
	hash := strings.TrimSuffix(strings.TrimPrefix(pid, "run-"), ".pid")
	if filepath.Base(a) != "cattease-laser-off."+hash+".json" {
		t.Errorf("the mock run of a.yaml keeps %s, its pid file is %s", a, pid)
	}
	gpio17 := one("the run on GPIO17", cfgA, on("GPIO17"), nil)
	one("the run on GPIO27", cfgA, on("GPIO27"), nil)
	one("the run on GPIO17 and GPIO27", cfgA, on("GPIO17", "GPIO27"), nil)
	other := haltPlan{Driver: "sysfspwm", PWMChip: "0", Channels: []int{2}, Switches: []haltSwitch{{Name: "pointer", Pin: "gpio17", ActiveLow: true, Laser: true}}}
	if again, _, _ := runLaserFiles(cfgB, other, nil); again != gpio17 {
		t.Errorf("GPIO17 with another configuration, board and switch name: %s, want %s", again, gpio17)
	}
	remote := func(base, name string) *mqtt.Remote { return &mqtt.Remote{Topics: mqtt.Topics{Base: base, Rig: name}} }
	pi := one("run --rig pi", cfgA, mock, mqtt.Fanout{remote("cattease", "pi")})
	one("run --rig pi2", cfgA, mock, mqtt.Fanout{remote("cattease", "pi2")})
	one("run --rig pi on another base topic", cfgA, mock, mqtt.Fanout{remote("room2", "pi")})
	cats := one("run --rig cat --rig kitten", cfgA, mock, mqtt.Fanout{remote("cattease", "cat"), remote("cattease", "kitten")})
	if again, _, _ := runLaserFiles(cfgB, mock, mqtt.Fanout{remote("cattease", "kitten"), remote("cattease", "cat")}); again != cats {
		t.Errorf("the same rigs in another order, another configuration: %s, want %s", again, cats)
	}
	if again, _, _ := runLaserFiles(cfgB, on("GPIO5"), mqtt.Fanout{remote("cattease", "pi")}); again != pi {
		t.Errorf("run --rig pi with another configuration: %s, want %s", again, pi)
	}
	agent, before, err := hardwareLaserFiles(agentLaserFile, cfgA, mock)
	if err != nil || before != filepath.Join(dir, agentLaserFile) || filepath.Base(agent) != "cattease-agent-laser-off."+hash+".json" {
		t.Errorf("the mock agent of a.yaml: %s, before %s, %v", agent, before, err)
	}
	agent17, _, _ := hardwareLaserFiles(agentLaserFile, cfgB, on("GPIO17"))
	if want := strings.Replace(filepath.Base(gpio17), "cattease-laser-off", "cattease-agent-laser-off", 1); filepath.Base(agent17) != want {
		t.Errorf("the agent on GPIO17: %s, want %s", agent17, want)
	}
}

// The reviewer's case, through the binary's code: no laser file, mqtt
// control off, the rig's kept file with its device's forbid (restored as
// the run's). Chat's 关激光 then 开激光 must not lift it: the run side
// takes it as the panel's at start, and says so in its own file. Before,
// 开激光 after 关激光 lit the laser.
func TestRunRigKeptDeviceForbidIsNotChats(t *testing.T) {
	b := mqtttest.Start(t)
	dir := t.TempDir()
	t.Setenv("STATE_DIRECTORY", dir)
	rules := rulesWithMQTT(t, "")
	device := filepath.Join(dir, deviceFile(mqtt.Topics{Base: "cattease", Rig: "cat1"}))
	if err := os.WriteFile(device, []byte(`{"held":false,"forbidden":["laser"]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	kept := runLaserPath(t, dir, rules, "cat1")
	w := watch(t, b.URL, "cattease/#")
	agentRig := captureRig(t)
	actx, stopAgent := context.WithCancel(context.Background())
	defer stopAgent()
	alines, await := startCLI(t, actx, strings.NewReader(""), "agent", "--dry-run", "--listen", "off", "-q", "--mqtt", b.URL, "--rig", "cat1", "-c", rules)
	printed(t, "agent", alines)
	poll(t, 30*time.Second, "agent online", func() bool { return string(w.get("cattease/cat1/agent/availability")) == "online" })
	panel := make(chan web.Engine, 1)
	testHookServer = func(s *web.Server) { panel <- s.Engine }
	t.Cleanup(func() { testHookServer = nil })
	stdin, typed := io.Pipe()
	rctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	rlines, rwait := startCLI(t, rctx, stdin, "run", "--stdin", "-q", "--listen", "127.0.0.1:0", "--rig", b.URL+"/cat1", "-c", rules)
	printed(t, "run side", rlines)
	eng := <-panel
	poll(t, 10*time.Second, "link up", func() bool {
		var st struct{ Link bool }
		return json.Unmarshal(w.get("cattease/cat1/agent/state"), &st) == nil && st.Link
	})
	if b, err := os.ReadFile(kept); err != nil || string(b) != `{"panel":["laser"]}` {
		t.Errorf("the run's laser file %s holds %s (%v), want the rig's kept forbid as the panel's", kept, b, err)
	}
	laserOff := func() bool {
		for _, s := range agentRig().env.Snapshot().Switches {
			if s.Name == "laser" {
				return s.Disabled
			}
		}
		return false
	}
	poll(t, 5*time.Second, "the agent's laser forbidden", laserOff)
	n := 0
	say := func(text string, o control.Outcome, r actuators.Reason) {
		t.Helper()
		n++
		io.WriteString(typed, "@mod 房管: "+text+"\n")
		var last control.Decision
		poll(t, 5*time.Second, text+" decided", func() bool {
			st := eng.Status(time.Now())
			var got int
			for _, d := range st.Recent {
				if d.Rule == "laser_forbid" || d.Rule == "laser_allow" {
					got++
					last = d
				}
			}
			return got >= n
		})
		if last.Outcome != o || last.Reason != r {
			t.Fatalf("%s: %s %s, want %s %s", text, last.Outcome, last.Reason, o, r)
		}
	}
	say("开激光", control.Dropped, control.ReasonPermission)
	say("关激光", control.Accepted, control.ReasonModeration)
	say("开激光", control.Dropped, control.ReasonPermission)
	if !laserOff() {
		t.Fatal("chat's 开激光 lifted the rig's kept forbid")
	}
	typed.Close()
	if code := rwait(); code != 0 {
		t.Errorf("run exited %d", code)
	}
	stopAgent()
	await()
}
