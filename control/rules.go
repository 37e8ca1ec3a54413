package control

import (
	"errors"
	"fmt"
	"time"

	"github.com/cattease/cattease/control/config"
	"github.com/cattease/cattease/control/limit"
	"github.com/cattease/cattease/control/match"
	"github.com/cattease/cattease/danmu"
)

// Rules is a compiled rules.yaml: immutable, swapped whole on reload.
type Rules struct {
	file     *config.File
	matcher  *match.Matcher
	commands []command
	limits   limit.Config
	limitCmd []limit.CommandLimit
	policy   string
	queueCap int
	pace     time.Duration
	room     roomRules
}

type verb int

const (
	verbMove verb = iota
	verbMoveBy
	verbSwitch
	verbHome
	verbStop
	verbResume
	verbWait
)

// step is one resolved action.
type step struct {
	verb   verb
	target string
	value  float64 // degrees
	on     bool
	dur    time.Duration // switch on-time
	wait   time.Duration // pause after the action
}

type command struct {
	name      string
	allow     config.Allow
	steps     []step // one step, or a sequence's steps
	repeatBy  bool   // a relative move: repeats multiply the distance
	immediate bool   // stop and resume skip limits and the queue
	moderate  string // a moderation verb (config.ModerateVerbs)
	vote      string // a policy-meter vote: "vote" or "free"
	maxRepeat int    // the most one message may repeat it, combos included
}

// playable reports whether the command queues hardware steps (and so may
// be part of a combo or a vote).
func (c *command) playable() bool { return !c.immediate && c.moderate == "" && c.vote == "" }

// Compile checks a loaded config against what the engine needs and builds
// the matcher and limits. The file is not modified.
func Compile(f *config.File) (*Rules, error) {
	r := &Rules{file: f, policy: f.Play.Policy, queueCap: f.Play.QueueSize, pace: f.Play.Pace.D()}
	if r.policy == "latest" {
		r.queueCap = 1
	}
	room, err := compileRoom(f)
	if err != nil {
		return nil, fmt.Errorf("control: %w", err)
	}
	r.room = room
	var mcmds []match.Command
	for _, c := range f.Commands {
		steps, err := resolve(f, c.Do)
		if err != nil {
			return nil, fmt.Errorf("control: command %q: %w", c.Name, err)
		}
		cmd := command{name: c.Name, allow: c.Allow, steps: steps}
		cmd.repeatBy = c.Do.By != nil || c.Do.Sequence != ""
		cmd.immediate = c.Do.Stop || c.Do.Resume
		cmd.moderate, cmd.vote = c.Do.Moderate, c.Do.PolicyVote
		maxRep := c.MaxRepeat
		if maxRep == 0 {
			maxRep = f.Limits.MaxRepeat
		}
		if !cmd.repeatBy {
			maxRep = 1 // repeating "go home" or "laser on" means nothing more
		}
		cmd.maxRepeat = maxRep
		if maxRep == 0 {
			cmd.maxRepeat = match.DefaultMaxRepeat
		}
		r.commands = append(r.commands, cmd)
		mcmds = append(mcmds, match.Command{Name: c.Name, Aliases: c.Aliases, Regex: c.Regex, MaxRepeat: maxRep})
		r.limitCmd = append(r.limitCmd, limit.CommandLimit{Name: c.Name, Cooldown: c.Cooldown.D()})
	}
	m, err := match.New(mcmds)
	if err != nil {
		return nil, fmt.Errorf("control: commands: %w", err)
	}
	r.matcher = m
	r.limits = limitConfig(f.Limits)
	if _, err := limit.New(r.limits, r.limitCmd); err != nil {
		return nil, fmt.Errorf("control: limits: %w", err)
	}
	return r, nil
}

func limitConfig(l config.Limits) limit.Config {
	c := limit.Config{Global: limit.Rate{Every: l.Global.Every.D(), Burst: l.Global.Burst},
		UserCooldown: l.UserCooldown.D(), MaxUsers: l.MaxUsers}
	for _, b := range l.Bypass {
		c.Bypass = append(c.Bypass, danmu.Role(b))
	}
	return c
}

// resolve turns an action (and, for a sequence, its steps) into steps.
func resolve(f *config.File, a config.Action) ([]step, error) {
	if a.Moderate != "" || a.PolicyVote != "" {
		return nil, nil // no steps: the engine carries it out
	}
	if a.Sequence == "" {
		s, err := resolveOne(a)
		return []step{s}, err
	}
	seq, ok := f.Sequences[a.Sequence]
	if !ok || len(seq) == 0 {
		return nil, fmt.Errorf("unknown or empty sequence %q", a.Sequence)
	}
	out := make([]step, 0, len(seq))
	for _, s := range seq {
		st := step{verb: verbWait}
		if s.Action != (config.Action{}) {
			var err error
			if st, err = resolveOne(s.Action); err != nil {
				return nil, err
			}
		}
		st.wait = s.Wait.D()
		out = append(out, st)
	}
	return out, nil
}

func resolveOne(a config.Action) (step, error) {
	switch {
	case a.Move != "" && a.By != nil:
		return step{verb: verbMoveBy, target: a.Move, value: float64(*a.By)}, nil
	case a.Move != "" && a.To != nil:
		return step{verb: verbMove, target: a.Move, value: float64(*a.To)}, nil
	case a.Switch != "" && a.On != nil:
		return step{verb: verbSwitch, target: a.Switch, on: *a.On, dur: a.For.D()}, nil
	case a.Home:
		return step{verb: verbHome}, nil
	case a.Stop:
		return step{verb: verbStop}, nil
	case a.Resume:
		return step{verb: verbResume}, nil
	}
	return step{}, errors.New("action has no verb")
}

// File returns the config the rules were compiled from.
func (r *Rules) File() *config.File { return r.file }
