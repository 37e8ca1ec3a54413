package console

import (
	"errors"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/cattease/cattease/danmu"
)

// The console is connected while its input is read, and ended when the
// input ends: cleanly at its end, with the error's class on a failed read.
func TestConnState(t *testing.T) {
	c := &danmu.Counters{}
	var during danmu.Conn
	src := &Source{In: strings.NewReader("左3\n"), Counters: c}
	err := src.Stream(t.Context(), func([]danmu.Event) error { during = c.Conn(); return nil })
	if err != nil {
		t.Fatal(err)
	}
	if during.State != danmu.ConnConnected || during.Room != "console" {
		t.Errorf("while reading: %+v", during)
	}
	if got := c.Conn(); got.State != danmu.ConnEnded || got.Err != "" {
		t.Errorf("at the end of the input: %+v", got)
	}

	c = &danmu.Counters{}
	src = &Source{In: iotest.ErrReader(errors.New("read /dev/tty: input/output error")), Counters: c, Room: "tty"}
	if err := src.Stream(t.Context(), func([]danmu.Event) error { return nil }); err == nil {
		t.Fatal("a failed read ended nothing")
	}
	if got := c.Conn(); got.State != danmu.ConnEnded || got.Err != danmu.ErrClassOther || got.Room != "tty" {
		t.Errorf("after a failed read: %+v", got)
	}
}
