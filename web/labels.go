package web

import (
	"hash/fnv"
	"io"
	"maps"
	"net/http"
	"slices"
	"strconv"
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
	// Tag is commandsTag of the commands: every frame carries the tag of
	// the rules in force, and a panel whose buttons have another asks
	// for them again.
	Tag string `json:"tag"`
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
		names := s.Engine.Commands()
		for _, name := range names {
			c := command{Name: name}
			if l, ok := labels[name]; ok {
				c.Label = &l
			}
			list.Commands = append(list.Commands, c)
		}
		list.Tag = commandsTag(names, labels)
	}
	writeJSON(w, http.StatusOK, list)
}

// commandsTag is a fingerprint of what GET /api/commands lists: the
// commands the panel has buttons for, in order, and their labels. A
// reload the panel did not make (rules.yaml saved, which is reloaded
// within seconds, or SIGHUP) changes the engine's commands without
// telling the panel; the tag in every frame does, and the panel fetches
// its buttons again when it differs from theirs. A fingerprint rather
// than a count of reloads: it needs nothing of the engine, and a reload
// that leaves the buttons as they were costs the panel nothing.
func commandsTag(names []string, labels map[string]Label) string {
	h := fnv.New64a()
	for _, name := range names {
		io.WriteString(h, name)
		h.Write([]byte{0})
		if l, ok := labels[name]; ok {
			io.WriteString(h, l.Zh)
			h.Write([]byte{0})
			io.WriteString(h, l.En)
		}
		h.Write([]byte{1})
	}
	return strconv.FormatUint(h.Sum64(), 36)
}
