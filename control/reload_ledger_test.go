package control

import (
	"strings"
	"testing"
)

// TestFairReplacementAfterReloadKeepsItsOwnRefund: under fair, a
// sender's new command takes the place (and the priority) of their
// waiting priority command. When a reload that changed the gift lane
// came in between, the place's credit went with the old ledger, but the
// extra credit the new command spent is the new ledger's, and is given
// back if the command does not run.
func TestFairReplacementAfterReloadKeepsItsOwnRefund(t *testing.T) {
	yaml := strings.Replace(paidYAML, "policy: queue", "policy: fair", 1)
	h := newHarness(t, yaml)
	h.holdQueue()
	want(t, h.gift("9", 3000), Accepted, ReasonGift)
	want(t, h.say("9", "左", nil), Accepted, ReasonPriority)
	if err := h.eng.Reload(h.now, compileText(t, strings.Replace(yaml, "max_senders: 100", "max_senders: 99", 1))); err != nil {
		t.Fatal(err)
	}
	want(t, h.gift("9", 0), Accepted, ReasonGift) // a free gift: one extra credit, in the new ledger
	if p, x := h.credits("9"); p != 0 || x != 1 {
		t.Fatalf("credits %d/%d in the new ledger, want 0/1", p, x)
	}
	want(t, h.say("9", "右", nil), Accepted, ReasonExtra) // within the cooldown: the extra credit
	if st := h.eng.Status(h.now); st.QueueLen != 1 || !st.Waiting[0].Priority || st.Waiting[0].Rule != "right" {
		t.Fatalf("waiting %+v, want 右 in the place 左 paid for", st.Waiting)
	}
	h.say("1", "停", mod)
	if _, x := h.credits("9"); x != 1 {
		t.Fatalf("%d extra credits after the stop, want the one 右 spent given back", x)
	}
}
