package limit

import "time"

// Reconfigure applies a new configuration at now, as on a rules.yaml reload.
// A bad configuration is rejected whole and the Limiter keeps the old one.
// State carries over:
//
//   - the global bucket keeps its saved tokens (capped at the new burst);
//     turning pacing on starts from a full bucket;
//   - a command keeps its last-use time if a command of the same name
//     exists in the new list, and the new cooldown applies to it at once;
//     commands are matched by name, so indexes may change freely;
//   - users keep their last-accept time and the new UserCooldown applies;
//     setting UserCooldown to 0 forgets every user; shrinking MaxUsers
//     forgets the least recently accepted users beyond the new size, even
//     if they are still cooling down.
//
// After Reconfigure returns, Allow's command index refers to the new list.
func (l *Limiter) Reconfigure(now time.Time, cfg Config, commands []CommandLimit) error {
	if err := validate(cfg, commands); err != nil {
		return err
	}
	cfg = cfg.withDefaults()
	l.mu.Lock()
	defer l.mu.Unlock()
	l.global = l.global.reconfigure(now, cfg.Global)
	l.cmds = carryCommands(l.cmds, commands)
	switch {
	case cfg.UserCooldown == 0:
		l.users = newUserTable(cfg.MaxUsers)
	default:
		l.users = l.users.resized(cfg.MaxUsers)
	}
	l.bypass = newBypassSet(cfg.Bypass)
	l.cfg = cfg
	return nil
}

// carryCommands builds the command list for commands, keeping the last-use
// time of each command whose name appears in old.
func carryCommands(old []command, commands []CommandLimit) []command {
	byName := make(map[string]*command, len(old))
	for i := range old {
		byName[old[i].Name] = &old[i]
	}
	cmds := make([]command, len(commands))
	for i, c := range commands {
		if o := byName[c.Name]; o != nil {
			cmds[i] = *o
		}
		cmds[i].CommandLimit = c
	}
	return cmds
}
