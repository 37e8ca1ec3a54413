package web

import (
	"io/fs"
	"regexp"
	"strings"
	"sync"

	"github.com/cattease/cattease/actuators"
)

// reasonLine is one entry of reasonTexts in common.js:
//
//	dwell: { zh: "静止太久", en: "dot still too long" },
var reasonLine = regexp.MustCompile(`^\s*([a-z_]+): \{ zh: "([^"]*)", en: "([^"]*)" \},\s*$`)

// reasonTable reads the reason texts the pages show from common.js, so
// the terminal says what the overlay says, from one table.
var reasonTable = sync.OnceValues(func() (map[string][2]string, []string) {
	out := map[string][2]string{}
	b, err := fs.ReadFile(assets, "common.js")
	if err != nil {
		return out, []string{"common.js: " + err.Error()}
	}
	src := string(b)
	start := strings.Index(src, "const reasonTexts = {")
	if start < 0 {
		return out, []string{"common.js: no reasonTexts block"}
	}
	block, _, ok := strings.Cut(src[start:], "\n  };")
	if !ok {
		return out, []string{"common.js: reasonTexts block not closed"}
	}
	var bad []string
	for _, line := range strings.Split(block, "\n")[1:] {
		m := reasonLine.FindStringSubmatch(line)
		if m == nil {
			bad = append(bad, line)
			continue
		}
		out[m[1]] = [2]string{m[2], m[3]}
	}
	return out, bad
})

// ReasonText is the text the overlay shows for r, in Chinese (zh) or
// English; the reason itself when the table lacks it.
func ReasonText(r actuators.Reason, zh bool) string {
	t, _ := reasonTable()
	texts, ok := t[string(r)]
	switch {
	case !ok:
		return string(r)
	case zh:
		return texts[0]
	}
	return texts[1]
}
