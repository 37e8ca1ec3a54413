package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/cattease/cattease/control/config"
)

// cmdSchema prints the JSON Schema of rules.yaml, the one shipped as
// docs/rules.schema.json, for an editor that checks the rules as they are
// typed (the first line of rules.yaml names it for yaml-language-server).
func cmdSchema(_ context.Context, args []string, s stdio) int {
	fs := flag.NewFlagSet("cattease schema", flag.ContinueOnError)
	fs.SetOutput(s.err)
	if fs.Parse(args) != nil || fs.NArg() > 0 {
		return 2
	}
	b, err := config.JSONSchema()
	if err != nil {
		fmt.Fprintln(s.err, "cattease:", err)
		return 1
	}
	if _, err := s.out.Write(b); err != nil {
		fmt.Fprintln(s.err, "cattease: schema:", err)
		return 1
	}
	return 0
}
