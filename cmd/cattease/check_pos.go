package main

import (
	"errors"
	"fmt"

	"github.com/cattease/cattease/control/config"
	"github.com/cattease/cattease/control/match"
)

// compileErrors positions matcher errors (duplicate aliases, bad regexes)
// at the command they name in the file.
func compileErrors(f *config.File, err error) error {
	var ms match.Errors
	if !errors.As(err, &ms) {
		return config.Errors{f.At("commands", err.Error())}
	}
	var out config.Errors
	for _, m := range ms {
		path := fmt.Sprintf("commands[%d]", m.Command)
		if m.Field != "" {
			path += "." + m.Field
		}
		if m.Alias >= 0 && m.Field == "aliases" {
			path += fmt.Sprintf("[%d]", m.Alias)
		}
		out = append(out, f.At(path, m.Msg))
	}
	return out
}
