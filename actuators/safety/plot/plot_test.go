package plot

import (
	"bytes"
	"encoding/xml"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/safety"
)

var update = flag.Bool("update", false, "rewrite testdata/*.svg golden files")

var t0 = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

// testGeo is a rig like the shipped rules.yaml with a ceiling and two
// keep-out zones.
func testGeo() safety.State {
	return safety.State{
		Axes: []safety.AxisState{
			{Name: "pan", Min: -45, Max: 45, Home: 0},
			{Name: "tilt", Min: 5, Max: 40, Home: 20},
		},
		PanAxis: "pan", TiltAxis: "tilt", Ceiling: 45,
		Counts: map[string]uint64{"keep_out_blank": 2, "clamped": 7, "dead_man": 0},
		Zones: []safety.Zone{
			{Name: "window", PanMin: 25, PanMax: 45, TiltMin: 28, TiltMax: 40},
			{Name: "TV", PanMin: -40, PanMax: -25, TiltMin: 10, TiltMax: 18},
		},
	}
}

func angle(at time.Duration, target string, v float64) safety.Output {
	return safety.Output{Time: t0.Add(at), Target: target, Action: actuators.ActionAngle, Value: v}
}

func laser(at time.Duration, on bool) safety.Output {
	return safety.Output{Time: t0.Add(at), Target: "laser", Action: actuators.ActionSwitch, Value: b2f(on)}
}

// smallPath is a synthetic session: off at home, laser on, a sweep right
// and up, a detach, laser off, back left, a failed write.
func smallPath() []safety.Output {
	out := []safety.Output{laser(0, false), angle(0, "pan", 0), angle(0, "tilt", 20), laser(time.Second, true)}
	for i := 1; i <= 10; i++ {
		at := time.Second + time.Duration(i)*100*time.Millisecond
		out = append(out, angle(at, "pan", float64(2*i)), angle(at, "tilt", 20+float64(i)))
	}
	out = append(out, safety.Output{Time: t0.Add(3 * time.Second), Target: "tilt", Action: actuators.ActionDetach})
	out = append(out, laser(4*time.Second, false))
	for i := 1; i <= 5; i++ {
		out = append(out, angle(4*time.Second+time.Duration(i)*100*time.Millisecond, "pan", 20-float64(8*i)))
	}
	out = append(out, safety.Output{Time: t0.Add(5 * time.Second), Target: "pan", Action: actuators.ActionAngle,
		Value: 99, Err: errors.New("mock: bus error")})
	return out
}

func record(outs []safety.Output) *Recorder {
	r := &Recorder{}
	for _, o := range outs {
		r.Add(o)
	}
	return r
}

func render(t testing.TB, r *Recorder, geo safety.State, opt Options) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := r.WriteSVG(&buf, geo, opt); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// wellFormed decodes the whole document with encoding/xml and returns the
// character data of every element with the given name.
func wellFormed(t *testing.T, svg []byte, name string) []string {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(svg))
	var texts []string
	var in []string
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v", err)
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			in = append(in, tk.Name.Local)
		case xml.EndElement:
			in = in[:len(in)-1]
		case xml.CharData:
			if len(in) > 0 && in[len(in)-1] == name {
				texts = append(texts, string(tk))
			}
		}
	}
	if len(in) != 0 {
		t.Fatalf("unclosed elements: %v", in)
	}
	return texts
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (%d vs %d bytes); if the change is intended, run go test -update and look at it",
			path, len(got), len(want))
	}
}

func TestGoldenSmallPath(t *testing.T) {
	svg := render(t, record(smallPath()), testGeo(), Options{Title: "small path"})
	wellFormed(t, svg, "text")
	golden(t, "small.svg", svg)
	if again := render(t, record(smallPath()), testGeo(), Options{Title: "small path"}); !bytes.Equal(svg, again) {
		t.Error("the same input gave different bytes")
	}
}

func TestTextShown(t *testing.T) {
	svg := render(t, record(smallPath()), testGeo(), Options{Title: "small path"})
	texts := strings.Join(wellFormed(t, svg, "text"), "\n")
	for _, want := range []string{"small path", "window", "TV", "ceiling 45°", "max 45°", "min 5°",
		"10:00:00", fmt.Sprintf("%d outputs", len(smallPath())), "laser on 3s in 1 period", "1 driver error",
		"envelope: clamped 7 · keep_out_blank 2"} {
		if !strings.Contains(texts, want) {
			t.Errorf("no text %q in\n%s", want, texts)
		}
	}
}
