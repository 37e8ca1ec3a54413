package config

import (
	"fmt"
	"strings"

	"github.com/cattease/cattease/danmu"
	"gopkg.in/yaml.v3"
)

// Allow says who may use a command. In YAML it is a word or a mapping:
//
//	allow: everyone            # the default
//	allow: moderator           # moderators and the owner
//	allow: owner               # the streamer only
//	allow: {guard: 1}          # guard tier ≥ 1 (Bilibili 舰长 or better)
//	allow: {medal: 10}         # this room's fan medal at level ≥ 10
//	allow: {guard: 1, medal: 10}   # either one is enough
//
// Moderators and the owner pass every guard and medal requirement.
type Allow struct {
	Role  danmu.Role // minimum role; "" = viewer
	Guard int        // minimum guard tier; 0 = no requirement
	Medal int        // minimum medal level; 0 = no requirement
}

type allowMap struct {
	Guard int `yaml:"guard"`
	Medal int `yaml:"medal"`
}

// UnmarshalYAML implements yaml.Unmarshaler.
func (a *Allow) UnmarshalYAML(n *yaml.Node) error {
	switch n.Kind {
	case yaml.ScalarNode:
		switch strings.TrimSpace(n.Value) {
		case "everyone", "viewer", "":
			*a = Allow{Role: danmu.RoleViewer}
		case "moderator":
			*a = Allow{Role: danmu.RoleModerator}
		case "owner":
			*a = Allow{Role: danmu.RoleOwner}
		default:
			return unitError(n, "allow: unknown %q: use everyone, moderator, owner, or a mapping such as {guard: 1} or {medal: 10}", n.Value)
		}
		return nil
	case yaml.MappingNode:
		for i := 0; i < len(n.Content); i += 2 {
			if k := n.Content[i].Value; k != "guard" && k != "medal" {
				return unitError(n.Content[i], "allow: unknown key %q: use guard or medal", k)
			}
		}
		var m allowMap
		if err := n.Decode(&m); err != nil {
			return unitError(n, "allow: %v", err)
		}
		if m.Guard < 0 || m.Medal < 0 || (m.Guard == 0 && m.Medal == 0) {
			return unitError(n, "allow: guard and medal must be positive levels")
		}
		*a = Allow{Role: danmu.RoleViewer, Guard: m.Guard, Medal: m.Medal}
		return nil
	}
	return unitError(n, "allow: must be everyone, moderator, owner or a mapping")
}

// Permits reports whether u may use the command.
func (a Allow) Permits(u danmu.User) bool {
	r := u.Role.Rank()
	if u.Role == "" {
		r = 0 // sources that know no roles send viewers
	}
	if r >= danmu.RoleModerator.Rank() && r >= a.Role.Rank() {
		return true
	}
	if r < a.Role.Rank() {
		return false
	}
	if a.Guard == 0 && a.Medal == 0 {
		return true
	}
	return (a.Guard > 0 && u.Guard >= a.Guard) || (a.Medal > 0 && u.Medal >= a.Medal)
}

// String describes the requirement for refusal messages.
func (a Allow) String() string {
	var parts []string
	if a.Guard > 0 {
		parts = append(parts, fmt.Sprintf("guard≥%d", a.Guard))
	}
	if a.Medal > 0 {
		parts = append(parts, fmt.Sprintf("medal≥%d", a.Medal))
	}
	switch {
	case len(parts) > 0:
		return strings.Join(parts, " or ")
	case a.Role == "":
		return "everyone"
	}
	return string(a.Role)
}
