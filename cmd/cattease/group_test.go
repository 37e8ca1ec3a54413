package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// TestGroupKeepsWhatWasJoinedToACancellation: a part that ends on
// shutdown with its cancellation and a failed halt joined fails the
// group; one that ends with only its cancellation, however wrapped, does
// not.
func TestGroupKeepsWhatWasJoinedToACancellation(t *testing.T) {
	halt := errors.New("pca9685: all off: i2c: remote I/O error")
	for _, c := range []struct {
		name string
		end  func(ctx context.Context) error
		want string // "" = no error
	}{
		{"cancelled", func(ctx context.Context) error { return ctx.Err() }, ""},
		{"wrapped", func(ctx context.Context) error { return fmt.Errorf("motion: %w", ctx.Err()) }, ""},
		{"joined cancellations", func(ctx context.Context) error { return errors.Join(ctx.Err(), fmt.Errorf("x: %w", ctx.Err())) }, ""},
		{"halt failed", func(ctx context.Context) error { return errors.Join(ctx.Err(), halt) }, halt.Error()},
		{"nested", func(ctx context.Context) error { return errors.Join(ctx.Err(), errors.Join(ctx.Err(), halt)) }, halt.Error()},
	} {
		ctx, cancel := context.WithCancel(context.Background())
		g := newGroup(ctx)
		g.Go("motion", false, func(ctx context.Context) error { <-ctx.Done(); return c.end(ctx) })
		cancel()
		err := g.Wait()
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: %v, want no error", c.name, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want) || errors.Is(err, context.Canceled)):
			t.Errorf("%s: %v, want %q alone", c.name, err, c.want)
		}
	}
}

// TestHaltFailureExitsNonZero: when the outputs cannot be put in their
// safe state at the end, run says so in its exit code as well as its log,
// so that systemd and a script see a failure.
func TestHaltFailureExitsNonZero(t *testing.T) {
	t.Setenv("STATE_DIRECTORY", t.TempDir())
	testHookRig = func(r *rig) {
		closeOutputs := r.close
		if closeOutputs == nil {
			closeOutputs = func() error { return nil }
		}
		r.close = func() error { return errors.Join(closeOutputs(), errors.New("i2c: remote I/O error")) }
	}
	defer func() { testHookRig = nil }()
	code, _, errs := runCLI(t, "甲: 激光\n", "run", "-c", "../../rules.yaml", "--dry-run", "-q", "--listen", "off", "--stdin")
	if code != 1 || !strings.Contains(errs, "halt failed") {
		t.Fatalf("code %d, want 1 with halt failed logged:\n%s", code, errs)
	}
}
