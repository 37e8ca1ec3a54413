package mqtt

import (
	"context"
	"encoding/json"
	"log/slog"
	"testing"
	"time"
)

// nopPublisher drops what it is given and counts it.
type nopPublisher struct{ n int }

func (p *nopPublisher) Publish(context.Context, string, []byte, bool, uint32) error {
	p.n++
	return nil
}

// Whatever arrives on the request, heartbeat and command topics, nothing
// panics, and a request is answered only when it parses.
func FuzzAgentMessages(f *testing.F) {
	now := time.Unix(1_800_000_000, 0)
	hb, _ := json.Marshal(Heartbeat{Session: "a", Sent: now.UnixNano()})
	req, _ := json.Marshal(Request{Session: "a", Seq: 1, Sent: now.UnixNano(), Op: OpSwitch, Name: "laser", On: true, For: 1e9})
	f.Add(hb, req)
	f.Add([]byte(`{"s":"a","t":-1}`), []byte(`{"s":"a","n":18446744073709551615,"op":"move_by","name":"pan","v":1e308}`))
	f.Add([]byte(`nonsense`), []byte(`{"op":"enable","name":""}`))
	f.Fuzz(func(t *testing.T, beat, request []byte) {
		p := &nopPublisher{}
		quiet := slog.New(slog.DiscardHandler)
		a := &Agent{Topics: Topics{Base: "b", Rig: "r"}, Rig: &fakeRig{}, Now: func() time.Time { return now }, Log: quiet, conn: p}
		a.j.Connected(true)
		a.onBeat(Message{Payload: beat})
		a.onRequest(Message{Payload: request})
		a.check()
		b := &Bridge{Engine: &fakeEngine{}, Rig: &fakeRig{}, Log: quiet, conn: p}
		for _, c := range Commands() {
			b.command(c, string(request))
		}
		var r Request
		if json.Unmarshal(request, &r) != nil && p.n > 0 {
			t.Errorf("a request that does not parse was answered")
		}
	})
}
