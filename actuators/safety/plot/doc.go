// Package plot draws what the safety envelope did as an SVG, so a streamer
// can check a config against yesterday's chat at a glance
// (`cattease replay --plot path.svg`).
//
// # Pictures
//
// The top half is a floor map in pan/tilt space: pan on x (left is left),
// tilt on y (far, towards the horizon, is up). It shows the axis limits as
// a dashed rectangle, the tilt ceiling as a red line with the forbidden
// side shaded, keep-out zones hatched in red, home as a blue diamond, and
// the dot's path: solid where the laser was on, faint and dashed where it
// was off, coloured from dark blue (start) to green (end), with a green
// start dot and a black end square. Below it a time strip shows pan and
// tilt angle over time with their limits, and the laser's on-periods as
// orange bars.
//
// # Memory
//
// A Recorder holds at most MaxSamples samples (default 200k, at most about
// 6 MB with slice headroom). When full it decimates: in windows of
// doubling length it keeps each output's first, lowest, highest and last
// value, so extremes and laser periods survive (shifted by at most one
// window) and the picture says which window length it used.
//
// # Determinism
//
// The same outputs, geometry and options always give the same bytes: no
// map order, no clock, numbers printed with one decimal. Every string
// that comes from configuration (title, zone and axis names) is escaped.
//
// # Concurrency
//
// Add and WriteSVG may be called from different goroutines. WriteSVG
// copies what it needs under the lock and draws without it, so a live
// motion loop feeding Add is never held up by drawing.
package plot
