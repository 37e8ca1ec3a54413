package douyu

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// STT ("Serialize To Text") is Douyu's message body format: entries
// "key@=value/" in order, with "@" escaped as "@A" and "/" as "@S" inside
// keys and values. A structured value (a list or a dict) is itself STT text,
// escaped once more and embedded as a value, so every level of nesting adds
// one round of escaping. See reference/douyu.md §3.

// Errors returned by Decode. Each has a fixed counter name (see Reason).
var (
	// ErrBadEscape: an "@" not followed by "A" or "S" (or a second raw "@="
	// in one entry): text no correct encoder produces.
	ErrBadEscape = errors.New("douyu: stt: broken escape")
	// ErrInvalidUTF8: the body is not valid UTF-8.
	ErrInvalidUTF8 = errors.New("douyu: stt: invalid UTF-8")
	// ErrNotNested: Nested was asked for a field that is not known to hold
	// STT.
	ErrNotNested = errors.New("douyu: stt: field is not known to nest")
)

// Field is one entry of an STT message: "key@=value/", or, for a list
// item, just "value/" (Bare is then true and Key is empty).
//
// Key and Value are unescaped once: a nested value still carries its own
// escaping and is decoded only on request (Message.Nested, DecodeNested).
type Field struct {
	Key   string
	Value string
	Bare  bool
}

// Message is a decoded STT body: its fields in wire order. Duplicate keys
// are kept (real rri and qausrespond messages carry rid twice).
type Message struct {
	Fields []Field
}

// Msg builds a message from key/value pairs, in order: Msg("type",
// "loginreq", "roomid", "9999"). An odd trailing key gets an empty value.
func Msg(kv ...string) Message {
	m := Message{Fields: make([]Field, 0, (len(kv)+1)/2)}
	for i := 0; i < len(kv); i += 2 {
		f := Field{Key: kv[i]}
		if i+1 < len(kv) {
			f.Value = kv[i+1]
		}
		m.Fields = append(m.Fields, f)
	}
	return m
}

// Get returns the value of the first field named key, or "".
func (m Message) Get(key string) string {
	v, _ := m.Lookup(key)
	return v
}

// Lookup returns the value of the first field named key and whether it is
// present. Bare list items never match.
func (m Message) Lookup(key string) (string, bool) {
	for i := range m.Fields {
		if f := &m.Fields[i]; !f.Bare && f.Key == key {
			return f.Value, true
		}
	}
	return "", false
}

// All returns the values of every field named key, in order.
func (m Message) All(key string) []string {
	var vs []string
	for _, f := range m.Fields {
		if !f.Bare && f.Key == key {
			vs = append(vs, f.Value)
		}
	}
	return vs
}

// Type returns the message type: the value of the field named exactly
// "type", wherever it stands (it is not always first, and "btype" is a
// different field).
func (m Message) Type() string { return m.Get("type") }

// Items returns the values of the bare list items, in order.
func (m Message) Items() []string {
	var vs []string
	for _, f := range m.Fields {
		if f.Bare {
			vs = append(vs, f.Value)
		}
	}
	return vs
}

// String returns the encoded form.
func (m Message) String() string { return string(AppendEncode(nil, m)) }

// Nested decodes the value of the first field named key as STT, but only
// for fields known to hold STT for this message's type (IsNested); other
// fields return ErrNotNested, because after one unescape ordinary user text
// such as "a//b" or "x@=y" looks structured.
func (m Message) Nested(key string) (Message, error) {
	if !IsNested(m.Type(), key) {
		return Message{}, fmt.Errorf("%w: %q", ErrNotNested, key)
	}
	v, ok := m.Lookup(key)
	if !ok {
		return Message{}, nil
	}
	return DecodeNested(v)
}

// IsNested reports whether field key of a message of type typ is known to
// carry nested STT (a list or a dict). The list comes from real messages
// (fixtures) and the v1.6.2 protocol document; it is deliberately closed.
func IsNested(typ, key string) bool {
	switch key {
	case "el", "dfl":
		return true
	}
	switch typ {
	case "rri":
		return key == "ri"
	case "pdrinfo":
		return key == "list" || key == "total"
	case "mapkb":
		return key == "teams" || key == "members"
	case "bc_buy_deserve":
		return key == "sui"
	case "pandoraboxinfo":
		return key == "tasklist" || key == "room"
	case "nlkstatus":
		return key == "idb" || key == "rida"
	case "rquizisn":
		return key == "qril"
	case "comm_chatmsg":
		return key == "chatmsg"
	case "memberinfores":
		return key == "list" || key == "glist"
	case "frank", "ranklist", "noble_num_info", "msgrepeaterlist", "msgrepeaterproxylist":
		return strings.HasPrefix(key, "list")
	}
	return false
}

// DecodeNested decodes an already-unescaped value as STT. It is Decode
// applied to a value: a dict comes back as keyed fields, a list as bare
// items (each of which may in turn be passed to DecodeNested).
func DecodeNested(value string) (Message, error) {
	var m Message
	err := decodeString(&m, value)
	return m, err
}

// Decode decodes an STT body (without the trailing NUL). The body must be
// valid UTF-8 and correctly escaped. Strings in the result share memory with
// one private copy of body, never with body itself.
func Decode(body []byte) (Message, error) {
	var m Message
	err := DecodeInto(&m, body)
	return m, err
}

// DecodeInto is Decode reusing m.Fields' storage. On error m holds no
// fields.
func DecodeInto(m *Message, body []byte) error {
	m.Fields = m.Fields[:0]
	if !utf8.Valid(body) {
		return ErrInvalidUTF8
	}
	return decodeString(m, string(body))
}

// DecodeString is Decode for a string body.
func DecodeString(s string) (Message, error) {
	var m Message
	if !utf8.ValidString(s) {
		return m, ErrInvalidUTF8
	}
	err := decodeString(&m, s)
	return m, err
}

// decodeString splits s on raw "/", splits each item at its first raw "@="
// and unescapes key and value in one left-to-right pass. An empty segment
// after the final "/" is not an item; every other segment is, so "a@=1//"
// is a field and an empty bare item. A final item without "/" is accepted
// (clients omit it; the server always writes it).
func decodeString(m *Message, s string) error {
	m.Fields = m.Fields[:0]
	if n := strings.Count(s, "/") + 1; cap(m.Fields) < n {
		m.Fields = make([]Field, 0, n)
	}
	for len(s) > 0 {
		end := strings.IndexByte(s, '/')
		item := s
		if end >= 0 {
			item, s = s[:end], s[end+1:]
		} else {
			s = ""
		}
		f, err := decodeItem(item)
		if err != nil {
			m.Fields = m.Fields[:0]
			return err
		}
		m.Fields = append(m.Fields, f)
	}
	return nil
}

// decodeItem decodes one "key@=value" or bare "value" item (no "/").
func decodeItem(item string) (Field, error) {
	sep := -1
	escaped := false
	for i := 0; i < len(item); i++ {
		j := strings.IndexByte(item[i:], '@')
		if j < 0 {
			break
		}
		i += j
		if i+1 == len(item) {
			return Field{}, ErrBadEscape
		}
		switch item[i+1] {
		case 'A', 'S':
			escaped = true
		case '=':
			if sep >= 0 {
				return Field{}, ErrBadEscape
			}
			sep = i
		default:
			return Field{}, ErrBadEscape
		}
		i++
	}
	var f Field
	if sep < 0 {
		f.Bare = true
		f.Value = item
	} else {
		f.Key, f.Value = item[:sep], item[sep+2:]
	}
	if escaped {
		f.Key = unescape(f.Key)
		f.Value = unescape(f.Value)
	}
	return f, nil
}

// unescape replaces "@A" by "@" and "@S" by "/" in one pass. Its input has
// been validated: every "@" is followed by "A" or "S".
func unescape(s string) string {
	i := strings.IndexByte(s, '@')
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i >= 0 {
		b.WriteString(s[:i])
		if s[i+1] == 'S' {
			b.WriteByte('/')
		} else {
			b.WriteByte('@')
		}
		s = s[i+2:]
		i = strings.IndexByte(s, '@')
	}
	b.WriteString(s)
	return b.String()
}

// Unescape undoes one level of STT escaping ("@A" → "@", "@S" → "/") in a
// single pass; any other "@" is kept as is. Use it on an item of a nested
// list; prefer DecodeNested for whole values.
func Unescape(s string) string {
	if strings.IndexByte(s, '@') < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '@' && i+1 < len(s) {
			switch s[i+1] {
			case 'A':
				b.WriteByte('@')
				i++
				continue
			case 'S':
				b.WriteByte('/')
				i++
				continue
			}
		}
		b.WriteByte(c)
	}
	return b.String()
}

// Escape applies one level of STT escaping: "@" → "@A", then "/" → "@S".
func Escape(s string) string {
	return string(appendEscaped(nil, s))
}

func appendEscaped(dst []byte, s string) []byte {
	for {
		i := strings.IndexAny(s, "@/")
		if i < 0 {
			return append(dst, s...)
		}
		dst = append(dst, s[:i]...)
		if s[i] == '@' {
			dst = append(dst, "@A"...)
		} else {
			dst = append(dst, "@S"...)
		}
		s = s[i+1:]
	}
}

// AppendEncode appends the STT encoding of m to dst: for each field
// escape(key) "@=" escape(value) "/", or escape(value) "/" for a bare item.
// Decode then AppendEncode reproduces every correctly escaped body that ends
// in "/" byte for byte.
func AppendEncode(dst []byte, m Message) []byte {
	for _, f := range m.Fields {
		if !f.Bare {
			dst = appendEscaped(dst, f.Key)
			dst = append(dst, "@="...)
		}
		dst = appendEscaped(dst, f.Value)
		dst = append(dst, '/')
	}
	return dst
}

// Encode returns the STT encoding of m.
func Encode(m Message) []byte { return AppendEncode(nil, m) }

// EncodeNested returns the escaped-once encoding of m, ready to be embedded
// as a field value: Field{Key: "el", Value: EncodeNested(list)}.
func EncodeNested(m Message) string { return string(AppendEncode(nil, m)) }
