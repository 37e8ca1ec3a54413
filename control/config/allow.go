package config

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/cattease/cattease/danmu"
	"golang.org/x/text/width"
	"gopkg.in/yaml.v3"
)

// Allow says who may use a command. In YAML it is a word or a mapping:
//
//	allow: everyone            # the default; also 所有人
//	allow: moderator           # moderators and the owner; also 房管
//	allow: owner               # the streamer only; also 主播
//	allow: 舰长                # guard tier ≥ 1 (Bilibili 舰长 or better); 提督 = 2, 总督 = 3
//	allow: 粉丝牌5             # this room's fan medal at level ≥ 5; also 勋章5
//	allow: {guard: 1}          # the same as 舰长; {guard: 舰长} also works
//	allow: {medal: 10}         # this room's fan medal at level ≥ 10
//	allow: {guard: 1, medal: 10}   # either one is enough
//
// Moderators and the owner pass every guard and medal requirement.
type Allow struct {
	Role  danmu.Role // minimum role; "" = viewer
	Guard int        // minimum guard tier; 0 = no requirement
	Medal int        // minimum medal level; 0 = no requirement
}

// The words allow: and limits.bypass accept, in English and Chinese.
var (
	roleWords = map[string]danmu.Role{
		"everyone": danmu.RoleViewer, "viewer": danmu.RoleViewer, "所有人": danmu.RoleViewer, "观众": danmu.RoleViewer,
		"moderator": danmu.RoleModerator, "房管": danmu.RoleModerator,
		"owner": danmu.RoleOwner, "主播": danmu.RoleOwner,
	}
	// guardWords are Bilibili's 大航海 tiers.
	guardWords    = map[string]int{"舰长": 1, "提督": 2, "总督": 3}
	medalPrefixes = []string{"粉丝牌", "勋章"}
)

// MaxGuard is the highest guard tier (总督).
const MaxGuard = 3

// parseRole reads a role word: everyone/viewer/所有人/观众, moderator/房管,
// owner/主播.
func parseRole(s string) (danmu.Role, bool) {
	r, ok := roleWords[strings.TrimSpace(width.Fold.String(s))]
	return r, ok
}

// canonicalRoles returns roles with every known word replaced by its
// English name (房管 → moderator); unknown words are kept for validation
// to report.
func canonicalRoles(roles []string) []string {
	if roles == nil {
		return nil
	}
	out := make([]string, len(roles))
	for i, s := range roles {
		out[i] = s
		if r, ok := parseRole(s); ok {
			out[i] = string(r)
		}
	}
	return out
}

const allowHelp = "use everyone, moderator (房管), owner (主播), 舰长, 提督, 总督, 粉丝牌5, or a mapping such as {guard: 1} or {medal: 10}"

// UnmarshalYAML implements yaml.Unmarshaler.
func (a *Allow) UnmarshalYAML(n *yaml.Node) error {
	switch n.Kind {
	case yaml.ScalarNode:
		v, ok := parseAllowWord(n.Value)
		if !ok {
			return unitError(n, "allow: unknown %q: %s", n.Value, allowHelp)
		}
		*a = v
		return nil
	case yaml.MappingNode:
		return a.fromMapping(n)
	}
	return unitError(n, "allow: must be a word or a mapping: %s", allowHelp)
}

// parseAllowWord reads the scalar forms of allow:.
func parseAllowWord(s string) (Allow, bool) {
	s = strings.TrimSpace(width.Fold.String(s))
	if s == "" {
		return Allow{Role: danmu.RoleViewer}, true
	}
	if r, ok := roleWords[s]; ok {
		return Allow{Role: r}, true
	}
	if g, ok := guardWords[s]; ok {
		return Allow{Role: danmu.RoleViewer, Guard: g}, true
	}
	for _, p := range medalPrefixes {
		if rest, ok := strings.CutPrefix(s, p); ok {
			m, err := strconv.Atoi(strings.TrimSpace(rest))
			if err != nil || m < 1 {
				return Allow{}, false
			}
			return Allow{Role: danmu.RoleViewer, Medal: m}, true
		}
	}
	return Allow{}, false
}

func (a *Allow) fromMapping(n *yaml.Node) error {
	v := Allow{Role: danmu.RoleViewer}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		var err error
		switch k.Value {
		case "guard":
			v.Guard, err = guardLevel(val)
		case "medal":
			v.Medal, err = level(val, "medal", 1<<20)
		default:
			return unitError(k, "allow: unknown key %q: use guard or medal", k.Value)
		}
		if err != nil {
			return err
		}
	}
	if v.Guard == 0 && v.Medal == 0 {
		return unitError(n, "allow: give guard or medal, e.g. {guard: 舰长} or {medal: 10}")
	}
	*a = v
	return nil
}

func guardLevel(n *yaml.Node) (int, error) {
	if n.Kind == yaml.ScalarNode {
		if g, ok := guardWords[strings.TrimSpace(width.Fold.String(n.Value))]; ok {
			return g, nil
		}
	}
	return level(n, "guard", MaxGuard)
}

// level reads a positive whole number at most max.
func level(n *yaml.Node, what string, max int) (int, error) {
	v, err := strconv.ParseInt(strings.TrimSpace(n.Value), 10, 32)
	if n.Kind != yaml.ScalarNode || err != nil || v < 1 || v > int64(max) {
		if what == "guard" {
			return 0, unitError(n, "allow: guard must be 1–3 or 舰长, 提督, 总督, found %q", n.Value)
		}
		return 0, unitError(n, "allow: %s must be a level from 1 to %d, found %q", what, max, n.Value)
	}
	return int(v), nil
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
