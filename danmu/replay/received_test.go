package replay

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/cattease/cattease/danmu"
)

// randomReceived is zero (not written) or a time near ev's, in any zone.
func randomReceived(r *rand.Rand, ev danmu.Event) time.Time {
	switch r.IntN(4) {
	case 0:
		return time.Time{}
	case 1:
		return ev.Time.Add(time.Duration(r.Int64N(3e9)))
	case 2:
		return ev.Time.Add(time.Duration(r.Int64N(3e9))).In(time.FixedZone("CST", 8*3600))
	}
	return time.Date(1990+r.IntN(60), 1, 1, 0, 0, r.IntN(86400), r.IntN(1e9), time.Local)
}

// The --record line with the receive time is byte for byte encoding/json's
// of a Record, as the line without it is of a danmu.Event.
func TestAppendRecordMatchesEncodingJSON(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	var want, buffered, lines bytes.Buffer
	bw, lw := NewWriter(&buffered), NewLineWriter(&lines)
	for i := range 20_000 {
		ev := randomEvent(r)
		rec := Record{Event: ev, Received: randomReceived(r, ev)}
		if i == 0 {
			rec.Received = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) // one encoding/json refuses
		}
		wantLine, werr := encodingJSON(rec)
		got, err := AppendRecord([]byte("prefix"), ev, rec.Received)
		if (err != nil) != (werr != nil) {
			t.Fatalf("%+v: error %v, encoding/json %v", rec, err, werr)
		}
		if err != nil {
			if string(got) != "prefix" {
				t.Fatalf("a failed record left %q", got)
			}
			continue
		}
		if string(got) != "prefix"+string(wantLine) {
			t.Fatalf("%+v:\n got %s\nwant %s", rec, got[6:], wantLine)
		}
		want.Write(wantLine)
		if err := bw.WriteReceived(ev, rec.Received); err != nil {
			t.Fatal(err)
		}
		if err := lw.WriteReceived(ev, rec.Received); err != nil {
			t.Fatal(err)
		}
	}
	if err := bw.Flush(); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buffered.Bytes(), want.Bytes()) || !bytes.Equal(lines.Bytes(), want.Bytes()) {
		t.Fatal("writers differ from encoding/json")
	}
}

// Records as the recorder writes them read back, receive time included,
// through the template reader (the fast one); lines without one read as
// not received.
func TestDecoderReadsReceived(t *testing.T) {
	at := time.Date(2026, 11, 22, 20, 0, 0, 0, time.FixedZone("CST", 8*3600))
	var in bytes.Buffer
	w := NewWriter(&in)
	var want []time.Time
	for i := range 1000 {
		ev := danmu.Event{Platform: "bilibili", Room: "1", Kind: danmu.KindChat, ID: "x",
			Time: at.Truncate(time.Second).Add(time.Duration(i/10) * time.Second), Text: "左"}
		received := at.Add(time.Duration(i) * 1234567 * time.Nanosecond)
		if i%100 == 99 {
			received = time.Time{} // an older line
		}
		if err := w.WriteReceived(ev, received); err != nil {
			t.Fatal(err)
		}
		want = append(want, received)
	}
	w.Flush()
	var p lineParser
	for i, line := range bytes.Split(bytes.TrimSpace(in.Bytes()), []byte("\n")) {
		var ev danmu.Event
		if !p.template(line, &ev) || !p.received.Equal(want[i]) {
			t.Fatalf("line %d: template reader: received %v, want %v: %s", i+1, p.received, want[i], line)
		}
	}
	d := NewDecoder(&in)
	for i := 0; ; i++ {
		_, err := d.Next()
		if errors.Is(err, io.EOF) {
			if i != len(want) {
				t.Fatalf("%d events", i)
			}
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if !d.Received().Equal(want[i]) {
			t.Fatalf("event %d: received %v, want %v", i+1, d.Received(), want[i])
		}
	}
}

func BenchmarkWriteReceived(b *testing.B) {
	w := NewWriter(discard{})
	ev := danmu.Event{Platform: "bilibili", Room: "21144080", Kind: danmu.KindChat, ID: "1700000000123",
		Time: time.Date(2026, 11, 22, 10, 0, 0, 123e6, time.UTC),
		User: danmu.User{ID: "123", Name: "猫奴", Role: danmu.RoleViewer}, Text: "左3"}
	b.ReportAllocs()
	for b.Loop() {
		_ = w.WriteReceived(ev, time.Now())
	}
}
