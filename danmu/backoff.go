package danmu

import (
	"math/rand/v2"
	"time"
)

// Backoff is how long a source waits before reconnecting after n
// consecutive failures: lo·2ⁿ⁻¹ capped at hi, with "equal jitter" (uniform
// in [d/2, d]) so a crowd of clients dropped at once does not reconnect in
// step. n = 0 (the first retry after a healthy connection) waits about lo/2.
func Backoff(n int, lo, hi time.Duration) time.Duration {
	d := lo
	for i := 1; i < n && d < hi; i++ {
		d *= 2
	}
	d = min(d, hi)
	half := d / 2
	if n == 0 {
		d = half
		half = d / 2
	}
	return half + rand.N(d-half+1)
}
