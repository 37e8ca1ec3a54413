package bilibili

import (
	"crypto/md5"
	"encoding/hex"
	"net/url"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

// mixinTab permutes img_key+sub_key into the WBI mixin key (reference §2.4).
var mixinTab = [...]int{
	46, 47, 18, 2, 53, 8, 23, 32, 15, 50, 10, 31, 58, 3, 45, 35,
	27, 43, 5, 49, 33, 9, 42, 19, 29, 28, 14, 39, 12, 38, 41, 13,
	37, 48, 7, 16, 24, 55, 40, 61, 26, 17, 0, 1, 60, 51, 30, 4,
	22, 25, 54, 21, 56, 59, 6, 63, 57, 62, 11, 36, 20, 34, 44, 52,
}

// wbiKeys are the two halves of the WBI secret nav hands out (file names of
// data.wbi_img.img_url and sub_url). They rotate about daily.
type wbiKeys struct{ img, sub string }

// wbiKeyFromURL returns the file name of a wbi_img URL without extension.
func wbiKeyFromURL(u string) string {
	base := path.Base(u)
	return strings.TrimSuffix(base, path.Ext(base))
}

// mixinKey returns the 32-character key WBI signatures are salted with, or
// "" when the keys are too short to build one.
func (k wbiKeys) mixinKey() string {
	raw := k.img + k.sub
	if len(raw) < len(mixinTab) {
		return ""
	}
	var b [32]byte
	for i := range b {
		b[i] = raw[mixinTab[i]]
	}
	return string(b[:])
}

// wbiSign returns params with wts (unix seconds of now) and w_rid added:
// w_rid = md5(sorted query with !'()* dropped from values, %20 for space +
// mixin key). params is not modified.
func wbiSign(params url.Values, k wbiKeys, now time.Time) url.Values {
	out := make(url.Values, len(params)+2)
	for key, vs := range params {
		clean := make([]string, len(vs))
		for i, v := range vs {
			clean[i] = strings.Map(func(r rune) rune {
				if strings.ContainsRune("!'()*", r) {
					return -1
				}
				return r
			}, v)
		}
		out[key] = clean
	}
	out.Set("wts", strconv.FormatInt(now.Unix(), 10))

	keys := make([]string, 0, len(out))
	for key := range out {
		keys = append(keys, key)
	}
	sort.Strings(keys)
	var q strings.Builder
	for _, key := range keys {
		for _, v := range out[key] {
			if q.Len() > 0 {
				q.WriteByte('&')
			}
			q.WriteString(wbiEscape(key))
			q.WriteByte('=')
			q.WriteString(wbiEscape(v))
		}
	}
	sum := md5.Sum([]byte(q.String() + k.mixinKey()))
	out.Set("w_rid", hex.EncodeToString(sum[:]))
	return out
}

// wbiEscape percent-encodes like JavaScript's encodeURIComponent, which is
// what the web client signs: space is %20, hex is upper case.
func wbiEscape(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}

// WBIValid reports whether query carries a w_rid that matches its other
// parameters under the keys img and sub. The fake server uses it to enforce
// signing exactly as the client computes it.
func WBIValid(query url.Values, img, sub string) bool {
	wts, err := strconv.ParseInt(query.Get("wts"), 10, 64)
	if err != nil || query.Get("w_rid") == "" {
		return false
	}
	params := make(url.Values, len(query))
	for key, vs := range query {
		if key != "w_rid" && key != "wts" {
			params[key] = vs
		}
	}
	want := wbiSign(params, wbiKeys{img, sub}, time.Unix(wts, 0))
	return want.Get("w_rid") == query.Get("w_rid")
}
