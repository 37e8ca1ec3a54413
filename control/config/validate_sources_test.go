package config

import (
	"strings"
	"testing"
)

func TestBilibiliOpenConfig(t *testing.T) {
	ok := minimal + `
sources:
  bilibili_open:
    code: ABCDEF1234567
    app_id: 1001
    access_key_id: key-id
    access_key_secret_file: /etc/cattease/bilibili-secret
    api: http://127.0.0.1:8080
`
	f, err := Parse("m.yaml", []byte(ok))
	if err != nil {
		t.Fatal(err)
	}
	if o := f.Sources.BilibiliOpen; o.AppID != 1001 || o.AccessKeySecretFile != "/etc/cattease/bilibili-secret" || !o.Set() {
		t.Errorf("decoded %+v", o)
	}
	// The 身份码 may come from --bilibili-code alone.
	if _, err := Parse("m.yaml", []byte(strings.Replace(ok, "    code: ABCDEF1234567\n", "", 1))); err != nil {
		t.Errorf("without code: %v", err)
	}

	bad := minimal + `
sources:
  bilibili_open:
    code: "not a code!"
    api: ftp://x
`
	_, err = Parse("m.yaml", []byte(bad))
	if err == nil {
		t.Fatal("accepted")
	}
	out := err.Error()
	for _, want := range []string{
		"m.yaml:15:11: sources.bilibili_open.code: not a 身份码",
		"m.yaml:16:10: sources.bilibili_open.api: api must be an http:// or https:// base URL",
		"sources.bilibili_open.app_id: app_id must be",
		"sources.bilibili_open.access_key_id: access_key_id is required",
		"sources.bilibili_open.access_key_secret_file: access_key_secret_file is required",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in:\n%s", want, out)
		}
	}
	if strings.Contains(out, "not a code!") {
		t.Errorf("a credential was echoed:\n%s", out)
	}
	// The secret itself has no key: only a file may hold it.
	_, err = Parse("m.yaml", []byte(strings.Replace(ok, "    api:", "    access_key_secret: plain-secret\n    api:", 1)))
	if err == nil || !strings.Contains(err.Error(), `m.yaml:19:5: sources.bilibili_open: unknown key "access_key_secret"`) ||
		strings.Contains(err.Error(), "plain-secret") {
		t.Errorf("inline secret: %v", err)
	}
}

// TestIntegerWidths: an int64 (the Open Platform's app_id, which the guide
// shows with 13 digits) takes 64 bits; an int takes what the Pi Zero's
// 32-bit build holds, and a number too large says so.
func TestIntegerWidths(t *testing.T) {
	src := minimal + `
sources:
  bilibili_open:
    app_id: 1234567890123
    access_key_id: key-id
    access_key_secret_file: /etc/cattease/bilibili-secret
`
	f, err := Parse("m.yaml", []byte(src))
	if err != nil {
		t.Fatalf("a 13-digit app_id: %v", err)
	}
	if f.Sources.BilibiliOpen.AppID != 1234567890123 {
		t.Fatalf("app_id %d", f.Sources.BilibiliOpen.AppID)
	}
	_, err = Parse("m.yaml", []byte(strings.Replace(src, "1234567890123", "92233720368547758070", 1)))
	if err == nil || !strings.Contains(err.Error(), "app_id: 92233720368547758070 is out of range (64 bits)") {
		t.Fatalf("app_id past int64: %v", err)
	}
	_, err = Parse("m.yaml", []byte(strings.Replace(src, "1234567890123", "12345six", 1)))
	if err == nil || !strings.Contains(err.Error(), `expected a whole number, found "12345six"`) {
		t.Fatalf("not a number: %v", err)
	}
}
