package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/cattease/cattease/control"
	"github.com/cattease/cattease/control/config"
)

func newFlags(name string, s stdio) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet("cattease "+name, flag.ContinueOnError)
	fs.SetOutput(s.err)
	cfg := fs.String("c", "rules.yaml", "the rules file")
	return fs, cfg
}

// loadRules loads, validates and compiles a rules file.
func loadRules(path string) (*config.File, *control.Rules, error) {
	f, err := config.Load(path)
	if err != nil {
		return nil, nil, err
	}
	r, err := control.Compile(f)
	if err != nil {
		return nil, nil, compileErrors(f, err)
	}
	return f, r, nil
}

func cmdCheck(_ context.Context, args []string, s stdio) int {
	fs, path := newFlags("check", s)
	if fs.Parse(args) != nil || fs.NArg() > 0 {
		return 2
	}
	f, _, err := loadRules(*path)
	if err != nil {
		printErrors(s, err)
		return 1
	}
	fmt.Fprintf(s.out, "%s: ok (%d commands, %d axes, %d switches)\n",
		*path, len(f.Commands), len(f.Hardware.Axes), len(f.Hardware.Switches))
	return 0
}

// printErrors prints a config error one problem per line.
func printErrors(s stdio, err error) {
	var es config.Errors
	if errors.As(err, &es) {
		for _, e := range es {
			fmt.Fprintln(s.err, e.Error())
		}
		fmt.Fprintf(s.err, "%d problem(s)\n", len(es))
		return
	}
	fmt.Fprintln(s.err, "cattease:", err)
}
