package config

import (
	"net/url"
	"regexp"
)

// codePattern is what a 身份码 looks like: letters and digits (13 today).
var codePattern = regexp.MustCompile(`^[A-Za-z0-9]{4,64}$`)

// sources checks the chat sources. Only the Open Platform has rules of
// its own: its credentials come together or not at all (the 身份码 may
// come from --bilibili-code instead), and the values are never echoed.
func (v *validator) sources(s Sources) {
	o := s.BilibiliOpen
	const p = "sources.bilibili_open"
	if o.Code != "" && !codePattern.MatchString(o.Code) {
		v.add(p+".code", "not a 身份码: it is 4–64 letters and digits, copied from the live centre (直播中心)")
	}
	if o.API != "" {
		if u, err := url.Parse(o.API); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			v.add(p+".api", "api must be an http:// or https:// base URL")
		}
	}
	if o.AppID == 0 && o.AccessKeyID == "" && o.AccessKeySecretFile == "" && o.Code == "" {
		return // only api: nothing to run
	}
	if o.AppID <= 0 {
		v.add(p+".app_id", "app_id must be the positive id of your Open Platform app (项目)")
	}
	if o.AccessKeyID == "" {
		v.add(p+".access_key_id", "access_key_id is required with the Open Platform (from the developer center)")
	}
	if o.AccessKeySecretFile == "" {
		v.add(p+".access_key_secret_file", "access_key_secret_file is required: a file holding the access key secret (never the secret itself)")
	}
}
