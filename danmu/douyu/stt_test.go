package douyu

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestRoundTripEveryFixture(t *testing.T) {
	fx := txtFixtures(t)
	if len(fx) < 70 {
		t.Errorf("only %d .txt fixtures", len(fx))
	}
	for name, body := range fx {
		m, err := Decode(body)
		if err != nil {
			t.Errorf("%s: decode: %v", name, err)
			continue
		}
		if got := Encode(m); !bytes.Equal(got, body) {
			t.Errorf("%s: round trip differs\n got %q\nwant %q", name, got, body)
		}
		if m.Type() == "" {
			t.Errorf("%s: no type", name)
		}
	}
}

// The .body.hex files hold the same bytes as their .txt twins.
func TestBodyHexMatchesTxt(t *testing.T) {
	for _, n := range []string{"opensourcebarrage2020_chatmsg_backslash_1", "opensourcebarrage2020_chatmsg_backslash_2"} {
		if got, want := hexFixture(t, n+".body.hex"), fixture(t, n+".txt"); !bytes.Equal(got, want) {
			t.Errorf("%s: body.hex != txt", n)
		}
	}
}

func TestDecodeFields(t *testing.T) {
	tests := []struct {
		in   string
		want []Field
	}{
		{"", nil},
		{"type@=mrkl/", []Field{{Key: "type", Value: "mrkl"}}},
		{"type@=loginreq/roomid@=9999", []Field{{Key: "type", Value: "loginreq"}, {Key: "roomid", Value: "9999"}}},
		{"el@=/", []Field{{Key: "el", Value: ""}}},
		{"a@=1//", []Field{{Key: "a", Value: "1"}, {Bare: true}}},
		{"/", []Field{{Bare: true}}},
		{"x/y/", []Field{{Value: "x", Bare: true}, {Value: "y", Bare: true}}},
		{"@=v/", []Field{{Key: "", Value: "v"}}},
		{"k@Sx@=a@Sb@Ac/", []Field{{Key: "k/x", Value: "a/b@c"}}},
		// A literal "@S" typed by a user arrives as "@AS": one pass gives
		// "@S", never "/" (the two-ReplaceAll bug).
		{"txt@=@AS@AA/", []Field{{Key: "txt", Value: "@S@A"}}},
		{"rid@=1/rid@=-1/", []Field{{Key: "rid", Value: "1"}, {Key: "rid", Value: "-1"}}},
		{"txt@=a\\/", []Field{{Key: "txt", Value: "a\\"}}},
	}
	for _, tt := range tests {
		m, err := DecodeString(tt.in)
		if err != nil {
			t.Errorf("%q: %v", tt.in, err)
			continue
		}
		if len(m.Fields) == 0 && len(tt.want) == 0 {
			continue
		}
		if !reflect.DeepEqual(m.Fields, tt.want) {
			t.Errorf("%q: got %+v want %+v", tt.in, m.Fields, tt.want)
		}
	}
}

func TestDecodeErrors(t *testing.T) {
	for _, in := range []string{"a@=b@=c/", "a@xb/", "a@", "a@=b@/c/", "@", "k@=v@/"} {
		if _, err := DecodeString(in); !errors.Is(err, ErrBadEscape) {
			t.Errorf("%q: err %v, want ErrBadEscape", in, err)
		}
	}
	if _, err := Decode([]byte("type@=chatmsg/txt@=\xff\xfe/")); !errors.Is(err, ErrInvalidUTF8) {
		t.Errorf("invalid UTF-8: %v", err)
	}
	if Reason(ErrBadEscape) != "bad_escape" || Reason(ErrInvalidUTF8) != "bad_utf8" {
		t.Error("reasons")
	}
}

func TestTypeNotFirstAndBtype(t *testing.T) {
	m, err := Decode(fixture(t, "douyumonitor_configscreen_fansupgrade.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if m.Type() != "configscreen" {
		t.Errorf("type %q", m.Type())
	}
	if m.Fields[0].Key != "btype" {
		t.Errorf("first field %q", m.Fields[0].Key)
	}
	m, _ = Decode(fixture(t, "douyudm_rri.txt"))
	if m.Type() != "rri" || !reflect.DeepEqual(m.All("rid"), []string{"3898464", "-1"}) || m.Get("rid") != "3898464" {
		t.Errorf("rri: type %q rids %v", m.Type(), m.All("rid"))
	}
}

func TestNested(t *testing.T) {
	m, err := Decode(fixture(t, "douyudm_uenter.txt"))
	if err != nil {
		t.Fatal(err)
	}
	el, err := m.Nested("el")
	if err != nil {
		t.Fatal(err)
	}
	items := el.Items()
	if len(items) != 1 {
		t.Fatalf("el items %q", items)
	}
	d, err := DecodeNested(items[0])
	if err != nil {
		t.Fatal(err)
	}
	want := Msg("eid", "1500000113", "etp", "1", "sc", "1", "ef", "0")
	if !reflect.DeepEqual(d, want) {
		t.Errorf("el[0] = %+v", d)
	}
	// ic is a path, not nested, even though it contained @S.
	if m.Get("ic") != "avatar_v3/201902/2ef75ae27685acd22b2ba05379012994" {
		t.Errorf("ic %q", m.Get("ic"))
	}
	if _, err := m.Nested("ic"); !errors.Is(err, ErrNotNested) {
		t.Errorf("ic nested: %v", err)
	}

	// The v1.6.2 document's example: encoding [{eid:1,etp:1,sc:1}] as el.
	list := Message{Fields: []Field{{Bare: true, Value: EncodeNested(Msg("eid", "1", "etp", "1", "sc", "1"))}}}
	out := Encode(Message{Fields: []Field{{Key: "el", Value: EncodeNested(list)}}})
	if string(out) != "el@=eid@AA=1@ASetp@AA=1@ASsc@AA=1@AS@S/" {
		t.Errorf("encoded el %q", out)
	}

	// Three levels: pdrinfo list → dict keyed by number → list of dicts.
	m, _ = Decode(fixture(t, "ordinaryroad_pdrinfo.txt"))
	l1, err := m.Nested("list")
	if err != nil {
		t.Fatal(err)
	}
	if l1.Fields[0].Key != "1" || l1.Fields[1].Key != "100" || l1.Fields[2].Key != "10" {
		t.Fatalf("pdrinfo keys %+v", l1.Fields)
	}
	l2, err := DecodeNested(l1.Fields[0].Value)
	if err != nil {
		t.Fatal(err)
	}
	d, err = DecodeNested(l2.Items()[1])
	if err != nil {
		t.Fatal(err)
	}
	if d.Get("total") != "600" || d.Get("num") != "336" || d.Get("pid") != "2680" {
		t.Errorf("pdrinfo list[1][1] = %+v", d)
	}

	// cthn has a field called chatmsg holding plain text: not nested there.
	m, _ = Decode(fixture(t, "douyudm_cthn.txt"))
	if _, err := m.Nested("chatmsg"); !errors.Is(err, ErrNotNested) {
		t.Errorf("cthn chatmsg: %v", err)
	}
	if m.Get("chatmsg") != "狗轩回来开播啦" {
		t.Errorf("cthn chatmsg %q", m.Get("chatmsg"))
	}
}

func TestEscapeUnescape(t *testing.T) {
	for _, s := range []string{"", "plain", "a/b", "@", "@S", "@A", "//", "x@=y", "\\", "😀/@", "@@//@S@A"} {
		e := Escape(s)
		if strings.ContainsRune(strings.ReplaceAll(strings.ReplaceAll(e, "@A", ""), "@S", ""), '/') {
			t.Errorf("Escape(%q) = %q has raw /", s, e)
		}
		if u := Unescape(e); u != s {
			t.Errorf("Unescape(Escape(%q)) = %q", s, u)
		}
		m := Msg("txt", s, s, "v")
		back, err := Decode(Encode(m))
		if err != nil || !reflect.DeepEqual(back, m) {
			t.Errorf("message with %q: %v %+v", s, err, back)
		}
	}
}

func TestDecodeIntoReuses(t *testing.T) {
	var m Message
	body := fixture(t, "douyudm_chatmsg.txt")
	if err := DecodeInto(&m, body); err != nil {
		t.Fatal(err)
	}
	p := &m.Fields[0]
	if err := DecodeInto(&m, body); err != nil {
		t.Fatal(err)
	}
	if &m.Fields[0] != p {
		t.Error("fields storage not reused")
	}
	// Strings never alias the caller's body.
	txt := m.Get("txt")
	for i := range body {
		body[i] = 'x'
	}
	if txt != "注意保暖" {
		t.Errorf("txt changed with body: %q", txt)
	}
}
