package plot_test

import (
	"bytes"
	"fmt"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/safety"
	"github.com/cattease/cattease/actuators/safety/plot"
)

// How cmd/cattease wires `replay --plot`: the Recorder is the envelope's
// OnOutput hook, and after the replay WriteSVG draws it against the
// envelope's Snapshot.
func Example() {
	var rec plot.Recorder // cfg.OnOutput = rec.Add
	t0 := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	rec.Add(safety.Output{Time: t0, Target: "laser", Action: actuators.ActionSwitch, Value: 1})
	rec.Add(safety.Output{Time: t0, Target: "pan", Action: actuators.ActionAngle, Value: 5})
	rec.Add(safety.Output{Time: t0.Add(20 * time.Millisecond), Target: "pan", Action: actuators.ActionAngle, Value: 7})

	geo := safety.State{PanAxis: "pan", TiltAxis: "tilt", Axes: []safety.AxisState{
		{Name: "pan", Min: -45, Max: 45}, {Name: "tilt", Min: 5, Max: 40, Home: 20}}} // env.Snapshot()
	var svg bytes.Buffer // os.Create(*plotPath)
	if err := rec.WriteSVG(&svg, geo, plot.Options{Title: "replay of chat.jsonl"}); err != nil {
		fmt.Println(err)
	}
	fmt.Printf("%+v, %d samples, svg %t\n", rec.Stats(), rec.Len(), bytes.HasPrefix(svg.Bytes(), []byte("<?xml")))
	// Output: {Outputs:3 Errors:0 Detach:0 Ignored:0 Res:0s}, 3 samples, svg true
}
