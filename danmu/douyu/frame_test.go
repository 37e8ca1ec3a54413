package douyu

import (
	"bytes"
	"encoding/binary"
	"errors"
	"testing"
)

func splitAll(t *testing.T, s *Splitter) (types []uint16, bodies []string, err error) {
	t.Helper()
	for {
		p, ok, err := s.Next()
		if err != nil || !ok {
			return types, bodies, err
		}
		types = append(types, p.Type)
		bodies = append(bodies, string(p.Body))
	}
}

func TestHexCaptures(t *testing.T) {
	// One loginres packet, len 249 = bytes − 4.
	raw := hexFixture(t, "9plus2018_raw_loginres.hex")
	if len(raw) != 253 || binary.LittleEndian.Uint32(raw) != 249 {
		t.Fatalf("loginres capture: %d bytes, len %d", len(raw), binary.LittleEndian.Uint32(raw))
	}
	var s Splitter
	s.Write(raw)
	types, bodies, err := splitAll(t, &s)
	if err != nil || len(bodies) != 1 || types[0] != TypeServer {
		t.Fatalf("loginres: %v %v %d", err, types, len(bodies))
	}
	if m, err := DecodeString(bodies[0]); err != nil || m.Type() != "loginres" {
		t.Errorf("loginres body: %v %q", err, m.Type())
	}

	// pingreq + mrkl in one read.
	s = Splitter{Type: TypeServer}
	s.Write(hexFixture(t, "9plus2018_raw_pingreq_mrkl_coalesced.hex"))
	_, bodies, err = splitAll(t, &s)
	if err != nil || len(bodies) != 2 || bodies[0] != "type@=pingreq/tick@=1542810747604/" || bodies[1] != "type@=mrkl/" {
		t.Errorf("coalesced: %v %q", err, bodies)
	}

	// 1400 bytes: 4 whole packets and the first 114 of the 291 bytes of a
	// 5th.
	raw = hexFixture(t, "9plus2018_raw_multi_truncated.hex")
	if len(raw) != 1400 {
		t.Fatalf("multi: %d bytes", len(raw))
	}
	s = Splitter{}
	s.Write(raw)
	_, bodies, err = splitAll(t, &s)
	if err != nil || len(bodies) != 4 {
		t.Fatalf("multi: %v, %d packets", err, len(bodies))
	}
	for i, name := range []string{"9plus2018_dgb_1.txt", "9plus2018_chatmsg_2.txt", "9plus2018_dgb_3.txt", "9plus2018_dgb_4.txt"} {
		if bodies[i] != string(fixture(t, name)) {
			t.Errorf("packet %d != %s", i+1, name)
		}
	}
	if s.Buffered() != 114 {
		t.Errorf("buffered tail %d, want 114", s.Buffered())
	}
	if l := binary.LittleEndian.Uint32(raw[1400-114:]); l+4 != 291 {
		t.Errorf("5th packet is %d bytes, want 291", l+4)
	}
	// Packet 2 is the chatmsg whose len counts UTF-8 bytes: 282 + 9.
	if l := binary.LittleEndian.Uint32(raw[0x142:]); l != 291 || len(fixture(t, "9plus2018_chatmsg_2.txt")) != 282 {
		t.Errorf("chatmsg len %d", l)
	}

	// The client heartbeat constant is exactly what AppendMessage makes.
	want := hexFixture(t, "client_mrkl_packet.hex")
	if got := AppendMessage(nil, TypeClient, Msg("type", "mrkl")); !bytes.Equal(got, want) {
		t.Errorf("mrkl packet\n got %x\nwant %x", got, want)
	}
	if got := AppendPacket(nil, TypeClient, []byte("type@=mrkl/")); !bytes.Equal(got, want) {
		t.Errorf("AppendPacket mrkl %x", got)
	}
}

// Every way of cutting a realistic stream gives the same packets.
func TestSplitterEverySplitPoint(t *testing.T) {
	var stream []byte
	var want []string
	for _, n := range []string{"douyudm_loginres.txt", "douyudm_pingreq.txt", "9plus2018_chatmsg_2.txt", "douyudm_uenter.txt", "douyudm_dgb.txt", "douyudm_mrkl.txt"} {
		b := fixture(t, n)
		stream = AppendPacket(stream, TypeServer, b)
		want = append(want, string(b))
	}
	for cut := 0; cut <= len(stream); cut++ {
		for _, step := range []int{1, 7, 1400} {
			if step == 1 && cut%97 != 0 {
				continue // byte by byte from a sample of starting cuts
			}
			var s Splitter
			var got []string
			feed := func(p []byte) {
				s.Write(p)
				_, b, err := splitAll(t, &s)
				if err != nil {
					t.Fatalf("cut %d: %v", cut, err)
				}
				got = append(got, b...)
			}
			feed(stream[:cut])
			for rest := stream[cut:]; len(rest) > 0; {
				n := min(step, len(rest))
				feed(rest[:n])
				rest = rest[n:]
			}
			if len(got) != len(want) {
				t.Fatalf("cut %d step %d: %d packets", cut, step, len(got))
			}
			for i := range got {
				if got[i] != want[i] {
					t.Fatalf("cut %d step %d: packet %d differs", cut, step, i)
				}
			}
			if s.Buffered() != 0 {
				t.Fatalf("cut %d: %d left over", cut, s.Buffered())
			}
		}
	}
}

func TestSplitterFill(t *testing.T) {
	var stream []byte
	for range 50 {
		stream = AppendPacket(stream, TypeServer, fixture(t, "douyudm_ranklist.txt"))
	}
	r := bytes.NewReader(stream)
	var s Splitter
	n := 0
	for {
		_, err := s.Fill(r)
		_, b, perr := splitAll(t, &s)
		if perr != nil {
			t.Fatal(perr)
		}
		n += len(b)
		if err != nil {
			break
		}
	}
	if n != 50 {
		t.Errorf("%d packets", n)
	}
}

func header(n1, n2 uint32, typ uint16) []byte {
	b := binary.LittleEndian.AppendUint32(nil, n1)
	b = binary.LittleEndian.AppendUint32(b, n2)
	b = binary.LittleEndian.AppendUint16(b, typ)
	return append(b, 0, 0)
}

func TestSplitterErrors(t *testing.T) {
	big := append(header(1<<20+9, 1<<20+9, TypeServer), make([]byte, 1<<20+1)...)
	noNUL := append(header(9+4, 9+4, TypeServer), "abcdX"...)
	tests := []struct {
		name string
		in   []byte
		want error
	}{
		{"lengths disagree", header(20, 21, TypeServer), ErrLengthMismatch},
		{"too short", header(8, 8, TypeServer), ErrTooShort},
		{"zero", header(0, 0, TypeServer), ErrTooShort},
		{"beyond cap", header(DefaultMaxLen+1, DefaultMaxLen+1, TypeServer), ErrTooLong},
		{"1 MB body", big, ErrTooLong},
		{"missing NUL", noNUL, ErrMissingNUL},
		{"bad type", header(9, 9, 1234), ErrBadType},
		{"client type to client", header(9, 9, TypeClient), ErrBadType},
	}
	for _, tt := range tests {
		s := Splitter{Type: TypeServer}
		s.Write(tt.in)
		_, _, err := s.Next()
		if !errors.Is(err, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
		}
		if Reason(err) == "" {
			t.Errorf("%s: no reason", tt.name)
		}
		// Sticky until Reset, and the 1 MB body is never buffered whole
		// before failing (the header alone is enough).
		s.Write(AppendPacket(nil, TypeServer, []byte("type@=mrkl/")))
		if _, _, err2 := s.Next(); !errors.Is(err2, tt.want) {
			t.Errorf("%s: not sticky: %v", tt.name, err2)
		}
		s.Reset()
		s.Write(AppendPacket(nil, TypeServer, []byte("type@=mrkl/")))
		if p, ok, err := s.Next(); err != nil || !ok || string(p.Body) != "type@=mrkl/" {
			t.Errorf("%s: after reset: %v %v", tt.name, ok, err)
		}
	}
	// The cap is checked on the header alone.
	var s Splitter
	s.Write(header(1<<20, 1<<20, TypeServer))
	if _, _, err := s.Next(); !errors.Is(err, ErrTooLong) {
		t.Errorf("header only: %v", err)
	}
	s = Splitter{Max: 100}
	s.Write(AppendPacket(nil, TypeServer, make([]byte, 92)))
	if _, _, err := s.Next(); !errors.Is(err, ErrTooLong) {
		t.Errorf("custom cap: %v", err)
	}
}
