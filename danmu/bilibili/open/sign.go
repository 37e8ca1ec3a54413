package open

import (
	"crypto/hmac"
	"crypto/md5"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// The signature headers (reference §4.1). Their names are lowercase on
// the wire and in the string to sign.
const (
	HeaderAccessKeyID      = "x-bili-accesskeyid"
	HeaderContentMD5       = "x-bili-content-md5"
	HeaderSignatureMethod  = "x-bili-signature-method"
	HeaderSignatureNonce   = "x-bili-signature-nonce"
	HeaderSignatureVersion = "x-bili-signature-version"
	HeaderTimestamp        = "x-bili-timestamp"
)

// StringToSign is what the signature covers: the six x-bili-* headers
// sorted by name, each "name:value", joined by "\n" with no trailing
// newline.
func StringToSign(accessKeyID, contentMD5, nonce, timestamp string) string {
	return strings.Join([]string{
		HeaderAccessKeyID + ":" + accessKeyID,
		HeaderContentMD5 + ":" + contentMD5,
		HeaderSignatureMethod + ":HMAC-SHA256",
		HeaderSignatureNonce + ":" + nonce,
		HeaderSignatureVersion + ":1.0",
		HeaderTimestamp + ":" + timestamp,
	}, "\n")
}

// Signature is the lowercase hex HMAC-SHA256 of msg under secret.
func Signature(secret []byte, msg string) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(msg))
	return hex.EncodeToString(m.Sum(nil))
}

// sign sets the signature headers on h for body, sent at now with nonce.
func sign(h http.Header, body []byte, accessKeyID string, secret []byte, nonce string, now time.Time) {
	sum := md5.Sum(body)
	md := hex.EncodeToString(sum[:])
	ts := strconv.FormatInt(now.Unix(), 10)
	set := h.Set // header names are case-insensitive; the string to sign uses lowercase
	set(HeaderAccessKeyID, accessKeyID)
	set(HeaderContentMD5, md)
	set(HeaderSignatureMethod, "HMAC-SHA256")
	set(HeaderSignatureNonce, nonce)
	set(HeaderSignatureVersion, "1.0")
	set(HeaderTimestamp, ts)
	h.Set("Content-Type", "application/json")
	h.Set("Accept", "application/json")
	h.Set("Authorization", Signature(secret, StringToSign(accessKeyID, md, nonce, ts)))
}

// newNonce returns a fresh random nonce: the platform refuses a repeated
// one (4004).
func newNonce() string { return rand.Text() }
