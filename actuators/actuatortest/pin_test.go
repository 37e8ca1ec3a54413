package actuatortest

import (
	"errors"
	"reflect"
	"testing"

	"periph.io/x/conn/v3/gpio"
)

func TestPin(t *testing.T) {
	p := &Pin{N: "GPIO17"}
	if p.Level() != gpio.Low || p.String() != "GPIO17" || p.Name() != "GPIO17" {
		t.Fatal("fresh pin")
	}
	for _, l := range []gpio.Level{gpio.High, gpio.Low, gpio.High} {
		if err := p.Out(l); err != nil {
			t.Fatal(err)
		}
	}
	if got := p.Levels(); !reflect.DeepEqual(got, []gpio.Level{gpio.High, gpio.Low, gpio.High}) || p.Read() != gpio.High {
		t.Fatalf("levels %v", got)
	}
	boom := errors.New("boom")
	p.Fail(boom)
	if err := p.Out(gpio.Low); !errors.Is(err, boom) || p.Level() != gpio.High {
		t.Fatalf("Fail: %v %v", err, p.Level())
	}
	p.Fail(nil)
	p.Panic(true)
	func() {
		defer func() {
			if recover() == nil {
				t.Fatal("no panic")
			}
		}()
		_ = p.Out(gpio.Low)
	}()
	if p.PWM(gpio.DutyHalf, 0) == nil || p.In(gpio.PullDown, gpio.NoEdge) == nil {
		t.Fatal("PWM/In should fail on an output-only fake")
	}
}
