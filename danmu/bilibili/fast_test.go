package bilibili

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

// fastRooms: decoders whose room or owner match the captures' medals, so
// medal ownership and the owner role are exercised.
var fastRooms = []Decoder{
	{RoomID: 5561470, StreamerUID: 780791},
	{RoomID: 22889484, StreamerUID: 591892279},
	{RoomID: 958617, StreamerUID: 140378},
	{},
}

func fixedNow() time.Time { return time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC) }

// sameAsReference fails t if the fast path answers body differently from
// the general decoder, and reports whether the fast path answered.
func sameAsReference(t *testing.T, d Decoder, body []byte) bool {
	t.Helper()
	d.Now = fixedNow
	fast, ok := d.fastDanmaku(body)
	if !ok {
		return false
	}
	ref, cmd, err := d.decodeGeneral(body)
	if err != nil || cmd != "DANMU_MSG" {
		t.Fatalf("fast path answered %+v where the reference says %q, %v\nbody %q", fast, cmd, err, body)
	}
	if !reflect.DeepEqual(fast, ref) {
		t.Fatalf("fast path and reference differ\n fast %+v\n  ref %+v\nbody %q", fast, ref, body)
	}
	return true
}

func fastSeeds(tb testing.TB) [][]byte {
	names, err := filepath.Glob("testdata/*.json")
	if err != nil || len(names) == 0 {
		tb.Fatalf("fixtures: %v", err)
	}
	var seeds [][]byte
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			tb.Fatal(err)
		}
		seeds = append(seeds, b)
	}
	// Shapes the fast path must hand over, or must get right.
	for _, s := range []string{
		`{"cmd":"DANMU_MSG","info":[[],"左",[42,"猫",1]]}`,
		`{"cmd":"DANMU_MSG","info":[null,"左",["42","猫",true]]}`,
		`{"cmd":"DANMU_MSG:4:0:2:2:2:0","info":[[],"左",[42.0,"猫",1],null,null,null,null,null]}`,
		`{"info":[[],"左",[42,"猫",1]],"cmd":"DANMU_MSG"}`,
		`{"cmd":"DANMU_MSG","info":[[],"左",[42,"猫",1]],"info":[[],"右",[43,"狗",0]]}`,
		`{"cmd":"DANMU_MSG","CMD":"SEND_GIFT","info":[[],"左",[42,"猫",1]]}`,
		`{"cmd":"DANMU_MSG","Info":[[],"左",[42,"猫",1]]}`,
		`{"cmd":"DANMU_MSG","info":[[0,1,25,0,1700000000123,77,0,"",0,0,0,"",0,"{}","{}",{"extra":"{\"id_str\":\"a\\\"b\",\"Is_Mirror\":true}","user":{"uid":5,"base":{"name":"名\u0041"}}}],"\u5de6\n","x"]}`,
		`{"cmd":"DANMU_MSG","info":[[0,1,25,0,1700000000123,77,0,"",0,0,0,"",0,"{}","{}",{"extra":"{\"ID_STR\":\"x\"}"}],"左",[1,"a",0]]}`,
		`{"cmd":"DANMU_MSG","info":[[0,1,25,0,1700000000123,77,0,"",0,0,0,"",0,"{}","{}",{"extra":"null"}],"左",[1,"a",0]]}`,
		`{"cmd":"DANMU_MSG","info":[[0,1,25,0,1700000000123,77,0,"",0,0,0,"",0,"{}","{}",{"extra":" {\"id_str\":null} "}],"左",[1,"a",0]]}`,
		`{"cmd":"DANMU_MSG","info":[[0,1,25,0,1700000000123,77,0,"",0,0,0,"",0,"{}","{}",{"extra":"{\"id_str\":\"\\ud83d\\ude00\"}"}],"左",[1,"a",0]]}`,
		`{"cmd":"DANMU_MSG","info":[[],"左",[1,"a*",0],[21,"m","n",5561470,0,0,0,0,0,0,0,0,780791],[30],0,0,3]}`,
		`{"cmd":"DANMU_MSG","info":[[],"左",[780791,"主播",0]]}`,
		`{"cmd":"DANMU_MSG","info":[[],"` + strings.Repeat("左", 700) + `",[1,"a",0]]}`,
		`{"cmd":"DANMU_MSG","info":[[],"\ud800",[1,"a",0]]}`,
		"{\"cmd\":\"DANMU_MSG\",\"info\":[[],\"\xff\",[1,\"a\",0]]}",
		`{"cmd":"DANMU_MSG","info":[[],"左",[1,"a",0]]} x`,
		`{"cmd":"DANMU_MSG","info":[[],"左",[1,"a",0]],"data":{"z":1,"z":2},"Data":null,"data":[]}`,
		// extra too long to be unescaped onto the stack as it is read
		`{"cmd":"DANMU_MSG","info":[[0,1,25,0,1700000000123,77,0,"",0,0,0,"",0,"{}","{}",{"extra":"{\"pad\":\"` + strings.Repeat("猫\\n", 400) + `\",\"id_str\":\"q\\u0041\"}"}],"左",[1,"a",0]]}`,
		`{"cmd":"DANMU_MSG","info":[[0,1,25,0,1700000000123,77,0,"",0,0,0,"",0,"{}","{}",{"extra":"{\"pad\":\"` + strings.Repeat("猫\\n", 400) + `\",\"is_mirror\":1}"}],"左",[1,"a",0]]}`,
		`{"cmd":"DANMU_MSG","info":[[0,1,25,0,1700000000123,77,0,"",0,0,0,"",0,"{}","{}",{"extra":"{\"id_str\":\"\u0041\u00e9\u732b\/\b\f\n\r\t\\\\\"}"}],"左",[1,"a",0]]}`,
		`{"cmd":"DANMU_MSG","info":[[0,1,25,0,1700000000123,77,0,"",0,0,0,"",0,{"a":1,"a":2},"{}",{"extra":"{\"a\":{\"b\":1,\"b\":2},\"id_str\":\"x\"}","user":{"uid":5,"x":{"q":1,"q":1}}}],"左",[1,"a",0]]}`,
		// names the chains expect, in their order, changed: case, a
		// duplicate read name, a name folding to one read
		`{"cmd":"DANMU_MSG","info":[[0,1,25,0,1700000000123,77,0,"",0,0,0,"",0,"{}","{}",{"extra":"{\"send_from_me\":false,\"mode\":0,\"ID_str\":\"x\"}","user":{"base":{"face":"f","name":"n"},"uid":7}}],"左",[1,"a",0]]}`,
		`{"cmd":"DANMU_MSG","info":[[0,1,25,0,1700000000123,77,0,"",0,0,0,"",0,"{}","{}",{"extra":"{\"send_from_me\":false,\"id_str\":\"x\",\"id_str\":\"y\"}","user":{"base":{"face":"f","name":"n"},"medal":{"color":1,"level":3,"level":4,"ruid":5},"uid":7}}],"左",[1,"a",0]]}`,
		`{"cmd":"DANMU_MSG","info":[[0,1,25,0,1700000000123,77,0,"",0,0,0,"",0,"{}","{}",{"extra":"{\"send_from_me\":false}","user":{"Base":{"face":"f","name":"n"},"medal":{"color":1,"Level":3,"ruid":5},"uid":7}}],"左",[1,"a",0]]}`,
		`{"cmd":"DANMU_MSG","info":[[0,1,25,0,1700000000123,77,0,"",0,0,0,"",0,"{}","{}",{"extra":"{\"send_from_me\":false,\"mode\" :0}","user":{"base":{"face":"f", "name":"n"},"medal":{"color":1 ,"level":3,"ruid":5},"uid":7}}],"左",[1,"a",0]]}`,
		// cut off where an element or a member's value starts
		`{"cmd":"DANMU_MSG","info":[[0,`,
		`{"cmd":"DANMU_MSG","info":[[0,1,25,0,1700000000123,77,0,"",0,0,0,"",0,"{}","{}",{"user":{"x":`,
		// skipped arrays and objects, flat and nested, valid and not
		`{"cmd":"DANMU_MSG","info":[[{"a":[1,{"b":null}],"c":-1.5e3},[],{},[ "" , 0 ],{"d" : true}],"左",[1,"a",0]]}`,
		`{"cmd":"DANMU_MSG","info":[[[1,]],"左",[1,"a",0]]}`,
		`{"cmd":"DANMU_MSG","info":[[{"a":01}],"左",[1,"a",0]]}`,
		`{"cmd":"DANMU_MSG","info":[[-1/],"左",[1,"a",0]]}`,
	} {
		seeds = append(seeds, []byte(s))
	}
	return seeds
}

// Every fixture and hand-made shape: where the fast path answers, it
// answers as the general decoder does; every real DANMU_MSG capture but
// the mirror takes the fast path.
func TestFastMatchesReference(t *testing.T) {
	for _, d := range fastRooms {
		for _, b := range fastSeeds(t) {
			sameAsReference(t, d, b)
		}
	}
	names, _ := filepath.Glob("testdata/danmu_msg_*.json")
	for _, n := range names {
		b, _ := os.ReadFile(n)
		_, ok := fastRooms[0].fastDanmaku(b)
		if want := !strings.Contains(n, "mirror"); ok != want {
			t.Errorf("%s: fast path %v, want %v", n, ok, want)
		}
	}
}

// FuzzFastDanmaku is the differential test: on every input, the fast path
// either hands over or gives the general decoder's Event. Decode as a
// whole still returns only typed errors.
func FuzzFastDanmaku(f *testing.F) {
	for _, b := range fastSeeds(f) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, d := range fastRooms {
			sameAsReference(t, d, body)
		}
		_, err := fastRooms[0].Decode(body)
		var de *DecodeError
		var skip *SkipError
		if err != nil && !errors.As(err, &de) && !errors.As(err, &skip) {
			t.Fatalf("untyped error %v", err)
		}
	})
}

func TestFastAllocs(t *testing.T) {
	b, err := os.ReadFile("testdata/danmu_msg_1.json")
	if err != nil {
		t.Fatal(err)
	}
	d := fastRooms[0]
	if n := testing.AllocsPerRun(100, func() { _, _ = d.Decode(b) }); n > 1 {
		t.Errorf("%v allocations per DANMU_MSG, want 1", n)
	}
}

// A body the fast path refuses after it has unescaped extra into a pooled
// buffer gives the buffer back: a stream of such bodies (a hostile server,
// a new shape) does not cost 2 KB a message.
func TestFastRefusalReturnsBuffer(t *testing.T) {
	raw, err := os.ReadFile("testdata/danmu_msg_1.json")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		t.Fatal(err)
	}
	// A \u0022 for a quote sends extra to the buffer; the trailing x
	// is refused after info has been read.
	body := bytes.Replace(buf.Bytes(), []byte(`\"send_from_me\"`), []byte(`\u0022send_from_me\"`), 1)
	if bytes.Equal(body, buf.Bytes()) {
		t.Fatal("the capture's extra no longer starts with send_from_me")
	}
	d := fastRooms[0]
	if _, ok := d.fastDanmaku(body); !ok {
		t.Fatal("the fast path refused the unescaped extra itself")
	}
	body = append(body, 'x')
	if _, ok := d.fastDanmaku(body); ok {
		t.Fatal("trailing data accepted")
	}
	if n := testing.AllocsPerRun(100, func() { _, _ = d.fastDanmaku(body) }); n != 0 {
		t.Errorf("%v allocations per refused body, want 0", n)
	}
}

// BenchmarkFastDanmaku: the DANMU_MSG fast path alone on one capture
// (2.3 KB, extra 1.2 KB escaped), no inflate, no split.
func BenchmarkFastDanmaku(b *testing.B) {
	body, err := os.ReadFile("testdata/danmu_msg_1.json")
	if err != nil {
		b.Fatal(err)
	}
	d := fastRooms[0]
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := d.fastDanmaku(body); !ok {
			b.Fatal("fell back")
		}
	}
}

// BenchmarkFastDanmakuWire: the fast path alone on the ten captures of
// DecodeBrotliFrame20, compact as the server sends them; ns/op is per
// message. Steadier than the frame benchmark for comparing scanners.
func BenchmarkFastDanmakuWire(b *testing.B) {
	names, err := filepath.Glob("testdata/danmu_msg_*.json")
	if err != nil {
		b.Fatal(err)
	}
	var bodies [][]byte
	size := 0
	for _, n := range names {
		raw, err := os.ReadFile(n)
		if err != nil {
			b.Fatal(err)
		}
		var buf bytes.Buffer
		if err := json.Compact(&buf, raw); err != nil {
			b.Fatal(err)
		}
		d := fastRooms[0]
		if _, ok := d.fastDanmaku(buf.Bytes()); !ok {
			continue // the mirror, and shapes left to the reference
		}
		bodies = append(bodies, buf.Bytes())
		size += buf.Len()
	}
	d := fastRooms[0]
	b.SetBytes(int64(size / len(bodies)))
	b.ReportAllocs()
	cpu0 := cpuNow()
	for i := 0; b.Loop(); i++ {
		if _, ok := d.fastDanmaku(bodies[i%len(bodies)]); !ok {
			b.Fatal("fell back")
		}
	}
	// CPU time, steadier than wall time on a shared machine.
	b.ReportMetric(float64((cpuNow()-cpu0).Nanoseconds())/float64(b.N), "cpu-ns/op")
}

// Duplicate names inside values the fast path skips, and a data member
// beside info, are no reason to hand over: json v2 with duplicates allowed
// reads them too.
func TestFastSkipsDuplicatesInsideSkippedValues(t *testing.T) {
	for _, s := range []string{
		`{"cmd":"DANMU_MSG","info":[[],"左",[1,"a",0]],"data":{"z":1,"z":2},"data":[]}`,
		`{"cmd":"DANMU_MSG","info":[[0,1,25,0,1700000000123,77,0,"",0,0,0,"",0,{"a":1,"a":2},"{}",{"extra":"{\"a\":{\"b\":1,\"b\":2},\"id_str\":\"x\"}","user":{"uid":5,"x":{"q":1,"q":1}}}],"左",[1,"a",0]]}`,
	} {
		if !sameAsReference(t, Decoder{}, []byte(s)) {
			t.Errorf("fell back on %s", s)
		}
	}
}

// An extra too long for the stack buffer is still read by the fast path
// (unescaped onto the heap), and escapes in id_str are undone.
func TestFastLongExtra(t *testing.T) {
	const pre = `{"cmd":"DANMU_MSG","info":[[0,1,25,0,1700000000123,77,0,"",0,0,0,"",0,"{}","{}",{"extra":"{`
	const post = `}"}],"左",[1,"a",0]]}`
	pad := `\"pad\":\"` + strings.Repeat(`猫\\n`, 400) + `\",`
	for _, c := range []struct{ extra, id string }{
		{pad + `\"id_str\":\"q\\u0041\"`, "qA"},
		{`\"id_str\":\"q\\u0041\"`, "qA"},
		{`\"id_str\":\"\u0041\u00e9\u732b\/\\b\\\"\\\\\"`, "Aé猫/\b\"\\"},
	} {
		body := []byte(pre + c.extra + post)
		if !sameAsReference(t, Decoder{}, body) {
			t.Fatalf("fell back on %s", body)
		}
		if ev, _ := (&Decoder{}).fastDanmaku(body); ev.ID != c.id {
			t.Errorf("id %q, want %q", ev.ID, c.id)
		}
	}
	mirror := []byte(pre + pad + `\"is_mirror\":1` + post)
	if _, ok := (&Decoder{}).fastDanmaku(mirror); ok {
		t.Errorf("a long mirrored extra took the fast path")
	}
}

// The quick answers of keyNames.folds are foldsTo's.
func TestFoldsQuick(t *testing.T) {
	keys := []string{"", "_", "-x", "id_str", "ID-STR", "idstr", "is_audited", "icon", "iñx", "xé", "éx",
		"guard_leader", "Guard", "guard_", "name_color", "is_mystery", "IsMystery", "level", "LEVEL", "ruid",
		"r", "uid_", "u-i-d", "medal", "b", "base", "extra", "user", "cmd", "Info", "info_x", "9", "i9r"}
	for _, n := range []*keyNames{envNames, modeNames, userNames, baseNames, medalNames, guardNames, extraNames} {
		for _, k := range keys {
			if got, want := n.folds([]byte(k)), foldsTo([]byte(k), n.list...); got != want {
				t.Errorf("%v %q: folds %v, foldsTo %v", n.list, k, got, want)
			}
		}
	}
}

// nonDigits marks exactly the bytes that are not digits.
func TestNonDigits(t *testing.T) {
	for c := range 256 {
		for pos := range 8 {
			x := uint64(0x3535353535353535)
			x = x&^(0xff<<(8*pos)) | uint64(c)<<(8*pos)
			want := uint64(0)
			if c < '0' || c > '9' {
				want = 0x80 << (8 * pos)
			}
			if m := nonDigits(x); m != want {
				t.Fatalf("byte %#x at %d: %#x, want %#x", c, pos, m, want)
			}
		}
	}
}

// FuzzExtraQuoted: where extra is read in place (its strings quoted by \"
// and nothing else escaped), the answer is the one of unescaping it and
// scanning the result.
func FuzzExtraQuoted(f *testing.F) {
	for _, b := range fastSeeds(f) {
		if i := strings.Index(string(b), `"extra":"`); i >= 0 {
			f.Add(b[i+len(`"extra":"`):])
		}
	}
	f.Add([]byte(`{\"id_str\":\"x\",\"a\":[1,{\"b\":null}],\"is_mirror\":0} "`))
	f.Add([]byte(`null"`))
	f.Fuzz(func(t *testing.T, b []byte) {
		end, id, mirror, ok := extraQuoted(b, 0)
		if !ok {
			return
		}
		buf := make([]byte, len(b)+8)
		rend, n := unquote(buf, b, 0)
		if rend != end || n < 0 {
			t.Fatalf("in place: end %d; unquote: end %d, n %d\n%q", end, rend, n, b)
		}
		rid, rmirror, rok := scanExtra(buf[:n])
		if !rok || rmirror != mirror || (rid.esc || string(buf[rid.lo:rid.hi]) != string(b[id.lo:id.hi])) {
			t.Fatalf("in place: %q %v; unescaped: %q %v %v\n%q", b[id.lo:id.hi], mirror, buf[rid.lo:rid.hi], rmirror, rok, b)
		}
	})
}

// numEnd ends a number where JSON's grammar does, whatever follows.
func TestNumEnd(t *testing.T) {
	for _, c := range []struct {
		in      string
		end     int
		integer bool
	}{
		{"0", 1, true}, {"0,", 1, true}, {"01", 1, true}, {"-0]", 2, true}, {"7", 1, true},
		{"42}", 2, true}, {"1743255627732,", 13, true}, {"123456789012345678901", 21, true},
		{"-", -1, false}, {"-a", -1, false}, {"a", -1, false}, {"", -1, false}, {"+1", -1, false},
		{"1.", -1, false}, {"1.5", 3, false}, {"1.5e", -1, false}, {"1.5e+3,", 6, false},
		{"1e9", 3, false}, {"1E-9x", 4, false}, {"0.0", 3, false}, {"0e", -1, false}, {".5", -1, false},
		{"12345678.25", 11, false}, {"9/", 1, true}, {"9:", 1, true},
	} {
		end, integer := numEnd([]byte(c.in), 0)
		if end != c.end || end >= 0 && integer != c.integer {
			t.Errorf("%q: %d %v, want %d %v", c.in, end, integer, c.end, c.integer)
		}
	}
}

// scanner.int reads what strconv.ParseInt reads, whatever the length, the
// sign and what follows, and refuses the forms it leaves to the reference.
func TestScannerInt(t *testing.T) {
	nums := []string{"0", "7", "-0", "-7", "42", "1743255627732", "-1312973962", "9223372036854775807",
		"-9223372036854775808", "9223372036854775808", "12345678", "123456789", "1234567890123456789",
		"12345678901234567890", "99999999", "100000000", "10000000000000000"}
	for n := 1; n <= 19; n++ {
		nums = append(nums, strings.Repeat("9", n), "1"+strings.Repeat("0", n-1), strings.Repeat("123456789", 3)[:n])
	}
	for _, num := range nums {
		for _, tail := range []string{"", ",", "]", "}", ",\"0123456789\"", " ", "x", strings.Repeat("5", 9)} {
			want, err := strconv.ParseInt(num, 10, 64)
			wantOK := err == nil
			if tail == strings.Repeat("5", 9) && num != "0" && num != "-0" {
				// More digits: one number. (After a 0 they are not,
				// and whoever reads on refuses them.)
				want, err = strconv.ParseInt(num+tail, 10, 64)
				wantOK = err == nil
			}
			s := scanner{b: []byte(num + tail)}
			got, ok := s.int()
			if ok != wantOK || ok && got != want {
				t.Errorf("int(%q): %d %v, want %d %v", num+tail, got, ok, want, wantOK)
			}
		}
	}
	for _, bad := range []string{"", "-", "1.5", "1e3", "-x", "+1", "x"} {
		if _, ok := (&scanner{b: []byte(bad)}).int(); ok {
			t.Errorf("int(%q) accepted", bad)
		}
	}
}
