package douyu

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
)

// fuzzSeeds returns every .txt fixture body; a missing fixture directory
// fails the fuzz target instead of silently fuzzing from inline seeds only.
func fuzzSeeds(tb testing.TB) [][]byte {
	tb.Helper()
	var out [][]byte
	for _, n := range fixtureNames(tb, "*.txt") {
		out = append(out, fixture(tb, n))
	}
	return out
}

// hexSeeds returns every complete-packet .hex fixture, decoded.
func hexSeeds(tb testing.TB) [][]byte {
	tb.Helper()
	var out [][]byte
	for _, n := range fixtureNames(tb, "*.hex") {
		if strings.HasSuffix(n, ".body.hex") {
			continue
		}
		out = append(out, hexFixture(tb, n))
	}
	return out
}

var inlineSeeds = []string{
	"", "/", "//", "type@=mrkl/", "type@=loginreq/roomid@=9999", "a@=b@=c/", "a@", "@A@S@=/",
	"txt@=@AS@AA/", "el@=eid@AA=1@ASetp@AA=1@AS@S/", "x/y/", "\xff", "txt@=a\\/",
	"list@=1@A=total@AAA=6@AASnum@AAA=6@AAS@AS@S/",
}

// FuzzDecode: Decode never panics; whatever it accepts encodes back to the
// same bytes (when the input ends in "/", as server bodies do), decodes
// again to the same message, and survives every nested decode and the
// Event decoder.
func FuzzDecode(f *testing.F) {
	for _, b := range fuzzSeeds(f) {
		f.Add(b)
	}
	for _, s := range inlineSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		m, err := Decode(body)
		if err != nil {
			if Reason(err) == "" {
				t.Fatalf("error without reason: %v", err)
			}
			return
		}
		enc := Encode(m)
		if len(body) == 0 || body[len(body)-1] == '/' {
			if !bytes.Equal(enc, body) {
				t.Fatalf("round trip\n in  %q\n out %q", body, enc)
			}
		}
		m2, err := Decode(enc)
		if err != nil {
			t.Fatalf("re-decode %q: %v", enc, err)
		}
		if len(m.Fields) > 0 && !reflect.DeepEqual(m2, m) {
			t.Fatalf("re-decode differs: %+v vs %+v", m2, m)
		}
		for _, fl := range m.Fields {
			if n, err := DecodeNested(fl.Value); err == nil {
				_ = Encode(n)
			}
			_, _ = m.Nested(fl.Key)
		}
		d := &Decoder{Room: m.Get("rid"), KeepRobots: len(body)%2 == 0}
		d.Decode(m)
	})
}

// FuzzSplitter: any byte stream, cut into chunks of any size, gives the same
// packets as the whole stream at once, never panics, and never buffers more
// than one maximal packet plus one chunk.
func FuzzSplitter(f *testing.F) {
	var stream []byte
	for _, b := range fuzzSeeds(f) {
		p := AppendPacket(nil, TypeServer, b)
		f.Add(p, uint16(7))
		stream = append(stream, p...)
	}
	for _, h := range hexSeeds(f) {
		f.Add(h, uint16(13))
		f.Add(h, uint16(1400))
	}
	if len(stream) > 0 {
		f.Add(stream, uint16(1400))
	}
	f.Add([]byte("\x14\x00\x00\x00\x14\x00\x00\x00\xb2\x02\x00\x00type@=mrkl/\x00"), uint16(1))
	f.Add([]byte("\x14\x00\x00\x00\x15\x00\x00\x00\xb2\x02\x00\x00type@=mrkl/\x00"), uint16(3))
	f.Fuzz(func(t *testing.T, data []byte, chunk uint16) {
		const max = 4096
		whole := Splitter{Max: max}
		whole.Write(data)
		var want []string
		var wantErr error
		for {
			p, ok, err := whole.Next()
			if err != nil {
				wantErr = err
				break
			}
			if !ok {
				break
			}
			want = append(want, string(p.Body))
		}

		step := int(chunk)%2000 + 1
		s := Splitter{Max: max}
		var got []string
		var gotErr error
		d := &Decoder{Room: "9999", KeepRobots: true}
		var m Message
	feed:
		for rest := data; len(rest) > 0; {
			n := min(step, len(rest))
			s.Write(rest[:n])
			rest = rest[n:]
			if s.Buffered() > max+4+step {
				t.Fatalf("buffered %d", s.Buffered())
			}
			for {
				p, ok, err := s.Next()
				if err != nil {
					gotErr = err
					break feed
				}
				if !ok {
					break
				}
				got = append(got, string(p.Body))
				if DecodeInto(&m, p.Body) == nil {
					d.Decode(m)
				}
			}
		}
		if !reflect.DeepEqual(got, want) || (gotErr == nil) != (wantErr == nil) {
			t.Fatalf("chunked (%d) gave %d packets, err %v; whole gave %d, err %v", step, len(got), gotErr, len(want), wantErr)
		}
		if gotErr != nil && Reason(gotErr) == "" {
			t.Fatalf("error without reason: %v", gotErr)
		}
	})
}
