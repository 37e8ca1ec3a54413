package mock_test

import (
	"fmt"
	"testing"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/actuatortest"
	"github.com/cattease/cattease/actuators/mock"
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
