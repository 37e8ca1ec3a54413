package config

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/cattease/cattease/actuators/safety"
	"github.com/cattease/cattease/control/match"
	"github.com/cattease/cattease/danmu"
)

// Hard bounds that no config may exceed, whatever it says.
const (
	MaxRepeatCap = 20
	MaxQueueSize = 1000
	MaxSteps     = 200
	MaxSwitchOn  = 10 * time.Minute
	MaxCooldown  = 24 * time.Hour // a switch's rest after its max_on
	// The PCA9685's oscillator range, as its driver accepts it.
	MinOscillator Frequency = 20e6
	MaxOscillator Frequency = 30e6
	MaxDwellCap             = time.Minute // a lit dot held still on one spot
	MaxAxisSpeed            = 2000        // °/s
	PCA9685MaxCh            = 15
	MaxCommandLen           = 64
)

type validator struct {
	probs []problem
	// broken lists the fields that did not decode as written; checks that
	// depend on them stay quiet (see ParseWith).
	broken []string
	// raw is the file as decoded, before defaults: what was written.
	raw *File
	// noAim is set once missing axis roles were reported: the checks that
	// need the aim axes then stay quiet.
	noAim bool
}

func (v *validator) add(path, format string, args ...any) {
	if v.caused(path) {
		return
	}
	v.probs = append(v.probs, problem{path, fmt.Sprintf(format, args...)})
}

// caused reports whether a problem at path may be a consequence of a field
// that did not decode: the problem is about that field, about something
// that contains it, or about a sibling inside the same entry (an axis, a
// command, a zone; not a whole top-level section).
func (v *validator) caused(path string) bool {
	for _, b := range v.broken {
		if within(path, b) || within(b, path) {
			return true
		}
		if o := parent(b); depth(o) >= 2 && within(path, o) {
			return true
		}
	}
	return false
}

// intact reports whether the field at path, and everything in it, decoded
// as written: checks that refer to it from elsewhere may rely on it.
func (v *validator) intact(path string) bool {
	for _, b := range v.broken {
		if within(path, b) || within(b, path) {
			return false
		}
	}
	return true
}

// within reports whether path p is at or below path q.
func within(p, q string) bool {
	if q == "" || p == q {
		return true
	}
	return strings.HasPrefix(p, q) && (p[len(q)] == '.' || p[len(q)] == '[')
}

func parent(p string) string {
	if i := strings.LastIndexAny(p, ".["); i >= 0 {
		return p[:i]
	}
	return ""
}

func depth(p string) int {
	if p == "" {
		return 0
	}
	return 1 + strings.Count(p, ".") + strings.Count(p, "[")
}

func (f File) validate(v *validator) {
	if f.Version != 0 && f.Version != 1 {
		v.add("version", "unsupported version %d (this cattease reads version 1)", f.Version)
	}
	v.hardware(f.Hardware)
	if d := f.Safety.DeadMan.D(); d <= 0 || d > MaxSwitchOn {
		v.add("safety.dead_man", "dead_man %v outside (0, %v]", d, MaxSwitchOn)
	}
	v.safety(f)
	v.play(f.Play)
	v.limits(f.Limits)
	v.commands(f)
	v.sequences(f)
	v.sources(f.Sources)
	v.room(f)
	for _, p := range f.MQTT.problems() { // the bridge and the split topology
		v.add(p.path, "%s", p.msg)
	}
}

func (v *validator) hardware(h Hardware) {
	switch h.Driver {
	case "pca9685", "sysfspwm", "mock":
	default:
		v.add("hardware.driver", "unknown driver %q (use pca9685, sysfspwm or mock)", h.Driver)
	}
	if len(h.Axes) == 0 && len(h.Switches) == 0 {
		v.add("hardware", "no axes and no switches: nothing to drive")
	}
	if a := h.PCA9685.Address; a < 0x03 || a > 0x77 {
		v.add("hardware.pca9685.address", "I²C address %#x outside 0x03–0x77", a)
	}
	if o := h.PCA9685.Oscillator; h.Driver == "pca9685" && (o < MinOscillator || o > MaxOscillator) {
		v.add("hardware.pca9685.oscillator", "oscillator %v outside the PCA9685's 20–30 MHz (its own is 25MHz; calibrated boards are within ±10%%)", o)
	}
	for name, a := range h.Axes {
		v.axis("hardware.axes."+name, a, h.Driver)
	}
	v.shared(h)
	for name, s := range h.Switches {
		p := "hardware.switches." + name
		if s.Laser == nil {
			v.add(p, "say whether %q is a laser: write laser: true or laser: false (the eye-safety limits apply to lasers)", name)
		}
		if s.MaxOn.D() <= 0 || s.MaxOn.D() > MaxSwitchOn {
			v.add(p+".max_on", "max_on %v outside (0, %v]", s.MaxOn, MaxSwitchOn)
		} else if s.MaxOn.D() < MinLit {
			v.add(p+".max_on", "max_on %v under %v: %q would never turn on (a switch turns on only when it may stay on %v, two and a half motion ticks)", s.MaxOn, Duration(MinLit), name, Duration(MinLit))
		}
		if c := s.Cooldown.D(); c < 0 || c > MaxCooldown {
			v.add(p+".cooldown", "cooldown %v outside [0, %v]", s.Cooldown, Duration(MaxCooldown))
		} else if s.IsLaser(name) && 2*c < s.MaxOn.D() {
			v.add(p+".cooldown", "a laser's cooldown %v is under half its max_on %v: its light budget would allow it lit nearly all the time; rest at least %v, or leave cooldown out (it defaults to max_on)",
				s.Cooldown, s.MaxOn, s.MaxOn/2)
		}
		if h.Driver != "mock" && s.Pin == "" {
			v.add(p+".pin", "no pin: name the GPIO line, e.g. GPIO17")
		}
	}
}

func (v *validator) axis(p string, a Axis, driver string) {
	switch a.Role {
	case "", RolePan, RoleTilt:
	default:
		v.add(p+".role", "unknown role %q (use pan, tilt, or leave it out for another axis)", a.Role)
	}
	if a.Min >= a.Max {
		v.add(p+".max", "max %g° must be above min %g°", a.Max, a.Min)
	}
	if a.Home < a.Min || a.Home > a.Max {
		v.add(p+".home", "home %g° outside [%g°, %g°]", a.Home, a.Min, a.Max)
	}
	if a.Speed <= 0 || a.Speed > MaxAxisSpeed {
		v.add(p+".speed", "speed %g°/s outside (0, %d°/s]", a.Speed, MaxAxisSpeed)
	} else if l := (safety.AxisLimits{Min: float64(a.Min), Max: float64(a.Max), Speed: float64(a.Speed), Accel: float64(a.Accel)}); a.Min < a.Max && a.Accel >= 0 &&
		l.ParkTime(safety.DefaultTick) > safety.MaxParkTime {
		// The exit parks for at most that long, then halts where the
		// servos are: a slower servo would stop mid-park, unbraked.
		v.add(p+".speed", "speed %g°/s takes %v to park across [%g°, %g°], over %v: cattease would stop parking on its way out before the servo got home; use a faster speed or a narrower range",
			a.Speed, Duration(l.ParkTime(safety.DefaultTick).Round(10*time.Millisecond)), a.Min, a.Max, Duration(safety.MaxParkTime))
	}
	cal := a.Calibration()
	if err := cal.Validate(); err != nil {
		v.add(p+".servo", "%v", err)
	} else if lo, hi := cal.Range(); float64(a.Min) < lo || float64(a.Max) > hi {
		v.add(p+".min", "limits [%g°, %g°] reach beyond the servo's calibrated range [%g°, %g°]", a.Min, a.Max, lo, hi)
	}
	s := a.Servo
	if driver == "pca9685" && (s.Channel < 0 || s.Channel > PCA9685MaxCh) {
		v.add(p+".servo.channel", "PCA9685 channel %d outside 0–%d", s.Channel, PCA9685MaxCh)
	}
}

func (v *validator) play(p Play) {
	if !validPolicy(p.Policy) {
		v.add("play.policy", "unknown policy %q (use queue, latest, vote or fair)", p.Policy)
	}
	if p.QueueSize < 1 || p.QueueSize > MaxQueueSize {
		v.add("play.queue_size", "queue_size %d outside 1–%d", p.QueueSize, MaxQueueSize)
	}
}

func (v *validator) limits(l Limits) {
	for i, r := range l.Bypass {
		if role := danmu.Role(r); !role.Valid() {
			v.add(fmt.Sprintf("limits.bypass[%d]", i), "unknown role %q (use viewer/观众, moderator/房管 or owner/主播)", r)
		}
	}
	if l.MaxRepeat < 1 || l.MaxRepeat > MaxRepeatCap {
		v.add("limits.max_repeat", "max_repeat %d outside 1–%d", l.MaxRepeat, MaxRepeatCap)
	}
	if l.MaxUsers < 1 {
		v.add("limits.max_users", "max_users must be positive")
	}
	if l.Global.Burst < 0 {
		v.add("limits.global.burst", "burst must not be negative")
	}
}

func (v *validator) commands(f File) {
	if len(f.Commands) == 0 {
		v.add("commands", "no commands: viewers could do nothing")
	}
	// Names, aliases and regexes are checked by the matcher itself, so that
	// what check accepts is exactly what the engine can compile: duplicate
	// names, aliases that collide once normalized (ｌｅｆｔ and left), 左左
	// shadowing 左, regexes that do not compile.
	mcmds := make([]match.Command, len(f.Commands))
	for i, c := range f.Commands {
		p := fmt.Sprintf("commands[%d]", i)
		mcmds[i] = match.Command{Name: c.Name, Aliases: c.Aliases, Regex: c.Regex}
		if c.MaxRepeat < 0 || c.MaxRepeat > MaxRepeatCap {
			v.add(p+".max_repeat", "max_repeat %d outside 0–%d", c.MaxRepeat, MaxRepeatCap)
		}
		v.action(p+".do", c.Do, f, true)
	}
	if _, err := match.New(mcmds); err != nil {
		var ms match.Errors
		if !errors.As(err, &ms) {
			v.add("commands", "%v", err)
			return
		}
		for _, m := range ms {
			v.add(MatchErrorPath(m), "%s", m.Msg)
		}
	}
}

// MatchErrorPath is the field path in the file of a problem match.New
// found in the commands of a File, in the same order.
func MatchErrorPath(m *match.Error) string {
	p := fmt.Sprintf("commands[%d]", m.Command)
	switch {
	case m.Field == "aliases" && m.Alias >= 0:
		p += fmt.Sprintf(".aliases[%d]", m.Alias)
	case m.Field == "aliases":
		// "nothing can trigger it": about the command as a whole
	case m.Field != "":
		p += "." + m.Field
	}
	return p
}

func (v *validator) sequences(f File) {
	for name, steps := range f.Sequences {
		p := "sequences." + name
		if len(steps) == 0 || len(steps) > MaxSteps {
			v.add(p, "a sequence needs 1–%d steps", MaxSteps)
		}
		for i, s := range steps {
			sp := fmt.Sprintf("%s[%d]", p, i)
			if s.Action.verbs() == 0 && s.Wait == 0 {
				v.add(sp, "step does nothing: give an action or a wait")
				continue
			}
			if s.Action.verbs() > 0 {
				v.action(sp, s.Action, f, false)
			}
		}
	}
}

func (a Action) verbs() int {
	n := 0
	for _, set := range []bool{a.Move != "", a.Switch != "", a.Sequence != "", a.Home, a.Stop, a.Resume,
		a.Moderate != "", a.PolicyVote != ""} {
		if set {
			n++
		}
	}
	return n
}

func (v *validator) action(p string, a Action, f File, topLevel bool) {
	switch n := a.verbs(); {
	case n == 0:
		v.add(p, "no action: use move, switch, sequence, home, stop, resume, moderate or policy_vote")
		return
	case n > 1:
		v.add(p, "more than one action: give exactly one of move, switch, sequence, home, stop, resume, moderate, policy_vote")
		return
	}
	switch {
	case a.Move != "":
		v.move(p, a, f)
	case a.Switch != "":
		sw, ok := f.Hardware.Switches[a.Switch]
		switch {
		case !v.intact("hardware.switches." + a.Switch):
			// reported where the switch is written
		case !ok:
			v.add(p+".switch", "unknown switch %q", a.Switch)
		case a.On == nil:
			v.add(p+".on", "say on: true or on: false")
		case a.For.D() > sw.MaxOn.D():
			v.add(p+".for", "for %v exceeds the switch's max_on %v", a.For, sw.MaxOn)
		case *a.On && a.For.D() > 0 && a.For.D() < MinLit:
			v.add(p+".for", "for %v under %v: %q would never turn on (a switch turns on only when it may stay on %v, two and a half motion ticks)", a.For, Duration(MinLit), a.Switch, Duration(MinLit))
		}
	case a.Sequence != "":
		if !topLevel {
			v.add(p+".sequence", "sequences cannot run other sequences")
		} else if _, ok := f.Sequences[a.Sequence]; !ok && v.intact("sequences."+a.Sequence) {
			v.add(p+".sequence", "unknown sequence %q", a.Sequence)
		}
	case (a.Stop || a.Resume || a.Moderate != "" || a.PolicyVote != "") && !topLevel:
		v.add(p, "stop, resume, moderate and policy_vote are commands, not sequence steps")
	}
}

func (v *validator) move(p string, a Action, f File) {
	ax, ok := f.Hardware.Axes[a.Move]
	intact := v.intact("hardware.axes."+a.Move) && v.intact("safety.ceiling")
	switch {
	case !intact:
		// the axis is reported where it is written
	case !ok:
		v.add(p+".move", "unknown axis %q", a.Move)
	case (a.By == nil) == (a.To == nil):
		v.add(p, "move needs exactly one of by or to")
	case a.To != nil && (*a.To < ax.Min || *a.To > ax.Max):
		v.add(p+".to", "target %g° outside the axis limits [%g°, %g°]", *a.To, ax.Min, ax.Max)
	case a.To != nil && f.isCeilingAxis(a.Move) && *a.To > f.TiltMax():
		v.add(p+".to", "target %g° above the usable tilt max %g° (ceiling %g° − %g°)",
			*a.To, deg(f.TiltMax()), *f.Safety.Ceiling, CeilingMargin)
	case a.By != nil && *a.By == 0:
		v.add(p+".by", "moving by 0° does nothing")
	}
}
