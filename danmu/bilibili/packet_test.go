package bilibili_test

import (
	"bytes"
	"compress/zlib"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/andybalholm/brotli"

	"github.com/cattease/cattease/danmu"
	"github.com/cattease/cattease/danmu/bilibili"
	"github.com/cattease/cattease/danmu/bilibili/bilibilitest"
)

// collect decodes frame and returns copies of its packets.
func collect(d *bilibili.FrameDecoder, frame []byte) ([]bilibili.Packet, error) {
	var ps []bilibili.Packet
	err := d.Decode(frame, func(p bilibili.Packet) error {
		p.Body = bytes.Clone(p.Body)
		ps = append(ps, p)
		return nil
	})
	return ps, err
}

func TestFrameFixtures(t *testing.T) {
	tests := []struct {
		file     string
		ver      uint16
		op       uint32
		contains string
	}{
		{"frame_auth_op7.hex", bilibili.VerRaw, bilibili.OpAuth, `"roomid":22608112,"protover":3`},
		{"frame_auth_reply_op8.hex", bilibili.VerRaw, bilibili.OpAuthReply, `{"code":0}`},
		{"frame_heartbeat_op2.hex", bilibili.VerRaw, bilibili.OpHeartbeat, "[object Object]"},
		{"frame_brotli_watched_change.hex", bilibili.VerJSON, bilibili.OpMessage, `"cmd":"WATCHED_CHANGE"`},
		{"frame_brotli_interact_word_2021.hex", bilibili.VerJSON, bilibili.OpMessage, `"uname":"bili_38875013372"`},
	}
	var d bilibili.FrameDecoder
	for _, tt := range tests {
		ps, err := collect(&d, fixture(t, tt.file))
		if err != nil || len(ps) != 1 {
			t.Fatalf("%s: %d packets, %v", tt.file, len(ps), err)
		}
		if p := ps[0]; p.Ver != tt.ver || p.Op != tt.op || !bytes.Contains(p.Body, []byte(tt.contains)) {
			t.Errorf("%s: ver %d op %d body %q", tt.file, p.Ver, p.Op, p.Body)
		}
	}

	// The 2021 brotli capture is a real INTERACT_WORD: decode it to the end.
	ps, _ := collect(&d, fixture(t, "frame_brotli_interact_word_2021.hex"))
	ev, err := (&bilibili.Decoder{RoomID: 14047}).Decode(ps[0].Body)
	if err != nil || ev.Kind != danmu.KindEnter || ev.User.ID != "699932290" || ev.User.Name != "bili_38875013372" {
		t.Errorf("interact word 2021: %+v, %v", ev, err)
	}
}

// The op-3 reply's length counts the popularity only; the echoed heartbeat
// body after it must not be parsed as a packet.
func TestHeartbeatReplyQuirk(t *testing.T) {
	frame := fixture(t, "frame_heartbeat_reply_op3.hex")
	var d bilibili.FrameDecoder
	ps, err := collect(&d, frame)
	if err != nil || len(ps) != 1 {
		t.Fatalf("%d packets, %v", len(ps), err)
	}
	if pop, ok := ps[0].Popularity(); !ok || pop != 2466 {
		t.Errorf("popularity = %d, %v; want 2466", pop, ok)
	}
	if len(frame) != 35 {
		t.Fatalf("fixture is %d bytes, want 35 (20 counted + 15 echo)", len(frame))
	}
}

// A packet packed behind a heartbeat reply is read, not taken for the
// echo: a chat there used to be lost without a trace.
func TestHeartbeatReplyThenPackets(t *testing.T) {
	chat := bilibilitest.DanmuMsg(bilibilitest.Chat{Text: "左", UID: 1, Name: "a"})
	op3 := bilibili.AppendPacket(nil, bilibili.VerRaw, bilibili.OpHeartbeatReply, []byte{0, 0, 0, 1})
	tests := map[string]struct {
		after []byte
		want  int // packets visited, the op 3 included
	}{
		"plain chat":  {bilibili.AppendPacket(nil, bilibili.VerJSON, bilibili.OpMessage, chat), 2},
		"brotli":      {bilibilitest.BrotliFrame(chat, chat), 3},
		"zlib":        {bilibilitest.ZlibFrame(chat), 2},
		"another op3": {append(bytes.Clone(op3), bilibili.AppendPacket(nil, bilibili.VerJSON, bilibili.OpMessage, chat)...), 3},
	}
	var d bilibili.FrameDecoder
	for name, tt := range tests {
		ps, err := collect(&d, append(bytes.Clone(op3), tt.after...))
		if err != nil || len(ps) != tt.want {
			t.Errorf("%s: %d packets, %v; want %d", name, len(ps), err, tt.want)
			continue
		}
		if last := ps[len(ps)-1]; last.Op != bilibili.OpMessage || !bytes.Equal(last.Body, chat) {
			t.Errorf("%s: last packet op %d %q", name, last.Op, last.Body)
		}
	}
}

// End to end: the chat behind a heartbeat reply reaches the engine, and
// nothing is counted as dropped.
func TestSourceChatAfterHeartbeatReply(t *testing.T) {
	srv := bilibilitest.NewServer(bilibilitest.Config{})
	defer srv.Close()
	var c danmu.Counters
	out, _ := start(t, fastSource(srv, &c))
	frame := bilibili.AppendPacket(nil, bilibili.VerRaw, bilibili.OpHeartbeatReply, []byte{0, 0, 0, 1})
	frame = bilibili.AppendPacket(frame, bilibili.VerJSON, bilibili.OpMessage,
		bilibilitest.DanmuMsg(bilibilitest.Chat{Text: "左", UID: 1, Name: "a"}))
	srv.SendFrame(frame)
	if ev := next(t, out); ev.Kind != danmu.KindChat || ev.Text != "左" {
		t.Fatalf("event %+v", ev)
	}
	for _, name := range c.Names() {
		if strings.HasPrefix(name, "decode_error:") {
			t.Errorf("%s = %d", name, c.Get(name))
		}
	}
}

// What follows an op 3 is the echo when it is shorter than a header, and
// skipped; 16 bytes or more that are not a packet fail the frame as
// heartbeat_trailer, after the op 3 was visited.
func TestHeartbeatReplyTrailer(t *testing.T) {
	op3 := bilibili.AppendPacket(nil, bilibili.VerRaw, bilibili.OpHeartbeatReply, []byte{0, 0, 0, 1})
	chat := bilibili.AppendPacket(nil, bilibili.VerJSON, bilibili.OpMessage, []byte(`{"cmd":"X"}`))
	unknownOp := bytes.Clone(chat)
	unknownOp[11] = 99
	unknownVer := bytes.Clone(chat)
	unknownVer[7] = 9
	hlen20 := bilibili.AppendPacket(nil, bilibili.VerJSON, bilibili.OpMessage, []byte(`{"cmd":"X"}`))
	hlen20[5] = 20
	tests := map[string]struct {
		after  []byte
		reason string // "" = skipped as the echo
	}{
		"no echo":             {nil, ""},
		"web player's echo":   {[]byte("[object Object]"), ""},
		"15 bytes of garbage": {bytes.Repeat([]byte{0xff}, 15), ""},
		"16 bytes of garbage": {bytes.Repeat([]byte{0xff}, 16), bilibili.ReasonHeartbeatTrailer},
		"echo then a packet":  {append([]byte("[object Object]"), chat...), bilibili.ReasonHeartbeatTrailer},
		"unknown operation":   {unknownOp, bilibili.ReasonHeartbeatTrailer},
		"unknown version":     {unknownVer, bilibili.ReasonHeartbeatTrailer},
		"header length 20":    {hlen20, bilibili.ReasonHeartbeatTrailer},
		"packet cut short":    {chat[:len(chat)-1], bilibili.ReasonHeartbeatTrailer},
	}
	var d bilibili.FrameDecoder
	for name, tt := range tests {
		ps, err := collect(&d, append(bytes.Clone(op3), tt.after...))
		if len(ps) != 1 || ps[0].Op != bilibili.OpHeartbeatReply {
			t.Errorf("%s: %d packets, want the op 3 alone", name, len(ps))
		}
		var de *bilibili.DecodeError
		switch {
		case tt.reason == "" && err != nil:
			t.Errorf("%s: %v, want the echo skipped", name, err)
		case tt.reason != "" && (!errors.As(err, &de) || de.Reason != tt.reason):
			t.Errorf("%s: err = %v, want reason %s", name, err, tt.reason)
		}
	}
}

func TestMultiPacketFrames(t *testing.T) {
	a := bilibilitest.DanmuMsg(bilibilitest.Chat{Text: "左", UID: 1, Name: "a"})
	b := bilibilitest.DanmuMsg(bilibilitest.Chat{Text: "右", UID: 2, Name: "b"})
	// An auth reply sharing a frame with a plain command and a brotli batch.
	frame := bilibilitest.Frame(bilibili.VerRaw, bilibili.OpAuthReply, []byte(`{"code":0}`))
	frame = append(frame, bilibilitest.Frame(bilibili.VerJSON, bilibili.OpMessage, a)...)
	frame = append(frame, bilibilitest.BrotliFrame(a, b)...)
	frame = append(frame, bilibilitest.ZlibFrame(b)...)
	var d bilibili.FrameDecoder
	ps, err := collect(&d, frame)
	if err != nil {
		t.Fatal(err)
	}
	var ops []uint32
	var bodies []string
	for _, p := range ps {
		ops = append(ops, p.Op)
		if p.Op == bilibili.OpMessage {
			bodies = append(bodies, string(p.Body))
		}
	}
	want := []string{string(a), string(a), string(b), string(b)}
	if len(ops) != 5 || ops[0] != bilibili.OpAuthReply || strings.Join(bodies, "|") != strings.Join(want, "|") {
		t.Errorf("ops %v bodies %d", ops, len(bodies))
	}
}

var (
	bombOnce sync.Once
	bomb     []byte
)

// brotliBomb is a 16 MiB run of zeros compressed to a few bytes, wrapped as
// an op-5 packet.
func brotliBomb() []byte {
	bombOnce.Do(func() {
		var z bytes.Buffer
		w := brotli.NewWriterLevel(&z, 1)
		_, _ = w.Write(make([]byte, 16<<20))
		_ = w.Close()
		bomb = bilibilitest.Frame(bilibili.VerBrotli, bilibili.OpMessage, z.Bytes())
	})
	return bomb
}

func compress(ver uint16, inner []byte) []byte {
	var z bytes.Buffer
	if ver == bilibili.VerZlib {
		w := zlib.NewWriter(&z)
		_, _ = w.Write(inner)
		_ = w.Close()
	} else {
		w := brotli.NewWriter(&z)
		_, _ = w.Write(inner)
		_ = w.Close()
	}
	return bilibilitest.Frame(ver, bilibili.OpMessage, z.Bytes())
}

// badFrames are hostile or broken frames and the reason each must be
// rejected with.
func badFrames() map[string]struct {
	frame  []byte
	reason string
} {
	ok := bilibilitest.Frame(0, bilibili.OpMessage, []byte(`{"cmd":"X"}`))
	header := func(plen uint32, hlen uint16) []byte {
		f := bytes.Clone(ok)
		f[0], f[1], f[2], f[3] = byte(plen>>24), byte(plen>>16), byte(plen>>8), byte(plen)
		f[4], f[5] = byte(hlen>>8), byte(hlen)
		return f
	}
	return map[string]struct {
		frame  []byte
		reason string
	}{
		"empty":               {nil, bilibili.ReasonShortHeader},
		"truncated header":    {ok[:10], bilibili.ReasonShortHeader},
		"length 0":            {header(0, 16), bilibili.ReasonBadLength},
		"length below header": {header(12, 16), bilibili.ReasonBadLength},
		"length past frame":   {header(uint32(len(ok)+1), 16), bilibili.ReasonBadLength},
		"length beyond cap":   {header(1<<31, 16), bilibili.ReasonTooLarge},
		"header length 0":     {header(uint32(len(ok)), 0), bilibili.ReasonBadHeaderLength},
		"header past packet":  {header(uint32(len(ok)), 200), bilibili.ReasonBadHeaderLength},
		"trailing bytes":      {append(bytes.Clone(ok), 1, 2, 3), bilibili.ReasonShortHeader},
		"corrupt brotli":      {bilibilitest.Frame(bilibili.VerBrotli, bilibili.OpMessage, []byte("not brotli at all")), bilibili.ReasonBrotli},
		"corrupt zlib":        {bilibilitest.Frame(bilibili.VerZlib, bilibili.OpMessage, []byte("not zlib")), bilibili.ReasonZlib},
		"brotli bomb":         {brotliBomb(), bilibili.ReasonDecompressedLarge},
		"nested compression":  {compress(bilibili.VerBrotli, compress(bilibili.VerZlib, ok)), bilibili.ReasonNestedCompression},
		"garbage inside":      {compress(bilibili.VerZlib, []byte("garbage")), bilibili.ReasonShortHeader},
		"garbage after op 3": {append(bilibilitest.Frame(bilibili.VerRaw, bilibili.OpHeartbeatReply, []byte{0, 0, 0, 1}),
			bytes.Repeat([]byte("not an echo "), 3)...), bilibili.ReasonHeartbeatTrailer},
	}
}

func TestBadFrames(t *testing.T) {
	var d bilibili.FrameDecoder
	for name, tt := range badFrames() {
		_, err := collect(&d, tt.frame)
		var de *bilibili.DecodeError
		if !errors.As(err, &de) || de.Reason != tt.reason {
			t.Errorf("%s: err = %v, want reason %s", name, err, tt.reason)
		}
	}
	// The decoder is still good after every kind of failure.
	ps, err := collect(&d, fixture(t, "frame_brotli_watched_change.hex"))
	if err != nil || len(ps) != 1 {
		t.Errorf("after bad frames: %d packets, %v", len(ps), err)
	}
}

func TestAppendPacketRoundTrip(t *testing.T) {
	body := []byte(`{"uid":0}`)
	frame := bilibili.AppendPacket(nil, bilibili.VerRaw, bilibili.OpAuth, body)
	if len(frame) != bilibili.HeaderLen+len(body) {
		t.Fatalf("len %d", len(frame))
	}
	var d bilibili.FrameDecoder
	ps, err := collect(&d, frame)
	if err != nil || len(ps) != 1 || ps[0].Op != bilibili.OpAuth || ps[0].Ver != bilibili.VerRaw || ps[0].Seq != 1 || !bytes.Equal(ps[0].Body, body) {
		t.Errorf("round trip: %+v, %v", ps, err)
	}
}
