package control

import (
	"strings"
	"testing"
	"time"
)

// TestReloadRefundsTheLastCredit: a sender whose commands still waiting
// spent every credit they had gets them back when those commands never
// run, reload or not.
func TestReloadRefundsTheLastCredit(t *testing.T) {
	for _, reload := range []bool{false, true} {
		h := newHarness(t, paidYAML)
		h.holdQueue()
		want(t, h.gift("9", 100), Accepted, ReasonGift) // ¥1: 2 priority
		want(t, h.say("9", "左", nil), Accepted, ReasonPriority)
		h.now = h.now.Add(2100 * time.Millisecond) // past the user cooldown; the queue held
		want(t, h.say("9", "右", nil), Accepted, ReasonPriority)
		if p, x := h.credits("9"); p != 0 || x != 0 {
			t.Fatalf("credits %d/%d with both waiting, want 0/0", p, x)
		}
		if reload {
			yaml := strings.Replace(paidYAML, "max_senders: 100", "max_senders: 99", 1)
			if err := h.eng.Reload(h.now, compileText(t, yaml)); err != nil {
				t.Fatal(err)
			}
		}
		want(t, h.say("1", "停", mod), Accepted, ReasonImmediate)
		if p, x := h.credits("9"); p != 2 || x != 0 {
			t.Fatalf("reload %v: credits %d/%d after the stop, want the 2/0 spent given back", reload, p, x)
		}
	}
}
