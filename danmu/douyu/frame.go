package douyu

import (
	"encoding/binary"
	"errors"
	"io"
)

// Framing (reference/douyu.md §1), identical on TCP and inside WebSocket
// binary messages:
//
//	offset size
//	0      4    len   u32 LE = total packet bytes − 4 (= body bytes + 9)
//	4      4    len2  u32 LE, must equal len
//	8      2    type  u16 LE: 689 client→server, 690 server→client
//	10     1    encrypt, 0
//	11     1    reserved, 0
//	12     n    body: UTF-8 STT
//	12+n   1    NUL
const (
	HeaderLen = 12

	TypeClient uint16 = 689
	TypeServer uint16 = 690

	// MinLen is the smallest valid length field: an empty body.
	MinLen = 9
	// DefaultMaxLen is the default cap on the length field (128 KiB). The
	// largest real body seen is 7.6 KB; 64 KiB WebSocket frames have been
	// enough for years in other clients.
	DefaultMaxLen = 128 << 10
)

// Framing errors. A Splitter that returns one is desynchronised for good:
// the connection must be dropped (scanning for the next header is not
// attempted: it could lock onto bytes inside a body).
var (
	ErrLengthMismatch = errors.New("douyu: frame: the two lengths disagree")
	ErrTooShort       = errors.New("douyu: frame: length below minimum")
	ErrTooLong        = errors.New("douyu: frame: length beyond cap")
	ErrBadType        = errors.New("douyu: frame: unexpected packet type")
	ErrMissingNUL     = errors.New("douyu: frame: body not NUL-terminated")
)

// Reason maps an error from this package to the fixed counter suffix used in
// "decode_error:<reason>"; "" for errors that are not decode errors.
func Reason(err error) string {
	switch {
	case errors.Is(err, ErrLengthMismatch):
		return "length_mismatch"
	case errors.Is(err, ErrTooShort):
		return "too_short"
	case errors.Is(err, ErrTooLong):
		return "too_long"
	case errors.Is(err, ErrBadType):
		return "bad_type"
	case errors.Is(err, ErrMissingNUL):
		return "missing_nul"
	case errors.Is(err, ErrBadEscape):
		return "bad_escape"
	case errors.Is(err, ErrInvalidUTF8):
		return "bad_utf8"
	}
	return ""
}

// AppendPacket appends one framed packet carrying body to dst.
func AppendPacket(dst []byte, typ uint16, body []byte) []byte {
	n := uint32(len(body) + MinLen)
	dst = binary.LittleEndian.AppendUint32(dst, n)
	dst = binary.LittleEndian.AppendUint32(dst, n)
	dst = binary.LittleEndian.AppendUint16(dst, typ)
	dst = append(dst, 0, 0)
	dst = append(dst, body...)
	return append(dst, 0)
}

// AppendMessage appends m, STT-encoded and framed, to dst.
func AppendMessage(dst []byte, typ uint16, m Message) []byte {
	start := len(dst)
	dst = append(dst, make([]byte, HeaderLen)...)
	dst = AppendEncode(dst, m)
	dst = append(dst, 0)
	n := uint32(len(dst) - start - 4)
	binary.LittleEndian.PutUint32(dst[start:], n)
	binary.LittleEndian.PutUint32(dst[start+4:], n)
	binary.LittleEndian.PutUint16(dst[start+8:], typ)
	return dst
}

// Packet is one framed packet. Body excludes the NUL and aliases the
// Splitter's buffer: it is valid until the next call to Write, Fill or
// Reset.
type Packet struct {
	Type uint16
	Body []byte
}

// Splitter cuts a byte stream into packets. Feed it whatever arrived (a TCP
// read, a WebSocket binary message, part of one) with Write or Fill, then
// call Next until it reports no complete packet. Several packets per read
// and packets split across reads are both handled; bytes are only copied
// when a packet straddles two reads.
//
// The zero value accepts packets of either type up to DefaultMaxLen.
type Splitter struct {
	// Max caps the length field; 0 means DefaultMaxLen. A header claiming
	// more fails at once, before any of the body is buffered.
	Max int
	// Type, if non-zero, is the only packet type accepted.
	Type uint16

	buf []byte
	off int // start of unconsumed data in buf
	err error
}

// Write appends p to the stream. It never fails; errors surface from Next.
func (s *Splitter) Write(p []byte) (int, error) {
	s.compact(len(p))
	s.buf = append(s.buf, p...)
	return len(p), nil
}

// Fill does one Read from r into the buffer and returns its result.
func (s *Splitter) Fill(r io.Reader) (int, error) {
	const minRead = 4096
	s.compact(minRead)
	if cap(s.buf)-len(s.buf) < minRead {
		nb := make([]byte, len(s.buf), 2*cap(s.buf)+minRead)
		copy(nb, s.buf)
		s.buf = nb
	}
	n, err := r.Read(s.buf[len(s.buf):cap(s.buf)])
	if n > 0 {
		s.buf = s.buf[:len(s.buf)+n]
	}
	return n, err
}

// compact drops consumed bytes before more are added.
func (s *Splitter) compact(need int) {
	if s.off == 0 {
		return
	}
	if s.off == len(s.buf) {
		s.buf, s.off = s.buf[:0], 0
		return
	}
	if cap(s.buf)-len(s.buf) < need || s.off > cap(s.buf)/2 {
		n := copy(s.buf, s.buf[s.off:])
		s.buf, s.off = s.buf[:n], 0
	}
}

// Buffered reports how many bytes are waiting for the rest of a packet.
func (s *Splitter) Buffered() int { return len(s.buf) - s.off }

// Reset discards buffered bytes and any error, for a new connection.
func (s *Splitter) Reset() {
	s.buf, s.off, s.err = s.buf[:0], 0, nil
}

// Next returns the next complete packet. ok is false when more bytes are
// needed. A framing error is returned again on every later call until
// Reset.
func (s *Splitter) Next() (p Packet, ok bool, err error) {
	if s.err != nil {
		return Packet{}, false, s.err
	}
	b := s.buf[s.off:]
	if len(b) < HeaderLen {
		return Packet{}, false, nil
	}
	n := binary.LittleEndian.Uint32(b)
	max := s.Max
	if max <= 0 {
		max = DefaultMaxLen
	}
	switch {
	case n != binary.LittleEndian.Uint32(b[4:]):
		s.err = ErrLengthMismatch
	case n < MinLen:
		s.err = ErrTooShort
	case uint64(n) > uint64(max):
		s.err = ErrTooLong
	}
	typ := binary.LittleEndian.Uint16(b[8:])
	if s.err == nil && (s.Type != 0 && typ != s.Type || typ != TypeServer && typ != TypeClient) {
		s.err = ErrBadType
	}
	if s.err != nil {
		return Packet{}, false, s.err
	}
	total := int(n) + 4
	if len(b) < total {
		return Packet{}, false, nil
	}
	if b[total-1] != 0 {
		s.err = ErrMissingNUL
		return Packet{}, false, s.err
	}
	s.off += total
	return Packet{Type: typ, Body: b[HeaderLen : total-1 : total-1]}, true, nil
}
