package web

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/png"
	"math"
	"net/http"
)

// favicon is /favicon.ico: a 32×32 PNG (a red laser dot with its glow on
// the overlay's dark card) in an ICO container, drawn once at start so no
// binary file lives in the repository.
var favicon = func() []byte {
	const n = 32
	img := image.NewNRGBA(image.Rect(0, 0, n, n))
	for y := range n {
		for x := range n {
			dx, dy := float64(x)+0.5-n/2, float64(y)+0.5-n/2
			r := math.Hypot(dx, dy)
			var c color.NRGBA
			switch {
			case r <= 5:
				c = color.NRGBA{0xff, 0x2a, 0x2a, 0xff} // the dot
			case r <= 15.5: // the card, with the dot's glow fading out
				g := math.Max(0, 1-(r-5)/9)
				c = color.NRGBA{uint8(16 + g*(0xff-16)), uint8(18 + g*(0x2a-18)), uint8(28 + g*(0x2a-28)), 0xff}
			}
			img.SetNRGBA(x, y, c)
		}
	}
	var pngBuf bytes.Buffer
	if err := png.Encode(&pngBuf, img); err != nil {
		panic(err) // encoding an in-memory image cannot fail
	}
	var b bytes.Buffer
	le := binary.LittleEndian
	b.Write([]byte{0, 0, 1, 0, 1, 0}) // ICONDIR: reserved, type 1 (icon), one image
	b.Write([]byte{n, n, 0, 0})       // width, height, no palette, reserved
	b.Write(le.AppendUint16(nil, 1))  // colour planes
	b.Write(le.AppendUint16(nil, 32)) // bits per pixel
	b.Write(le.AppendUint32(nil, uint32(pngBuf.Len())))
	b.Write(le.AppendUint32(nil, 6+16)) // the PNG follows the one entry
	b.Write(pngBuf.Bytes())
	return b.Bytes()
}()

func serveFavicon(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "image/x-icon")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	w.Write(favicon)
}
