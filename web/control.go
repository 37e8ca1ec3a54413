package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/safety"
	"github.com/cattease/cattease/control"
)

// maxArgs caps a control request's body.
const maxArgs = 4 << 10

// controlArgs are the arguments of every control action, as JSON or as
// form values: {"policy":"latest"}, {"name":"circle"},
// {"switch":"laser","enabled":false}, {"target":"猫奴","for":"10m"}.
type controlArgs struct {
	Policy  string `json:"policy"`
	Name    string `json:"name"`
	Switch  string `json:"switch"`
	Enabled *bool  `json:"enabled"`
	Target  string `json:"target"` // moderation: a display name or uid
	For     string `json:"for"`    // moderation: a duration ("10m"); "" = the default
}

// result is the reply to a control request.
type result struct {
	OK       bool   `json:"ok"`
	Action   string `json:"action"`
	Error    string `json:"error,omitempty"`
	Decision any    `json:"decision,omitempty"`
	// Kept answers the laser switch: false when the engine holds its
	// forbid but could not keep it on disk (laserKeeper); absent for
	// the other actions
	Kept *bool `json:"kept,omitempty"`
	// Reason is why the rig refused the action (409: a refusal): link
	// (a remote rig's agent did not answer), stopped (another side's
	// stop holds), permission (another side's laser forbid holds).
	Reason actuators.Reason `json:"reason,omitempty"`
}

// refusal is an action the rig refused, and why (result.Reason).
type refusal struct {
	action string
	reason actuators.Reason
}

func (r *refusal) Error() string {
	return fmt.Sprintf("web: %s: the rig refused it: %s", r.action, r.reason)
}

// resumeReasoner and laserReasoner are an Engine that says why the rig
// refused a resume or a laser switch (control.Engine).
type resumeReasoner interface {
	ResumeReason(now time.Time) actuators.Reason
}

type laserReasoner interface {
	SetLaserReason(name string, on bool) actuators.Reason
}

// laserKeeper is an engine that keeps the laser forbid across a restart
// (control.Engine.LaserKept): whether a restart would find the forbid
// in force, false while its write fails (a full disk, a read-only state
// directory) and is tried again; and, meanwhile, what the restart would
// lose (control.Engine.LaserUnkept: "forbid", "allow" or "both"), which
// every frame carries (Frame.LaserUnkept).
type laserKeeper interface {
	LaserKept() bool
	LaserUnkept() string
}

var _ laserKeeper = (*control.Engine)(nil)

// laserAnswer is doLaser's: whether the forbid is kept.
type laserAnswer struct{ kept bool }

// action performs one control action at now; a non-zero code overrides
// 200 (with err as the message).
type action func(s *Server, now time.Time, a controlArgs) (decision any, code int, err error)

var actions = map[string]action{
	"stop":    doStop,
	"resume":  doResume,
	"pause":   doPause(true),
	"unpause": doPause(false),
	"policy":  doPolicy,
	"pattern": doPattern,
	"laser":   doLaser,
	"reload":  doReload,
	// What chat moderators do (moderate.go).
	"timeout":       doModerate("timeout"),
	"untimeout":     doModerate("untimeout"),
	"exclusive":     doModerate("exclusive"),
	"end_exclusive": doModerate("end_exclusive"),
}

// noArgs are the actions that take no arguments, and ignore a bad body.
var noArgs = map[string]bool{"stop": true, "resume": true, "pause": true, "unpause": true, "reload": true}

func doStop(s *Server, now time.Time, _ controlArgs) (any, int, error) {
	s.Engine.Stop(now)
	return nil, 0, nil
}

// doResume resumes; a resume the rig refuses (another side's stop, a
// remote rig's link down) leaves the engine stopped and answers 409 with
// the reason.
func doResume(s *Server, now time.Time, _ controlArgs) (any, int, error) {
	rr, ok := s.Engine.(resumeReasoner)
	if !ok {
		s.Engine.Resume(now)
		return nil, 0, nil
	}
	if r := rr.ResumeReason(now); r != "" {
		return nil, http.StatusConflict, &refusal{"resume", r}
	}
	return nil, 0, nil
}

func doPause(paused bool) action {
	return func(s *Server, _ time.Time, _ controlArgs) (any, int, error) {
		s.Engine.SetPaused(paused)
		return nil, 0, nil
	}
}

func doPolicy(s *Server, _ time.Time, a controlArgs) (any, int, error) {
	if err := s.Engine.SetPolicy(a.Policy); err != nil {
		return nil, http.StatusBadRequest, err
	}
	return nil, 0, nil
}

func doPattern(s *Server, now time.Time, a controlArgs) (any, int, error) {
	d, err := s.Engine.Inject(now, a.Name)
	if err != nil {
		return nil, http.StatusNotFound, err
	}
	return d, 0, nil
}

// doLaser allows or forbids a laser: the switch named, or without a name
// (the panel's buttons) every laser switch of the rig, whatever it is
// called (laserSwitches). It tries every one before it reports the first
// there is no such switch of (404): a forbid must reach all it can. A
// switch the rig did not confirm (a remote rig's link down) is no
// failure: the engine keeps its forbid all the same, and logs it
// (control.Engine.SetLaser). The answer says whether a restart would
// find what the switch holds now (result.Kept): the switch holds
// regardless, and the engine writes it again until it is kept.
func doLaser(s *Server, _ time.Time, a controlArgs) (any, int, error) {
	if a.Enabled == nil {
		return nil, http.StatusBadRequest, errors.New(`web: laser: want "enabled": true or false`)
	}
	names := []string{a.Switch}
	if a.Switch == "" {
		names = s.laserSwitches()
	}
	if len(names) == 0 {
		return nil, http.StatusNotFound, errors.New("web: laser: the rig has no laser switch")
	}
	var err error
	var refused actuators.Reason
	for _, name := range names {
		switch r := setLaser(s.Engine, name, *a.Enabled); {
		case r == actuators.ReasonUnknownOutput && err == nil:
			err = fmt.Errorf("web: laser: no switch %q", name)
		case r != "" && r != actuators.ReasonUnknownOutput && refused == "":
			refused = r
		}
	}
	if err != nil {
		return nil, http.StatusNotFound, err
	}
	if refused != "" { // an allow another side's forbid, or a link down, kept from the rig
		return nil, http.StatusConflict, &refusal{"laser", refused}
	}
	kept := true
	if k, ok := s.Engine.(laserKeeper); ok {
		kept = k.LaserKept()
	}
	return laserAnswer{kept}, 0, nil
}

// laserSwitches names the rig's lasers: the switches it flags as lasers
// (a pointer, a 激光 beside a treat feeder), else those it names
// otherwise (laserNamer: a remote rig whose agent has not sent its state
// yet, whose switches are not known, names the rules' lasers), else the
// one named "laser" (a rig that flags none); none when it has neither.
func (s *Server) laserSwitches() []string {
	if s.Rig == nil {
		return []string{"laser"}
	}
	sws := s.Rig.Snapshot().Switches
	var names []string
	for _, sw := range sws {
		if sw.Laser {
			names = append(names, sw.Name)
		}
	}
	if ln, ok := s.Rig.(laserNamer); ok && len(names) == 0 {
		names = ln.LaserNames()
	}
	if len(names) == 0 && slices.ContainsFunc(sws, func(sw safety.SwitchState) bool { return sw.Name == "laser" }) {
		names = append(names, "laser")
	}
	return names
}

// laserNamer is a rig that names its lasers apart from its state
// (mqtt.Fanout: the rules' and those each agent's state shows), so a
// forbid reaches them before the state has come.
type laserNamer interface {
	LaserNames() []string
}

// reloadOutcome is a reload's answer when the file changed sections read
// only at start (hardware, safety…): they wait for a restart, and the
// panel says so instead of a plain ok.
type reloadOutcome struct {
	Restart []string `json:"restart"`
}

func doReload(s *Server, _ time.Time, _ controlArgs) (any, int, error) {
	if s.Reload == nil {
		return nil, http.StatusNotImplemented, errors.New("web: reload is not available")
	}
	restart, err := s.Reload()
	if err != nil {
		return nil, http.StatusUnprocessableEntity, err
	}
	if len(restart) > 0 {
		return reloadOutcome{Restart: restart}, 0, nil
	}
	return nil, 0, nil
}

// setLaser is the engine's laser switch, with the rig's reason where the
// engine says it (laserReasoner): "" taken, unknown_output no such switch.
func setLaser(e Engine, name string, on bool) actuators.Reason {
	if lr, ok := e.(laserReasoner); ok {
		return lr.SetLaserReason(name, on)
	}
	if e == nil || !e.SetLaser(name, on) {
		return actuators.ReasonUnknownOutput
	}
	return ""
}

// handleControl runs POST /api/control/{action}; requireToken guards it.
func (s *Server) handleControl(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("action")
	act, ok := actions[name]
	if !ok {
		writeJSON(w, http.StatusNotFound, result{Action: name, Error: "web: unknown action"})
		return
	}
	var a controlArgs
	if err := readArgs(w, r, &a); err != nil && !noArgs[name] { // a stop never fails on its body
		writeJSON(w, http.StatusBadRequest, result{Action: name, Error: err.Error()})
		return
	}
	if s.Engine == nil {
		writeJSON(w, http.StatusServiceUnavailable, result{Action: name, Error: "web: no engine"})
		return
	}
	d, code, err := act(s, s.now(), a)
	s.hub.wake()
	if err != nil {
		s.Log.Warn("web: control refused", "action", name, "err", err, "remote", r.RemoteAddr)
		res := result{Action: name, Error: err.Error()}
		if rf := (*refusal)(nil); errors.As(err, &rf) {
			res.Reason = rf.reason
		}
		writeJSON(w, code, res)
		return
	}
	s.Log.Info("web: control", "action", name, "policy", a.Policy, "name", a.Name, "target", a.Target, "for", a.For, "remote", r.RemoteAddr)
	res := result{OK: true, Action: name, Decision: d}
	if l, ok := d.(laserAnswer); ok {
		res.Decision, res.Kept = nil, &l.kept
	}
	writeJSON(w, http.StatusOK, res)
}

// readArgs decodes a small JSON body, or form and query values, into v.
// A body that begins with '{' is JSON whatever its Content-Type says:
// `curl -d '{"enabled":false}'` and Home Assistant's rest_command send
// one as a form or as text/plain, and no form's body begins with a brace.
func readArgs(w http.ResponseWriter, r *http.Request, v any) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxArgs)
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return fmt.Errorf("web: bad arguments: %w", err)
	}
	if ct == "application/json" || bytes.HasPrefix(bytes.TrimLeft(body, " \t\r\n"), []byte("{")) {
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.DisallowUnknownFields()
		if err := dec.Decode(v); err != nil && !errors.Is(err, io.EOF) { // EOF: no body, no arguments
			return fmt.Errorf("web: bad arguments: %w", err)
		}
		return nil
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	if err := r.ParseForm(); err != nil {
		return fmt.Errorf("web: bad arguments: %w", err)
	}
	m := make(map[string]any, len(r.Form))
	for k := range r.Form {
		m[k] = r.Form.Get(k)
	}
	if e, ok := m["enabled"].(string); ok {
		on, err := parseOn(e)
		if err != nil {
			return err
		}
		m["enabled"] = on
	}
	b, _ := json.Marshal(m) // strings and bools only
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("web: bad arguments: %w", err)
	}
	return nil
}

// parseOn reads a form's boolean.
func parseOn(v string) (bool, error) {
	switch v {
	case "1", "true", "on", "yes":
		return true, nil
	case "0", "false", "off", "no":
		return false, nil
	}
	return false, fmt.Errorf("web: bad arguments: enabled=%q is not a boolean", v)
}
