package web

import (
	"maps"
	"net/http"
	"slices"
	"unicode/utf8"

	"github.com/cattease/cattease/control"
	"github.com/cattease/cattease/control/match"
)

// Label is what the overlay, the panel and the terminal call a command
// instead of its rule name: rules.yaml's `label: {zh: 逗猫棒, en: Wand}`.
// Either may be empty; the pages then fall back to their own table of the
// shipped commands, then to the rule name.
type Label struct {
	Zh string `json:"zh,omitempty"`
	En string `json:"en,omitempty"`
}

// Bounds on what Server.Labels may put in every frame: the labels come from
// the config, but a frame goes to every overlay ten times a second.
const (
	maxLabels   = 128 // commands with a label
	maxLabelLen = 96  // bytes per name or label (24 characters), cut at a rune boundary
)

// command is one entry of GET /api/commands.
type command struct {
	Name  string `json:"name"`
	Label *Label `json:"label,omitempty"`
}

// commandList is the reply of GET /api/commands: the commands the panel's
// pattern buttons run, and the play policies its select offers.
type commandList struct {
	Commands []command `json:"commands"`
	Policies []string  `json:"policies"`
}

// labels returns the bounded labels of the current rules, or nil.
func (s *Server) labels() map[string]Label {
	if s.Labels == nil {
		return nil
	}
	in := s.Labels()
	if len(in) == 0 {
		return nil
	}
	out := make(map[string]Label, min(len(in), maxLabels))
	for _, name := range slices.Sorted(maps.Keys(in)) { // the same labels in every frame
		if len(out) == maxLabels {
			break
		}
		l := in[name]
		l = Label{Zh: clipLabel(l.Zh), En: clipLabel(l.En)}
		if name == "" || len(name) > maxLabelLen || l == (Label{}) {
			continue
		}
		out[name] = l
	}
	return out
}

// clipLabel cuts s to maxLabelLen bytes at a rune boundary and drops what
// is not valid UTF-8.
func clipLabel(s string) string {
	if !utf8.ValidString(s) {
		return ""
	}
	return match.Cut(s, maxLabelLen)
}

func (s *Server) handleCommands(w http.ResponseWriter, _ *http.Request) {
	list := commandList{Commands: []command{}, Policies: control.Policies()}
	if s.Engine != nil {
		labels := s.labels()
		for _, name := range s.Engine.Commands() {
			c := command{Name: name}
			if l, ok := labels[name]; ok {
				c.Label = &l
			}
			list.Commands = append(list.Commands, c)
		}
	}
	writeJSON(w, http.StatusOK, list)
}
