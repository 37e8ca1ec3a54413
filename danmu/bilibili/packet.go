package bilibili

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"io"

	"github.com/andybalholm/brotli"
)

// HeaderLen is the length of the packet header every client sends and
// every captured server packet carries. Incoming packets are sliced by the
// header-length field they carry, which may not be smaller than this.
const HeaderLen = 16

// Protocol versions: header bytes 6–7, the format of the body.
const (
	VerJSON   uint16 = 0 // one JSON command
	VerRaw    uint16 = 1 // auth, auth reply, heartbeat, heartbeat reply
	VerZlib   uint16 = 2 // zlib stream holding one or more whole packets
	VerBrotli uint16 = 3 // brotli stream holding one or more whole packets
)

// Operations: header bytes 8–11.
const (
	OpHeartbeat      uint32 = 2 // client → server, every 30 s
	OpHeartbeatReply uint32 = 3 // u32 popularity, then an echo the length omits
	OpMessage        uint32 = 5 // JSON command(s), possibly compressed
	OpAuth           uint32 = 7 // client → server, first packet, JSON body
	OpAuthReply      uint32 = 8 // {"code":0}
)

// Default caps. A packet or decompressed body beyond them is an error, not
// an allocation: the largest real command seen is ~4 KB.
const (
	DefaultMaxPacket       = 2 << 20 // one packet, header included
	DefaultMaxDecompressed = 8 << 20 // all packets inflated from one compressed packet
)

// A Packet is one decoded packet. Body aliases the frame or the
// FrameDecoder's buffer and is valid only until the visit callback returns.
type Packet struct {
	Ver  uint16
	Op   uint32
	Seq  uint32
	Body []byte
}

// Popularity returns the u32 that starts a heartbeat reply, and false for
// any other packet or a short body. Bilibili no longer updates it.
func (p Packet) Popularity() (uint32, bool) {
	if p.Op != OpHeartbeatReply || len(p.Body) < 4 {
		return 0, false
	}
	return binary.BigEndian.Uint32(p.Body), true
}

// The reasons a frame or body fails to decode. Each becomes the counter
// decode_error:<reason>, so the set is fixed and never taken from the wire.
const (
	ReasonShortHeader       = "short_header"       // fewer than 16 bytes where a header must be
	ReasonBadLength         = "bad_length"         // packet length 0, below the header, or past the frame
	ReasonBadHeaderLength   = "bad_header_length"  // header-length field below 16 or past the packet
	ReasonTooLarge          = "too_large"          // packet length beyond MaxPacket
	ReasonZlib              = "zlib"               // corrupt zlib body
	ReasonBrotli            = "brotli"             // corrupt brotli body
	ReasonDecompressedLarge = "decompressed_large" // inflated beyond MaxDecompressed (a bomb)
	ReasonNestedCompression = "nested_compression" // a compressed packet inside a compressed one
	ReasonFrameTooLarge     = "frame_too_large"    // WebSocket message beyond the read limit
	ReasonInvalidJSON       = "invalid_json"       // body is not JSON
	ReasonBadField          = "bad_field"          // JSON of the wrong shape or type for its cmd
	ReasonNoCmd             = "no_cmd"             // JSON without a cmd
	ReasonTextTooLong       = "text_too_long"      // chat or super chat text beyond MaxText
	ReasonBadProtobuf       = "bad_protobuf"       // data.pb not base64 or not protobuf
	ReasonBadAuthReply      = "bad_auth_reply"     // op 8 body not {"code":N}
	ReasonHeartbeatTrailer  = "heartbeat_trailer"  // 16 bytes or more after an op 3 that are not a packet
)

// A DecodeError is hostile or broken input. It is counted as
// decode_error:<Reason>; the connection carries on with the next frame.
type DecodeError struct {
	Reason string
	Err    error // underlying cause, if any
}

func (e *DecodeError) Error() string {
	if e.Err != nil {
		return "bilibili: decode: " + e.Reason + ": " + e.Err.Error()
	}
	return "bilibili: decode: " + e.Reason
}

func (e *DecodeError) Unwrap() error { return e.Err }

func decodeErr(reason string, err error) error { return &DecodeError{Reason: reason, Err: err} }

// AppendPacket appends one packet (header with sequence 1, then body) to
// dst, as every known client builds them.
func AppendPacket(dst []byte, ver uint16, op uint32, body []byte) []byte {
	var h [HeaderLen]byte
	binary.BigEndian.PutUint32(h[0:], uint32(HeaderLen+len(body)))
	binary.BigEndian.PutUint16(h[4:], HeaderLen)
	binary.BigEndian.PutUint16(h[6:], ver)
	binary.BigEndian.PutUint32(h[8:], op)
	binary.BigEndian.PutUint32(h[12:], 1)
	return append(append(dst, h[:]...), body...)
}

// A FrameDecoder splits WebSocket frames into packets, inflating zlib and
// brotli bodies. It keeps its buffers between frames, so one decoder per
// connection allocates almost nothing in steady state. The zero value uses
// the default caps. Not safe for concurrent use.
type FrameDecoder struct {
	MaxPacket       int // 0 = DefaultMaxPacket
	MaxDecompressed int // 0 = DefaultMaxDecompressed

	buf bytes.Buffer
	src bytes.Reader
	br  *brotli.Reader
	zr  io.ReadCloser
}

// Decode calls visit for every packet in frame, in order, descending into
// compressed bodies (one level: compressed packets hold plain ones).
//
// A heartbeat reply (op 3) is followed by an echo of the client's
// heartbeat body that its length field does not count (it counts only the
// 4-byte popularity). What follows an op 3 is therefore read as packets
// only when it starts with a whole, plausible one (see packetAhead); else
// it is the echo and skipped. Every known client's heartbeat body is
// shorter than a header (cattease's is empty, the web player's
// "[object Object]" 15 bytes), so a remainder of 16 bytes or more that is
// not a packet is no echo: the frame then fails with
// ReasonHeartbeatTrailer, after the packets before it were visited.
//
// Decode stops at the first malformed packet and returns a *DecodeError;
// packets before it have already been visited. An error from visit is
// returned as is.
func (d *FrameDecoder) Decode(frame []byte, visit func(Packet) error) error {
	return d.walk(frame, true, visit)
}

func (d *FrameDecoder) maxPacket() int {
	if d.MaxPacket > 0 {
		return d.MaxPacket
	}
	return DefaultMaxPacket
}

func (d *FrameDecoder) maxDecompressed() int {
	if d.MaxDecompressed > 0 {
		return d.MaxDecompressed
	}
	return DefaultMaxDecompressed
}

func (d *FrameDecoder) walk(b []byte, outer bool, visit func(Packet) error) error {
	if len(b) == 0 {
		return decodeErr(ReasonShortHeader, nil)
	}
	for len(b) > 0 {
		if len(b) < HeaderLen {
			return decodeErr(ReasonShortHeader, nil)
		}
		plen := binary.BigEndian.Uint32(b[0:])
		hlen := binary.BigEndian.Uint16(b[4:])
		p := Packet{
			Ver: binary.BigEndian.Uint16(b[6:]),
			Op:  binary.BigEndian.Uint32(b[8:]),
			Seq: binary.BigEndian.Uint32(b[12:]),
		}
		switch {
		case uint64(plen) > uint64(d.maxPacket()):
			return decodeErr(ReasonTooLarge, nil)
		case plen < HeaderLen || uint64(plen) > uint64(len(b)):
			return decodeErr(ReasonBadLength, nil)
		case hlen < HeaderLen || uint32(hlen) > plen:
			return decodeErr(ReasonBadHeaderLength, nil)
		}
		p.Body = b[hlen:plen]
		b = b[plen:]

		if p.Op == OpMessage && (p.Ver == VerZlib || p.Ver == VerBrotli) {
			if !outer {
				return decodeErr(ReasonNestedCompression, nil)
			}
			inner, err := d.inflate(p.Ver, p.Body)
			if err != nil {
				return err
			}
			if err := d.walk(inner, false, visit); err != nil {
				return err
			}
			continue
		}
		if err := visit(p); err != nil {
			return err
		}
		if p.Op == OpHeartbeatReply && !packetAhead(b) {
			if len(b) >= HeaderLen {
				return decodeErr(ReasonHeartbeatTrailer, nil)
			}
			return nil // the unannounced echo
		}
	}
	return nil
}

// packetAhead reports whether b starts with a whole packet as servers
// build them: a 16-byte header of a known version and operation whose
// length lies within b. After an op 3 it tells a packet packed behind the
// reply from the echo of the client's heartbeat body.
func packetAhead(b []byte) bool {
	if len(b) < HeaderLen {
		return false
	}
	plen := binary.BigEndian.Uint32(b[0:])
	if plen < HeaderLen || uint64(plen) > uint64(len(b)) || binary.BigEndian.Uint16(b[4:]) != HeaderLen {
		return false
	}
	if binary.BigEndian.Uint16(b[6:]) > VerBrotli {
		return false
	}
	switch binary.BigEndian.Uint32(b[8:]) {
	case OpHeartbeat, OpHeartbeatReply, OpMessage, OpAuth, OpAuthReply:
		return true
	}
	return false
}

// inflate decompresses body into d.buf, refusing more than
// maxDecompressed bytes of output.
func (d *FrameDecoder) inflate(ver uint16, body []byte) ([]byte, error) {
	d.src.Reset(body)
	var r io.Reader
	reason := ReasonBrotli
	if ver == VerZlib {
		reason = ReasonZlib
		var err error
		if d.zr == nil {
			d.zr, err = zlib.NewReader(&d.src)
		} else {
			err = d.zr.(zlib.Resetter).Reset(&d.src, nil)
		}
		if err != nil {
			return nil, decodeErr(reason, err)
		}
		r = d.zr
	} else {
		if d.br == nil {
			d.br = brotli.NewReader(&d.src)
		} else {
			_ = d.br.Reset(&d.src) // documented to always return nil
		}
		r = d.br
	}

	limit := d.maxDecompressed()
	// Give back a buffer a past bomb attempt grew, so one hostile frame
	// does not pin megabytes for the connection's lifetime.
	if d.buf.Cap() > 1<<20 {
		d.buf = bytes.Buffer{}
	}
	d.buf.Reset()
	n, err := d.buf.ReadFrom(io.LimitReader(r, int64(limit)+1))
	if err != nil {
		return nil, decodeErr(reason, err)
	}
	if n > int64(limit) {
		return nil, decodeErr(ReasonDecompressedLarge, nil)
	}
	return d.buf.Bytes(), nil
}

// errorReason returns the counter reason of a *DecodeError anywhere in
// err's chain, or "".
func errorReason(err error) string {
	var de *DecodeError
	if errors.As(err, &de) {
		return de.Reason
	}
	return ""
}
