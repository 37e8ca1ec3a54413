package console

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/cattease/cattease/danmu"
)

// brokenReader panics on Read: a bug under the terminal's input.
type brokenReader struct{}

func (brokenReader) Read([]byte) (int, error) { panic("read broke") }

// Lines are read on a goroutine of the source's own: a panic there comes
// back as a panic of Stream, on the caller's goroutine, where cattease's
// guard halts the rig.
func TestReadPanicReachesTheCaller(t *testing.T) {
	s := &Source{In: brokenReader{}}
	got := make(chan any, 1)
	go func() {
		defer func() { got <- recover() }()
		err := s.Stream(context.Background(), func([]danmu.Event) error { return nil })
		got <- fmt.Sprintf("Stream returned %v without a panic", err)
	}()
	p := <-got
	if p == nil || !strings.Contains(fmt.Sprint(p), "console: panic reading: read broke") {
		t.Fatalf("recovered %v, want the reader's panic", p)
	}
}
