package open

import (
	"net/http"
	"testing"
	"time"
)

// The vector was computed outside Go (md5sum and openssl dgst -sha256
// -hmac) from the string to sign as reference §4.1 spells it.
func TestSignVector(t *testing.T) {
	body := []byte(`{"code":"TESTCODE42","app_id":1001}`)
	h := http.Header{}
	sign(h, body, "AKID", []byte("SECRET"), "n0nce", time.Unix(1764400000, 0))
	want := map[string]string{
		"x-bili-accesskeyid":       "AKID",
		"x-bili-content-md5":       "48d25ecf4ce8aeef2ce412bcafe7f4f1",
		"x-bili-signature-method":  "HMAC-SHA256",
		"x-bili-signature-nonce":   "n0nce",
		"x-bili-signature-version": "1.0",
		"x-bili-timestamp":         "1764400000",
		"Authorization":            "88ba93ef5c4e46f4a462d3148990c5a3d3ae720c00edeb0a8743cd1d239e9133",
		"Content-Type":             "application/json",
		"Accept":                   "application/json",
	}
	for k, v := range want {
		if got := h.Get(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
}

func TestNoncesAreFresh(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		n := newNonce()
		if seen[n] || len(n) < 16 {
			t.Fatalf("nonce %q repeated or short", n)
		}
		seen[n] = true
	}
}
