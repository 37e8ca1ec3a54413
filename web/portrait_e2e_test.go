package web

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// onScreen is JavaScript: the parts of the overlay (the map card, the side
// card) not wholly on screen, by id; "" when all are.
const onScreen = `["map-card", "side"].filter((id) => {
	const r = document.getElementById(id).getBoundingClientRect();
	return r.width === 0 || r.left < 0 || r.top < 0 || r.right > innerWidth || r.bottom > innerHeight;
}).join(" ")`

// TestBrowserPortrait: on a portrait canvas (a vertical stream, 1080×1920
// or 720×1280) the busy room's overlay, map and side card, fits the width,
// and its text stays legible; a landscape canvas still sizes by its height.
func TestBrowserPortrait(t *testing.T) {
	ctx := browser(t)
	ts, s, _ := newRoomServer(t, false)
	for _, size := range [][2]int64{{1080, 1920}, {720, 1280}, {1920, 1080}} {
		viewport(t, ctx, size[0], size[1], false)
		roomGift(s, time.Now())
		open(t, ctx, ts.URL+"/overlay?preview=1")
		until(t, ctx, "the room", `document.getElementById("waiting").children.length === 4 && !document.getElementById("gift").hidden`)
		out, err := chromedp.Run(ctx, chromedp.Evaluate[string](onScreen))
		if err != nil || out != "" {
			t.Errorf("%d×%d: %q off screen (%v)", size[0], size[1], out, err)
		}
		rem, _ := chromedp.Run(ctx, chromedp.Evaluate[float64](`parseFloat(getComputedStyle(document.documentElement).fontSize)`))
		if size[0] > size[1] && rem != float64(size[1])/54 {
			t.Errorf("%d×%d: 1rem = %.2f px, want the height's 1/54", size[0], size[1], rem)
		}
		t.Logf("%d×%d: the overlay covers %s", size[0], size[1], box(t, ctx))
		if size[0] == 720 {
			legible(t, ctx, "the portrait overlay at 720×1280", 30)
		}
	}
}
