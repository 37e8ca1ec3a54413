package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
)

// command is one subcommand as the usage text lists it.
type command struct {
	name, synopsis, what string
}

// commandList is the order of the usage text.
var commandList = []command{
	{"run", "[-c rules.yaml] [--dry-run] [--stdin] [--bilibili ROOM] [--douyu ROOM] [--record FILE] [--trace FILE] [--listen ADDR]", "chat → rules → rig; the show"},
	{"check", "[-c rules.yaml] [--dry-run] [--driver | --sources]", "validate; exit 1 with file:line:col messages"},
	{"replay", "[-c rules.yaml] [--strict] [--verify] [--state] [--plot path.svg] FILE", "recorded events → JSON-lines trace, on a virtual clock"},
	{"verify", "[-c rules.yaml] TRACE...", "check a trace (run --trace, replay) against every safety invariant"},
	{"halt", "[-c rules.yaml]", "laser off, pulses stopped"},
	{"jog", "[-c rules.yaml] [--dry-run] AXIS ±DEG | AXIS --pulse US", "move one axis to find its limits, hold until Enter"},
	{"agent", "[-c rules.yaml] [--dry-run] [--mqtt URL] [--rig NAME] [--listen ADDR]", "the rig on the Pi, driven over MQTT by run --rig"},
	{"mqtt", "--unpublish [-c rules.yaml] [--mqtt URL] [--rig NAME]", "remove a rig from Home Assistant"},
	{"schema", "", "print the JSON Schema of rules.yaml, for editors (docs/rules.schema.json)"},
	{"version", "", "print the version (also --version)"},
}

// commands maps each name to its implementation. The commands parse their
// flags before doing anything else, which commandHelp relies on.
var commands = map[string]func(context.Context, []string, stdio) int{
	"run": cmdRun, "check": cmdCheck, "replay": cmdReplay, "verify": cmdVerify, "halt": cmdHalt, "jog": cmdJog,
	"agent": cmdAgent, "mqtt": cmdMQTT, "schema": cmdSchema,
	"version": func(_ context.Context, _ []string, s stdio) int { fmt.Fprintln(s.out, "cattease", version); return 0 },
}

func usage() string {
	var b strings.Builder
	b.WriteString("usage:\n")
	for _, c := range commandList {
		line := strings.TrimRight(fmt.Sprintf("  cattease %-7s %s", c.name, c.synopsis), " ")
		fmt.Fprintf(&b, "%s\n      %s\n", line, c.what)
	}
	b.WriteString(`Run "cattease help COMMAND" or "cattease COMMAND -h" for a command's flags.` + "\n")
	b.WriteString("Messages follow the locale (Chinese with LANG=zh_CN.UTF-8); choose with --lang zh|en or CATTEASE_LANG.\n")
	return b.String()
}

// wantsHelp reports whether -h, -help or --help comes before any "--".
func wantsHelp(args []string) bool {
	for _, a := range args {
		switch a {
		case "--":
			return false
		case "-h", "-help", "--help":
			return true
		}
	}
	return false
}

// commandHelp prints a command's synopsis and flags on stdout and returns
// 0, or 2 for an unknown command. The flags are the command's own: it is
// run with -h (its flag set prints its defaults and it stops before doing
// anything), with the output captured.
func commandHelp(ctx context.Context, name string, s stdio) int {
	f, ok := commands[name]
	if !ok {
		fmt.Fprintf(s.err, "cattease: help: unknown command %q\n", name)
		fmt.Fprint(s.err, usage())
		return 2
	}
	for _, c := range commandList {
		if c.name == name {
			fmt.Fprintln(s.out, strings.TrimRight("usage: cattease "+c.name+" "+c.synopsis, " "))
			fmt.Fprintf(s.out, "%s\n", c.what)
		}
	}
	if name == "version" {
		return 0
	}
	var buf bytes.Buffer
	f(ctx, []string{"-h"}, stdio{in: strings.NewReader(""), out: &buf, err: &buf})
	fmt.Fprint(s.out, "\nflags:\n")
	copyFlagLines(s.out, &buf)
	return 0
}

// copyFlagLines copies a flag set's defaults, leaving out the headers the
// command printed itself ("Usage of …", "usage: …", "flags:").
func copyFlagLines(w io.Writer, r io.Reader) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "Usage of ") || strings.HasPrefix(line, "usage: ") || line == "flags:" || line == "" {
			continue
		}
		fmt.Fprintln(w, line)
	}
}
