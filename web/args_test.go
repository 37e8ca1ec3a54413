package web

import (
	"slices"
	"testing"

	"github.com/cattease/cattease/actuators/safety"
)

// TestControlJSONWhateverItsContentType: a JSON body sent as a form (curl
// -d's default) or as text/plain (Home Assistant's rest_command without a
// content_type) is read as JSON, not as one form key named by the whole
// body and then refused for a missing "enabled"; form bodies still read
// as forms, and a JSON body that is not valid says so.
func TestControlJSONWhateverItsContentType(t *testing.T) {
	for _, c := range []struct {
		ct, body string
		code     int
		calls    []string
	}{
		{"application/x-www-form-urlencoded", `{"enabled":false}`, 200, []string{"pointer=false"}},
		{"text/plain", " \n{\"enabled\": false}", 200, []string{"pointer=false"}},
		{"", `{"switch":"feeder","enabled":true}`, 200, []string{"feeder=true"}},
		{"application/x-www-form-urlencoded", "enabled=off", 200, []string{"pointer=false"}},
		{"application/x-www-form-urlencoded", `{"enabled":fals`, 400, nil},
		{"text/plain", `{"enabled":false,"extra":1}`, 400, nil},
	} {
		s, _, rig := newTestServer(testToken)
		rig.setSwitches(safety.SwitchState{Name: "feeder"}, safety.SwitchState{Name: "pointer", Laser: true, On: true})
		hdr := []string{"Authorization", "Bearer " + testToken, "Content-Type", c.ct}
		w := do(t, s.Handler(), "POST", "/api/control/laser", c.body, hdr...)
		if w.Code != c.code || !slices.Equal(rig.Calls(), c.calls) {
			t.Errorf("%s %q → %d %s, rig told %q; want %d, %q", c.ct, c.body, w.Code, w.Body, rig.Calls(), c.code, c.calls)
		}
	}
}
