package config

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// MaxLabelLen caps a label, in characters (runes): it is shown on the
// overlay, the panel and the terminal, beside the command's name.
const MaxLabelLen = 24

// Label is what the overlay, panel and terminal show for a command. In
// YAML it is one word for both languages or a mapping:
//
//	label: 逗猫棒
//	label: {zh: 逗猫棒, en: Wand}
type Label struct {
	Zh string `json:"zh,omitempty"`
	En string `json:"en,omitempty"`
}

// For returns the label in lang ("zh" or "en"; "zh-CN", "en-US" count as
// their language), falling back to the other language, then to "".
func (l Label) For(lang string) string {
	first, second := l.Zh, l.En
	if strings.HasPrefix(strings.ToLower(lang), "en") {
		first, second = l.En, l.Zh
	}
	if first != "" {
		return first
	}
	return second
}

// IsZero reports whether no label was given.
func (l Label) IsZero() bool { return l == Label{} }

// Labels maps each command's name to its label, for the commands that
// have one.
func (f *File) Labels() map[string]Label {
	m := map[string]Label{}
	for _, c := range f.Commands {
		if !c.Label.IsZero() {
			m[c.Name] = c.Label
		}
	}
	return m
}

// UnmarshalYAML implements yaml.Unmarshaler.
func (l *Label) UnmarshalYAML(n *yaml.Node) error {
	switch n.Kind {
	case yaml.ScalarNode:
		s, err := labelText(n)
		*l = Label{Zh: s, En: s}
		return err
	case yaml.MappingNode:
		return l.fromMapping(n)
	}
	return unitError(n, "label: must be a word or a mapping such as {zh: 逗猫棒, en: Wand}")
}

func (l *Label) fromMapping(n *yaml.Node) error {
	var v Label
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		dst := map[string]*string{"zh": &v.Zh, "en": &v.En}[k.Value]
		if dst == nil {
			return unitError(k, "label: unknown key %q: use zh or en", k.Value)
		}
		if val.Kind != yaml.ScalarNode {
			return unitError(val, "label: %s must be a single word", k.Value)
		}
		s, err := labelText(val)
		if err != nil {
			return err
		}
		*dst = s
	}
	if v.IsZero() {
		return unitError(n, "label: give zh or en, e.g. {zh: 逗猫棒, en: Wand}")
	}
	*l = v
	return nil
}

// labelText checks one label: at most MaxLabelLen characters, no control
// or invisible formatting characters.
func labelText(n *yaml.Node) (string, error) {
	s := strings.TrimSpace(n.Value)
	if !utf8.ValidString(s) {
		return "", unitError(n, "label: not valid UTF-8")
	}
	if c := utf8.RuneCountInString(s); c > MaxLabelLen {
		return "", unitError(n, "label: %d characters, at most %d", c, MaxLabelLen)
	}
	for _, r := range s {
		if unicode.IsControl(r) || (unicode.Is(unicode.Cf, r) && r != '\u200d') { // ZWJ joins emoji
			return "", unitError(n, "label: control character %U not allowed", r)
		}
	}
	return s, nil
}
