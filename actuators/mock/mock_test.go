package mock_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/actuatortest"
	"github.com/cattease/cattease/actuators/mock"
	"github.com/cattease/cattease/actuators/servo"
)

func probe(a *mock.Actuator) actuatortest.Probe {
	return actuatortest.Probe{
		State: func() string {
			s := a.State()
			return fmt.Sprintf("angle=%g attached=%v on=%v", s.Angle, s.Attached, s.On)
		},
		Inert: func() bool {
			s := a.State()
			return !s.Attached && !s.On
		},
	}
}

func TestConformance(t *testing.T) {
	for _, kind := range []actuators.Kind{actuators.KindAxis, actuators.KindSwitch} {
		t.Run(string(kind), func(t *testing.T) {
			actuatortest.Run(t, kind, func(t *testing.T) actuators.Actuator {
				a := mock.New("out", kind, mock.Limits{Min: -60, Max: 60}, nil)
				actuatortest.Observe(t, probe(a))
				return a
			})
		})
	}
	t.Run("axis/default-limits", func(t *testing.T) {
		actuatortest.Run(t, actuators.KindAxis, func(t *testing.T) actuators.Actuator {
			a := mock.New("pan", actuators.KindAxis, mock.Limits{}, nil)
			actuatortest.Observe(t, probe(a))
			return a
		})
	})
}

// TestSetPulseLikeAServo: a calibrated mock axis takes raw pulses exactly
// where the servo drivers do (servo.Calibration.CheckJogPulse), reports
// the pulse and the angle it stands for, and refuses the rest without
// changing anything; an angle, a detach or Halt end the raw pulse.
func TestSetPulseLikeAServo(t *testing.T) {
	ctx := context.Background()
	cal := servo.Calibration{PulseMin: 1000 * time.Microsecond, PulseMax: 2000 * time.Microsecond, AngleMin: -45, AngleMax: 45}
	a := mock.New("pan", actuators.KindAxis, mock.Limits{}, nil)
	if err := a.SetPulse(ctx, 1500*time.Microsecond); !errors.Is(err, actuators.ErrUnsupported) {
		t.Fatalf("SetPulse before Calibrate = %v; want ErrUnsupported (the mock knows no pulse range)", err)
	}
	if err := a.Calibrate(cal); err != nil {
		t.Fatal(err)
	}
	for _, us := range []int{499, 500, 999, 1000, 1500, 2000, 2001, 2500, 2501, 0, -1} {
		p := time.Duration(us) * time.Microsecond
		want := cal.CheckJogPulse(p)
		before := a.State()
		err := a.SetPulse(ctx, p)
		if (err == nil) != (want == nil) || (err != nil && !errors.Is(err, actuators.ErrOutOfRange)) {
			t.Fatalf("SetPulse(%v) = %v; the servo drivers' check says %v", p, err, want)
		}
		st := a.State()
		if err != nil {
			if st != before {
				t.Fatalf("a refused SetPulse(%v) changed the state: %+v → %+v", p, before, st)
			}
			continue
		}
		if st.Pulse != p || !st.Attached {
			t.Fatalf("after SetPulse(%v): %+v", p, st)
		}
		if deg, err := cal.Angle(p); err == nil && st.Angle != deg {
			t.Fatalf("after SetPulse(%v): angle %g, want %g", p, st.Angle, deg)
		}
	}
	if err := a.Do(ctx, actuators.Command{Action: actuators.ActionAngle, Value: 46}); !errors.Is(err, actuators.ErrOutOfRange) {
		t.Fatalf("an angle outside the calibration = %v; want ErrOutOfRange", err)
	}
	if err := a.Do(ctx, actuators.Command{Action: actuators.ActionAngle, Value: 10}); err != nil || a.State().Pulse != 0 {
		t.Fatalf("an angle after a raw pulse: %v, %+v", err, a.State())
	}
	a.SetPulse(ctx, 1200*time.Microsecond)
	if a.Halt(); a.State().Pulse != 0 || a.State().Attached {
		t.Fatalf("after Halt: %+v", a.State())
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if err := a.SetPulse(cctx, 1500*time.Microsecond); err == nil || a.State().Attached {
		t.Fatalf("SetPulse with a cancelled context = %v, %+v", err, a.State())
	}

	sw := mock.New("laser", actuators.KindSwitch, mock.Limits{}, nil)
	if err := sw.Calibrate(cal); !errors.Is(err, actuators.ErrUnsupported) {
		t.Fatalf("Calibrate on a switch = %v", err)
	}
	if err := sw.SetPulse(ctx, 1500*time.Microsecond); !errors.Is(err, actuators.ErrUnsupported) {
		t.Fatalf("SetPulse on a switch = %v", err)
	}
	if err := a.Calibrate(servo.Calibration{PulseMin: 1500 * time.Microsecond, PulseMax: 1000 * time.Microsecond, AngleMin: -45, AngleMax: 45}); err == nil {
		t.Fatal("Calibrate took an invalid calibration")
	}
}

func TestConformanceCalibrated(t *testing.T) {
	actuatortest.Run(t, actuators.KindAxis, func(t *testing.T) actuators.Actuator {
		a := mock.New("pan", actuators.KindAxis, mock.Limits{}, nil)
		if err := a.Calibrate(servo.Default); err != nil {
			t.Fatal(err)
		}
		actuatortest.Observe(t, probe(a))
		return a
	})
}
