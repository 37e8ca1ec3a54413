package actuatortest_test

import (
	"context"
	"errors"
	"testing"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/actuatortest"
	"github.com/cattease/cattease/actuators/mock"
)

func TestRecorder(t *testing.T) {
	r := actuatortest.NewRecorder(mock.New("laser", actuators.KindSwitch, mock.Limits{}, nil))
	if r.Halted() {
		t.Fatal("Halted before any call")
	}
	ctx := context.Background()
	if err := r.Do(ctx, actuators.Command{Action: actuators.ActionSwitch, Value: 1}); err != nil {
		t.Fatal(err)
	}
	if err := r.Do(ctx, actuators.Command{Action: actuators.ActionAngle}); !errors.Is(err, actuators.ErrUnsupported) {
		t.Fatal(err)
	}
	if r.Halted() {
		t.Fatal("Halted after Do")
	}
	if err := r.Halt(); err != nil {
		t.Fatal(err)
	}
	calls := r.Calls()
	if len(calls) != 3 || !r.Halted() || calls[1].Err == nil || calls[0].String() != "do switch 1" {
		t.Fatalf("calls = %v", calls)
	}
	if r.String() != "recorder(mock:laser)" {
		t.Fatal(r.String())
	}
	r.Reset()
	if _, ok := r.Last(); ok {
		t.Fatal("Reset kept calls")
	}
}

// The suite itself runs on the Recorder around the mock, which also checks
// that the Recorder is transparent.
func TestRecorderConformance(t *testing.T) {
	actuatortest.Run(t, actuators.KindSwitch, func(t *testing.T) actuators.Actuator {
		m := mock.New("laser", actuators.KindSwitch, mock.Limits{}, nil)
		actuatortest.Observe(t, actuatortest.Probe{
			State: func() string { return map[bool]string{true: "on", false: "off"}[m.State().On] },
			Inert: func() bool { return !m.State().On },
		})
		return actuatortest.NewRecorder(m)
	})
}
