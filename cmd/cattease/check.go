package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/cattease/cattease/control"
	"github.com/cattease/cattease/control/config"
)

func newFlags(name string, s stdio) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet("cattease "+name, flag.ContinueOnError)
	fs.SetOutput(s.err)
	cfg := fs.String("c", "rules.yaml", "the rules file")
	return fs, cfg
}

// extraArgs reports, with the command's usage line, an argument its flags
// left over: `cattease check rules.yaml`, -c forgotten, printed nothing
// and exited 2, as if the file were wrong.
func extraArgs(fs *flag.FlagSet, name string, s stdio) bool {
	if fs.NArg() == 0 {
		return false
	}
	if a := fs.Arg(0); strings.HasPrefix(a, "-") {
		fmt.Fprintf(s.err, "cattease: unexpected argument %q\n", a)
	} else {
		fmt.Fprintf(s.err, "cattease: unexpected argument %q (did you mean -c %s?)\n", a, a)
	}
	for _, c := range commandList {
		if c.name == name {
			fmt.Fprintf(s.err, "usage: cattease %s\n", strings.TrimRight(c.name+" "+c.synopsis, " "))
		}
	}
	return true
}

// loadRules loads, validates and compiles a rules file, the file alone
// (replay, reload, jog: nothing here keeps a laser account on disk).
func loadRules(path string) (*config.File, *control.Rules, error) {
	return loadRulesFor(path, true)
}

// loadRulesFor is the one validation `check` and `run` share: the file,
// and unless dryRun, that a live run can keep the daily laser account in
// the state directory. A file check accepts, run starts with.
func loadRulesFor(path string, dryRun bool) (*config.File, *control.Rules, error) {
	f, err := config.LoadWith(path, config.LoadOptions{Ledger: !dryRun})
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
	dryRun := fs.Bool("dry-run", false, "check as for a dry run (run --dry-run): skip the state directory check")
	driver := fs.Bool("driver", false, "on success print only the servo driver the rules use (deploy/install.sh asks it)")
	sources := fs.Bool("sources", false, "on success print only the chat sources the rules name, one a line (deploy/install.sh asks it)")
	if fs.Parse(args) != nil || extraArgs(fs, "check", s) {
		return 2
	}
	f, _, err := loadRulesFor(*path, *dryRun)
	if err == nil {
		err = checkFiles(f)
	}
	if err != nil {
		printErrors(s, err)
		return 1
	}
	switch {
	case *driver:
		fmt.Fprintln(s.out, f.Hardware.Driver)
		return 0
	case *sources:
		for _, name := range ruleSources(f) {
			fmt.Fprintln(s.out, name)
		}
		return 0
	}
	fmt.Fprintf(s.out, "%s: ok (%d commands, %d axes, %d switches)\n",
		*path, len(f.Commands), len(f.Hardware.Axes), len(f.Hardware.Switches))
	for _, w := range f.Warnings() { // valid, but likely not as meant
		fmt.Fprintln(s.out, w.Error())
	}
	if len(ruleSources(f)) == 0 && !*dryRun {
		fmt.Fprintln(s.out, "note: the rules name no chat source: run them with --bilibili ROOM, --bilibili-code CODE, --douyu ROOM or --stdin; the service passes none, so set sources.bilibili.room, sources.bilibili_open.code or sources.douyu.room for it")
	}
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
	msg := err.Error()
	if !strings.HasPrefix(msg, "cattease:") {
		msg = "cattease: " + msg
	}
	fmt.Fprintln(s.err, msg)
}
