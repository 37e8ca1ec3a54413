package plot

import (
	"bytes"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/cattease/cattease/actuators/safety"
)

// TestEscaping: titles and names come from config; none may break the
// markup or inject elements.
func TestEscaping(t *testing.T) {
	const title = `</title><script>alert("x")</script> & 猫' ]]> <!--`
	geo := testGeo()
	geo.Zones = append(geo.Zones, safety.Zone{Name: `<b>"sofa"</b> & co`, PanMin: -10, PanMax: 0, TiltMin: 6, TiltMax: 9})
	geo.Axes[0].Name, geo.PanAxis = `pan<&>`, `pan<&>`
	out := record(smallPath())
	svg := render(t, out, geo, Options{Title: title + "\x00\x1b"})
	texts := strings.Join(wellFormed(t, svg, "text"), "\n")
	for _, want := range []string{title + "\uFFFD\uFFFD", `<b>"sofa"</b> & co`, `pan<&> (°)`} {
		if !strings.Contains(texts, want) {
			t.Errorf("text %q not shown as is in\n%s", want, texts)
		}
	}
	if titles := wellFormed(t, svg, "title"); len(titles) != 1 || titles[0] != title+"\uFFFD\uFFFD" {
		t.Errorf("<title> = %q", titles)
	}
	if bytes.Contains(svg, []byte("<script")) || bytes.Contains(svg, []byte("<b>")) {
		t.Error("markup from config reached the SVG unescaped")
	}
}

func TestLongTitleCut(t *testing.T) {
	svg := render(t, &Recorder{}, safety.State{}, Options{Title: strings.Repeat("猫", 500)})
	titles := wellFormed(t, svg, "title")
	if n := len([]rune(titles[0])); n != 79 { // (960-88)/11
		t.Fatalf("title is %d runes, want 79", n)
	}
	svg = render(t, &Recorder{}, safety.State{}, Options{Title: strings.Repeat("猫", 500), Width: 8000})
	if n := len([]rune(wellFormed(t, svg, "title")[0])); n != 120 {
		t.Fatalf("title on a wide picture is %d runes, want 120", n)
	}
}

func TestEmpty(t *testing.T) {
	for name, geo := range map[string]safety.State{"no geometry": {}, "geometry": testGeo()} {
		t.Run(name, func(t *testing.T) {
			var r Recorder
			svg := render(t, &r, geo, Options{})
			texts := strings.Join(wellFormed(t, svg, "text"), "\n")
			for _, want := range []string{"cattease replay", "no outputs recorded", "the dot never moved"} {
				if !strings.Contains(texts, want) {
					t.Errorf("no %q in\n%s", want, texts)
				}
			}
			// The legend has one limits swatch; the map adds one with axes.
			if got, want := bytes.Count(svg, []byte(`class="limits"`)), 1+min(len(geo.Axes), 1); got != want {
				t.Errorf("%d limits rectangles with %d axes, want %d", got, len(geo.Axes), want)
			}
			if bytes.Contains(svg, []byte("NaN")) || bytes.Contains(svg, []byte("Inf")) {
				t.Error("a non-finite number reached the SVG")
			}
		})
	}
}

// TestOnlyLaser: a recording without axis samples draws the lane and no
// path.
func TestOnlyLaser(t *testing.T) {
	r := record([]safety.Output{laser(0, true), laser(2*time.Second, false)})
	svg := render(t, r, testGeo(), Options{})
	wellFormed(t, svg, "text")
	if n := bytes.Count(svg, []byte(`class="on"`)); n != 2 { // the bar and its legend swatch
		t.Errorf("%d on-bars, want 1 and the legend's", n)
	}
	if bytes.Contains(svg, []byte(`class="lit" stroke="#`+bandColors[0])) {
		t.Error("a path was drawn without axis samples")
	}
}

func TestOptions(t *testing.T) {
	r := record(smallPath())
	svg := render(t, r, testGeo(), Options{Width: 1, Height: 99999, Location: time.FixedZone("CST", 8*3600)})
	if !bytes.Contains(svg, []byte(`width="480" height="8000"`)) {
		t.Errorf("size not clamped: %.200s", svg)
	}
	texts := strings.Join(wellFormed(t, svg, "text"), "\n")
	if !strings.Contains(texts, "18:00:00") || !strings.Contains(texts, "\nCST\n") {
		t.Errorf("times not in the given zone:\n%s", texts)
	}
	// A laser under another name is found by Options.Laser.
	var r2 Recorder
	for _, o := range smallPath() {
		if o.Target == "laser" {
			o.Target = "beam"
		}
		r2.Add(o)
	}
	// Only the lane's label differs.
	a := render(t, &r2, testGeo(), Options{Laser: "beam"})
	a = bytes.Replace(a, []byte(">beam</text>"), []byte(">laser</text>"), 1)
	if b := render(t, r, testGeo(), Options{}); !bytes.Equal(a, b) {
		t.Error("Options.Laser did not pick the renamed switch")
	}
}

// TestCeilingAboveView: a ceiling far above the limits is named at the
// top rather than squashing the map.
func TestCeilingAboveView(t *testing.T) {
	geo := testGeo()
	geo.Ceiling = 85
	texts := strings.Join(wellFormed(t, render(t, record(smallPath()), geo, Options{}), "text"), "\n")
	if !strings.Contains(texts, "ceiling 85° ↑ (above the view)") {
		t.Errorf("no above-the-view ceiling note in\n%s", texts)
	}
}

func TestNiceTicks(t *testing.T) {
	for _, c := range []struct {
		lo, hi float64
		n      int
		want   []float64
	}{
		{-50, 50, 10, []float64{-50, -40, -30, -20, -10, 0, 10, 20, 30, 40, 50}},
		{2.1, 42.9, 8, []float64{10, 20, 30, 40}}, // 5° steps would be 9 > 8
		{2.1, 42.9, 9, []float64{5, 10, 15, 20, 25, 30, 35, 40}},
		{0, 1, 4, []float64{0, 0.5, 1}},
	} {
		got := ticks(c.lo, c.hi, c.n)
		if len(got) != len(c.want) {
			t.Fatalf("ticks(%v, %v, %d) = %v, want %v", c.lo, c.hi, c.n, got, c.want)
		}
		for i := range got {
			if math.Abs(got[i]-c.want[i]) > 1e-9 {
				t.Fatalf("ticks(%v, %v, %d) = %v, want %v", c.lo, c.hi, c.n, got, c.want)
			}
		}
	}
}

func TestTimeTicks(t *testing.T) {
	for _, c := range []struct {
		span   time.Duration
		n      int
		first  string
		step   time.Duration
		layout string
	}{
		{4500 * time.Millisecond, 8, "10:00:00", time.Second, "15:04:05"},
		{3 * time.Hour, 6, "10:00", 30 * time.Minute, "15:04"},
		{3 * time.Hour, 5, "10:00", time.Hour, "15:04"},
		{300 * time.Millisecond, 4, "10:00:00.00", 100 * time.Millisecond, "15:04:05.00"},
	} {
		tk, layout := timeTicks(t0, t0.Add(c.span), c.n, time.UTC)
		if layout != c.layout || len(tk) < 2 || tk[0].Format(layout) != c.first || tk[1].Sub(tk[0]) != c.step {
			t.Errorf("span %v: ticks %v layout %q", c.span, tk, layout)
		}
		if len(tk) > c.n+1 {
			t.Errorf("span %v: %d ticks, want ≤ %d", c.span, len(tk), c.n+1)
		}
	}
}

type failWriter struct{ n int }

func (w *failWriter) Write(p []byte) (int, error) {
	if w.n += len(p); w.n > 40<<10 {
		return 0, errors.New("disk full")
	}
	return len(p), nil
}

// TestWriteError: a failing writer's error comes back wrapped.
func TestWriteError(t *testing.T) {
	r := &Recorder{}
	day(r, 30_000)
	err := r.WriteSVG(&failWriter{}, testGeo(), Options{})
	if err == nil || !strings.HasPrefix(err.Error(), "plot: write svg: ") || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("err = %v", err)
	}
}
