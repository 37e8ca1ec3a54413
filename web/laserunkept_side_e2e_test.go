package web

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserLaserUnkeptSide: a forbid that only moved from one side to
// the other while the laser file cannot be written (laser_unkept
// "as_chat", "as_panel") is said as such, in English and Chinese: the
// laser stays forbidden after a restart, as chat's 关激光 that a
// moderator's 开激光 lifts, or as the streamer's. Before, the engine said
// "both", "allowing some lasers again and forbidding others".
func TestBrowserLaserUnkeptSide(t *testing.T) {
	ctx := browser(t)
	_, eng, _, ts := browserServer(t)
	for _, c := range []struct{ lost, lang, says string }{
		{"as_chat", "en", "as chat's 关激光 only, which a moderator's 开激光 lifts"},
		{"as_chat", "zh", "房管一句“开激光”就能解除"},
		{"as_panel", "en", "which a moderator's 开激光 cannot lift"},
		{"as_panel", "zh", "房管的“开激光”解除不了"},
	} {
		eng.setUnkept(c.lost)
		if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/panel?lang="+c.lang+"#token="+testToken)); err != nil {
			t.Fatal(err)
		}
		until(t, ctx, c.lost+" in "+c.lang, `(() => {
			const w = document.getElementById("laser-unkept");
			return document.body.dataset.auth === "yes" && !w.hidden && w.dataset.lost === "`+c.lost+`" &&
				w.textContent.includes("`+c.says+`");
		})()`)
	}
}
