package bilibili_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/cattease/cattease/danmu/bilibili"
	"github.com/cattease/cattease/danmu/bilibili/bilibilitest"
)

// FuzzFrameDecoder: no frame panics or escapes the caps; every failure is a
// *DecodeError; what decodes re-encodes to packets that decode the same.
func FuzzFrameDecoder(f *testing.F) {
	for _, name := range fixtureNames(f, "*.hex") {
		f.Add(fixture(f, name))
	}
	for _, bad := range badFrames() {
		f.Add(bad.frame)
	}
	var bodies [][]byte
	for _, name := range fixtureNames(f, "danmu_msg_*.json") {
		bodies = append(bodies, fixture(f, name))
	}
	f.Add(bilibilitest.BrotliFrame(bodies...))
	f.Add(bilibilitest.ZlibFrame(bodies[:3]...))

	const maxPacket, maxInflated = 1 << 16, 1 << 20
	f.Fuzz(func(t *testing.T, frame []byte) {
		d := bilibili.FrameDecoder{MaxPacket: maxPacket, MaxDecompressed: maxInflated}
		var again []byte
		var got [][]byte
		err := d.Decode(frame, func(p bilibili.Packet) error {
			if len(p.Body) > maxInflated {
				t.Fatalf("body of %d bytes escaped the cap", len(p.Body))
			}
			if p.Ver == bilibili.VerZlib || p.Ver == bilibili.VerBrotli {
				if p.Op == bilibili.OpMessage {
					t.Fatal("a compressed message reached visit")
				}
			}
			got = append(got, bytes.Clone(p.Body))
			again = bilibili.AppendPacket(again, p.Ver, p.Op, p.Body)
			return nil
		})
		if err != nil {
			var de *bilibili.DecodeError
			if !errors.As(err, &de) || de.Reason == "" {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		if len(again) == 0 || len(again) > maxPacket {
			return
		}
		var round [][]byte
		err = d.Decode(again, func(p bilibili.Packet) error {
			round = append(round, bytes.Clone(p.Body))
			return nil
		})
		// After an op 3 only a packet of a known version and operation is
		// read on. Packets inflated from a compressed one may be of any:
		// re-encoded behind an op 3 they are a trailer, which ends the
		// round trip early.
		var de *bilibili.DecodeError
		if err != nil && (!errors.As(err, &de) || de.Reason != bilibili.ReasonHeartbeatTrailer) {
			t.Fatalf("re-encoded packets fail: %v", err)
		}
		if len(round) > len(got) {
			t.Fatalf("round trip has %d packets, the frame %d", len(round), len(got))
		}
		// An op 3 followed by no whole packet ends a frame, so the round
		// trip may be shorter.
		for i := range round {
			if !bytes.Equal(round[i], got[i]) {
				t.Fatalf("packet %d changed in the round trip", i)
			}
		}
	})
}

// FuzzDecodeBody: no body panics; failures are typed; events are complete
// and within the text cap.
func FuzzDecodeBody(f *testing.F) {
	for _, name := range fixtureNames(f, "*.json") {
		f.Add(fixture(f, name))
	}
	for name, bad := range badBodies() {
		if !strings.Contains(name, "1 MB") {
			f.Add([]byte(bad.body))
		}
	}
	d := bilibili.Decoder{RoomID: 5561470, StreamerUID: 780791}
	f.Fuzz(func(t *testing.T, body []byte) {
		ev, err := d.Decode(body)
		if err != nil {
			var de *bilibili.DecodeError
			var skip *bilibili.SkipError
			if !errors.As(err, &de) && !errors.As(err, &skip) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		if !ev.Kind.Valid() || ev.Platform != "bilibili" || ev.Room != "5561470" || ev.Time.IsZero() {
			t.Fatalf("incomplete event %+v", ev)
		}
		if len(ev.Text) > bilibili.MaxText {
			t.Fatalf("text of %d bytes", len(ev.Text))
		}
		if ev.User.ID != "" && (!ev.User.Role.Valid() || ev.User.Guard < 0 || ev.User.Guard > 3 || ev.User.Medal < 0) {
			t.Fatalf("bad user %+v", ev.User)
		}
	})
}
