// Package actuatortest is the conformance suite every actuators.Actuator
// passes, plus a Recorder for tests of code that sits in front of drivers.
//
// A driver's test runs the suite with a factory that builds a fresh output
// on fake hardware (i2ctest, gpiotest, a temp-dir sysfs tree) and, so the
// suite can see the output itself and not only the returned errors,
// registers a Probe of that fake hardware:
//
//	func TestConformance(t *testing.T) {
//		actuatortest.Run(t, actuators.KindSwitch, func(t *testing.T) actuators.Actuator {
//			pin := &gpiotest.Pin{N: "GPIO17"}
//			sw, err := gpioswitch.New("laser", pin, false)
//			if err != nil {
//				t.Fatal(err)
//			}
//			actuatortest.Observe(t, actuatortest.Probe{State: ..., Inert: ...})
//			return sw
//		})
//	}
//
// What the suite checks, for both kinds:
//   - String is non-empty and stable;
//   - Halt succeeds on a fresh output, again and again, and leaves it inert;
//   - an action the kind does not have returns ErrUnsupported, a value
//     outside the calibration (or NaN, ±Inf) returns ErrOutOfRange, a
//     cancelled context returns its error, and none of them changes the
//     output, whether it was inert or active;
//   - valid commands succeed, ActionDetach or switch 0 make the output
//     inert, ActionAngle 0 or switch 1 make it active;
//   - after Halt, Do either works or returns ErrHalted (the interface allows
//     both; drivers here re-arm on the next command, like the mock);
//   - Do, Halt and String from many goroutines at once (run with -race),
//     after which one Halt leaves the output inert.
//
// The suite's angles are 0 (the calibrated centre, valid for every axis)
// and ±1e6° (invalid for every axis). Build the axis with a calibration
// that accepts 0.
package actuatortest
