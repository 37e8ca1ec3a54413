package bilibili

import (
	"log/slog"
	"testing"

	"github.com/cattease/cattease/danmu"
)

// Commands that arrive before the auth reply are not for us yet and are
// dropped, but counted (ignored_op, as the open platform source counts
// them), so that a server that talks out of turn shows up in the counters
// instead of losing chat in silence.
func TestMessagesBeforeAuthAreCounted(t *testing.T) {
	var cnt danmu.Counters
	c := &conn{
		run: &run{Source: &Source{Counters: &cnt}, log: slog.New(slog.DiscardHandler)},
		dec: Decoder{RoomID: 1, Now: fixedNow},
	}
	chat := []byte(`{"cmd":"DANMU_MSG","info":[[],"左",[1,"a",0]]}`)
	for range 2 {
		if err := c.packet(Packet{Op: OpMessage, Body: chat}); err != nil {
			t.Fatal(err)
		}
	}
	if got, n := cnt.Get(CounterIgnoredOp), kept(c); got != 2 || n != 0 {
		t.Fatalf("before auth: %s = %d, %d events kept; want 2 and none (counters %v)", CounterIgnoredOp, got, n, cnt.Snapshot())
	}
	if err := c.packet(Packet{Op: OpAuthReply, Body: []byte(`{"code":0}`)}); err != nil {
		t.Fatal(err)
	}
	if err := c.packet(Packet{Op: OpMessage, Body: chat}); err != nil {
		t.Fatal(err)
	}
	if n := kept(c); cnt.Get(CounterIgnoredOp) != 2 || n != 1 {
		t.Errorf("after auth: counters %v, %d events; want the chat", cnt.Snapshot(), n)
	}
}

// kept empties c's batch and returns how many events it held.
func kept(c *conn) int {
	n, _ := c.batch.Flush(func(evs []danmu.Event) error { return nil })
	return n
}
