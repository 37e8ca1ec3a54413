//go:build linux

package pihost

import (
	"fmt"
	"regexp"
	"testing"

	"periph.io/x/conn/v3/gpio/gpioreg"

	"github.com/cattease/cattease/actuators/actuatortest"
)

// A missing pin on a machine of many lines names the first twelve and
// counts the rest, in the one format cmd/cattease's catalogue translates.
func TestPinMissingCountsTheRest(t *testing.T) {
	if _, err := Init(); err != nil {
		t.Fatal(err)
	}
	before := len(gpioreg.All())
	for i := range 14 {
		p := &actuatortest.Pin{N: fmt.Sprintf("MANY%d", i)}
		if err := gpioreg.Register(p); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = gpioreg.Unregister(p.N) })
	}
	_, err := Pin("GPIO99")
	want := regexp.MustCompile(fmt.Sprintf(`^pihost: no GPIO pin "GPIO99" \(have [^()]+ and %d more\); list the names with `, before+14-12))
	if err == nil || !want.MatchString(err.Error()) {
		t.Fatalf("Pin(GPIO99) = %v", err)
	}
}
