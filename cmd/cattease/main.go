// Command cattease lets live-stream viewers play with a cat: chat commands
// such as 左 and 激光 from Bilibili or Douyu move a laser dot or a feather
// wand on a Raspberry Pi, within safety limits no chat can break.
//
//	cattease run      [-c rules.yaml] [--dry-run] [--stdin] [--bilibili ROOM] [--douyu ROOM] [--record FILE] [--listen ADDR]
//	cattease check    [-c rules.yaml]
//	cattease replay   [-c rules.yaml] FILE
//	cattease halt     [-c rules.yaml]
//	cattease jog      [-c rules.yaml] [--dry-run] AXIS ±DEG | AXIS --pulse US
//	cattease schema
//	cattease help     [COMMAND]
//	cattease version
//
// This package only wires things together; the logic lives in danmu,
// control and actuators.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // quiet hours in the streamer's time zone, even on a minimal Pi image

	"github.com/cattease/cattease/cmd/cattease/internal/i18n"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

// lang is the language of messages when no --lang is given: the locale's,
// set by main. Tests that call cli get English whatever the machine's.
var lang = i18n.English

func main() {
	catchSignals() // signals.go: before anything is opened
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	lang = i18n.FromEnv(os.Getenv)
	os.Exit(cli(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// io bundles the standard streams so tests can run the CLI in-process.
type stdio struct {
	in       io.Reader
	out, err io.Writer
}

// cli runs one command and returns the exit code: 0 ok, 1 failure, 2 usage.
// Help and version are answered here for every command (help.go): asked
// for, usage goes to stdout with exit 0; a mistake gets it on stderr, 2.
func cli(ctx context.Context, args []string, in io.Reader, out, errw io.Writer) int {
	l, args, lerr := i18n.TakeFlag(args, lang) // --lang zh|en, anywhere before "--"
	out, errw = i18n.Wrap(out, l), i18n.Wrap(errw, l)
	if lerr != nil {
		fmt.Fprintln(errw, "cattease:", lerr)
		return 2
	}
	s := stdio{in: in, out: out, err: errw}
	if len(args) == 0 {
		fmt.Fprint(errw, usage())
		return 2
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		if args[0] == "help" && len(args) > 1 {
			return commandHelp(ctx, args[1], s)
		}
		fmt.Fprint(out, usage())
		return 0
	case "-version", "--version":
		args = []string{"version"}
	}
	f, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(errw, "cattease: unknown command %q\n", args[0])
		fmt.Fprint(errw, usage())
		return 2
	}
	if wantsHelp(args[1:]) {
		return commandHelp(ctx, args[0], s)
	}
	return f(ctx, args[1:], s)
}
