package plot

import (
	"encoding/binary"
	"math"
	"testing"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/safety"
)

// FuzzWriteSVG feeds arbitrary outputs and geometry (any floats, times
// going backwards, unknown actions) and checks the picture is always
// well-formed XML with no NaN or Inf in it.
func FuzzWriteSVG(f *testing.F) {
	f.Add([]byte{}, "t", -45.0, 45.0, 50.0)
	f.Add([]byte{0, 1, 0, 0, 0, 0, 0, 0x40, 0x24, 2, 9, 0, 0, 0, 0, 0, 0, 0xf0, 0x7f}, "<&>", 5.0, 40.0, 0.0)
	f.Add(encodeOutputs(smallPath()), "small", -45.0, 45.0, 45.0)
	f.Fuzz(func(t *testing.T, raw []byte, title string, lo, hi, ceiling float64) {
		r := &Recorder{MaxSamples: 1024}
		for _, o := range decodeOutputs(raw) {
			r.Add(o)
		}
		geo := testGeo()
		geo.Axes[0].Min, geo.Axes[0].Max, geo.Ceiling = lo, hi, ceiling
		geo.Zones = append(geo.Zones, safety.Zone{Name: title, PanMin: hi, PanMax: lo, TiltMin: ceiling, TiltMax: lo})
		svg := render(t, r, geo, Options{Title: title})
		wellFormed(t, svg, "text")
	})
}

var fuzzTargets = [...]string{"pan", "tilt", "laser", "other"}
var fuzzActions = [...]actuators.Action{actuators.ActionAngle, actuators.ActionSwitch, actuators.ActionDetach, "bogus"}

// decodeOutputs reads 11-byte records: target, action, a little-endian
// float64 value, and a signed time step in 100 ms.
func decodeOutputs(raw []byte) []safety.Output {
	var out []safety.Output
	at := t0
	for ; len(raw) >= 11; raw = raw[11:] {
		at = at.Add(time.Duration(int8(raw[10])) * 100 * time.Millisecond)
		out = append(out, safety.Output{Time: at, Target: fuzzTargets[raw[0]%4], Action: fuzzActions[raw[1]%4],
			Value: math.Float64frombits(binary.LittleEndian.Uint64(raw[2:10]))})
	}
	return out
}

func encodeOutputs(os []safety.Output) []byte {
	var raw []byte
	prev := t0
	for _, o := range os {
		var rec [11]byte
		for i, n := range fuzzTargets {
			if n == o.Target {
				rec[0] = byte(i)
			}
		}
		for i, a := range fuzzActions {
			if a == o.Action {
				rec[1] = byte(i)
			}
		}
		binary.LittleEndian.PutUint64(rec[2:10], math.Float64bits(o.Value))
		rec[10] = byte(int8(o.Time.Sub(prev) / (100 * time.Millisecond)))
		prev = prev.Add(time.Duration(int8(rec[10])) * 100 * time.Millisecond)
		raw = append(raw, rec[:]...)
	}
	return raw
}
