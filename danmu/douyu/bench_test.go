package douyu

import (
	"io"
	"testing"
	"time"

	"github.com/cattease/cattease/danmu/replay"
)

// realisticMix is a stream shaped like a busy room: mostly chat, then
// entries and gifts, then the odd ranking or heartbeat (one big ranklist).
func realisticMix(b *testing.B) [][]byte {
	b.Helper()
	var bodies [][]byte
	add := func(n int, names ...string) {
		for range n {
			for _, name := range names {
				bodies = append(bodies, fixture(b, name))
			}
		}
	}
	add(12, "douyudm_chatmsg.txt", "ordinaryroad_chatmsg.txt", "recru1t2020_chatmsg_1.txt",
		"recru1t2020_chatmsg_2.txt", "recru1t2020_chatmsg_3.txt") // 60
	add(8, "douyudm_uenter.txt", "yanglw2016_uenter.txt")                   // 16
	add(4, "douyudm_dgb.txt", "9plus2018_dgb_1.txt", "9plus2018_dgb_3.txt") // 12
	add(1, "douyudm_ranklist.txt", "douyudm_frank.txt", "douyudm_noble_num_info.txt",
		"douyudm_rankup.txt", "douyudm_upgrade.txt", "douyudm_synexp.txt", "douyudm_mrkl.txt",
		"douyudm_pingreq.txt", "douyudm_spbc.txt", "douyudm_anbc.txt", "douyudm_blab.txt", "douyudm_rri.txt") // 12
	return bodies
}

func report(b *testing.B, msgs int) {
	b.ReportMetric(float64(msgs)/b.Elapsed().Seconds(), "msgs/s")
}

// BenchmarkDecode: one op = one STT body decoded (DecodeInto, reused
// fields), over the realistic mix.
func BenchmarkDecode(b *testing.B) {
	bodies := realisticMix(b)
	var size int64
	for _, body := range bodies {
		size += int64(len(body))
	}
	b.SetBytes(size / int64(len(bodies)))
	b.ReportAllocs()
	var m Message
	i := 0
	for b.Loop() {
		if err := DecodeInto(&m, bodies[i]); err != nil {
			b.Fatal(err)
		}
		if i++; i == len(bodies) {
			i = 0
		}
	}
	report(b, b.N)
}

// BenchmarkSplitter: one op = one packet cut from a stream fed in 1400-byte
// reads (a typical TCP segment), packets straddling reads included.
func BenchmarkSplitter(b *testing.B) {
	var stream []byte
	bodies := realisticMix(b)
	for _, body := range bodies {
		stream = AppendPacket(stream, TypeServer, body)
	}
	b.SetBytes(int64(len(stream) / len(bodies)))
	b.ReportAllocs()
	s := Splitter{Type: TypeServer}
	n := 0
	for b.Loop() {
		for {
			_, ok, err := s.Next()
			if err != nil {
				b.Fatal(err)
			}
			if ok {
				break
			}
			if len(stream) == 0 {
				b.Fatal("stream exhausted")
			}
			off := n % len(stream)
			end := min(off+1400, len(stream))
			s.Write(stream[off:end])
			n += end - off
			if end == len(stream) {
				n = 0
			}
		}
	}
	report(b, b.N)
}

// BenchmarkPipeline: one op = splitter + STT decode + Event decoding for
// one packet, the source's whole per-message cost short of the channel.
func BenchmarkPipeline(b *testing.B) {
	var stream []byte
	bodies := realisticMix(b)
	for _, body := range bodies {
		stream = AppendPacket(stream, TypeServer, body)
	}
	b.SetBytes(int64(len(stream) / len(bodies)))
	b.ReportAllocs()
	now := time.Now()
	d := &Decoder{Room: "5189167", Now: func() time.Time { return now }}
	var s Splitter
	var m Message
	off := 0
	for b.Loop() {
		for {
			p, ok, err := s.Next()
			if err != nil {
				b.Fatal(err)
			}
			if ok {
				if err := DecodeInto(&m, p.Body); err != nil {
					b.Fatal(err)
				}
				d.Decode(m)
				break
			}
			end := min(off+1400, len(stream))
			s.Write(stream[off:end])
			if off = end; off == len(stream) {
				off = 0
			}
		}
	}
	report(b, b.N)
}

// pipelineStream is realisticMix as one stream of packets.
func pipelineStream(b *testing.B) (stream []byte, msgs int) {
	bodies := realisticMix(b)
	for _, body := range bodies {
		stream = AppendPacket(stream, TypeServer, body)
	}
	return stream, len(bodies)
}

// runStream cuts n packets from stream in 1400-byte reads and hands each
// body to visit; it returns the process CPU time per packet.
func runStream(b *testing.B, stream []byte, n int, visit func([]byte)) float64 {
	var s Splitter
	off := 0
	cpu0 := cpuTime()
	for range n {
		for {
			p, ok, err := s.Next()
			if err != nil {
				b.Fatal(err)
			}
			if ok {
				visit(p.Body)
				break
			}
			end := min(off+1400, len(stream))
			s.Write(stream[off:end])
			if off = end; off == len(stream) {
				off = 0
			}
		}
	}
	return float64((cpuTime() - cpu0).Nanoseconds()) / float64(n)
}

// BenchmarkRecordPipeline: one op = 10,000 messages; what `run --douyu --record` spends per message
// short of the channel and the file: splitter, STT decode, Event, and the
// --record line. x-floor is its CPU time over the floor's, a one-pass STT
// parse (splitter + DecodeInto) of the same stream, measured in the same
// process.
func BenchmarkRecordPipeline(b *testing.B) {
	stream, _ := pipelineStream(b)
	now := time.Now()
	d := &Decoder{Room: "5189167", Now: func() time.Time { return now }}
	w := replay.NewWriter(io.Discard)
	var m Message
	full := func(body []byte) {
		if err := DecodeInto(&m, body); err != nil {
			b.Fatal(err)
		}
		if ev, ok := d.Decode(m); ok {
			if err := w.Write(ev); err != nil {
				b.Fatal(err)
			}
		}
	}
	floor := func(body []byte) {
		if err := DecodeInto(&m, body); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	const perOp = 10_000 // messages
	var perMsg float64
	ops := 0
	for b.Loop() {
		perMsg += runStream(b, stream, perOp, full)
		ops++
	}
	b.StopTimer()
	perMsg /= float64(ops)
	floorPerMsg := runStream(b, stream, perOp*min(ops, 20), floor)
	b.ReportMetric(perMsg, "cpu-ns/msg")
	b.ReportMetric(floorPerMsg, "floor-cpu-ns/msg")
	b.ReportMetric(perMsg/floorPerMsg, "x-floor")
}
