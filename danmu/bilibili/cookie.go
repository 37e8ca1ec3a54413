package bilibili

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
)

// maxCookieFile caps the cookie file; a browser export of one site is a
// few KB.
const maxCookieFile = 1 << 20

// loadCookieFile reads the browser cookie a user exported for bilibili.com.
// Two formats are accepted:
//
//   - the Cookie request header as the browser's developer tools show it,
//     "SESSDATA=…; bili_jct=…; buvid3=…", optionally prefixed "Cookie:",
//     on one or more lines;
//   - a Netscape cookies.txt (curl, wget, browser extensions): tab-separated
//     lines "domain flag path secure expiry name value"; only cookies for
//     bilibili.com domains are kept.
//
// Lines starting with # are comments (except Netscape's #HttpOnly_ prefix).
// Errors never quote the file's content.
func loadCookieFile(path string) ([]*http.Cookie, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("bilibili: cookie file: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxCookieFile+1))
	if err != nil {
		return nil, fmt.Errorf("bilibili: cookie file: %w", err)
	}
	if len(data) > maxCookieFile {
		return nil, fmt.Errorf("bilibili: cookie file %s: larger than %d bytes", path, maxCookieFile)
	}
	return parseCookies(data)
}

func parseCookies(data []byte) ([]*http.Cookie, error) {
	var out []*http.Cookie
	seen := map[string]int{}
	add := func(name, value string) {
		name, value = strings.TrimSpace(name), strings.TrimSpace(value)
		value = strings.Trim(value, `"`)
		if name == "" || !validCookieValue(value) || !validCookieName(name) {
			return
		}
		if i, ok := seen[name]; ok {
			out[i].Value = value
			return
		}
		seen[name] = len(out)
		out = append(out, &http.Cookie{Name: name, Value: value})
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), maxCookieFile)
	line := 0
	for sc.Scan() {
		line++
		s := strings.TrimSpace(strings.TrimPrefix(sc.Text(), "\ufeff"))
		s = strings.TrimPrefix(s, "#HttpOnly_")
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		if f := strings.Split(s, "\t"); len(f) == 7 {
			domain := strings.TrimPrefix(strings.ToLower(f[0]), ".")
			if domain == "bilibili.com" || strings.HasSuffix(domain, ".bilibili.com") {
				add(f[5], f[6])
			}
			continue
		}
		if len(s) >= 7 && strings.EqualFold(s[:7], "cookie:") {
			s = s[7:]
		}
		for _, kv := range strings.Split(s, ";") {
			name, value, ok := strings.Cut(kv, "=")
			if !ok {
				if strings.TrimSpace(kv) != "" {
					return nil, fmt.Errorf("bilibili: cookie file line %d: expected name=value pairs separated by ';'", line)
				}
				continue
			}
			add(name, value)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("bilibili: cookie file: %w", err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("bilibili: cookie file holds no cookies")
	}
	return out, nil
}

func validCookieName(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`()<>@,;:\"/[]?={}`, c) >= 0 {
			return false
		}
	}
	return true
}

// validCookieValue accepts what http.Cookie would send unchanged (RFC 6265
// cookie-octets, plus the ',' Bilibili's SESSDATA contains, URL-encoded as
// %2C in practice).
func validCookieValue(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x21 || c >= 0x7f || c == '"' || c == ';' || c == '\\' {
			return false
		}
	}
	return true
}

// hasSESSDATA reports whether cookies include a login.
func hasSESSDATA(cookies []*http.Cookie) bool {
	for _, c := range cookies {
		if c.Name == "SESSDATA" {
			return true
		}
	}
	return false
}
