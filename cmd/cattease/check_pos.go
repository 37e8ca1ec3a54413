package main

import (
	"errors"

	"github.com/cattease/cattease/control/config"
	"github.com/cattease/cattease/control/match"
)

// compileErrors positions matcher errors (duplicate aliases, bad regexes)
// at the command they name in the file. config validation runs the same
// matcher checks, so this is a backstop for what Compile adds later.
func compileErrors(f *config.File, err error) error {
	var ms match.Errors
	if !errors.As(err, &ms) {
		return config.Errors{f.At("commands", err.Error())}
	}
	var out config.Errors
	for _, m := range ms {
		out = append(out, f.At(config.MatchErrorPath(m), m.Msg))
	}
	return out
}
