package main

import (
	"context"
	"fmt"
)

func cmdJog(_ context.Context, args []string, s stdio) int {
	fmt.Fprintln(s.err, "cattease: jog needs the hardware drivers, which this build does not have yet")
	return 1
}
