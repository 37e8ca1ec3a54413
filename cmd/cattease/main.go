// Command cattease lets live-stream viewers play with a cat: chat commands
// such as 左 and 激光 from Bilibili or Douyu move a laser dot or a feather
// wand on a Raspberry Pi, within safety limits no chat can break.
//
//	cattease run      [-c rules.yaml] [--dry-run] [--stdin] [--bilibili ROOM] [--douyu ROOM] [--record FILE] [--listen ADDR]
//	cattease check    [-c rules.yaml]
//	cattease replay   [-c rules.yaml] FILE
//	cattease halt     [-c rules.yaml]
//	cattease jog      [-c rules.yaml] AXIS ±DEG | AXIS --pulse US
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
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(cli(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// io bundles the standard streams so tests can run the CLI in-process.
type stdio struct {
	in       io.Reader
	out, err io.Writer
}

const usage = `usage:
  cattease run      [-c rules.yaml] [--dry-run] [--stdin] [--bilibili ROOM] [--douyu ROOM] [--record FILE] [--listen ADDR]
  cattease check    [-c rules.yaml]          validate; exit 1 with file:line:col messages
  cattease replay   [-c rules.yaml] FILE     recorded events → JSON-lines trace, on a virtual clock
  cattease halt     [-c rules.yaml]          laser off, pulses stopped
  cattease jog      [-c rules.yaml] AXIS ±DEG | AXIS --pulse US
  cattease version
Run "cattease COMMAND -h" for a command's flags.
`

// cli runs one command and returns the exit code: 0 ok, 1 failure, 2 usage.
func cli(ctx context.Context, args []string, in io.Reader, out, errw io.Writer) int {
	s := stdio{in: in, out: out, err: errw}
	if len(args) == 0 {
		fmt.Fprint(errw, usage)
		return 2
	}
	cmds := map[string]func(context.Context, []string, stdio) int{
		"run": cmdRun, "check": cmdCheck, "replay": cmdReplay, "halt": cmdHalt, "jog": cmdJog,
		"version": func(context.Context, []string, stdio) int { fmt.Fprintln(out, "cattease", version); return 0 },
	}
	f, ok := cmds[args[0]]
	if !ok {
		if args[0] != "-h" && args[0] != "--help" && args[0] != "help" {
			fmt.Fprintf(errw, "cattease: unknown command %q\n", args[0])
		}
		fmt.Fprint(errw, usage)
		return 2
	}
	return f(ctx, args[1:], s)
}
